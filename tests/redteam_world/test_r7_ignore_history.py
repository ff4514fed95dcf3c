# -*- test-case-name: tests.redteam_world.test_r7_ignore_history -*-
"""
Issue 9: a channel's history keeps who said each line, so that a player
reading it ('@channel/history') is not shown the lines of a player she
ignores (said before or after she ignored him, in person or by his
scripts), while others read them all. A history a world stored before it
kept who spoke still loads, is read and is talked on.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.testing import TestWorld
from tests.scripts.helpers import make
from world import channels


class FourPlayers(TestCase):
    """
    A wizard, Bob (a builder), Carol and Dana, logged in, their output read.
    """

    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)
        self.wizard = self.world.login("Wiz", role="wizard")
        self.bob = self.world.login("Bob", role="builder")
        self.carol = self.world.login("Carol")
        self.dana = self.world.login("Dana")
        self.read()

    def read(self) -> None:
        for player in (self.wizard, self.bob, self.carol, self.dana):
            player.output()


class IgnoredHistoryTests(FourPlayers):

    def test_lines_said_before_she_ignored_him(self) -> None:
        """His old lines on pub are not in the history she reads; Dana's are, and Dana reads all."""
        self.bob.send("pub old spam")
        self.dana.send("pub hello all")
        self.carol.send("@ignore bob")
        self.read()
        shown = self.carol.send("@channel/history pub")
        self.assertNotIn("old spam", shown)
        self.assertIn("[pub] Dana: hello all", shown)
        self.assertIn("The last 1 line(s) on pub", shown)
        seen = self.dana.send("@channel/history pub")
        self.assertIn("[pub] Bob: old spam", seen)
        self.assertIn("The last 2 line(s) on pub", seen)

    def test_lines_said_after(self) -> None:
        """What he says once she ignores him is hidden now and in the history."""
        self.carol.send("@ignore bob")
        self.bob.send("pub :sneers.")
        self.assertNotIn("sneers", self.carol.output())
        self.assertNotIn("sneers", self.carol.send("@channel/history pub"))
        self.assertIn("Nothing has been said on pub yet.", self.carol.send("@channel/history pub"))
        self.assertIn("[pub] Bob sneers.", self.dana.send("@channel/history pub"))

    def test_count_counts_shown_lines(self) -> None:
        """'@channel/history pub 2' shows the last two lines she may read, his skipped."""
        for n in range(3):
            self.dana.send(f"pub dana {n}")
            self.bob.send(f"pub bob {n}")
        self.carol.send("@ignore bob")
        shown = self.carol.send("@channel/history pub 2")
        self.assertIn("dana 1", shown)
        self.assertIn("dana 2", shown)
        self.assertNotIn("dana 0", shown)
        self.assertNotIn("bob", shown)

    def test_unignored_shows_them_again(self) -> None:
        """Once she unignores him, his lines are in the history she reads again."""
        self.bob.send("pub back again")
        self.carol.send("@ignore bob")
        self.carol.send("@unignore bob")
        self.assertIn("[pub] Bob: back again", self.carol.send("@channel/history pub"))

    def test_his_scripts_lines(self) -> None:
        """A line Bob's gremlin said on his channel is not in the history she reads."""
        self.bob.send("@channel/create chess")
        for player in (self.carol, self.dana):
            player.send("@channel/join chess")
        make(self.bob, "gremlin", "def verb_squeak(actor, *rest):\n"
                                  "    grants['chess'].say('squeak')\n")
        self.assertIn("Granted", self.bob.send("@grant gremlin.chess = channel chess"))
        self.dana.send("squeak gremlin")
        self.dana.send("chess dana here")
        self.carol.send("@ignore bob")
        shown = self.carol.send("@channel/history chess")
        self.assertNotIn("squeak", shown)
        self.assertIn("[chess] Dana: dana here", shown)
        self.assertIn("[Bob's gremlin] [chess] gremlin: squeak",
                      self.dana.send("@channel/history chess"))

    def test_a_wizard_is_never_hidden(self) -> None:
        """She ignored Bob, then he was made a wizard: his lines are in her history again."""
        self.bob.send("pub a notice")
        self.carol.send("@ignore bob")
        self.assertNotIn("a notice", self.carol.send("@channel/history pub"))
        self.wizard.send("@role bob = wizard")
        self.assertIn("[pub] Bob: a notice", self.carol.send("@channel/history pub"))


class StoredHistoryTests(TestCase):
    """
    A channel's history stored before it kept who spoke: each line
    C{(when, text, origin)}.
    """

    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)
        self.carol = self.world.login("Carol")
        self.dana = self.world.login("Dana")
        self.carol.send("@ignore dana")
        with self.world.store.turn() as turn:
            pub = channels.find(turn.root, "pub")
            for n in range(3):
                pub.history[pub.next_line] = (float(n), f"[pub] Old: line {n}", None)
                pub.next_line += 1
            pub.history_bytes = None  # (as a world stored before it was counted)
        self.carol.output()
        self.dana.output()

    def test_old_lines_read(self) -> None:
        """The old lines are read as ever, by whoever is on the channel."""
        shown = self.carol.send("@channel/history pub")
        for n in range(3):
            self.assertIn(f"[pub] Old: line {n}", shown)
        with self.world.store.turn() as turn:
            self.assertEqual(channels.recent(channels.find(turn.root, "pub"), 2),
                             [(1.0, "[pub] Old: line 1"), (2.0, "[pub] Old: line 2")])

    def test_talked_on_after(self) -> None:
        """
        Talking on it keeps the old lines beside the new, counts them, and
        drops them first; the new lines know who said them.
        """
        self.dana.send("pub new line")
        shown = self.carol.send("@channel/history pub")
        self.assertIn("[pub] Old: line 2", shown)
        self.assertNotIn("new line", shown)
        with self.world.store.turn() as turn:
            pub = channels.find(turn.root, "pub")
            self.assertEqual(pub.history_bytes, sum(
                channels.line_size(said, origin) for _, said, origin, *_ in pub.history.values()))
            for n in range(channels.HISTORY):
                channels.post(turn, pub, f"[pub] Eve: {n}", 9.0, (), talker="Eve")
            self.assertEqual(len(pub.history), channels.HISTORY)
            self.assertNotIn("Old", " ".join(said for _, said in channels.recent(pub, 100)))
