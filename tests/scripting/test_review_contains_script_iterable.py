"""
C{item in obj} for a script object whose class defines C{__iter__} but no C{__contains__}:
C iterates it and compares each element with the item natively, uncharged, as it did for a
plain iterator (L{tests.scripting.test_review_contains_iterator}); the hook let every
script object through to C because it assumed a script's C{__contains__} would run.

C{U in S()}, S iterating C{[T]} and T, U distinct doubled tuples, compares 2**DEPTH pairs
in one C call for a few hundred ticks.
"""

from __future__ import annotations

from twisted.trial import unittest

from scripting import Budget, run

DEPTH = 22
BUDGET = Budget(ticks=20_000, seconds=60.0)
SETUP = (
    f"T = ()\nU = ()\nfor i in range({DEPTH}):\n    T = (T, T)\n    U = (U, U)\n"
    "class S:\n"
    "    def __iter__(self):\n"
    "        return iter([T])\n"
)


class ContainsScriptIterableTests(unittest.TestCase):
    def test_iterated(self) -> None:
        result = run(SETUP + "x = U in S()\n", budget=BUDGET)
        self.assertIn("ran out of ticks", str(result.error),
                      f"2**{DEPTH} pairs for {result.ticks} ticks")

    def test_not_in(self) -> None:
        result = run(SETUP + "x = U not in S()\n", budget=BUDGET)
        self.assertIn("ran out of ticks", str(result.error),
                      f"2**{DEPTH} pairs for {result.ticks} ticks")

    def test_getitem_sequence(self) -> None:
        """
        C falls back to C{__getitem__} from 0 when there is no C{__iter__} either.
        """
        result = run(
            f"T = ()\nU = ()\nfor i in range({DEPTH}):\n    T = (T, T)\n    U = (U, U)\n"
            "class S:\n"
            "    def __getitem__(self, i):\n"
            "        if i:\n"
            "            raise IndexError(i)\n"
            "        return T\n"
            "x = U in S()\n",
            budget=BUDGET,
        )
        self.assertIn("ran out of ticks", str(result.error),
                      f"2**{DEPTH} pairs for {result.ticks} ticks")

    def test_own_contains_runs(self) -> None:
        """
        A class's own C{__contains__} is still what C{in} calls, and a plain iterable still
        answers right.
        """
        result = run(
            "class Evens:\n"
            "    def __contains__(self, x):\n"
            "        return x % 2 == 0\n"
            "class Three:\n"
            "    def __iter__(self):\n"
            "        return iter([1, 2, 3])\n"
            "print(4 in Evens(), 3 in Evens(), 2 in Three(), 5 in Three(), 5 not in Three())\n",
            budget=BUDGET,
        )
        self.assertTrue(result.ok, result.error)
        self.assertEqual(result.output.strip(), "True False True False True")
