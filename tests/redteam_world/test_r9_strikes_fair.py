# -*- test-case-name: tests.redteam_world.test_r9_strikes_fair -*-
"""
A table full of refusals makes room fairly; a new failure always counts
(issue 9). Before, refusals were never dropped before their time, so a
hostile player's alts, refused by each other's scripts (about 30 000
charged failures in ten minutes), filled L{strikes.MAX_STRIKES} with
refusals, and then every new failure on the server counted toward
nothing: Dave broke Bob's counter as often as he liked, never refused.
Now refusals are at most half the table (L{strikes.most_refusals}; the
rest is for streaks still counting), and room for a new one is made by
dropping one of the player's refused the most, of hers the owner's whose
scripts refuse her the most, then refuse the most in all, then the one
ending soonest. Each test is an attack on that choice. Constants patched
small: 20 refusals kept, PER_OWNER 2.
"""

from __future__ import annotations

from twisted.internet.task import Clock
from twisted.trial.unittest import TestCase

from engine.scripts import strikes
from engine.scripts.strikes import IN_A_ROW, REFUSE_SECONDS, SUSPEND_AFTER, Strikes

COUNTER = 1  # Bob's counter (the holder's id)
BOB = 2
CAROL = 100  # honest
DAVE = 101  # hostile, one account
EVE = 102  # hostile, another
VERSION = 1

ALTS = range(1000, 1006)  # the hostile player's alts: players and owners


def alt_script(owner: int, player: int, n: int = 0) -> int:
    """
    A script of alt C{owner}'s (its holder's id) that fails for C{player}.
    """
    return 100_000 + owner * 1000 + (player % 1000) * 10 + n


class FairTests(TestCase):
    def setUp(self) -> None:
        self.clock = Clock()
        self.strikes = Strikes(self.clock)
        self.patch(strikes, "MAX_STRIKES", 40)
        self.patch(strikes, "PER_OWNER", 2)

    def refuse(self, script: int, player: int, owner: int | None) -> str | None:
        how = None
        for _ in range(SUSPEND_AFTER):
            how = self.strikes.fail(script, VERSION, player, owner) or how
        return how

    def kept(self) -> None:
        self.assertLessEqual(len(self.strikes._refusals), strikes.most_refusals())
        self.assertLessEqual(len(self.strikes), strikes.MAX_STRIKES)

    def fill(self, rounds: int = 1, framed: int | None = None) -> None:
        """
        The alts refuse each other (each alt owner's scripts each alt
        player, PER_OWNER times, plus C{framed} by each), one a second.
        """
        for _ in range(rounds):
            for owner in ALTS:
                for player in (*ALTS, *(() if framed is None else (framed,))):
                    for n in range(strikes.PER_OWNER):
                        self.clock.advance(1)
                        self.refuse(alt_script(owner, player, n), player, owner)
                        self.kept()

    def test_full_table_still_refuses(self) -> None:
        """
        Alts' refusals filling the table: Dave failing Bob's counter three
        times is refused all the same (before: counted toward nothing).
        """
        self.fill()
        self.assertEqual(len(self.strikes._refusals), strikes.most_refusals())
        self.assertEqual(self.refuse(COUNTER, DAVE, BOB), IN_A_ROW)
        self.assertEqual(self.strikes.refused_until(COUNTER, VERSION, DAVE, BOB),
                         self.clock.seconds() + REFUSE_SECONDS)
        self.kept()

    def test_honest_refusal_outlasts_the_churn(self) -> None:
        """
        Carol refused by the counter before the alts fill the table, and
        Dave after: the alts' churn, a table's worth every 72 seconds, ends
        neither before its time; theirs go.
        """
        self.refuse(COUNTER, CAROL, BOB)
        self.fill()
        self.refuse(COUNTER, DAVE, BOB)
        dave = self.strikes.refused_until(COUNTER, VERSION, DAVE, BOB)
        assert dave is not None
        while self.clock.seconds() < dave:
            self.fill()
            if self.clock.seconds() < REFUSE_SECONDS:
                self.assertEqual(self.strikes.refused_until(COUNTER, VERSION, CAROL, BOB),
                                 REFUSE_SECONDS)
            if self.clock.seconds() < dave:
                self.assertEqual(self.strikes.refused_until(COUNTER, VERSION, DAVE, BOB), dave)

    def test_framed_innocent_loses_theirs_first(self) -> None:
        """
        Framing: the alts' scripts fail for Carol too (she is the most
        refused), and she was refused by Bob's counter: room is made from
        the alts' refusals of her, Bob's stays; and no script but theirs
        and Bob's counter refuses her.
        """
        self.refuse(COUNTER, CAROL, BOB)
        self.fill(rounds=2, framed=CAROL)
        self.assertGreater(len(self.strikes._players[CAROL]), 1)
        self.assertEqual(self.strikes.refused_until(COUNTER, VERSION, CAROL, BOB),
                         REFUSE_SECONDS)
        self.assertIsNone(self.strikes.refused_until(7, VERSION, CAROL, BOB))
        self.assertIsNone(self.strikes.refused_until(7, VERSION, CAROL, 3))
        self.assertIsNone(self.strikes.refused_until(7, VERSION, CAROL, None))

    def test_most_refused_dodger_keeps_bobs(self) -> None:
        """
        Dodging by being the most refused: Dave, refused by Bob's counter,
        has the alts' scripts refuse him over and over so that room is
        made from his refusals: theirs go, Bob's stays to its end.
        """
        self.refuse(COUNTER, DAVE, BOB)
        until = self.strikes.refused_until(COUNTER, VERSION, DAVE, BOB)
        assert until is not None
        while self.clock.seconds() < until:
            self.fill(framed=DAVE)
            if self.clock.seconds() < until:
                self.assertEqual(self.strikes.refused_until(COUNTER, VERSION, DAVE, BOB),
                                 until)
                self.assertEqual(self.strikes.failures(COUNTER, VERSION, DAVE, BOB),
                                 SUSPEND_AFTER)

    def test_pumped_owner_needs_him_most_refused(self) -> None:
        """
        Dodging by pumping Bob's count: Dave, refused by Bob's counter, has
        five alts' scripts refuse him once each and one alt refused by
        Bob's scripts (so that Bob's refuse the most of his refusers): as
        long as the alts filling the table are refused more often than he
        is, room comes from theirs, and Bob's refusal of him stays. (A
        table of 100 refusals, PER_OWNER 8: the alts hold about 16 each.)
        """
        self.patch(strikes, "MAX_STRIKES", 200)
        self.patch(strikes, "PER_OWNER", 8)
        self.refuse(COUNTER, DAVE, BOB)
        until = self.strikes.refused_until(COUNTER, VERSION, DAVE, BOB)
        assert until is not None
        self.refuse(5, 2000, BOB)
        for framer in range(3000, 3005):
            self.refuse(alt_script(framer, DAVE), DAVE, framer)
        while self.clock.seconds() < until:
            self.fill()
            if self.clock.seconds() < until:
                self.assertEqual(self.strikes.refused_until(COUNTER, VERSION, DAVE, BOB),
                                 until)

    def test_alternating_on_a_full_table(self) -> None:
        """
        Dodging by alternating: with the table full of the alts'
        refusals, Dave and Eve taking turns at failing Bob's counter are
        each refused.
        """
        self.fill()
        for _ in range(SUSPEND_AFTER):
            for who in (DAVE, EVE):
                self.strikes.fail(COUNTER, VERSION, who, BOB)
                self.fill_streaks(5)
        for who in (DAVE, EVE):
            self.assertIsNotNone(self.strikes.refused_until(COUNTER, VERSION, who, BOB))

    def fill_streaks(self, count: int) -> None:
        """
        Alts' single failures of as many of their scripts (streaks).
        """
        for n in range(count):
            self.strikes.fail(900_000 + n, VERSION, ALTS[0], ALTS[1])

    def test_owner_refusing_most_goes_first(self) -> None:
        """
        Of the most refused player's refusals, the one by the owner whose
        scripts refuse the most in all goes first, then the one ending
        soonest; never the new one.
        """
        self.patch(strikes, "MAX_STRIKES", 8)  # (4 refusals)
        self.refuse(COUNTER, CAROL, BOB)
        self.clock.advance(1)
        self.refuse(alt_script(1000, CAROL), CAROL, 1000)
        self.clock.advance(1)
        self.refuse(alt_script(1000, 1001), 1001, 1000)
        self.clock.advance(1)
        self.refuse(alt_script(1002, 1003), 1003, 1002)
        self.clock.advance(1)
        self.refuse(alt_script(1004, CAROL), CAROL, 1004)  # (Carol: the most; 1000's go)
        self.assertIsNone(self.strikes.refused_until(alt_script(1000, CAROL), VERSION, CAROL,
                                                     1000))
        self.assertIsNotNone(self.strikes.refused_until(COUNTER, VERSION, CAROL, BOB))
        self.assertIsNotNone(self.strikes.refused_until(alt_script(1004, CAROL), VERSION,
                                                        CAROL, 1004))
        self.clock.advance(1)
        self.refuse(alt_script(1002, 1005), 1005, 1002)  # (Carol: as many; the soonest goes)
        self.assertIsNone(self.strikes.refused_until(COUNTER, VERSION, CAROL, BOB))
        self.assertEqual(len(self.strikes._refusals), 4)
