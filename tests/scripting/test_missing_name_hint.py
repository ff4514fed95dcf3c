"""
A name a module lacks is said with what the module exports and the name
meant (session of 2026-12-07 late evening: 'from dice import rol'); the
comparing is charged to the script that failed, and bounded.
"""

from __future__ import annotations

from twisted.trial import unittest

from scripting import Budget, Domain
from scripting.facades import NEAR_COMPARED, Namespace, _near_name

BUDGET = Budget(ticks=5_000_000, seconds=30.0)

#: Fails at a missing name 100 times, catching each.
PROBE = """
import {name}
for i in range(100):
    try:
        {name}.b000
    except AttributeError:
        pass
"""


def _library(count: int) -> str:
    names = [f"a{i:04}" for i in range(count)]
    return f"exports = {tuple(names)!r}\n" + "".join(f"{n} = 1\n" for n in names)


class MissingNameHintTests(unittest.TestCase):
    """
    The hint on a missing name.
    """

    def _ticks(self, count: int) -> int:
        domain = Domain("ann")
        domain.load(_library(count), name="big", library=True, budget=BUDGET)
        result = domain.run(PROBE.format(name="big"), budget=BUDGET)
        self.assertTrue(result.ok, result.error)
        return result.ticks

    def test_missing_name_flood_charged(self) -> None:
        """
        A script failing at a missing name of a library of many exports, again
        and again, pays for what the hint reads each time (it cannot make the
        server compare names for free).
        """
        small, big = self._ticks(2), self._ticks(2000)
        self.assertGreaterEqual(big - small, 100 * 2000)

    def test_compared_bounded(self) -> None:
        """
        However many names a library exports, at most NEAR_COMPARED are
        compared with the missing one.
        """
        names = [f"a{i:04}" for i in range(5000)]
        near, compared = _near_name("b000", names)
        self.assertIsNone(near)
        self.assertEqual(compared, NEAR_COMPARED * 5)

    def test_hint_words(self) -> None:
        """
        A library's names are listed and the closest suggested; a standard
        module's are only suggested from.
        """
        lib = Namespace("dice", {"roll": 1, "d6": 2})
        self.assertEqual(lib.missing("rol"), " (dice exports: d6, roll; did you mean roll?)")
        self.assertEqual(lib.missing("ROLL"), " (dice exports: d6, roll; did you mean roll?)")
        self.assertEqual(Namespace("math", {"sqrt": 1}).missing("sqr"),
                         " (did you mean sqrt?)")
        self.assertEqual(Namespace("math", {"sqrt": 1}).missing("x"), "")
