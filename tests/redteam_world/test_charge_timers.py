"""
Timer data is stored like script state, so it is charged like script state:
a hostile owner cannot park data in timers beyond the storage quota (20
timers of 4 KiB each were 80 KiB more than the 64 KiB quota, never counted).
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from scripting.facets import accounting, state
from scripting.facets.timers import MAX_DATA_BYTES
from scripting.facets.timers import registry as turns_timers_registry
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
        base = self.stored()  # the hoarder's name and script
        self.s.bob.send("park hoarder")
        self.assertGreater(self.stored(), base)
        self.s.bob.send("unpark hoarder")
        self.assertEqual(self.stored(), base)
        self.assertIn("timer", self.s.bob.send("one hoarder"))
        self.assertEqual(self.stored() - base, state.measure("wake", state.encode("hello")))
        self.s.world.clock.advance(3)
        self.assertEqual(self.stored(), base)

    def test_destroying_the_host_refunds(self) -> None:
        """@destroy of a host with pending timers refunds their data."""
        self.s.bob.send("park hoarder")
        self.s.bob.send("@destroy hoarder")
        self.assertEqual(self.stored(), 0)


#: Five timers due at the same moment, each burning much of a handler's budget.
BURNER = """
def verb_arm(actor, *rest):
    for i in range(5):
        timers.after(2, "burn")
    actor.tell("armed")

def burn(data):
    n = 0
    for i in range(40000):
        n = n + 1
"""


class TimerTurnsTests(TestCase):
    """
    Timers fire one per turn of the reactor, as a session's pasted lines
    run: however many of one owner's timers fall due together, another
    player's command waits for at most one of them.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.world.server.scripts.meters.cpu_time = lambda: 0.0
        make(self.s.bob, "burner", BURNER)
        self.assertIn("armed", self.s.bob.send("arm burner"))
        self.scheduler = self.s.world.server.timers
        self.fired: list[str] = []
        runtime = self.s.world.server.scripts
        original = runtime.call

        def counted(turn, host, function, args, **kw):
            self.fired.append(function)
            return original(turn, host, function, args, **kw)

        runtime.call = counted

    def pending(self) -> int:
        with self.s.world.store.turn() as turn:
            return len(turns_timers_registry(turn.root).live)

    def test_one_timer_per_turn_of_the_reactor(self) -> None:
        """
        When five timers fall due, one reactor callback fires one of them
        and leaves the next to a new callback at once (delay 0).
        """
        clock = self.s.world.clock
        call = self.scheduler._call
        self.assertIsNotNone(call)
        due = call.getTime()
        clock.advance(due - clock.seconds() - 0.5)  # just before: nothing fired
        self.assertEqual(self.fired, [])
        call.cancel()
        self.scheduler._call = None
        clock.advance(0.5)  # now all five are due; fire as the reactor would, once
        self.scheduler.fire()
        self.assertEqual(self.fired, ["burn"])
        self.assertEqual(self.pending(), 4)
        self.assertEqual(self.scheduler._call.getTime(), clock.seconds())  # the next at once
        clock.advance(0)
        self.assertEqual(self.fired, ["burn"] * 5)
        self.assertEqual(self.pending(), 0)
