"""
Attenuation only narrows: a facet of a facet exposes at most the
intersection, whatever the chain of roles and interfaces.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from twisted.trial import unittest
from zope.interface import Attribute
from zope.interface.interface import InterfaceClass
from zope.security.interfaces import ForbiddenAttribute
from zope.security.proxy import getChecker

from scripting.facets.adapters import attenuate, facet
from scripting.facets.checkers import SAFE_SPECIALS, facet_names
from scripting.facets.errors import FacetError
from scripting.facets.interfaces import ROLE_NAMES, role_names
from tests.facets.helpers import build, task
from tests.facets.test_checkers import probe, universe
from world.store import WorldStore

NAMES = sorted(universe())


def interface_of(names: frozenset[str]) -> InterfaceClass:
    """
    An interface declaring exactly C{names}.
    """
    return InterfaceClass("IRandom", attrs={n: Attribute(n) for n in names})


#: A step is a role name or an arbitrary interface.
steps = st.one_of(
    st.sampled_from(ROLE_NAMES),
    st.frozensets(st.sampled_from(NAMES), max_size=25).map(interface_of),
)


def step_names(kind: str, step: object) -> frozenset[str]:
    if isinstance(step, str):
        return role_names(kind, step)
    return frozenset(step.names(all=True))


class AttenuationTests(unittest.TestCase):
    def setUp(self) -> None:
        self.store = WorldStore()
        self.addCleanup(self.store.close)
        self.w = build(self.store)

    @settings(max_examples=150, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(which=st.sampled_from(["lamp", "box", "hall", "north", "alice"]),
           start=st.sampled_from(ROLE_NAMES), chain=st.lists(steps, max_size=4))
    def test_chain_exposes_the_intersection(self, which: str, start: str, chain: list) -> None:
        """
        Any chain of attenuations exposes exactly the intersection of the
        starting role and every step, probed name by name.
        """
        obj = getattr(self.w, which)
        with task(self.store, self.w.alice.id):
            f = facet(obj, start)
            expected = role_names(obj.kind, start)
            for step in chain:
                f = attenuate(f, step)
                expected = expected & step_names(obj.kind, step)
            self.assertEqual(facet_names(f), expected)
            for name in NAMES:
                self.assertEqual(probe(f, name), name in expected or name in SAFE_SPECIALS, name)

    def test_attenuation_never_widens(self) -> None:
        """
        Asking a view facet for control gives a view facet.
        """
        with task(self.store, self.w.bob.id):
            wider = attenuate(facet(self.w.lamp, "view"), "control")
            self.assertEqual(getChecker(wider).names, role_names("thing", "view"))
            self.assertRaises(ForbiddenAttribute, getattr, wider, "rename")

    def test_attenuate_refuses_non_facets_and_non_roles(self) -> None:
        """
        Only facets attenuate, only to role names or interfaces (a str
        subclass is not a role name).
        """

        class Role(str):
            pass

        with task(self.store, self.w.bob.id):
            lamp = facet(self.w.lamp, "control")
            self.assertRaises(FacetError, attenuate, self.w.lamp, "view")
            self.assertRaises(FacetError, attenuate, lamp, "owner")
            self.assertRaises(FacetError, attenuate, lamp, Role("view"))
            self.assertRaises(FacetError, attenuate, lamp.rename, "view")
