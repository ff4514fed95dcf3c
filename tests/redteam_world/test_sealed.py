"""
A sealed container takes things in but lets nothing out: a script cannot
take back what its owner put in someone else's coin slot.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, make


class SealedTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.bob.send("@create container slot")
        self.s.bob.send("drop slot")
        with self.s.world.store.turn() as turn:
            for obj in turn.root.all():
                if obj.name == "slot":
                    obj.set_property("sealed", True)

    def test_cannot_pull_a_coin_back_out(self) -> None:
        """
        Alice's coin, put in Bob's sealed slot, cannot move itself out.
        """
        make(self.s.alice, "coin", """
            def verb_arm(actor, *rest):
                timers.after(5, "escape")
                actor.tell("armed")

            def escape(data):
                this.move_to(this.room())
            """, drop=False)
        self.assertIn("armed", self.s.alice.send("arm coin"))
        self.s.alice.send("put coin in slot")
        self.assertEqual(self.s.thing("coin").location.name, "slot")
        self.s.world.clock.advance(6)
        self.assertEqual(self.s.thing("coin").location.name, "slot")

    def test_owner_of_slot_may_empty_it(self) -> None:
        """
        The slot's owner's own things may still leave it (the owner lets them).
        """
        make(self.s.bob, "token", """
            def verb_arm(actor, *rest):
                timers.after(5, "escape")
                actor.tell("armed")

            def escape(data):
                this.move_to(this.room())
            """, drop=False)
        self.assertIn("armed", self.s.bob.send("arm token"))
        self.s.bob.send("put token in slot")
        self.assertEqual(self.s.thing("token").location.name, "slot")
        self.s.world.clock.advance(6)
        self.assertEqual(self.s.thing("token").location.name, "Town Square")
