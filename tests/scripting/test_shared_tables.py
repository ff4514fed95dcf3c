"""What domains share, built once per process (issue 11 §3: making a domain cost about
6 M instructions, most of it tamed classes and lean hooks made afresh for every domain).

The tamed builtins, the hooks and module facades that hold nothing of a domain are made
once and shared; what knows the domain (its metaclass, its attribute cache, its random
generator, its imports) is made per domain. Sharing is safe only if no script of one
domain can change what another sees: these tests attack every shared object from a
script, then look at the other domain from trusted code.
"""

from __future__ import annotations

import gc
import types

from twisted.trial import unittest

from scripting import Domain
from scripting.lean import MARK
from scripting.tamed import TamedFunction

MODULES = ("math", "random", "string", "json", "re")

# Every attribute name a write is tried with through setattr() (the statements below try
# `probe`): a new name, and the names that would change what a call or a repr does.
NAMES = ("probe", "__name__", "__call__", "__repr__", "__doc__", "__class__", "real",
         "items", "name", "lookup")

ATTACK = """
import math, random, string, json, re
def assign(x):
    x.probe = 1
def augment(x):
    x.probe += 1
def delete(x):
    del x.probe
won = []
for label, x in targets:
    kinds = [(label, x)]
    try:
        kinds.append(('type of ' + label, type(x)))
    except TypeError:
        pass
    for label, y in kinds:
        for write in (assign, augment, delete):
            try:
                write(y)
                won.append(label)
            except Exception:
                pass
        for name in names:
            try:
                setattr(y, name, print)
                won.append(label + ' ' + name)
            except Exception:
                pass
won
"""


def _targets(domain: Domain) -> list[str]:
    """Script expressions for everything a script can name without building it: every
    builtin it can name, every module facade and each of its names."""
    out = [name for name in domain.builtins if name.isidentifier() and name[0] != "_"]
    for module in MODULES:
        out.append(module)
        out += [f"{module}.{name}" for name in domain.import_module(module).names()]
    return out


def _attack_source(domain: Domain) -> str:
    targets = ", ".join(f"({t!r}, {t})" for t in _targets(domain))
    return (f"import {', '.join(MODULES)}\ntargets = [{targets}]\nnames = {NAMES!r}\n"
            + ATTACK)


def _fingerprint(obj: object) -> object:
    """What trusted code sees of C{obj}'s own state: its C{__dict__} (or its type's),
    its slots' values."""
    state: list = []
    if isinstance(obj, type):
        state.append(sorted((k, id(v)) for k, v in vars(obj).items()))
    else:
        found = getattr(obj, "__dict__", None)
        if isinstance(found, dict):
            state.append(sorted((k, id(v)) for k, v in found.items()))
        for klass in type(obj).__mro__:
            for slot in getattr(klass, "__slots__", ()) or ():
                if isinstance(slot, str):
                    state.append((slot, id(getattr(obj, slot, None))))
        state.append(id(type(obj)))
    if type(obj) is types.FunctionType:
        state.append((id(obj.__code__), id(obj.__defaults__), id(obj.__kwdefaults__),
                      id(obj.__closure__), id(obj.__globals__)))
    return state


def _reachable(domain: Domain) -> dict[int, object]:
    """Every object reachable from what a domain's scripts reach (builtins, hooks, module
    facades), following types too (a trusted fingerprint of the shared classes), and lean
    hooks' namespaces; a trusted function is a leaf."""
    roots: list = [domain.builtins, dict(domain.hooks)]
    roots += [domain.import_module(m) for m in MODULES]
    seen: dict[int, object] = {}
    stack = list(roots)
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, (types.ModuleType, types.CodeType)):
            continue
        if isinstance(obj, type) and obj.__module__ == "builtins":
            continue  # CPython's own types: immutable
        seen[id(obj)] = obj
        if type(obj) is types.FunctionType:
            if MARK in obj.__globals__:  # a lean hook: its namespace is the domain's
                stack.append(obj.__globals__)
            continue  # a trusted function (behind a tamed class): fingerprinted, not its
            # module (the process's own state, e.g. the compile cache, changes as it runs)
        stack.extend(gc.get_referents(obj))
    return seen


def _attack(test: unittest.TestCase, attacker: Domain, victim: Domain) -> None:
    """Run every write against everything the attacker can name, and check that nothing
    the victim reaches changed (and that every write failed)."""
    before = {i: _fingerprint(o) for i, o in _reachable(victim).items()}
    result = attacker.run(_attack_source(attacker), budget=_BIG)
    test.assertTrue(result.ok, result.error)
    test.assertEqual(result.value, [])
    after = _reachable(victim)
    changed = [repr(o)[:80] for i, o in after.items()
               if i in before and _fingerprint(o) != before[i]]
    test.assertEqual(changed, [])


class SharedTablesTests(unittest.TestCase):
    """What holds nothing of a domain is made once; what does is made per domain."""

    def test_domain_independent_builtins_are_shared(self) -> None:
        """Two domains hold the same tamed C{sorted}, C{print}, C{map}...: made once."""
        a, b = Domain("ann"), Domain("bob")
        for name in ("sorted", "min", "max", "sum", "any", "all", "iter", "map", "zip",
                     "enumerate", "hex", "round", "hash", "pow", "isinstance", "repr",
                     "format", "fmt", "print", "ticks_left"):
            self.assertIs(a.builtins[name], b.builtins[name], name)
            self.assertIsInstance(a.builtins[name], TamedFunction)

    def test_domain_builtins_are_per_domain(self) -> None:
        """What knows the domain (its classes, its getattr hook) is its own."""
        a, b = Domain("ann"), Domain("bob")
        for name in ("type", "getattr", "hasattr", "setattr", "__build_class__",
                     "str", "int", "list", "dict"):
            self.assertIsNot(a.builtins[name], b.builtins[name], name)
        self.assertIsNot(a.builtins, b.builtins)
        self.assertIsNot(a.hooks["$getattr"], b.hooks["$getattr"])
        self.assertIsNot(a.hooks["$write"], b.hooks["$write"])
        self.assertIsNot(a.hooks["$import"], b.hooks["$import"])

    def test_domain_independent_hooks_are_shared(self) -> None:
        """The tamed hooks that know no domain are made once; the lean hooks are each
        domain's own functions over its own namespace."""
        a, b = Domain("ann"), Domain("bob")
        for name in ("$star", "$kwargs", "$dstar", "$ustar", "$pow", "$augitem"):
            self.assertIs(a.hooks[name], b.hooks[name], name)
        for name in ("$add", "$mul", "$cmp", "$cc", "$citer", "$in"):
            self.assertIsNot(a.hooks[name], b.hooks[name], name)
            self.assertIsNot(a.hooks[name].__globals__, b.hooks[name].__globals__, name)

    def test_module_facades_share_their_functions(self) -> None:
        """C{import math} in two domains: two namespaces over the same tamed functions;
        C{random} stays each domain's own generator's."""
        a, b = Domain("ann"), Domain("bob")
        for module in ("math", "string", "json", "re"):
            ns_a, ns_b = a.import_module(module), b.import_module(module)
            self.assertIsNot(ns_a, ns_b)
            self.assertIsNot(ns_a.items, ns_b.items)
            for name in ns_a.names():
                self.assertIs(ns_a.items[name], ns_b.items[name], f"{module}.{name}")
        ra, rb = a.import_module("random"), b.import_module("random")
        self.assertIsNot(ra.items["random"], rb.items["random"])

    def test_scripts_cannot_reach_a_shared_class(self) -> None:
        """C{type()} of every builtin and facade function is refused (or a type facade),
        so no script holds the class a shared tamed function's code lives on."""
        a = Domain("ann")
        lines = ["import " + ", ".join(MODULES), "got = []"]
        for value in _targets(a):
            lines.append(f"try:\n    got.append(repr(type({value})))\n"
                         "except TypeError:\n    pass")
        lines.append("got")
        result = a.run("\n".join(lines), budget=_BIG)
        self.assertTrue(result.ok, result.error)
        for text in result.value:
            self.assertTrue(text.startswith("<class '") and "tamed" not in text, text)
        self.assertFalse(any("function" in t for t in result.value), result.value)

    def test_attacks_on_everything_shared_change_nothing_elsewhere(self) -> None:
        """A script sets, changes and deletes attributes (and the dunders that would
        change a call) on every builtin, every facade name and every type() of them: each
        write fails, and nothing another domain reaches changed."""
        victim = Domain("bob")
        before = victim.run("import math\n(sorted([3, 1, 2]), math.factorial(5), "
                            "repr(len), repr(sorted), fmt('{}', 1))").value
        _attack(self, Domain("mallory"), victim)
        after = victim.run("import math\n(sorted([3, 1, 2]), math.factorial(5), "
                           "repr(len), repr(sorted), fmt('{}', 1))").value
        self.assertEqual(after, before)

    def test_attack_sees_a_write_that_works(self) -> None:
        """The attack is not vacuous: on the script's own object every write succeeds
        (and is listed)."""
        source = ("class Mine:\n    pass\nmine = Mine()\ntargets = [('mine', mine)]\n"
                  f"names = {NAMES!r}\n" + ATTACK)
        result = Domain("mallory").run(source, budget=_BIG)
        self.assertTrue(result.ok, result.error)
        self.assertIn("mine", result.value)
        self.assertIn("mine probe", result.value)
        self.assertIn("mine name", result.value)

    def test_fingerprint_sees_a_changed_shared_class(self) -> None:
        """The check is not vacuous: a change to a shared tamed class (done here from
        trusted code, which is what a script must never manage) is seen."""
        victim = Domain("bob")
        shared = type(victim.builtins["sorted"])
        before = {i: _fingerprint(o) for i, o in _reachable(victim).items()}
        shared.probe = 1
        try:
            after = _reachable(victim)
            changed = [i for i, o in after.items()
                       if i in before and _fingerprint(o) != before[i]]
        finally:
            del shared.probe
        self.assertIn(id(shared), changed)

    def test_fingerprint_sees_a_changed_slot(self) -> None:
        """...and so is a slot of an object the victim reaches (a type facade's C{real})."""
        victim = Domain("bob")
        facade = victim.builtins["str"]
        before = {i: _fingerprint(o) for i, o in _reachable(victim).items()}
        facade.real = bytes
        try:
            changed = [i for i, o in _reachable(victim).items()
                       if i in before and _fingerprint(o) != before[i]]
        finally:
            facade.real = str
        self.assertIn(id(facade), changed)


from scripting.task import Budget  # noqa: E402

_BIG = Budget(ticks=10**8, seconds=120.0)
