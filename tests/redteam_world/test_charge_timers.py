"""
Timer data is stored like script state, so it is charged like script state:
a hostile owner cannot park data in timers beyond the storage quota (20
timers of 4 KiB each were 80 KiB more than the 64 KiB quota, never counted).
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from scripting.facets import accounting, state
from scripting.facets.timers import MAX_DATA_BYTES
from tests.scripts.helpers import Scene, make

HOARDER = """
def verb_park(actor, *rest):
    n = 0
    for i in range(50):
        try:
            timers.after(3600, "wake", "x" * 4000)
            n = n + 1
        except Exception as err:
            actor.tell("parked %d: %s" % (n, err))
            return
    actor.tell("parked all %d" % n)

def verb_one(actor, *rest):
    actor.tell("timer %d" % timers.after(2, "wake", "hello"))

def verb_unpark(actor, *rest):
    for t in timers.pending():
        timers.cancel(t[0])
    actor.tell("dropped")

def wake(data):
    pass
"""


class TimerDataChargeTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.world.server.scripts.meters.cpu_time = lambda: 0.0
        make(self.s.bob, "hoarder", HOARDER)
        self.bob = self.s.character("Bob").id

    def stored(self) -> int:
        with self.s.world.store.turn() as turn:
            return accounting.usage(turn.root, self.bob).stored_bytes

    def test_timer_data_counts_against_the_storage_quota(self) -> None:
        """
        With the timer quota raised, timers carrying data stop at the
        stored-bytes quota (saying so); what they hold is charged.
        """
        with self.s.world.store.turn() as turn:
            accounting.set_limit(turn.root, self.bob, "timers", 1000)
        said = self.s.bob.send("park hoarder")
        self.assertIn("more bytes of storage", said)
        used = self.stored()
        self.assertLessEqual(used, accounting.DEFAULT_STORED_BYTES)
        self.assertGreater(used, accounting.DEFAULT_STORED_BYTES - MAX_DATA_BYTES)

    def test_cancel_and_firing_refund_exactly(self) -> None:
        """
        Cancelling timers refunds what their data was charged; a one-shot
        timer refunds when it has fired.
        """
        self.s.bob.send("park hoarder")
        self.assertGreater(self.stored(), 0)
        self.s.bob.send("unpark hoarder")
        self.assertEqual(self.stored(), 0)
        self.assertIn("timer", self.s.bob.send("one hoarder"))
        self.assertEqual(self.stored(), state.measure("wake", state.encode("hello")))
        self.s.world.clock.advance(3)
        self.assertEqual(self.stored(), 0)

    def test_destroying_the_host_refunds(self) -> None:
        """@destroy of a host with pending timers refunds their data."""
        self.s.bob.send("park hoarder")
        self.s.bob.send("@destroy hoarder")
        self.assertEqual(self.stored(), 0)
