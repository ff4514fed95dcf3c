# -*- test-case-name: tests.redteam_world.test_r7_attack_board -*-
"""
The default world's notice board is shared fairly (issue 9, round 7).

The board keeps its newest 20 notes: Mallory posted twenty, and every other
player's note was gone, though only a note's author may take it down. Now
each player keeps at most a few notes there (L{PER_POSTER}): a new one past
those takes down that player's own oldest, never anyone else's.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.testing import TestWorld
from scripting.facets import holds
from tests.content.test_default_world import DEFAULT
from tests.content.test_scripted import walk

#: The most notes one player keeps on the board (content/world/board.py).
PER_POSTER = 3


class BoardFloodTests(TestCase):
    """
    Alice and Mallory at the notice board on the High Street.
    """

    def setUp(self) -> None:
        self.world = TestWorld(content=DEFAULT, build=None)
        self.addCleanup(self.world.close)
        self.alice = self.world.login("Alice")
        self.mallory = self.world.login("Mallory")
        walk(self.alice, "north", "north")
        walk(self.mallory, "north", "north")
        self.alice.output()

    def test_flood_keeps_her_note(self) -> None:
        """
        Twenty notes of Mallory's leave Alice's note on the board.
        """
        self.alice.send("post Lost: one terrier on board")
        for n in range(20):
            self.mallory.send(f"post Spam {n} on board")
        read = self.alice.send("read board")
        self.assertIn("Lost: one terrier (Alice)", read)
        self.assertEqual(read.count("(Mallory)"), PER_POSTER)
        self.assertIn(f"Spam {19}", read)
        self.assertNotIn("Spam 0 ", read)

    def test_her_own_oldest_goes(self) -> None:
        """
        Past her few, Alice's own oldest note is taken down for her new one.
        """
        for n in range(PER_POSTER + 1):
            self.alice.send(f"post Note {n} on board")
        read = self.alice.send("read board")
        self.assertNotIn("Note 0 (Alice)", read)
        self.assertIn(f"Note {PER_POSTER} (Alice)", read)
        self.assertEqual(read.count("(Alice)"), PER_POSTER)

    def test_alts_give_way_first(self) -> None:
        """
        On a board full of six accounts' three notes each, besides Alice's
        and Bob's, a seventh account's note takes down one of theirs.
        """
        bob = self.world.login("Bob")
        walk(bob, "north", "north")
        self.alice.send("post Lost: one terrier on board")
        bob.send("post Boat for hire on board")
        alts = [self.mallory] + [self.world.login(name, address=f"10.0.0.{n}")
                                 for n, name in enumerate(("Ned", "Olaf", "Pia", "Quin",
                                                           "Rhea", "Sam"))]
        for alt in alts[1:]:
            walk(alt, "north", "north")
        for alt in alts[:6]:
            for n in range(PER_POSTER):
                alt.send(f"post Spam {n} on board")
        alts[6].send("post More spam on board")
        read = self.alice.send("read board")
        self.assertIn("Lost: one terrier (Alice)", read)
        self.assertIn("Boat for hire (Bob)", read)
        self.assertIn("More spam (Sam)", read)
        # (round 9: among ties the newest note gives way, Sam's post takes
        # the latest arrival's place, not Mallory's first note)
        self.assertEqual(read.count("(Mallory)"), PER_POSTER)
        self.assertEqual(read.count("(Rhea)"), PER_POSTER - 1)

    def test_revoking_dodges_nothing(self) -> None:
        """
        Mallory revoking what the board holds of him after every three
        notes (his notes then name nobody it can recognise) does not push
        Alice's note off: notes of authors it no longer knows give way
        first.
        """
        self.alice.send("post Lost: one terrier on board")
        for round in range(7):
            for n in range(PER_POSTER):
                self.mallory.send(f"post Spam {round}.{n} on board")
            self.mallory.send("@holders/revoke all")
        read = self.alice.send("read board")
        self.assertIn("Lost: one terrier (Alice)", read)
        self.assertIn("Spam 6.2 (Mallory)", read)

    def test_a_revocation_breaks_nothing(self) -> None:
        """
        After Mallory revoked what the board holds of him, Alice still
        posts and takes down her notes (a dead facet could not be stored
        again, so every post and removal failed for everyone), and his note
        stays, under his name.
        """
        self.mallory.send("post Spam on board")
        self.mallory.send("@holders/revoke all")
        self.assertIn("pins up a note", self.alice.send("post Lost: one terrier on board"))
        read = self.alice.send("read board")
        self.assertIn("1. Spam (Mallory)", read)
        self.assertIn("2. Lost: one terrier (Alice)", read)
        self.assertIn("takes it down", self.alice.send("remove 2 from board"))
        self.assertIn("not your note", self.alice.send("remove 1 from board"))

    def test_revoker_takes_her_own_note_down(self) -> None:
        """
        Mallory, having revoked what the board holds of him, still takes
        his own note down (by the name it was posted under); nobody else
        takes it down.
        """
        self.mallory.send("post Spam on board")
        self.mallory.send("@holders/revoke all")
        self.assertIn("not your note", self.alice.send("remove 1 from board"))
        self.assertIn("takes it down", self.mallory.send("remove 1 from board"))
        self.assertIn("bare", self.alice.send("read board"))

    def drop_the_boards_holds(self) -> None:
        """
        The world's scripts give up their holds (of anyone, oldest first),
        as they do when crowds pass, until none is left: the board's facets
        of its authors die.
        """
        with self.world.store.turn() as turn:
            while holds.give_up_oldest(turn.root, None) is not None:
                pass

    def test_author_the_crowd_dropped_takes_her_note_down(self) -> None:
        """
        Alice's facet given up by the world for newer visitors, she still
        takes her note down; Mallory cannot.
        """
        self.alice.send("post Lost: one terrier on board")
        self.mallory.send("post Spam on board")
        self.drop_the_boards_holds()
        self.assertIn("not your note", self.mallory.send("remove 1 from board"))
        self.assertIn("takes it down", self.alice.send("remove 1 from board"))
        read = self.alice.send("read board")
        self.assertNotIn("terrier", read)
        self.assertIn("1. Spam (Mallory)", read)
