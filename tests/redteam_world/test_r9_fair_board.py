# -*- test-case-name: tests.redteam_world.test_r9_fair_board -*-
"""
Issue 9, round 9: the notice board's ties cannot be used by alts.

On a full board the note of whoever had the most notes gave way, and
among ties the OLDEST: twenty accounts with one note each pushed every
honest author's note off in twenty posts. Now among ties the NEWEST note
gives way (a post contests only the latest arrival), and a note older than
a week gives way to any post (so that whoever filled the board first does
not keep it for ever): content/world/board.py argues the rule.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.testing import SimulatedClient, TestWorld
from tests.content.test_default_world import DEFAULT
from tests.content.test_scripted import walk

#: The most notes on the board, and a stale note's age (content/world/board.py).
LIMIT = 20
STALE = 7 * 24 * 3600

ALTS = ("Abel", "Bram", "Cato", "Dirk", "Egon", "Finn", "Gus", "Hal", "Ivo", "Jory", "Kit",
        "Lev", "Milo", "Nils", "Otto", "Per", "Rolf", "Stig", "Tor", "Ugo", "Vik", "Wim")


class BoardTieTests(TestCase):
    """
    Alice and Bob post; then a crowd of one-note accounts at the board.
    """

    def setUp(self) -> None:
        self.world = TestWorld(content=DEFAULT, build=None)
        self.addCleanup(self.world.close)
        self.alice = self.world.login("Alice")
        self.bob = self.world.login("Bob")
        for player in (self.alice, self.bob):
            walk(player, "north", "north")
        self.alice.send("post Lost: one terrier on board")
        self.bob.send("post Boat for hire on board")

    def alts(self, count: int) -> list[SimulatedClient]:
        made = []
        for n, name in enumerate(ALTS[:count]):
            alt = self.world.login(name, address=f"10.0.{n}.1")
            walk(alt, "north", "north")
            made.append(alt)
        return made

    def test_one_note_alts_evict_no_honest_author(self) -> None:
        """
        Twenty-two accounts with one note each, posted on a board that
        fills after eighteen: Alice's and Bob's notes stay.
        """
        for alt in self.alts(len(ALTS)):
            alt.send("post Spam on board")
        read = self.alice.send("read board")
        self.assertIn("Lost: one terrier (Alice)", read)
        self.assertIn("Boat for hire (Bob)", read)
        self.assertEqual(read.count("Spam ("), LIMIT - 2)
        self.assertIn(f"Spam ({ALTS[-1]})", read)  # the newest post is up...
        self.assertNotIn(f"Spam ({ALTS[-2]})", read)  # ...in the place of the one before

    def test_a_note_over_ones_gives_way_first(self) -> None:
        """
        On a full board, an alt's second note is the first to go when
        Carol posts, not Alice's one.
        """
        alts = self.alts(LIMIT - 2)
        for alt in alts:
            alt.send("post Spam on board")
        alts[0].send("post More spam on board")
        carol = self.world.login("Carol", address="10.9.9.9")
        walk(carol, "north", "north")
        carol.send("post Cat found on board")
        read = self.alice.send("read board")
        self.assertIn("Lost: one terrier (Alice)", read)
        self.assertIn("Cat found (Carol)", read)
        self.assertNotIn("More spam", read)
        self.assertEqual(read.count("(Abel)"), 1)

    def test_a_stale_note_gives_way(self) -> None:
        """
        A week on, the oldest note (Alice's) gives way to a new one on a
        full board; Bob's, as old, stays until the next.
        """
        for alt in self.alts(LIMIT - 2):
            alt.send("post Spam on board")
        self.world.clock.advance(STALE + 1)
        carol = self.world.login("Carol", address="10.9.9.9")
        walk(carol, "north", "north")
        carol.send("post Cat found on board")
        read = self.alice.send("read board")
        self.assertNotIn("(Alice)", read)
        self.assertIn("Boat for hire (Bob)", read)
        self.assertIn("Cat found (Carol)", read)

    def test_fresh_notes_are_not_stale(self) -> None:
        """Before the week is out, the newest tie gives way, not Alice's."""
        alts = self.alts(LIMIT - 1)
        for alt in alts[:-1]:
            alt.send("post Spam on board")
        self.world.clock.advance(STALE - 10)
        alts[-1].send("post Spam on board")
        read = self.alice.send("read board")
        self.assertIn("Lost: one terrier (Alice)", read)
        self.assertIn(f"Spam ({ALTS[LIMIT - 2]})", read)
        self.assertNotIn(f"Spam ({ALTS[LIMIT - 3]})", read)
