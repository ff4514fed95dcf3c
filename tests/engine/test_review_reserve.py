"""
Red-team review of the part of each owner's CPU share kept for his own
timers (L{engine.scripts.runtime.OWN_RESERVE}): what other players wake
rests at three quarters of it, his timers use all of it. Each test tries
to have another player's doing spend that last quarter, so that the
owner's own timers wait: through a verb of his that others use, and
through a verb that sets a timer (the timer is then marked as her doing,
L{scripting.facets.timers.Timer.marked}, and so is every timer its
handler sets, or a repeating one's each time it fires).
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.scripts import meters
from scripting.facets import timers
from tests.scripts.helpers import Scene, flat, make

#: Bob's forge: 'open' relocks it in 10 seconds (Bob's own timer when he
#: opens it, which should fire on time); 'pump' burns ticks at once, in
#: Carol's verb; 'stoke' burns them a second later, in a timer its verb
#: sets; 'kindle' sets a timer whose handler sets the burning one;
#: 'blow' sets a repeating timer that burns at each firing; what is said
#: beside it sets a timer that burns.
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
def verb_kindle(actor, *rest):
    timers.after(1, "catch")
    actor.tell("kindled")
def catch(data):
    timers.after(1, "burn")
def verb_blow(actor, *rest):
    timers.every(5, "burn")
    actor.tell("blowing")
def on_hear(actor, text):
    timers.after(1, "burn")
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
        Carol, Alice and Dana use Bob's costly verb as often as they may,
        taking turns (one player alone may spend only half of what others
        may wake, L{engine.scripts.runtime.PLAYER_PART}), every second,
        before and after his forge is to relock: the verb rests at three
        quarters of his share, and his relock fires on time.
        """
        dana = self.s.world.login("Dana")
        self.assertIn("opened", self.s.bob.send("open forge"))
        said = ""  # (what Carol saw)
        answers = ""
        for _ in range(12):
            for who in (self.s.carol, self.s.alice, dana, self.s.carol, self.s.alice):
                answer = flat(who.send("pump forge"))
                answers += answer
                said += answer if who is self.s.carol else flat(self.s.carol.output())
            self.clock.advance(1)
        self.assertIn("forge does nothing just now (its owner's scripts", answers)
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

    def test_timers_marked_timers_set_leave_the_reserve(self) -> None:
        """
        A timer Carol had Bob's forge set, whose handler sets the timer
        that burns, leaves the reserve all the same: what a marked timer's
        handler sets is marked too. His relock fires on time.
        """
        self.assertIn("opened", self.s.bob.send("open forge"))
        said = ""
        for _ in range(12):
            for _ in range(8):
                said += flat(self.s.carol.send("kindle forge"))
            self.clock.advance(1)
        self.assertIn("kindled", said)
        said += flat(self.s.carol.output())
        self.assertEqual(said.count("clicks shut"), 1, flat(self.s.bob.output()))

    def test_repeating_timers_others_set_leave_the_reserve(self) -> None:
        """
        Repeating timers Carol had Bob's forge set stay marked at each
        firing: his relock fires on time among them.
        """
        said = ""
        for _ in range(4):
            said += flat(self.s.carol.send("blow forge"))
        self.assertEqual(said.count("blowing"), 4, said)
        self.assertIn("opened", self.s.bob.send("open forge"))
        for _ in range(12):
            self.clock.advance(1)
        said = flat(self.s.carol.output())
        self.assertEqual(said.count("clicks shut"), 1, flat(self.s.bob.output()))

    def marks(self) -> list[tuple[str, bool]]:
        """
        The forge's pending timers: each handler, and whether it is marked.
        """
        forge = self.s.thing("forge")
        with self.s.world.store.turn() as turn:
            return [(t.handler, t.marked) for t in timers.timers_on(turn.root, forge)]

    def test_marks_follow_whose_doing_set_them(self) -> None:
        """
        A timer Bob's own use of his forge sets is unmarked, and so is the
        one its handler sets; one Carol's use sets is marked, and so is
        the one its handler sets, and a repeating one stays marked.
        """
        self.s.bob.send("kindle forge")
        self.assertEqual(self.marks(), [("catch", False)])
        self.clock.advance(1)
        self.assertEqual(self.marks(), [("burn", False)])
        self.clock.advance(1)
        self.s.carol.send("kindle forge")
        self.assertEqual(self.marks(), [("catch", True)])
        self.clock.advance(1)
        self.assertEqual(self.marks(), [("burn", True)])
        self.clock.advance(1)
        self.s.carol.send("blow forge")
        self.clock.advance(5)
        self.assertEqual(self.marks(), [("burn", True)])

    def test_his_own_timers_keep_the_reserve(self) -> None:
        """
        Past three quarters of Bob's share, the timer Carol had his forge
        set waits, while his own (his relock) fires on time.
        """
        self.assertIn("opened", self.s.bob.send("open forge"))
        self.assertIn("stoked", self.s.carol.send("stoke forge"))
        runtime = self.s.world.server.scripts
        runtime.meters.ticks(self.bob_id, 16_000)  # past three quarters of 20 000
        self.assertTrue(runtime.resting(self.bob_id))
        self.assertFalse(runtime.resting(self.bob_id, own=True))
        for _ in range(10):
            self.clock.advance(1)
        said, told = flat(self.s.carol.output()), flat(self.s.bob.output())
        self.assertEqual(said.count("clicks shut"), 1, told)
        self.assertEqual(self.marks(), [("burn", True)])
        self.assertIn("so your timers wait: 'burn' on forge", told)

    def test_handlers_others_wake_set_marked_timers(self) -> None:
        """
        A timer Bob's handler sets when Carol talks beside his forge is
        marked; when he talks, it is his own.
        """
        self.s.carol.send("say hello")
        self.assertEqual(self.marks(), [("burn", True)])
        self.clock.advance(1)
        self.s.bob.send("say hello")
        self.assertEqual(self.marks(), [("burn", False)])
