# -*- test-case-name: tests.redteam_world.test_r9_relay_board -*-
"""
Issue 9 (consent, round 9): the notice board does not read out the notes
of a player she ignores.

Carol ignores Bob. Before, 'read board' read his notes to her like anyone's:
the board is the world's, and what it tells is the game's. Now the board
tells each note as said by its author (C{said_by}): a note of his is left
out for her (the others keep their numbers), also after he revoked what the
board holds of him, and read to her once he is a wizard.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.testing import TestWorld
from tests.content.test_default_world import DEFAULT
from tests.content.test_scripted import walk


class IgnoredNotesTests(TestCase):
    """
    Bob, Carol and Dana at the notice board on the High Street; each has
    pinned a note, and Carol ignores Bob.
    """

    def setUp(self) -> None:
        self.world = TestWorld(content=DEFAULT, build=None)
        self.addCleanup(self.world.close)
        self.world.login("Wiz")  # (the first account is a wizard)
        self.bob = self.world.login("Bob")
        self.carol = self.world.login("Carol")
        self.dana = self.world.login("Dana")
        for player in (self.bob, self.carol, self.dana):
            walk(player, "north", "north")
        self.bob.send("post Carol smells of fish on board")
        self.dana.send("post Lost: one terrier on board")
        self.assertIn("You now ignore Bob", self.carol.send("@ignore bob"))
        self.read()

    def read(self) -> None:
        for player in (self.bob, self.carol, self.dana):
            player.output()

    def test_his_note_left_out(self) -> None:
        """She reads Dana's note, numbered as ever, and not his; Dana reads both."""
        read = self.carol.send("read board")
        self.assertNotIn("fish", read)
        self.assertIn("2. Lost: one terrier (Dana)", read)
        read = self.dana.send("read board")
        self.assertIn("1. Carol smells of fish (Bob)", read)
        self.assertIn("2. Lost: one terrier (Dana)", read)

    def test_after_he_revoked(self) -> None:
        """He revokes what the board holds of him, and a later note is pinned: still left out."""
        self.assertIn("board", self.bob.send("@holders"))
        self.bob.send("@holders/revoke all")
        self.dana.send("post Found: one terrier on board")
        self.read()
        read = self.carol.send("read board")
        self.assertNotIn("fish", read)
        self.assertIn("Found: one terrier (Dana)", read)
        self.assertIn("1. Carol smells of fish (Bob)", self.dana.send("read board"))
        self.assertIn("No one else's script holds anything of you", self.bob.send("@holders"))
        # (his own words he still takes down, by the name he posted them under)
        self.assertIn("not your note", self.dana.send("remove 1 from board"))
        self.assertIn("takes it down", self.bob.send("remove 1 from board"))

    def test_a_wizard(self) -> None:
        """Once he is a wizard (who cannot be ignored), his note is read to her."""
        self.world.set_role("bob", "wizard")
        self.assertIn("1. Carol smells of fish (Bob)", self.carol.send("read board"))
