"""
Fan-out is shared fairly between owners: one owner parking many cheap
listeners in a room cannot silence another owner's scripts there.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.scripts.fanout import MAX_HANDLERS, fair
from tests.scripts.helpers import Scene, make

LISTENER = """
def on_hear(actor, text):
    state.set("heard", state.get("heard", 0) + 1)
"""


class FairFanOutTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.world.server.scripts.meters.cpu_time = lambda: 0.0

    def heard(self, name: str) -> int:
        from scripting.facets import state

        thing = self.s.thing(name)
        with self.s.world.store.turn() as turn:
            return state.get_value(turn.root, thing, "heard", 0)

    def test_parked_listeners_do_not_silence_another_owner(self) -> None:
        """
        Bob parks twice MAX_HANDLERS listeners in the square before Alice
        drops her one; when Carol speaks, Alice's still hears, and Bob's
        take no more than the rest of the places.
        """
        for i in range(2 * MAX_HANDLERS):
            self.s.world.clock.advance(1)  # within the command rate
            make(self.s.bob, f"ear{i}", LISTENER)
        make(self.s.alice, "trumpet", LISTENER)
        self.s.carol.send("say hello")
        self.assertEqual(self.heard("trumpet"), 1)
        bobs = sum(self.heard(f"ear{i}") for i in range(2 * MAX_HANDLERS))
        self.assertEqual(bobs, MAX_HANDLERS - 1)

    def test_fair_order(self) -> None:
        """
        fair() takes each owner's first, then each owner's second, ...,
        and keeps the objects in the order given.
        """
        from types import SimpleNamespace

        things = [SimpleNamespace(owner=o, n=n) for n, o in enumerate([1, 1, 1, 1, 2, 3, 1, 2])]
        self.assertEqual([t.n for t in fair(things, 4)], [0, 1, 4, 5])
        self.assertEqual([t.n for t in fair(things, 6)], [0, 1, 2, 4, 5, 7])
        self.assertEqual(len(fair(things, 100)), 8)
