# -*- test-case-name: tests.redteam_world.test_r4_login_channels -*-
"""
The words of a login never reach another player's ear, whatever would hear
them: a script verb could not read 'connect Carol hunter2' typed while
playing (L{engine.scripts.verbs.is_login_word}), but a chat channel named
'connect' (or 'password', or a typo of one) could: its members, its owner
among them, read every line said on it, and its history keeps them. So no
channel is called by a word of a login (L{world.words}), and a channel a
world stored before with such a name is talked on only with its '+'.
(Found by redteam, round 4.)
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene
from world import channels


class LoginWordChannelTests(TestCase):
    """
    Bob, who has read the source, makes channels named for a login and
    asks Carol to join one.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_login_word_refused(self) -> None:
        """
        No new channel is called by a login command, a word of a password
        or a typo of one, in any case: each is refused with the reason.
        """
        for name in ("connect", "Password", "login", "co", "pw", "conect", "pasword"):
            said = self.s.bob.send(f"@channel/create {name}")
            self.assertIn("login", said, name)
            self.assertNotIn("You made the channel", said, name)
        bob = self.s.thing("Bob").id
        with self.s.world.store.turn() as turn:
            self.assertEqual(channels.registry(turn.root).owned_by(bob), [])

    def test_ordinary_names_kept(self) -> None:
        """
        Channels named with ordinary words are still made ('chess', 'cook').
        """
        self.assertIn("You made the channel chess", self.s.bob.send("@channel/create chess"))
        self.assertIn("You made the channel cook", self.s.bob.send("@channel/create cook"))

    def test_stored_channel_hears_no_password(self) -> None:
        """
        A channel a world stored before with a login word for its name does
        not hear Carol's 'connect Carol hunter2', typed at the wrong
        prompt: the game answers her, and nothing reaches Bob or the
        channel's history; '+connect' still talks on it.
        """
        bob = self.s.thing("Bob").id
        with self.s.world.store.turn() as turn:
            reg = channels.registry(turn.root)
            # As a world stored before the rule kept it (no check of its name).
            made = channels.Channel(reg._next(), "connect", bob, "", 0.0)
            reg._add(made)
            channels.join(turn.root, made, bob)
        self.s.carol.send("@channel/join connect")
        self.s.read()
        said = self.s.carol.send("connect Carol hunter2")
        self.assertIn("already playing as Carol", said)
        self.assertNotIn("hunter2", self.s.bob.output())
        self.assertNotIn("hunter2", self.s.bob.send("@channel/history connect"))
        self.assertIn("[connect] Carol: deliberately", self.s.carol.send("+connect deliberately"))
