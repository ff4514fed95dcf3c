"""
C{X |= G}, C{&=}, C{-=}, C{^=} with a frozenset C{X} are not charged (found 2026-12-07
reviewing the frozenset charges; L{scripting.hooks.aug} preflights only a C{set} or C{dict}
on the left, and a frozenset falls through to C{operator.ior} and friends).

A frozenset has no in-place operators: C{X |= G} makes C{X | G}, a new frozenset, which
inserts G's elements into a copy of X by their cached hashes and compares each one found
with an equal hash in depth. C{frozenset([T])} and C{frozenset([U])}, T and U distinct
doubled tuples (C{t = (t, t)}), compare 2**DEPTH pairs; their trees were charged once, when
they were made, and each C{|=} after that costs a tick or two. C{X = F | G}, written without
the C{=}, runs out of ticks. Measured with the default budget at depth 17: 100 of them ran
0.19 s for about 100 ticks (2 ms of C a tick, until the task's deadline stops it).
"""

from __future__ import annotations

from twisted.trial import unittest

from scripting import Budget, run

DEPTH = 12
BUDGET = Budget(ticks=100_000, seconds=60.0)
SETUP = f"""
T = ()
U = ()
for i in range({DEPTH}):
    T = (T, T)
    U = (U, U)
F = frozenset([T])
G = frozenset([U])
"""


class FrozensetAugmentedTests(unittest.TestCase):
    """
    200 comparisons of 2**DEPTH pairs, charged as C{F | G} is, are past the budget.
    """

    def assertStopped(self, body: str) -> None:
        result = run(SETUP + body, budget=BUDGET)
        self.assertFalse(result.ok, f"{result.ticks} ticks: {body!r}")

    def test_binary_operator_is_charged(self) -> None:
        """
        The control: C{F | G} runs out of ticks.
        """
        self.assertStopped("for i in range(200):\n    X = F | G\n")

    def test_or(self) -> None:
        self.assertStopped("for i in range(200):\n    X = F\n    X |= G\n")

    def test_and(self) -> None:
        self.assertStopped("for i in range(200):\n    X = F\n    X &= G\n")

    def test_sub(self) -> None:
        self.assertStopped("for i in range(200):\n    X = F\n    X -= G\n")

    def test_xor(self) -> None:
        self.assertStopped("for i in range(200):\n    X = F\n    X ^= G\n")
