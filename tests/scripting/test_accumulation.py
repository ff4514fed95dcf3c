"""State that grows across tasks cannot crash CPython (capability rules 36, 40; issue 4).

Module globals live on between tasks, so a script can grow a structure a little every task.
Some structures crash CPython's C code when they are deep enough: hashing a tuple nested
~130 000-160 000 deep, or freeing a chain of ~100 000-130 000 generators (3.12/3.13),
overflows the C stack (measured on this machine, 8 MiB main-thread stack). Two mechanisms
keep every structure far below that:

- every operation that can add a nesting level (a call, a display, a comprehension, a lambda,
  a def/class, a raise) costs at least two ticks, so one task can nest at most half its tick
  budget (50 000 levels for the foreground budget);
- after tasks, a module's live state is measured (objects, bytes, longest reference chain);
  when it is over a limit the module's state is discarded and the result says why.

The crashers run in a subprocess, so that a crash fails the test instead of killing it.
Growing every kind of nesting until a foreground budget is gone takes tens of seconds: that
test is in the slow tier (`tests/slow/test_budgets.py`, run by `make test-slow` and CI).
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap
import tracemalloc

from twisted.trial import unittest

import scripting
from scripting import Budget, Domain
from scripting import domain as domain_module
from scripting.safe_builtins import MAX_MRO
from tests.scripting.test_redteam import frozen_clock

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# The lowest crash depth measured on 3.11-3.13 (3.13 generator chain freed: 100k-130k).
LOWEST_CRASH_DEPTH = 100_000

# Ways to grow a chain one level (or several) per step; `x` is the chain so far.
GROWERS = {
    "tuple display": "x = (x,)",
    "four tuples per statement": "x = ((((x,),),),)",
    "straight-line statements": "x = (x,)\nx = (x,)\nx = (x,)\nx = (x,)",
    "list display": "x = [x]",
    "generator holding the last": "x = hold(x)",
    "instance chain": "x = Node(x)",
    "closure chain": "x = wrap(x)",
    "staticmethod chain": "x = staticmethod(x)",
    "exception args": "x = ValueError(x)",
    "dict display": "x = {1: x}",
}
HAZARDS = frozenset({"tuple display", "four tuples per statement", "straight-line statements",
                     "generator holding the last", "staticmethod chain"})
_PRELUDE = """
def hold(g):
    yield g
class Node:
    def __init__(self, nxt):
        self.nxt = nxt
def wrap(v):
    return lambda: v
"""


def _grow_source(step: str, loop: bool = True) -> str:
    body = textwrap.indent(step, "        ")
    return _PRELUDE + "x = None\ndef grow():\n    global x\n    while True:\n" + body + "\n"


def _depth(value: object) -> int:
    """Length of the longest reference chain (trusted helper for the tests)."""
    return domain_module.measure_state([value], max_objects=10**7).depth


class OneTaskDepthTests(unittest.TestCase):
    """One task, however it nests, stays far below the crash depth."""

    def test_walrus_in_a_comprehension_is_charged_per_level(self) -> None:
        """`[x := (x,) for ...]` nests one level per element: each element costs two ticks."""
        result = scripting.run("x = ()\nys = [x := ((x,),) for i in range(10**6)]",
                               budget=Budget(ticks=10_000))
        self.assertEqual(result.aborted, "ran out of ticks")

    def test_mutating_comprehension_is_charged_per_level(self) -> None:
        """`[xs.append((xs.pop(),)) for ...]` is charged for its calls and display too."""
        domain = Domain("c")
        module = domain.load("xs = [()]\ndef go():\n"
                             "    [xs.append((xs.pop(),)) for i in range(10**6)]\n")
        module.call("go", budget=Budget(ticks=10_000))
        self.assertLess(_depth(module._globals["xs"]), 10_000 // 2)

    def test_costly_tick_points_pay_in_full(self) -> None:
        """A loop body dearer than one refill chunk is charged its whole cost every time."""
        body = " + ".join(["[1]"] * 60)  # 60 displays: 121 ticks per iteration
        result = scripting.run(f"n = 0\nwhile True:\n    n += 1\n    x = {body}\n",
                               budget=Budget(ticks=12_100))
        self.assertEqual(result.aborted, "ran out of ticks")
        domain = Domain("n")
        module = domain.load(f"n = 0\ndef go():\n    global n\n    while True:\n"
                             f"        n += 1\n        x = {body}\n")
        module.call("go", budget=Budget(ticks=12_100))
        self.assertLessEqual(module._globals["n"], 101)

    def test_ordinary_code_still_cheap(self) -> None:
        """A plain counting loop still costs about one tick per iteration."""
        result = scripting.run("n = 0\nfor i in range(1000):\n    n += i\nn")
        self.assertLess(result.ticks, 1200)


_CROSS_TASK = """
import sys
sys.path.insert(0, {root!r})
import scripting
from scripting import Budget, Domain
domain = Domain("accumulator")
module = domain.load({source!r})
assert module.result.ok, module.result.error
refused = None
for i in range({tasks}):
    result = module.call("grow", budget=Budget(seconds=30.0))
    if "discarded" in (result.error or ""):
        refused = result.error
        break
{after}
print("REFUSED" if refused else "NOT REFUSED")
print(refused)
"""


def _run_child(source: str, tasks: int, after: str) -> subprocess.CompletedProcess:
    code = _CROSS_TASK.format(root=ROOT, source=source, tasks=tasks, after=after)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=600, check=False)


class CrossTaskAccumulationTests(unittest.TestCase):
    """A structure grown over many tasks is discarded before it can crash the process."""

    def _assert_survives(self, step: str, after: str) -> None:
        source = _grow_source(step)
        child = _run_child(source, tasks=12, after=after)
        self.assertEqual(child.returncode, 0, child.stderr[-2000:])
        self.assertIn("REFUSED", child.stdout)
        self.assertNotIn("NOT REFUSED", child.stdout)
        self.assertIn("reload", child.stdout)

    def test_nested_tuples_hashed(self) -> None:
        """Tuples nested a bit deeper every task are discarded before hashing can crash."""
        self._assert_survives("x = (x,)", "hash(module._globals.get('x'))\n"
                                          "module.call('grow', budget=Budget(ticks=10))")

    def test_generator_chain_freed(self) -> None:
        """A generator chain grown every task is discarded before freeing it can crash."""
        self._assert_survives("x = hold(x)", "module._globals.clear()\ndel module\n"
                                             "import gc\ngc.collect()")

    def test_discarded_module_says_reload(self) -> None:
        """After its state is discarded, calling the module again says it must be reloaded."""
        self.patch(domain_module, "STATE_MAX_DEPTH", 500)
        domain = Domain("small")
        module = domain.load(_grow_source("x = (x,)"))
        result = module.call("grow", budget=Budget(ticks=5000))
        self.assertFalse(result.ok)
        self.assertIn("discarded", result.error)
        self.assertIn("reload", result.error)
        again = module.call("grow", budget=Budget(ticks=100))
        self.assertFalse(again.ok)
        self.assertIn("reload", again.error)
        self.assertNotIn("x", module._globals)

    def test_state_hidden_in_a_class_attribute_is_measured(self) -> None:
        """A chain kept on a class (not in a global) is walked and discarded too."""
        self.patch(domain_module, "STATE_MAX_DEPTH", 500)
        domain = Domain("hider")
        module = domain.load("class Box:\n    pass\nBox.x = None\ndef grow():\n"
                             "    for i in range(2000):\n        Box.x = (Box.x,)\n")
        result = module.call("grow", budget=Budget(ticks=20_000))
        self.assertFalse(result.ok)
        self.assertIn("nested too deeply", result.error)

    def test_kept_exception_measures_only_script_frames(self) -> None:
        """An exception kept in state is walked through its script frames' locals, never
        into the trusted callers (which would count the whole server as the script's)."""
        domain = Domain("keeper")
        module = domain.load("saved = []\ndef f():\n    deep = None\n"
                             "    for i in range(700):\n        deep = (deep,)\n    try:\n"
                             "        1 / 0\n    except ZeroDivisionError as e:\n"
                             "        saved.append(e)\n")
        self.assertTrue(module.call("f").ok)
        measured = domain_module.measure_state([module._globals])
        self.assertLess(measured.objects, 1000)
        self.assertGreater(measured.depth, 700)  # the local chain, reached via the frame

    def test_state_walks_are_paid_by_the_module(self) -> None:
        """Walking a big state costs the module's next tasks ticks (the walk is not free)."""
        domain = Domain("big")
        module = domain.load("keep = [[i] for i in range(20000)]\ndef poke():\n"
                             "    return ticks_left()\n")
        self.assertTrue(module.result.ok, module.result.error)
        first = module.call("poke")  # the one-off load is measured before this call
        self.assertTrue(first.ok, first.error)
        self.assertLess(first.value, Budget().ticks - 5000)
        self.assertGreater(module.last_measure.refs, 20000)

    def test_object_limit(self) -> None:
        """A module that keeps too many objects is discarded too."""
        self.patch(domain_module, "STATE_MAX_OBJECTS", 2000)
        domain = Domain("hoarder")
        module = domain.load("keep = []\ndef grow():\n    for i in range(3000):\n"
                             "        keep.append([i])\n")
        result = module.call("grow")
        self.assertFalse(result.ok)
        self.assertIn("too many objects", result.error)

    def test_small_state_kept(self) -> None:
        """Ordinary state survives many tasks untouched."""
        domain = Domain("normal")
        module = domain.load("log = []\ndef add(x):\n    log.append((x, [x]))\n"
                             "    return len(log)\n")
        for i in range(200):
            result = module.call("add", i)
            self.assertTrue(result.ok, result.error)
        self.assertEqual(result.value, 200)


class BoundaryCopyTests(unittest.TestCase):
    """Copying a result out of a task is charged to the task (aliasing cannot amplify it)."""

    def test_returned_aliases_are_charged(self) -> None:
        """A returned list repeating one big list a thousand times aborts, not copies 10**8."""
        result = scripting.run("big = [0] * 10**5\n[big] * 1000", budget=Budget(ticks=50_000))
        self.assertFalse(result.ok)
        self.assertIsNotNone(result.aborted)

    def test_class_chains_are_bounded(self) -> None:
        """`class A(A)` in a loop: C3 linearisation is quadratic in C, so chains are capped."""
        domain = Domain("chains", clock=frozen_clock)
        result = domain.run("class A:\n    pass\nwhile True:\n    class A(A):\n"
                            "        pass\n", budget=Budget(ticks=10**6))
        self.assertFalse(result.ok)
        self.assertIn("inherit", result.error)
        self.assertLess(result.ticks, 10**5)  # refused long before the ticks run out
        counted = domain.run("n = 0\nclass A:\n    pass\nwhile True:\n    try:\n"
                             "        class A(A):\n            pass\n    except TypeError:\n"
                             "        break\n    n += 1\nn", budget=Budget(ticks=10**6))
        # the MRO counts the class itself, the script class base and object
        self.assertTrue(MAX_MRO - 4 <= counted.value < MAX_MRO, counted)


def _peak_growth(setup: str, build: str) -> tuple[scripting.TaskResult, int]:
    """
    The result of running C{setup} then C{build} (with a frozen clock), and
    how much more memory it peaked at than C{setup} alone.
    """
    peaks = []
    for source in (setup, setup + build):
        gc.collect()
        tracemalloc.start()
        try:
            result = Domain("collider", clock=frozen_clock).run(source)
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    return result, peaks[1] - peaks[0]


class HashCollisionTests(unittest.TestCase):
    """Ints hash modulo 2**61 - 1: tables of chosen colliding keys are charged or refused."""

    BUILDS = ("set(xs)", "{*xs}", "dict.fromkeys(xs)", "frozenset(xs)", "set().union(xs)",
              "dict(zip(xs, xs))", "{0: 1, **dict.fromkeys(xs[:50])} | dict.fromkeys(xs)")

    def test_bulk_builds_charge_the_collisions(self) -> None:
        """One C call building a table of 20 000 colliding ints aborts before it is built.

        The clock is frozen (only ticks can stop the task), and the memory the build takes
        is measured: the colliding table is never finished, so it takes less than the same
        build of 20 000 ordinary ints, which completes."""
        colliding = "M = 2**61 - 1\nxs = list(range(M, M * 20000 + 1, M))\n"
        ordinary = "xs = list(range(1, 20001))\n"
        for build in self.BUILDS:
            result, grew = _peak_growth(colliding, f"s = {build}\n")
            self.assertEqual(result.aborted, "ran out of ticks", build)
            reference, full = _peak_growth(ordinary, f"s = {build}\n")
            self.assertTrue(reference.ok, build)
            self.assertLess(grew, full, build)

    def test_ordinary_keys_stay_cheap(self) -> None:
        """A set of 20 000 ordinary ints or strings costs about one tick per 8 keys."""
        for src in ("s = set(range(20000))", "s = set(str(i) for i in range(2000))"):
            self.assertTrue(scripting.run(src).ok, src)

    def test_colliding_state_discarded(self) -> None:
        """A colliding set grown across tasks is discarded before comparing it can stall."""
        domain = Domain("collider")
        module = domain.load("M = 2**61 - 1\ns = set()\nn = [1]\ndef grow():\n"
                             "    for i in range(150):\n        n[0] += 1\n"
                             "        s.add(M * n[0])\n")
        results = [module.call("grow") for _ in range(40)]
        refused = [r.error for r in results if not r.ok]
        self.assertTrue(refused)
        self.assertIn("collide", refused[0])
