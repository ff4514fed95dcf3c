"""
A chained comparison charges and checks each operand when it is evaluated, but a later
operand is script code that runs after the earlier ones were checked and before C compares
them (found 2026-12-07 reviewing L{scripting.hooks.cv} and
L{scripting.rewrite._Rewriter._chained}).

C{c == b == g()}: C{$cv(c)} and C{$cv(b)} find two lists of numbers (inert, charged a few
ticks) and C compares them; then C{g()} runs and puts a script object into C{b}, and returns
C{r}, inert when C{$cv} looks at it. C then compares C{b} with C{r} natively, and meets the
script object: its C{__eq__} (script code, a few ticks) puts two distinct doubled tuples
(C{t = (t, t)}, built in a step a level) into C{b} and C{r}, and C goes on to compare them,
2**DEPTH pairs, uncharged. At depth 22 that is about 0.07 s for under 200 ticks, doubling
per level: depth 40 stalls the reactor for hours.
"""

from __future__ import annotations

from twisted.trial import unittest

from scripting import Budget, run

DEPTH = 22
BUDGET = Budget(ticks=20_000, seconds=60.0)

#: Two distinct doubled tuples, a class whose __eq__ swaps them in, and three lists.
SETUP = f"""
T = ()
U = ()
for i in range({DEPTH}):
    T = (T, T)
    U = (U, U)
class K:
    def __eq__(self, o):
        b[1] = T
        r[1] = U
        return True
c = [0, 0]
b = [0, 0]
r = [0, 0]
def g():
    b[0] = K()
    return r
"""


class ChainOperandChangedLaterTests(unittest.TestCase):
    def assertStopped(self, body: str) -> None:
        result = run(SETUP + body, budget=BUDGET)
        self.assertFalse(
            result.ok, f"C compared 2**{DEPTH} pairs for {result.ticks} ticks: {body!r}")

    def test_middle_operand_changed_by_a_later_one(self) -> None:
        """
        C{c == b == g()}: C{b} was checked before C{g()} put a script object in it.
        """
        self.assertStopped("x = c == b == g()\n")

    def test_first_operand_of_the_second_pair(self) -> None:
        """
        C{b == g() != 1}: the same with the literal at the end (it exempts only its own
        comparison).
        """
        self.assertStopped("x = b == g() != 1\n")
