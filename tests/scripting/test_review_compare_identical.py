"""
A container compared with itself is compared natively and uncharged (found 2026-12-07
reviewing L{scripting.hooks.cmp} and L{scripting.charge.compared}, which both skip the
charge when C{a is b}; so does L{scripting.charge.compare_cost}).

C shortcuts identical I{elements}, not the container: C{d == d} looks every key of C{d} up
in C{d} again, and C{a == a} or C{a < a} visits every slot of C{a}. With a dict of 150,000
keys (28,000 ticks to make) each C{d == d} is about 1.4 ms of C for a tick or two: 1000 of
them ran 1.44 s for 1,002 ticks (the default budget's deadline stops a task after 0.5 s,
about 350 ticks). Charged as comparing two equal containers is (their weight), they would
run out of ticks.
"""

from __future__ import annotations

from twisted.trial import unittest

from scripting import Budget, run

BUDGET = Budget(ticks=100_000, seconds=60.0)


class IdenticalOperandsTests(unittest.TestCase):
    def assertStopped(self, body: str) -> None:
        result = run(body, budget=BUDGET)
        self.assertFalse(result.ok, f"{result.ticks} ticks: {body!r}")

    def test_equal_copies_are_charged(self) -> None:
        """
        The control: the same comparisons of a copy run out of ticks.
        """
        self.assertStopped("d = dict.fromkeys(range(20000))\ne = dict(d)\n"
                           "for i in range(200):\n    x = d == e\n")

    def test_dict_with_itself(self) -> None:
        self.assertStopped("d = dict.fromkeys(range(20000))\nfor i in range(200):\n"
                           "    x = d == d\n")

    def test_list_with_itself(self) -> None:
        self.assertStopped("a = [0] * 100000\nfor i in range(200):\n    x = a == a\n")
        self.assertStopped("a = [0] * 100000\nfor i in range(200):\n    x = a < a\n")

    def test_in_a_chain(self) -> None:
        self.assertStopped("d = dict.fromkeys(range(20000))\nfor i in range(200):\n"
                           "    x = d == d == d\n")
