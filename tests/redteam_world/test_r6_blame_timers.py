# -*- test-case-name: tests.redteam_world.test_r6_blame_timers -*-
"""
A timer that another player's doing made a script set is her doing, not its
owner's (issue 9). Bob's trough takes what a player feeds it and digests it
in a timer; Carol feeds it poison, so that the timer fails. Before, such a
timer counted as Bob's own: three suspended the trough for everyone (his own
timers with it), and its runs were charged to Bob alone. Now the timer
carries Carol (L{scripting.facets.timers.Timer.cause}): its failures count
toward her (the trough refuses her, and runs no timer of hers meanwhile),
its runs are charged to Bob with her, and a timer it sets again keeps her.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.scripts.meters import CPU_WINDOW
from engine.scripts.strikes import SUSPEND_AFTER
from engine.testing import timed_blocks_take
from scripting.facets import timers as _timers
from tests.scripts.helpers import Scene, flat, make
from world.scripts import script_of

TROUGH = """
def on_attach():
    timers.every(60, "tick")

def tick(data):
    state.set("ticks", state.get("ticks", 0) + 1)

def verb_feed(actor, dobj, prep, iobj, dobjstr, iobjstr):
    timers.after(5, "digest", dobjstr)
    actor.tell("The trough takes " + dobjstr + ".")

def digest(data):
    if data == "again":
        timers.after(5, "digest", "poison")
        return
    if data == "poison":
        raise ValueError("poisoned")
    state.set("eaten", state.get("eaten", 0) + 1)

def verb_count(actor, *rest):
    actor.tell("ticks " + str(state.get("ticks", 0)) + " eaten " + str(state.get("eaten", 0)))
"""


class TimerCauseTests(TestCase):
    """
    Bob's trough in the town square; Carol feeds it poison, Alice hay.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "trough", TROUGH)
        self.s.bob.send("drop trough")
        self.runtime = self.s.world.server.scripts
        self.s.read()

    def id_of(self, who: str) -> int:
        return getattr(self.s, who).session.character_id

    def strikes(self, who: str) -> int:
        trough = self.s.thing("trough")
        record = script_of(trough)
        assert record is not None
        return self.runtime.strikes.failures(trough.id, record.version, self.id_of(who))

    def pending(self) -> list[_timers.Timer]:
        trough = self.s.thing("trough")
        with self.s.world.store.turn() as turn:
            return [t for t in _timers.timers_on(turn.root, trough) if t.handler == "digest"]

    def poison(self, times: int = SUSPEND_AFTER, who: str = "carol") -> None:
        """
        C{who} feeds the trough poison C{times}, then its timers fire (one
        after another: each failure follows the last).
        """
        for _ in range(times):
            getattr(self.s, who).send("feed poison to trough")
        self.s.world.clock.advance(6)

    def count(self, who: str = "alice") -> str:
        return flat(getattr(self.s, who).send("count trough"))

    def test_timer_carries_her(self) -> None:
        """
        A timer Carol's verb made Bob's script set carries Carol; one his own
        doing set carries nobody (nothing more is stored on it).
        """
        self.s.carol.send("feed hay to trough")
        self.s.bob.send("feed oats to trough")
        causes = sorted((t.cause is None, t.cause) for t in self.pending())
        self.assertEqual(causes, [(False, self.id_of("carol")), (True, None)])
        owners = [t for t in self.pending() if t.cause is None]
        self.assertNotIn("cause", owners[0].__dict__)

    def test_her_failing_timers_do_not_suspend(self) -> None:
        """
        Three of Carol's timers failing do not suspend the trough: they
        count toward her, it refuses her, and Bob's own timer and Alice's
        feeding go on.
        """
        self.poison()
        record = script_of(self.s.thing("trough"))
        assert record is not None
        self.assertIsNone(record.suspended)
        self.assertEqual(record.failures, 0)
        self.assertEqual(self.strikes("carol"), SUSPEND_AFTER)
        told = flat(self.s.bob.output())
        self.assertIn("through what Carol did, so it does not answer Carol", told)
        self.assertIn("the timers Carol's doing set do not run meanwhile", told)
        self.assertIn("not answering you", flat(self.s.carol.send("feed hay to trough")))
        self.s.alice.send("feed hay to trough")
        self.s.world.clock.advance(60)
        self.assertIn("ticks 1 eaten 1", self.count())
        self.assertIn("ticks 1 eaten 1", self.count("bob"))

    def test_refused_timers_do_not_run(self) -> None:
        """
        Carol's timers falling due once the trough refuses her do not run,
        nor count (they wait: L{tests.redteam_world.test_r9_strikes_timers}).
        """
        self.s.carol.send("feed hay to trough")
        for _ in range(SUSPEND_AFTER):
            self.s.carol.send("feed poison to trough")
        self.s.carol.send("feed hay to trough")
        # (the first hay, then three poisons: refused; the last hay is not eaten)
        self.s.world.clock.advance(6)
        self.assertEqual(self.strikes("carol"), SUSPEND_AFTER)
        self.assertIn("eaten 1", self.count())
        self.assertEqual([_timers.data_of(t) for t in self.pending()], ["hay"])

    def test_timer_set_again_keeps_her(self) -> None:
        """
        A timer Carol's timer sets again is still hers: its failure counts
        toward her, not toward Bob.
        """
        self.s.carol.send("feed again to trough")
        self.s.world.clock.advance(6)
        [again] = self.pending()
        self.assertEqual(again.cause, self.id_of("carol"))
        self.s.world.clock.advance(6)
        self.assertEqual(self.strikes("carol"), 1)
        self.assertEqual(script_of(self.s.thing("trough")).failures, 0)

    def test_owners_own_timers_still_his(self) -> None:
        """
        Bob's own poison (his verb) still counts toward suspending his
        trough, as before.
        """
        self.poison(who="bob")
        self.assertIsNotNone(script_of(self.s.thing("trough")).suspended)

    def test_old_timer_reads_as_owners(self) -> None:
        """
        A marked timer stored before timers carried their cause (none on
        it) is its owner's: its failures count toward suspending it.
        """
        self.s.carol.send("feed poison to trough")
        self.s.carol.send("feed poison to trough")
        self.s.carol.send("feed poison to trough")
        trough = self.s.thing("trough")
        with self.s.world.store.turn() as turn:
            for timer in _timers.timers_on(turn.root, trough):
                if timer.handler == "digest":
                    self.assertTrue(timer.marked)
                    del timer.cause  # (as stored before)
        self.s.world.clock.advance(6)
        self.assertIsNotNone(script_of(self.s.thing("trough")).suspended)
        self.assertEqual(self.strikes("carol"), 0)

    def test_her_timer_charged_to_the_pair(self) -> None:
        """
        What Carol's timer spends is charged to Bob with her, as what her
        verb spends is.
        """
        meters = self.runtime.meters
        pair = (self.id_of("bob"), self.id_of("carol"))
        self.s.carol.send("feed hay to trough")
        now = self.s.world.clock.seconds
        before = meters._pairs[pair].ticks.expire(now())
        self.s.world.clock.advance(6)
        self.assertIn("eaten 1", self.count())
        self.assertGreater(meters._pairs[pair].ticks.expire(now()), before)


BUSY = """
def verb_crunch(actor, *rest):
    n = 0
    for i in range(28000):
        n += i
    actor.tell("Crunched.")

def verb_feed(actor, *rest):
    timers.after(5, "digest", None)

def digest(data):
    state.set("eaten", state.get("eaten", 0) + 1)

def verb_count(actor, *rest):
    actor.tell("eaten " + str(state.get("eaten", 0)))
"""


class TimerRestTests(TestCase):
    """
    Bob's mill; Carol feeds it, then keeps it so busy that what she wakes of
    Bob's scripts rests.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        timed_blocks_take(self.s.world, 0.0)  # (shares counted in ticks)
        make(self.s.bob, "mill", BUSY)
        self.s.bob.send("drop mill")
        self.s.read()

    def test_her_timer_waits_while_she_rests(self) -> None:
        """
        Carol's timer falling due while what she wakes of Bob's scripts
        rests waits (it is kept) and runs once her rest ends; it is neither
        run on Bob's reserve nor lost.
        """
        self.s.carol.send("feed mill")
        for _ in range(60):
            said = flat(self.s.carol.send("crunch mill"))
            self.s.world.clock.advance(0.05)
            if "nothing for you" in said:
                break
        self.assertIn("nothing for you", said)
        self.s.world.clock.advance(5)
        self.assertIn("eaten 0", flat(self.s.alice.send("count mill")))
        self.s.world.clock.advance(CPU_WINDOW + 1)
        self.assertIn("eaten 1", flat(self.s.alice.send("count mill")))
