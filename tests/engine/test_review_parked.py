"""
Red-team review of parked timers (L{scripting.facets.timers.park}): a timer
of a suspended script waits out of the queue until the script is saved
again. Each test tries to use that: to escape the timer quota with
parked timers, to have them fire while the script is still broken, to
have them all fire in one burst past their owner's share, to have a
parked repeating timer make up the periods it waited through, or to have
another player's save let them go.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.scripts import meters
from scripting.facets import accounting, timers
from tests.scripts.helpers import Scene, flat, make, script

#: Bob's clock: each 'set' sets a one-shot timer in 10 seconds ('many', 20
#: of them), 'wind' a repeating one every 5; each firing says so, and
#: burns some ticks.
CLOCK = """
def verb_set(actor, *rest):
    try:
        timers.after(10, "ring")
        actor.tell("set")
    except Exception as e:
        actor.tell("refused: " + str(e))
def verb_many(actor, *rest):
    for n in range(20):
        timers.after(10, "ring")
    actor.tell("set 20")
def verb_wind(actor, *rest):
    timers.every(5, "tick")
    actor.tell("wound")
def ring(data):
    for i in range(6000):
        pass
    here.emote("rings")
def tick(data):
    here.emote("ticks")
"""

#: CLOCK with a line that does not compile: saved, it suspends the clock.
BROKEN = CLOCK + "def broken(:\n    pass\n"


class ParkedTimerTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "clock", CLOCK)
        make(self.s.bob, "bell", CLOCK)
        self.bob_id = self.s.character("Bob").id
        self.s.read()

    def live(self) -> int:
        with self.s.world.store.turn() as turn:
            reg = timers.registry(turn.root)
            return len(reg.live) if reg is not None else 0

    def parked(self) -> int:
        with self.s.world.store.turn() as turn:
            reg = timers.registry(turn.root)
            parked = reg.parked if reg is not None else None
            return sum(len(ids) for ids in parked.values()) if parked else 0

    def test_parked_timers_keep_their_quota(self) -> None:
        """
        Bob, limited to 3 timers, sets 3 on his clock and breaks it: they
        park when due, and still count, so his bell may set none; once
        the clock is fixed and they fire, the bell sets them again.
        """
        with self.s.world.store.turn() as turn:
            accounting.set_limit(turn.root, self.bob_id, "timers", 3)
        for _ in range(3):
            self.assertIn("set", self.s.carol.send("set clock"))
        script(self.s.bob, "clock", BROKEN)
        self.s.world.clock.advance(11)
        self.assertEqual(self.parked(), 3)
        self.assertIn("refused: Your scripts already have 3 timers pending",
                      flat(self.s.carol.send("set bell")))
        self.assertIn("it defines", script(self.s.bob, "clock", CLOCK))
        self.s.world.clock.advance(0)
        self.assertEqual(flat(self.s.carol.output()).count("rings"), 3)
        self.assertEqual(self.live(), 0)
        said = flat(self.s.carol.send("set bell"))
        self.assertIn("set", said)
        self.assertNotIn("refused", said)

    def test_saved_broken_again_they_stay_parked(self) -> None:
        """
        Saving the clock again with an error (or many times) lets none of
        its parked timers go: they fire only once it is saved without one.
        """
        self.s.carol.send("set clock")
        script(self.s.bob, "clock", BROKEN)
        self.s.world.clock.advance(11)
        for n in range(3):
            script(self.s.bob, "clock", BROKEN + f"\n# {n}\n")
            self.s.world.clock.advance(10)
        self.assertEqual(self.parked(), 1)
        self.assertNotIn("rings", flat(self.s.carol.output()))
        script(self.s.bob, "clock", CLOCK)
        self.s.world.clock.advance(0)
        self.assertEqual(flat(self.s.carol.output()).count("rings"), 1)

    def test_a_parked_repeating_timer_makes_up_no_periods(self) -> None:
        """
        A repeating timer parked for ten minutes fires once when the clock
        is fixed, then at its period: not once for each period it waited.
        """
        self.s.carol.send("wind clock")
        script(self.s.bob, "clock", BROKEN)
        self.s.world.clock.advance(6)
        self.s.world.clock.advance(600)
        self.s.read()
        script(self.s.bob, "clock", CLOCK)
        self.s.world.clock.advance(0)
        self.assertEqual(flat(self.s.carol.output()).count("ticks"), 1)
        self.s.world.clock.advance(5)
        self.assertEqual(flat(self.s.carol.output()).count("ticks"), 1)

    def test_the_burst_stops_at_the_owner_share(self) -> None:
        """
        Forty timers parked while the clock is broken are all due at once
        when it is fixed; set by Carol's use of his clock, they are hers
        (marked, and carrying her: charged to Bob with her) and fire only
        within her part of the three quarters of Bob's share others may
        wake, the rest waiting for her rest to end: the burst spends no
        more than that and one task, and leaves what others may wake and
        his own timers' quarter.
        """
        with self.s.world.store.turn() as turn:
            accounting.set_limit(turn.root, self.bob_id, "timers", 100)
        for _ in range(2):
            self.assertIn("set 20", self.s.carol.send("many clock"))
        script(self.s.bob, "clock", BROKEN)
        self.s.world.clock.advance(11)
        for _ in range(5):  # (a batch of due timers a reactor turn)
            self.s.world.clock.advance(0)
        self.assertEqual(self.parked(), 40)
        self.patch(meters, "CPU_TICKS", 60_000)
        self.s.world.clock.advance(meters.CPU_WINDOW)  # the trial runs' ticks left the window
        self.s.read()
        script(self.s.bob, "clock", CLOCK)
        self.s.world.clock.advance(0)
        rang = flat(self.s.carol.output()).count("rings")
        self.assertLess(rang, 40)
        self.assertGreater(rang, 0)
        runtime = self.s.world.server.scripts
        self.assertTrue(runtime.rests_for(self.bob_id, self.s.character("Carol").id))
        self.assertFalse(runtime.resting(self.bob_id))
        self.assertFalse(runtime.resting(self.bob_id, own=True))
        for _ in range(10):
            self.s.world.clock.advance(meters.CPU_WINDOW)
        self.assertEqual(rang + flat(self.s.carol.output()).count("rings"), 40)

    def test_another_save_lets_none_go(self) -> None:
        """
        Alice saving scripts of her own (one on a thing she names clock
        too) lets none of Bob's parked timers go; Carol cannot save on
        Bob's clock at all.
        """
        self.s.carol.send("set clock")
        script(self.s.bob, "clock", BROKEN)
        self.s.world.clock.advance(11)
        make(self.s.alice, "clock", CLOCK, drop=False)
        script(self.s.alice, "clock", CLOCK + "\n# again\n")
        self.s.carol.send("@script clock")
        self.s.carol.send(".")
        self.s.world.clock.advance(10)
        self.assertEqual(self.parked(), 1)
        self.assertNotIn("rings", flat(self.s.carol.output()))
