"""
Ignoring a player through whole sessions (L{world.ignores}): '@ignore',
'@unignore', and what an ignored player can no longer send or show.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.testing import TestWorld


class IgnoreCase(TestCase):
    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)
        self.wizard = self.world.login("Wiz")
        self.alice = self.world.login("Alice")
        self.bob = self.world.login("Bob")
        self.dana = self.world.login("Dana")
        self.read()

    def read(self) -> None:
        for player in (self.wizard, self.alice, self.bob, self.dana):
            player.output()

    def ignoring(self, name: str) -> tuple:
        with self.world.store.turn() as turn:
            return tuple(getattr(turn.root.accounts[name], "ignoring", ()))


class IgnoreCommandTests(IgnoreCase):
    def test_ignore_list_unignore(self) -> None:
        """'@ignore bob' ignores him, '@ignore' lists him, '@unignore bob' hears him again."""
        self.assertIn("You ignore nobody.", self.alice.send("@ignore"))
        self.assertIn("You now ignore Bob", self.alice.send("@ignore bob"))
        self.assertIn("You ignore Bob already", self.alice.send("@ignore Bob"))
        self.assertIn("You ignore Bob (1 of at most 200)", self.alice.send("@ignore"))
        self.assertIn("You no longer ignore Bob.", self.alice.send("@unignore bob"))
        self.assertIn("You do not ignore Bob.", self.alice.send("@unignore bob"))
        self.assertEqual(self.ignoring("alice"), ())

    def test_whole_names_only(self) -> None:
        """A name that only starts like a player's ignores nobody, and asks."""
        said = self.alice.send("@ignore bo")
        self.assertIn("There is no player called 'bo'; nobody was ignored.", said)
        self.assertIn("Bob", said)
        self.assertEqual(self.ignoring("alice"), ())

    def test_not_oneself_nor_a_wizard(self) -> None:
        """Nobody ignores themselves, and wizards cannot be ignored."""
        self.assertIn("You cannot ignore yourself.", self.alice.send("@ignore alice"))
        self.assertIn("wizards cannot be ignored", self.alice.send("@ignore wiz"))
        self.assertEqual(self.ignoring("alice"), ())

    def test_help_topic(self) -> None:
        """'help @ignore' explains it, and 'help' lists it with talking."""
        self.assertIn("Stop hearing from a player", self.alice.send("help @ignore"))
        self.assertIn("@unignore", self.alice.send("help"))

    def test_lasts_across_logins(self) -> None:
        """What she ignores is kept with her account: hidden after she logs in again."""
        self.alice.send("@ignore bob")
        self.alice.disconnect()
        alice = self.world.login("Alice")
        alice.output()
        self.bob.send("say still here")
        self.assertNotIn("still here", alice.output())
        self.assertIn('Bob says, "still here"', self.dana.output())


class RefusedTests(IgnoreCase):
    def setUp(self) -> None:
        super().setUp()
        self.alice.send("@ignore bob")
        self.read()

    def test_page_refused(self) -> None:
        """Bob's page is refused, saying only that she does not accept it; she sees nothing."""
        said = self.bob.send("page alice = hello")
        self.assertIn("Alice is not accepting pages from you; nothing was sent.", said)
        self.assertNotIn("hello", self.alice.output())
        self.assertIn("You page Alice: hi", self.dana.send("page alice = hi"))
        self.assertIn("Dana pages: hi", self.alice.output())

    def test_whisper_refused(self) -> None:
        """Bob's whisper to her is refused; bystanders see no whisper either."""
        said = self.bob.send("whisper alice = psst")
        self.assertIn("Alice is not accepting whispers from you", said)
        self.assertNotIn("psst", self.alice.output())
        self.assertNotIn("whispers", self.dana.output())

    def test_give_refused(self) -> None:
        """What Bob hands her stays with him."""
        self.bob.send("@create pebble")
        self.bob.output()
        said = self.bob.send("give pebble to alice")
        self.assertIn("Alice is not accepting things from you; you still have the pebble.",
                      said)
        self.assertIn("pebble", self.bob.send("inventory"))
        self.assertNotIn("pebble", self.alice.send("inventory"))
        self.assertNotIn("pebble", self.alice.output())

    def test_mail_refused(self) -> None:
        """Bob's mail is refused before he writes it, and as one of several recipients."""
        said = self.bob.send("@mail alice = Hi/there")
        self.assertIn("Alice is not accepting mail from you; nothing was sent.", said)
        said = self.bob.send("@mail dana alice = Hi/there")
        self.assertIn("Alice is not accepting mail from you", said)
        self.assertIn("You have no mail.", self.alice.send("@mail"))
        self.assertIn("You have no mail.", self.dana.send("@mail"))

    def test_wizards_are_never_refused(self) -> None:
        """
        A wizard's page and say reach her, though she ignored him before he
        was made a wizard (a wizard cannot be ignored).
        """
        with self.world.store.turn() as turn:
            account = turn.root.accounts["alice"]
            account.ignoring = (*account.ignoring, turn.root.accounts["wiz"].character_id)
        self.alice.disconnect()
        alice = self.world.login("Alice")
        alice.output()
        self.assertIn("You page Alice", self.wizard.send("page alice = a notice"))
        self.wizard.send("say hear me")
        heard = alice.output()
        self.assertIn("Wiz pages: a notice", heard)
        self.assertIn('Wiz says, "hear me"', heard)
        self.bob.send("say and not me")
        self.assertNotIn("and not me", alice.output())

    def test_unignore_hears_again(self) -> None:
        """Once she unignores him, his pages and says reach her."""
        self.alice.send("@unignore bob")
        self.alice.output()
        self.bob.send("page alice = back")
        self.bob.send("say hello")
        out = self.alice.output()
        self.assertIn("Bob pages: back", out)
        self.assertIn('Bob says, "hello"', out)


class HiddenTests(IgnoreCase):
    def setUp(self) -> None:
        super().setUp()
        self.alice.send("@ignore bob")
        self.read()

    def test_say_and_emote_hidden_for_her_only(self) -> None:
        """His says and emotes are hidden from her; others here see them."""
        self.bob.send("say you again")
        self.bob.send(":waves at Alice.")
        out = self.alice.output()
        self.assertNotIn("you again", out)
        self.assertNotIn("waves", out)
        seen = self.dana.output()
        self.assertIn('Bob says, "you again"', seen)
        self.assertIn("Bob waves at Alice.", seen)

    def test_channel_lines_hidden(self) -> None:
        """His lines on a channel are hidden from her; others on it read them."""
        self.bob.send("pub spam")
        self.assertNotIn("spam", self.alice.output())
        self.assertIn("[pub] Bob: spam", self.dana.output())

    def test_she_still_sees_him_come_and_go(self) -> None:
        """She still sees him act: what he takes and drops, so she knows he is here."""
        self.bob.send("@create brick")
        self.bob.send("drop brick")
        self.assertIn("Bob drops", self.alice.output())

    def test_game_notices_are_shown(self) -> None:
        """A notice of the game is never hidden by ignoring (a role change by a wizard)."""
        self.wizard.send("@role alice = builder")
        self.assertIn("made you a builder", self.alice.output())
