# -*- test-case-name: tests.redteam_world.test_r6_rt_channel_names -*-
"""
A player's channel cannot pass for the staff's or the game's. No thing,
room or account may be called by a word that speaks for the game
(L{world.names.AUTHORITY}: 'system', 'staff', 'admin', 'wizards', the
game's own name...), but any player could make a channel so named, and
every line said on it starts with that word: "[system] Carol: The server
restarts in five minutes; type @password to keep your character", and
players who joined 'staff' for help told its owner what they would tell
the staff. Now only a wizard makes a channel called by such a word.
(Found by redteam, round 6.)
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene
from world import channels
from world.names import AUTHORITY


class AuthorityChannelTests(TestCase):
    """
    Carol, a player, and Alice, made a wizard.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_player_refused(self) -> None:
        """
        Carol cannot make a channel called by any word of the game's
        authority, in any case; she may make 'chess'.
        """
        for word in sorted(AUTHORITY):
            if not channels.NAME.match(word):
                continue
            self.s.world.clock.advance(1)
            said = self.s.carol.send(f"@channel/create {word.capitalize()}")
            self.assertNotIn("You made the channel", said, word)
            self.assertIn("speaks for the game", " ".join(said.split()), word)
        for word in ("admins", "Systems", "staffs"):
            self.s.world.clock.advance(1)
            self.assertIn("speaks for the game", self.s.carol.send(f"@channel/create {word}"))
        self.s.world.clock.advance(1)
        self.assertIn("You made the channel chess", self.s.carol.send("@channel/create chess"))

    def test_wizard_may(self) -> None:
        """
        A wizard makes the channel staff.
        """
        self.s.world.set_role("Alice", "wizard")
        self.assertIn("You made the channel staff", self.s.alice.send("@channel/create staff"))
