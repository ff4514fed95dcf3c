"""
Red-team review (2026-12-07) of the key lambdas the rewriter makes a C{def <lambda>} just
before their statement (L{scripting.rewrite._hoist_keys}): the hoisted function ticks as the
lambda did, means what it meant (scope, late binding, walrus, several in one statement),
and leaves no name a script or the engine can see. All held; kept as coverage.
"""

from __future__ import annotations

from twisted.trial import unittest

from scripting import Budget, Domain, run

BUDGET = Budget(ticks=1_000_000, seconds=30.0)
N = 5000
SETUP = f"a = list(range({N}))\n"


class KeyLambdaTicksTests(unittest.TestCase):
    """
    A key computed by a hoisted lambda costs what a key computed by a C{def} costs.
    """

    def ticks(self, body: str) -> int:
        result = run(SETUP + body, budget=BUDGET)
        self.assertTrue(result.ok, result.error)
        return result.ticks

    def test_same_as_a_def(self) -> None:
        """
        Top level, inside a function, a class body (not hoisted), a comprehension (not
        hoisted) and an assigned lambda all charge at least a tick per key, as a C{def}.
        """
        by_def = self.ticks("def k(v):\n    return v\nx = sorted(a, key=k)\n")
        base = self.ticks("")
        self.assertGreaterEqual(by_def - base, N)
        for body in [
            "x = sorted(a, key=lambda v: v)\n",
            "def f():\n    return sorted(a, key=lambda v: v)\nx = f()\n",
            "class C:\n    x = sorted(a, key=lambda v: v)\n",
            "x = [sorted(a, key=lambda v: v) for _ in [0]]\n",
            "k = lambda v: v\nx = sorted(a, key=k)\n",
        ]:
            self.assertGreaterEqual(self.ticks(body), by_def - 64, body)
        in_place = self.ticks("def k(v):\n    return v\na.sort(key=k)\n")
        self.assertGreaterEqual(self.ticks("a.sort(key=lambda v: v)\n"), in_place - 64)

    def test_min_max(self) -> None:
        base = self.ticks("")
        self.assertGreaterEqual(self.ticks("x = max(a, key=lambda v: v)\n") - base, N)
        self.assertGreaterEqual(self.ticks("x = min(a, key=lambda v: -v)\n") - base, N)

    def test_out_of_ticks_inside_the_key(self) -> None:
        """
        A key that loops (through a function it calls) runs out of ticks where it loops.
        """
        result = run("def spin(v):\n    while True:\n        pass\n"
                     "x = sorted([1, 2], key=lambda v: spin(v))\n",
                     budget=Budget(ticks=20_000, seconds=30.0))
        self.assertFalse(result.ok)
        self.assertIn("ran out of ticks", str(result.error))


class KeyLambdaMeaningTests(unittest.TestCase):
    def output(self, source: str) -> str:
        result = run(source, budget=BUDGET)
        self.assertTrue(result.ok, result.error)
        return result.output

    def test_walrus_stays_in_the_lambda(self) -> None:
        out = self.output("x = sorted([2, 1], key=lambda v: (w := v))\n"
                          "try:\n    print(w)\nexcept NameError:\n    print('unbound')\n")
        self.assertEqual(out.strip(), "unbound")

    def test_late_binding_and_loops(self) -> None:
        out = self.output("kept = []\n"
                          "def take(xs, key):\n    kept.append(key)\n    return xs\n"
                          "for i in range(3):\n    take([], key=lambda v: v + i)\n"
                          "print([k(0) for k in kept])\n")
        self.assertEqual(out.strip(), "[2, 2, 2]")

    def test_two_and_nested(self) -> None:
        out = self.output(
            "x = (sorted([3, 1, 2], key=lambda v: -v), sorted([3, 1, 2], key=lambda v: v))\n"
            "print(x)\n"
            "print(sorted([[3, 1], [2]], key=lambda v: sorted(v, key=lambda w: -w)))\n")
        self.assertEqual(out.split("\n")[:2], ["([3, 2, 1], [1, 2, 3])", "[[2], [3, 1]]"])

    def test_class_body(self) -> None:
        """
        In a class body the lambda stays a lambda (a C{def} there would bind a class
        attribute); in a method it is hoisted into the method.
        """
        out = self.output("class C:\n    x = sorted([2, 1], key=lambda v: v)\n"
                          "    def m(self):\n        return sorted([2, 1], key=lambda v: -v)\n"
                          "print(C.x, C().m())\n")
        self.assertEqual(out.strip(), "[1, 2] [2, 1]")

    def test_exception_from_the_key(self) -> None:
        out = self.output("try:\n    x = sorted([1, 2], key=lambda v: 1 / 0)\n"
                          "except ZeroDivisionError:\n    print('caught')\n")
        self.assertEqual(out.strip(), "caught")

    def test_no_visible_name(self) -> None:
        """
        The module lists no function C{<lambda>} and keeps no such global.
        """
        module = Domain("alice").load(
            "xs = sorted([3, 1], key=lambda v: -v)\n"
            "def f():\n    return sorted([1, 2], key=lambda v: v)\n", name="m")
        self.assertEqual(module.functions(), ["f"])
        result = module.call("f", budget=BUDGET)
        self.assertTrue(result.ok, result.error)
        self.assertEqual(result.value, [1, 2])
        self.assertNotIn("<lambda>", module._globals)
