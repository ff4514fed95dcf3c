"""
Red-team review of the part of each owner's CPU share kept for his own
timers (L{engine.scripts.runtime.OWN_RESERVE}): what other players wake
rests at three quarters of it, his timers use all of it. Each test tries
to have another player's doing spend that last quarter, so that the
owner's own timers wait: through a verb of his that others use, and
through a verb that sets a timer (the timer is then marked as her doing,
L{scripting.facets.timers.Timer.marked}).
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.scripts import meters
from tests.scripts.helpers import Scene, flat, make

#: Bob's forge: 'open' relocks it in 10 seconds (Bob's own timer when he
#: opens it, which should fire on time); 'pump' burns ticks at once, in Carol's verb;
#: 'stoke' burns them a second later, in a timer its verb sets.
FORGE = """
def verb_open(actor, *rest):
    timers.after(10, "relock")
    actor.tell("opened")
def relock(data):
    here.emote("clicks shut")
def verb_pump(actor, *rest):
    for i in range(5000):
        pass
    actor.tell("pumped")
def verb_stoke(actor, *rest):
    try:
        timers.after(1, "burn")
        actor.tell("stoked")
    except Exception as e:
        actor.tell("refused: " + str(e))
def burn(data):
    for i in range(5000):
        pass
"""


class ReserveTests(TestCase):
    def setUp(self) -> None:
        self.patch(meters, "CPU_TICKS", 20_000)
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "forge", FORGE)
        self.clock = self.s.world.clock
        self.clock.advance(meters.CPU_WINDOW)  # a fresh window
        self.bob_id = self.s.character("Bob").id
        self.s.read()

    def test_verbs_others_use_leave_the_reserve(self) -> None:
        """
        Carol uses Bob's costly verb as often as she may, every second,
        before and after his forge is to relock: the verb rests at three
        quarters of his share, and his relock fires on time.
        """
        self.assertIn("opened", self.s.bob.send("open forge"))
        said = ""
        for _ in range(12):
            for _ in range(5):
                said += flat(self.s.carol.send("pump forge"))
            self.clock.advance(1)
        self.assertIn("does nothing just now", said)
        said += flat(self.s.carol.output())
        self.assertEqual(said.count("clicks shut"), 1, flat(self.s.bob.output()))

    def test_timers_others_set_leave_the_reserve(self) -> None:
        """
        Carol has Bob's forge set timers for her (a verb of his that sets
        one each time it is used), while his handlers may still run: the
        timers she set must not spend the quarter kept for his own timers,
        or his relock waits behind them. It fires on time.
        """
        self.assertIn("opened", self.s.bob.send("open forge"))
        said = ""
        for _ in range(12):
            for _ in range(8):
                said += flat(self.s.carol.send("stoke forge"))
            self.clock.advance(1)
        self.assertIn("stoked", said)
        said += flat(self.s.carol.output())
        self.assertEqual(said.count("clicks shut"), 1,
                         "Bob's relock waits behind the timers Carol had his forge set: "
                         + flat(self.s.bob.output()))
