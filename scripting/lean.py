# -*- test-case-name: tests.scripting.test_fastpaths,tests.scripting.test_reachability -*-
"""Hot hooks as plain functions over a private, audited namespace.

CPython calls a plain Python function inline (no C-level C{__call__} slot, no new
interpreter loop), about a third cheaper than a C{tamed} object; on the hooks every
attribute read and arithmetic step goes through, that is most of the sandbox's overhead.

A plain function leads to its globals, so C{lean(fn)} re-makes C{fn} over a namespace that
holds only what its code names, each value checked here: C functions, types, constants,
tables of those, tamed objects (whose code stays behind a private class) and other lean
functions. A trusted Python function it names is handed over tamed (one shared copy of a
function defined at its module's top level, see C{_tamed}); a module is refused.
The reachability walk (C{tests/scripting/test_reachability.py}) follows these namespaces
too. A lean function has no defaults, closure or C{__dict__}: nothing else hangs off it.
"""

from __future__ import annotations

import dis
import functools
import types
from collections.abc import Callable
from types import MappingProxyType
from typing import Any

from scripting.tamed import TamedFunction, tamed

#: The marker every lean namespace holds (the reachability walk recognises them by it).
MARK = "$lean"

_C_CALLABLES = (types.BuiltinFunctionType, types.MethodDescriptorType,
                types.WrapperDescriptorType, types.ClassMethodDescriptorType)
_CONSTANTS = (type(None), bool, int, float, complex, str, bytes, type(Ellipsis),
              type(NotImplemented))
_OPERATOR_TYPES = tuple({type(__import__("operator").attrgetter("x"))})


def safe_value(value: Any) -> bool:
    """May a lean function's namespace hold C{value}?"""
    if isinstance(value, _CONSTANTS) or isinstance(value, type):
        return True
    if isinstance(value, _C_CALLABLES) or isinstance(value, TamedFunction):
        return True
    if isinstance(value, _OPERATOR_TYPES):
        return True
    if type(value) is types.FunctionType:
        return MARK in value.__globals__
    if type(value) in (tuple, frozenset):
        return all(safe_value(v) for v in value)
    if type(value) is MappingProxyType:
        return all(safe_value(k) and safe_value(v) for k, v in value.items())
    return False


@functools.lru_cache(maxsize=512)
def global_names(code: types.CodeType) -> frozenset[str]:
    """The global names C{code} (and code nested in it) loads or stores.

    Cached: every new domain leans the same few dozen hooks, and reading their bytecode
    with C{dis} was most of the cost of making a domain (about 10 ms)."""
    names: set[str] = set()
    for ins in dis.get_instructions(code):
        if ins.opname in ("LOAD_GLOBAL", "STORE_GLOBAL", "DELETE_GLOBAL"):
            names.add(ins.argval)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= global_names(const)
    return frozenset(names)


#: tamed module-level functions, by the name a lean function reads them under
_SHARED: dict[tuple[str, types.FunctionType], TamedFunction] = {}
_SHARED_IDS: set[int] = set()


def _tamed(name: str, fn: types.FunctionType) -> TamedFunction:
    """C{fn} tamed, for a lean function's namespace. A function defined at the top level
    of its module, with no closure, holds nothing of any one domain: its one tamed copy is
    shared by every lean function (of every domain) that names it, instead of a new class
    each time (making a domain made about 45 of them). Anything else (a closure made for
    one domain) is tamed afresh."""
    key = (name, fn)
    if fn.__closure__ is None and fn.__globals__.get(fn.__code__.co_name) is fn:
        shared = _SHARED.get(key)
        if shared is None:
            shared = _SHARED[key] = tamed(name, fn)
            _SHARED_IDS.add(id(shared))  # kept alive by _SHARED: the id stays its own
        return shared
    return tamed(name, fn)


_BUILTINS = __builtins__ if isinstance(__builtins__, dict) else vars(__builtins__)


#: per module-level function: the names its code reads, in order, and for each name
#: resolved from its module or the builtins, (what it found there, what was checked)
_RESOLVED: dict[Any, tuple[tuple[str, ...], dict[str, tuple[Any, Any]]]] = {}
_NOWHERE = object()


def _resolve(fn: Any, name: str) -> tuple[Any, Any]:
    """C{name} as C{fn}'s module (then the builtins) binds it, and the value a lean
    namespace holds for it (a trusted Python function tamed), checked."""
    if name in fn.__globals__:
        found = fn.__globals__[name]
    elif name in _BUILTINS:
        found = _BUILTINS[name]
    else:
        raise NameError(f"{fn.__name__} names {name!r}, which is nowhere")
    value = found
    if type(value) is types.FunctionType and MARK not in value.__globals__:
        value = _tamed(name, value)
    if not safe_value(value):
        raise TypeError(f"{fn.__name__}: {name} = {type(value).__name__} cannot be "
                        "reached from script code")
    return found, value


def lean(fn: Callable, mutable: dict[str, Any] | None = None, **given: Any) -> Callable:
    """C{fn} as a plain function over a namespace of exactly the globals its code uses.

    Each name comes from C{given}, then C{fn}'s module, then the real builtins. C{mutable}
    names per-domain tables (plain dicts of types and constants) a hook may keep and
    change, e.g. its cache of decisions per type.

    What a module-level function's names resolve to in its module is checked once and
    remembered (every domain leans the same few dozen hooks: resolving and checking each
    name again was most of the cost of making a domain); each use looks the name up again
    and checks again if it now finds something else. Each call makes a new namespace.
    """
    if fn.__closure__ or fn.__defaults__ or fn.__kwdefaults__:
        raise TypeError(f"{fn.__name__}: a lean function takes no closure or defaults")
    code = fn.__code__
    known = _RESOLVED.get(fn)
    if known is None:
        known = (tuple(sorted(global_names(code))), {})
        if fn.__globals__.get(code.co_name) is fn:  # its module's own: lives as long
            _RESOLVED[fn] = known
    names, resolved = known
    source = fn.__globals__
    namespace: dict[str, Any] = {MARK: True, "__builtins__": MappingProxyType({})}
    for name in names:
        if mutable is not None and name in mutable:
            value = mutable[name]
            if type(value) is not dict:
                raise TypeError(f"{fn.__name__}: {name} is not a table")
            namespace[name] = value
            continue
        if name in given:
            value = given[name]
            if type(value) is types.FunctionType and MARK not in value.__globals__:
                value = _tamed(name, value)
            if not safe_value(value):
                raise TypeError(f"{fn.__name__}: {name} = {type(value).__name__} cannot be "
                                "reached from script code")
            namespace[name] = value
            continue
        entry = resolved.get(name)
        if entry is not None:
            found = source.get(name, _NOWHERE)
            if found is _NOWHERE:
                found = _BUILTINS.get(name, _NOWHERE)
            if found is entry[0]:
                namespace[name] = entry[1]
                continue
        entry = _resolve(fn, name)
        value = entry[1]
        if not isinstance(value, TamedFunction) or id(value) in _SHARED_IDS:
            resolved[name] = entry  # never a function tamed afresh (a closure)
        namespace[name] = value
    out = types.FunctionType(code, namespace, fn.__name__)
    out.__qualname__ = fn.__qualname__
    return out
