"""A module's countdown is refilled C{REFILL} times its cheapest frame entry at a time (issue 11
§3): fewer refills where every frame costs several ticks, the depth probe still every C{REFILL}
frames at most."""

from __future__ import annotations

import ast
from itertools import pairwise

from twisted.trial import unittest

from scripting import Budget, Domain
from scripting.rewrite import rewrite
from scripting.task import LEAST, LEAST_MAX, REFILL, Task, countdown

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


STEP = "def step(x):\n    return x + 1\nexports = ('step',)\n"


def least_of(g: dict) -> int:
    """A module's C{$least} as a refill reads it (1 where it is missing or out of range)."""
    value = g.get(LEAST)
    return value if type(value) is int and 0 < value <= LEAST_MAX else 1


class SharedWindowTests(unittest.TestCase):
    """The modules of a task share its window: after every refill, what all of them hold
    opens at most C{task.window} frames (a frame costs a module its C{$least}), however
    many modules ran, which of them are in use, and however the window shrank since the
    others were granted; and a module alone in use is granted the whole window, however
    many others ran earlier in the task."""

    def watch(self) -> list:
        """After every refill, record (frames the countdowns may open, the window,
        modules holding ticks); and count refills."""
        seen: list = []
        original = Task.refill

        def refill(task: Task, g: dict) -> None:
            original(task, g)
            frames = sum(max(countdown(m), 0) // least_of(m) for m in task.counters.values())
            held = sum(1 for m in task.counters.values() if countdown(m) > 0)
            seen.append((frames, task.window, held))

        self.patch(Task, "refill", refill)
        return seen

    def libraries(self, domain: Domain, count: int, source: str = STEP) -> None:
        for i in range(count):
            module = domain.load(source, name=f"lib{i}", library=True)
            self.assertTrue(module.result.ok, module.result.error)

    def assertWithinWindow(self, seen: list) -> None:
        self.assertGreater(len(seen), 2)
        over = [(frames, window) for frames, window, _ in seen if frames > window]
        self.assertEqual(over, [])

    def calls(self, seen: list, count: int, one: bool) -> list:
        """The refills (as L{watch} records them) of 20 000 calls of a one-tick function
        of the first of C{count} libraries, after calling each library once (if C{one}),
        or of all C{count} round robin (if not)."""
        first = len(seen)
        domain = Domain("ann")
        self.libraries(domain, count)
        source = "".join(f"import lib{i}\n" for i in range(count))
        source += "fns = [" + ", ".join(f"lib{i}.step" for i in range(count)) + "]\n"
        if one:
            source += "for f in fns:\n    f(0)\nfns = fns[:1]\n"
        source += "k = len(fns)\ny = 0\nfor i in range(20000):\n    y = fns[i % k](y)\ny\n"
        result = domain.run(source, budget=Budget(ticks=10**6, seconds=60.0))
        self.assertTrue(result.ok, result.error)
        self.assertEqual(result.value, 20000)
        return seen[first:]

    def test_one_module_in_use_among_many(self) -> None:
        """Sixteen libraries ran in the task, one is in use: it refills about as often as
        when it is the only library (it was granted a sixteenth of the window, and refilled
        about six times as often, before shares followed use)."""
        seen = self.watch()
        alone = self.calls(seen, 1, one=True)
        many = self.calls(seen, 16, one=True)
        self.assertWithinWindow(many)
        self.assertGreater(len(alone), 100)
        self.assertLess(len(many), len(alone) * 1.1 + 16)

    def test_round_robin_stays_within_the_window(self) -> None:
        """Calls spread over sixteen libraries: every one in use, each granted a share."""
        seen = self.calls(self.watch(), 16, one=False)
        self.assertWithinWindow(seen)
        self.assertGreater(max(held for _, _, held in seen), 8)

    def test_recursion_through_many_libraries(self) -> None:
        """A recursion cycling through fifty libraries (review 4) stays within the
        window at every refill, and is stopped at the task's depth limit."""
        seen = self.watch()
        domain = Domain("ann")
        self.libraries(domain, 50, "def step(fns, n):\n"
                       "    return fns[(n + 1) % len(fns)](fns, n + 1)\n"
                       "exports = ('step',)\n")
        source = "".join(f"import lib{i}\n" for i in range(50))
        source += "fns = [" + ", ".join(f"lib{i}.step" for i in range(50)) + "]\n"
        result = domain.run(source + "fns[0](fns, 0)\n",
                            budget=Budget(ticks=10**6, seconds=60.0))
        self.assertEqual(result.aborted, "calls nested too deeply", result.error)
        self.assertWithinWindow(seen)

    def test_a_grant_made_shallow_is_taken_back_deep(self) -> None:
        """A library granted most of the window while the stack was shallow gives it back
        when another module's refill finds the stack deep (a smaller window): else it
        could open the frames of the larger window past the nearer probes."""
        seen = self.watch()
        domain = Domain("ann")
        self.libraries(domain, 1)
        deep = domain.load("def down(n, f):\n    if n == 0:\n        return f(0)\n"
                           "    return down(n - 1, f)\nexports = ('down',)\n",
                           name="deep", library=True)
        self.assertTrue(deep.result.ok, deep.result.error)
        result = domain.run("import lib0, deep\ndeep.down(1, lib0.step)\ny = 0\n"
                            "for i in range(140):\n    y = lib0.step(y)\n"
                            "deep.down(55, lib0.step)\n",
                            budget=Budget(ticks=10**6, seconds=60.0))
        self.assertTrue(result.ok, result.error)
        self.assertWithinWindow(seen)
        self.assertLess(min(window for _, window, _ in seen), REFILL)
