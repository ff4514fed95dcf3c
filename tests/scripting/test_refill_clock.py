"""A refill reads the task's clock once every C{CLOCK_TICKS} ticks the task spends, not at
every refill (issue 11 §3): a module of one-tick functions refills every C{REFILL} ticks,
and the server's clock (L{scripting.clocks.PauseFree}) is a Python call. The wall budget
still stops a task within C{CLOCK_TICKS} ticks (and one grant) of its deadline, and a
trusted charge still reads the clock within C{REFILL} ticks of the last read."""

from __future__ import annotations

from twisted.trial import unittest

from scripting import Budget, Domain
from scripting.task import CLOCK_TICKS, REFILL, STATE, Task

CALLS = "def step(x):\n    return x + 1\ny = 0\nfor i in range(20000):\n    y = step(y)\n" \
        "result = y\n"


class TickClock:
    """Seconds that follow the running task's ticks: C{per_tick} a tick used (reads
    counted)."""

    def __init__(self, per_tick: float) -> None:
        self.per_tick = per_tick
        self.reads = 0
        self.at: list[int] = []  # ticks used at each read inside a task

    def __call__(self) -> float:
        self.reads += 1
        task = STATE.task
        if task is None:
            return 0.0
        used = task.ticks_used
        self.at.append(used)
        return used * self.per_tick


class RefillClockTests(unittest.TestCase):
    def test_read_once_every_clock_ticks(self) -> None:
        """20 000 calls of a one-tick function (about 40 000 ticks, 400 refills) read the
        clock about 40 times, not 400; never more than C{CLOCK_TICKS} and a grant apart."""
        clock = TickClock(0.0)
        refills = []
        real = Task.refill

        def noting(task: Task, g: dict) -> None:
            refills.append(1)
            real(task, g)

        self.patch(Task, "refill", noting)
        result = Domain("a", clock=clock).run(CALLS, budget=Budget(ticks=10**6))
        self.assertTrue(result.ok, result.error)
        self.assertGreater(len(refills), 300)
        self.assertLessEqual(clock.reads, result.ticks // CLOCK_TICKS + 3)
        self.assertGreaterEqual(clock.reads, result.ticks // (CLOCK_TICKS + REFILL))
        gaps = [b - a for a, b in zip(clock.at, clock.at[1:], strict=False)]
        self.assertLessEqual(max(gaps), CLOCK_TICKS + REFILL)

    def test_wall_budget_still_stops_the_task(self) -> None:
        """A millisecond a tick and a budget of 5 s: stopped for time within
        C{CLOCK_TICKS} ticks and a grant of 5 000, long before its ticks run out."""
        for work in ("", "    z = ('x' * 300).replace('x', 'yy')\n"):  # and charged work
            clock = TickClock(0.001)
            result = Domain("a", clock=clock).run(
                "def step(x):\n    return x + 1\ny = 0\nwhile True:\n    y = step(y)\n"
                + work, budget=Budget(ticks=10**6, seconds=5.0))
            self.assertEqual(result.aborted, "ran out of time", work)
            self.assertGreater(result.ticks, 5000)
            self.assertLessEqual(result.ticks, 5000 + CLOCK_TICKS + REFILL, work)
