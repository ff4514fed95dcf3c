# -*- test-case-name: tests.redteam_world.test_r7_strikes_window -*-
"""
A player cannot dodge a refusal by running a script well between her
failures (issue 9). Before, only failures in a row counted, and her own
success ended her streak: Carol failing Bob's counter, counting well once,
failing it again, and so on, broke it every other try for as long as she
liked (each failure rolled back and told to Bob). Now her failures also
count within L{strikes.WINDOW}, whatever she did between: the third of
them in that time makes it refuse her. Three in a row (more than
L{strikes.WINDOW} apart) still do; her success ends only that run.
Bob's own failures still suspend it only in a row.
"""

from __future__ import annotations

from twisted.internet.task import Clock
from twisted.trial.unittest import TestCase

from engine.scripts import strikes
from engine.scripts.strikes import SUSPEND_AFTER, WINDOW, Strikes
from tests.redteam_world.test_r6_fail_strikes import COUNTER
from tests.scripts.helpers import Scene, flat, make


class AlternatingTests(TestCase):
    """
    Bob's counter in the town square, answering 'count counter to <n>'.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "counter", COUNTER)
        self.s.read()

    def test_success_between_does_not_dodge(self) -> None:
        """
        Carol alternating a failure and a success: her third failure
        makes the counter refuse her, and her next good count is not
        answered.
        """
        said = ""
        for n in range(SUSPEND_AFTER):
            said = flat(self.s.carol.send("count counter to abc"))
            if n < SUSPEND_AFTER - 1:
                self.assertIn(f"Counted to {n} for Carol.",
                              self.s.carol.send(f"count counter to {n}"))
        self.assertIn("The script on counter is not answering you for now", said)
        again = flat(self.s.carol.send("count counter to 9"))
        self.assertNotIn("Counted", again)
        self.assertIn("not answering you", again)
        self.assertIn("Counted to 4 for Alice.", self.s.alice.send("count counter to 4"))

    def test_owner_told_why(self) -> None:
        """
        Bob is told it refuses Carol for failures she caused, not all in a
        row.
        """
        for n in range(SUSPEND_AFTER):
            self.s.carol.send("count counter to abc")
            self.s.carol.send(f"count counter to {n}")
        told = flat(self.s.bob.output())
        self.assertIn(f"failed {SUSPEND_AFTER} times in {round(WINDOW / 60)} minutes through "
                      "what Carol did, so it does not answer Carol", told)

    def test_spread_out_failures_do_not_refuse(self) -> None:
        """
        Carol's failures more than WINDOW apart, with successes between,
        never refuse her: a flaky script does not shut out its players.
        """
        for n in range(SUSPEND_AFTER * 3):
            self.s.carol.send("count counter to abc")
            self.assertIn(f"Counted to {n} for Carol.",
                          self.s.carol.send(f"count counter to {n}"))
            self.s.world.clock.advance(WINDOW / (SUSPEND_AFTER - 1))

    def test_owners_own_alternation_does_not_suspend(self) -> None:
        """
        Bob alternating failures and successes on his own counter does
        not suspend it: his own failures count in a row, as before.
        """
        for n in range(SUSPEND_AFTER * 2):
            self.s.bob.send("count counter to abc")
            self.assertIn(f"Counted to {n} for Bob.", self.s.bob.send(f"count counter to {n}"))
        self.assertIn("running", self.s.bob.send("@script/show counter"))


class WindowTests(TestCase):
    """
    L{Strikes} counting a player's failures in a row and within
    L{strikes.WINDOW}.
    """

    def setUp(self) -> None:
        self.clock = Clock()
        self.strikes = Strikes(self.clock)

    def test_alternation_refused(self) -> None:
        """
        A failure, a success, and again: refused at the third failure.
        """
        results = []
        for _ in range(SUSPEND_AFTER):
            results.append(bool(self.strikes.fail(1, 1, 7)))
            self.strikes.succeeded(1, 7)
            self.clock.advance(1)
        self.assertEqual(results, [False] * (SUSPEND_AFTER - 1) + [True])
        self.assertIsNotNone(self.strikes.refused_until(1, 1, 7))

    def test_in_a_row_still_refused_past_the_window(self) -> None:
        """
        Three in a row, each just under FORGET_AFTER apart (far more than
        WINDOW), still refuse.
        """
        for _ in range(SUSPEND_AFTER - 1):
            self.assertFalse(self.strikes.fail(1, 1, 7))
            self.clock.advance(strikes.FORGET_AFTER - 1)
        self.assertTrue(self.strikes.fail(1, 1, 7))

    def test_success_ends_the_run_not_the_window(self) -> None:
        """
        Two failures, a success, then a failure past the window: not
        refused (the run ended, the first failures are out of the window).
        """
        self.strikes.fail(1, 1, 7)
        self.strikes.fail(1, 1, 7)
        self.strikes.succeeded(1, 7)
        self.clock.advance(WINDOW)
        self.assertFalse(self.strikes.fail(1, 1, 7))
        self.assertEqual(self.strikes.failures(1, 1, 7), 1)

    def test_a_success_with_nothing_in_the_window_forgets(self) -> None:
        """
        Her success once her failures are out of the window drops her
        streak: nothing kept for her.
        """
        self.strikes.fail(1, 1, 7)
        self.clock.advance(WINDOW)
        self.strikes.succeeded(1, 7)
        self.assertEqual(len(self.strikes), 0)
