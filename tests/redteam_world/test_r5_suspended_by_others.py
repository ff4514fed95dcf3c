# -*- test-case-name: tests.redteam_world.test_r5_suspended_by_others -*-
"""
A stranger cannot switch another owner's thing off for everyone by feeding
it bad input. A script that fails three times in a row is suspended until
its owner saves it again (so a broken script stops costing the server); but
the failures counted are any player's: Bob's counter answers 'count
counter to <n>' with C{int(iobjstr)}, and Carol's 'count counter to abc',
typed three times, suspended it for Alice and every other player, for as
long as Bob is away. Failures one player's commands cause should suspend
the script for her, or count only with failures others (or its owner's own
timers) meet. (Found by
redteam, round 5; not fixed: the rule of suspension is the runtime's,
L{engine.scripts.runtime.ScriptRuntime.failed}.)
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, make

COUNTER = """
def verb_count(actor, dobj, prep, iobj, dobjstr, iobjstr):
    actor.tell("Counted to " + str(int(iobjstr)) + " for " + actor.name + ".")
"""


class SuspendedByOthersTests(TestCase):
    """
    Bob's counter in the town square; Carol types nonsense at it.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "counter", COUNTER)
        self.s.read()

    def test_one_players_bad_input_leaves_it_working_for_others(self) -> None:
        """
        Carol's three 'count counter to abc' fail (her input), and Alice's
        'count counter to 3' is still answered.
        """
        for _ in range(3):
            self.s.carol.send("count counter to abc")
        self.assertIn("Counted to 3 for Alice.", self.s.alice.send("count counter to 3"))
