"""
A thing's script state is records of its own in the database, written
with its first value: its owner pays for them then, and is refunded when
the state is emptied or the thing destroyed. Else an attacker with many
things, each storing one tiny value, would write hundreds of bytes apiece
while charged a few.
"""

from __future__ import annotations

from scripting.facets import accounting, state
from tests.redteam_world.charging import WrittenCase
from tests.scripts.helpers import make
from world.values import charged_size

TINY = """
def verb_warm(actor, *rest):
    state.set("w", 1)
    actor.tell("warm")

def verb_cool(actor, *rest):
    state.delete("w")
    actor.tell("cool")
"""

#: How many things the attacker stores one tiny value on.
THINGS = 6


class StateRecordChargeTests(WrittenCase):
    timeless = False

    def setUp(self) -> None:
        super().setUp()
        for n in range(THINGS):
            make(self.s.bob, f"ant{n}", TINY)

    def warm(self, n: int) -> None:
        """
        Have the C{n}th ant store its tiny value.
        """
        self.assertIn("warm", self.s.bob.send(f"warm ant{n}"))
        self.s.world.clock.advance(1)

    def test_first_value_pays_for_the_record(self) -> None:
        """
        Each thing's first tiny value is charged at least what the database
        keeps for it, and not more than twice that.
        """
        for n in range(THINGS):
            written, cost = self.written(self.warm, n)
            self.assertPaysFor(cost, written, n)

    def test_refunded_when_emptied_or_destroyed(self) -> None:
        """
        Deleting the last value, or destroying the thing, refunds the
        record with the values: Bob is back where he started, and storing
        again charges it again.
        """
        start = self.stored()
        self.s.bob.send("warm ant0")
        charged = self.stored() - start
        self.assertGreater(charged, state.RECORD_BYTES)
        self.assertIn("cool", self.s.bob.send("cool ant0"))
        self.assertEqual(self.stored(), start)
        self.s.bob.send("warm ant0")
        self.assertEqual(self.stored() - start, charged)
        # ant1 is a twin of ant0 that stored nothing: destroying ant0 also
        # refunds all its state charged.
        before = self.stored()
        self.s.bob.send("@destroy ant1")
        plain = before - self.stored()
        self.s.bob.send("@destroy ant0")
        self.assertEqual(before - plain - self.stored(), plain + charged)

    def test_refused_when_the_record_does_not_fit(self) -> None:
        """
        An owner with room for the value but not for its record stores
        nothing, and is told why.
        """
        with self.s.world.store.turn() as turn:
            used = accounting.usage(turn.root, self.bob_id).stored_bytes
            accounting.set_limit(turn.root, self.bob_id, "storage", used + 100)
        said = self.s.bob.send("warm ant0")
        self.assertIn("QuotaExceeded", said)
        needs = state.RECORD_BYTES + 3 * len("w") + charged_size(1) + state.KEY_BYTES
        self.assertIn(f"needs {needs} more bytes", said)
        with self.s.world.store.turn() as turn:
            host = next(o for o in turn.root.all() if o.name == "ant0")
            self.assertEqual(state.keys(turn.root, host), ())
            self.assertIsNone(state.host_state(turn.root, host))
