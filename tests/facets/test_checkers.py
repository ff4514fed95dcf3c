"""
The checkers are default-deny: a facet exposes exactly its role, nothing
writes through it, nothing raw comes out of it, and a raw world object that
escapes is inert.
"""

from __future__ import annotations

import copy
import pickle
import types

from twisted.trial import unittest
from zope.security.checker import ProxyFactory, _clear, selectChecker
from zope.security.interfaces import ForbiddenAttribute
from zope.security.proxy import Proxy, getChecker, getObject

from scripting.facets import state, timers
from scripting.facets.adapters import ADAPTERS, facet
from scripting.facets.base import FacetBase
from scripting.facets.checkers import (
    INERT,
    SAFE_SPECIALS,
    CallChecker,
    FacetChecker,
    checkers_installed,
    install_checkers,
)
from scripting.facets.interfaces import ROLE_NAMES, ROLES, role_names
from tests.facets.helpers import build, task
from world.objects import Thing
from world.store import WorldStore

#: Names an attacker would try on any proxy.
ESCAPES = (
    "__class__", "__dict__", "__slots__", "__providedBy__", "__provides__",
    "__implemented__", "__reduce__", "__reduce_ex__", "__getstate__", "__setstate__",
    "__init__", "__new__", "__subclasshook__", "__init_subclass__", "__dir__",
    "__getattribute__", "__setattr__", "__module__", "__doc__", "__weakref__",
    "__self__", "__func__", "__globals__", "__code__", "__closure__", "__wrapped__",
    "__conform__", "__parent__", "__name__", "__call__", "__iter__", "__len__",
    "_p_jar", "_p_oid", "_p_changed", "_p_serial", "_target", "_voice", "_cells",
    "_live", "_tag", "with_cells", "removeSecurityProxy", "getObject",
    "id", "ref", "owner", "properties", "scripts", "contents_list", "objects", "root",
)


def universe() -> frozenset[str]:
    """
    Every name any role of any class declares, plus every escape name.
    """
    names: set[str] = set(ESCAPES)
    for kind in ROLES:
        for role in ROLE_NAMES:
            names |= role_names(kind, role)
    return frozenset(names)


def probe(value: object, name: str) -> bool:
    """
    Whether C{name} can be read through C{value}.
    """
    try:
        getattr(value, name)
    except ForbiddenAttribute:
        return False
    return True


class Grabber:
    """
    A script-made object whose every comparison records what it was handed.
    """

    def __init__(self) -> None:
        self.got: list[object] = []

    def _grab(self, other: object) -> bool:
        self.got.append(other)
        return False

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _grab

    def __hash__(self) -> int:
        return 0

    def __add__(self, other: object) -> object:
        self.got.append(other)
        return NotImplemented

    __radd__ = __mul__ = __rmul__ = __or__ = __ror__ = __add__


class InertTests(unittest.TestCase):
    """
    A raw world object (or facet target) that escapes is inert.
    """

    def setUp(self) -> None:
        self.store = WorldStore()
        self.addCleanup(self.store.close)
        self.world = build(self.store)
        install_checkers()

    def test_world_classes_default_to_inert(self) -> None:
        """
        Every world class and every facet target class has the inert checker.
        """
        w = self.world
        for obj in (w.lamp, w.box, w.hall, w.north, w.alice):
            self.assertIs(selectChecker(obj), INERT, obj)
            self.assertIs(selectChecker(ADAPTERS[obj.kind](obj)), INERT, obj)

    def test_facets_install_into_a_cleared_registry(self) -> None:
        """
        Whether the checkers are installed is read from zope.security's
        registry itself: after it is cleared, making a facet installs them
        again, so an escaped raw object stays inert.
        """
        _clear()
        self.addCleanup(install_checkers)
        self.assertFalse(checkers_installed())
        facet(self.world.lamp, "view")
        self.assertTrue(checkers_installed())
        self.assertIs(selectChecker(self.world.lamp), INERT)

    def test_escaped_raw_object_denies_every_name(self) -> None:
        """
        A raw world object proxied by default denies every name, including the
        ones zope.security allows by default (__class__, __providedBy__...).
        """
        w = self.world
        for obj in (w.lamp, w.box, w.hall, w.north, w.alice):
            raw = ProxyFactory(obj)
            for name in sorted(universe()):
                self.assertFalse(probe(raw, name), (obj, name))
            self.assertRaises(ForbiddenAttribute, setattr, raw, "name", "x")
            self.assertRaises(ForbiddenAttribute, delattr, raw, "name")
            self.assertRaises(ForbiddenAttribute, iter, raw)
            self.assertRaises(ForbiddenAttribute, len, raw)
            self.assertRaises(ForbiddenAttribute, raw)
            self.assertEqual(obj.name, getObject(raw).name)  # unchanged

    def test_escaped_facet_target_is_inert(self) -> None:
        """
        A facet target (world, state or timers) proxied by default, not
        through its facet function, is inert too.
        """
        state.state_facet(self.world.lamp)
        timers.timers_facet(self.world.lamp)
        for target in (ADAPTERS["thing"](self.world.lamp), state.StateFacet(self.world.lamp),
                       timers.TimersFacet(self.world.lamp)):
            raw = ProxyFactory(target)
            for name in ("name", "rename", "get", "after", "_target", "__class__"):
                self.assertFalse(probe(raw, name), name)

    def test_install_refuses_a_second_authority(self) -> None:
        """
        Registering the inert checker over another checker is refused.
        """

        class Other(Thing):
            pass

        from zope.security.checker import Checker, defineChecker, undefineChecker

        defineChecker(Other, Checker({"name": None}))
        self.addCleanup(undefineChecker, Other)
        self.assertRaises(RuntimeError, install_checkers, [Other])


class FacetCheckerTests(unittest.TestCase):
    """
    A facet exposes exactly its role.
    """

    def setUp(self) -> None:
        self.store = WorldStore()
        self.addCleanup(self.store.close)
        self.world = build(self.store)

    def objects(self) -> list:
        w = self.world
        return [w.lamp, w.box, w.hall, w.north, w.alice]

    def test_exactly_role_names_are_readable(self) -> None:
        """
        For every class and role, a name is readable iff the role declares it
        (or it is __repr__/__str__).
        """
        with task(self.store, self.world.bob.id):
            for obj in self.objects():
                for role in ROLE_NAMES:
                    f = facet(obj, role)
                    allowed = role_names(obj.kind, role)
                    for name in sorted(universe()):
                        self.assertEqual(probe(f, name), name in allowed or name in SAFE_SPECIALS,
                                         (obj.kind, role, name))

    def test_no_attribute_can_be_assigned_or_deleted(self) -> None:
        """
        Even a control facet refuses every attribute write and delete.
        """
        with task(self.store, self.world.alice.id):
            f = facet(self.world.lamp, "control")
            for name in ("name", "description", "owner", "location", "_target", "__class__",
                         "rename"):
                self.assertRaises(ForbiddenAttribute, setattr, f, name, "x")
                self.assertRaises(ForbiddenAttribute, delattr, f, name)
        self.assertEqual(self.world.lamp.name, "brass lamp")

    def test_bound_methods_expose_only_call(self) -> None:
        """
        A facet's method can be called, but its __self__, __func__ and
        __globals__ (the way to the raw target and the module) are denied.
        """
        with task(self.store, self.world.alice.id):
            method = facet(self.world.lamp, "control").rename
            self.assertIs(type(method), Proxy)
            self.assertIs(type(getChecker(method)), CallChecker)
            for name in ("__self__", "__func__", "__globals__", "__code__", "__name__",
                         "__class__", "__reduce_ex__", "__wrapped__"):
                self.assertFalse(probe(method, name), name)
            method("lantern")
        self.assertEqual(self.world.lamp.name, "lantern")

    def test_denials_carry_only_the_name(self) -> None:
        """
        ForbiddenAttribute carries the attribute name only, never the object.
        """
        with task(self.store, self.world.bob.id):
            f = facet(self.world.lamp, "view")
            for attempt in (lambda: f.rename, lambda: f.__class__,
                            lambda: setattr(f, "name", "x")):
                try:
                    attempt()
                except ForbiddenAttribute as e:
                    self.assertTrue(all(type(a) is str for a in e.args), e.args)
                    self.assertIsNone(e.__context__)
                else:
                    self.fail("not denied")

    def test_protocol_operations_are_denied(self) -> None:
        """
        Iteration, length, calling, indexing, arithmetic (either side),
        pickling and copying a facet are all denied.
        """
        with task(self.store, self.world.bob.id):
            f = facet(self.world.box, "control")
            self.assertRaises(ForbiddenAttribute, iter, f)
            self.assertRaises(ForbiddenAttribute, len, f)
            self.assertRaises(ForbiddenAttribute, lambda: f())
            self.assertRaises(ForbiddenAttribute, lambda: f[0])
            self.assertRaises(ForbiddenAttribute, lambda: f + 1)
            grab = Grabber()
            self.assertRaises(ForbiddenAttribute, lambda: grab + f)  # would hand __radd__ the raw
            self.assertRaises(ForbiddenAttribute, lambda: grab * f)
            self.assertRaises(pickle.PicklingError, pickle.dumps, f)
            self.assertRaises(copy.Error, copy.copy, f)
            self.assertRaises(copy.Error, copy.deepcopy, f)
            self.assertTrue(all(type(x) is Proxy for x in grab.got))

    def test_comparisons_never_hand_out_the_target(self) -> None:
        """
        Comparing a facet with a script object never hands the object the raw
        target (the C proxy compares its target unchecked, so the target must
        answer every comparison itself); ordering facets is an error.
        """
        with task(self.store, self.world.bob.id):
            f = facet(self.world.lamp, "view")
            grab = Grabber()
            self.assertFalse(f == grab)
            self.assertTrue(f != grab)
            self.assertFalse(grab == f)
            for op in (lambda: f < grab, lambda: f <= grab, lambda: f > grab,
                       lambda: f >= grab):
                self.assertRaises(TypeError, op)
            for got in grab.got:
                self.assertIs(type(got), Proxy)

    def test_facets_of_one_object_compare_equal(self) -> None:
        """
        Two facets of the same object are equal (and hash alike) whatever
        their roles; facets of different objects are not.
        """
        with task(self.store, self.world.alice.id):
            a = facet(self.world.lamp, "view")
            b = facet(self.world.lamp, "control")
            self.assertTrue(a == b)
            self.assertEqual(hash(a), hash(b))
            self.assertFalse(a == facet(self.world.box, "view"))
            self.assertIn(b, [facet(self.world.box), a])

    def test_text_forms_show_no_address(self) -> None:
        """
        repr and str of a facet and of its methods name the object, never a
        memory address or a class path.
        """
        with task(self.store, self.world.bob.id):
            f = facet(self.world.lamp, "view")
            self.assertEqual(str(f), "brass lamp")
            self.assertEqual(repr(f), "<thing 'brass lamp'>")
            self.assertNotIn("0x", repr(f.get_property))
            self.assertNotIn("scripting", repr(f))

    def test_results_are_basic_or_facets(self) -> None:
        """
        Every value reachable from a view facet through its readable names
        and argument-free methods is a basic value, a tuple of such, or a
        proxy guarded by one of our checkers: never a raw object, function,
        class or module.
        """
        with task(self.store, self.world.bob.id):
            seen = walk(self, [facet(self.world.hall, "interact", voice=self.world.bell)])
        self.assertGreater(len(seen), 5)


def walk(case: unittest.TestCase, start: list) -> list:
    """
    Breadth-first over everything reachable from C{start} by reading names and
    calling argument-free methods; assert every value is safe. Returns the
    facets reached.
    """
    zero_arg = {"room", "property_names"}
    queue, seen = list(start), []
    while queue:
        value = queue.pop(0)
        if type(value) in (str, int, float, bool, type(None)):
            continue
        if type(value) is tuple:
            queue.extend(value)
            continue
        case.assertIs(type(value), Proxy, repr(value))
        checker = getChecker(value)
        case.assertIn(type(checker), (FacetChecker, CallChecker))  # never inert: a bug
        inner = getObject(value)
        case.assertNotIsInstance(inner, (types.ModuleType, type, types.FunctionType))
        if type(checker) is not FacetChecker:
            continue
        case.assertIsInstance(inner, FacetBase)
        if any(inner is getObject(s) or (inner._target is getObject(s)._target
                                          and checker.names == getChecker(s).names)
               for s in seen):
            continue
        seen.append(value)
        for name in sorted(checker.names):
            got = getattr(value, name)
            if type(getChecker(got)) is CallChecker if type(got) is Proxy else False:
                if name in zero_arg:
                    queue.append(got())
                continue
            queue.append(got)
    return seen
