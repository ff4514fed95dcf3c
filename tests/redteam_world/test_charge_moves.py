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

import world.root
from world import containment
from world.objects import Character, Contents, Room, Thing
from world.store import WorldStore


class MoveWriteTests(TestCase):
    def open(self) -> WorldStore:
        path = os.path.join(self.mktemp(), "world.fs")
        os.makedirs(os.path.dirname(path))
        store = WorldStore(path)
        self.addCleanup(store.close)
        return store

    def written_per_walk(self, clutter: int) -> int:
        """
        The bytes one walk back and forth between two rooms writes, with
        C{clutter} things lying in each room.
        """
        store = self.open()
        with store.turn() as turn:
            root = turn.root
            rooms = [root.create(Room, name) for name in ("Hall", "Yard")]
            for room in rooms:
                for n in range(clutter):
                    root.create(Thing, f"pebble {n}", location=room)
            walker = root.create(Character, "Walker", location=rooms[0])
        storage = store.db.storage
        written = []
        for there in (rooms[1], rooms[0]) * 3:
            before = storage.getSize()
            with store.turn():
                containment.move(walker, there)
            written.append(storage.getSize() - before)
        return max(written)

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
        path = os.path.join(self.mktemp(), "world.fs")
        os.makedirs(os.path.dirname(path))
        store = WorldStore(path)
        with store.turn() as turn:
            root = turn.root
            hall = root.create(Room, "Hall")
            yard = root.create(Room, "Yard")
            for name in "cab":
                root.create(Thing, name, location=hall)
            for obj in root.all():
                obj.contents = PersistentList(obj.contents)
            root.generation = 7
            hall_id, yard_id = hall.id, yard.id
        store.close()
        self.patch(world.root, "GENERATION", 8)  # this step alone; later ones test themselves
        store = WorldStore(path)
        self.addCleanup(store.close)
        self.assertEqual(store.generation, 8)
        hall = store.root.get(hall_id)
        self.assertIsInstance(hall.contents, Contents)
        self.assertEqual([o.name for o in hall.contents], ["c", "a", "b"])
        with store.turn() as turn:
            containment.move(hall.contents[1], turn.root.get(yard_id))
            self.assertEqual([o.name for o in hall.contents], ["c", "b"])
            self.assertEqual(containment.check_invariants(turn.root.all()), [])
