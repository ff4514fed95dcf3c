# -*- test-case-name: tests.redteam_world.test_r4_sealed_destroy -*-
"""
Nothing leaves a sealed container but by its owner's hand: not by being
destroyed either. Alice's gem, put in Bob's sealed slot (a payment, a
deposit), could not be taken back out, but her '@destroy #gem', or her
gem's own timer calling C{this.destroy()}, emptied the slot of it all the
same: the seal is one rule (L{world.rules.check_sealed}) for moving a thing
out and for destroying it where it lies. (Found by redteam, round 4.)
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.redteam_world.test_sealed import sealed_slot
from tests.scripts.helpers import make

#: A thing that, armed, destroys itself five seconds on.
VANISHER = """
def verb_arm(actor, *rest):
    timers.after(5, "vanish")
    actor.tell("armed")

def vanish(data):
    this.destroy()
"""


class SealedDestroyTests(TestCase):
    """
    Bob's sealed slot in the town square; Alice's gem and coin in it.
    """

    def setUp(self) -> None:
        self.s = sealed_slot(self)
        make(self.s.alice, "coin", VANISHER, drop=False)
        self.assertIn("armed", self.s.alice.send("arm coin"))
        self.s.alice.send("@create gem")
        self.s.alice.send("put coin in slot")
        self.s.alice.send("put gem in slot")
        self.s.read()

    def in_slot(self) -> list[str]:
        with self.s.world.store.turn() as turn:
            slot = next(o for o in turn.root.all() if o.name == "slot")
            return sorted(o.name for o in slot.contents)

    def test_owner_cannot_destroy_it_in_the_slot(self) -> None:
        """
        Alice's '@destroy' of her gem in Bob's slot is refused, as taking
        it out is, and the gem stays.
        """
        said = self.s.alice.send(f"@destroy #{self.s.thing('gem').id}")
        self.assertIn("The slot won't let go of the gem", said)
        self.assertEqual(self.in_slot(), ["coin", "gem"])

    def test_timer_cannot_destroy_it_in_the_slot(self) -> None:
        """
        The coin's own timer cannot destroy it in the slot either.
        """
        self.s.world.clock.advance(6)
        self.assertEqual(self.in_slot(), ["coin", "gem"])
        self.assertNotIn("coin vanishes", self.s.bob.output())

    def test_slot_owner_may(self) -> None:
        """
        Bob, whose slot it is, may still let the gem go (a wizard's clearing
        up, or the owner giving it back, is not barred): he takes it out.
        """
        self.assertIn("You take the gem from the slot", self.s.bob.send("get gem from slot"))
        self.assertEqual(self.in_slot(), ["coin"])

    def test_unsealed_destroy_still_works(self) -> None:
        """
        Once Bob unseals the slot, Alice may destroy what is hers in it.
        """
        self.s.bob.send("@unset slot/sealed")
        self.assertIn("You destroy gem", self.s.alice.send(f"@destroy #{self.s.thing('gem').id}"))
        self.assertEqual(self.in_slot(), ["coin"])
