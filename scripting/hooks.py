# -*- test-case-name: tests.scripting.test_pipeline -*-
"""The runtime side of every C{$}-named hook the rewriter emits.

C{HOOK_NAMES} must equal C{scripting.rewrite.EMITTED} (a contract test checks it). Domain-wide
hooks are made once per domain (C{make_domain_hooks}); the countdown hooks C{$tick} and C{$lam}
are made once per module instance, because each refills that module's own C{$t}.
"""

from __future__ import annotations

import functools
import math
import operator
import re
import sys
import weakref
from collections.abc import Callable
from itertools import chain, islice
from types import BuiltinFunctionType, CellType, FunctionType, MappingProxyType, MethodType
from typing import Any
from weakref import ref

from zope.security.interfaces import ForbiddenAttribute, Unauthorized
from zope.security.proxy import Proxy, getChecker

from scripting import charge
from scripting.charge import (
    EQ,
    MAX_INT_BITS,
    MAX_WIDTH,
    SHORT_LEAF,
    SIZED,
    abort,
    chars,
    compared,
    hash_work,
    inert,
    int_bits,
    items,
    keyed,
    leaves,
    materialise,
    pairs,
    presize,
    reserve,
    scan,
    search,
    ticking,
    ticks,
    weight,
)
from scripting.classes import ScriptObject, ScriptType
from scripting.exceptions import NAMED_EXCEPTIONS
from scripting.facets.checkers import offered
from scripting.guards import (
    FAST_KINDS,
    INSTANCE_RESOLVERS,
    PLAIN,
    SMALL,
    instance_attr,
    plain_types,
)
from scripting.lean import lean
from scripting.rewrite import ATTR_PREFIX, BUILTIN_PREFIX
from scripting.tamed import TamedFunction, tamed
from scripting.task import STATE, Abort, set_countdown

HOOK_NAMES = frozenset({
    "$getattr", "$write", "$iadd", "$imul", "$ipow", "$ilshift", "$imod", "$ior", "$augattr",
    "$isub", "$iand", "$ixor", "$augitem", "$mul", "$pow", "$lshift", "$add",
    "$mod", "$in", "$star", "$kwargs", "$dstar", "$citer", "$giter", "$tick", "$lam",
    "$import", "$importfrom", "$format", "$fjoin", "$slice", "$sub", "$or", "$and", "$xor",
    "$cmp", "$cc", "$hk", "$sset", "$augslice", "$ustar", "$cmark", "$ckept", "$caught",
    "$raise", "$gen", "$riter",
})
#: generators (of generator functions, lambdas and expressions) one domain's scripts may
#: hold alive at once (see L{gen}): CPython frees a chain of paused generators recursively
#: in C, and 3.13 overflows an 8 MiB stack freeing one about 37 000 long
GENERATORS_MAX = 10_000
# rewrite._as_function
DATA_NAMES = frozenset({"$t", "$least", "$value", "$l", "$c", "$r", "$q", "$main", "$cell",
                        "$inner"})  # (and rewrite.INNER)

BASIC = frozenset({type(None), bool, int, float, complex, str, bytes})
_SEQ = (str, bytes, list, tuple)
_DICT_KEYS: type = type({}.keys())
_DICT_ITEMS: type = type({}.items())
_DICT_VALUES: type = type({}.values())
_HASHED = frozenset({dict, set, frozenset, _DICT_KEYS, _DICT_ITEMS})
_CITER_SIZED = frozenset({tuple, str, bytes, range, frozenset, dict, set, _DICT_KEYS,
                          _DICT_ITEMS, _DICT_VALUES})
_SUPER_THISCLASS = super.__thisclass__.__get__  # type: ignore[attr-defined]
_SUPER_SELFCLASS = super.__self_class__.__get__  # type: ignore[attr-defined]
_OBJECT_DICT = object.__getattribute__
_EXC_ARGS = BaseException.args.__get__  # type: ignore[attr-defined]
_EXC_CONTEXT = BaseException.__dict__["__context__"].__get__
_SET_CONTEXT = BaseException.__dict__["__context__"].__set__
_SET_CAUSE = BaseException.__dict__["__cause__"].__set__
_SET_TRACEBACK = BaseException.__dict__["__traceback__"].__set__
_TRACEBACK = BaseException.__dict__["__traceback__"].__get__
# The C getters: no class or function a script makes can override them.
_TYPE_NAME = type.__dict__["__name__"].__get__
_FUNCTION_NAME = FunctionType.__dict__["__name__"].__get__
_FUNCTION_CODE = FunctionType.__dict__["__code__"].__get__
_METHOD_FUNC = MethodType.__dict__["__func__"].__get__


def _offered(facet: Any) -> str:
    """
    What a facet offers, for the error of asking it for something else
    (the role's public names, as 'help facets' lists them, and the
    operations it allows: L{scripting.facets.checkers.offered}).
    """
    shown = offered(getattr(getChecker(facet), "names", ()))
    return f"; it offers {shown}" if shown else ""


def _denied(obj: Any, name: str) -> AttributeError:
    if obj is None:  # the most common slip: a lookup that found nothing
        return AttributeError(f"'NoneType' object has no attribute {name!r}")
    return AttributeError(f"attribute {name!r} is not available to scripts here")


# -- arithmetic preflight ------------------------------------------------------------------

def _bits(x: Any) -> int:
    return x.bit_length() if type(x) is int or type(x) is bool else 0


def mul(a: Any, b: Any) -> Any:
    """
    C{a * b}, size-checked and charged before it is built.
    """
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        n = a.bit_length() + b.bit_length()
        if n > 4096:
            int_bits(n)
        return a * b
    if ta is float or tb is float:
        return a * b
    if ta in _SEQ or tb in _SEQ:
        seq, n = (a, b) if ta in _SEQ else (b, a)
        if type(n) is not int and type(n) is not bool:
            raise TypeError("a sequence can only be repeated by an int")
        size = len(seq) * max(int(n), 0)
        if type(seq) is str or type(seq) is bytes:
            chars(size, type(seq) is str and not seq.isascii())
        else:
            items(size)
        return a * b
    return a * b


def pow_(a: Any, b: Any, m: Any = None) -> Any:
    """
    C{pow(a, b[, m])} and C{a ** b}, charged for the size of the result.
    """
    ta, tb = type(a), type(b)
    if m is not None:
        if type(m) is int and tb is int and ta is int:
            ticks(b.bit_length() * (m.bit_length() // 64 + 1) ** 2 // 64 + 1)
        return pow(a, b, m)
    if (ta is int or ta is bool) and (tb is int or tb is bool):
        if b > 1 and a not in (0, 1, -1):
            if b > MAX_INT_BITS:
                abort("tried to build an integer that is too large")
            int_bits(int(b * math.log2(abs(a))) + 1)
        return a ** b
    return a ** b


def lshift(a: Any, b: Any) -> Any:
    """
    C{a << b}, refused when the result would be too large an integer.
    """
    if (type(a) is int or type(a) is bool) and (type(b) is int or type(b) is bool) and a:
        int_bits(a.bit_length() + max(b, 0))
    return a << b


def add(a: Any, b: Any) -> Any:
    """
    C{a + b}, charged for concatenating sequences.
    """
    ta = type(a)
    if ta is int or ta is float:
        return a + b
    if ta in _SEQ and type(b) is ta:
        n = len(a) + len(b)
        if ta is str:
            if n > SHORT:
                chars(n, not (a.isascii() and b.isascii()))
        elif ta is bytes:
            if n > SHORT:
                chars(n)
        else:
            items(n)
    return a + b


SHORT = 64  # a string this short is not worth charging (it bounds memory per tick)


_COPIED = frozenset({set, frozenset, dict})


def charge_setop(a: Any, b: Any) -> None:
    """C{a - b}, C{a | b}, C{a & b}, C{a ^ b} on sets and dicts: charged the copy."""
    if type(a) in _COPIED or type(b) in _COPIED:
        items((len(a) if type(a) in _COPIED else 0) + (len(b) if type(b) in _COPIED else 0))
        for x in (a, b):
            if type(x) in _COPIED:
                hash_work(x)


def sub(a: Any, b: Any) -> Any:
    """
    C{a - b}: numbers pass; sets and dicts are charged the copy.
    """
    ta = type(a)
    if ta is not int and ta is not float:
        charge_setop(a, b)
    return a - b


def or_(a: Any, b: Any) -> Any:
    """
    C{a | b}: numbers pass; sets and dicts are charged the copy.
    """
    ta = type(a)
    if ta is not int and ta is not bool:
        charge_setop(a, b)
    return a | b


def and_(a: Any, b: Any) -> Any:
    """
    C{a & b}: numbers pass; sets and dicts are charged the copy.
    """
    ta = type(a)
    if ta is not int and ta is not bool:
        charge_setop(a, b)
    return a & b


def xor(a: Any, b: Any) -> Any:
    """
    C{a ^ b}: numbers pass; sets and dicts are charged the copy.
    """
    ta = type(a)
    if ta is not int and ta is not bool:
        charge_setop(a, b)
    return a ^ b


_PRINTF = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?(.?)", re.DOTALL)


def check_printf(fmt: Any) -> int:
    """Refuse '*' and over-wide fields; return the total of all widths and precisions."""
    if len(fmt) > SMALL:
        scan(len(fmt))
    text = fmt if type(fmt) is str else fmt.decode("latin-1")
    total = 0
    for m in _PRINTF.finditer(text):
        for part in (m.group(1), m.group(2)):
            if part is None:
                continue
            if part == "*":
                raise ValueError("'*' widths are not allowed in % formatting")
            if len(part) > 5 or int(part) > MAX_WIDTH:
                raise ValueError(f"format widths above {MAX_WIDTH} are not allowed")
            total += int(part)
    return total


def mod(a: Any, b: Any) -> Any:
    """
    C{a % b}: printf-style formatting size-checked and charged; numbers as usual.
    """
    ta = type(a)
    if ta is int or ta is float:
        return a % b
    if ta is str or ta is bytes:
        widths = check_printf(a)
        chars(len(a) + widths + presize(b))
        out = a % b
        if ta is str and type(b) not in BASIC:
            out = scrub(out)
        return out
    return a % b


_INPLACE = {
    "+": operator.iadd, "-": operator.isub, "*": operator.imul, "/": operator.itruediv,
    "//": operator.ifloordiv, "%": operator.imod, "**": operator.ipow, "<<": operator.ilshift,
    ">>": operator.irshift, "|": operator.ior, "^": operator.ixor, "&": operator.iand,
}


def iadd(a: Any, b: Any) -> Any:
    """C{a += b} for a name (in place for lists, as in Python). Two strings are charged as
    C{add} charges them (the length of the new string: another reference to C{a} makes
    CPython copy it whole), without calling it."""
    ta = type(a)
    if ta is int or ta is float:
        return a + b
    if ta is str and type(b) is str:
        n = len(a) + len(b)
        if n > SHORT:
            chars(n, not (a.isascii() and b.isascii()))
        return a + b
    if ta is list:
        b = materialise(b)
        items(len(a) + len(b))
        a += b
        return a
    return add(a, b)


def imul(a: Any, b: Any) -> Any:
    """
    C{a *= b}, with the preflight of C{a * b} (lists grow in place).
    """
    if type(a) is list:
        mul(a, b)  # charge
        a *= b
        return a
    return mul(a, b)


def ipow(a: Any, b: Any) -> Any:
    """
    C{a **= b}, with the preflight of C{a ** b}.
    """
    return pow_(a, b)


def ior(a: Any, b: Any) -> Any:
    """
    C{a |= b}, with the preflight of C{a | b}.
    """
    return aug("|", a, b)


def isub(a: Any, b: Any) -> Any:
    """
    C{a -= b}, with the preflight of C{a - b} (a set's elements of equal hash compared).
    """
    return aug("-", a, b)


def iand(a: Any, b: Any) -> Any:
    """
    C{a &= b}, with the preflight of C{a & b}.
    """
    return aug("&", a, b)


def ixor(a: Any, b: Any) -> Any:
    """
    C{a ^= b}, with the preflight of C{a ^ b}.
    """
    return aug("^", a, b)


def aug(op: str, a: Any, b: Any) -> Any:
    """C{a op= b}, with the same preflight as the binary operator."""
    if op == "+":
        if type(a) is list:
            b = materialise(b)
            items(len(a) + len(b))
            a += b
            return a
        return add(a, b)
    if op == "*":
        if type(a) is list:
            mul(a, b)  # charge
            a *= b
            return a
        return mul(a, b)
    if op == "**":
        return pow_(a, b)
    if op == "<<":
        return lshift(a, b)
    if op == "%":
        return mod(a, b)
    if op in "|&^-":
        ta = type(a)
        if ta is dict and op == "|":
            return _INPLACE[op](a, pairs(b))  # any mapping or iterable of pairs, as update
        if ta is set or ta is dict:
            if type(b) not in SIZED:
                b = materialise(b)  # dict |= iterable-of-pairs would iterate it in C
            items(len(a) + len(b))
            hash_work(b)
        elif ta is not int and ta is not bool and ta is not float:
            charge_setop(a, b)  # no in-place method (a frozenset): what C{a | b} does
    return _INPLACE[op](a, b)


# -- comparisons ------------------------------------------------------------------------------

_COMPARE = (operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge)
_TREES = charge._TREES


def cmp(a: Any, b: Any, op: int) -> Any:
    """C{a == b} etc.: containers by L{charge.compared} (natively, charged the smaller tree,
    when neither holds a script object; else walked a step at a time; one compared with
    itself too: C still visits every slot); two strings or two bytes by their common
    length (L{charge.leaves})."""
    ta = type(a)
    if ta in _TREES and type(b) in _TREES:
        return compared(a, b, op)
    if ta is str or ta is bytes:
        leaves(a, b)
    return _COMPARE[op](a, b)


def hk(key: Any) -> Any:
    """A dict key, set element or index: hashing a tuple walks it (aliases included), a
    tuple or frozenset found with an equal hash is compared with it in depth, and a long
    string or bytes with an equal one byte by byte (L{charge.keyed})."""
    tk = type(key)
    if tk is frozenset or tk is tuple or tk is str or tk is bytes:
        keyed(key)
    return key


def cv(x: Any) -> Any:
    """An operand of a chained comparison, as its pair is compared: charged what comparing
    it can cost C (its whole tree if it is a container, long strings in it by their
    length, as L{charge.weight}), and refused if it is or holds a script object."""
    tx = type(x)
    if tx in _TREES or ((tx is str or tx is bytes) and len(x) > SHORT_LEAF):
        weight(x)
    if (tx in _TREES and not inert(x)) or isinstance(tx, ScriptType):
        raise TypeError("a chained comparison may not compare your objects, or containers "
                        "holding them: compare them one pair at a time")
    return x


def cc(ops: tuple, *operands: Any) -> Any:
    """C{operands[0] <ops[0]> operands[1] <ops[1]> ...} (C{ops} index C{==, !=, <, <=, >,
    >=, is, is not}): each pair's operands checked by L{cv} (charged, no script object)
    the moment the pair is compared, and nothing runs between that check and C's
    comparison, so code in a later operand cannot change an earlier one after it was
    charged. The rewriter calls it for one pair at a time; in a class body or a
    comprehension's iterable, where it can bind no temporary, for a whole chain whose
    operands were all evaluated first."""
    out: Any = True
    for i, op in enumerate(ops):
        a = operands[i]
        b = operands[i + 1]
        if op >= 6:
            out = a is b if op == 6 else a is not b
        else:
            cv(a)
            cv(b)
            out = _COMPARE[op](a, b)
        if i + 1 < len(ops) and not out:
            return out
    return out


# -- membership, unpacking, iteration ------------------------------------------------------

def contains(item: Any, container: Any) -> bool:
    """C{item in container}, charged by the work CPython will do."""
    tc = type(container)
    if tc in _HASHED:
        # hashing a tuple walks it, comparing one found equal walks both; a long string
        # found equal is compared byte by byte
        keyed(item)
        return item in container
    if tc is list or tc is tuple or tc is _DICT_VALUES:
        n = len(container)
        if n > 32:
            ticks(n >> 5)
        return search(container, item, "__contains__")  # each element compared with item
    if tc is str or tc is bytes:
        if len(container) > SMALL:
            scan(len(container))
        return item in container
    if tc is range:
        if type(item) is not int and type(item) is not bool:
            ticks(len(container))
        return item in container
    if tc is Proxy or (isinstance(tc, ScriptType) and hasattr(tc, "__contains__")):
        return item in container  # its own __contains__ (script code, ticked) answers
    # anything else C would iterate (an iterator, a script object with only __iter__ or
    # __getitem__), comparing each element with item: walked here instead
    for x in ticking(container):
        # each element compared as C does, C{item == x} (containers in depth: charged, a
        # script object's comparison a step at a time)
        if x is item or compared(item, x, EQ, True):
            return True
    return False


def star(x: Any) -> Any:
    """C{*x} in a call or a display (a set display hashes every element: charged)."""
    if type(x) in SIZED:
        items(len(x))
        hash_work(x)
        return x
    out = tuple(materialise(x))
    hash_work(out)
    return out


def kwargs(k: Any) -> dict:
    """
    The C{**k} of a call: a dict whose keys are public names, charged per item.
    """
    if type(k) is not dict:
        raise TypeError("** needs a dict")
    items(len(k))
    for key in k:
        if type(key) is not str or key.startswith("_"):
            raise TypeError("keyword argument names must be strings not starting with '_'")
    return k


def dstar(d: Any) -> dict:
    """
    The C{**d} of a dict display: a dict, charged per item and for hashing.
    """
    if type(d) is not dict:
        raise TypeError("** in a dict display needs a dict")
    items(len(d))
    hash_work(d)
    return d


def citer(it: Any, cost: Any) -> Any:
    """A comprehension's iterable: C{cost} ticks per element (the rewriter counts what each
    element builds); known sizes are charged up front.

    A list may grow while the comprehension runs (C{[xs.append(x) for x in xs]}): the
    elements it has now are charged up front and iterated in C, and any element past
    them goes through a L{charge.Ticking} that charges as it goes (both read the one list
    iterator, so none is visited twice or skipped)."""
    tp = type(it)
    if tp in _CITER_SIZED:
        n = len(it)
        reserve(n)  # settled by `$ckept` when the comprehension ends
        ticks(n * cost)
        return it
    if tp is list:
        n = len(it)
        reserve(n)
        ticks(n * cost)
        rest = iter(it)
        return chain(islice(rest, n), ticking(rest, cost))
    return ticking(it, cost)


def cmark() -> int:
    """Where a list, set or dict comprehension starts: the task's comprehension
    reservations so far (L{ckept} settles the ones made after it)."""
    t = STATE.task
    if t is None:
        raise Abort("script code may only run inside a task")
    return t.reserved


def ckept(mark: int, result: Any) -> Any:
    """Where a list, set or dict comprehension ends: its memory charge becomes what it keeps.

    L{citer} charges a slot for every element it will walk before the first one runs, so
    that a comprehension never builds more than the task may hold; once it is built, the
    result holds C{len(result)} slots. What was reserved past that is given back (a walk
    that keeps nothing costs no memory), and a result longer than the reservation (a list
    that grew while it was walked) pays the difference. Only reservations made since
    C{mark} are settled: one nested inside settled its own, and one whose comprehension
    raised stays reserved until an enclosing comprehension ends (or for good)."""
    t = STATE.task
    if t is None:
        raise Abort("script code may only run inside a task")
    reserved = t.reserved - mark
    if reserved < 0 or mark < 0:  # only `cmark` makes marks; never give back more
        reserved = 0
    else:
        t.reserved = mark
    kept = 8 * len(result)
    if kept > reserved:
        t.charge_memory(kept - reserved)
    elif t.aborted is None:
        left = t.memory_left + reserved - kept
        t.memory_left = left if left < t.budget.memory else t.budget.memory
    return result


def riter(it: Any) -> Any:
    """C{$riter}: the iterable of a comprehension's generator over C{$b.range(...)}, whose
    target the rewritten body reads as exactly an int, untested (L{scripting.rewrite}
    C{_Rewriter._ranged}). C{$b.range} is the real C{range} unless an endowment is named
    C{range} (L{builtin_values}): anything but a real range is walked through
    L{_exact_int}, so an element that is not exactly an int stops there, before the body
    reads it."""
    if type(it) is range:  # lean: called inline, once per comprehension
        return it
    return map(_exact_int, iter(it))


def _exact_int(x: Any) -> int:
    if type(x) is not int:
        raise TypeError(f"range() gave a {type(x).__name__} where an int was expected")
    return x


def giter(it: Any, cost: Any) -> Any:
    """
    An iterator over C{it} charging C{cost} ticks per element (generator expressions).
    """
    return ticking(it, cost)


TOO_MANY_GENERATORS = (f"too many generators alive at once ({GENERATORS_MAX:,} at most)"
                       .replace(",", " "))

# Given to C{gen} by C{lean()}: the domain's set of live generators (a weak reference to
# each, with C{FORGET}, the set's C{discard}, as its callback), and its C{add}.
LIVE: set
ADD: Callable[[Any], None]
FORGET: Callable[[Any], None]


def gen(g: Any) -> Any:
    """C{$gen}, lean: C{g}, a generator a script of the domain just made, counted while it
    lives; past L{GENERATORS_MAX} alive at once, the task is aborted instead (and C{g},
    which nothing else holds, is freed).

    The rewriter wraps every generator expression in it, and every call of a generator
    function (or lambda): the function becomes a plain one with the same parameters,
    which makes the generator of an inner one and hands it here (see
    L{scripting.rewrite.INNER}). So however a script links generators (one
    holding the next in its frame, through C{yield from}, closures, lists, lazy builtins,
    started or not), a chain of them is never longer than the limit, whatever the budget;
    the generator's death (refcount or collector) takes its weak reference out of C{LIVE}
    (C{set.discard}: no Python code runs then)."""
    if len(LIVE) >= GENERATORS_MAX:  # noqa: F821 - given by lean()
        too_many_generators()
    ADD(ref(g, FORGET))  # noqa: F821 - given by lean()
    return g


def too_many_generators() -> None:
    """Abort the running task: its domain holds L{GENERATORS_MAX} generators already."""
    raise charge.task().abort(TOO_MANY_GENERATORS)


def slice_bounds(lo: Any, hi: Any, step: Any) -> None:
    """
    @raise TypeError: a bound that is not an int or None. (A slice hashes its bounds
        since Python 3.12: a tuple there would be walked in C, uncharged.)
    """
    for x in (lo, hi, step):
        tx = type(x)
        if tx is not int and x is not None and tx is not bool:
            raise TypeError("slice indices must be integers or None")


def slice_(obj: Any, lo: Any, hi: Any, step: Any) -> Any:
    """
    C{obj[lo:hi:step]}, charged for the size of the slice.
    """
    slice_bounds(lo, hi, step)
    tp = type(obj)
    s = slice(lo, hi, step)
    if tp is str or tp is bytes or tp is list or tp is tuple:
        n = len(range(*s.indices(len(obj))))
        if tp is str or tp is bytes:
            chars(n)
        else:
            items(n)
    return obj[s]


def set_slice(obj: Any, s: slice, value: Any) -> None:
    """C{obj[s] = value}: a list takes the items of C{value} (materialised, charged) and
    moves its tail (charged); anything else answers as it would natively."""
    slice_bounds(s.start, s.stop, s.step)
    if type(obj) is list:
        if type(value) in SIZED:
            items(len(value))
        else:
            value = materialise(value)
        ticks((len(obj) >> 5) + 1)
    obj[s] = value


def del_slice(obj: Any, s: slice) -> None:
    """C{del obj[s]}: a list moves its tail (charged)."""
    slice_bounds(s.start, s.stop, s.step)
    if type(obj) is list:
        ticks((len(obj) >> 5) + 1)
    del obj[s]


class SliceTarget:
    """What C{xs[a:b] = it} and C{del xs[a:b]} assign through (C{$sset(xs)}): never held
    by a script, only ever the container of the store or delete the rewriter wrote."""

    __slots__ = ("obj",)
    obj: Any

    def __setitem__(self, s: slice, value: Any) -> None:
        set_slice(self.obj, s, value)

    def __delitem__(self, s: slice) -> None:
        del_slice(self.obj, s)

    def __repr__(self) -> str:
        return "<slice target>"


def sset(obj: Any) -> SliceTarget:
    """
    C{$sset}: the stand-in for C{obj} as the target of a slice store or delete.
    """
    target = SliceTarget.__new__(SliceTarget)
    target.obj = obj
    return target


def augslice(obj: Any, lo: Any, hi: Any, step: Any, op: str, value: Any) -> None:
    """
    C{obj[lo:hi:step] op= value}: read, combine and store back, each step charged.
    """
    set_slice(obj, slice(lo, hi, step), aug(op, slice_(obj, lo, hi, step), value))


class Unpacking:
    """The items of a C{for} or comprehension whose target is starred (C{for a, *b in
    rows}): each item a sequence of known length, or materialised (charged) first, since
    C unpacks all of it."""

    __slots__ = ("it",)
    it: Any

    def __iter__(self) -> Unpacking:
        return self

    def __next__(self) -> Any:
        item = next(self.it)
        if type(item) in SIZED:
            items(len(item))
            return item
        return tuple(materialise(item))

    def __repr__(self) -> str:
        return "<iterator>"


def ustar(iterable: Any) -> Unpacking:
    """
    C{$ustar}: the items of C{iterable}, each ready to be unpacked with a star.
    """
    out = Unpacking.__new__(Unpacking)
    out.it = iter(iterable)
    return out


# -- formatting -----------------------------------------------------------------------------

_DIGITS = re.compile(r"\d+")


def check_spec(spec: Any) -> None:
    """
    @raise TypeError: C{spec} is not a string.
    @raise ValueError: a format spec too long, or with too large a width.
    """
    if type(spec) is not str:
        raise TypeError("a format spec must be a string")
    if len(spec) > 64:
        raise ValueError("format spec too long")
    for run in _DIGITS.findall(spec):
        if len(run) > 5 or int(run) > MAX_WIDTH:
            raise ValueError(f"format widths above {MAX_WIDTH} are not allowed")


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def scrub(text: str) -> str:
    """Remove memory addresses from CPython's default reprs (no address leaks, rule 19)."""
    return _ADDRESS.sub("", text) if " at 0x" in text else text


def safe_str(x: Any) -> str:
    """
    C{str(x)} for scripts: charged, and never an address.
    """
    tx = type(x)
    if tx is str:
        return x
    if tx in BASIC and tx is not bytes:
        s = str(x)
        if len(s) > 64:
            chars(len(s))
        return s
    presize(x)
    s = str(x)
    if type(s) is not str:
        raise TypeError("__str__ returned a non-string")
    if len(s) > 64:
        chars(len(s))
    return scrub(s)


def safe_repr(x: Any) -> str:
    """
    C{repr(x)} for scripts: size-checked first, charged, and never an address.
    """
    presize(x)
    s = repr(x)
    if type(s) is not str:
        raise TypeError("__repr__ returned a non-string")
    if len(s) > 64:
        chars(len(s))
    return scrub(s)


def safe_ascii(x: Any) -> str:
    """
    C{ascii(x)} for scripts: size-checked first, charged, and never an address.
    """
    presize(x)
    s = ascii(x)
    if len(s) > 64:
        chars(len(s))
    return scrub(s)


def fjoin(parts: tuple) -> str:
    """An f-string: its parts are charged before they are joined (a short part may repeat)."""
    total = 0
    for p in parts:
        total += len(p)
    if total > 64:
        chars(total)
    return "".join(parts)


def format_value(value: Any, conversion: int, spec: Any) -> str:
    """C{f"{value!c:spec}"}: conversion, then a width-checked C{format}."""
    if conversion == 115:
        value = safe_str(value)
    elif conversion == 114:
        value = safe_repr(value)
    elif conversion == 97:
        value = safe_ascii(value)
    if spec:
        check_spec(spec)
    tv = type(value)
    if tv is str and not spec:
        return value
    if tv not in BASIC:
        presize(value)
        out = scrub(format(value, spec))
    else:
        out = format(value, spec)
    if len(out) > 64:
        chars(len(out))
    return out


# -- per-domain hooks ----------------------------------------------------------------------

def safe_exc_args(args: tuple, meta: type, depth: int = 0) -> tuple:
    """Exception args a script may see: basic values, its own objects, facets; else a marker."""
    out: list[Any] = []
    if depth > 4:
        return ("<object>",)
    if len(args) > 64:
        args = args[:64]
    for a in args:
        ta = type(a)
        if ta is str:
            out.append(scrub(a))
        elif ta in BASIC or type(ta) is meta or ta is meta or ta is Proxy:
            out.append(a)
        elif ta is tuple:
            out.append(safe_exc_args(a, meta, depth + 1))
        else:
            out.append("<object>")
    return tuple(out)


def make_domain_hooks(domain: Any) -> dict[str, Any]:
    """The hooks shared by every module of one domain (they know the domain's own classes)."""
    meta = domain.meta
    namespace_type = domain.namespace_type
    facade_classes = domain.facade_classes
    resolvers = INSTANCE_RESOLVERS
    extra_attrs = domain.extra_attrs

    attribute_types = domain.attribute_types
    cache = attribute_types.cache  # exact type -> decisions, for the lean `$getattr`

    def defined_by_script(cls: type, name: str) -> bool:
        for k in cls.__mro__:
            if type(k) is meta and name in k.__dict__:
                return True
        return False

    def plain_class(cls: type) -> bool:
        """Every class of its MRO is this domain's, ScriptObject or object: then every
        attribute with a public name an instance has was set or defined by the script."""
        return all(type(k) is meta or k is ScriptObject or k is object for k in cls.__mro__)

    def getattr_hook(obj: Any, name: Any) -> Any:
        tp = type(obj)
        res = resolvers.get(tp)
        if res is not None:
            kind = res.get(name)
            if kind is PLAIN:
                return getattr(obj, name)
            return instance_attr(obj, tp, name)
        if type(name) is not str:
            raise TypeError("attribute name must be a string")
        if name == "__name__":
            return name_of(obj)
        if type(tp) is meta:  # an instance of one of this domain's classes
            if name.startswith("_"):
                raise _denied(obj, name)
            if plain_class(tp):
                # Any public name reads natively; each is remembered as it is first read
                # (and the class enters that name's `$a.` table), so that later reads of
                # it skip this hook, inline or through the lean one.
                names = cache.get(tp)
                if names is None:
                    if len(cache) >= CACHE_MAX:
                        cache.clear()
                        cache.update(own_kinds())
                    names = cache[tp] = {}
                if len(names) < NAMES_MAX:
                    names[name] = PLAIN
                attribute_types.allow(tp, name)
            try:
                own = name in _OBJECT_DICT(obj, "__dict__")
            except AttributeError:
                own = False
            if own or defined_by_script(tp, name):
                return getattr(obj, name)
            if name == "args" and isinstance(obj, BaseException):
                return safe_exc_args(_EXC_ARGS(obj), meta)
            raise AttributeError(f"'{tp.__name__}' object has no attribute {name!r}")
        if tp is meta:  # one of this domain's classes
            if not name.startswith("_") and defined_by_script(obj, name):
                return getattr(obj, name)
            raise AttributeError(f"class {obj.__name__!r} has no attribute {name!r}")
        if tp is Proxy:  # a facet: its checker decides; its errors carry no live objects
            if name.startswith("_"):
                raise _denied(obj, name)
            try:
                return getattr(obj, name)
            except (ForbiddenAttribute, Unauthorized):
                pass
            raise AttributeError(f"{name!r} is not available on this object" + _offered(obj))
        if tp is namespace_type:
            return obj.lookup(name)
        if tp in facade_classes:
            return obj.attribute(name)
        if tp is super:
            this = _SUPER_THISCLASS(obj)
            selfclass = _SUPER_SELFCLASS(obj)
            if type(this) is meta and selfclass is not None and (name == "__init__" or (
                    not name.startswith("_") and defined_by_script(selfclass, name))):
                return getattr(obj, name)
            raise _denied(obj, name)
        allowed = extra_attrs.get(tp) or extra_attrs.get(tp.__base__)
        if allowed is not None and not name.startswith("_"):
            kind = allowed.get(name)
            if kind is PLAIN:
                return getattr(obj, name)
            if kind is not None:
                bound = kind.__new__(kind)
                bound.obj = obj
                return bound
        if isinstance(obj, BaseException) and name == "args":
            return safe_exc_args(_EXC_ARGS(obj), meta)
        raise _denied(obj, name)

    def name_of(obj: Any) -> str:
        """C{obj.__name__}, for what has a name a script may know: its classes, the
        exception classes and builtin types it can name, its functions and methods, and
        the builtins."""
        tp = type(obj)
        if tp is meta or (tp is type and obj in NAMED_EXCEPTIONS):
            return _TYPE_NAME(obj)
        if tp in facade_classes:
            return _TYPE_NAME(obj.real)
        if tp is MethodType:
            obj = _METHOD_FUNC(obj)
            tp = type(obj)
        if tp is FunctionType and _FUNCTION_CODE(obj).co_filename.startswith("<script:"):
            return _FUNCTION_NAME(obj)
        if tp is BuiltinFunctionType or isinstance(obj, TamedFunction):
            return repr(obj).removeprefix("<built-in function ").removesuffix(">")
        raise AttributeError(f"'{_TYPE_NAME(tp)}' object has no attribute '__name__'")

    def import_(name: str) -> Any:
        return domain.import_module(name)

    hooks = dict(_shared_hooks())
    # What knows the domain: two tamed closures, and lean functions over them.
    full_getattr = tamed("$getattr", getattr_hook)
    importer = hooks["$import"] = tamed("$import", import_)
    hooks["$importfrom"] = lean(importfrom, IMPORT=importer, GETATTR=full_getattr)
    hooks["$augattr"] = lean(augattr, GETATTR=full_getattr)
    # The hot hooks: plain functions over audited namespaces (scripting.lean), each
    # domain's own (lean() remembers what their names resolve to: cheap to make again).
    hooks["$getattr"] = lean(getattr_fast, {"CACHE": cache}, SLOW=full_getattr)
    hooks["$write"] = lean(write, META=meta)
    live: set = domain.generators
    hooks["$gen"] = lean(gen, {"LIVE": live}, ADD=live.add, FORGET=live.discard)
    for name, fn in (("$iadd", iadd), ("$imul", imul), ("$mul", mul), ("$add", add),
                     ("$mod", mod), ("$imod", mod), ("$in", contains), ("$citer", citer),
                     ("$format", format_value), ("$fjoin", fjoin), ("$slice", slice_),
                     ("$sub", sub), ("$or", or_), ("$and", and_), ("$xor", xor),
                     ("$cmp", cmp), ("$cc", cc), ("$hk", hk), ("$riter", riter)):
        hooks[name] = lean(fn)
    return hooks


def augitem(obj: Any, key: Any, op: str, value: Any) -> None:
    """C{$augitem}: C{obj[key] op= value}, the operation guarded as C{aug} guards it."""
    obj[key] = aug(op, obj[key], value)


@functools.cache
def _shared_hooks() -> MappingProxyType:
    """The tamed hooks that know no domain, made once per process and shared by every
    domain (a tamed object is frozen, and no script can name a hook)."""
    slow: dict[str, Callable[..., Any]] = {
        "$ipow": ipow, "$ilshift": lshift, "$ior": ior,
        "$isub": isub, "$iand": iand, "$ixor": ixor,
        "$augitem": augitem, "$pow": pow_, "$lshift": lshift, "$star": star,
        "$kwargs": kwargs, "$dstar": dstar, "$giter": giter,
        "$cmark": cmark, "$ckept": ckept,
        "$sset": sset, "$augslice": augslice, "$ustar": ustar,
    }
    return MappingProxyType({name: tamed(name, fn) for name, fn in slow.items()})


# The constants inline guards test against (`scripting.rewrite.GUARDS`): the real `type`
# and `len`, exact types, and tables of them. Immutable, and no script can name them.
GUARD_VALUES = MappingProxyType({
    "$type": type, "$len": len, "$int": int, "$float": float, "$str": str, "$tuple": tuple,
    "$dict": dict, "$set": set,
    "$HASHED": _HASHED,
    # what may cost more than a step to compare: containers, strings and bytes (the
    # guards let strings of at most SHORT_LEAF characters through)
    "$LEAVES": frozenset(_TREES) | {str, bytes},
    "$BIG": 1 << (MAX_INT_BITS // 2), "$NBIG": -(1 << (MAX_INT_BITS // 2)),  # not negated each time
    # ints that `str()` makes at most 64 characters of (`safe_str` charges longer ones)
    "$DEC": 10 ** SHORT, "$NDEC": -(10 ** (SHORT - 1)),
})

#: What a module's C{$b.name} is when the module does not bind C{name} itself (see
#: C{scripting.rewrite.FAST_BUILTINS}).
FAST_BUILTINS = MappingProxyType({"str": str, "int": int, "range": range, "float": float})


def builtin_values(g: dict) -> dict[str, Any]:
    """A module's C{$b.name}s: the real builtin, or what C{g} binds the name to instead
    (an endowment: then the fast branch calls what the name means, as the slow one does).
    C{g} holds its endowments already; nothing else binds a name the script does not."""
    return {BUILTIN_PREFIX + name: g[name] if name in g else real
            for name, real in FAST_BUILTINS.items()}


class AttributeTypes:
    """One domain's C{$a.name} tables: for each attribute name its scripts read, the exact
    types whose instances may have it read natively (without C{$getattr}); and the lean
    C{$getattr}'s C{cache} of decisions per exact type. The domain holds a table weakly:
    it lives as long as a module whose code reads C{name} does.

    A table starts with the basic types whose C{name} is plain (C{guards.FAST_KINDS}); the
    full C{$getattr} adds a class of the domain when an instance's attribute is read and
    every class of its MRO is the domain's (then every public attribute it has is the
    script's own). Tables never hold a facet, a namespace, a facade, another domain's
    class, a subclass of a basic type, or a class with a builtin base (exceptions).

    Both remember the domain's classes, which can be kept alive by nothing else (a class
    made in a function and read once): a module's measured state counts them
    (L{scripting.domain.Domain.measure}), and when any module of the domain is discarded
    or unloaded they forget every class (L{forget_classes}), so that nothing a module
    made outlives it here. A table no module uses any more goes away by itself.
    """

    LIMIT = 256  # types one table keeps (script classes come and go)

    def __init__(self) -> None:
        self.tables: weakref.WeakValueDictionary[str, set] = weakref.WeakValueDictionary()
        self.cache: dict = own_kinds()  # exact type -> decisions, for the lean `$getattr`

    def table(self, name: str) -> set:
        found = self.tables.get(name)
        if found is None:
            found = self.tables[name] = set(plain_types(name))
        return found

    def allow(self, tp: type, name: str) -> None:
        found = self.tables.get(name)
        if found is None or tp in found:
            return
        if len(found) >= self.LIMIT:
            found.clear()
            found.update(plain_types(name))
        found.add(tp)

    def forget_classes(self) -> None:
        """Forget every class of the domain (each table and the cache back to the basic
        types); the classes of modules still loaded come back as they are read."""
        for name, found in list(self.tables.items()):
            found.clear()
            found.update(plain_types(name))
        self.cache.clear()
        self.cache.update(own_kinds())


# Given to each lean hook by C{lean()} (declared here for readers and type checkers only).
CACHE: dict[type, Any]
SLOW: Callable[[Any, str], Any]
META: type

CACHE_MAX = 1024  # types one domain's `$getattr` remembers (script classes come and go)
NAMES_MAX = 256  # names it remembers for one class (`getattr()` can make any number)


def own_kinds() -> dict:
    """A domain's own copy of C{guards.FAST_KINDS} (domains share no mutable object)."""
    return {tp: MappingProxyType(kinds.copy()) for tp, kinds in FAST_KINDS.items()}


def getattr_fast(obj: Any, name: Any) -> Any:
    """C{$getattr}, lean: decisions cached per exact type (the basic values' tables, and
    instances of the domain's plain classes, the public names read so far); all else: the
    full hook. C{name} is a public identifier (the rewriter's constant, or checked by
    C{getattr()})."""
    kinds = CACHE.get(type(obj))  # noqa: F821 - given by lean()
    if kinds is not None:
        kind = kinds.get(name)
        if kind is PLAIN:
            return getattr(obj, name)
        if kind is not None:
            limit, cls = kind
            if limit >= 0 and len(obj) <= limit:
                return getattr(obj, name)
            bound = cls.__new__(cls)
            bound.obj = obj
            return bound
    return SLOW(obj, name)  # noqa: F821 - given by lean()


# Given to C{augattr} and C{importfrom} by C{lean()}: the domain's full C{$getattr} and
# C{$import} (tamed closures over the domain).
GETATTR: Callable[[Any, str], Any]
IMPORT: Callable[[str], Any]


def augattr(obj: Any, name: str, op: str, value: Any) -> None:
    """C{$augattr}, lean: C{obj.name op= value} (C{obj} went through C{$write} first)."""
    setattr(obj, name, aug(op, GETATTR(obj, name), value))  # noqa: F821 - given by lean()


def importfrom(name: str, names: tuple) -> tuple:
    """C{$importfrom}, lean: C{from name import names}, each read as an attribute."""
    module = IMPORT(name)  # noqa: F821 - given by lean()
    out = []
    for n in names:
        try:
            out.append(GETATTR(module, n))  # noqa: F821 - given by lean()
        except AttributeError:
            # (what it exports, and the name meant: the module's own words)
            raise ImportError(f"cannot import name {n!r} from {name!r}"
                              f"{module.missing(n) if type(n) is str else ''}") from None
    return tuple(out)


def write(obj: Any) -> Any:
    """C{$write}: attributes may be set only on the domain's own classes and instances, and
    on facets (whose checker decides)."""
    tp = type(obj)
    if type(tp) is META or tp is META or tp is Proxy:  # noqa: F821 - given by lean()
        return obj
    raise TypeError("you can only set attributes on your own objects")


# Given to C{lam} by C{lean()}: the module's globals, and its C{$tick}.
G: dict
TICK: Callable[[], None]


def lam(cost: int) -> bool:
    """C{$lam}, lean: a lambda's tick point (a lambda cannot hold the countdown's statements),
    counting down the module's cell and calling its C{$tick} (a L{ModuleTick}) below zero.
    A plain function over a namespace of the module's own globals (which every function
    of the script already leads to) and its C{$tick}: CPython calls it inline, where a
    tamed one would start a new interpreter loop for every call of every lambda."""
    cell = G["$t"]  # noqa: F821 - given by lean()
    if type(cell) is not CellType:  # the module's code makes it before anything runs
        TICK()  # noqa: F821 - given by lean(); aborts
        return True
    n = cell.cell_contents - cost
    cell.cell_contents = n
    if n < 0:
        TICK()  # noqa: F821 - given by lean()
    return True


def _look_through(exc: BaseException) -> None:
    """Stop the task if C{exc} or an error in its chain of contexts is a C{RecursionError},
    a tick for every 8 links looked at (about what a loop's step costs); else cut the chain
    after C{exc}, which nothing needs any more: CPython walks the whole chain of the error
    being handled, uncharged, each time another is raised (see L{raise_})."""
    links = 0
    link: BaseException | None = exc
    while link is not None:
        if type(link) is RecursionError:
            raise charge.task().abort("calls nested too deeply")
        link = _EXC_CONTEXT(link)
        links += 1
        if links & 7 == 0:
            ticks(1)
    if links > 1:
        _SET_CONTEXT(exc, None)


def caught() -> None:
    """C{$caught}, the first step of every C{except} handler: a C{RecursionError} stops the
    task instead of being handled. The task's depth probes keep script code far from
    CPython's limit, but C calls between two frames (a script's C{__repr__} printing nested
    lists holding another such object) add up where no frame is; CPython then raises it
    anywhere, trusted code included, which must not be left half-done for the script to
    carry on from. (A C{finally} block cannot swallow one: nothing ends it early.)

    Nor can another exception that replaced it before any handler ran: one a C{finally}
    block raised, or CPython's own when an C{except} clause names no exception class or an
    unbound name. CPython makes the RecursionError its C{__context__} (or that of one
    raised while that was being handled, and so on): the whole chain is looked through,
    then cut after the error handled (L{_look_through}), so that what a handler holds has
    a chain of one link, and one raised inside it of a few.

    An C{except} clause also calls it when a paused generator is closed (C{GeneratorExit}
    is matched against the clause), maybe by the collector in another domain's task: no
    script handler can catch that (none may around a C{yield}), so nothing is walked or
    charged then."""
    exc = sys.exc_info()[1]
    if exc is None or type(exc) is GeneratorExit:
        return
    _look_through(exc)


class _Over(Exception):
    """What L{raise_} raises a script's error over: private, and with no context."""


_NO_CAUSE: Any = object()


def _exception(value: Any, what: str) -> BaseException:
    """What CPython's C{raise} makes of C{value}: a class called, an instance as it is."""
    kind = type(value)  # the real types: nothing a script makes can pass for another
    if issubclass(kind, type):
        if issubclass(value, BaseException):
            made = value()
            if issubclass(type(made), BaseException):
                return made
            raise TypeError(f"calling {value!r} should have returned an instance of "
                            f"BaseException, not {type(made).__name__}")
    elif issubclass(kind, BaseException):
        return value
    raise TypeError(f"exception{what} must derive from BaseException")


def raise_(exc: Any, cause: Any = _NO_CAUSE) -> Any:
    """C{$raise}: what C{raise exc} or C{raise exc from cause} raises, raised here when an
    error is being handled.

    CPython makes the error being handled the context of an error raised, walking the
    whole chain of contexts of the one handled first (uncharged, in C, to avoid making a
    cycle). An error the script holds may already be in the chain of another: a script
    that raised each of a list of its errors inside a handler of the next, where no
    handler of its own saw them (a C{for} loop swallowing a C{StopIteration}, C{getattr}
    with a default an C{AttributeError}), built a chain thousands long for a few ticks a
    link, then had every error raised in a handler of its head walk all of it. So an
    error instance raised while another is handled is raised here over a fresh private
    error with no context, having looked through the handled one's chain as C{$caught}
    does (a C{RecursionError} there stops the task, as it would have in the new error's
    chain). A class raised makes a new instance: CPython raises it (nothing holds it).

    No script reads a context, so it sees only that the error is raised (the same object,
    its cause set as CPython sets it); C{raise exc} returns C{exc} when nothing is
    handled, or C{exc} is what is handled (CPython links nothing then)."""
    if cause is not _NO_CAUSE:
        exc = _exception(exc, "s")
        _SET_CAUSE(exc, None if cause is None else _exception(cause, " causes"))
    handled = sys.exc_info()[1]
    if handled is None or handled is exc or not issubclass(type(exc), BaseException):
        return exc
    _look_through(handled)
    handled = cause = None
    earlier = _TRACEBACK(exc)  # what its earlier raises left
    try:
        raise _Over
    except _Over as over:
        _SET_CONTEXT(over, None)  # (the error handled, or what it raised on)
        _SET_TRACEBACK(over, None)
        try:
            raise exc  # (its context is `over`, on purpose)
        except BaseException:
            # Off its traceback goes this frame's entry, which held the frame (a new
            # one a call) for as long as the script keeps the error: a kept error
            # raised again and again in a handler kept one at every raise. A bare
            # `raise` adds no entry; the script's frame adds its own on the way out.
            if sys.exc_info()[1] is exc:
                _SET_TRACEBACK(exc, earlier)
            earlier = None
            raise


CAUGHT = tamed("$caught", caught)
RAISE = tamed("$raise", raise_)


_NO_DOMAIN = object()


class ModuleTick(TamedFunction):
    """C{$tick} of one module: called by a tick point of its code whose countdown went
    below zero (and by its C{$lam}), it refills the module's countdown in the task
    running now, or aborts. One class for every module (a tamed closure was a new class
    at every load, about a fifth of a small load's time); each module's instance holds
    its globals, which every function of the module leads to already, and nothing else.

    Code runs only inside a task *of its own domain*: a generator of domain A collected by
    the garbage collector while domain B's task runs must not run (nor be charged to B).
    That refusal does not abort B's task; the collector just discards it. A module's
    domain is the one whose builtins its globals hold (L{scripting.domain.Domain._globals}:
    every module and library copy of a domain holds that domain's own mapping, and no two
    domains share one).
    """

    __slots__ = ("_g",)

    def __init__(self, g: dict) -> None:
        self._g = g

    def __call__(self) -> None:
        g = self._g
        task = STATE.task
        if task is None:
            set_countdown(g, 0)
            raise Abort("script code may only run inside a task")
        if g.get("__builtins__") is not getattr(task.domain, "builtins", _NO_DOMAIN):
            set_countdown(g, 0)
            raise Abort("script code may only run inside its own domain's task")
        task.refill(g)

    def __repr__(self) -> str:
        return "<built-in function tick>"


def make_module_hooks(g: dict, domain: Any, attributes: frozenset = frozenset()
                      ) -> dict[str, Any]:
    """C{$tick} (a L{ModuleTick}) and C{$lam} for one module instance: they refill (or
    abort) its countdown."""
    ticker = ModuleTick(g)
    out: dict[str, Any] = {"$tick": ticker, "$lam": lean(lam, {"G": g}, TICK=ticker),
                           "$caught": CAUGHT, "$raise": RAISE}
    out.update(GUARD_VALUES)
    out.update(builtin_values(g))
    table = domain.attribute_types.table
    for name in attributes:
        if type(name) is str and name.isidentifier() and not name.startswith("_"):
            out[ATTR_PREFIX + name] = table(name)
    return out
