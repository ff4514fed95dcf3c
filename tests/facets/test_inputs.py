"""
Trusted code never runs script code handed to it: every facet method,
given subclasses of str, int, float, list, tuple or dict whose methods
record being called, refuses them without calling any of their methods.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from twisted.trial import unittest
from zope.security.interfaces import ForbiddenAttribute

from scripting.facets import state, timers
from scripting.facets.adapters import attenuate, facet
from scripting.facets.context import acting
from tests.facets.helpers import build
from world.errors import WorldError
from world.store import WorldStore

CALLS: list[str] = []

_RECORDED = (
    "__eq__", "__ne__", "__lt__", "__gt__", "__hash__", "__len__", "__iter__", "__getitem__",
    "__contains__", "__str__", "__repr__", "__format__", "__index__", "__int__", "__float__",
    "__bool__", "__add__", "__radd__", "__mul__", "__reduce_ex__", "__deepcopy__", "__copy__",
    "strip", "split", "lower", "startswith", "encode", "isidentifier", "items", "keys", "values",
    "get", "bit_length", "is_integer", "__getattribute__",
)


def recording(base: type) -> type:
    """
    A subclass of C{base} whose methods record their calls, then defer.
    """

    def make(name: str) -> Callable[..., Any]:
        original = getattr(base, name, None)

        def method(self: Any, *args: Any, **kw: Any) -> Any:
            if name != "__getattribute__" or args[0] not in ("__class__", "__dict__"):
                CALLS.append(f"{base.__name__}.{name}")
            if original is None:
                raise AttributeError(name)
            return original(self, *args, **kw)

        return method

    namespace = {n: make(n) for n in _RECORDED if hasattr(base, n) or n == "__getattribute__"}
    return type(f"Evil{base.__name__}", (base,), namespace)


EVIL = [
    recording(str)("lamp"), recording(int)(5), recording(float)(5.0),
    recording(list)(["lamp"]), recording(tuple)(("lamp",)), recording(dict)({"k": 1}),
]


class HostileArgumentTests(unittest.TestCase):
    def setUp(self) -> None:
        self.store = WorldStore()
        self.addCleanup(self.store.close)
        self.w = build(self.store)
        del CALLS[:]

    def calls(self) -> list[tuple[str, Callable[..., Any], tuple]]:
        w = self.w
        lamp = facet(w.lamp, "control")
        hall = facet(w.hall, "control", voice=w.bell)
        st = state.state_facet(w.lamp)
        tm = timers.timers_facet(w.lamp)
        return [
            ("rename", lamp.rename, ("lamp",)),
            ("describe", lamp.describe, ("x",)),
            ("set_aliases", lamp.set_aliases, (["a"],)),
            ("set_property", lamp.set_property, ("k", 1)),
            ("unset_property", lamp.unset_property, ("k",)),
            ("get_property", lamp.get_property, ("k", None)),
            ("move_to", lamp.move_to, (facet(w.box),)),
            ("say", lamp.say, ("x",)),
            ("emote", lamp.emote, ("x",)),
            ("create", lamp.create, ("thing", "x", "d")),
            ("room say", hall.say, ("x",)),
            ("announce", hall.announce, ("x",)),
            ("tell", facet(w.alice, "interact").tell, ("x",)),
            ("state set", st.set, ("k", 1)),
            ("state get", st.get, ("k", None)),
            ("state delete", st.delete, ("k",)),
            ("after", tm.after, (5, "ring", None)),
            ("every", tm.every, (10, "ring", None)),
            ("attenuate", attenuate, (lamp, "view")),
        ]

    def test_no_method_calls_script_code(self) -> None:
        """
        Each argument of each facet method, replaced by each recording
        subclass instance, is refused with an error carrying only text (no
        chained exception) and none of its methods runs.
        """
        with self.store.turn(), acting(self.store, self.w.alice.id, 0.0):
            for label, method, valid in self.calls():
                for position in range(len(valid)):
                    for evil in EVIL:
                        args = list(valid)
                        args[position] = evil
                        try:
                            method(*args)
                        except WorldError as e:
                            self.assertTrue(all(type(a) is str for a in e.args), e.args)
                            self.assertIsNone(e.__context__)
                            self.assertIsNone(e.__cause__)
                        else:
                            self.fail(f"{label} accepted {type(evil).__name__} at {position}")
                        self.assertEqual(CALLS, [], (label, position, type(evil).__name__))
            tm = timers.timers_facet(self.w.lamp)
            for evil in EVIL:
                self.assertFalse(tm.cancel(evil))
            self.assertEqual(CALLS, [])
        self.assertEqual(self.w.lamp.name, "brass lamp")

    def test_checker_never_hashes_a_hostile_name(self) -> None:
        """
        A str subclass used as an attribute name is refused before the
        checker looks it up (which would run its __hash__ and __eq__).
        """
        with self.store.turn(), acting(self.store, self.w.bob.id):
            lamp = facet(self.w.lamp, "view")
            name = recording(str)("name")
            del CALLS[:]
            self.assertRaises(ForbiddenAttribute, getattr, lamp, name)
        self.assertEqual([c for c in CALLS if "__getattribute__" not in c], [])
