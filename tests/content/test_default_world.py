"""
The default world in content/world: it checks clean, loads, and is a world
worth walking around.
"""

from __future__ import annotations

import os

from twisted.trial import unittest

from scripting.facets.lifecycle import KEEPER
from world.containment import check_invariants
from world.content import read
from world.loader import check, load
from world.objects import Container, Exit, Room, Thing
from world.store import WorldStore

DEFAULT = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "content", "world")


class DefaultWorldTests(unittest.TestCase):
    """
    content/world is complete and consistent.
    """

    def setUp(self) -> None:
        self.store = WorldStore()
        self.addCleanup(self.store.close)
        self.report = load(self.store, DEFAULT, keeper=KEEPER)
        self.root = self.store.root

    def test_checks_clean(self) -> None:
        """
        C{tessera content check content/world} finds no problems.
        """
        self.assertEqual(check(DEFAULT), [])

    def test_rooms(self) -> None:
        """
        At least ten rooms, each with a description of a few sentences.
        """
        rooms = [o for o in self.root.all() if isinstance(o, Room)]
        self.assertGreaterEqual(len(rooms), 10)
        for room in rooms:
            sentences = room.description.count(". ") + room.description.count('." ') + 1
            self.assertGreaterEqual(sentences, 2, room.name)
            self.assertLess(len(room.description), 800, room.name)

    def test_exits_both_ways(self) -> None:
        """
        Every exit has a way back, none is one-way, and some go up or down.
        """
        content = read(DEFAULT)
        self.assertFalse([e.cid for e in content.exits if e.oneway])
        exits = [o for o in self.root.all() if isinstance(o, Exit)]
        for exit_ in exits:
            back = [e for e in exit_.destination.exits() if e.destination is exit_.location]
            self.assertTrue(back, f"no way back through {exit_.content_id}")
        self.assertTrue({"up", "down"} <= {e.name for e in exits})

    def test_all_reachable(self) -> None:
        """
        Every room can be walked to from the start room.
        """
        start = self.root.start_room
        self.assertIsNotNone(start)
        seen = {start.id}
        frontier = [start]
        while frontier:
            for e in frontier.pop().exits():
                if e.destination.id not in seen:
                    seen.add(e.destination.id)
                    frontier.append(e.destination)
        rooms = {o.id for o in self.root.all() if isinstance(o, Room)}
        self.assertEqual(seen, rooms)

    def test_things_worth_taking(self) -> None:
        """
        A lantern, coins, a bag to carry them in and a note worth reading lie
        somewhere in the world.
        """
        def find(cid: str) -> Thing:
            obj = self.root.by_content(cid)
            self.assertIsNotNone(obj, cid)
            self.assertIsNotNone(obj.room(), cid)
            return obj

        self.assertIn("lantern", find("lantern").names())
        coins = [o for o in self.root.all() if "coin" in o.names()]
        self.assertGreaterEqual(len(coins), 3)
        self.assertIsInstance(find("bag"), Container)
        note = find("note")
        self.assertGreater(len(note.description), 200)

    def test_invariants(self) -> None:
        """
        The loaded world keeps every containment invariant, and loading it
        again changes nothing.
        """
        self.assertEqual(check_invariants(self.root.all()), [])
        again = load(self.store, DEFAULT, keeper=KEEPER)
        self.assertEqual((again.created, again.updated), (0, 0))
        self.assertEqual(again.unchanged, self.report.created)
