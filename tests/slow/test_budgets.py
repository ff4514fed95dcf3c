"""
The sandbox's budgets against whole corpora, one task after another: each of
these tests takes tens of seconds (tracemalloc over the denial-of-service
corpus; nesting grown until a foreground budget is gone), so they run in the
slow tier (C{make test-slow}, and CI).

The corpora live beside the fast tests that use them:
L{tests.scripting.test_dos} and L{tests.scripting.test_accumulation}.
"""

from __future__ import annotations

import gc
import tracemalloc

from twisted.trial import unittest

from scripting import Budget, Domain, hooks
from scripting import domain as domain_module
from tests.scripting.test_accumulation import (
    GROWERS,
    HAZARDS,
    LOWEST_CRASH_DEPTH,
    _depth,
    _grow_source,
)
from tests.scripting.test_dos import BUDGET, DOS, MAY_COMPLETE, PEAK_LIMIT
from tests.scripting.test_redteam import frozen_clock


class DenialOfServiceCorpusTests(unittest.TestCase):
    """Each runaway program is stopped within its budget, with bounded memory."""

    def test_corpus_stopped(self) -> None:
        """Every case ends (abort or error), within its tick budget, under the memory cap."""
        problems = []
        tracemalloc.start()
        try:
            for name, source in DOS.items():
                gc.collect()  # the previous case's domain (a reference cycle) goes first
                tracemalloc.reset_peak()
                result = Domain("dos").run(source, budget=BUDGET)
                _, peak = tracemalloc.get_traced_memory()
                if result.ok and name not in MAY_COMPLETE:
                    problems.append(f"{name}: completed")
                if result.ticks > BUDGET.ticks:
                    problems.append(f"{name}: used {result.ticks} ticks")
                if peak > PEAK_LIMIT:
                    problems.append(f"{name}: peak memory {peak // 2**20} MB")
                if name == "print flood" and len(result.output) > BUDGET.output + 100:
                    problems.append(f"{name}: output not capped ({len(result.output)})")
        finally:
            tracemalloc.stop()
        self.assertEqual(problems, [], "\n".join(problems))


class OneTaskDepthTests(unittest.TestCase):
    """One task, however it nests, stays far below the crash depth."""

    def test_foreground_budget_cannot_reach_crash_depth(self) -> None:
        """Each way of nesting, run until the foreground budget is gone, stays shallow.

        Tuples and generators (what hashing and freeing recurse along in C) reach at most
        ~50 000; anything at most ~68 000 reference levels. With the state limit on top,
        nothing any task touches is deeper than ~78 000: under the lowest crash depth
        measured (100 000, a 3.13 generator chain). The clock is frozen: only the ticks
        end each grower."""
        self.assertLess(Budget().ticks * 2 // 3 + 1000 + domain_module.STATE_MAX_DEPTH,
                        LOWEST_CRASH_DEPTH * 4 // 5)
        self.patch(domain_module, "STATE_MAX_DEPTH", 10**9)  # measure, do not discard
        for name, step in GROWERS.items():
            domain = Domain("nester", clock=frozen_clock)
            module = domain.load(_grow_source(step))
            self.assertTrue(module.result.ok, (name, module.result.error))
            result = module.call("grow", budget=Budget())
            # (a generator chain stops sooner, at the generators a domain may hold alive)
            stops = ("ran out of ticks", hooks.TOO_MANY_GENERATORS)
            self.assertIn(result.aborted, stops, name)
            reached = _depth(module._globals["x"])
            # a builder costs 2 ticks and adds at most 2 levels (an exception and its args,
            # an instance and its __dict__): at most 2/3 of a level per tick
            self.assertLessEqual(reached, Budget().ticks * 2 // 3 + 1000, name)
            if name in HAZARDS:  # what C recurses along without a trashcan: 1 level per 2
                self.assertLessEqual(reached, Budget().ticks // 2 + 1000, name)
            self.assertGreater(reached, 1000, name)  # the grower really grew
