# -*- test-case-name: tests.scripting.test_rules -*-
"""Tamed module facades: what C{import math} (etc.) gives a script. Never a real module.

Each facade is a C{Namespace} built per domain: a frozen set of names bound to C functions
with bounded work, constants, or C{tamed} wrappers that charge first. State (the C{random}
generator) belongs to the domain; the other facades' functions hold nothing of a domain and
are made once per process (C{_shared}). Time is not a module: the engine may hand a script a
C{Clock} capability as an endowment.
"""

from __future__ import annotations

import functools
import json as _json
import json.encoder as _json_encoder
import math as _math
import random as _random
import string as _string
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import re2 as _re2

from scripting import charge
from scripting.charge import chars, items, materialise, ticks
from scripting.guards import PLAIN, _bound_class
from scripting.hooks import mul
from scripting.policy import public_name
from scripting.tamed import tamed
from scripting.task import STATE


class Namespace:
    """A frozen module-like namespace: only the names it was built with, read-only."""

    __slots__ = ("items", "name")

    def __init__(self, name: str, values: Mapping[str, Any]) -> None:
        for key in values:
            if not public_name(key):
                raise ValueError(f"cannot export {key!r}")
        self.name = name
        self.items = MappingProxyType(dict(values))

    def lookup(self, attr: Any) -> Any:
        if not public_name(attr):
            raise AttributeError(f"module {self.name!r} has no attribute {attr!r}")
        try:
            return self.items[attr]
        except KeyError:
            pass
        raise AttributeError(f"module {self.name!r} has no attribute {attr!r}"
                             f"{self.missing(attr)}")

    def missing(self, attr: str) -> str:
        """
        What to say after C{attr}, a public name this module lacks: a
        library's names (the first L{NAMES_LISTED}; a standard module's are
        in its help) and the one C{attr} is likely a typo of, e.g.
        C{" (dice exports: d6, roll; did you mean roll?)"}; empty if there
        is nothing to say. Charged to the running task: a script may fail
        at this as often as it likes.
        """
        names = self.names()
        near, compared = _near_name(attr, names)
        if STATE.task is not None:
            ticks(len(names) + compared)  # (a Python step per name filtered)
        said = []
        if self.name not in FACADE_MAKERS:  # a library (none takes a standard name)
            shown = ", ".join(n if len(n) <= 40 else n[:40] + "..."
                              for n in names[:NAMES_LISTED])
            more = f" and {len(names) - NAMES_LISTED} more" if len(names) > NAMES_LISTED else ""
            said.append(f"{self.name} exports: {shown}{more}")
        if near is not None:
            said.append(f"did you mean {near}?")
        return f" ({'; '.join(said)})" if said else ""

    def names(self) -> list[str]:
        return sorted(self.items)

    def __repr__(self) -> str:
        return f"<module {self.name!r}>"

    def __setattr__(self, name: str, value: Any) -> None:
        if hasattr(self, "items"):
            raise AttributeError("modules are read-only")
        object.__setattr__(self, name, value)


#: How many of a library's names an error about a name it lacks lists.
NAMES_LISTED = 20
#: Names longer than this are not compared with a misspelt one, nor are more than
#: L{NEAR_COMPARED} of them: the comparing is charged, and bounded whatever a library exports.
NEAR_LONGEST = 64
NEAR_COMPARED = 200


def _near_name(attr: str, names: list[str]) -> tuple[str | None, int]:
    """
    The first of C{names} (sorted) that C{attr} is a typo of: the same but
    for case, or one letter added, left out, changed, or two swapped; and
    how many characters were compared to find it (its cost, in ticks).
    """
    if len(attr) > NEAR_LONGEST:
        return None, 0
    lowered = attr.lower()
    compared = 0
    candidates = [n for n in names if abs(len(n) - len(attr)) <= 1 and len(n) <= NEAR_LONGEST]
    for name in candidates[:NEAR_COMPARED]:
        compared += len(name)
        if name.lower() == lowered or (len(attr) > 1 and _one_edit(attr, name)):
            return name, compared
    return None, compared


def _one_edit(a: str, b: str) -> bool:
    """Whether C{b} is C{a} with one letter added, left out or changed, or two
    neighbours swapped (neither longer than L{NEAR_LONGEST})."""
    if a == b:
        return False
    i = 0
    while i < len(a) and i < len(b) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        if a[i + 1:] == b[i + 1:]:
            return True  # one changed
        return (i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i]
                and a[i + 2:] == b[i + 2:])  # two swapped
    if len(a) < len(b):
        return a[i:] == b[i + 1:]
    return a[i + 1:] == b[i:]


# -- math -------------------------------------------------------------------------------------

_MATH_RAW = [
    "sqrt", "floor", "ceil", "trunc", "fabs", "exp", "expm1", "log", "log2", "log10", "log1p",
    "pow", "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "degrees",
    "radians", "isclose", "isfinite", "isinf", "isnan", "copysign", "fmod", "modf", "frexp",
    "ldexp", "remainder", "gcd", "isqrt",
]


def _factorial(n: Any) -> int:
    if type(n) is not int or n > 450:
        raise ValueError("factorial() takes an int up to 450 (results up to 4096 bits)")
    ticks(n)
    return _math.factorial(n)


def _comb_perm(fn: Callable) -> Callable:
    def limited(n: Any, k: Any = None) -> int:
        if type(n) is not int or n > 3000:
            raise ValueError(f"{fn.__name__}() takes n up to 3000")
        ticks(n)
        out = fn(n) if k is None else fn(n, k)
        if out.bit_length() > charge.MAX_INT_BITS:
            raise ValueError(f"{fn.__name__}() result larger than 4096 bits")
        return out
    return limited


def _fsum(iterable: Any) -> float:
    values = materialise(iterable)
    return _math.fsum(values)


def _prod(iterable: Any, *, start: Any = 1) -> Any:
    total = start
    for v in materialise(iterable):
        total = mul(total, v)
    return total


def _hypot(*coords: Any) -> float:
    ticks(len(coords))
    return _math.hypot(*coords)


def make_math() -> Namespace:
    """
    The C{math} namespace scripts import: plain functions, the costly ones charged.
    """
    values: dict[str, Any] = {name: getattr(_math, name) for name in _MATH_RAW}
    values.update(pi=_math.pi, e=_math.e, tau=_math.tau, inf=_math.inf, nan=_math.nan)
    values.update(factorial=tamed("factorial", _factorial),
                  comb=tamed("comb", _comb_perm(_math.comb)),
                  perm=tamed("perm", _comb_perm(_math.perm)),
                  fsum=tamed("fsum", _fsum), prod=tamed("prod", _prod),
                  hypot=tamed("hypot", _hypot))
    return Namespace("math", values)


# -- random (the domain's own generator) ------------------------------------------------------

def make_random(rng: _random.Random) -> Namespace:
    """
    The C{random} namespace of one domain, over its own C{rng}.
    """
    def choices(population: Any, weights: Any = None, *, k: Any = 1) -> list:
        if type(k) is not int:
            raise TypeError("k must be an int")
        items(max(k, 0))
        pop = materialise(population)
        w = None if weights is None else materialise(weights)
        return rng.choices(pop, w, k=k)

    def sample(population: Any, k: Any) -> list:
        # a range is sampled without being built; anything else is materialised (charged)
        pop = population if type(population) is range else materialise(population)
        if type(k) is not int:
            raise TypeError("k must be an int")
        items(max(k, 0))
        return rng.sample(pop, k)

    def shuffle(seq: Any) -> None:
        if type(seq) is not list:
            raise TypeError("shuffle() takes a list")
        ticks(len(seq))
        rng.shuffle(seq)

    def choice(seq: Any) -> Any:
        if type(seq) not in (list, tuple, str, range, bytes):
            seq = materialise(seq)
        return rng.choice(seq)

    def seed(value: Any = None) -> None:
        if type(value) not in (int, str, type(None)):
            raise TypeError("seed() takes an int or a string")
        if type(value) is str:
            chars(len(value))
        if type(value) is int:
            charge.int_bits(value.bit_length())
        rng.seed(value)

    def randint(a: Any, b: Any) -> int:
        return rng.randint(a, b)

    def randrange(*args: Any) -> int:
        return rng.randrange(*args)

    def uniform(a: Any, b: Any) -> float:
        return rng.uniform(a, b)

    def gauss(mu: Any = 0.0, sigma: Any = 1.0) -> float:
        return rng.gauss(mu, sigma)

    def random() -> float:
        return rng.random()

    fns: dict[str, Callable[..., Any]] = {
        "random": random, "randint": randint, "randrange": randrange, "choice": choice,
        "choices": choices, "sample": sample, "shuffle": shuffle, "uniform": uniform,
        "gauss": gauss, "seed": seed,
    }
    return Namespace("random", {name: tamed(name, fn) for name, fn in fns.items()})


# -- string constants -------------------------------------------------------------------------

def _capwords(s: Any, sep: Any = None) -> str:
    if type(s) is not str:
        raise TypeError("capwords() takes a string")
    chars(len(s))
    return _string.capwords(s, sep)


def make_string() -> Namespace:
    """
    The C{string} namespace: its constants (no C{Formatter}, rule 7).
    """
    names = [
        "ascii_letters", "ascii_lowercase", "ascii_uppercase", "digits", "hexdigits", "octdigits",
        "punctuation", "printable", "whitespace",
    ]
    values: dict[str, Any] = {n: getattr(_string, n) for n in names}
    values["capwords"] = tamed("capwords", _capwords)
    return Namespace("string", values)


# -- json (size-capped) -----------------------------------------------------------------------

JSON_MAX = 1024 * 1024


_ENCODE = (_json_encoder.encode_basestring, _json_encoder.encode_basestring_ascii)
_JSON_SCALARS = {type(None): 4, bool: 5, float: 24}  # longest text of each ('-1.2e-308')
_JSON_SEP_MAX = 16  # longest indent or separator


def _json_flag(name: str, value: Any) -> bool:
    if type(value) is not bool and type(value) is not int:
        raise TypeError(f"json.dumps(): {name} must be True or False")
    return bool(value)


def _json_text(value: Any, what: str) -> str:
    if type(value) is not str or len(value) > _JSON_SEP_MAX:
        raise ValueError(f"json.dumps(): {what} must be a string of at most {_JSON_SEP_MAX} "
                         "characters")
    return value


def _encoded_length(encode: Callable[[str], str], s: str) -> int:
    """C{len(encode(s))}, encoding at most 4096 characters at a time (one character can
    take twelve: a long string is not escaped whole just to be measured)."""
    n = len(s)
    if n <= 4096:
        return len(encode(s))
    charge.scan(n)
    return 2 + sum(len(encode(s[i:i + 4096])) - 2 for i in range(0, n, 4096))


def json_size(obj: Any, indent: str | None, item_sep: str, key_sep: str, ascii_only: bool,
              sort_keys: bool) -> tuple[int, bool]:
    """How long C{json.dumps} of C{obj} will be (at least), and whether it holds wide
    characters, charging the walk; C{ValueError} past C{JSON_MAX}.

    Every reference is counted as often as it appears, every string as the encoder will
    escape it, every indented line with its whole indent (which grows with depth)."""
    t = charge.task()
    encode = _ENCODE[ascii_only]
    step = len(indent) if indent is not None else -1
    total = 0
    wide = False
    seen = 0
    stack: list[tuple[Any, int]] = [(obj, 0)]
    while stack:
        x, depth = stack.pop()
        seen += 1
        if seen & 255 == 0:
            t.charge(256)
        tx = type(x)
        if tx is str:
            total += _encoded_length(encode, x) if total + len(x) < JSON_MAX else len(x) + 2
            wide = wide or not x.isascii()
        elif tx is int:
            total += x.bit_length() // 3 + 2
        elif tx is list or tx is tuple or tx is dict:
            if depth >= charge.MAX_NEST:  # C encodes a level a call
                raise t.abort(charge.NESTED)
            n = len(x)
            total += 2
            if n:
                total += (n - 1) * len(item_sep)
                if step >= 0:  # a line per item, and one for the closing bracket
                    total += n * (1 + step * (depth + 1)) + 1 + step * depth
            if tx is dict:
                total += n * len(key_sep)
                if sort_keys:
                    t.charge((n * max(n.bit_length(), 1) >> 3) + 1)
                for k, v in x.items():
                    tk = type(k)
                    if tk is str:
                        stack.append((k, depth + 1))
                    else:  # numbers, True, None: written as strings
                        total += _JSON_SCALARS.get(tk, 0) + 2
                        if tk is int:
                            total += k.bit_length() // 3 + 2
                    stack.append((v, depth + 1))
            else:
                stack.extend((v, depth + 1) for v in x)
        else:
            total += _JSON_SCALARS.get(tx, 0)  # anything else: dumps refuses it
        if total > JSON_MAX or len(stack) > charge.MAX_ITEMS:
            raise ValueError(f"json output larger than {JSON_MAX} characters (or circular)")
    t.charge(seen)
    return total, wide


def _dumps(obj: Any, *, skipkeys: Any = False, ensure_ascii: Any = True,
           allow_nan: Any = True, indent: Any = None, separators: Any = None,
           sort_keys: Any = False) -> str:
    if indent is not None:
        if type(indent) is int:
            if not 0 <= indent <= _JSON_SEP_MAX:
                raise ValueError(f"indent must be an int from 0 to {_JSON_SEP_MAX}, or a string")
            indent = " " * indent
        else:
            indent = _json_text(indent, "indent")
    if separators is None:
        item_sep, key_sep = ("," if indent is not None else ", "), ": "
    else:
        if type(separators) not in (tuple, list) or len(separators) != 2:
            raise TypeError("json.dumps(): separators must be (item_separator, "
                            "key_separator)")
        item_sep = _json_text(separators[0], "a separator")
        key_sep = _json_text(separators[1], "a separator")
    ascii_only = _json_flag("ensure_ascii", ensure_ascii)
    sorting = _json_flag("sort_keys", sort_keys)
    size, wide = json_size(obj, indent, item_sep, key_sep, ascii_only, sorting)
    chars(size, wide and not ascii_only)
    out = _json.dumps(obj, skipkeys=_json_flag("skipkeys", skipkeys), ensure_ascii=ascii_only,
                      allow_nan=_json_flag("allow_nan", allow_nan), indent=indent,
                      separators=(item_sep, key_sep), sort_keys=sorting)
    if len(out) > JSON_MAX:
        raise ValueError("json output too large")
    return out


def _loads(text: Any) -> Any:
    if type(text) not in (str, bytes):
        raise TypeError("loads() takes a string")
    if len(text) > JSON_MAX:
        raise ValueError(f"json input larger than {JSON_MAX} characters")
    chars(len(text) * 8)
    ticks(len(text) >> 4)
    try:
        out = _json.loads(text)
    except ValueError as e:  # JSONDecodeError: a class scripts cannot name, holding the text
        raise ValueError(str(e)) from None
    except RecursionError:  # C decodes a level a call: text nested some hundreds deep
        raise charge.task().abort(charge.NESTED) from None
    charge.tree(out)  # nested no deeper than C may later compare or print it
    return out


def make_json() -> Namespace:
    """
    The C{json} namespace: C{dumps} and C{loads}, size-capped.
    """
    return Namespace("json", {"dumps": tamed("dumps", _dumps), "loads": tamed("loads", _loads)})


# -- re (google-re2: linear time) -------------------------------------------------------------

RE_MAX_PATTERN = 2000
RE_MAX_TEXT = 1024 * 1024
_RE_OPTIONS = _re2.Options()
_RE_OPTIONS.max_mem = 8 << 20
_RE_OPTIONS.log_errors = False


class Match:
    """A finished regular-expression match: the text and the spans; group text is cut (and
    charged) only when asked for, so a pattern with many nested groups copies nothing."""

    __slots__ = ("_named", "_spans", "_text")

    def __init__(self, m: Any, named: dict, text: str) -> None:
        n = m.re.groups if hasattr(m, "re") else 0
        ticks(n + 1)
        self._text = text
        self._spans = tuple(m.span(i) for i in range(n + 1))
        self._named = dict(named)

    def _index(self, g: Any) -> int:
        if type(g) is str:
            return self._named[g]
        if type(g) is not int or not 0 <= g < len(self._spans):
            raise IndexError("no such group")
        return g

    def _cut(self, i: int) -> Any:
        start, end = self._spans[i]
        if start < 0:
            return None
        chars(end - start)
        return self._text[start:end]

    def group(self, *which: Any) -> Any:
        if not which:
            return self._cut(0)
        got = tuple(self._cut(self._index(w)) for w in which)
        return got[0] if len(got) == 1 else got

    def groups(self) -> tuple:
        return tuple(self._cut(i) for i in range(1, len(self._spans)))

    def groupdict(self) -> dict:
        return {name: self._cut(i) for name, i in self._named.items()}

    def start(self, g: Any = 0) -> int:
        return self._spans[self._index(g)][0]

    def end(self, g: Any = 0) -> int:
        return self._spans[self._index(g)][1]

    def span(self, g: Any = 0) -> tuple:
        return self._spans[self._index(g)]

    def __repr__(self) -> str:
        start, end = self._spans[0]
        return f"<match {self._text[start:min(end, start + 50)]!r}>"


MATCH_ATTRS = frozenset({"group", "groups", "groupdict", "start", "end", "span"})


class Pattern:
    """A compiled RE2 pattern; every method is charged by the length of its input."""

    __slots__ = ("_named", "_re", "pattern")

    def __init__(self, pattern: Any) -> None:
        if type(pattern) is not str:
            raise TypeError("patterns are strings")
        if len(pattern) > RE_MAX_PATTERN:
            raise ValueError(f"patterns are limited to {RE_MAX_PATTERN} characters")
        ticks(len(pattern))
        try:
            self._re = _re2._Regexp(pattern, _RE_OPTIONS)  # uncached: nothing shared
        except Exception as e:  # re2.error carries only text; re-create it
            msg = str(e)
            raise ValueError(f"bad pattern: {msg}") from None
        self._named = dict(self._re.groupindex)
        self.pattern = pattern

    def _text(self, text: Any) -> None:
        if type(text) is not str:
            raise TypeError("regular expressions search strings")
        if len(text) > RE_MAX_TEXT:
            raise ValueError("text too long to search")
        # linear in the text, but with a factor that grows with the pattern (RE2's NFA for
        # submatches visits every state per character)
        ticks(1 + ((len(text) * (len(self.pattern) + 8)) >> 6))

    def _wrap(self, m: Any, text: str) -> Any:
        return None if m is None else Match(m, self._named, text)

    def search(self, text: Any) -> Any:
        self._text(text)
        return self._wrap(self._re.search(text), text)

    def match(self, text: Any) -> Any:
        self._text(text)
        return self._wrap(self._re.match(text), text)

    def fullmatch(self, text: Any) -> Any:
        self._text(text)
        return self._wrap(self._re.fullmatch(text), text)

    def _results(self, text: str) -> None:
        """findall/split may return every group of every match: charge that before."""
        items(len(text) + 1)
        chars(len(text) * (self._re.groups + 1))

    def findall(self, text: Any) -> list:
        self._text(text)
        self._results(text)
        return list(self._re.findall(text))

    def split(self, text: Any, maxsplit: Any = 0) -> list:
        self._text(text)
        self._results(text)
        return list(self._re.split(text, maxsplit=maxsplit))

    def sub(self, repl: Any, text: Any, count: Any = 0) -> str:
        self._text(text)
        if type(repl) is not str:
            raise TypeError("the replacement must be a string")
        chars(len(text) + (len(text) + 1) * len(repl))
        return self._re.sub(repl, text, count=count)

    def __repr__(self) -> str:
        return f"<pattern {self.pattern!r}>"


PATTERN_ATTRS = frozenset({"search", "match", "fullmatch", "findall", "split", "sub",
                           "pattern"})


def make_re() -> Namespace:
    """
    The C{re} namespace: linear-time RE2 behind size caps (rule 39).
    """
    def compile_(pattern: Any) -> Pattern:
        return Pattern(pattern)

    def helper(method: str) -> Callable:
        def call(pattern: Any, *args: Any, **kw: Any) -> Any:
            return getattr(Pattern(pattern), method)(*args, **kw)
        return call

    values: dict[str, Any] = {"compile": tamed("compile", compile_)}
    for method in ("search", "match", "fullmatch", "findall", "split", "sub"):
        values[method] = tamed(method, helper(method))
    return Namespace("re", values)


# -- time, only as a handed-in capability -----------------------------------------------------

class Clock:
    """A coarse clock the engine may give a script as an endowment (C{clock.now()}).

    C{Clock(now, resolution)} makes an instance of a fresh subclass holding C{now} on the class,
    so nothing reachable from the instance leads to the engine's function or its globals.
    """

    __slots__ = ("resolution",)

    def __new__(cls, now: Callable[[], float], resolution: float = 1.0) -> Clock:
        made = cls
        if cls is Clock:
            made = type("Clock", (Clock,), {"__slots__": (), "source": staticmethod(now)})
        return object.__new__(made)

    def __init__(self, now: Callable[[], float], resolution: float = 1.0) -> None:
        self.resolution = float(resolution)

    def now(self) -> float:
        r = self.resolution
        return (type(self).source() // r) * r  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        return "<clock>"


CLOCK_ATTRS = frozenset({"now"})

def _resolvers(tp: type, names: frozenset) -> MappingProxyType:
    """name -> PLAIN for data, or a class binding the method to an instance (code on the class)."""
    out: dict[str, Any] = {}
    for name in names:
        attr = getattr(tp, name)
        out[name] = _bound_class(name, attr) if callable(attr) else PLAIN
    return MappingProxyType(out)


# Facade objects a script may hold, and what it may read on them (exact type; a Clock's
# fresh subclass is looked up by its base).
EXTRA_ATTRS = MappingProxyType({
    Match: _resolvers(Match, MATCH_ATTRS), Pattern: _resolvers(Pattern, PATTERN_ATTRS),
    Clock: _resolvers(Clock, CLOCK_ATTRS),
})

def _shared(make: Callable[[], Namespace]) -> Callable[[Any], Namespace]:
    """The maker of a facade that holds nothing of any domain: its values (C functions,
    constants, tamed functions: all frozen) are made once per process, at the first
    import, and each domain gets its own namespace over them (a C{Namespace} and its table
    are objects trusted code could change, and domains share no mutable object)."""
    once = functools.cache(make)

    def maker(domain: Any) -> Namespace:
        made = once()
        return Namespace(made.name, made.items)
    return maker


FACADE_MAKERS: MappingProxyType = MappingProxyType({
    "math": _shared(make_math),
    "random": lambda domain: make_random(domain.rng),  # the domain's own generator
    "string": _shared(make_string),
    "json": _shared(make_json),
    "re": _shared(make_re),
})
