"""
A room's C{character_names} and C{character_count} read what they tell and
no more: the count loads no character, the names load at most
L{adapters.MAX_CHARACTER_NAMES} of them, however many stand there.
"""

from __future__ import annotations

from twisted.trial import unittest

from scripting.facets import adapters
from scripting.facets.adapters import facet
from scripting.facets.context import acting
from tests.facets.helpers import build
from world.objects import Character
from world.store import WorldStore

#: How many characters crowd the hall.
CROWD = 300


class RoomPeopleTests(unittest.TestCase):
    def setUp(self) -> None:
        self.store = WorldStore()
        self.addCleanup(self.store.close)
        self.w = build(self.store)
        with self.store.turn() as turn:
            hall = turn.root.get(self.w.hall.id)
            self.crowd = [turn.root.create(Character, f"Guest{'abcdefghij'[n // 30]}"
                                           f"{'abcdefghijklmnopqrstuvwxyzabcd'[n % 30]}",
                                           location=hall).id
                          for n in range(CROWD)]

    def loaded(self, turn: object) -> int:
        root = turn.root  # type: ignore[attr-defined]
        return sum(1 for i in self.crowd if root.get(i)._p_changed is not None)

    def test_count_loads_no_character(self) -> None:
        with self.store.turn() as turn, acting(self.store, self.w.bob.id):
            hall = facet(turn.root.get(self.w.hall.id), "view",
                         voice=turn.root.get(self.w.bell.id))
            turn.root._p_jar.cacheMinimize()
            self.assertEqual(hall.character_count, CROWD + 2)  # Alice and Bob too
            self.assertEqual(self.loaded(turn), 0)

    def test_names_load_at_most_their_ceiling(self) -> None:
        with self.store.turn() as turn, acting(self.store, self.w.bob.id):
            hall = facet(turn.root.get(self.w.hall.id), "view",
                         voice=turn.root.get(self.w.bell.id))
            turn.root._p_jar.cacheMinimize()
            names = hall.character_names
            self.assertEqual(len(names), adapters.MAX_CHARACTER_NAMES)
            self.assertEqual(names[-1], turn.root.get(self.crowd[-1]).name)
            self.assertLessEqual(self.loaded(turn), adapters.MAX_CHARACTER_NAMES + 1)
