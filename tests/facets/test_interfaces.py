"""
Each facet target implements its class's control interface, and the roles
nest: view ⊂ interact ⊂ control.
"""

from __future__ import annotations

from twisted.trial import unittest
from zope.interface.verify import verifyObject

from scripting.facets.adapters import ADAPTERS
from scripting.facets.interfaces import ROLES, IScriptState, ITimers, role_names
from scripting.facets.state import StateFacet
from scripting.facets.timers import TimersFacet
from tests.facets.helpers import build, task
from world.objects import KINDS
from world.store import WorldStore


class InterfaceTests(unittest.TestCase):
    def setUp(self) -> None:
        self.store = WorldStore()
        self.addCleanup(self.store.close)
        self.world = build(self.store)

    def test_every_world_class_has_roles(self) -> None:
        """
        Every kind of world object has a view, interact and control role.
        """
        self.assertEqual(set(ROLES), set(KINDS))
        self.assertEqual(set(ADAPTERS), set(KINDS))

    def test_roles_nest(self) -> None:
        """
        Each role extends the one before: view ⊂ interact ⊂ control.
        """
        for kind in ROLES:
            view, interact, control = (role_names(kind, r) for r in ("view", "interact", "control"))
            self.assertLessEqual(view, interact, kind)
            self.assertLessEqual(interact, control, kind)

    def test_adapters_implement_control(self) -> None:
        """
        Each adapter provides its class's control interface (verifyObject).
        """
        w = self.world
        with task(self.store, w.alice.id):
            for obj in (w.lamp, w.box, w.hall, w.north, w.alice):
                adapter = ADAPTERS[obj.kind](obj)
                self.assertTrue(verifyObject(ROLES[obj.kind][2], adapter))

    def test_service_facets_implement_their_interfaces(self) -> None:
        """
        The state and timers facet targets provide IScriptState and ITimers
        (verifyObject).
        """
        self.assertTrue(verifyObject(IScriptState, StateFacet(self.world.lamp)))
        self.assertTrue(verifyObject(ITimers, TimersFacet(self.world.lamp)))

    def test_character_public_facet_cannot_move(self) -> None:
        """
        A character's roles have no move, rename or destroy at any level.
        """
        for role in ("view", "interact", "control"):
            names = role_names("character", role)
            self.assertFalse(names & {"move_to", "rename", "destroy", "create"}, role)
        self.assertIn("tell", role_names("character", "interact"))
