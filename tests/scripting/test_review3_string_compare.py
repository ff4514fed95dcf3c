"""
C compares two strings (or bytes) in time proportional to their common length: equal
strings that are different objects, or strings that differ only at their end, are
compared byte by byte. Wherever a comparison is charged a fixed cost (a step of a walk,
an element of an iterator, a key of a hash table), a script compared two long strings
for one step: C{A in iter([C] * n)}, A and C of 1 MiB differing in their last character,
compares 2**20 bytes n times for n ticks, and never reaches a tick point that checks the
wall clock.

Every test below runs one operation twice: with strings of C{LONG} characters, where it
must run out of ticks, and with strings of L{SHORT_LEAF} characters (compared in about a
step), where the same code, the same number of comparisons and the setup fit the budget.
"""

from __future__ import annotations

from twisted.trial import unittest

from scripting import Budget, run
from scripting.charge import SHORT_LEAF

LONG = 1 << 20
BUDGET = Budget(ticks=60_000, seconds=60.0)


def setup(length: int) -> str:
    """A and B equal strings that are different objects, C equal to A but its last
    character; their bytes twins; O a class whose instances no native comparison can
    walk (they make a container not inert)."""
    return (
        f"A = 'a' * {length}\n"
        f"B = 'a' * {length - 1} + 'a'\n"
        "C = A[:-1] + 'b'\n"
        f"AB = b'a' * {length}\n"
        f"BB = b'a' * {length - 1} + b'a'\n"
        "CB = AB[:-1] + b'b'\n"
        "class O:\n"
        "    def __eq__(self, other):\n"
        "        return self is other\n"
        "    def __lt__(self, other):\n"
        "        return False\n"
        "    def __gt__(self, other):\n"
        "        return False\n"
        "o = O()\n"
        "class It:\n"
        "    def __init__(self, values):\n"
        "        self.values = values\n"
        "    def __iter__(self):\n"
        "        return iter(self.values)\n"
    )


class _Charged(unittest.TestCase):
    """Each case: C{code} runs out of ticks with long strings, fits with short ones."""

    def check(self, code: str, n: int = 1000) -> None:
        code = code.replace("N", str(n))
        short = run(setup(SHORT_LEAF) + code, budget=BUDGET)
        self.assertTrue(short.ok, f"short strings: {short.error}")
        long = run(setup(LONG) + code, budget=BUDGET)
        self.assertIn("ran out of ticks", str(long.error),
                      f"{n} comparisons of {LONG} characters for {long.ticks} ticks")


class WalkedComparisonTests(_Charged):
    """Comparisons a trusted loop makes one element at a time."""

    def test_in_iterator(self) -> None:
        """C{item in iterator} compares the item with every element."""
        self.check("x = A in iter([C] * N)\n")

    def test_in_generator(self) -> None:
        self.check("x = A in (s for s in [C] * N)\n")

    def test_in_script_iterable(self) -> None:
        self.check("x = A in It([C] * N)\n")

    def test_bytes_in_iterator(self) -> None:
        self.check("x = AB in iter([CB] * N)\n")

    def test_list_equal_walked(self) -> None:
        """Lists holding a script object are compared a step at a time: each step compares
        two long equal strings."""
        self.check("x = [A] * N + [o] == [B] * N + [o]\n")

    def test_tuple_order_walked(self) -> None:
        self.check("x = (A,) * N + (o,) < (B,) * N + (o,)\n")

    def test_dict_equal_walked(self) -> None:
        self.check("d = {i: A for i in range(N)}\nd[-1] = o\n"
                   "e = {i: B for i in range(N)}\ne[-1] = o\nx = d == e\n")

    def test_list_in_walked(self) -> None:
        self.check("x = C in [A] * N + [o]\n")

    def test_list_count_walked(self) -> None:
        self.check("x = ([A] * N + [o]).count(B)\n")

    def test_sorted_walked(self) -> None:
        """A sort whose keys are not inert compares them one pair at a time."""
        self.check("x = sorted([A, B] * N + [o])\n", n=200)

    def test_max_walked(self) -> None:
        self.check("x = max([A, B] * N + [o])\n")


class NativeComparisonTests(_Charged):
    """Comparisons C makes in one call, charged beforehand."""

    def test_max_inert(self) -> None:
        self.check("x = max([A, B] * N)\n")

    def test_sorted_inert(self) -> None:
        self.check("x = sorted([A, B] * N)\n", n=200)

    def test_list_count_inert(self) -> None:
        self.check("x = ([A] * N).count(B)\n")

    def test_tuples_equal_inert(self) -> None:
        self.check("x = (A,) * N == (B,) * N\n")


class HashedTests(_Charged):
    """A hash table compares a key with the key of equal hash it finds unless they are the
    same object: equal long strings that are different objects are compared in full."""

    def test_set(self) -> None:
        self.check("x = set([A, B] * N)\n")

    def test_frozenset_bytes(self) -> None:
        self.check("x = frozenset([AB, BB] * N)\n")

    def test_fromkeys(self) -> None:
        self.check("x = dict.fromkeys([A, B] * N)\n")

    def test_set_update(self) -> None:
        self.check("x = set()\nx.update([A, B] * N)\n")

    def test_dict_pairs(self) -> None:
        self.check("x = dict(zip([A, B] * N, range(2 * N)))\n")

    def test_dict_ior_mapping(self) -> None:
        """A mapping read by its keys() (L{scripting.charge.pairs})."""
        self.check("class M:\n"
                   "    def keys(self):\n"
                   "        return [A, B] * N\n"
                   "    def __getitem__(self, k):\n"
                   "        return 1\n"
                   "x = {}\nx |= M()\n")

    def test_tuple_keys(self) -> None:
        """Tuples of equal hash are compared element by element."""
        self.check("x = set([(A,), (B,)] * N)\n", n=100)
