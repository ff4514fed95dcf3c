"""Capability rules that had no test of their own (see tests/scripting/README.md for the map)."""

from __future__ import annotations

import types
from typing import Any

from twisted.trial import unittest
from zope.security.proxy import Proxy

from scripting import Domain, expose
from scripting.facades import Namespace


class HardenedBoundaryTests(unittest.TestCase):
    """Rule 18: values crossing into or out of a domain are copies."""

    def test_sender_mutating_after_the_call_changes_nothing_inside(self) -> None:
        """A list handed to a script, then changed by its sender, is unchanged inside."""
        module = Domain("rx").load("kept = []\ndef keep(xs):\n    kept.append(xs)\n"
                                   "def show():\n    return kept[0]\n")
        sent = [1, {"k": [2]}]
        self.assertTrue(module.call("keep", sent).ok)
        sent.append(3)
        sent[1]["k"].append(4)
        self.assertEqual(module.call("show").value, [1, {"k": [2]}])

    def test_result_is_a_copy(self) -> None:
        """A list a script returns is a copy: changing it does not change the script's."""
        module = Domain("tx").load("kept = [[1]]\ndef give():\n    return kept\n"
                                   "def show():\n    return kept\n")
        got = module.call("give").value
        got[0].append(2)
        self.assertEqual(module.call("show").value, [[1]])

    def test_expose_refuses_subclasses_of_basic_types(self) -> None:
        """Rule 20: exact types only; a str subclass (RestrictedPython 7.2) is refused."""
        class Sneaky(str):
            def startswith(self, prefix: Any, *args: Any) -> bool:
                return False
        with self.assertRaises(TypeError):
            expose(Sneaky("__class__"))
        with self.assertRaises(TypeError):
            expose([Sneaky("x")])


class ClassOwnershipTests(unittest.TestCase):
    """Rule 11: every script class is made by its domain's own metaclass."""

    def test_each_domain_records_its_classes(self) -> None:
        """Classes of two domains have different metaclasses, each the domain's own."""
        a, b = Domain("a"), Domain("b")
        ma = a.load("class C:\n    pass\n")
        mb = b.load("class C:\n    pass\n")
        ca, cb = ma._globals["C"], mb._globals["C"]
        self.assertIs(type(ca), a.meta)
        self.assertIs(type(cb), b.meta)
        self.assertIsNot(a.meta, b.meta)


_PROBES = ("'#1'", "1", "'me'", "'here'", "'os'", "'__builtins__'")


class NoAmbientLookupTests(unittest.TestCase):
    """Rule 25: no builtin or module function turns a name or number into an object."""

    def test_no_callable_returns_a_facet_or_trusted_object(self) -> None:
        """Every builtin and facade function, called with names and numbers, returns plain
        values (or fails): never a facet, a module, or another object it was not handed."""
        domain = Domain("prober")
        namespaces = [domain.import_module(n) for n in ("math", "random", "string", "json",
                                                        "re")]
        calls = [name for name in domain.builtins
                 if not name.startswith("_") and callable(domain.builtins[name])]
        calls += [f"{ns.name}.{n}" for ns in namespaces for n in ns.names()
                  if callable(ns.items[n])]
        source = ("import math\nimport random\nimport string\nimport json\nimport re\n"
                  f"out = []\nfor f in [{', '.join(calls)}]:\n"
                  f"    for arg in [{', '.join(_PROBES)}]:\n"
                  "        try:\n            out.append(f(arg))\n"
                  "        except BaseException:\n            pass\n")
        module = domain.load(source, name="probe")
        self.assertTrue(module.result.ok, module.result.error)
        # inspected from trusted code: what the calls built is the script's own (properties,
        # patterns...), but nothing is a facet, a namespace or a module it was not handed
        stack: list[Any] = list(module._globals["out"])
        self.assertGreater(len(stack), 100)
        while stack:
            v = stack.pop()
            self.assertIsNot(type(v), Proxy)
            self.assertNotIsInstance(v, (Namespace, types.ModuleType))
            if type(v) in (list, tuple, set, frozenset):
                stack.extend(v)
            elif type(v) is dict:
                stack.extend(v.keys())
                stack.extend(v.values())
