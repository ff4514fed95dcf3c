# -*- test-case-name: tests.scripting.test_accumulation,tests.scripting.test_guards -*-
"""The builtins a script sees: an allowlist of audited functions.

What knows no domain is built once per process and shared (L{shared_builtins}); each
domain adds its own type facades and the few builtins that know it (L{build_builtins}).

Every builtin that iterates, calls back or amplifies is replaced by a charged version that
pays for its work *before* entering C. Python-level replacements are exposed as instances of
small classes whose code lives on the class (C{tamed}), so nothing reachable from a domain's
builtins refers to a trusted function, its globals or its module.
"""

from __future__ import annotations

import builtins as _real
import functools
import string as _string
from collections.abc import Callable
from types import MappingProxyType
from typing import Any

from scripting import charge, hooks
from scripting.charge import chars, items, materialise, ticks
from scripting.classes import ScriptObject
from scripting.exceptions import NAMED_EXCEPTIONS, SAFE_EXCEPTIONS, WORLD_EXCEPTIONS, named_class
from scripting.guards import TYPE_LEVEL, check_codec
from scripting.policy import public_name
from scripting.tamed import tamed

_NO_DEFAULT = object()
MAX_MRO = 64  # longest inheritance chain (the MRO of a class, counting itself and object)


class TypeFacade:
    """Stands for a builtin type: callable (charged), usable with isinstance/issubclass/type()."""

    __slots__ = ("real",)
    real: type

    def __instancecheck__(self, obj: Any) -> bool:
        return isinstance(obj, self.real)

    def __subclasscheck__(self, cls: Any) -> bool:
        if type(cls) is not type and isinstance(cls, TypeFacade):
            cls = cls.real
        return issubclass(cls, self.real)

    def attribute(self, name: Any) -> Any:
        if type(name) is not str or name.startswith("_"):
            raise AttributeError(f"type {self.real.__name__!r} has no attribute {name!r}")
        try:
            return TYPE_LEVEL.get(self.real, {})[name]
        except KeyError:
            raise AttributeError(
                f"type {self.real.__name__!r} has no attribute {name!r} available to scripts"
            ) from None

    def __repr__(self) -> str:
        return f"<class {self.real.__name__!r}>"


def _facade_class(real: type, ctor: Callable | None) -> type:
    call = ctor if ctor is not None else real

    def __call__(self: Any, *args: Any, **kw: Any) -> Any:
        return call(*args, **kw)

    return type(real.__name__, (TypeFacade,), {"__slots__": (), "__call__": __call__})


# -- charged constructors and functions -------------------------------------------------------

def _list(iterable: Any = ()) -> list:
    return materialise(iterable)


def _tuple(iterable: Any = ()) -> tuple:
    if type(iterable) is tuple:
        return iterable
    return tuple(materialise(iterable))


def _set(iterable: Any = ()) -> set:
    values = materialise(iterable)
    charge.hash_work(values)
    return set(values)


def _frozenset(iterable: Any = ()) -> frozenset:
    values = materialise(iterable)
    charge.hash_work(values)
    return frozenset(values)


def _dict(*args: Any, **kw: Any) -> dict:
    if len(args) > 1:
        raise TypeError("dict() takes at most one positional argument")
    out: dict = {}
    if args:
        out.update(charge.pairs(args[0]))  # a mapping or pairs, as update takes them
    if kw:
        items(len(kw))
        out.update(kw)
    return out


def _str(obj: Any = "", *args: Any) -> str:
    if args:  # str(bytes, encoding[, errors])
        if type(obj) is not bytes:
            raise TypeError("str() with an encoding needs bytes")
        check_codec(*args)
        chars(len(obj) * 4, True)
        return str(obj, *args)
    return hooks.safe_str(obj)


def _bytes(source: Any = b"", *args: Any) -> bytes:
    ts = type(source)
    if ts is int or ts is bool:
        chars(max(int(source), 0))
        return bytes(source)
    if ts is str:
        check_codec(*args)
        chars(len(source) * 10)
        return bytes(source, *args)
    if ts is bytes:
        return source
    return bytes(materialise(source))


def _int(x: Any = 0, *args: Any, **kw: Any) -> int:
    """int(): text in bases like 16 has no CPython digit limit, so cap the result size."""
    if type(x) is str or type(x) is bytes:
        if len(x) > 12_000:
            raise ValueError("int() of text longer than 12000 characters is not allowed")
        charge.scan(len(x))
    out = int(x, *args, **kw)
    if type(out) is int and out.bit_length() > charge.MAX_INT_BITS:
        raise ValueError("int() result too large")
    return out


def _text_scan(x: Any) -> None:
    """Charge for the text C{float()} or C{complex()} reads: CPython scans all of it (and
    first turns every non-ASCII digit or space into an ASCII one, about six times slower a
    character), in C, between two tick points (red team r9: ~70 ms a call for six million
    Arabic-Indic zeros, uncharged)."""
    tx = type(x)
    if tx is str:
        charge.scan(len(x) if x.isascii() else 8 * len(x))
    elif tx is bytes or tx is bytearray:
        charge.scan(len(x))


def _float(*args: Any) -> float:
    if args:
        _text_scan(args[0])
    return float(*args)


def _complex(*args: Any, **kw: Any) -> complex:
    if args:
        _text_scan(args[0])
    return complex(*args, **kw)


def _range(*args: Any) -> range:
    return range(*args)


def _sorted(iterable: Any, *, key: Any = None, reverse: Any = False) -> list:
    flag = charge.reverse_flag(reverse)
    return charge.sort(materialise(iterable), key, flag)


def _minmax(fn: Callable) -> Callable:
    def pick(*args: Any, key: Any = None, default: Any = _NO_DEFAULT) -> Any:
        if len(args) == 1:
            seq = materialise(args[0])
        elif not args:
            raise TypeError(f"{fn.__name__}() expected at least 1 argument")
        else:
            seq = list(args)
        ticks((len(seq) >> 2) + 1)
        if not seq:
            if default is _NO_DEFAULT:
                raise ValueError(f"{fn.__name__}() arg is an empty sequence")
            return default
        return charge.pick(seq, key, charge.LT if fn is min else charge.GT)
    return pick


_NUMBERS = frozenset({int, float, complex, bool})


def _sum(iterable: Any, start: Any = 0) -> Any:
    """sum(): numbers in C, as Python does (it rounds floats its own way); anything else
    (lists, tuples, your objects) one charged C{+} at a time."""
    if type(start) is str:
        raise TypeError("sum() can't sum strings [use ''.join(seq) instead]")
    if type(start) is bytes:
        raise TypeError("sum() can't sum bytes [use b''.join(seq) instead]")
    values = materialise(iterable)
    ticks((len(values) >> 2) + 1)
    if type(start) in _NUMBERS:
        for v in values:
            if type(v) not in _NUMBERS:
                break
        else:
            return sum(values, start)
    total = start
    for v in values:
        total = hooks.add(total, v)
    return total


def _any(iterable: Any) -> bool:
    for x in charge.ticking(iterable):
        if x:
            return True
    return False


def _all(iterable: Any) -> bool:
    for x in charge.ticking(iterable):
        if not x:
            return False
    return True


def _iter(obj: Any) -> Any:
    return charge.ticking(obj)


def _lazy(make: Callable) -> Callable:
    """map/filter/zip/enumerate/reversed: the C iterator, wrapped so each element is charged."""
    def lazy(*args: Any, **kw: Any) -> Any:
        return charge.Ticking(make(*args, **kw))
    lazy.__name__ = make.__name__
    return lazy


def _hash(obj: Any) -> int:
    """hash() of values only: an object's hash would reveal its address."""
    stack = [obj]
    depth = 0
    visited = 0
    while stack:
        x = stack.pop()
        visited += 1
        tx = type(x)
        if tx is tuple or tx is frozenset:
            depth += 1
            if depth > 100_000:
                raise charge.task().abort("structure too deeply nested to hash")
            stack.extend(x)
        elif tx not in _HASHABLE:
            raise TypeError("hash() takes strings, numbers, bytes, and tuples of them")
        if visited & 1023 == 0:
            ticks(128)  # CPython will visit every element again: 1/8 tick each
    ticks((visited & 1023) >> 3)
    return hash(obj)


_HASHABLE = frozenset({str, bytes, int, float, complex, bool, type(None)})


def _radix(fn: Callable) -> Callable:
    """hex/oct/bin: the text of a big int is charged like any string built."""
    def radix(x: Any) -> str:
        if type(x) is int and x.bit_length() > 64:
            charge.chars(x.bit_length())
        return fn(x)
    radix.__name__ = fn.__name__
    return radix


def _classinfo(fn: Callable) -> Callable:
    """isinstance/issubclass: C walks a tuple of classes recursively, aliases and all
    (C{t = (t, t)} doubles it per step), so a tuple is charged its tree first."""
    def check(obj: Any, classinfo: Any) -> bool:
        if type(classinfo) is tuple:
            charge.tree(classinfo)
        return fn(obj, classinfo)
    check.__name__ = fn.__name__
    return check


def _round(number: Any, ndigits: Any = None) -> Any:
    if ndigits is None:
        return round(number)
    if type(ndigits) is not int or abs(ndigits) > 400:
        raise ValueError("round() ndigits must be an int between -400 and 400")
    return round(number, ndigits)


def _pow(base: Any, exp: Any, mod: Any = None) -> Any:
    return hooks.pow_(base, exp, mod)


def _format(value: Any, spec: Any = "") -> str:
    return hooks.format_value(value, -1, spec)


_FORMATTER = _string.Formatter()


def _fmt(template: Any, *args: Any, **kw: Any) -> str:
    """Safe C{str.format}: C{{}}, C{{0}}, C{{name}} and C{{name:spec}}; no C{.attr} or
    C{[index]}."""
    if type(template) is not str:
        raise TypeError("fmt() needs a string template")
    charge.scan(len(template))
    out = []
    auto = 0
    for literal, field, spec, conversion in _FORMATTER.parse(template):
        out.append(literal)
        if field is None:
            continue
        if field == "":
            key: Any = auto
            auto += 1
        elif field.isdigit():
            key = int(field)
        elif field.isidentifier() and not field.startswith("_"):
            key = field
        else:
            raise ValueError(f"fmt() fields are plain names or numbers, not {field!r}")
        value = args[key] if type(key) is int else kw[key]
        if spec and "{" in spec:
            raise ValueError("fmt() does not allow nested fields in a spec")
        conv = {None: -1, "s": 115, "r": 114, "a": 97}.get(conversion)
        if conv is None:
            raise ValueError(f"unknown conversion {conversion!r}")
        piece = hooks.format_value(value, conv, spec or "")
        charge.chars(len(piece) + len(literal))
        out.append(piece)
    return "".join(out)


def _print(*args: Any, sep: Any = " ", end: Any = "\n") -> None:
    if type(sep) is not str or type(end) is not str:
        raise TypeError("sep and end must be strings")
    parts = [hooks.safe_str(a) for a in args]
    charge.chars(sum(len(p) for p in parts) + len(sep) * max(len(parts) - 1, 0) + len(end))
    charge.task().emit(sep.join(parts) + end)


def _ticks_left() -> int:
    return charge.task().remaining()


def _getattr(obj: Any, name: Any, default: Any = _NO_DEFAULT, *, hook: Callable) -> Any:
    if type(name) is not str:
        raise TypeError("getattr(): attribute name must be a string")
    if not public_name(name) and name != "__name__":
        if default is _NO_DEFAULT:
            raise AttributeError(f"attribute {name!r} is private")
        return default
    try:
        return hook(obj, name)
    except AttributeError:
        if default is _NO_DEFAULT:
            raise
        return default


# Raw C callables with bounded work whatever their arguments (ints are bounded by the
# arithmetic preflight, so hex/bin/oct/divmod are too).
_RAW = {
    "abs": abs, "callable": callable, "chr": chr, "ord": ord, "divmod": divmod,
    "len": len, "next": next, "object": object, "super": super, "property": property,
    "staticmethod": staticmethod, "classmethod": classmethod,
}

_FACADED: dict[type, Callable | None] = {
    list: _list, tuple: _tuple, set: _set, frozenset: _frozenset, dict: _dict, str: _str,
    bytes: _bytes, range: _range, int: _int, float: _float, bool: None, complex: _complex,
}


@functools.cache
def shared_builtins() -> MappingProxyType:
    """The builtins that hold nothing of any domain, made once per process and shared by
    every domain: C functions, exception classes, constants, and tamed wrappers whose code
    reads only their arguments and the running task. A tamed object has no C{__dict__}
    and no slots, and scripts cannot reach its class (C{type()} refuses it, C{__class__}
    is private), so no script can change what another domain's script sees through it
    (C{tests/scripting/test_shared_tables.py} attacks every one)."""
    return MappingProxyType({
        **_RAW,
        **{e.__name__: e for e in SAFE_EXCEPTIONS + WORLD_EXCEPTIONS},
        "NotImplemented": NotImplemented, "Ellipsis": Ellipsis,
        "sorted": tamed("sorted", _sorted), "min": tamed("min", _minmax(min)),
        "max": tamed("max", _minmax(max)), "sum": tamed("sum", _sum),
        "any": tamed("any", _any), "all": tamed("all", _all), "iter": tamed("iter", _iter),
        **{fn.__name__: tamed(fn.__name__, _lazy(fn)) for fn in (map, filter, zip, enumerate,
                                                                 reversed)},
        **{fn.__name__: tamed(fn.__name__, _radix(fn)) for fn in (hex, oct, bin)},
        "round": tamed("round", _round), "hash": tamed("hash", _hash), "pow": tamed("pow", _pow),
        **{fn.__name__: tamed(fn.__name__, _classinfo(fn)) for fn in (isinstance, issubclass)},
        "repr": tamed("repr", hooks.safe_repr), "ascii": tamed("ascii", hooks.safe_ascii),
        "format": tamed("format", _format), "fmt": tamed("fmt", _fmt),
        "print": tamed("print", _print), "ticks_left": tamed("ticks_left", _ticks_left),
    })


def build_builtins(domain: Any, getattr_hook: Callable) -> tuple[MappingProxyType, dict]:
    """The read-only builtins mapping for one domain, and its type -> facade table: the
    shared builtins (L{shared_builtins}), the domain's own type facades, and the five
    builtins that know the domain (its classes, its getattr hook)."""
    facades: dict = {}
    for real in _FACADED:
        cls = _FACADE_CLASSES[real]
        f: Any = object.__new__(cls)
        f.real = real
        facades[real] = f

    meta = domain.meta
    exc_types = frozenset(SAFE_EXCEPTIONS)

    def type_(*args: Any) -> Any:
        if len(args) != 1:
            raise TypeError("type() takes one argument here; classes are made with 'class'")
        tp = type(args[0])
        if tp in facades:
            return facades[tp]
        if type(tp) is meta or tp in NAMED_EXCEPTIONS:
            return tp
        if issubclass(tp, BaseException):
            known = named_class(tp)  # an exception of a class scripts cannot name:
            if known is not None:  # the nearest class they can (ForbiddenAttribute is
                return known  # an AttributeError)
        raise TypeError("type() is only available for basic values and your own objects")

    def getattr_(obj: Any, name: Any, default: Any = _NO_DEFAULT) -> Any:
        return _getattr(obj, name, default, hook=getattr_hook)

    def hasattr_(obj: Any, name: Any) -> bool:
        return _getattr(obj, name, _MISSING, hook=getattr_hook) is not _MISSING

    def setattr_(obj: Any, name: Any, value: Any) -> None:
        if not public_name(name):
            raise AttributeError("attribute names must be identifiers not starting with '_'")
        tp = type(obj)
        if type(tp) is not meta and tp is not meta:
            raise TypeError("you can only set attributes on your own objects")
        setattr(obj, name, value)

    def build_class(func: Any, name: Any, *bases: Any, **kw: Any) -> Any:
        if kw:
            raise TypeError("class keywords are not allowed")
        bases = tuple(ScriptObject if b is object else b for b in bases) or (ScriptObject,)
        for b in bases:
            if not (b is ScriptObject or type(b) is meta or b in exc_types):
                raise TypeError("a class may only inherit from object, the built-in "
                                "exceptions, or your own classes")
        # C3 linearisation is quadratic in the length of the MRO, in C: cap the chain, and
        # charge the MRO tuple and the work before building it.
        mro = 1 + sum(len(b.__mro__) for b in bases)
        if mro > MAX_MRO:
            raise TypeError(f"classes may inherit at most {MAX_MRO} levels deep")
        charge.ticks(20 + mro * mro // 16)
        charge.task().charge_memory(2048 + 8 * mro)  # a class costs about this much
        return _real.__build_class__(func, name, *bases, metaclass=meta)

    table = dict(shared_builtins())
    table.update({real.__name__: f for real, f in facades.items()})
    table.update({
        "type": tamed("type", type_), "getattr": tamed("getattr", getattr_),
        "hasattr": tamed("hasattr", hasattr_), "setattr": tamed("setattr", setattr_),
        "__build_class__": tamed("__build_class__", build_class),
    })
    return MappingProxyType(table), facades


_MISSING = object()
_FACADE_CLASSES = {real: _facade_class(real, ctor) for real, ctor in _FACADED.items()}
FACADE_CLASSES = frozenset(_FACADE_CLASSES.values())
