"""Reachability walks: what a domain can reach (rules 13, 14, 15, 24).

From a domain's module globals, builtins and facades, the `gc.get_referents` closure must
reach no module, frame, code object (other than the script's own), traceback, generator
internals or trusted Python function (whose `__globals__` would lead to modules). Walks stop
at type objects that are not the domain's own classes and at C functions: scripts cannot go
from an instance to its type (`type()` is tamed, `__class__` is private) nor read a C
function's `__self__`, and those objects are shared, immutable parts of CPython.

Two domains share no mutable object.
"""

from __future__ import annotations

import gc
import types

from twisted.trial import unittest

from scripting import Clock, Domain
from scripting.lean import MARK


def _engine_time() -> float:
    """A trusted Python function standing in for the engine's clock."""
    return 1000.0

SCRIPT = """
import math
import random
import string
import json
import re
pattern = re.compile('a+')
found = pattern.search('xaay')
search = pattern.search
group = found.group
class Thing:
    kind = 'thing'
    def __init__(self, name):
        self.name = name
    def describe(self):
        return self.name + ' ' + self.kind
class Oops(Exception):
    pass
things = [Thing('a'), Thing('b')]
table = {'x': [1, 2], 'y': (3, 4)}
def helper(n, scale=2):
    return n * scale
adder = lambda n: n + 1
def closure():
    seen = []
    def inner(x):
        seen.append(x)
        return seen
    return inner
remember = closure()
try:
    1 / 0
except ZeroDivisionError as e:
    message = str(e)
lower = str.lower
keys = dict.fromkeys
upper = 'abc'.upper
join = ','.join
numbers = iter([1, 2, 3])
mapped = map(abs, [1, -2])
builtin = len
printer = print
"""

_C_CALLABLES = (types.BuiltinFunctionType, types.BuiltinMethodType, types.MethodDescriptorType,
                types.WrapperDescriptorType, types.MethodWrapperType,
                types.ClassMethodDescriptorType)
_FORBIDDEN = (types.ModuleType, types.FrameType, types.TracebackType, types.GeneratorType,
              types.CoroutineType, types.AsyncGeneratorType, types.MethodType)
_IMMUTABLE = (str, bytes, int, float, complex, bool, type(None), tuple, frozenset, range,
              type(Ellipsis), type(NotImplemented), slice)


def _frozen_instance(obj: object) -> bool:
    """An instance with no __dict__ and no slots to assign (e.g. a tamed builtin)."""
    return not hasattr(obj, "__dict__") and all(
        getattr(k, "__slots__", None) == () for k in type(obj).__mro__[:-1])


def walk(domain: Domain, roots: list) -> tuple[list[str], dict[int, object]]:
    """The referents closure from `roots`; returns (problems, id -> mutable objects seen)."""
    meta = domain.meta
    problems: list[str] = []
    mutable: dict[int, object] = {}
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        tp = type(obj)
        if isinstance(obj, type) and tp is not meta:
            continue  # shared type objects are leaves
        if isinstance(obj, _C_CALLABLES):
            continue  # C functions are leaves (their __self__ is unreadable by scripts)
        if isinstance(obj, _FORBIDDEN):
            problems.append(f"reached a {tp.__name__}: {obj!r:.80}")
            continue
        if tp is types.CodeType:
            if not obj.co_filename.startswith("<script:"):
                problems.append(f"reached trusted code {obj!r:.80}")
            continue  # a script's own code: not readable by it, and nothing beyond
        if tp is types.FunctionType and not obj.__code__.co_filename.startswith("<script:"):
            if MARK in obj.__globals__:
                # a lean hook: its code is trusted (and unreadable by scripts); what it
                # refers to is walked like everything else
                if obj.__closure__ or obj.__defaults__ or obj.__kwdefaults__:
                    problems.append(f"lean function {obj.__qualname__} holds more")
                stack.append(obj.__globals__)
                continue
            problems.append(f"reached trusted function {obj.__qualname__}")
            continue
        if not isinstance(obj, _IMMUTABLE) and not _frozen_instance(obj):
            mutable[id(obj)] = obj
        stack.extend(gc.get_referents(obj))
    return problems, mutable


def domain_roots(domain: Domain) -> list:
    clock = Clock(_engine_time, 60.0)
    module = domain.load(SCRIPT + "tick = clock.now\nnow = clock.now()\n", name="walked",
                         endowments={"clock": clock})
    assert module.result.ok, module.result.error
    facades = [domain.import_module(n) for n in ("math", "random", "string", "json", "re")]
    return [module._globals, domain.builtins, *facades]


class ReachabilityTests(unittest.TestCase):
    """Nothing dangerous is reachable from what a domain holds."""

    def test_no_module_frame_code_or_trusted_function(self) -> None:
        """The walk from globals, builtins and facades finds nothing forbidden."""
        domain = Domain("walker")
        problems, mutable = walk(domain, domain_roots(domain))
        self.assertEqual(problems, [], "\n".join(problems))
        self.assertGreater(len(mutable), 10)  # the walk really went somewhere

    def test_walk_detects_a_module(self) -> None:
        """The walk is not vacuous: a module smuggled into globals is found."""
        domain = Domain("walker")
        roots = domain_roots(domain)
        roots[0]["smuggled"] = types
        problems, _ = walk(domain, roots)
        self.assertTrue(any("module" in p for p in problems))

    def test_walk_follows_lean_hooks(self) -> None:
        """A lean hook is followed into its namespace: a module put there is found."""
        domain = Domain("walker")
        roots = domain_roots(domain)
        hook = roots[0]["$getattr"]
        hook.__globals__["smuggled"] = types
        problems, _ = walk(domain, roots)
        self.assertTrue(any("module" in p for p in problems))

    def test_walk_detects_a_trusted_function(self) -> None:
        """...and so is a trusted Python function."""
        domain = Domain("walker")
        roots = domain_roots(domain)
        roots[0]["smuggled"] = walk
        problems, _ = walk(domain, roots)
        self.assertTrue(any("trusted function" in p for p in problems))

    def test_no_real_module_in_any_namespace(self) -> None:
        """No exported name of any facade or builtin is a module (rule 14)."""
        domain = Domain("walker")
        for name in ("math", "random", "string", "json", "re"):
            ns = domain.import_module(name)
            for key, value in ns.items.items():
                self.assertFalse(isinstance(value, types.ModuleType), f"{name}.{key}")
        for key, value in domain.builtins.items():
            self.assertFalse(isinstance(value, types.ModuleType), key)

    def test_builtins_read_only(self) -> None:
        """The builtins mapping cannot be written, by scripts or by accident (rule 13)."""
        domain = Domain("walker")
        with self.assertRaises(TypeError):
            domain.builtins["open"] = open  # type: ignore[index]
        self.assertNotIn("open", domain.builtins)

    def test_builtins_allowlist(self) -> None:
        """The builtins are exactly the audited list (a change here needs a review)."""
        expected = {
            "abs", "all", "any", "ascii", "bin", "bool", "bytes", "callable", "chr",
            "classmethod", "complex", "dict", "divmod", "enumerate", "filter", "float", "fmt",
            "format", "frozenset", "getattr", "hasattr", "hash", "hex", "int", "isinstance",
            "issubclass", "iter", "len", "list", "map", "max", "min", "next", "object", "oct",
            "ord", "pow", "print", "property", "range", "repr", "reversed", "round", "set",
            "setattr", "sorted", "staticmethod", "str", "sum", "super", "ticks_left", "tuple",
            "type", "zip", "NotImplemented", "Ellipsis", "__build_class__",
            "BaseException", "Exception", "ArithmeticError", "AssertionError", "AttributeError",
            "IndexError", "KeyError", "LookupError", "NameError", "NotImplementedError",
            "OverflowError", "RuntimeError", "StopIteration", "TypeError", "UnboundLocalError",
            "ValueError", "ZeroDivisionError", "ImportError", "ModuleNotFoundError",
            "MemoryError", "RecursionError", "UnicodeError", "UnicodeDecodeError",
            "UnicodeEncodeError", "WorldError", "FacetError", "Revoked", "QuotaExceeded",
        }
        self.assertEqual(set(Domain("x").builtins), expected)

    def test_two_domains_share_no_mutable_object(self) -> None:
        """Walking two domains finds no mutable object in common (rule 15)."""
        a, b = Domain("alice"), Domain("bob")
        _, mutable_a = walk(a, domain_roots(a))
        _, mutable_b = walk(b, domain_roots(b))
        shared = [repr(mutable_a[i])[:80] for i in set(mutable_a) & set(mutable_b)]
        self.assertEqual(shared, [])


class IsolationTests(unittest.TestCase):
    """What one domain does is invisible to another (rules 15-17)."""

    def test_random_streams_are_per_domain(self) -> None:
        """Seeding one domain's random does not affect another's."""
        a, b = Domain("a", seed=1), Domain("b", seed=1)
        first = b.run("import random\nrandom.random()").value
        a.run("import random\nrandom.seed(0)")
        b2 = Domain("b", seed=1)
        self.assertEqual(b2.run("import random\nrandom.random()").value, first)

    def test_poisoning_a_facade_is_impossible(self) -> None:
        """'json.dumps = evil' fails, so no other script (or domain) can be poisoned."""
        a = Domain("a")
        result = a.run("import json\njson.dumps = print")
        self.assertFalse(result.ok)
        self.assertEqual(Domain("b").run("import json\njson.dumps([1])").value, "[1]")

    def test_classes_of_another_domain_are_opaque(self) -> None:
        """An instance made in domain A has no readable attributes in domain B."""
        a, b = Domain("a"), Domain("b")
        module = a.load("class Secret:\n    pass\ns = Secret()\ns.token = 'xyz'\n")
        foreign = module._globals["s"]
        with self.assertRaises(TypeError):
            b.run("x = 1", endowments={"thing": foreign})
        getattr_b = b.hooks["$getattr"]
        from scripting.task import Budget, Task
        with Task(Budget(), "b"):
            with self.assertRaises(AttributeError):
                getattr_b(foreign, "token")
            with self.assertRaises(TypeError):
                b.hooks["$write"](foreign)
