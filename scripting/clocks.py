# -*- test-case-name: tests.scripting.test_clocks,tests.scripts.test_limits_audit -*-
"""
Clocks for tasks' wall budgets that stand still while the garbage collector runs.

A full collection of the cyclic garbage collector walks every tracked object of
the process: a tenth of a second in the test suite's process, more in a server
holding a large world in its object cache. It runs in whichever task happened to
allocate when it fell due. Counted against that task's wall budget it fails an
innocent script at random, and its failures count toward suspending it. The
collector's work is the whole process's, not the task's; and what a script
allocates is charged in ticks, so the collections a script can bring on are
bounded by its own budget. A L{PauseFree} clock leaves the collections out.

But not a collection during which the clock was read: then code that checks a
budget ran inside it (a paused generator's C{finally}, run as the collector
frees it), and the budget holds that code as any other: the time counts.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any


class PauseFree:
    """
    The time of C{base} less the time spent in garbage collection since
    this clock was made; never going backwards.

    Each clock adds one callback to C{gc.callbacks}: make one per base clock
    and process (L{pause_free}) or L{close} it.

    @ivar paused: seconds of C{base} spent collecting so far.
    """

    def __init__(self, base: Callable[[], float]) -> None:
        self.base = base
        self.paused = 0.0
        self._started: float | None = None
        self._read = False  # during the collection under way
        self._last = float("-inf")
        gc.callbacks.append(self._collecting)

    def _collecting(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = self.base()
            self._read = False
        elif self._started is not None:
            if not self._read:
                self.paused += self.base() - self._started
            self._started = None

    def __call__(self) -> float:
        # Read at every refill of a server task's countdown: plain comparisons, not
        # max(), whose call (and argument tuple) cost more than the rest together.
        if self._started is not None:
            self._read = True  # (code ran inside the collection: it counts)
        now = self.base() - self.paused
        if now > self._last:
            self._last = now
            return now
        return self._last

    def close(self) -> None:
        """
        Stop following the collector.
        """
        if self._collecting in gc.callbacks:
            gc.callbacks.remove(self._collecting)


_clocks: dict[Callable[[], float], PauseFree] = {}


def pause_free(base: Callable[[], float]) -> PauseFree:
    """
    The process's one L{PauseFree} clock over C{base} (a module-level clock
    such as C{time.monotonic}), made on first use.
    """
    clock = _clocks.get(base)
    if clock is None:
        clock = _clocks[base] = PauseFree(base)
    return clock


__all__ = ["PauseFree", "pause_free"]
