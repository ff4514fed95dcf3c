"""
A dict's or set's hashing method taken as a value (C{d.get}, C{s.add}, C{d.setdefault},
C{s.discard}, ...) looks a frozenset up uncharged (found 2026-12-07 reviewing the frozenset
charges of L{scripting.hooks.hk}; the guard is L{scripting.guards._hashing}, which walks a
tuple argument's tree and nothing else).

The rewriter charges a frozenset key when the script writes the call (C{d.get(G)}: its key
guard), but a bound method handed to C{max}, C{sorted} or C{map} is called by C through the
attribute guard. A frozenset caches its hash, so the lookup finds the key of equal hash and
compares the two in depth: C{frozenset([T])} with C{frozenset([U])}, T and U distinct
doubled tuples (C{t = (t, t)}), compares 2**DEPTH pairs. Both trees are charged once, when
the frozensets are made; every lookup after that is free. C{sorted} and C{max} compute all
their keys in one C call (L{scripting.charge.keys_of}), so nothing stops it: measured with
the default budget, C{max([G] * 4096, key=d.get)} at depth 16 ran 4.8 s for 51,304 ticks
(and the list can be 25 times longer within the ticks).
"""

from __future__ import annotations

from twisted.trial import unittest

from scripting import Budget, run

DEPTH = 12
N = 512
BUDGET = Budget(ticks=100_000, seconds=60.0)

#: Two equal frozensets, each of a distinct doubled tuple, one of them a key of d and s.
SETUP = f"""
T = ()
U = ()
for i in range({DEPTH}):
    T = (T, T)
    U = (U, U)
F = frozenset([T])
G = frozenset([U])
d = {{F: 1}}
s = {{F}}
many = [G] * {N}
"""


class BoundHashingMethodTests(unittest.TestCase):
    """
    Each lookup below compares 2**DEPTH pairs, N times: charged as a written
    C{d.get(G)} is, it is far past the budget.
    """

    def assertStopped(self, body: str) -> None:
        result = run(SETUP + body, budget=BUDGET)
        self.assertFalse(result.ok, f"{N} lookups of 2**{DEPTH} pairs each for "
                                    f"{result.ticks} ticks: {body!r}")

    def test_written_call_is_charged(self) -> None:
        """
        The control: the same lookups written as calls run out of ticks.
        """
        self.assertStopped("for g in many:\n    x = d.get(g)\n")

    def test_max_key(self) -> None:
        self.assertStopped("x = max(many, key=d.get)\n")

    def test_sorted_key(self) -> None:
        self.assertStopped("x = sorted(many, key=d.get)\n")

    def test_map_get(self) -> None:
        self.assertStopped("x = list(map(d.get, many))\n")

    def test_map_setdefault(self) -> None:
        self.assertStopped("x = list(map(d.setdefault, many))\n")

    def test_map_set_add(self) -> None:
        """
        C{s.add(G)} finds C{F} equal and keeps it: every call compares.
        """
        self.assertStopped("x = list(map(s.add, many))\n")

    def test_bound_method_in_a_loop(self) -> None:
        """
        The method read once and called in a loop: a tick or two a lookup.
        """
        self.assertStopped("g = d.get\nfor x in many:\n    g(x)\n")

    def test_unbound_methods(self) -> None:
        """
        C{dict.get(d, G)}, C{set.add(s, G)}, C{dict.setdefault(d, G)}: the same guard.
        """
        self.assertStopped("for x in many:\n    dict.get(d, x)\n")
        self.assertStopped("for x in many:\n    set.add(s, x)\n")
        self.assertStopped("for x in many:\n    dict.setdefault(d, x)\n")
