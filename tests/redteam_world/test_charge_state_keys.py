"""
Each key of a thing's script state writes more than its text and its
value's: its entry in both of the state's trees (the key again, with its
size), the pickles' codes, its share of the trees' bucket records. Its
owner pays for that with each key (L{scripting.facets.state.KEY_BYTES},
and the key's length twice again), or an attacker storing many tiny values
would write about 45 bytes apiece while charged 3.
"""

from __future__ import annotations

import os
import time

from twisted.trial.unittest import TestCase

from engine.testing import TestWorld
from scripting.facets import accounting, state
from tests.scripts.helpers import Scene, make
from world.store import WorldStore
from world.values import charged_size

MANY = """
def verb_fill(actor, dobj, prep, iobj, dobjstr, iobjstr):
    first, count, width = [int(word) for word in iobjstr.split()]
    for n in range(first, first + count):
        state.set(str(n).zfill(width), 1)
    actor.tell("filled")
"""

#: How many keys each fill stores.
KEYS = 100


class StateKeyChargeTests(TestCase):
    def setUp(self) -> None:
        path = os.path.join(self.mktemp(), "world.fs")
        os.makedirs(os.path.dirname(path))
        self.s = Scene(TestWorld(store=WorldStore(path)))
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "hoard", MANY)
        self.bob_id = self.s.character("Bob").id
        with self.s.world.store.turn() as turn:
            accounting.set_limit(turn.root, self.bob_id, "storage", 10 ** 6)

    def stored(self) -> int:
        with self.s.world.store.turn() as turn:
            return accounting.usage(turn.root, self.bob_id).stored_bytes

    def kept(self) -> int:
        """
        The database's size once packed: what stays written, without the
        turns' own records.
        """
        db = self.s.world.store.db
        db.pack(time.time() + 3600)  # (ZODB stamps transactions with real time)
        return db.getSize()

    def fill(self, first: int, width: int) -> tuple[int, int]:
        """
        Store KEYS keys of C{width} digits from C{first}, each holding 1:
        what the database keeps for them, and what Bob is charged.
        """
        before, charged = self.kept(), self.stored()
        self.s.world.clock.advance(1)
        self.assertIn("filled", self.s.bob.send(f"fill hoard with {first} {KEYS} {width}"))
        return self.kept() - before, self.stored() - charged

    def test_keys_pay_for_what_they_write(self) -> None:
        """
        Short keys and the longest, a hundred at a time on a state that has
        its records already, are charged at least what the database keeps
        for them, and not more than twice that.
        """
        self.fill(0, 1)  # the state's own records, and its first keys
        for first, width in ((KEYS, 4), (2 * KEYS, 4), (0, 16), (KEYS, 32), (0, 64)):
            written, cost = self.fill(first, width)
            self.assertGreaterEqual(cost, written, (first, width))
            self.assertLessEqual(cost, 2 * written, (first, width))

    def test_charged_per_key(self) -> None:
        """
        A key is charged its bytes three times, its value's charged size,
        and KEY_BYTES;
        deleting the hoard's state refunds them all.
        """
        start = self.stored()
        self.s.bob.send("fill hoard with 0 1 4")
        self.assertEqual(self.stored() - start,
                         state.RECORD_BYTES + 3 * 4 + charged_size(1) + state.KEY_BYTES)
        self.s.bob.send("@destroy hoard")
        self.assertLess(self.stored(), start)
