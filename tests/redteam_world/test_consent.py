"""
Consent: nothing enters or leaves what a character carries unless that
player acts in person (or it is their own scripts' doing), and the rules
hold the same for players' commands, builders' commands and scripts.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.redteam_world.test_sealed import SlotCase
from tests.scripts.helpers import Scene, make

PLANTER = """
def plant(actor):
    made = this.create("thing", "cursed doll")
    made.move_to(actor)

def on_look(actor):
    plant(actor)

def verb_poke(actor, dobj, prep, iobj, dobjstr, iobjstr):
    plant(actor)

def verb_push(actor, dobj, prep, iobj, dobjstr, iobjstr):
    # A verb Carol typed may not put anything into Alice's hands.
    for c in here.characters:
        if c.name == "Alice":
            this.create("thing", "cursed doll").move_to(c)

def verb_arm(actor, *rest):
    state.set("victim", actor)
    timers.after(5, "later")

def later(data):
    this.create("thing", "cursed doll").move_to(state.get("victim"))
"""


def carried(scene: Scene, name: str) -> list[str]:
    with scene.world.store.turn() as turn:
        for obj in turn.root.all():
            if obj.name == name:
                return [o.name for o in obj.contents]
    raise AssertionError(name)


class PlantingTests(TestCase):
    """
    A script cannot put a thing into a character's hands unless that player
    typed the script's verb.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "gremlin", PLANTER)
        self.s.read()

    def test_handler_cannot_plant(self) -> None:
        """
        Looking at a thing wakes its on_look, which may not put anything in
        the looker's hands.
        """
        said = self.s.carol.send("look gremlin") + self.s.carol.output()
        self.assertNotIn("cursed doll", carried(self.s, "Carol"))
        self.assertIn("The script on gremlin failed", said)
        self.assertIn("has not asked for", self.s.bob.output())  # why: its owner's to know

    def test_timer_cannot_plant(self) -> None:
        """
        A timer runs for nobody: it may not put anything in anyone's hands.
        """
        self.s.carol.send("arm gremlin")
        self.s.world.clock.advance(6)
        self.assertNotIn("cursed doll", carried(self.s, "Carol"))

    def test_verb_cannot_plant_on_someone_else(self) -> None:
        """
        Carol typing the gremlin's verb does not let it fill Alice's hands.
        """
        self.s.carol.send("push gremlin")
        self.assertNotIn("cursed doll", carried(self.s, "Alice"))
        self.assertNotIn("cursed doll", carried(self.s, "Carol"))

    def test_verb_the_player_typed_may_hand_them_something(self) -> None:
        """
        The player asked: the verb they typed may hand them the thing, and
        they can drop it again.
        """
        self.s.carol.send("poke gremlin")
        self.assertIn("cursed doll", carried(self.s, "Carol"))
        self.assertIn("You drop the cursed doll", self.s.carol.send("drop doll"))
        self.assertNotIn("cursed doll", carried(self.s, "Carol"))

    def test_create_inside_a_carried_thing_is_planting(self) -> None:
        """
        A scripted box Bob gives Carol may not create things in her hands
        (or inside itself while she carries it) on a timer.
        """
        make(self.s.bob, "box", """
            def verb_arm(actor, *rest):
                timers.after(5, "spawn")

            def spawn(data):
                this.create("thing", "spam")
            """, drop=False)
        self.s.bob.send("@name box = bad box")
        self.s.bob.send("arm bad box")
        self.s.bob.send("give bad box to carol")
        self.s.world.clock.advance(6)
        self.assertEqual(carried(self.s, "Carol"), ["bad box"])
        self.assertEqual(carried(self.s, "bad box"), [])


class GettingRidTests(TestCase):
    """
    What was planted can always be dropped, and does not come back.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_dropped_thing_cannot_jump_back(self) -> None:
        """
        A thing given to Carol whose on_drop moves it back into her hands
        stays on the floor.
        """
        make(self.s.bob, "leech", """
            def on_drop(actor):
                this.move_to(actor)
            """, drop=False)
        self.s.bob.send("give leech to carol")
        self.assertEqual(carried(self.s, "Carol"), ["leech"])
        self.s.carol.send("drop leech")
        self.assertEqual(carried(self.s, "Carol"), [])

    def test_fixed_thing_that_objects_can_be_dropped(self) -> None:
        """
        A thing that a verb Carol typed put in her hands, fixed in place and
        whose script fails on every drop, still leaves her hands when she
        drops it, alone or with everything.
        """
        make(self.s.bob, "lead weight", """
            def verb_heft(actor, *rest):
                this.set_property("fixed", True)
                this.move_to(actor)

            def on_drop(actor):
                raise ValueError("you cannot be rid of me")
            """)
        self.s.carol.send("heft weight")
        self.assertEqual(carried(self.s, "Carol"), ["lead weight"])
        self.assertIn("won't budge", self.s.carol.send("drop weight") + self.s.carol.send(
            "get weight"))
        self.assertEqual(carried(self.s, "Carol"), [])
        self.s.carol.send("heft weight")
        self.s.carol.send("drop all")
        self.assertEqual(carried(self.s, "Carol"), [])

    def test_owner_script_cannot_take_back_from_hands(self) -> None:
        """
        Bob's script cannot pull his thing out of Carol's hands on a timer:
        what she carries changes only when she acts.
        """
        make(self.s.bob, "boomerang", """
            def verb_arm(actor, *rest):
                timers.after(5, "home")

            def home(data):
                this.move_to(this.room())
            """, drop=False)
        self.s.bob.send("arm boomerang")
        self.s.bob.send("give boomerang to carol")
        self.s.world.clock.advance(6)
        self.assertEqual(carried(self.s, "Carol"), ["boomerang"])


class SealedDriftTests(SlotCase):
    """
    The sealed rule is the same for every command and facet (its copies
    once drifted apart).
    """

    def setUp(self) -> None:
        super().setUp()
        self.s.alice.send("@create coin")
        self.s.alice.send("put coin in slot")
        self.s.read()

    def test_get_all_from_sealed(self) -> None:
        """
        'get all from slot' takes nothing out of a sealed container.
        """
        self.s.carol.send("get all from slot")
        self.assertEqual(carried(self.s, "slot"), ["coin"])

    def test_teleport_out_of_sealed(self) -> None:
        """
        Alice owns the coin, but not the slot: @teleport does not take it
        out either.
        """
        coin = self.s.thing("coin")
        said = self.s.alice.send(f"@teleport #{coin.id} = here")
        self.assertIn("won't let go", said)
        self.assertEqual(carried(self.s, "slot"), ["coin"])

    def test_slot_owner_may_empty_it(self) -> None:
        """
        The slot's owner may take things out by hand, as his scripts may.
        """
        self.assertIn("You take the coin from the slot", self.s.bob.send("get coin from slot"))


class TeleportReachTests(TestCase):
    """
    @teleport of one's own things goes only to places the builder controls
    or stands in, never into another character's hands.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.alice.send("@create widget")

    def test_not_into_anothers_hands(self) -> None:
        self.assertIn("has not asked for", self.s.alice.send("@teleport widget = Carol"))
        self.assertEqual(carried(self.s, "Carol"), [])

    def test_not_into_anothers_container(self) -> None:
        self.s.bob.send("@create container sack")
        sack = self.s.thing("sack")
        self.assertIn("has not asked for", self.s.alice.send(f"@teleport widget = #{sack.id}"))

    def test_not_to_a_room_not_controlled(self) -> None:
        said = self.s.alice.send("@teleport widget = Market")
        self.assertIn("out of your reach", said)
        self.assertEqual(self.s.thing("widget").location.name, "Alice")

    def test_to_own_room_and_here(self) -> None:
        dug = self.s.alice.send("@dig Workshop")
        workshop = dug[dug.index("(#") + 1:dug.index(")", dug.index("(#"))]
        self.assertIn("You send widget", self.s.alice.send(f"@teleport widget = {workshop}"))
        self.assertEqual(self.s.thing("widget").location.name, "Workshop")
        self.s.alice.send("@create gadget")
        self.assertIn("You send gadget", self.s.alice.send("@teleport gadget = here"))

    def test_self_goes_next_door(self) -> None:
        """
        A builder goes themselves to a room one open exit away.
        """
        self.assertIn("Market", self.s.alice.send("@teleport Market"))
