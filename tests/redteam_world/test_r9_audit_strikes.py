# -*- test-case-name: tests.redteam_world.test_r9_audit_strikes -*-
"""
Audit of round 9's strikes: refusals that have ended do not count toward
L{strikes.PER_OWNER}. Before, the refusals of a player by one owner's
scripts were counted apart as the table held them, ended or not (ended
ones go only when a new streak makes room): a streak begun while his
other refusals still ran, ending in a refusal after they had ended, made
her refused by every script of his for L{strikes.REFUSE_SECONDS}, though
no other script of his refused her any more.
"""

from __future__ import annotations

from twisted.internet.task import Clock
from twisted.trial.unittest import TestCase

from engine.scripts import strikes
from engine.scripts.strikes import REFUSE_SECONDS, SUSPEND_AFTER, Strikes

BOB = 2
CAROL = 100
VERSION = 1


class EndedRefusalsTests(TestCase):

    def setUp(self) -> None:
        self.clock = Clock()
        self.strikes = Strikes(self.clock)
        self.patch(strikes, "PER_OWNER", 2)

    def test_ended_refusals_do_not_widen(self) -> None:
        """
        Two of Bob's scripts refused Carol; her first failure of a third
        comes while they do, her last after they ended: only that third
        refuses her, not every script of Bob's.
        """
        for script in (10, 11):
            for _ in range(SUSPEND_AFTER):
                self.strikes.fail(script, VERSION, CAROL, BOB)
        self.assertIsNotNone(self.strikes.refused_until(10, VERSION, CAROL, BOB))
        self.clock.advance(REFUSE_SECONDS - 1)
        self.strikes.fail(12, VERSION, CAROL, BOB)
        self.clock.advance(2)  # the two refusals have ended
        for _ in range(SUSPEND_AFTER - 1):
            how = self.strikes.fail(12, VERSION, CAROL, BOB)
        self.assertIsNotNone(how)
        self.assertIsNotNone(self.strikes.refused_until(12, VERSION, CAROL, BOB))
        self.assertFalse(self.strikes.owner_wide(CAROL, BOB))
        self.assertIsNone(self.strikes.refused_until(13, VERSION, CAROL, BOB))
