"""
Freeing a chain of suspended generators (review 5, issue 9).

Each generator suspended at a C{yield} holding the next one is freed by C
recursively, and Python 3.13 spends far more C stack per level on it than 3.11
and 3.12 did (it closes each one, running its frame, inside the deallocation of
the one before): a chain about 37 000 deep crashes the process (8 MiB stack),
where the state a module may keep between tasks (C{STATE_MAX_DEPTH}, 10 000)
plus what one foreground task could add at six ticks a level (16 000) was
within a factor of 1.4 of it. A generator's first step (its entry, the step that
suspends it) now costs C{rewrite.GENERATOR_COST} more, so one task adds at most
a few thousand levels.
"""

from __future__ import annotations

import os
import subprocess
import sys

from twisted.trial import unittest

from scripting import Budget, Domain

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

CHAIN = ("it = None\ndef g(inner):\n    yield 0\n    yield inner\n"
         "def grow(n):\n    global it\n    for i in range(n):\n        it = g(it)\n"
         "        next(it)\n"
         "def drop():\n    global it\n    it = None\n")

#: The deepest chain a foreground task may add (3.13 crashes near 37 000 levels).
PER_TASK = 7_000


class GeneratorChainTests(unittest.TestCase):
    """One task suspends at most C{PER_TASK} generators in a chain."""

    def test_one_task_adds_a_few_thousand_levels(self) -> None:
        """A foreground task spent on nothing else cannot nest C{PER_TASK} levels; a
        thousand it can."""
        module = Domain("ann").load(CHAIN)
        self.assertTrue(module.call("grow", 1000, budget=Budget()).ok)
        result = module.call("grow", PER_TASK, budget=Budget())
        self.assertEqual(result.aborted, "ran out of ticks")

    def test_lambdas_that_yield(self) -> None:
        """A lambda that yields starts a generator too, at the same price."""
        module = Domain("ann").load(CHAIN.replace(
            "def g(inner):\n    yield 0\n    yield inner\n",
            "g = lambda inner: ((yield 0), (yield inner))\n"))
        self.assertTrue(module.call("grow", 1000, budget=Budget()).ok)
        result = module.call("grow", PER_TASK, budget=Budget())
        self.assertEqual(result.aborted, "ran out of ticks")

    def test_kept_and_grown_then_freed(self) -> None:
        """Grown task after task as far as the state allows, then dropped: the process
        survives (a subprocess, so that a crash fails this test instead of ending it)."""
        code = (f"import sys\nsys.path.insert(0, {ROOT!r})\n"
                "from scripting import Budget, Domain\n"
                f"m = Domain('ann').load({CHAIN!r})\n"
                "for i in range(12):\n"
                "    r = m.call('grow', 10**6, budget=Budget())\n"
                "    if r.aborted != 'ran out of ticks':\n        break\n"
                "print('grown', i, r.aborted, r.error and r.error.splitlines()[-1])\n"
                "m.call('drop')\nprint('survived')\n")
        child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               timeout=300, check=False)
        self.assertEqual(child.returncode, 0, child.stderr[-2000:])
        self.assertIn("survived", child.stdout)
