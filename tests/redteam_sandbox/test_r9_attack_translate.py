"""Red team, round 9: C{str.translate} of non-ASCII text was charged as a copy.

Charged C work reads the clock before it runs, so one call may overrun the wall budget by
its own time only: what a charge is worth in time is the bound. C{translate} was charged
a tick per 256 characters (a copy), but CPython looks every character of non-ASCII text
(or of ASCII text mapped to non-ASCII) up in the table: ~80 ns a character, 0.64 s a call
for 7.9 million Arabic-Indic zeros on 3.11, for 31 000 ticks (~24 us a tick, where a
foreground budget allows 5). And it charged one byte a character of memory for a result
that may take four.

Asserted: the mechanism (ticks and memory by the characters looked up), not a time.
"""

from __future__ import annotations

from twisted.trial import unittest

from scripting import Budget, Domain

LONG = 1_000_000

SOURCE = (
    "def spent(text, table):\n    before = ticks_left()\n"
    "    text.translate(table)\n    return before - ticks_left()\n"
    "def go(kind):\n"
    "    if kind == 'wide':\n        return spent('\\u0660' * " + str(LONG) + ", {})\n"
    "    if kind == 'to wide':\n"
    "        return spent('a' * " + str(LONG) + ", {97: '\\U0001F600'})\n"
    "    if kind == 'to wide ordinal':\n"
    "        return spent('a' * " + str(LONG) + ", {97: 128512})\n"
    "    return spent('a' * " + str(LONG) + ", {98: 'c'})\n"
    "def big():\n    x = 'a' * 7000000\n    return len(x.translate({97: '\\U0001F600'}))\n")


class TranslateChargeTests(unittest.TestCase):
    """C{translate} costs ticks by the characters it looks up one by one."""

    def test_lookups_cost_ticks(self) -> None:
        module = Domain("ann").load(SOURCE)
        for kind in ("wide", "to wide", "to wide ordinal"):
            result = module.call("go", kind, budget=Budget(ticks=10**6, seconds=60.0))
            self.assertTrue(result.ok, (kind, result.error))
            self.assertGreaterEqual(result.value, LONG >> 6, kind)

    def test_ascii_to_ascii_stays_a_copy(self) -> None:
        """What CPython copies (ASCII text through an ASCII table) costs what it did."""
        result = Domain("ann").load(SOURCE).call("go", "ascii")
        self.assertTrue(result.ok, result.error)
        self.assertLess(result.value, LONG >> 6)

    def test_wide_result_charged_its_memory(self) -> None:
        """Seven million characters made four bytes each (28 MB) from a 7 MB text: over a
        foreground task's 32 MB with the text itself, where it was charged 14 MB."""
        result = Domain("ann").load(SOURCE).call(
            "big", budget=Budget(ticks=10**7, seconds=60.0))
        self.assertEqual(result.aborted, "used too much memory", result.value)
