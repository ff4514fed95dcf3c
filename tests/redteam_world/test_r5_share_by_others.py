# -*- test-case-name: tests.redteam_world.test_r5_share_by_others -*-
"""
A stranger cannot make another owner's things rest for everyone by keeping
them busy. Bob's scripts may use a share of the server's time a minute,
and what others wake may use three quarters of it (the rest is kept for
his own timers); but all players' commands spend that one share: Carol,
typing 'crunch mill' (a verb of tens of thousands of ticks, inside its budget)
about twice a second for half a minute, spent it, and Bob's mill answered
Alice with "mill does nothing just now" for the rest of the minute. What
one player's commands and actions wake should spend a part of the owner's
share of its own first. (Found by redteam, round 5; not fixed: the shares
are L{engine.scripts.runtime.ScriptRuntime.resting}'s.)
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, make

#: A verb of tens of thousands of ticks, inside its budget: 'crunch mill'.
CRUNCH = """
def verb_crunch(actor, *rest):
    n = 0
    for i in range(28000):
        n += i
    actor.tell("Crunched for " + actor.name + ".")
"""

MILL = CRUNCH + """
def verb_ring(actor, *rest):
    actor.tell("The mill rings for " + actor.name + ".")
"""


class ShareByOthersTests(TestCase):
    """
    Bob's mill in the town square; Carol keeps it busy.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "mill", MILL)
        self.s.read()

    def test_one_player_leaves_it_answering_others(self) -> None:
        """
        After Carol's sixty crunches in thirty seconds, the mill still
        answers Alice.
        """
        said = []
        for _ in range(60):
            said.append(self.s.carol.send("crunch mill"))
            self.s.world.clock.advance(0.5)
        self.assertIn("Crunched for Carol.", said[0])
        self.assertIn("The mill rings for Alice.", self.s.alice.send("ring mill"))
