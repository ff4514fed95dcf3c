"""
The wall-clock budget holds in trusted code too: L{Task.charge} reads the
clock every L{scripting.task.REFILL} ticks charged, as a module's countdown
does when it refills. Before, only the refill read it, so a loop in trusted
code that charged a tick a step for work C did slowly (a red-team review
found such a loop: 8 MB strings compared in an iterator's membership test,
14 s for 22,000 ticks against a 1 s budget) ran past the time budget until
its ticks ran out.
"""

from __future__ import annotations

from twisted.trial import unittest

from scripting.task import REFILL, Abort, Budget, Task


class Clock:
    """A task's clock that moves only when a test moves it."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class ChargeClockTests(unittest.TestCase):
    def test_charge_reads_the_clock(self) -> None:
        """
        Small charges, each taking a second of the clock: the task is
        aborted for time within REFILL ticks, long before its ticks run out.
        """
        clock = Clock()
        task = Task(Budget(ticks=1_000_000, seconds=5.0), "m", clock=clock)
        charged = 0
        with task, self.assertRaises(Abort) as caught:
            while charged < 100_000:
                task.charge(1)
                charged += 1
                clock.now += 1.0
        self.assertEqual(caught.exception.reason, "ran out of time")
        self.assertLessEqual(charged, 5 + REFILL + 1)

    def test_charge_within_time(self) -> None:
        """
        Charges within the time budget are only charged.
        """
        clock = Clock()
        task = Task(Budget(ticks=1_000_000, seconds=5.0), "m", clock=clock)
        with task:
            for _ in range(10_000):
                task.charge(7)
                clock.now += 0.0001
        self.assertEqual(task.ticks_left, 1_000_000 - 70_000)
        self.assertIsNone(task.aborted)

    def test_one_large_charge_reads_it(self) -> None:
        """
        One charge of more than REFILL ticks reads the clock at once.
        """
        clock = Clock()
        task = Task(Budget(ticks=1_000_000, seconds=5.0), "m", clock=clock)
        with task, self.assertRaises(Abort) as caught:
            clock.now = 6.0
            task.charge(REFILL + 1)
        self.assertEqual(caught.exception.reason, "ran out of time")
