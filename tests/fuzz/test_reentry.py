"""
Script code runs only where the sandbox means it to (L{tests.fuzz.reentry}):
never inside the garbage collector, never in a generator being closed by its
last reference going (the guard-swap escape of 2026-12-07), never from the
middle of a script's own rewritten code, never from a trusted function that
is not an entry point.

The corpora and random programs run watched. The short form (in C{make
test}) runs the compatibility and escape corpora and 40 random programs;
C{make fuzz} (C{TESSERA_FUZZ=long}) adds the red team's and the
denial-of-service corpora and 400 random programs.
"""

from __future__ import annotations

import gc
import random
import sys

from twisted.trial.unittest import TestCase

from scripting import Budget, Domain, run
from tests.fuzz.reentry import Watch
from tests.fuzz.test_front_door import LONG
from tests.scripting import test_dos, test_redteam
from tests.scripting.corpus_compat import COMPAT
from tests.scripting.corpus_escape import ESCAPES
from tests.scripting.test_finalizers import lift_generator_rule
from tests.scripting.test_guard_swap import SWAP
from tests.scripting.test_guards import _FRAGMENTS

#: Random programs per run.
PROGRAMS = 400 if LONG else 40
#: A budget that stops every corpus case soon, traced or not.
BUDGET = Budget(ticks=50_000, seconds=5.0)

#: Pieces that make script code run from somewhere else: a script's dunder
#: methods called by the guards' hooks and the builtins, generators started,
#: resumed, dropped mid-expression and left paused, sort keys, callbacks,
#: properties, class bodies.
_REENTRANT = [
    "class K:\n    def __init__(self, v):\n        self.v = v\n"
    "    def __eq__(self, o):\n        return True\n"
    "    def __lt__(self, o):\n        return False\n"
    "    def __len__(self):\n        return 2\n"
    "    def __iter__(self):\n        return iter([1, 2])\n"
    "    def __str__(self):\n        return 'k'\n"
    "    def __bool__(self):\n        return False\n"
    "    def __contains__(self, x):\n        return True\n"
    "    def __add__(self, o):\n        return self\n"
    "    def __getitem__(self, i):\n        return i\n",
    "k = K({v})", "x = k == {v}", "x = k < k", "x = len(k)", "x = list(k)", "x = str(k)",
    "x = f'{{k}}'", "x = {v} in k", "x = k + {v}", "x = k[{v}]", "x = bool(k)",
    "x = sorted([k, K(1)])", "x = [k] * 3\nx.remove({v})", "a, b = k",
    "def g(n):\n    try:\n        yield n\n        yield n + 1\n"
    "    except ValueError:\n        pass",
    "h = g({v})\nnext(h)", "h = g({v})\nnext(h)\nh = g(2)\nnext(h)", "h = None",
    "x = [g(i) for i in range(3)]\nfor e in x:\n    next(e)\nx = 0",
    "x = [next(g(i)) for i in range(3)]", "x = (i for i in range({n}) if i)",
    "x = sum(g({v}) if False else [1])", "x = list(map(lambda q: q, g(1)))",
    "x = sorted(range(5), key=lambda q: -q)", "x = list(filter(lambda q: q, [0, 1]))",
    "class P:\n    @property\n    def p(self):\n        return 1\nx = P().p",
    "class Q:\n    x = [i for i in range(3)]", "x = max([1, 2], key=lambda q: q)",
    "def r(n):\n    if n:\n        return r(n - 1)\n    return g(n)\nh = r(3)\nnext(h)",
    "def y():\n    yield from g(1)\nh = y()\nnext(h)\nh = 0",
]


def _program(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 10)):
        fragment = rng.choice(_FRAGMENTS + _REENTRANT * 2)
        value = rng.choice(["0", "1", "-3", "2.5", "'s'", "None", "(1, 2)", "[1]", "True"])
        parts.append(fragment.format(v=value, n=rng.randint(0, 300)))
    return "\n".join(parts)


class ReentryTests(TestCase):
    def watched(self, sources: list[str]) -> Watch:
        """
        Run each of C{sources} in a domain of its own while watching, then
        collect what the runs left, still watching.
        """
        with Watch() as watch:
            for source in sources:
                Domain("fuzz").run(source, budget=BUDGET)
            gc.collect()
        return watch

    def assertClean(self, watch: Watch) -> None:
        self.assertEqual(watch.violations, [], "\n".join(map(str, watch.violations[:20])))
        self.assertGreater(watch.calls, 0)

    def test_corpora(self) -> None:
        """
        The compatibility and escape corpora (and, in the long form, the red
        team's and the denial-of-service corpora) run script code only from
        the entry points.
        """
        sources = [case.source for case in COMPAT]
        sources += [case.source.replace("CANARY", "'/nonexistent/canary'") for case in ESCAPES]
        if LONG:
            sources += [*test_redteam.ESCAPES.values(), *test_redteam.NO_ADDRESS.values(),
                        *test_redteam.STALLS.values(), *test_dos.DOS.values()]
        self.assertClean(self.watched(sources))

    def test_random_programs(self) -> None:
        """
        Random programs of ordinary and re-entrant pieces run script code
        only from the entry points.
        """
        seed = random.randrange(2**32)
        rng = random.Random(seed)
        sources = [_program(rng) for _ in range(PROGRAMS)]
        watch = self.watched(sources)
        self.assertEqual(watch.violations, [], f"seed {seed}: " +
                         "\n".join(map(str, watch.violations[:20])))

    def test_catches_the_guard_swap(self) -> None:
        """
        With the validator's generator rule lifted, the guard-swap escape runs
        a dropped generator's C{finally} in the middle of a guard: the watch
        sees it (it did before the fix too, when the swap reached frames).
        """
        lift_generator_rule(self)
        with Watch() as watch:
            run(SWAP, budget=Budget(ticks=200_000, seconds=30.0))
        closing = [v for v in watch.violations if "being closed" in v.what]
        self.assertTrue(closing, watch.violations)

    def test_catches_a_finaliser_in_the_collector(self) -> None:
        """
        With the rule lifted, a generator paused in C{try/finally} in a
        reference cycle runs its C{finally} in the collector: the watch sees
        script code run there.
        """
        lift_generator_rule(self)
        source = ("def fin(box):\n    try:\n        yield 1\n    finally:\n        box.append(1)\n"
                  "box = []\ng = fin(box)\nbox.append(g)\nnext(g)\n")
        ignored: list = []
        self.patch(sys, "unraisablehook", ignored.append)  # its Abort: outside a task
        gc.collect()
        with Watch() as watch:
            Domain("fuzz").run(source, budget=BUDGET)
            gc.collect()
        self.assertTrue(ignored)
        self.assertIn("script code ran inside the garbage collector",
                      [v.what for v in watch.violations])

    def test_catches_an_unlisted_caller(self) -> None:
        """
        A trusted function that is not an entry point calling script code is
        a violation: here, with no entry points listed, the task runner.
        """
        with Watch(entries=frozenset()) as watch:
            run("x = sorted([2, 1], key=lambda q: q)")
        whats = {v.what for v in watch.violations}
        self.assertIn("script code ran from trusted scripting/domain.py:<lambda>", whats)
        self.assertIn("script code ran from trusted scripting/charge.py:keys_of", whats)
