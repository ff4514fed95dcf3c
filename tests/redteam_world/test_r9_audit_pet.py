# -*- test-case-name: tests.redteam_world.test_r9_audit_pet -*-
"""
Audit of round 9's Biscuit: a walk cut short lets go of its timer. Each
walk set a timer to bring him home WALK seconds later, and a walk its
friend cut short ('@holders/revoke') left its timer pending, doing
nothing when due. The world's scripts share one owner's timers (the
clock tower's, the door's, the vending machine's coins): a handful of
accounts petting him and revoking in turn filled them all, and the
machine's coins stopped rolling back out.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.testing import TestWorld
from scripting.facets import accounting
from tests.content.test_default_world import DEFAULT


class CutShortWalkTests(TestCase):

    def setUp(self) -> None:
        self.world = TestWorld(content=DEFAULT, build=None)
        self.addCleanup(self.world.close)

    def world_timers(self) -> int:
        with self.world.store.turn() as turn:
            return accounting.usage(turn.root, None).timers

    def test_walks_cut_short_keep_no_timers(self) -> None:
        """
        Twelve players in turn pet him and revoke at once: the world's
        scripts hold no more timers than after the first walk.
        """
        first = self.world.login("Alta")
        self.assertIn("decides he is Alta's dog now", first.send("pet dog"))
        first.send("@holders/revoke all")
        held = self.world_timers()
        for n, name in enumerate(("Bree", "Cato", "Dirk", "Emmet", "Fenna", "Gus", "Hilde",
                                  "Ivo", "Joss", "Kit", "Lorn")):
            alt = self.world.login(name, address=f"10.0.{n}.1")
            self.assertIn(f"decides he is {name}'s dog now", alt.send("pet dog"))
            alt.send("@holders/revoke all")
        self.assertLessEqual(self.world_timers(), held)
