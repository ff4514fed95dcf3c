# -*- test-case-name: tests.redteam_world.test_r6_fail_strikes -*-
"""
Failures count by cause (issue 9; the hole of
L{tests.redteam_world.test_r5_suspended_by_others}). Three failures in a
row of the owner's own doing suspend a script for everyone; three in a row
another player caused (his verb, a handler his action woke) make it refuse
him alone for a while, everyone else still using it, its owner told of
each failure. Bob owns the things, Carol attacks, Alice stands by.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.scripts import strikes
from engine.scripts.runtime import blamed
from engine.scripts.strikes import REFUSE_SECONDS, SUSPEND_AFTER, Strikes
from tests.scripts.helpers import Scene, flat, make, script

COUNTER = """
def verb_count(actor, dobj, prep, iobj, dobjstr, iobjstr):
    actor.tell("Counted to " + str(int(iobjstr)) + " for " + actor.name + ".")
"""

PARROT = """
def on_hear(actor, text):
    here.emote("repeats " + str(int(text)) + " for " + actor.name + ".")
"""


class VerbStrikesTests(TestCase):
    """
    Bob's counter in the town square, answering 'count counter to <n>'.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "counter", COUNTER)
        self.s.read()

    def bad(self, player, times: int = SUSPEND_AFTER) -> list[str]:
        return [player.send("count counter to abc") for _ in range(times)]

    def test_refuses_the_player_who_failed_it(self) -> None:
        """
        Carol's third failure tells her the counter is not answering her
        for now, and so does her next try, which runs nothing.
        """
        said = self.bad(self.s.carol)
        self.assertIn("failed, so nothing it did happened", said[0])
        self.assertIn("The script on counter is not answering you for now", flat(said[-1]))
        again = flat(self.s.carol.send("count counter to 3"))
        self.assertIn("The script on counter is not answering you for now", again)
        self.assertIn("Try again in 10 minutes.", again)
        self.assertNotIn("Counted", again)

    def test_others_still_use_it(self) -> None:
        """
        While it refuses Carol, Alice (and Bob) are answered, and it is not
        suspended.
        """
        self.bad(self.s.carol)
        self.assertIn("Counted to 3 for Alice.", self.s.alice.send("count counter to 3"))
        self.assertIn("Counted to 4 for Bob.", self.s.bob.send("count counter to 4"))
        self.assertIn("running", self.s.bob.send("@script/show counter"))

    def test_owner_told_of_each_failure_and_the_refusal(self) -> None:
        """
        Bob is told of each of Carol's failures, with its line, and that the
        counter refuses her; @script/errors keeps them.
        """
        self.s.bob.output()
        self.bad(self.s.carol)
        told = flat(self.s.bob.output())
        self.assertEqual(told.count("Carol used your script, and it failed"), SUSPEND_AFTER)
        self.assertIn("ValueError", told)
        self.assertIn("through what Carol did, so it does not answer Carol for 10 minutes; "
                      "everyone else may still use it", told)
        self.assertEqual(flat(self.s.bob.send("@script/errors")).count("Carol used your"),
                         SUSPEND_AFTER)

    def test_anothers_success_does_not_end_her_streak(self) -> None:
        """
        Carol fails twice, Alice counts well, Carol fails once more: it
        refuses Carol (only her own run ends her streak).
        """
        self.bad(self.s.carol, SUSPEND_AFTER - 1)
        self.assertIn("Counted to 3 for Alice.", self.s.alice.send("count counter to 3"))
        said = self.bad(self.s.carol, 1)[0]
        self.assertIn("not answering you for now", flat(said))

    def test_her_own_success_ends_her_streak(self) -> None:
        """
        Carol fails twice, counts well, and fails twice more once the first
        two are out of the window: still answered (within it, see
        L{tests.redteam_world.test_r7_strikes_window}).
        """
        self.bad(self.s.carol, SUSPEND_AFTER - 1)
        self.assertIn("Counted to 3 for Carol.", self.s.carol.send("count counter to 3"))
        self.s.world.clock.advance(strikes.WINDOW)
        self.bad(self.s.carol, SUSPEND_AFTER - 1)
        self.assertIn("Counted to 5 for Carol.", self.s.carol.send("count counter to 5"))

    def test_failures_of_two_players_do_not_add_up(self) -> None:
        """
        Carol's two failures and Alice's two refuse neither, nor suspend it.
        """
        self.bad(self.s.carol, SUSPEND_AFTER - 1)
        self.bad(self.s.alice, SUSPEND_AFTER - 1)
        self.assertIn("Counted to 3 for Carol.", self.s.carol.send("count counter to 3"))
        self.assertIn("Counted to 4 for Alice.", self.s.alice.send("count counter to 4"))

    def test_refusal_ends(self) -> None:
        """
        After REFUSE_SECONDS the counter answers Carol again.
        """
        self.bad(self.s.carol)
        self.s.world.clock.advance(REFUSE_SECONDS)
        self.assertIn("Counted to 3 for Carol.", self.s.carol.send("count counter to 3"))

    def test_saving_forgives(self) -> None:
        """
        Bob saving the script again (fixed) lets Carol use it at once.
        """
        self.bad(self.s.carol)
        script(self.s.bob, "counter", COUNTER.replace("int(iobjstr)", "len(iobjstr)"))
        self.assertIn("Counted to 3 for Carol.", self.s.carol.send("count counter to abc"))

    def test_restart_forgives(self) -> None:
        """
        Bob's @script/restart of the counter (not suspended) starts it afresh
        for everyone: Carol is answered again.
        """
        self.bad(self.s.carol)
        self.assertIn("afresh", self.s.bob.send("@script/restart counter"))
        self.assertIn("Counted to 3 for Carol.", self.s.carol.send("count counter to 3"))

    def test_owners_own_failures_suspend_it_for_everyone(self) -> None:
        """
        Bob's own three failures suspend it, for Alice too.
        """
        said = self.bad(self.s.bob)
        self.assertIn("failed 3 times in a row and is suspended", flat(said[-1]))
        self.assertIn("has problems, so it does nothing just now",
                      flat(self.s.alice.send("count counter to 3")))


class HandlerStrikesTests(TestCase):
    """
    Bob's parrot in the town square repeats the numbers it hears.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "parrot", PARROT)
        self.s.read()

    def test_what_she_wakes_is_refused_for_her_alone(self) -> None:
        """
        Carol says words three times (each failing the parrot's handler):
        her next number wakes nothing, Alice's still does.
        """
        for _ in range(SUSPEND_AFTER):
            said = self.s.carol.send("say abc")
        self.assertIn("not answering you for now", flat(said + self.s.carol.output()))
        self.s.read()
        self.s.carol.send("say 7")
        self.assertNotIn("repeats 7", self.s.alice.output())
        self.s.alice.send("say 8")
        self.assertIn("repeats 8 for Alice.", self.s.carol.output())

    def test_owners_own_words_suspend_it(self) -> None:
        """
        Bob's own three failing words suspend it for everyone.
        """
        for _ in range(SUSPEND_AFTER):
            self.s.bob.send("say abc")
        self.s.read()
        self.s.alice.send("say 8")
        self.assertNotIn("repeats 8", self.s.carol.output())
        self.assertIn("suspended", self.s.bob.send("@script/show parrot"))


class BoundsTests(TestCase):
    """
    L{Strikes} keeps a few numbers a player, at most MAX_STRIKES in all.
    """

    def setUp(self) -> None:
        from twisted.internet.task import Clock
        self.clock = Clock()
        self.strikes = Strikes(self.clock)

    def test_many_players_on_one_script(self) -> None:
        """
        Many players failing one script are all kept (within MAX_STRIKES),
        and a refused one stays refused (L{tests.redteam_world.test_r7_strikes_eviction}).
        """
        for _ in range(SUSPEND_AFTER):
            self.strikes.fail(1, 1, 999)
        for player in range(96):
            self.strikes.fail(1, 1, player)
        self.assertEqual(len(self.strikes), 97)
        self.assertIsNotNone(self.strikes.refused_until(1, 1, 999))

    def test_server_cap(self) -> None:
        """
        Past MAX_STRIKES in all, the oldest go.
        """
        self.patch(strikes, "MAX_STRIKES", 50)
        for script_id in range(100):
            self.strikes.fail(script_id, 1, 7)
        self.assertEqual(len(self.strikes), 50)
        self.assertFalse(self.strikes.first_refusal(0, 1, 7))

    def test_streaks_expire(self) -> None:
        """
        A streak not added to for FORGET_AFTER is forgotten.
        """
        self.strikes.fail(1, 1, 7)
        self.strikes.fail(1, 1, 7)
        self.clock.advance(strikes.FORGET_AFTER)
        self.assertFalse(self.strikes.fail(1, 1, 7))
        self.assertEqual(len(self.strikes), 1)

    def test_a_new_version_starts_afresh(self) -> None:
        """
        A streak of another version does not count.
        """
        for _ in range(SUSPEND_AFTER):
            self.strikes.fail(1, 1, 7)
        self.assertIsNone(self.strikes.refused_until(1, 2, 7))
        self.assertEqual(len(self.strikes), 0)


class BlamedTests(TestCase):
    """
    L{blamed} names whose doing a run of an owner's script is.
    """

    def test_the_actor_if_not_the_owner(self) -> None:
        """
        Another player who typed the verb or whose action woke it.
        """
        self.assertEqual(blamed(1, 3, 1), 3)
        self.assertEqual(blamed(1, 3, 2), 3)

    def test_the_payer_if_another_owner(self) -> None:
        """
        Another owner whose script's move woke it (his timer, or the
        owner's own command using his thing).
        """
        self.assertEqual(blamed(1, None, 2), 2)
        self.assertEqual(blamed(1, 1, 2), 2)

    def test_the_owners_own(self) -> None:
        """
        His command, his timer, what they woke, or the world's script: none.
        """
        self.assertIsNone(blamed(1, 1, 1))
        self.assertIsNone(blamed(1, None, 1))
        self.assertIsNone(blamed(1, None))
        self.assertIsNone(blamed(1, None, None))
