# -*- test-case-name: tests.redteam_world.test_r7_strikes_eviction -*-
"""
Making room for new streaks never cuts another player's refusal short
(issue 9). The server keeps at most L{strikes.MAX_STRIKES} streaks (and
kept at most 32 players a script); before, making room dropped the
server's oldest streak, or a script's oldest, even while it refused its
player: a hostile player whose alts failed enough scripts (each failure
charged, but his alts' streaks alone) forgave Carol, refused by Bob's
counter, minutes early, and 32 alts refused by the counter did it on the
counter alone. Now streaks refusing their player are kept apart and kept
until their time (bounded by L{strikes.MAX_STRIKES} too): room is made by
dropping streaks that refuse nobody, the least recently struck first.
(Refusals are at most half the table since, and a new one finds room by
dropping one of the player's refused the most: a new failure always
counts; L{tests.redteam_world.test_r9_strikes_fair}.)
The constants are patched small.
"""

from __future__ import annotations

from twisted.internet.task import Clock
from twisted.trial.unittest import TestCase

from engine.scripts import strikes
from engine.scripts.strikes import REFUSE_SECONDS, SUSPEND_AFTER, Strikes

COUNTER = 1  # Bob's counter (the holder's id)
BOB = 2
MALLORY = 9  # the hostile owner of the alts' scripts
CAROL = 100
VERSION = 1
PER_SCRIPT = 32  # (the players a script was kept for, before)


class EvictionTests(TestCase):
    """
    L{Strikes} under a hostile player's alts (players from 1000) failing
    his own scripts (from 500) or Bob's counter.
    """

    def setUp(self) -> None:
        self.clock = Clock()
        self.strikes = Strikes(self.clock)
        self.patch(strikes, "MAX_STRIKES", 20)

    def refuse(self, script: int, player: int, owner: int | None = MALLORY) -> None:
        for _ in range(SUSPEND_AFTER):
            refused = self.strikes.fail(script, VERSION, player, owner)
        self.assertTrue(refused)

    def carol_refused(self) -> None:
        self.refuse(COUNTER, CAROL, BOB)
        self.until = self.strikes.refused_until(COUNTER, VERSION, CAROL)
        self.assertEqual(self.until, REFUSE_SECONDS)

    def test_server_flood_keeps_her_refusal(self) -> None:
        """
        Alts failing many scripts once each, far past MAX_STRIKES streaks,
        do not end the counter's refusal of Carol; the server still keeps
        at most MAX_STRIKES.
        """
        self.carol_refused()
        for n in range(strikes.MAX_STRIKES * 5):
            self.strikes.fail(500 + n, VERSION, 1000 + n)
            self.assertLessEqual(len(self.strikes), strikes.MAX_STRIKES)
        self.assertEqual(self.strikes.refused_until(COUNTER, VERSION, CAROL), self.until)

    def test_refusals_flood_keeps_her_refusal(self) -> None:
        """
        Alts refused by the hostile owner's scripts, as many as the server
        keeps, and more, do not end Carol's refusal either: room is made
        from his (his scripts refuse the most), and the newest of them is
        kept (a failure always counts).
        """
        self.carol_refused()
        last = strikes.MAX_STRIKES * 2 - 1
        for n in range(last + 1):
            self.clock.advance(1)
            for _ in range(SUSPEND_AFTER):
                self.strikes.fail(500 + n, VERSION, 1000 + n, MALLORY)
            self.assertLessEqual(len(self.strikes), strikes.MAX_STRIKES)
        self.assertEqual(self.strikes.refused_until(COUNTER, VERSION, CAROL), self.until)
        self.assertIsNotNone(self.strikes.refused_until(500 + last, VERSION, 1000 + last))
        self.assertIsNone(self.strikes.refused_until(500, VERSION, 1000))

    def test_script_flood_keeps_her_refusal(self) -> None:
        """
        Alts failing Bob's counter, each refused by it (fewer than the
        server keeps refusals: past them, see test_r9_strikes_fair), then
        more alts failing it than the server keeps streaks, do not end
        its refusal of Carol.
        """
        self.carol_refused()
        for n in range(strikes.most_refusals() - 1):
            self.clock.advance(1)
            for _ in range(SUSPEND_AFTER):
                self.strikes.fail(COUNTER, VERSION, 1000 + n, BOB)
        for n in range(strikes.MAX_STRIKES * 2):
            self.strikes.fail(COUNTER, VERSION, 2000 + n)
        self.assertEqual(self.strikes.refused_until(COUNTER, VERSION, CAROL), self.until)

    def test_refusals_end_and_make_room(self) -> None:
        """
        Refusals that have ended are forgotten when room is needed; and
        while they last, a new failure still counts (half the table is
        kept for streaks).
        """
        for n in range(strikes.MAX_STRIKES):
            self.refuse(500 + n, 1000 + n)
        self.strikes.fail(COUNTER, VERSION, CAROL)
        self.assertEqual(self.strikes.failures(COUNTER, VERSION, CAROL), 1)
        self.clock.advance(REFUSE_SECONDS)
        self.strikes.fail(COUNTER, VERSION, CAROL)
        self.assertEqual(self.strikes.failures(COUNTER, VERSION, CAROL), 2)
        self.strikes.fail(7, VERSION, 7)
        self.assertEqual(len(self.strikes), 2)  # (the ended refusals forgotten)

    def test_streaks_not_refusing_go_first_oldest_first(self) -> None:
        """
        At MAX_STRIKES, the streak struck least recently among those
        refusing nobody goes: Carol's partial streak, older than the alts'
        refusals and streaks, goes before any of them.
        """
        self.strikes.fail(COUNTER, VERSION, CAROL)
        for n in range(strikes.most_refusals()):
            self.refuse(500 + n, 1000 + n)
        for n in range(strikes.MAX_STRIKES - strikes.most_refusals() - 1):
            self.strikes.fail(700 + n, VERSION, 2000 + n)
        self.strikes.fail(7, VERSION, 7)
        self.assertEqual(self.strikes.failures(COUNTER, VERSION, CAROL), 0)
        self.assertEqual(self.strikes.failures(7, VERSION, 7), 1)
        self.assertIsNotNone(self.strikes.refused_until(500, VERSION, 1000))
        self.assertEqual(len(self.strikes), strikes.MAX_STRIKES)


class RoundRobinTests(TestCase):
    """
    A hostile player's alts taking turns at failing Bob's counter, one
    failure each a round: before, past L{PER_SCRIPT} of them on the
    counter each one's streak was dropped before its third failure, so
    that none was ever refused and they broke it for as long as they
    liked. Streaks are bounded by L{strikes.MAX_STRIKES} in all, the
    least recently struck refusing nobody dropped first, not a script's.
    """

    def test_alts_taking_turns_are_refused(self) -> None:
        """
        Twice PER_SCRIPT alts, three rounds: every one of them is refused.
        """
        clock = Clock()
        found = Strikes(clock)
        alts = range(1000, 1000 + 2 * PER_SCRIPT)
        for _ in range(SUSPEND_AFTER):
            for alt in alts:
                found.fail(COUNTER, VERSION, alt)
                clock.advance(1)
        self.assertEqual([alt for alt in alts if found.refused_until(COUNTER, VERSION, alt)],
                         list(alts))
