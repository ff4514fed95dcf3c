"""
A sealed container takes things in but lets nothing out: a script cannot
take back what its owner put in someone else's coin slot.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, make

#: A thing that, armed, tries to move itself out to its room five seconds on.
ESCAPER = """
def verb_arm(actor, *rest):
    timers.after(5, "escape")
    actor.tell("armed")

def escape(data):
    this.move_to(this.room())
"""


class SlotCase(TestCase):
    """
    Bob's slot, a container he dropped in the town square and sealed with
    C{@set}.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.bob.send("@create container slot")
        self.s.bob.send("drop slot")
        self.s.bob.send("@set slot/sealed = true")


class CofferCase(TestCase):
    """
    Bob's sealed coffer, not fixed, with his gem in it, in the town square.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.bob.send("@create container coffer")
        self.s.bob.send("@create gem")
        self.s.bob.send("put gem in coffer")
        self.s.bob.send("drop coffer")
        self.s.set_property("coffer", "sealed")
        self.s.read()

    def contents(self) -> list[str]:
        with self.s.world.store.turn() as turn:
            coffer = next(o for o in turn.root.all() if o.name == "coffer")
            return sorted(o.name for o in coffer.contents)


def sealed_slot(test: TestCase) -> Scene:
    """
    A scene (closed when C{test} ends) with Bob's sealed slot lying in the
    town square.
    """
    scene = Scene()
    test.addCleanup(scene.world.close)
    scene.bob.send("@create container slot")
    scene.bob.send("drop slot")
    scene.set_property("slot", "sealed")
    return scene


class SealedTests(TestCase):
    def setUp(self) -> None:
        self.s = sealed_slot(self)

    def test_cannot_pull_a_coin_back_out(self) -> None:
        """
        Alice's coin, put in Bob's sealed slot, cannot move itself out.
        """
        make(self.s.alice, "coin", ESCAPER, drop=False)
        self.assertIn("armed", self.s.alice.send("arm coin"))
        self.s.alice.send("put coin in slot")
        self.assertEqual(self.s.thing("coin").location.name, "slot")
        self.s.world.clock.advance(6)
        self.assertEqual(self.s.thing("coin").location.name, "slot")

    def test_owner_of_slot_may_empty_it(self) -> None:
        """
        The slot's owner's own things may still leave it (the owner lets them).
        """
        make(self.s.bob, "token", ESCAPER, drop=False)
        self.assertIn("armed", self.s.bob.send("arm token"))
        self.s.bob.send("put token in slot")
        self.assertEqual(self.s.thing("token").location.name, "slot")
        self.s.world.clock.advance(6)
        self.assertEqual(self.s.thing("token").location.name, "Town Square")


class CarriedSealTests(CofferCase):
    """
    A sealed container that is not fixed stays sealed in whoever's hands:
    a player who picks up Bob's sealed coffer cannot empty it (by command
    or by script); she takes out only what is hers.
    """

    def test_carrier_cannot_empty_it(self) -> None:
        """
        Carol picks the coffer up; the gem stays in it.
        """
        self.assertIn("You pick up the coffer", self.s.carol.send("get coffer"))
        self.assertIn("won't let go", self.s.carol.send("get gem from coffer"))
        self.assertEqual(self.contents(), ["gem"])

    def test_get_all_takes_nothing(self) -> None:
        """
        'get all from coffer' in Alice's hands takes nothing of Bob's.
        """
        self.s.alice.send("get coffer")
        self.assertNotIn("You take", self.s.alice.send("get all from coffer"))
        self.assertEqual(self.contents(), ["gem"])

    def test_carrier_takes_out_her_own(self) -> None:
        """
        What Carol put in herself she takes out again.
        """
        self.s.carol.send("get coffer")
        self.s.carol.send("@create ring")
        self.s.carol.send("put ring in coffer")
        self.assertIn("You take the ring from the coffer",
                      self.s.carol.send("get ring from coffer"))
        self.assertEqual(self.contents(), ["gem"])

    def test_owner_empties_it(self) -> None:
        """
        Bob, its owner, still takes his gem out.
        """
        self.assertIn("You take the gem from the coffer", self.s.bob.send("get gem from coffer"))


class GrantedSealTests(CofferCase):
    """
    A seal yields to its owner's authority, by command or by script alike
    (L{world.rules.check_move}: whoever acts controls the container): a
    script the owner granted control of the coffer and the gem in it (its
    host is always the granter's own, L{scripting.facets.grants.grant})
    takes the gem out, as the owner's C{get gem from coffer} does; nobody
    else's script or command does.
    """

    def test_granted_script_empties_it(self) -> None:
        make(self.s.bob, "crane", """
            def verb_lift(actor, *rest):
                grants["gem"].move_to(here)
                actor.tell("lifted")
            """)
        self.s.bob.send("@grant crane.box = control coffer")
        gem = self.s.thing("gem").id
        self.assertIn("Granted", self.s.bob.send(f"@grant crane.gem = control #{gem}"))
        self.assertIn("lifted", self.s.carol.send("lift crane"))
        self.assertEqual(self.contents(), [])

    def test_others_cannot(self) -> None:
        """
        Alice may grant her own crane only a view of Bob's coffer and gem,
        and a view cannot move anything.
        """
        make(self.s.alice, "crane", """
            def verb_lift(actor, *rest):
                grants["gem"].move_to(here)
            """)
        gem = self.s.thing("gem").id
        self.assertIn("not yours", self.s.alice.send(f"@grant crane.gem = control #{gem}"))
        self.s.alice.send(f"@grant crane.gem = view #{gem}")
        self.assertNotIn("lifted", self.s.carol.send("lift crane"))
        self.assertIn("won't let go", self.s.alice.send("get gem from coffer"))
        self.assertEqual(self.contents(), ["gem"])
