"""
A script's move wakes the handlers a player's move wakes (one rule,
L{world.rules.moved}): a box hears a thing put into it or taken out by a
script as it hears a player's put and take; the fan-out is bounded and
charged as a command's is, and what it wakes wakes nothing more.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.scripts import events
from tests.scripts.helpers import Scene, make, script

BOX = """
def on_enter(actor, thing):
    this.set_property("heard", this.get_property("heard", 0) + 1)
    this.set_property("entered", thing.name + " by " + (actor.name if actor else "nobody"))

def on_leave(actor, thing, where):
    this.set_property("heard", this.get_property("heard", 0) + 1)
    this.set_property("left", thing.name + " for " + where.name)
"""

WAND = """
def verb_hop(actor, dobj, prep, iobj, dobjstr, iobjstr):
    this.move_to(iobj)

def verb_jiggle(actor, dobj, prep, iobj, dobjstr, iobjstr):
    for n in range(50):
        this.move_to(iobj)
        this.move_to(here)

def verb_arm(actor, *rest):
    timers.after(5, "out")

def out(data):
    this.move_to(this.room())
"""


class ScriptMoveEventsTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.bob.send("@create container box")
        self.s.bob.send("drop box")
        script(self.s.bob, "box", BOX)
        make(self.s.alice, "wand", WAND)
        self.s.read()

    def box(self, key: str) -> object:
        return self.s.thing("box").properties.get(key)

    def test_enter_by_script(self) -> None:
        """
        Alice's wand hopping into Bob's box wakes the box's on_enter, with
        Alice (whose verb it was) as the actor.
        """
        self.s.alice.send("hop wand into box")
        self.assertEqual(self.s.thing("wand").location.name, "box")
        self.assertEqual(self.box("entered"), "wand by Alice")

    def test_leave_by_timer(self) -> None:
        """
        A timer moving the wand out wakes on_leave (no one acted).
        """
        self.s.alice.send("arm wand")
        self.s.alice.send("hop wand into box")
        self.s.world.clock.advance(6)
        self.assertEqual(self.s.thing("wand").location.name, "Town Square")
        self.assertEqual(self.box("left"), "wand for Town Square")

    def test_player_moves_the_same(self) -> None:
        """
        A player's put and take wake the same handlers, from the same rule.
        """
        self.s.alice.send("get wand")
        self.s.alice.send("put wand in box")
        self.assertEqual(self.box("entered"), "wand by Alice")
        self.s.alice.send("get wand from box")
        self.assertEqual(self.box("left"), "wand for Alice")

    def test_fan_out_bounded(self) -> None:
        """
        A hundred moves in one verb wake the box at most four times
        L{events.MAX_HANDLERS} times.
        """
        self.s.alice.send("jiggle wand into box")
        self.assertEqual(self.box("heard"), events.MAX_HANDLERS * 4)

    def test_no_chain(self) -> None:
        """
        A handler a script's move woke wakes nothing more: the box's
        on_enter pushing its ball out is not heard by its own on_leave.
        """
        script(self.s.bob, "box", BOX + """
def verb_stock(actor, *rest):
    state.set("ball", this.create("thing", "ball"))

def on_enter(actor, thing):
    this.set_property("entered", thing.name)
    state.get("ball").move_to(this.room())
""")
        self.s.bob.send("stock box")
        self.s.alice.send("hop wand into box")
        self.assertEqual(self.box("entered"), "wand")
        self.assertEqual(self.s.thing("ball").location.name, "Town Square")
        self.assertIsNone(self.box("left"))

    def test_mover_pays_for_what_it_wakes(self) -> None:
        """
        The handlers a script's move wakes are charged to the mover's owner:
        Alice's wand hopping in and out of Bob's box, whose on_enter is
        costly, spends Alice's share, not Bob's (her timers could otherwise
        drain his share and silence his scripts).
        """
        script(self.s.bob, "box", BOX + """
def on_enter(actor, thing):
    for n in range(3000):
        pass
    this.set_property("heard", this.get_property("heard", 0) + 1)
""")
        meters = self.s.world.server.scripts.meters
        bob, alice = self.s.character("Bob").id, self.s.character("Alice").id
        before = meters.recent_ticks(bob), meters.recent_ticks(alice)
        self.s.alice.send("jiggle wand into box")
        spent_bob = meters.recent_ticks(bob) - before[0]
        spent_alice = meters.recent_ticks(alice) - before[1]
        self.assertGreaterEqual(self.box("heard"), events.MAX_HANDLERS)
        self.assertGreater(spent_alice, self.box("heard") * 1000)  # ~1500 each (range's steps)
        self.assertLess(spent_bob, 1000)

    def test_mover_pays_for_loading_what_it_wakes(self) -> None:
        """
        Loading the woken script is part of what a script's move costs: when
        Alice's wand wakes Bob's box whose module is not loaded (a costly
        top level), the load is charged to Alice, not to Bob.
        """
        script(self.s.bob, "box", "for n in range(3000):\n    pass\n" + BOX)
        runtime = self.s.world.server.scripts
        box = self.s.thing("box")
        bob, alice = self.s.character("Bob").id, self.s.character("Alice").id
        runtime.forget(box.id)  # as a restart or a library's new version does
        before = runtime.meters.recent_ticks(bob), runtime.meters.recent_ticks(alice)
        self.s.alice.send("hop wand into box")
        self.assertEqual(self.box("entered"), "wand by Alice")
        spent_bob = runtime.meters.recent_ticks(bob) - before[0]
        spent_alice = runtime.meters.recent_ticks(alice) - before[1]
        self.assertGreater(spent_alice, 1000)
        self.assertLess(spent_bob, 1000)
