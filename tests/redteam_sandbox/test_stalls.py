"""
One C call doing far more work than the ticks paid for it (capability rules
23, 37, 38, 41).

A script pays ticks at safe points in its own code; a C function called from
there runs to completion, uninterruptibly. So every call whose work can grow
with something other than what was already charged must be charged for it
before it runs. These programs look for work that grows with an I{argument}
(a tuple of prefixes, a set of characters to strip, a value compared with
every element) or with a I{leaf} (a long string compared byte by byte),
where the charge counted only the receiver or the references.

Each must be stopped by its ticks or a size limit, with the clock frozen so
that the wall-clock budget cannot be what stops it (it could not interrupt
one C call anyway).
"""

from __future__ import annotations

from twisted.trial import unittest

from scripting import Budget, Domain
from tests.scripting.test_redteam import frozen_clock

_LONG = 's1 = "a" * 1_000_000\ns2 = "a" * 999_999 + "b"\ns3 = "a" * 999_999 + "a"\n'
_LONG_B = 'b1 = b"a" * 1_000_000\nb2 = b"a" * 999_999 + b"b"\n'

STALLS = {
    # range's count/index search by iterating, in C, for anything but an int
    "range.count of a float": "range(10**7).count(0.5)",
    "range.index of a float": "range(10**7).index(-0.5)",
    "range.count unbound": "range.count(range(10**7), 0.5)",
    "range.count of a huge range": "range(10**18).count(0.5)",
    # prefixes and suffixes: a tuple of them is compared one by one
    "startswith a tuple of long prefixes":
        's = "a" * 1_000_000\np = "a" * 999_990 + "b" + "a" * 9\ns.startswith((p,) * 20000)',
    "endswith a tuple of long suffixes":
        's = "a" * 1_000_000\np = "a" * 9 + "b" + "a" * 999_990\ns.endswith((p,) * 20000)',
    "startswith on a short string, many prefixes":
        's = "a" * 4000\np = "a" * 3990 + "b" + "a" * 9\ns.startswith((p,) * 100_000)',
    "bytes.startswith a tuple": _LONG_B + "b1.startswith((b2,) * 20000)",
    # strip(chars) looks every character up in chars
    "strip with a long set of characters":
        's = "b" * 100_000\nc = "a" * 1_000_000 + "b"\ns.strip(c)',
    "lstrip of a short string, long characters":
        's = "b" * 60\nc = "a" * 4_000_000 + "b"\ns.lstrip(c)',
    "rstrip unbound": 's = "b" * 100_000\nc = "a" * 1_000_000 + "b"\nstr.rstrip(s, c)',
    "bytes.strip with long characters":
        's = b"b" * 100_000\nc = b"a" * 1_000_000 + b"b"\ns.strip(c)',
    # long leaves compared: references are cheap, the bytes behind them are not
    "in a list of long strings": _LONG + "xs = [s1] * 20000\ns2 in xs",
    "list.count of a long string": _LONG + "xs = [s1] * 20000\nxs.count(s2)",
    "list.index of a long string": _LONG + "xs = [s1] * 20000\nxs.index(s2)",
    "tuple.count of a long string": _LONG + "xs = (s1,) * 20000\nxs.count(s2)",
    "== on lists of long strings": _LONG + "[s1] * 20000 == [s3] * 20000",
    "sorted long strings": _LONG + "sorted([s1, s2] * 300)",
    "max of long strings": _LONG + "max([s1, s3] * 10000)",
    "sort key returning long strings":
        _LONG + "sorted(range(600), key=lambda i: s1 if i % 2 else s2)",
    "in a list of long bytes": _LONG_B + "xs = [b1] * 20000\nb2 in xs",
}

BUDGET = Budget(ticks=100_000, seconds=0.5)


class CallStallTests(unittest.TestCase):
    """
    No single C call buys more work than the ticks charged before it.
    """

    def test_stopped_by_ticks(self) -> None:
        """
        Each program ends by a budget (ticks, size), never by completing,
        never by a clock that does not move, never over its ticks.
        """
        problems = []
        for name, source in STALLS.items():
            result = Domain("stall", clock=frozen_clock).run(source, budget=BUDGET)
            if result.ok:
                problems.append(f"{name}: completed")
            elif result.aborted is None:
                problems.append(f"{name}: ended by an error after doing the work: "
                                f"{(result.error or '').splitlines()[-1]}")
            elif result.aborted == "ran out of time":
                problems.append(f"{name}: stopped by a clock that never moves")
            if result.ticks > BUDGET.ticks:
                problems.append(f"{name}: used {result.ticks} ticks")
        self.assertEqual(problems, [], "\n".join(problems))


#: What ordinary scripts do with the same methods, and the most ticks each may cost.
ORDINARY = {
    "strip and startswith on lines":
        ('lines = ["  # note  ", " key = value "] * 500\nn = 0\nfor line in lines:\n'
         '    line = line.strip()\n    if line.startswith("#") or line.endswith(("!", "?")):\n'
         '        n += 1\n    line.rstrip("\\n").lstrip()\n', 15_000),
    "words in a list": ('words = ["apple", "pear", "plum"] * 100\nn = 0\nfor w in words:\n'
                        '    if w in ["plum", "fig"]:\n        n += 1\n', 1_500),
    "sorting names": ('names = [str(i) * 3 for i in range(2000)]\nsorted(names)\n'
                      'max(names)\nnames.index("999")\n', 11_000),
    "range membership and count": ("r = range(10**9)\nn = r.count(5) + r.index(7)\n"
                                   "5 in r", 100),
}


class OrdinaryUseTests(unittest.TestCase):
    """
    Charging the arguments does not make ordinary calls dear.
    """

    def test_ordinary_calls_stay_cheap(self) -> None:
        """
        Each ordinary program runs, within a small number of ticks.
        """
        problems = []
        for name, (source, most) in ORDINARY.items():
            result = Domain("ordinary").run(source, budget=BUDGET)
            if not result.ok:
                problems.append(f"{name}: {result.error}")
            elif result.ticks > most:
                problems.append(f"{name}: {result.ticks} ticks (at most {most})")
        self.assertEqual(problems, [], "\n".join(problems))
