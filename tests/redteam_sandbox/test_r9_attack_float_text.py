"""Red team, round 9: C{float()} and C{complex()} of long text ran uncharged.

A refill reads the task's clock once every C{task.CLOCK_TICKS} (1 000) ticks. C{float(s)}
and C{complex(s)} were the raw types: a call cost the tick of its statement however long
C{s} was, and CPython scans all of it (turning every Unicode digit into an ASCII one first):
~70 ms for six million Arabic-Indic zeros. A loop of ~3 ticks an iteration made ~340 calls
between two reads of the clock: one foreground command (0.5 s) held the reactor ~19 s.

What is asserted is the mechanism, not a time: parsing text costs ticks by its length, as
C{int()} of text does (C{charge.scan}), so a trusted charge reads the clock before each call.
"""

from __future__ import annotations

from twisted.trial import unittest

from scripting import Budget, Domain

#: text as long as a task may build and keep (a wide one: 4 bytes a character charged)
LONG = 6_000_000

SOURCE = (
    "s = ''\nn = 0\n"
    "def setup(kind):\n    global s\n"
    "    if kind == 'wide':\n        s = '\\u0660' * " + str(LONG) + "\n"
    "    elif kind == 'ascii':\n        s = '0' * " + str(LONG) + "\n"
    "    else:\n        s = b'0' * " + str(LONG) + "\n"
    "def spent(how):\n    before = ticks_left()\n"
    "    if how == 'float':\n        float(s)\n    else:\n        complex(s)\n"
    "    return before - ticks_left()\n"
    "def loop():\n    global n\n    while True:\n        n += 1\n        float(s)\n"
    "def count():\n    return n\n")


class LongTextParsingTests(unittest.TestCase):
    """C{float()} and C{complex()} charge for the text they read."""

    def test_parsing_text_costs_ticks_by_its_length(self) -> None:
        module = Domain("ann").load(SOURCE)
        for kind, how in (("wide", "float"), ("wide", "complex"), ("ascii", "float"),
                          ("ascii", "complex"), ("bytes", "float")):
            setup = module.call("setup", kind)
            self.assertTrue(setup.ok, setup.error)
            result = module.call("spent", how, budget=Budget(ticks=10**6, seconds=60.0))
            self.assertTrue(result.ok, (kind, how, result.error))
            self.assertGreaterEqual(result.value, LONG >> 8, (kind, how))

    def test_a_loop_of_them_stops_within_its_ticks(self) -> None:
        """The loop that held the reactor: stopped after a few calls (ticks), not after
        the ~340 that fitted between two reads of the clock."""
        module = Domain("ann").load(SOURCE)
        self.assertTrue(module.call("setup", "wide").ok)
        result = module.call("loop", budget=Budget())
        self.assertIn(result.aborted, ("ran out of ticks", "ran out of time"))
        self.assertLess(module.call("count").value, 30)
