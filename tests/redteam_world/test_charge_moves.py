"""
A move as a hostile builder makes it expensive: a room piled with a
thousand things must not make every walk through it rewrite the whole list
of what it holds. Measured in bytes written to the database (a counter,
never a clock).
"""

from __future__ import annotations

import os

from persistent.list import PersistentList
from twisted.trial.unittest import TestCase

from bench.moves import walk
from engine.testing import upgraded
from world import containment
from world.objects import Contents, Room, Thing
from world.root import WorldRoot
from world.store import WorldStore


class MoveWriteTests(TestCase):
    def open(self) -> WorldStore:
        path = os.path.join(self.mktemp(), "world.fs")
        os.makedirs(os.path.dirname(path))
        store = WorldStore(path)
        self.addCleanup(store.close)
        return store

    def written_per_walk(self, clutter: int) -> float:
        """
        The bytes one walk between two rooms writes (a commit to a
        FileStorage: a counter, not a clock), with C{clutter} things lying
        in each room.
        """
        return walk(clutter, 6, as_list=False)[0]

    def test_a_walk_writes_as_much_beside_a_thousand_things_as_beside_ten(self) -> None:
        """
        Walking between two rooms holding a thousand things each writes
        about what it writes between rooms holding ten (the old single
        list wrote some 25 KB per room per step).
        """
        few = self.written_per_walk(10)
        many = self.written_per_walk(containment.MAX_CONTENTS - 1)
        self.assertLess(many, 2 * few + 4096, (few, many))

    def test_listings_keep_the_order_of_arrival(self) -> None:
        """
        What a place holds is listed in the order it arrived; one that
        leaves and comes back is listed last.
        """
        store = self.open()
        with store.turn() as turn:
            hall = turn.root.create(Room, "Hall")
            yard = turn.root.create(Room, "Yard")
            made = [turn.root.create(Thing, name, location=hall) for name in "abcde"]
            containment.move(made[1], yard)
            containment.move(made[1], hall)
            self.assertEqual([o.name for o in hall.contents], ["a", "c", "d", "e", "b"])
            self.assertEqual(hall.contents[0].name, "a")
            self.assertEqual(hall.contents[-1].name, "b")
            self.assertEqual(len(hall.contents), 5)
            self.assertNotIn(made[1], yard.contents)
            self.assertIn(made[1], hall.contents)
            self.assertEqual(containment.check_invariants(turn.root.all()), [])

    def test_a_world_of_generation_7_gets_contents_in_records(self) -> None:
        """
        A world that stored contents as one list is upgraded: every place
        keeps what it held, in the same order, and moves work after.
        """
        made: dict[str, int] = {}

        def old(root: WorldRoot) -> None:
            hall = root.create(Room, "Hall")
            made["yard"] = root.create(Room, "Yard").id
            made["hall"] = hall.id
            for name in "cab":
                root.create(Thing, name, location=hall)
            for obj in root.all():
                obj.contents = PersistentList(obj.contents)

        store = upgraded(self, 7, old)
        self.assertEqual(store.generation, 8)
        hall = store.root.get(made["hall"])
        self.assertIsInstance(hall.contents, Contents)
        self.assertEqual([o.name for o in hall.contents], ["c", "a", "b"])
        with store.turn() as turn:
            containment.move(hall.contents[1], turn.root.get(made["yard"]))
            self.assertEqual([o.name for o in hall.contents], ["c", "b"])
            self.assertEqual(containment.check_invariants(turn.root.all()), [])
