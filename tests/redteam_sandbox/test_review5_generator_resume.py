"""
Resuming a generator pushes its frame again, with no entry (review 5, issue 9).

A generator whose code after a C{yield} calls straight into another resume
(C{x = next(inner)}) opened one frame per generator with no tick point in
between: a chain of primed generators, resumed once from its outermost, nested
a frame per generator without ever reaching a depth probe, and ended in
CPython's C{RecursionError}, which the script caught and carried on from. Every
resume now starts at a tick point of its own (the rewriter puts one right after
every C{yield} and C{yield from}), so the chain is stopped at the task's depth
limit like any recursion.
"""

from __future__ import annotations

import ast

from twisted.trial import unittest

from scripting import Budget, Domain
from scripting.rewrite import rewrite

CATCH = ("try:\n    print(go())\nexcept RecursionError:\n    print('caught')\n"
         "except Exception:\n    print('other')\nprint('after')\n")


def chain(generator: str, link: str = "it = g(it)\n        next(it)") -> str:
    """C{generator} (a C{def g(inner)}) primed three thousand deep over C{base},
    resumed once from the outermost."""
    return (f"{generator}\n"
            "def base():\n    yield 0\n    yield 1\n"
            "def go():\n    it = base()\n    next(it)\n"
            f"    for i in range(3000):\n        {link}\n"
            "    return next(it)\n" + CATCH)


class GeneratorResumeTests(unittest.TestCase):
    """However a chain of generators resumes one another, it is stopped at the
    task's depth limit, never by CPython's RecursionError."""

    def run_script(self, source: str) -> object:
        return Domain("ann").run(source, budget=Budget(ticks=10**6, seconds=60.0))

    def assertTooDeep(self, result: object) -> None:
        self.assertEqual(result.aborted, "calls nested too deeply", result.error)
        self.assertNotIn("RecursionError", result.error)
        self.assertEqual(result.output, "")

    def test_next_right_after_yield(self) -> None:
        """C{x = next(inner)} right after the yield: no loop, no call of its own."""
        self.assertTooDeep(self.run_script(chain(
            "def g(inner):\n    yield 0\n    x = next(inner)\n    yield x")))

    def test_next_inside_the_yield_expression(self) -> None:
        """A resume that goes on inside the expression holding the yield."""
        self.assertTooDeep(self.run_script(chain(
            "def g(inner):\n    yield 0\n    yield [(yield 0), next(inner)][1]",
            "it = g(it)\n        next(it)\n        next(it)")))

    def test_yield_as_a_statement(self) -> None:
        """C{yield} then C{return next(...)}."""
        self.assertTooDeep(self.run_script(chain(
            "def g(inner):\n    yield 0\n    return (yield next(inner))")))

    def test_yield_from(self) -> None:
        """Delegation: C{yield from inner} resumed through the whole chain."""
        self.assertTooDeep(self.run_script(chain(
            "def g(inner):\n    yield 0\n    yield from inner")))

    def test_generator_lambda(self) -> None:
        """A lambda that yields resumes with no entry either."""
        self.assertTooDeep(self.run_script(chain(
            "def g(inner):\n    f = lambda: ((yield 0), (yield next(inner)))\n"
            "    return f()")))

    def test_through_a_script_iterator(self) -> None:
        """Generators resumed from a script class's C{__next__}."""
        self.assertTooDeep(self.run_script(chain(
            "class It:\n    def __init__(self, g):\n        self.g = g\n"
            "    def __iter__(self):\n        return self\n"
            "    def __next__(self):\n        return next(self.g)\n"
            "def g(inner):\n    yield 0\n    x = next(It(inner))\n    yield x")))

    def test_resume_is_a_tick_point(self) -> None:
        """The rewriter puts a tick point right after every yield."""
        tree = rewrite(ast.parse("def g():\n    yield 1\n    x = yield 2\n"
                                 "    y = [(yield 3)]\n    yield from []\n"))
        text = ast.unparse(tree)
        self.assertEqual(text.count("$tick()") + text.count("$lam("), 6, text)

    def test_plain_generators_still_run(self) -> None:
        """Generators of every shape produce what they did."""
        result = self.run_script(
            "def g(n):\n    for i in range(n):\n        x = yield i\n        yield x\n"
            "def h():\n    yield from g(2)\n    y = [(yield 9)]\n    yield y\n"
            "f = lambda: ((yield 1), (yield 2))\n"
            "print(list(h()), list(f()))\n")
        self.assertTrue(result.ok, result.error)
        self.assertEqual(result.output, "[0, None, 1, None, 9, [None]] [1, 2]\n")
