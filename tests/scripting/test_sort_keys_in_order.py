"""Sorts and C{min}/C{max} with a key, after every key is computed (issue 11 §3).

L{scripting.charge.sort} and L{scripting.charge.pick} order the values by keys they
computed first, handing them to C one at a time in the values' order
(L{scripting.charge._in_order}). These tests check that the answers are CPython's, with
ties (stability, and which of equal values C{min}/C{max} pick), C{reverse}, keys of
every inert kind and keys that are script objects, and that the script's key function
runs once per element, first to last, before anything is compared.
"""

from __future__ import annotations

from twisted.trial import unittest

from scripting import Budget, run
from tests.scripting.test_fastpaths import CPythonAgreement


class KeysInOrderTests(CPythonAgreement):
    """Keyed sorts and picks give CPython's answers."""

    def test_ties_keep_their_order(self) -> None:
        """Equal keys keep the values' order, forwards and reversed, for sorted(),
        list.sort() and every inert kind of key."""
        self.same_as_cpython(
            "data = [(i * 7) % 10 for i in range(40)]\n"
            "pairs = [(i % 3, i) for i in range(30)]\n"
            "kept = list(pairs)\nkept.sort(key=lambda p: p[0], reverse=True)\n"
            "result = [sorted(data, key=lambda v: v // 3),\n"
            "          sorted(data, key=lambda v: -(v // 3), reverse=True),\n"
            "          sorted(pairs, key=lambda p: p[0]), kept,\n"
            "          sorted(pairs, key=lambda p: str(p[0])),\n"
            "          sorted(pairs, key=lambda p: (p[0], -p[1])),\n"
            "          sorted(pairs, key=lambda p: p[0] / 2, reverse=True),\n"
            "          sorted(['b', 'A', 'a', 'B'], key=str.lower), sorted([], key=abs),\n"
            "          sorted([3], key=abs)]\n")

    def test_min_and_max_pick_the_first_of_equals(self) -> None:
        """min() and max() with a key return the first value whose key is least or
        greatest, as CPython does."""
        self.same_as_cpython(
            "pairs = [(i % 3, i) for i in range(30)]\n"
            "result = [min(pairs, key=lambda p: p[0]), max(pairs, key=lambda p: p[0]),\n"
            "          min(pairs, key=lambda p: str(p[0])), max([5, -5, 4], key=abs),\n"
            "          min(3, -3, 2, key=abs), max(pairs, key=lambda p: (p[0], 0))]\n")

    def test_the_key_runs_once_per_element_in_order(self) -> None:
        """The script's key runs for every element, first to last, before anything is
        compared; script objects as keys are compared through their own methods."""
        self.same_as_cpython(
            "seen = []\n"
            "def key(v):\n    seen.append(v)\n    return -v\n"
            "class K:\n    def __init__(self, v):\n        self.v = v\n"
            "    def __lt__(self, other):\n        seen.append(('lt', self.v, other.v))\n"
            "        return self.v < other.v\n"
            "out = sorted([4, 1, 3, 1, 2], key=key)\n"
            "low = min([4, 1, 3], key=key)\n"
            "objs = [o.v for o in sorted([K(2), K(1), K(3)], key=lambda o: o)]\n"
            "result = [out, low, objs, seen[:8]]\n")

    def test_a_key_that_raises_stops_the_sort(self) -> None:
        """An exception in the key is the script's, raised before anything is sorted."""
        self.same_as_cpython(
            "def key(v):\n    if v == 3:\n        raise ValueError(v)\n    return v\n"
            "data = [5, 4, 3, 2]\n"
            "try:\n    sorted(data, key=key)\n"
            "except ValueError as e:\n    result = [e.args, data]\n")


class KeyChargeTests(unittest.TestCase):
    """The sort is charged as before: a long sort with a key runs out of ticks."""

    def test_long_keyed_sorts_run_out_of_ticks(self) -> None:
        """Sorting a list of 30 000 with a key, over and over, runs out of a small budget."""
        result = run("data = list(range(30000))\nwhile True:\n"
                     "    data = sorted(data, key=lambda v: -v)\n",
                     budget=Budget(ticks=200_000, seconds=30.0))
        self.assertFalse(result.ok)
        self.assertIn("ran out of ticks", result.aborted or "", result.error)
