"""
Tests for L{scripting.clocks}: a task's wall budget does not count the
garbage collector's pauses, which are the whole process's.
"""

from __future__ import annotations

import gc
import time
from typing import Any

from twisted.trial import unittest

from scripting import Budget, Domain
from scripting.clocks import PauseFree, pause_free


class SlowCollector:
    """
    A base clock that moves only while the collector runs, C{step} seconds
    a collection (as a full collection of a large heap does).
    """

    def __init__(self, test: unittest.TestCase, step: float) -> None:
        self.now = 0.0
        self.step = step
        self.collections = 0
        gc.callbacks.append(self._collecting)
        test.addCleanup(gc.callbacks.remove, self._collecting)

    def _collecting(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self.now += self.step
            self.collections += 1

    def __call__(self) -> float:
        return self.now


# Allocates cyclic garbage: the collector runs many times before it ends.
ALLOCATING = """
for i in range(3000):
    a = []
    a.append(a)
"""


class PauseFreeTests(unittest.TestCase):
    """
    L{PauseFree} stands still during a collection.
    """

    def clock(self, base: Any) -> PauseFree:
        clock = PauseFree(base)
        self.addCleanup(clock.close)
        return clock

    def test_collections_left_out(self) -> None:
        """
        Time the base clock spends inside a collection is not counted.
        """
        clock = self.clock(time.monotonic)
        slow = SlowCollector(self, 10.0)
        slow.now = 5.0
        clock.base = slow
        before = clock()
        gc.collect()
        self.assertGreater(slow.collections, 0)
        self.assertEqual(slow.now, 15.0)
        self.assertEqual(clock(), before)

    def test_collection_read_during_counts(self) -> None:
        """
        A collection during which the clock was read (code that checks a
        budget ran inside it, as a generator's C{finally} does when the
        collector frees it) counts in full, as it goes.
        """
        clock = self.clock(time.monotonic)
        slow = SlowCollector(self, 10.0)
        clock.base = slow
        seen = []

        def finaliser(phase: str, info: dict[str, Any]) -> None:
            if phase == "start":
                seen.append(clock())

        gc.callbacks.append(finaliser)
        self.addCleanup(gc.callbacks.remove, finaliser)
        gc.collect()
        self.assertEqual(seen, [10.0])
        self.assertEqual(clock(), 10.0)

    def test_time_outside_collections_counts(self) -> None:
        clock = self.clock(time.monotonic)
        now = [1.0]
        clock.base = lambda: now[0]
        now[0] = 4.0
        self.assertEqual(clock(), 4.0)

    def test_never_backwards(self) -> None:
        """
        A collection measured in another thread's time cannot make the
        clock go back.
        """
        clock = self.clock(time.monotonic)
        now = [10.0]
        clock.base = lambda: now[0]
        self.assertEqual(clock(), 10.0)
        clock.paused = 3.0
        self.assertEqual(clock(), 10.0)
        now[0] = 14.0
        self.assertEqual(clock(), 11.0)

    def test_closed_clock_stops_following(self) -> None:
        clock = PauseFree(time.monotonic)
        self.assertIn(clock._collecting, gc.callbacks)
        clock.close()
        self.assertNotIn(clock._collecting, gc.callbacks)
        clock.close()

    def test_one_clock_a_base(self) -> None:
        """
        L{pause_free} makes one clock for each base (one collector callback).
        """
        self.assertIs(pause_free(time.monotonic), pause_free(time.monotonic))
        callbacks = len(gc.callbacks)
        pause_free(time.monotonic)
        self.assertEqual(len(gc.callbacks), callbacks)


class TaskBudgetTests(unittest.TestCase):
    """
    A task whose only slow moments are the collector's does not run out of
    time; the same task on the base clock does (so the test can fail).
    """

    def run_allocating(self, clock: Any) -> Any:
        return Domain("gc", clock=clock).run(ALLOCATING, budget=Budget(ticks=10**6, seconds=5.0))

    def test_collections_fail_a_task_on_the_base_clock(self) -> None:
        slow = SlowCollector(self, 10.0)
        result = self.run_allocating(slow)
        self.assertEqual(result.aborted, "ran out of time")

    def test_collections_do_not_fail_a_task(self) -> None:
        clock = PauseFree(time.monotonic)  # (its callback first: it reads before the base moves)
        self.addCleanup(clock.close)
        slow = SlowCollector(self, 10.0)
        clock.base = slow
        result = self.run_allocating(clock)
        self.assertIsNone(result.aborted, result.error)
        self.assertGreater(slow.collections, 0)
