# -*- test-case-name: tests.scripting -*-
"""Charging work and memory to the current task, before the work is done.

Every helper here raises C{Abort} (through the task) instead of letting a C call run away.
The cost model is deliberately simple and conservative:

- one tick per element a C function will visit through Python code (callbacks, iterators),
  an eighth of a tick per element it copies or compares in C (a tick is roughly one bytecode
  step of a Python loop),
- one tick per 256 characters/bytes scanned,
- memory charged by the size a result will have (8 bytes per slot, 1 or 4 per char).
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator
from functools import partial
from typing import Any

from scripting.task import STATE, Abort

SMALL = 4096  # sequences at most this long are scanned without an explicit charge
MAX_STR = 8 * 1024 * 1024  # longest string/bytes any one operation may build
MAX_ITEMS = 2_000_000  # most slots any one list/tuple/dict/set operation may build
MAX_INT_BITS = 4096  # largest int arithmetic may build (1233 digits; bounds memory per tick)
MAX_WIDTH = 10_000  # largest width/precision in a format spec
#: deepest nesting of lists, tuples, dicts and sets C may compare, hash, print or sort (it
#: recurses a C call per level: CPython's RecursionError, raised inside trusted code, lies
#: some hundreds of levels below wherever a task stands, see L{scripting.task.MAX_FRAMES})
MAX_NEST = 200
NESTED = "structure nested too deeply"
_UP = object()  # on a walk's stack: the walk leaves a container (one level up)

SIZED = frozenset({str, bytes, tuple, range, frozenset, list, dict, set,
                   type({}.keys()), type({}.values()), type({}.items())})


def task():
    """
    The running task.

    @raise Abort: no task is running.
    """
    t = STATE.task
    if t is None:
        raise Abort("script code may only run inside a task")
    return t


def abort(reason: str) -> None:
    """Abort the current task (terminally) with C{reason}."""
    raise task().abort(reason)


def ticks(n: int) -> None:
    """
    Charge C{n} ticks to the running task.
    """
    task().charge(n)


def items(n: int) -> None:
    """Charge for building or visiting C{n} slots (a C loop step is about 1/8 of a tick)."""
    if n > MAX_ITEMS:
        raise task().abort("tried to build a container that is too large")
    t = task()
    t.charge((n >> 3) + 1)
    t.charge_memory(8 * n)


def reserve(n: int) -> None:
    """Charge a comprehension's walk of C{n} elements up front, as L{items}, and note the
    slots as reserved: L{scripting.hooks.ckept} settles them against what its result keeps."""
    items(n)
    task().reserved += 8 * n


def chars(n: int, wide: bool = False) -> None:
    """Charge for building a string of C{n} characters."""
    if n > MAX_STR:
        raise task().abort("tried to build a string that is too large")
    t = task()
    t.charge(n >> 8)
    t.charge_memory(n * 4 if wide else n)


def scan(n: int) -> None:
    """Charge for reading C{n} characters (no allocation)."""
    if n > SMALL:
        task().charge(n >> 8)


def int_bits(bits: int) -> None:
    """
    Charge for building an integer of C{bits} bits; refuse one too large to build.
    """
    if bits > MAX_INT_BITS:
        raise task().abort("tried to build an integer that is too large")
    if bits > 4096:
        task().charge(bits >> 6)


class Ticking:
    """An iterator that charges one tick per element before pulling it from C.

    A class (not a generator) so that its code lives on the class and nothing reachable from
    an instance leads to trusted globals; and so that chains of lazy iterators
    (C{map(f, map(f, ...))}) recurse through Python frames, which CPython bounds with
    RecursionError, instead of through C, which would overflow the stack.
    """

    __slots__ = ("cost", "it")

    def __init__(self, it: Iterable[Any], cost: int = 1) -> None:
        self.it = iter(it)
        self.cost = cost

    def __iter__(self) -> Ticking:
        return self

    def __next__(self) -> Any:
        t = STATE.task
        if t is None:
            raise Abort("script code may only run inside a task")
        cost = self.cost
        left = t.ticks_left - cost
        if left >= 0 and left >= t.clock_at and t.aborted is None:
            t.ticks_left = left
        else:  # (every REFILL ticks: the clock and the depth, see Task.charge)
            t.charge(cost)
        return next(self.it)

    def __repr__(self) -> str:
        return "<iterator>"


def ticking(it: Iterable[Any], cost: int = 1) -> Iterator[Any]:
    """Iterate C{it}, charging C{cost} ticks per element (for C consumers of unknown iterables)."""
    if type(it) is Ticking and cost == 1:
        return it
    return Ticking(it, cost)


def materialise(it: Iterable[Any]) -> list:
    """A list of the elements of C{it}, charging as it goes (sized builtins in one charge)."""
    if type(it) in SIZED:
        items(len(it))  # type: ignore[arg-type]
        return list(it)
    t = task()
    out: list = []
    append = out.append
    for n, x in enumerate(it, 1):
        if n & 1023 == 0:
            items(1024)
        t.charge(1)
        append(x)
    return out


def presize(obj: Any, limit: int = MAX_STR) -> int:
    """Estimate how long repr()/str()/json of C{obj} will be, charging for the walk.

    Containers can alias one large object many times, so their text can be far larger than
    their memory; this walk counts every reference. Raises C{Abort} beyond C{limit}, or
    when C{obj} is nested deeper than L{MAX_NEST} (C prints a level a call).
    """
    t = task()
    total = 0
    stack = [obj]
    seen = 0
    depth = 0
    while stack:
        x = stack.pop()
        if x is _UP:
            depth -= 1
            continue
        seen += 1
        if seen & 255 == 0:
            t.charge(256)
        tx = type(x)
        if tx is str or tx is bytes:
            total += len(x) + 3
        elif tx is list or tx is tuple or tx is set or tx is frozenset:
            total += 2 + 2 * len(x)
            depth += 1
            if depth > MAX_NEST:
                raise t.abort(NESTED)
            stack.append(_UP)
            stack.extend(x)
        elif tx is dict:
            total += 2 + 4 * len(x)
            depth += 1
            if depth > MAX_NEST:
                raise t.abort(NESTED)
            stack.append(_UP)
            stack.extend(x.keys())
            stack.extend(x.values())
        elif tx is int:
            total += x.bit_length() // 3 + 2
        else:
            total += 24
        if total > limit:
            raise t.abort("tried to build a string that is too large")
        if len(stack) > MAX_ITEMS:
            raise t.abort("tried to build a string that is too large")
    t.charge(seen)
    return total


def str_cost(s: str) -> None:
    """
    Charge for building the string C{s} (wide characters cost more).
    """
    chars(len(s), not s.isascii())


_UNCOLLIDABLE = frozenset({str, bytes})  # randomised hashes: no chosen collisions


def hash_work(keys: Any) -> None:
    """Charge the probing a hash table will do to insert or look up C{keys}.

    Ints (and floats, and tuples of them) hash by value modulo 2**61 - 1, so a script can
    choose any number of keys with one hash; inserting n such keys costs n*n/2 comparisons
    in one C call. Count the keys that really share a hash and charge those pairs (an
    eighth of a tick each); ordinary keys cost one pass. Every key is also charged what
    comparing it with the key of equal hash it finds can cost (L{keyed}: tuples by their
    tree, long strings by their length: C{set([s, t] * n)}, s and t equal long strings,
    compares them n times) -- but C compares a key with the very same object by identity
    first, so a long string is free where it is the same object as the first long string
    of its hash (L{_long_key}: C{set([s] * n)} hashes C{s} once and compares nothing).
    """
    n = len(keys)
    long = 0  # ticks for long strings: inline, as most keys are strings
    firsts: dict | None = None  # hash -> the first long string or bytes of that hash
    if n <= 64:
        for k in keys:
            tk = type(k)
            if tk is str or tk is bytes:
                if len(k) > SHORT_LEAF:
                    if firsts is None:
                        firsts = {}
                    long += _long_key(firsts, k)
            elif tk is tuple or tk is frozenset:
                tree(k)
        if long:
            task().charge(long)
        return
    t = task()
    t.charge(n >> 4)
    for k in keys:
        tk = type(k)
        if tk is str or tk is bytes:
            if len(k) > SHORT_LEAF:
                if firsts is None:
                    firsts = {}
                long += _long_key(firsts, k)
                if long > 65536:
                    t.charge(long)
                    long = 0
        elif tk is tuple or tk is frozenset:
            tree(k)  # hashing a tuple walks it; one found with an equal hash is compared
    if long:
        t.charge(long)
    pairs = collisions(keys)
    if pairs > 64:
        t.charge(pairs >> 3)


def _long_key(firsts: dict, k: Any) -> int:
    """The ticks of long string or bytes C{k} as a key (see L{hash_work}): its length the
    first time its hash is met (hashed, then maybe compared with a key of the table) and
    whenever it is another object than the first of its hash (compared byte by byte);
    nothing when it is that very object (C's identity check; its hash is cached)."""
    h = hash(k)  # what C does to k first anyway (cached on k)
    first = firsts.get(h)
    if first is None:
        firsts[h] = k
    elif first is k:
        return 0
    return len(k) >> 8


def pairs(other: Any) -> Any:
    """What C{dict.update(other)} or C{d |= other} will insert, ready for C to insert with
    nothing left to run but hashing, that hashing charged (L{hash_work} of the I{keys}, not
    of the pairs: pairs of keys sharing a hash differ by their values). A dict as it is; a
    mapping (anything with C{keys}, as C asks) read key by key; otherwise a list of 2-tuples,
    each pair a tuple or list of two or anything C would iterate (a string, a script object
    yielding two items), materialised here, charged. Errors as C's."""
    if type(other) is dict:
        items(len(other))
        hash_work(other)
        return other
    out: list = []
    if hasattr(other, "keys"):
        for k in materialise(other.keys()):
            out.append((k, other[k]))
    else:
        for n, p in enumerate(materialise(other)):
            tp = type(p)
            if tp is not tuple and tp is not list:
                try:
                    p = materialise(p)
                except TypeError:
                    raise TypeError(f"cannot convert dictionary update sequence element #{n} "
                                    "to a sequence") from None
            if len(p) != 2:
                raise ValueError(f"dictionary update sequence element #{n} has length "
                                 f"{len(p)}; 2 is required")
            out.append((p[0], p[1]))
    items(len(out))
    hash_work([k for k, _ in out])
    return out


_SCALARS = frozenset({int, float, complex, bool, type(None)})


def collisions(keys: Any, shallow: bool = False) -> int:
    """How many pairs of C{keys} share a hash (what probing a table of them costs). A hash
    that only one object has (however often it appears: C{set([t] * n)}) makes no pairs:
    C finds that object by identity at its first probe. (Where several objects share a
    hash, an alias probes past the others again: every pair of that hash is counted.)

    C{shallow} (for trusted walks outside a task): only keys that hash in bounded time --
    numbers, and short tuples of numbers and strings -- are hashed."""
    groups: dict[int, int] = {}
    get = groups.get
    for k in keys:
        tk = type(k)  # (_skipped, inline: this runs for every key of every big table)
        if tk in _UNCOLLIDABLE:
            continue
        if shallow and tk not in _SCALARS and not (
                tk is tuple and len(k) <= 16
                and all(type(e) in _SCALARS or type(e) in _UNCOLLIDABLE for e in k)):
            continue
        try:
            h = hash(k)
        except TypeError:
            return 0  # the build will raise before probing much
        groups[h] = get(h, 0) + 1
    pairs = 0
    for g in groups.values():
        if g > 1:
            pairs += g * (g - 1) >> 1
    if pairs <= 64:  # (not worth charging, see hash_work)
        return pairs
    # count again, only the hashes more than one object has
    firsts: dict[int, Any] = {h: _MISSING for h, g in groups.items() if g > 1}
    mixed: set[int] = set()
    for k in keys:
        if _skipped(k, shallow):
            continue
        h = hash(k)  # (as above: bounded, and cached for strings)
        first = firsts.get(h, k)
        if first is _MISSING:
            firsts[h] = k
        elif first is not k:
            mixed.add(h)
    pairs = 0
    for h in mixed:
        g = groups[h]
        pairs += g * (g - 1) >> 1
    return pairs


def _skipped(k: Any, shallow: bool) -> bool:
    """Whether L{collisions} leaves key C{k} out: strings and bytes (randomised hashes),
    and, C{shallow}, anything but numbers and short tuples of numbers and strings."""
    tk = type(k)
    if tk in _UNCOLLIDABLE:
        return True
    return shallow and tk not in _SCALARS and not (
        tk is tuple and len(k) <= 16
        and all(type(e) in _SCALARS or type(e) in _UNCOLLIDABLE for e in k))


_TREES = frozenset({list, tuple, dict, set, frozenset})


def tree(obj: Any) -> int:
    """Charge for, and return, the size of C{obj} as C comparison and hashing see it: every
    reference inside lists, tuples, dicts and sets, aliases counted each time they appear
    (C{t = (t, t)} doubles it per step), and every long string or bytes in it by its length
    (a tuple found with an equal hash is compared element by element), as L{weight} (in
    eighths of a tick). A structure too large for the budget (or one that contains itself)
    aborts the task."""
    if type(obj) not in _TREES:
        return 1
    return weight(obj)


def keyed(key: Any) -> None:
    """Charge hashing C{key} and comparing it with the key of equal hash a table finds: a
    tuple or frozenset by its L{tree}; a long string or bytes by its length (hashes of
    strings are cached, but equal strings that are different objects are compared byte by
    byte, as L{leaves}); anything else is a step."""
    tk = type(key)
    if tk is tuple or tk is frozenset:
        tree(key)
    elif (tk is str or tk is bytes) and len(key) > SHORT_LEAF:
        task().charge(len(key) >> 8)


SHORT_LEAF = 256  # strings and bytes at most this long compare in about a step


def leaves(a: Any, b: Any) -> None:
    """Charge comparing C{a} with C{b} when both are strings or both bytes: C compares them
    byte by byte up to their common length (equal strings that are different objects, or
    strings that differ only at their end), a tick per 256 characters beyond
    L{SHORT_LEAF}. The one rule for every comparison of two leaves that is otherwise
    charged a fixed cost (a step of a walk, an element of an iterator)."""
    ta = type(a)
    if (ta is str or ta is bytes) and type(b) is ta:
        n = len(a)
        m = len(b)
        if m < n:
            n = m
        if n > SHORT_LEAF:
            task().charge(n >> 8)


def weight(obj: Any) -> int:
    """Charge for, and return, what comparing C{obj} can cost C, in eighths of a tick:
    its tree (every reference, as in L{tree}) plus, for every string or bytes in it (or
    itself), one per 32 characters: C compares those byte by byte, however few
    references lead to them (C{[s] * n == [t] * n} with long, almost equal C{s} and
    C{t}). Aborts the task when C{obj} is nested deeper than L{MAX_NEST}: C compares and
    hashes a level a call, so C{obj} is never handed to C."""
    tx = type(obj)
    if tx is str or tx is bytes:
        n = 1 + (len(obj) >> 5)
        task().charge(n >> 3)
        return n
    if tx not in _TREES:
        return 1
    t = task()
    stack = [obj]
    seen = 0
    pending = 0
    depth = 0
    while stack:
        x = stack.pop()
        if x is _UP:
            depth -= 1
            continue
        pending += 1
        tx = type(x)
        if tx is list or tx is tuple or tx is set or tx is frozenset:
            depth += 1
            if depth > MAX_NEST:
                raise t.abort(NESTED)
            stack.append(_UP)
            stack.extend(x)
        elif tx is dict:
            depth += 1
            if depth > MAX_NEST:
                raise t.abort(NESTED)
            stack.append(_UP)
            stack.extend(x.keys())
            stack.extend(x.values())
        elif tx is str or tx is bytes:
            pending += len(x) >> 5
        if pending >= 1024:
            t.charge(pending >> 3)
            seen += pending
            pending = 0
        if len(stack) > MAX_ITEMS:
            raise t.abort("tried to compare a structure that is too large")
    t.charge(pending >> 3)
    return seen + pending


def _compared(x: Any) -> bool:
    """Whether comparing C{x} may cost more than a step: a container, or a string or bytes
    longer than L{SHORT_LEAF} (shorter ones compare in about the time of a step)."""
    tx = type(x)
    return tx in _TREES or ((tx is str or tx is bytes) and len(x) > SHORT_LEAF)


def compare_cost(a: Any, b: Any) -> None:
    """Charge what comparing C{a} with C{b} can cost in C: the smaller of the two trees,
    long strings in it counted by their length. A container compared with itself is
    charged its shallow length: C shortcuts identical elements, not the container, so it
    still visits every slot (C{d == d} looks every key up again)."""
    if type(a) not in _TREES or type(b) not in _TREES:
        return
    if a is b:
        task().charge(len(a) >> 3)
        return
    weight(a if _shallow_len(a) <= _shallow_len(b) else b)


def _shallow_len(x: Any) -> int:
    return len(x)


def element_trees(values: Any, rounds: int) -> None:
    """Sorting or picking the least of C{values} compares each element about C{rounds} times;
    container elements are compared in depth (charged by their trees), long strings by
    their length."""
    total = 0
    for v in values:  # _compared(v), inline: this runs for every element of every sort
        tv = type(v)
        if tv in _TREES or ((tv is str or tv is bytes) and len(v) > SHORT_LEAF):
            total += weight(v)
    if total:
        task().charge((total * max(rounds - 1, 0)) >> 3)


# -- comparisons C may make natively, and the ticked path for the others ----------------------
#
# C compares lists, tuples and dicts element by element with no tick point, and calls a
# script class's C{__eq__}/C{__lt__}... (script code) wherever it meets one; that code could
# grow what C goes on to compare after it was charged. So C compares natively only trees
# that are L{inert} (charged by their weight first); any other comparison goes through
# L{compared}, which walks the containers itself, a tick a step, and charges each pair at
# the moment it compares it.

_INERT = frozenset({int, float, complex, bool, type(None), str, bytes})
#: What the walks a step at a time cost, in ticks (a tick is about a bytecode step: these
#: run a few dozen in trusted code): a distinct container looked at by L{inert} (in eighths),
#: and an element compared by L{compared} or looked at by L{search}, L{pick} or a sort.
NODE_COST = 48
STEP_COST = 4
_INERT_OR_TREES = _INERT | _TREES
_NUMBERS = frozenset({int, float, complex, bool, type(None)})


def inert(obj: Any) -> bool:
    """Whether C can compare C{obj} without calling any code but its own: C{obj} is a number,
    string or bytes, or a list, tuple, dict or set of those and of such containers (no script
    object, whose comparison methods are script code; nothing else). Each distinct container
    is walked once (an alias is not walked again: this is bounded by memory, not by the tree),
    an eighth of a tick per slot."""
    tx = type(obj)
    if tx in _INERT:
        return True
    if tx not in _TREES:
        return False
    t = task()
    seen: set[int] = set()
    stack = [obj]
    slots = -NODE_COST  # the first container is paid for by the step that compares it
    try:
        while stack:
            x = stack.pop()
            if id(x) in seen:  # x is held by obj: its id is not reused during the walk
                continue
            seen.add(id(x))
            slots += len(x) + NODE_COST
            if slots > 8192:
                t.charge(slots >> 3)
                slots = 0
            if type(x) is dict:
                kinds = set(map(type, x))
                kinds.update(map(type, x.values()))
                if kinds <= _INERT:
                    continue
                if not kinds <= _INERT_OR_TREES:
                    return False
                stack.extend(k for k in x if type(k) in _TREES)
                stack.extend(v for v in x.values() if type(v) in _TREES)
                continue
            kinds = set(map(type, x))
            if kinds <= _INERT:
                continue
            if not kinds <= _INERT_OR_TREES:
                return False
            stack.extend(e for e in x if type(e) in _TREES)
        return True
    finally:
        if slots > 0:
            t.charge(slots >> 3)


_OPS = (operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge)
EQ, NE, LT, LE, GT, GE = range(6)


def compared(a: Any, b: Any, op: int, truth: bool = False) -> Any:
    """C{a <op> b} (C{op} indexes C{==, !=, <, <=, >, >=}), charged: natively when both sides
    are L{inert} (by the smaller weight, as L{compare_cost}), otherwise lists, tuples and
    dicts element by element here (a tick a step, each pair compared by this function as it
    is reached), and anything else by its own comparison (a script's method ticks itself).
    With C{truth}, the truth of the result (as C does inside a container comparison). The
    only trusted function that calls a script's comparison methods, or the C{__bool__} of
    what they return, on a comparison's behalf."""
    ta = type(a)
    tb = type(b)
    if ta in _TREES and tb in _TREES:
        if inert(a) and (a is b or inert(b)):
            compare_cost(a, b)
            out = _OPS[op](a, b)
        elif ta is tb and (ta is list or ta is tuple):
            out = _sequences(a, b, op)
        elif ta is tb is dict and op <= NE:
            out = _dicts(a, b, op)
        else:  # sets (their elements compare by identity or are inert) or unlike types
            compare_cost(a, b)
            out = _OPS[op](a, b)
    else:
        if (ta is str or ta is bytes) and tb is ta:
            leaves(a, b)
        out = _OPS[op](a, b)
    if truth and type(out) is not bool:
        return bool(out)
    return out


def _sequences(a: Any, b: Any, op: int) -> Any:
    """Lists or tuples compared as C does, a step at a time (either may change as script code
    runs: lengths are read at every step)."""
    if op <= NE and len(a) != len(b):
        return op == NE
    t = task()
    i = 0
    while i < len(a) and i < len(b):
        t.charge(STEP_COST)
        x = a[i]
        y = b[i]
        if x is not y and not compared(x, y, EQ, True):
            if op <= NE:
                return op == NE
            return compared(x, y, op)
        i += 1
    return _OPS[op](len(a), len(b))


_MISSING = object()


def _dicts(a: dict, b: dict, op: int) -> bool:
    """Dicts compared for equality as C does: every key of C{a} looked up in C{b} (keys
    compare by identity or are inert: script classes have no C{__hash__}), values compared
    a step at a time."""
    if len(a) != len(b):
        return op == NE
    t = task()
    pairs = list(a.items())
    items(len(pairs))
    for k, v in pairs:
        t.charge(STEP_COST)
        keyed(k)
        w = b.get(k, _MISSING)
        if w is _MISSING or (v is not w and not compared(v, w, EQ, True)):
            return op == NE
    return op == EQ


def _short(x: Any) -> bool:
    """Whether comparing C{x} with anything is bounded work in C (not a container, and not a
    long string or bytes)."""
    tx = type(x)
    return tx not in _TREES and not ((tx is str or tx is bytes) and len(x) > SHORT_LEAF)


def search(seq: Any, item: Any, method: str, rest: tuple = ()) -> Any:
    """C{seq.count(item)}, C{.index(item, *rest)}, C{.remove(item)} or C{item in seq} on a
    list, tuple or dict view: natively when each comparison is bounded (a short C{item}:
    whatever the elements run, each comparison with it is a step) or nothing but C can run
    (both L{inert}: charged C{item}'s weight per element); otherwise one element at a time
    through L{compared}."""
    n = len(seq)
    if _short(item) or (type(seq) in _TREES and inert(item) and inert(seq)):
        if not _short(item):
            task().charge((n * weight(item)) >> 3)
        if method == "__contains__":
            return item in seq
        return getattr(type(seq), method)(seq, item, *rest)
    if len(rest) > (2 if method == "index" else 0):
        raise TypeError(f"{method}() takes {'at most 3' if method == 'index' else 'one'} "
                        "argument(s)")
    if type(seq) not in _TREES:
        seq = materialise(seq)
    t = task()
    start = rest[0] if rest else None
    end = rest[1] if len(rest) == 2 else None
    i, stop, _ = slice(start, end).indices(len(seq))  # as list.index bounds them
    found = 0
    while i < len(seq) and i < stop:
        t.charge(STEP_COST)
        x = seq[i]
        if x is item or compared(x, item, EQ, True):
            if method == "count":
                found += 1
            elif method == "index":
                return i
            elif method == "remove":
                del seq[i]
                return None
            else:
                return True
        i += 1
    if method == "count":
        return found
    if method == "__contains__":
        return False
    raise ValueError(f"{type(seq).__name__}.{method}(x): x not in {type(seq).__name__}")


def reverse_flag(reverse: Any) -> bool:
    """C{reverse=} of a sort as CPython takes it: an int (or bool), never an object whose
    C{__bool__} would run in the middle of a charged sort."""
    if type(reverse) is not bool and type(reverse) is not int:
        raise TypeError(f"'{type(reverse).__name__}' object cannot be interpreted as an integer")
    return bool(reverse)


def _in_order(keys: list) -> Any:
    """A key function for C{values} whose keys are C{keys}, already computed, in order:
    each call returns the next one (C{next(it, value)}, in C). CPython's C{list.sort},
    C{sorted}, C{min} and C{max} call a key function exactly once per element, first to
    last, before they compare anything, so C{sorted(values, key=_in_order(keys))} is
    C{values} ordered by C{keys}, stably, as sorting the indices by the keys then
    reading the values at them was, without the index list and the two lookups per
    element (about 360 instructions an element fewer: callgrind, 50 000 ints)."""
    return partial(next, iter(keys))


def keys_of(key: Any, values: list) -> list:
    """The sort keys of C{values}, every one computed before anything is compared (a key
    function is script code, which may change keys it returned before)."""
    return list(map(key, values))


class _Ordered:
    """A sort key compared through L{compared}, a tick a comparison: what C sorts when the
    keys are not L{inert}."""

    __slots__ = ("key",)

    def __init__(self, key: Any) -> None:
        self.key = key

    def __lt__(self, other: _Ordered) -> Any:
        t = STATE.task
        if t is None:
            raise Abort("script code may only run inside a task")
        t.charge(2)  # then compared charges what it walks; a script's method ticks itself
        return compared(self.key, other.key, LT, True)


def _plain(keys: list, rounds: int) -> bool:
    """Whether C{keys} are L{inert}, charged (when they are) for C{rounds} comparisons
    each (numbers, the common case, cost a step and need no walk)."""
    if set(map(type, keys)) <= _NUMBERS:
        return True
    if not inert(keys):
        return False
    element_trees(keys, rounds)
    return True


def sort(values: list, key: Any, reverse: bool) -> list:
    """C{values} sorted (a new list, or C{values} itself sorted in place), charged: every key
    first, then, when the keys are L{inert}, their weights for the comparisons C will make
    and a native sort in which no script code can run; otherwise a sort whose every
    comparison goes through L{compared}."""
    n = len(values)
    rounds = n.bit_length()
    ticks((n * max(rounds, 1) >> 3) + 1)
    keys = values if key is None else keys_of(key, values)
    if _plain(keys, rounds):
        if key is None:
            values.sort(reverse=reverse)
            return values
        return sorted(values, key=_in_order(keys), reverse=reverse)
    items(n)
    wrapped = list(map(_Ordered, keys))
    order = sorted(range(n), key=wrapped.__getitem__, reverse=reverse)
    return list(map(values.__getitem__, order))


def pick(values: list, key: Any, op: int) -> Any:
    """The least (C{op} L{LT}) or greatest (L{GT}) of non-empty C{values}, the first one, as
    C{min}/C{max}: keys computed first, compared natively when L{inert}, else through
    L{compared}."""
    keys = values if key is None else keys_of(key, values)
    n = len(keys)
    if _plain(keys, 1):
        if key is None:
            return (min if op == LT else max)(values)
        return (min if op == LT else max)(values, key=_in_order(keys))
    t = task()
    best = 0
    for i in range(1, n):
        t.charge(2)
        if compared(keys[i], keys[best], op, True):
            best = i
    return values[best]
