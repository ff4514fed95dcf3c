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
from itertools import repeat
from operator import is_
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


class _Resolved:
    """What a function's global names resolve to in its module and the real builtins,
    each value checked (C{safe_value}), as a namespace to copy; and what was found, to
    see that it still is."""

    __slots__ = (
        "absent",
        "builtin_found",
        "builtin_names",
        "kept",
        "missing",
        "module_found",
        "module_names",
        "names",
        "template",
    )

    def __init__(self, fn: Any) -> None:
        self.names = frozenset(global_names(fn.__code__))
        self.template: dict[str, Any] = {MARK: True}
        module_names: list[str] = []
        builtin_names: list[str] = []
        missing: list[str] = []
        absent: list[str] = []
        #: no value was tamed afresh (a closure): the template may be kept and reused
        self.kept = True
        for name in sorted(self.names):
            if name in fn.__globals__:
                module_names.append(name)
            elif name in _BUILTINS:
                builtin_names.append(name)
            else:
                absent.append(name)
                missing.append(name)
                continue
            try:
                value = _resolve(fn, name)
            except TypeError:
                missing.append(name)  # refused, unless given (checked then)
                continue
            if isinstance(value, TamedFunction) and id(value) not in _SHARED_IDS:
                self.kept = False
            self.template[name] = value
        self.module_names = tuple(module_names)
        self.module_found = tuple(map(fn.__globals__.__getitem__, module_names))
        self.builtin_names = tuple(builtin_names)
        self.builtin_found = tuple(map(_BUILTINS.__getitem__, builtin_names))
        self.missing = frozenset(missing)  # nowhere, or refused: must be given
        self.absent = tuple(absent)  # nowhere: must stay so

    def current(self, fn: Any) -> bool:
        """Does C{fn}'s module (and the builtins) still bind every name to what it did?"""
        source = fn.__globals__
        gone = repeat(_NOWHERE)  # a name deleted from the module is not the None it held
        return (all(map(is_, map(source.get, self.module_names, gone), self.module_found))
                and not any(map(source.__contains__, self.builtin_names))
                and all(map(is_, map(_BUILTINS.get, self.builtin_names), self.builtin_found))
                and not any(map(source.__contains__, self.absent))
                and not any(map(_BUILTINS.__contains__, self.absent)))


#: per module-level function, what its names resolve to (L{_Resolved})
_RESOLVED: dict[Any, _Resolved] = {}
_NOWHERE = object()


def _resolve(fn: Any, name: str) -> Any:
    """C{name} as C{fn}'s module (then the builtins) binds it, as a lean namespace holds
    it (a trusted Python function tamed), checked."""
    if name in fn.__globals__:
        value = fn.__globals__[name]
    elif name in _BUILTINS:
        value = _BUILTINS[name]
    else:
        raise NameError(f"{fn.__name__} names {name!r}, which is nowhere")
    if type(value) is types.FunctionType and MARK not in value.__globals__:
        value = _tamed(name, value)
    if not safe_value(value):
        raise TypeError(f"{fn.__name__}: {name} = {type(value).__name__} cannot be "
                        "reached from script code")
    return value


def lean(fn: Callable, mutable: dict[str, Any] | None = None, **given: Any) -> Callable:
    """C{fn} as a plain function over a namespace of exactly the globals its code uses.

    Each name comes from C{mutable}, then C{given}, then C{fn}'s module, then the real
    builtins. C{mutable} names per-domain tables (plain dicts or sets: of types and
    constants, or of weak references to the domain's generators) a
    hook may keep and change, e.g. its cache of decisions per type.

    What a module-level function's names resolve to in its module is checked once and
    remembered (every domain leans the same few dozen hooks: resolving and checking each
    name again was most of the cost of making a domain); each use sees that its module
    still binds each name to the same object, or resolves and checks them all again. Each
    call makes a new namespace.
    """
    if fn.__closure__ or fn.__defaults__ or fn.__kwdefaults__:
        raise TypeError(f"{fn.__name__}: a lean function takes no closure or defaults")
    known = _RESOLVED.get(fn)
    if known is None or not known.current(fn):
        known = _Resolved(fn)
        if known.kept and fn.__globals__.get(fn.__code__.co_name) is fn:
            _RESOLVED[fn] = known  # its module's own function: lives as long
        else:
            _RESOLVED.pop(fn, None)
    names = known.names
    namespace = known.template.copy()
    namespace["__builtins__"] = MappingProxyType({})
    for name, value in given.items():
        if name not in names:
            continue
        if type(value) is types.FunctionType and MARK not in value.__globals__:
            value = _tamed(name, value)
        if not safe_value(value):
            raise TypeError(f"{fn.__name__}: {name} = {type(value).__name__} cannot be "
                            "reached from script code")
        namespace[name] = value
    if mutable is not None:
        for name, value in mutable.items():
            if name not in names:
                continue
            if type(value) is not dict and type(value) is not set:
                raise TypeError(f"{fn.__name__}: {name} is not a table")
            namespace[name] = value
    for name in known.missing:
        if name not in given and (mutable is None or name not in mutable):
            _resolve(fn, name)  # raises: nowhere, or refused
    out = types.FunctionType(fn.__code__, namespace, fn.__name__)
    out.__qualname__ = fn.__qualname__
    return out
