"""
C{item in it} for an iterator, a generator, C{map}, C{zip}, C{enumerate} or C{reversed}
compares each element with the item natively and uncharged (found 2026-12-07 reviewing
L{scripting.hooks.contains}: its last branch, for containers that are none of the known
types, walks the iterable with a tick per element but compares C{x == item} in trusted
code, with no charge for what C walks).

C{U in iter([T])}, T and U distinct doubled tuples (C{t = (t, t)}, built in a step a
level), compares 2**DEPTH pairs in one C call for about 120 ticks: 0.06 s at depth 22,
doubling per level, so depth 40 stalls the reactor for hours. The same comparison with a
list, C{U in [T]}, runs out of ticks.
"""

from __future__ import annotations

from twisted.trial import unittest

from scripting import Budget, run

DEPTH = 22
BUDGET = Budget(ticks=20_000, seconds=60.0)
SETUP = f"T = ()\nU = ()\nfor i in range({DEPTH}):\n    T = (T, T)\n    U = (U, U)\n"


class ContainsIteratorTests(unittest.TestCase):
    def assertStopped(self, body: str) -> None:
        result = run(SETUP + body, budget=BUDGET)
        self.assertFalse(result.ok, f"2**{DEPTH} pairs for {result.ticks} ticks: {body!r}")

    def test_list_is_charged(self) -> None:
        """
        The control.
        """
        self.assertStopped("x = U in [T]\n")

    def test_iterator(self) -> None:
        self.assertStopped("x = U in iter([T])\n")

    def test_generator_expression(self) -> None:
        self.assertStopped("x = U in (t for t in [T])\n")

    def test_generator(self) -> None:
        self.assertStopped("def g():\n    yield T\nx = U in g()\n")

    def test_builtin_iterators(self) -> None:
        self.assertStopped("x = U in reversed([T])\n")
        self.assertStopped("x = U in map(tuple, [T])\n")
        self.assertStopped("x = (U,) in zip([T])\n")
        self.assertStopped("x = (0, U) in enumerate([T])\n")

    def test_not_in(self) -> None:
        self.assertStopped("x = U not in iter([T])\n")
