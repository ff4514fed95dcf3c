"""
Each key of a thing's script state writes more than its text and its
value's: its entry in both of the state's trees (the key again, with its
size), the pickles' codes, its share of the trees' bucket records. Its
owner pays for that with each key (L{scripting.facets.state.KEY_BYTES},
and the key's length twice again), or an attacker storing many tiny values
would write about 45 bytes apiece while charged 3.
"""

from __future__ import annotations

from scripting.facets import accounting, state
from tests.redteam_world.charging import WrittenCase
from tests.scripts.helpers import make
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


class StateKeyChargeTests(WrittenCase):
    timeless = False

    def setUp(self) -> None:
        super().setUp()
        make(self.s.bob, "hoard", MANY)
        with self.s.world.store.turn() as turn:
            accounting.set_limit(turn.root, self.bob_id, "storage", 10 ** 6)

    def fill(self, first: int, width: int) -> tuple[int, int]:
        """
        Store KEYS keys of C{width} digits from C{first}, each holding 1:
        what the database keeps for them, and what Bob is charged.
        """
        return self.written(self.told, f"fill hoard with {first} {KEYS} {width}", "filled")

    def test_keys_pay_for_what_they_write(self) -> None:
        """
        Short keys and the longest, a hundred at a time on a state that has
        its records already, are charged at least what the database keeps
        for them, and not more than twice that.
        """
        self.fill(0, 1)  # the state's own records, and its first keys
        for first, width in ((KEYS, 4), (2 * KEYS, 4), (0, 16), (KEYS, 32), (0, 64)):
            written, cost = self.fill(first, width)
            self.assertPaysFor(cost, written, (first, width))

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
