"""A module's countdown is refilled C{REFILL} times its cheapest frame entry at a time (issue 11
§3): fewer refills where every frame costs several ticks, the depth probe still every C{REFILL}
frames at most."""

from __future__ import annotations

import ast
from itertools import pairwise

from twisted.trial import unittest

from scripting import Budget, Domain
from scripting.rewrite import rewrite
from scripting.task import LEAST, LEAST_MAX, REFILL, Task

JUNK = "[[[[[[[[[[0]]]]]]]]]]"  # ten builders: twenty ticks


def least(source: str) -> int:
    """The C{$least} the rewritten module sets."""
    for node in ast.walk(rewrite(ast.parse(source))):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name) \
                and node.targets[0].id == LEAST:
            assert isinstance(node.value, ast.Constant)
            return node.value.value
    raise AssertionError("no $least")


class LeastTests(unittest.TestCase):
    """C{$least} is the cheapest tick point that may open a frame, capped at C{LEAST_MAX}."""

    def test_entries(self) -> None:
        """Functions, lambdas, class bodies, hoisted key lambdas and the top level count."""
        self.assertEqual(least("def f(n):\n    return f(n - 1) + f(n - 2)\n"), 3)
        self.assertEqual(least("def f(n):\n    return f(n - 1) + f(n - 2)\n"
                               "def g(x):\n    return x + 1\n"), 1)
        self.assertEqual(least(f"junk = {JUNK}\ndef f(n):\n    junk = {JUNK}\n"
                               "    return f(n - 1)\ng = lambda: f(1)\n"), 3)
        self.assertEqual(least(f"junk = {JUNK}\nclass K:\n    a = f(1)\n"), 3)
        self.assertEqual(least(f"junk = {JUNK}\ndef f(xs):\n    junk = {JUNK}\n"
                               "    return sorted(xs, key=lambda v: v)\n"), 1)

    def test_loops_of_plain_functions_do_not_count(self) -> None:
        """A loop or handler of a function that does not pause opens no frame."""
        self.assertEqual(least(f"junk = {JUNK}\ndef f(xs):\n    junk = {JUNK}\n"
                               "    for x in xs:\n        pass\n    try:\n        pass\n"
                               "    except Exception:\n        pass\n"), 10)

    def test_tick_points_of_generators_count(self) -> None:
        """Resuming a generator pushes its frame again with no entry: each of its tick
        points counts, and so does the one right after every yield, which costs one
        (review 5)."""
        self.assertEqual(least(f"junk = {JUNK}\ndef g(xs):\n    junk = {JUNK}\n"
                               "    for x in xs:\n        junk = {JUNK}\n        yield x\n"), 1)
        self.assertEqual(least(f"junk = {JUNK}\ndef g(xs):\n    junk = {JUNK}\n"
                               "    while True:\n        yield [xs]\n"), 1)

    def test_capped(self) -> None:
        """However dear every entry, a refill is at most C{REFILL * LEAST_MAX} ticks."""
        self.assertEqual(least(f"junk = {JUNK}\ndef f():\n    junk = {JUNK}\n"), LEAST_MAX)


class StrideTests(unittest.TestCase):
    """Between two refills (each probing the depth) a module opens at most C{REFILL}
    frames; refills are fewer where every frame is dear."""

    def refills(self) -> list:
        """Record the module globals of every refill."""
        seen: list = []
        original = Task.refill

        def refill(task: Task, g: dict) -> None:
            seen.append(g)
            original(task, g)

        self.patch(Task, "refill", refill)
        return seen

    def test_a_cheap_lambda_among_dear_functions(self) -> None:
        """A lambda recursing among dear functions is probed every C{REFILL} frames: the
        module's stride is the lambda's cost, not theirs (else 200 frames a refill here),
        and it stops at the depth limit."""
        seen = self.refills()
        module = Domain("ann").load(
            f"box = []\njunk = {JUNK}\n"
            "rec = lambda n: rec(n + 1) if box.append(n) is None else 0\n"
            f"def go():\n    junk = {JUNK}\n    rec(0)\n")
        self.assertTrue(module.result.ok, module.result.error)
        del seen[:]
        result = module.call("go", budget=Budget(ticks=10**6, seconds=30.0))
        self.assertEqual(result.aborted, "calls nested too deeply")
        depths = [len(g["box"]) for g in seen]
        self.assertGreater(len(depths), 1)
        self.assertLessEqual(max(b - a for a, b in pairwise(depths)), REFILL + 1)

    def test_recursion_refills_by_its_entry_cost(self) -> None:
        """C{fib}, five ticks a frame, is refilled every C{5 * REFILL} ticks."""
        seen = self.refills()
        result = Domain("ann").run("def fib(n):\n    if n < 2:\n        return n\n"
                                   "    return fib(n - 1) + fib(n - 2)\nfib(15)",
                                   budget=Budget(ticks=10**6))
        self.assertTrue(result.ok, result.error)
        self.assertLessEqual(len(seen), result.ticks // (5 * REFILL) + 2)
        self.assertGreater(len(seen), result.ticks // (5 * REFILL) - 2)
