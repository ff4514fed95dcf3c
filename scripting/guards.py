# -*- test-case-name: tests.scripting.test_guards -*-
"""Runtime attribute policy: which attributes of which types a script may read.

Allowlist by *exact* type (never C{isinstance}, never a method of the object): a type not in
C{TYPE_ATTRS} has no readable attributes, except the cases C{scripting.hooks.make_getattr}
handles by identity (the domain's own classes and instances, facets, namespaces).

Each entry is one of:
- C{PLAIN}: hand back the real bound method (bounded work);
- C{SCAN}: work grows with the object's length -- plain when short, charged when long;
- a function C{f(self, *args, **kw)}: a charged replacement.

No C{format}/C{format_map} anywhere (capability rule 7).
"""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType
from typing import Any

from scripting import charge
from scripting.charge import SMALL, chars, items, materialise, presize, scan, ticks

PLAIN = "plain"
SCAN = "scan"
COPY = "copy"
SMALL_COPY = 64  # a copy this short is not worth charging (it bounds memory per tick)


# -- charged replacements for amplifying or iterating methods -------------------------------

def _pad(method: str) -> Callable:
    def pad(self: Any, width: Any, *args: Any) -> Any:
        if type(width) is not int:
            raise TypeError("width must be an int")
        chars(max(width, 0))
        return getattr(type(self), method)(self, width, *args)
    pad.__name__ = method
    return pad


def _join(self: Any, iterable: Any) -> Any:
    parts = materialise(iterable)
    total = 0
    for p in parts:
        if type(p) is not type(self):
            raise TypeError("join() takes strings only")
        total += len(p)
    total += len(self) * max(len(parts) - 1, 0)
    chars(total)
    return self.join(parts)


def _replace(self: Any, old: Any, new: Any, count: Any = -1) -> Any:
    if type(old) is not type(self) or type(new) is not type(self) or type(count) is not int:
        raise TypeError("replace() takes strings and an int count")
    scan(len(self))
    n = self.count(old) if old else len(self) + 1
    if count >= 0:
        n = min(n, count)
    chars(len(self) + n * max(len(new) - len(old), 0))
    return self.replace(old, new, count)


def _expandtabs(self: Any, tabsize: Any = 8) -> Any:
    if type(tabsize) is not int:
        raise TypeError("tabsize must be an int")
    chars(len(self) + self.count("\t" if type(self) is str else b"\t") * max(tabsize, 0))
    return self.expandtabs(tabsize)


def _split(method: str) -> Callable:
    def split(self: Any, *args: Any, **kw: Any) -> Any:
        scan(len(self))
        items(len(self) // 2 + 1)  # worst case: every other character a separator
        return getattr(type(self), method)(self, *args, **kw)
    split.__name__ = method
    return split


def _translate(self: str, table: Any) -> str:
    if type(table) is not dict:
        raise TypeError("translate() takes a dict made by str.maketrans")
    longest = 1
    ascii_out = True
    for v in table.values():
        if type(v) is str:
            longest = max(longest, len(v))
            ascii_out = ascii_out and v.isascii()
        elif type(v) is int and v > 127:  # an ordinal
            ascii_out = False
    # CPython copies ASCII text through an ASCII table; else it looks every character up
    # in the table, one by one (~80 ns a character, red team r9): a tick per 64 of those,
    # and the result charged 4 bytes a character
    slow = not (ascii_out and self.isascii())
    if slow:
        scan(len(self) * 4)
    chars(len(self) * longest, slow)
    return self.translate(table)


# Codecs a script may name. Checked on the raw string, before CPython's codec search (which
# would import modules named after it); no bytes-to-bytes codecs (zlib, base64...).
CODECS = frozenset({"utf-8", "utf8", "ascii", "latin-1", "latin1", "iso-8859-1", "utf-16",
                    "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "cp1252"})
CODEC_ERRORS = frozenset({"strict", "ignore", "replace", "backslashreplace",
                          "xmlcharrefreplace", "surrogateescape"})


def check_codec(encoding: Any = "utf-8", errors: Any = "strict") -> None:
    """
    @raise LookupError: C{encoding} is not on the codec list, or C{errors}
        is not an allowed error handler.
    """
    if type(encoding) is not str or encoding.lower().replace("_", "-") not in CODECS:
        raise LookupError(f"unknown or unavailable encoding: {encoding!r} (available: "
                          + ", ".join(sorted(CODECS)) + ")")
    if type(errors) is not str or errors not in CODEC_ERRORS:
        raise LookupError(f"unknown error handler {errors!r}")


def _encode(self: str, encoding: Any = "utf-8", errors: Any = "strict") -> bytes:
    check_codec(encoding, errors)
    chars(len(self) * 10)  # xmlcharrefreplace: up to '&#1114111;' per character
    return self.encode(encoding, errors)


def _decode(self: bytes, encoding: Any = "utf-8", errors: Any = "strict") -> str:
    check_codec(encoding, errors)
    chars(len(self) * 4, True)  # backslashreplace: '\\xNN' per byte
    return self.decode(encoding, errors)


def _to_bytes(self: int, length: Any = 1, *args: Any, **kw: Any) -> bytes:
    if type(length) is not int:
        raise TypeError("length must be an int")
    chars(length)
    return self.to_bytes(length, *args, **kw)


def _view(method: str) -> Callable:
    """keys()/values()/items() as list snapshots: live views' set operators (C{keys() & it})
    would iterate any iterable in C, uncharged."""
    def view(self: dict) -> list:
        items(len(self))
        return list(getattr(self, method)())
    view.__name__ = method
    return view


def _copy(self: Any) -> Any:
    items(len(self))
    return self.copy()


def _extend(self: list, iterable: Any) -> None:
    self.extend(materialise(iterable))
    items(len(self))  # the list may be reallocated whole


def _sort(self: list, *, key: Any = None, reverse: Any = False) -> None:
    """C{list.sort}, by L{charge.sort}: as in CPython the list is empty while keys are
    computed and compared, and a list changed meanwhile raises C{ValueError}."""
    flag = charge.reverse_flag(reverse)
    values = self[:]
    self.clear()
    try:
        values = charge.sort(values, key, flag)
    finally:
        modified = len(self) > 0
        self[:] = values
    if modified:
        raise ValueError("list modified during sort")


_SEARCHES = frozenset({"count", "index", "remove"})


def _scan_list(method: str) -> Callable:
    def scanned(self: Any, *args: Any) -> Any:
        ticks(len(self) // 32 + 1)
        if method in _SEARCHES and args:  # each element compared with args[0]
            return charge.search(self, args[0], method, args[1:])
        return getattr(type(self), method)(self, *args)
    scanned.__name__ = method
    return scanned


def _with_iterables(method: str) -> Callable:
    """set/dict methods that walk other iterables (and may copy self)."""
    def walked(self: Any, *others: Any) -> Any:
        ready = [o if type(o) in (set, frozenset, dict) else materialise(o) for o in others]
        items(len(self) + sum(len(o) for o in ready))
        for o in ready:
            charge.hash_work(o)
        return getattr(type(self), method)(self, *ready)
    walked.__name__ = method
    return walked


def _update(self: dict, *args: Any, **kw: Any) -> None:
    if args:
        (other,) = args
        self.update(charge.pairs(other))
    if kw:
        items(len(kw))
        self.update(kw)


def _fromkeys(iterable: Any, value: Any = None) -> dict:
    keys = materialise(iterable)
    charge.hash_work(keys)
    return dict.fromkeys(keys, value)


def _maketrans(*args: Any) -> dict:
    for a in args:
        presize(a)
    return str.maketrans(*args)


def _fromhex(cls: type) -> Callable:
    def fromhex(s: Any) -> Any:
        if type(s) is not str:
            raise TypeError("fromhex() takes a string")
        chars(len(s))
        return cls.fromhex(s)  # type: ignore[attr-defined]
    return fromhex


def _from_bytes(b: Any, *args: Any, **kw: Any) -> int:
    if type(b) is not bytes:
        raise TypeError("from_bytes() takes bytes")
    charge.int_bits(len(b) * 8)
    return int.from_bytes(b, *args, **kw)


def _affix(method: str) -> Callable:
    """startswith/endswith: a tuple of affixes is compared one by one, each up to the
    length of the string: charged for all of them, not only for the string."""
    def affix(self: Any, affixes: Any, *args: Any) -> Any:
        n = len(self)
        total = n
        if type(affixes) is tuple:
            ticks((len(affixes) >> 3) + 1)
            for a in affixes:
                if type(a) is type(self):
                    total += min(len(a), n)
        scan(total)
        return getattr(type(self), method)(self, affixes, *args)
    affix.__name__ = method
    return affix


def _strip(method: str) -> Callable:
    """strip/lstrip/rstrip: with C{chars}, every character stripped is looked up in all
    of them (C{len(self) * len(chars)} in the worst case): charged for that."""
    def strip(self: Any, chars: Any = None) -> Any:
        n = len(self)
        if n > SMALL_COPY:
            charge.chars(n)
        if type(chars) is type(self):
            scan(n * len(chars))
        return getattr(type(self), method)(self, chars)
    strip.__name__ = method
    return strip


def _range_search(method: str) -> Callable:
    """range.count/index: O(1) for an int; anything else is compared, in C, with every
    element: charged an eighth of a tick per element first."""
    def search(self: range, value: Any) -> Any:
        if type(value) is not int and type(value) is not bool:
            try:
                n = len(self)
            except OverflowError:
                n = charge.MAX_ITEMS << 8  # longer than any budget
            ticks((n >> 3) + 1)
        return getattr(range, method)(self, value)
    search.__name__ = method
    return search


_PAD = {m: _pad(m) for m in ("ljust", "rjust", "center", "zfill")}
_SPLIT = {m: _split(m) for m in ("split", "rsplit", "splitlines")}
# Methods whose work grows with their arguments as well as with the string.
_BY_ARGUMENTS = {**{m: _affix(m) for m in ("startswith", "endswith")},
                 **{m: _strip(m) for m in ("strip", "lstrip", "rstrip")}}

# Methods that only read (SCAN) and methods that build a copy about as long as the input (COPY).
_STR_SCAN = [
    "count", "endswith", "find", "index", "isalnum", "isalpha", "isascii", "isdecimal", "isdigit",
    "isidentifier", "islower", "isnumeric", "isprintable", "isspace", "istitle", "isupper",
    "rfind", "rindex",
]
_STR_COPY = [
    "capitalize", "casefold", "lower", "partition", "removeprefix", "removesuffix",
    "rpartition", "swapcase", "title", "upper",
]

STR_ATTRS = MappingProxyType({
    **dict.fromkeys(_STR_SCAN, SCAN), **dict.fromkeys(_STR_COPY, COPY), **_PAD, **_SPLIT,
    **_BY_ARGUMENTS, "join": _join, "replace": _replace, "expandtabs": _expandtabs,
    "translate": _translate,
    "encode": _encode,
})
_BYTES_SCAN = [
    "count", "endswith", "find", "index", "isalnum", "isalpha", "isascii", "isdigit", "islower",
    "isspace", "istitle", "isupper", "rfind", "rindex",
]
_BYTES_COPY = [
    "capitalize", "hex", "lower", "partition", "rpartition", "swapcase", "title", "upper",
]
BYTES_ATTRS = MappingProxyType({
    **dict.fromkeys(_BYTES_SCAN, SCAN), **dict.fromkeys(_BYTES_COPY, COPY), **_PAD, **_SPLIT,
    **_BY_ARGUMENTS, "join": _join, "replace": _replace, "expandtabs": _expandtabs,
    "decode": _decode,
})
def _hashing(method: str) -> Callable:
    """dict/set methods that hash their first argument (a tuple or frozenset key is walked,
    and one found with an equal hash is compared in depth: charged its tree; a long string
    or bytes found equal is compared byte by byte: charged its length; L{charge.keyed})."""
    def hashed(self: Any, *args: Any) -> Any:
        if args:
            charge.keyed(args[0])
        return getattr(type(self), method)(self, *args)
    hashed.__name__ = method
    return hashed


LIST_ATTRS = MappingProxyType({
    "append": PLAIN, "pop": PLAIN, "clear": PLAIN, "copy": _copy, "extend": _extend,
    "sort": _sort, "count": _scan_list("count"), "index": _scan_list("index"),
    "insert": _scan_list("insert"), "remove": _scan_list("remove"),
    "reverse": _scan_list("reverse"),
})
DICT_ATTRS = MappingProxyType({
    "get": _hashing("get"), "items": _view("items"), "keys": _view("keys"),
    "values": _view("values"), "pop": _hashing("pop"),
    "popitem": PLAIN, "setdefault": _hashing("setdefault"), "clear": PLAIN, "copy": _copy,
    "update": _update,
})
_SET_WALK = [
    "difference", "intersection", "isdisjoint", "issubset", "issuperset", "symmetric_difference",
    "union",
]
_SET_UPDATE = ["difference_update", "intersection_update", "symmetric_difference_update", "update"]
SET_ATTRS = MappingProxyType({
    "add": _hashing("add"), "discard": _hashing("discard"), "remove": _hashing("remove"),
    "pop": PLAIN, "clear": PLAIN,
    "copy": _copy, **{m: _with_iterables(m) for m in _SET_WALK + _SET_UPDATE},
})
FROZENSET_ATTRS = MappingProxyType({
    "copy": PLAIN, **{m: _with_iterables(m) for m in _SET_WALK},
})
TUPLE_ATTRS = MappingProxyType({"count": _scan_list("count"), "index": _scan_list("index")})
_NUM = {"real": PLAIN, "imag": PLAIN, "conjugate": PLAIN}
INT_ATTRS = MappingProxyType({
    **_NUM, "numerator": PLAIN, "denominator": PLAIN, "bit_length": PLAIN,
    "as_integer_ratio": PLAIN, "to_bytes": _to_bytes,
    **({"bit_count": PLAIN} if hasattr(int, "bit_count") else {}),
    **({"is_integer": PLAIN} if hasattr(int, "is_integer") else {}),
})
FLOAT_ATTRS = MappingProxyType({
    **_NUM, "as_integer_ratio": PLAIN, "is_integer": PLAIN, "hex": PLAIN,
})
COMPLEX_ATTRS = MappingProxyType(dict(_NUM))
RANGE_ATTRS = MappingProxyType({"start": PLAIN, "stop": PLAIN, "step": PLAIN,
                                "count": _range_search("count"),
                                "index": _range_search("index")})

TYPE_ATTRS: MappingProxyType = MappingProxyType({
    str: STR_ATTRS, bytes: BYTES_ATTRS, list: LIST_ATTRS, dict: DICT_ATTRS, set: SET_ATTRS,
    frozenset: FROZENSET_ATTRS, tuple: TUPLE_ATTRS, int: INT_ATTRS, bool: INT_ATTRS,
    float: FLOAT_ATTRS, complex: COMPLEX_ATTRS, range: RANGE_ATTRS,
})

# Attributes readable on the type objects themselves (e.g. `str.lower` as a sort key).
# Instance methods are handed out unbound-but-charged; these are the extra class methods.
TYPE_LEVEL_EXTRA: MappingProxyType[type, MappingProxyType[str, Callable[..., Any]]] = \
    MappingProxyType({
    str: MappingProxyType({"maketrans": _maketrans}),
    bytes: MappingProxyType({"fromhex": _fromhex(bytes)}),
    dict: MappingProxyType({"fromkeys": _fromkeys}),
    int: MappingProxyType({"from_bytes": _from_bytes}),
    float: MappingProxyType({"fromhex": _fromhex(float)}),
})



def _bound_class(name: str, fn: Callable) -> type:
    """A class whose instances are C{fn} bound to one object.

    The function lives on the class, not the instance, so an instance refers only to its
    type and the object it is bound to (no function, globals or module reachable from it).
    """
    def __call__(self: Any, *args: Any, **kw: Any) -> Any:
        return fn(self.obj, *args, **kw)

    def __repr__(self: Any) -> str:
        return f"<method {name}>"

    return type(name, (), {"__slots__": ("obj",), "__call__": __call__, "__repr__": __repr__})


def _scan_class(name: str) -> type:
    def __call__(self: Any, *args: Any, **kw: Any) -> Any:
        obj = self.obj
        scan(len(obj))
        return getattr(obj, name)(*args, **kw)

    def __repr__(self: Any) -> str:
        return f"<method {name}>"

    return type(name, (), {"__slots__": ("obj",), "__call__": __call__, "__repr__": __repr__})


def _copy_class(name: str) -> type:
    def __call__(self: Any, *args: Any, **kw: Any) -> Any:
        obj = self.obj
        chars(len(obj) * (2 if name == "hex" else 1))
        return getattr(obj, name)(*args, **kw)

    def __repr__(self: Any) -> str:
        return f"<method {name}>"

    return type(name, (), {"__slots__": ("obj",), "__call__": __call__, "__repr__": __repr__})


def _unbound_class(name: str, owner: type, kind: Any) -> type:
    """C{str.lower} and friends: charged like the bound form, checked for exact type."""
    def __call__(self: Any, obj: Any, *args: Any, **kw: Any) -> Any:
        if type(obj) is not owner:
            raise TypeError(f"{owner.__name__}.{name} needs a {owner.__name__}")
        if kind == PLAIN:
            return getattr(obj, name)(*args, **kw)
        if kind == SCAN:
            scan(len(obj))  # type: ignore[arg-type]
            return getattr(obj, name)(*args, **kw)
        if kind == COPY:
            chars(len(obj) * (2 if name == "hex" else 1))  # type: ignore[arg-type]
            return getattr(obj, name)(*args, **kw)
        return kind(obj, *args, **kw)

    def __repr__(self: Any) -> str:
        return f"<method {owner.__name__}.{name}>"

    return type(name, (), {"__slots__": (), "__call__": __call__, "__repr__": __repr__})


def _static_class(name: str, fn: Callable) -> type:
    def __call__(self: Any, *args: Any, **kw: Any) -> Any:
        return fn(*args, **kw)

    def __repr__(self: Any) -> str:
        return f"<function {name}>"

    return type(name, (), {"__slots__": (), "__call__": __call__, "__repr__": __repr__})


def _build_resolvers() -> tuple[dict, dict]:
    """For each (type, name): how to produce the attribute from an instance, and from the type."""
    inst: dict = {}
    unbound: dict = {}
    for tp, table in TYPE_ATTRS.items():
        per: dict = {}
        ub: dict = {}
        for name, kind in table.items():
            if kind == PLAIN:
                per[name] = PLAIN
            elif kind == SCAN:
                per[name] = _scan_class(name)
            elif kind == COPY:
                per[name] = _copy_class(name)
            else:
                per[name] = _bound_class(name, kind)
            if callable(getattr(tp, name, None)):
                ub[name] = _unbound_class(name, tp, kind)()
        for name, fn in TYPE_LEVEL_EXTRA.get(tp, {}).items():
            ub[name] = _static_class(name, fn)()
        inst[tp] = per
        unbound[tp] = MappingProxyType(ub)
    return inst, unbound


INSTANCE_RESOLVERS, TYPE_LEVEL = _build_resolvers()
_IMMUTABLE_SCANNED = (str, bytes, tuple)


def _fast_kinds() -> MappingProxyType:
    """The same decisions as C{instance_attr}, as data for the lean C{$getattr}: per exact
    type, name -> PLAIN, or (limit, cls): the real method when C{len(obj) <= limit}, else an
    instance of C{cls} bound to obj (limit -1: always C{cls})."""
    out = {}
    for tp, per in INSTANCE_RESOLVERS.items():
        kinds: dict = {}
        for name, kind in per.items():
            if kind is PLAIN:
                kinds[name] = PLAIN
                continue
            plan = TYPE_ATTRS[tp][name]
            limit = -1
            if tp in _IMMUTABLE_SCANNED and plan == SCAN:
                limit = SMALL
            elif tp in _IMMUTABLE_SCANNED and plan == COPY:
                limit = SMALL_COPY
            kinds[name] = (limit, kind)
        out[tp] = MappingProxyType(kinds)
    return MappingProxyType(out)


FAST_KINDS = _fast_kinds()
# str methods charged by length: the longest str they run on natively (the rewriter's
# inline guard for `s.name`, as `instance_attr` decides for short strings).
STR_FAST_LIMITS = MappingProxyType({
    name: SMALL if plan == SCAN else SMALL_COPY
    for name, plan in STR_ATTRS.items() if plan in (SCAN, COPY)})


# str methods charged by their arguments (`_BY_ARGUMENTS`): run natively on a str this
# short only when the rewriter sees that every argument is a literal int, None, or str of at
# most LITERAL_ARG_MAX characters (`line.strip()`, `s.startswith("#")`), so that their work
# is bounded by the string's length.
STR_LITERAL_ARG_LIMITS = MappingProxyType({
    "startswith": SMALL, "endswith": SMALL, "strip": SMALL_COPY, "lstrip": SMALL_COPY,
    "rstrip": SMALL_COPY})
LITERAL_ARG_MAX = 64

# str methods charged by the width they pad to (`_pad`): run natively on a str this short
# only when the rewriter sees a literal int width of at most this much (and at most a
# literal fill character): the result is then at most SMALL_COPY characters, which the
# charged path would charge nothing but its memory (`s.zfill(6)`, `s.ljust(10, ".")`).
STR_WIDTH_LIMITS = MappingProxyType(dict.fromkeys(_PAD, SMALL_COPY))
WIDTH_LITERAL_MAX = SMALL_COPY


def plain_types(name: str) -> frozenset:
    """The exact basic types whose attribute C{name} is the real, uncharged one."""
    return frozenset(tp for tp, kinds in FAST_KINDS.items() if kinds.get(name) is PLAIN)


def instance_attr(obj: Any, tp: type, name: str) -> Any:
    """The attribute C{name} of a basic value, by the table; raises AttributeError if not listed."""
    kind = INSTANCE_RESOLVERS[tp].get(name)
    if kind is None:
        raise AttributeError(f"'{tp.__name__}' object has no attribute {name!r} (or it is not "
                             "available to scripts)")
    if kind is PLAIN:
        return getattr(obj, name)
    if tp in _IMMUTABLE_SCANNED:
        plan = TYPE_ATTRS[tp][name]
        if (plan == SCAN and len(obj) <= SMALL) or (plan == COPY and len(obj) <= SMALL_COPY):
            return getattr(obj, name)  # short and immutable: bounded work, the real method
    bound = kind.__new__(kind)
    bound.obj = obj
    return bound
