# -*- test-case-name: tests.redteam_world.test_r7_attack_spill -*-
"""
A destroyed container's spill into a full place plants nothing in a
player's hands (issue 9, round 7).

Bob took Alice's pouch from the floor, hid a scripted bug of his in it, put
the pouch in a box of his and destroyed the box in the full town square:
the square could not take the pouch, so it went back into Alice's hands,
wherever she was, with Bob's bug inside, and nobody told her of it. Putting
out of a full place already refused a thing holding another's
(L{world.rules.put_out}); a destroy's spill now follows the same rule: a
thing holding anything of anyone else's goes back into nobody's hands, and
the destroy is refused, nothing changed.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.redteam_world.test_r6_world_vending import fill, named
from tests.scripts.helpers import Scene, flat, make
from world import containment


class SpillPlantsNothingTests(TestCase):
    """
    Alice's pouch, holding Bob's scripted bug, in Bob's box in a full
    town square.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        s = self.s
        s.alice.send("@create container pouch")
        s.alice.send("drop pouch")
        s.bob.send("get pouch")
        make(s.bob, "bug", "def on_say(actor, text):\n    pass\n", drop=False)
        s.bob.send("put bug in pouch")
        s.bob.send("@create container box")
        s.bob.send("put pouch in box")
        s.bob.send("drop box")
        s.alice.send("north")
        self.box = s.thing("box").id
        with s.world.store.turn() as turn:
            fill(turn.root, turn.root.start_room)
        s.read()

    def where(self, name: str) -> str:
        return self.s.thing(name).location.name

    def test_no_rider_into_her_hands(self) -> None:
        """
        Bob's destroy of his box does not put Alice's pouch, with his bug
        in it, into her hands: it is refused and nothing moves.
        """
        self.assertEqual(self.where("pouch"), "box")
        said = flat(self.s.bob.send(f"@destroy #{self.box}"))
        self.assertNotEqual(self.where("pouch"), "Alice", said)
        self.assertNotIn("pouch came back into your hands", flat(self.s.alice.output()))

    def test_her_own_pouch_comes_back(self) -> None:
        """
        With nothing of anyone else's in it, her pouch goes back into her
        hands, as before.
        """
        with self.s.world.store.turn() as turn:
            containment.move(named(turn.root, "bug"), named(turn.root, "Bob"))
        said = flat(self.s.bob.send(f"@destroy #{self.box}"))
        self.assertIn("You destroy", said)
        self.assertEqual(self.where("pouch"), "Alice")
