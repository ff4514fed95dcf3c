"""Red team: attack programs from pyjail writeups, sandbox-escape advisories and CTF techniques,
judged by their effect (capability rules 5-12, 19-24, 31-41, 46).

Two corpora, as data:

- `ESCAPES`: each must not create the canary file, fire a dangerous audit event, or finish
  with a value that leaks an address; `EscapeCorpusTests`' runner (with the audit tripwire)
  runs them too.
- `STALLS`: each must end (abort or error) within its tick budget, with the clock frozen so
  that the wall-clock budget cannot be what stops it: the classic being a C call whose work
  is far larger than what the script paid for.
"""

from __future__ import annotations

import os
import sys
import tempfile

from twisted.trial import unittest

from scripting import Budget, Domain
from tests.scripting.test_escapes import run_watched

# name -> source. `CANARY` is replaced by a path that must never be created.
ESCAPES = {
    # format strings (Ronacher 2016, CVE-2023-41039 family)
    "f-string spec that is a field": "x = 1\nf'{x:{\"{0.__class__}\"}}'",
    "format() spec with a field": "format(1, '{0.__class__}')",
    "fmt nested spec": "fmt('{0:{1}}', 1, 5)",
    "fmt dotted key": "fmt('{a.b}', a=1)",
    "fmt indexed key": "fmt('{a[0]}', a=[1])",
    # frames and generators (CVE-2023-37271 family)
    "gi_frame by getattr": "def g():\n    yield 1\ngetattr(g(), 'gi_frame')",
    "generator throw": "def g():\n    yield 1\nx = g()\nnext(x)\ngetattr(x, 'throw')",
    "generator close": "def g():\n    yield 1\ngetattr(g(), 'close')",
    "generator send": "def g():\n    yield 1\ngetattr(g(), 'send')",
    "genexpr gi_code": "getattr((x for x in []), 'gi_code')",
    "traceback by getattr": "try:\n    1/0\nexcept Exception as e:\n    getattr(e, '__traceback__')",
    "with_traceback": "try:\n    1/0\nexcept Exception as e:\n    getattr(e, 'with_traceback')",
    "StopIteration.value": "try:\n    next(iter([]))\nexcept StopIteration as e:\n    getattr(e, 'value')",
    "add_note": "getattr(ValueError(), 'add_note')",
    # class machinery
    "__class_getitem__ on a script class": "class A:\n    pass\nA[int]",
    "list[int] generic alias": "list[int]",
    "type() of a script class is not type": "class A:\n    pass\ntype(A)",
    "three-argument type()": "type('A', (), {})",
    "mro of an exception class": "ValueError.mro()",
    "subclasses of an exception class": "getattr(ValueError, 'subclasses')",
    "reduce_ex on object()": "getattr(object(), 'reduce_ex')",
    "__reduce_ex__ by getattr": "class A:\n    pass\ngetattr(A(), '__reduce_ex__')",
    "setattr a dunder on a class": "class A:\n    pass\nsetattr(A, '__call__', print)",
    "classmethod(getattr) reaching the class": "class A:\n    c = classmethod(getattr)\nA.c('mro')",
    "classmethod(getattr) private": "class A:\n    c = classmethod(getattr)\nA.c('__class__')",
    "super() reaching exception internals":
        "class E(Exception):\n    def f(self):\n        return getattr(super(), 'with_traceback')\n"
        "E().f()",
    "super() bare at top level": "super()",
    "property fget": "class A:\n    p = property(lambda s: 1)\ngetattr(A.p, 'fget')",
    "decorator handing a class to a builtin": "@type\ndef f():\n    pass\nf",
    # builtins that are not there (pyjail classics)
    "breakpoint": "breakpoint()",
    "help pager": "help()",
    "license printer": "license._Printer__filenames",
    "credits": "credits",
    "exit": "exit()",
    "quit": "quit()",
    "vars": "class A:\n    pass\nvars(A())",
    "print to a file": "print('x', file=None)",
    "print flush": "print('x', flush=True)",
    "__loader__": "__loader__",
    "__spec__": "__spec__",
    "__name__": "__name__",
    "builtins via function globals": "def f():\n    pass\nf.__builtins__",
    "fullwidth print attribute": "\uff50\uff52\uff49\uff4e\uff54.__self__",
    # modules
    "import copyreg": "import copyreg",
    "import pickle": "import pickle",
    "import operator (attrgetter)": "import operator",
    "import importlib": "import importlib",
    "import this script": "import script",
    "from math import private": "from math import _x",
    "json object_hook": "import json\njson.loads('{}', object_hook=print)",
    "json cls": "import json\njson.dumps({}, cls=1)",
    "json default": "import json\njson.dumps(object(), default=repr)",
    "random.Random": "import random\nrandom.Random",
    "random internals": "import random\ngetattr(random.random, 'rng')",
    "math namespace items": "import math\ngetattr(math, 'items')",
    "re match text": "import re\ngetattr(re.match('a', 'a'), '_text')",
    "re match re": "import re\ngetattr(re.match('a', 'a'), 're')",
    # wrappers' internals
    "iterator internals": "getattr(iter([1]), 'it')",
    "iterator cost": "getattr(iter([1]), 'cost')",
    "map internals": "getattr(map(abs, [1]), 'it')",
    "bound method object": "u = ('x' * 5000).upper\ngetattr(u, 'obj')",
    "unbound method object": "getattr(str.upper, 'obj')",
    "type facade instancecheck": "getattr(list, '__instancecheck__')",
    # ambient leaks (rule 19)
    "id()": "id(1)",
    "hash of a function": "def f():\n    pass\nhash(f)",
}

# Values that may complete, but whose results must not show an address.
NO_ADDRESS = {
    "repr of a function": "def f():\n    pass\nrepr(f)",
    "str of a generator": "def g():\n    yield 1\nstr(g())",
    "str of an iterator": "str(iter([]))",
    "repr of property": "repr(property(len))",
    "repr of staticmethod": "repr(staticmethod(len))",
    "repr of object()": "repr(object())",
    "percent %r": "'%r' % (object(),)",
    "percent-format mapping with an object": "class A:\n    pass\n'%(x)s' % {'x': A()}",
    "format()": "format(object())",
    "f-string": "f'{object()}'",
    "exception str": "str(ValueError(object()))",
    "exception repr": "repr(ValueError(object()))",
    "dict repr": "repr({object(): 1})",
    "super repr": "class A:\n    def f(self):\n        return repr(super())\nA().f()",
}

# Programs whose C work is far larger than what they pay for, if nothing charges it.
_DOUBLED = "a = ()\nb = ()\nfor i in range(40):\n    a = (a, a)\n    b = (b, b)\n"
_COLLIDING = "M = 2**61 - 1\nxs = list(range(M, M * 30000 + 1, M))\n"
STALLS = {
    # aliasing: `t = (t, t)` doubles what C walks, for one tick per step
    "== on doubled tuples": _DOUBLED + "a == b",
    "< on doubled tuples": _DOUBLED + "a < b",
    "!= in a chain": _DOUBLED + "a != b != a",
    "in a list": _DOUBLED + "a in [b]",
    "in a dict (hash)": _DOUBLED + "a in {1: 2}",
    "dict display key (hash)": _DOUBLED + "{a: 1}",
    "set display (hash)": _DOUBLED + "{a}",
    "subscript store (hash)": _DOUBLED + "d = {}\nd[a] = 1",
    "subscript load (hash)": _DOUBLED + "d = {}\nd.get(a)",
    "set.add (hash)": _DOUBLED + "s = set()\ns.add(a)",
    "dict comprehension key (hash)": _DOUBLED + "{a: i for i in range(2)}",
    "set comprehension (hash)": _DOUBLED + "{a for i in range(2)}",
    "sorted": _DOUBLED + "sorted([a, b])",
    "list.sort": _DOUBLED + "x = [a, b]\nx.sort()",
    "max": _DOUBLED + "max([a, b])",
    "frozenset of doubled": _DOUBLED + "frozenset([a])",
    "list.index": _DOUBLED + "[a].index(b)",
    "list.count": _DOUBLED + "[a].count(b)",
    "list.remove": _DOUBLED + "[a].remove(b)",
    "tuple.count": _DOUBLED + "(a,).count(b)",
    "tuple.index": _DOUBLED + "(a,).index(b)",
    "max with a key returning doubled tuples": _DOUBLED + "max([1, 2], key=lambda v: a if v == 1 else b)",
    "sorted with such a key": _DOUBLED + "sorted([1, 2], key=lambda v: a if v == 1 else b)",
    "dict values compared": _DOUBLED + "{1: a} == {1: b}",
    "dict.setdefault (hash)": _DOUBLED + "{}.setdefault(a)",
    "str() of doubled": _DOUBLED + "str(a)",
    "json.dumps of doubled lists": "import json\nx = []\nfor i in range(40):\n    x = [x, x]\njson.dumps(x)",
    "hash()": _DOUBLED + "hash(a)",
    "slice of doubled tuples as a dict key (3.12 hashes slices)": _DOUBLED + "{}[a:b]",
    "slice store with doubled bounds": _DOUBLED + "x = [1]\nx[a:] = []",
    "class __getitem__ hashing a slice": _DOUBLED
        + "class G:\n    def __getitem__(self, s):\n        return {s: 1}\nG()[a:b]",
    "json indentation of deep nesting":
        "import json\nx = []\nfor i in range(900):\n    x = [x]\njson.dumps(x, indent=16)",
    "json escapes of a long string": "import json\njson.dumps('\\x00' * 500_000)",
    "slice insert at the front of a long list":
        "xs = [0] * 10**6\nfor i in range(10**5):\n    xs[0:0] = [i]",
    "isinstance with doubled class tuples": _DOUBLED + "isinstance(1, a)",
    "issubclass with doubled class tuples": _DOUBLED + "issubclass(int, a)",
    # chosen hash collisions (ints hash modulo 2**61 - 1)
    "set() of colliding ints": _COLLIDING + "set(xs)",
    "set display of colliding ints": _COLLIDING + "{*xs}",
    "dict.fromkeys of colliding ints": _COLLIDING + "dict.fromkeys(xs)",
    "dict(zip) of colliding ints": _COLLIDING + "dict(zip(xs, xs))",
    "set union of colliding ints": _COLLIDING + "set().union(xs)",
    # the boundary copy
    "returned aliases": "big = [0] * 10**5\n[big] * 1000",
    # inheritance: C3 is quadratic in C
    "class chain": "class A:\n    pass\nwhile True:\n    class A(A):\n        pass",
    # straight-line code and costly loop bodies
    "dear loop body": "while True:\n    x = " + " + ".join(["[1]"] * 60),
    # things players found in other sandboxes
    "json deeply nested": "import json\njson.loads('[' * 200000 + ']' * 200000)",
    "int from text at the digit limit": "x = int('9' * 4300)",
    "factorial": "import math\nmath.factorial(10**6)",
    "random.choices k": "import random\nrandom.choices([1], k=10**9)",
    "translate to long strings": "t = str.maketrans({'a': 'b' * 1000})\n('a' * 10**6).translate(t)",
    "bytes.fromhex": "bytes.fromhex('00' * 10**7)",
    "sort with a looping key": "sorted(range(100), key=lambda v: [y for y in range(10**9)])",
    "list.sort key mutating the list":
        "xs = list(range(1000))\nwhile True:\n    xs.sort(key=lambda v: xs.append(v) or v)",
    "__eq__ that loops, inside list.remove":
        "class A:\n    def __eq__(self, o):\n        while True:\n            pass\n"
        "xs = [A()] * 10\nxs.remove(1)",
    "__lt__ that loops, inside sorted":
        "class A:\n    def __lt__(self, o):\n        while True:\n            pass\nsorted([A(), A()])",
    "dict mutated while iterating":
        "d = {i: i for i in range(100)}\nwhile True:\n    try:\n        for k in d:\n"
        "            d[k + 1000] = 1\n    except RuntimeError:\n        pass",
    "budget spent in a generator's finaliser (never reported as success)":
        "def g():\n    try:\n        yield 1\n    finally:\n        while True:\n            pass\n"
        "x = g()\nnext(x)\ndel x",
}

BUDGET = Budget(ticks=100_000, seconds=0.5)


def frozen_clock() -> float:
    """
    A clock that never moves: a wall-clock budget can then never be what
    stops a task.
    """
    return 0.0


class RedTeamEscapeTests(unittest.TestCase):
    """No escape program has an effect."""

    def setUp(self) -> None:
        fd, self.canary = tempfile.mkstemp(prefix="tessera-redteam-")
        os.close(fd)
        os.unlink(self.canary)

    def tearDown(self) -> None:
        if os.path.exists(self.canary):
            os.unlink(self.canary)

    def test_escapes_denied(self) -> None:
        """Each program fails (at compile or run time), makes no canary and no audit event."""
        problems = []
        for name, source in ESCAPES.items():
            result, hits, compile_error = run_watched(source.replace("CANARY",
                                                                     repr(self.canary)))
            if os.path.exists(self.canary):
                problems.append(f"{name}: canary created")
            if hits:
                problems.append(f"{name}: audit events {hits}")
            if compile_error is None and result.ok:
                problems.append(f"{name}: ran to completion")
        self.assertEqual(problems, [], "\n".join(problems))

    def test_no_addresses(self) -> None:
        """Text made from objects never shows a memory address."""
        problems = []
        for name, source in NO_ADDRESS.items():
            result = Domain("leak").run(source)
            text = f"{result.value!r} {result.output} {result.error}"
            if "0x" in text:
                problems.append(f"{name}: {text}")
        self.assertEqual(problems, [], "\n".join(problems))


class RedTeamStallTests(unittest.TestCase):
    """No program buys more C work than it paid for."""

    def test_stalls_stopped_in_time(self) -> None:
        """Each program is stopped by its ticks or a size limit, never by the clock.

        The clock is frozen, so the wall-clock budget cannot stop anything: C work that
        was not charged in ticks before it ran would make a program complete (or run on)
        instead of ending here."""
        self.patch(sys, "unraisablehook", lambda *args: None)  # the finaliser's abort
        problems = []
        for name, source in STALLS.items():
            result = Domain("stall", clock=frozen_clock).run(source, budget=BUDGET)
            if result.ok:
                problems.append(f"{name}: completed")
            if result.aborted == "ran out of time":
                problems.append(f"{name}: stopped by a clock that never moves")
            if result.ticks > BUDGET.ticks:
                problems.append(f"{name}: used {result.ticks} ticks")
        self.assertEqual(problems, [], "\n".join(problems))
