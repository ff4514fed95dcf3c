# -*- test-case-name: tests.redteam_world.test_r7_strikes_timers -*-
"""
A repeating timer a refused player's doing set waits until the script
answers her again (issue 9). Before, it still fell due every period while
the script refused her: not run, not counted, but taken from the queue,
moved on and written in a turn of its own every few seconds, as long as
the refusal lasted and again at each refusal after. Now it is postponed
once, to when the refusal ends (a single write), then goes on at its
period; its owner is told once that her timers wait, and the script sees
it pending until then. (A one-shot timer of hers waits too:
L{tests.redteam_world.test_r9_strikes_timers}.)
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.scripts.strikes import REFUSE_SECONDS, SUSPEND_AFTER
from scripting.facets import timers as _timers
from tests.scripts.helpers import Scene, flat, make

CLOCK = """
def verb_wind(actor, dobj, prep, iobj, dobjstr, iobjstr):
    timers.every(5, "chime")
    actor.tell("Wound.")

def chime(data):
    state.set("chimes", state.get("chimes", 0) + 1)

def verb_break(actor, dobj, prep, iobj, dobjstr, iobjstr):
    raise ValueError("broken")

def verb_tally(actor, dobj, prep, iobj, dobjstr, iobjstr):
    actor.tell("chimes " + str(state.get("chimes", 0)) + " waits "
               + str([int(p[2]) for p in timers.pending()]))
"""


class RefusedTimerTests(TestCase):
    """
    Bob's clock in the town square; Carol winds it (a repeating timer of
    her doing), then breaks it until it refuses her.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "clock", CLOCK)
        self.scheduler = self.s.world.server.timers
        self.fires: list[int] = []
        original = self.scheduler._fire_one

        def counted(timer_id: int, now: float) -> None:
            self.fires.append(timer_id)
            original(timer_id, now)

        self.scheduler._fire_one = counted
        self.s.carol.send("wind clock")
        self.s.world.clock.advance(5)
        self.assertIn("chimes 1", self.s.bob.send("tally clock"))
        for _ in range(SUSPEND_AFTER):
            self.s.carol.send("break clock")
        self.assertIn("not answering you", flat(self.s.carol.send("tally clock")))
        self.refused_at = self.s.world.clock.seconds()
        self.s.read()
        self.fires.clear()

    def timer(self) -> _timers.Timer:
        clock = self.s.thing("clock")
        with self.s.world.store.turn() as turn:
            [timer] = _timers.timers_on(turn.root, clock)
            return timer

    def advance(self, seconds: float, step: float = 5) -> None:
        for _ in range(round(seconds / step)):
            self.s.world.clock.advance(step)

    def test_falls_due_once_while_refused(self) -> None:
        """
        Through the whole refusal, the timer falls due once (and is
        postponed to its end), not every five seconds.
        """
        self.advance(REFUSE_SECONDS - 5)
        self.assertEqual(len(self.fires), 1)
        self.assertEqual(self.timer().due, self.refused_at + REFUSE_SECONDS)
        self.assertIn("chimes 1", self.s.bob.send("tally clock"))

    def test_goes_on_after_the_refusal(self) -> None:
        """
        Once the refusal ends, it chimes again (as it ends), then at its
        period.
        """
        self.advance(REFUSE_SECONDS + 10)
        self.assertIn("chimes 4", self.s.bob.send("tally clock"))
        self.assertIn("chimes 4", self.s.carol.send("tally clock"))

    def test_owner_sees_it_wait(self) -> None:
        """
        Bob is told, once, that the timers Carol's doing set on the clock
        wait until it answers her again, and the script sees it pending
        until then.
        """
        self.advance(30)
        told = flat(self.s.bob.output())
        self.assertEqual(told.count("wait until"), 1)
        self.assertIn("'chime' (timer ", told)
        self.assertIn("that Carol's doing set on clock wait until its script answers Carol "
                      "again, in 10 minutes", told)
        waits = round(REFUSE_SECONDS - 30)
        self.assertIn(f"waits [{waits}]", flat(self.s.bob.send("tally clock")))

    def test_others_timers_go_on(self) -> None:
        """
        Alice's own winding of the clock chimes on through Carol's refusal.
        """
        self.s.alice.send("wind clock")
        self.advance(60)
        self.assertIn("chimes 13", self.s.bob.send("tally clock"))
