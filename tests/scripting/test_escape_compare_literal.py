"""
A literal in a chained comparison no longer lets the rest of the chain compare uncharged
(found 2026-12-07 while closing the compare window, L{test_escape_compare_toctou}; closed
the same day in L{scripting.rewrite._Rewriter.visit_Compare}).

A single comparison with a literal number or string on one side is bounded work in C
whatever the other side is (a container compared with a number is told apart by type, a
script object's method is script code and ticks). The rewriter exempted every comparison
with a literal anywhere, chains included: C{[a] == [b] == 1} compares C{[a]} with C{[b]}
natively, and C{a == b is not None} compares C{a} with C{b} (C{None} is a literal too).
With doubled tuples (C{t = (t, t)}) of depth 22 that took 0.06 s charged 121 ticks,
doubling per level: depth 40 stalls the reactor for hours. It also skipped the refusal of
script objects in a chain (L{scripting.hooks.cv}). Now every operand of a chain that is not
a literal goes through C{$cv} (numbers, the common case, through an inline exact-type
guard), and these run out of their 20,000 ticks or are refused.

Membership (C{in}, C{not in}) is checked here too: a literal tuple, list, set or dict on
the right goes through C{$in}, which charges the item's tree; a chain with C{in} is refused
when the script is checked.
"""

from __future__ import annotations

from twisted.trial import unittest

from scripting import Budget, run

#: Two doubled tuples: comparing them walks 2**DEPTH pairs.
DEPTH = 20
DOUBLED = f"a = ()\nb = ()\nfor i in range({DEPTH}):\n    a = (a, a)\n    b = (b, b)\n"
#: A script class whose comparisons count themselves.
K = "class K:\n    def __eq__(self, o):\n        return True\n"
BUDGET = Budget(ticks=20_000, seconds=30.0)


class LiteralInChainTests(unittest.TestCase):
    def outcome(self, body: str) -> str:
        result = run(DOUBLED + K + body, budget=BUDGET)
        self.assertFalse(result.ok, f"completed, charged {result.ticks} ticks: {body!r}")
        return str(result.error)

    def assertOutOfTicks(self, body: str) -> None:
        self.assertIn("ran out of ticks", self.outcome(body))

    def assertRefused(self, body: str) -> None:
        self.assertIn("a chained comparison may not compare your objects", self.outcome(body))

    def test_literal_at_the_end_of_a_chain(self) -> None:
        """
        C{[a] == [b] == 1}: the literal is compared with the result, C{[a]} with C{[b]}.
        """
        self.assertOutOfTicks("x = [a] == [b] == 1\n")
        self.assertOutOfTicks("x = [a] < [b] < 1\n")
        self.assertOutOfTicks("x = a != b != 'x'\n")

    def test_literal_at_the_start_of_a_chain(self) -> None:
        """
        C{0 <= a <= b}: the literal is compared with C{a} only.
        """
        self.assertOutOfTicks("x = 0 != a != b\n")
        self.assertOutOfTicks("x = () <= a <= b\n")

    def test_long_strings_in_a_chain(self) -> None:
        """
        A chain charges strings by their length as a single comparison does: 4000 copies
        of two 100,000-character strings that differ at the end, compared in a chain.
        """
        strings = ("s = 'a' * 100000 + 'b'\nt = 'a' * 100000 + 'c'\n"
                   "x = [s] * 4000\ny = [t] * 4000\n")
        self.assertOutOfTicks(strings + "z = x == y\n")
        self.assertOutOfTicks(strings + "z = x == y != 1\n")
        self.assertOutOfTicks(strings + "z = x == y != []\n")

    def test_none_in_a_chain(self) -> None:
        """
        C{a == b is not None}: C{None} is a literal; C{is} itself compares nothing.
        """
        self.assertOutOfTicks("x = a == b is not None\n")
        self.assertOutOfTicks("x = None is not a == b\n")

    def test_script_objects_in_a_chain_with_a_literal(self) -> None:
        """
        A chain with a literal refuses script objects, as one without does.
        """
        self.assertRefused("x = K() == K() == 1\n")
        self.assertRefused("x = [K()] == [K()] != 0\n")

    def test_literal_containers_on_the_right_of_in(self) -> None:
        """
        C{a in (b, 1)}, C{[b]}, C{{b}}, C{{b: 1}} and C{not in}: the item is charged.
        """
        self.assertOutOfTicks("x = a in (b, 1)\n")
        self.assertOutOfTicks("x = a in [b, 1]\n")
        self.assertOutOfTicks("x = a not in (b, 1)\n")
        self.assertOutOfTicks("x = a in {1: 2}\n")
        self.assertOutOfTicks("x = a not in {1}\n")

    def test_in_in_a_chain_is_refused(self) -> None:
        """
        A chain with C{in} is refused before it runs.
        """
        self.assertIn("chained comparisons with 'in' are not allowed",
                      self.outcome("x = a in [b] in [1]\n"))
        self.assertIn("chained comparisons with 'in' are not allowed",
                      self.outcome("x = 1 == 1 not in [a]\n"))

    def test_range_checks_still_work(self) -> None:
        """
        C{0 <= i < n} on numbers, and chains with literals on strings, give Python's
        answers and cost what a comparison does.
        """
        result = run(
            "n = 10\nhits = 0\n"
            "for i in range(-5, 20):\n"
            "    if 0 <= i < n:\n        hits += 1\n"
            "    if 0.5 < i <= 3 != i:\n        hits += 100\n"
            "x = 'a' < 'b' < 'c'\ny = 1 < 2 > 5\nz = 0 == 0.0 == False\n"
            "w = [1] == [1] != 0\nv = None is not n == 10\n"
            "(hits, x, y, z, w, v)\n",
            budget=BUDGET)
        self.assertTrue(result.ok, result.error)
        self.assertEqual(result.value, (10 + 200, True, False, True, True, True))


#: Two equal frozensets of doubled tuples, each charged once when built; the dict and set
#: hold the second, so looking the first up finds a hash to match and compares them.
FROZEN = (
    "fa = frozenset([a])\nfb = frozenset([b])\nS = {fb}\nD = {fb: 1}\nL = [fb]\n"
    "n = 0\nfor i in range(300):\n"
)


class FrozensetKeyTests(unittest.TestCase):
    """
    A frozenset caches its hash, but a lookup that finds an equal hash compares it with the
    key it found, element by element: a frozenset of doubled tuples, charged once when
    built, was compared uncharged at every lookup (the rewriter and the hooks charged the
    tree of a tuple key only). Three hundred lookups of depth 20 took about a second on
    about 300 ticks; now each is charged the key's tree, as a tuple key is.
    """

    def assertOutOfTicks(self, body: str) -> None:
        result = run(DOUBLED + FROZEN + body, budget=Budget(ticks=2_000_000, seconds=60.0))
        self.assertFalse(result.ok, f"completed, charged {result.ticks} ticks: {body!r}")
        self.assertIn("ran out of ticks", str(result.error))

    def test_in(self) -> None:
        """
        C{fa in S}, C{fa in D}, C{fa not in S}.
        """
        self.assertOutOfTicks("    n += fa in S\n")
        self.assertOutOfTicks("    n += fa in D\n")
        self.assertOutOfTicks("    n += fa not in S\n")
        self.assertOutOfTicks("    n += fa in D.keys()\n")

    def test_lookups(self) -> None:
        """
        C{D[fa]}, C{D.get(fa)}, C{S.discard}, a key in a 1-tuple, building a set.
        """
        self.assertOutOfTicks("    n += D[fa]\n")
        self.assertOutOfTicks("    n += D.get(fa, 0)\n")
        self.assertOutOfTicks("    S.discard(fa)\n    S.add(fb)\n")
        self.assertOutOfTicks("    n += {(fb,): 1}.get((fa,), 0)\n")
        self.assertOutOfTicks("    n += len(set(L + [fa]))\n")
