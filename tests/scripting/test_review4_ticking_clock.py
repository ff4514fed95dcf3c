"""
A L{Ticking} iterator is held to the task's clock and depth as L{Task.charge}
is (review 4): its fast path, which takes a tick straight off the task's
ticks, stops every C{REFILL} ticks to go through the charge, which reads the
clock (and probes the depth). Before, a walk charged only by a Ticking (a
comprehension or generator expression over an iterator, C{sum} of one) read
the clock only when the ticks ran out, however slowly each element came.
"""

from __future__ import annotations

from twisted.trial import unittest

from scripting.charge import Ticking
from scripting.task import REFILL, Abort, Budget, Task
from tests.scripting.test_charge_clock import Clock


class TickingClockTests(unittest.TestCase):
    def test_slow_elements_run_out_of_time(self) -> None:
        """Each element takes a second: the walk is aborted for time within
        REFILL elements past the budget, long before its ticks run out."""
        clock = Clock()
        task = Task(Budget(ticks=1_000_000, seconds=5.0), "m", clock=clock)

        def slow():
            while True:
                clock.now += 1.0
                yield 1

        walked = 0
        with task, self.assertRaises(Abort) as caught:
            for _ in Ticking(slow()):
                walked += 1
                if walked > 100_000:
                    break
        self.assertEqual(caught.exception.reason, "ran out of time")
        self.assertLessEqual(walked, 5 + REFILL + 2)

    def test_ticks_are_charged(self) -> None:
        """Within its time, the walk is charged its cost an element (and the pull
        that ends it) as before."""
        task = Task(Budget(ticks=1_000_000, seconds=5.0), "m", clock=Clock())
        with task:
            self.assertEqual(sum(Ticking(range(10_000), 3)), sum(range(10_000)))
        self.assertEqual(task.ticks_left, 1_000_000 - 3 * 10_001)
