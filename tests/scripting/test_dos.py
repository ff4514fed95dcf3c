"""The denial-of-service corpus: every runaway program is stopped within its budget, with
bounded memory, and the process stays healthy (rules 31, 36-41).

The whole corpus under tracemalloc takes tens of seconds: that test is in the slow tier
(`tests/slow/test_budgets.py`, run by `make test-slow` and CI)."""

from __future__ import annotations

from twisted.trial import unittest

from scripting import Budget, Domain

BUDGET = Budget(ticks=50_000, seconds=1.0)
PEAK_LIMIT = 64 * 1024 * 1024  # no case may allocate more than this (the memory budget is 32 MB)

DOS = {
    # CPU: an infinite loop in every construct
    "while True": "while True:\n    pass",
    "for over a huge range": "for i in range(10**12):\n    pass",
    "list comprehension over a huge range": "[x for x in range(10**12)]",
    "set comprehension over a generator":
        "def g():\n    while True:\n        yield 1\n{x for x in g()}",
    "dict comprehension": "{x: x for x in range(10**12)}",
    "generator expression consumed": "for x in (y for y in range(10**12)):\n    pass",
    "nested comprehension": "[[y for y in range(10**6)] for x in range(10**6)]",
    "comprehension growing its own list": "xs = [1]\n[xs.append(x) for x in xs]",
    "infinite generator in for": "def g():\n    while True:\n        yield 1\nfor x in g():\n    pass",
    "recursion": "def f():\n    return f()\nf()",
    "endless __next__ in list()":
        "class I:\n    def __iter__(self):\n        return self\n    def __next__(self):\n"
        "        return 1\nlist(I())",
    "endless __getitem__ iteration in 'in'":
        "class G:\n    def __getitem__(self, i):\n        return i\n-1 in G()",
    "recursive __call__": "class C:\n    def __call__(self):\n        return self()\nC()()",
    "recursive __getitem__":
        "class G:\n    def __getitem__(self, i):\n        return self[i + 1]\nG()[0]",
    "mutual recursion": "def a(n):\n    return b(n)\ndef b(n):\n    return a(n)\na(1)",
    "lambda recursion": "f = lambda n: f(n + 1)\nf(0)",
    "sorted with a looping key": "sorted([3, 1, 2], key=lambda v: [y for y in range(10**9)])",
    "sorted of a huge range": "sorted(range(10**8))",
    "sum of a huge range": "sum(range(10**9))",
    "min of a generator": "min(x for x in range(10**12))",
    "any over a generator": "any(x < 0 for x in range(10**12))",
    "all over a list": "all([1] * 10**7)",
    "in on a lazy iterator": "-1 in zip(range(10**12))",
    "in on a range with a non-int": "'x' in range(10**12)",
    "in on a big list in a loop": "xs = list(range(10**5))\nwhile True:\n    -1 in xs",
    "list() of a huge range": "list(range(10**9))",
    "tuple() of a huge range": "tuple(range(10**9))",
    "set() of a huge range": "set(range(10**9))",
    "dict.fromkeys of a huge range": "dict.fromkeys(range(10**9))",
    "dict of a generator": "dict((i, i) for i in range(10**9))",
    "dict.update from a generator": "d = {}\nd.update((i, i) for i in range(10**9))",
    "list.extend of a huge range": "xs = []\nxs.extend(range(10**9))",
    "star-args with a huge range": "def f(*a):\n    pass\nf(*range(10**9))",
    "star in a display": "[*range(10**9)]",
    "starred assignment": "a, *b = range(10**9)",
    "starred loop target": "for a, *b in [range(10**9)]:\n    pass",
    "starred comprehension target": "[b for a, *b in [range(10**9)]]",
    "slice assignment of a huge range": "xs = []\nxs[:] = range(10**9)",
    "slice assignment of an endless generator":
        "def g():\n    while True:\n        yield 1\nxs = []\nxs[:] = g()",
    "augmented slice assignment": "xs = [1]\nxs[:] += range(10**9)",
    "join of a generator": "''.join(str(i) for i in range(10**9))",
    "map into join": "','.join(map(str, range(10**8)))",
    "exception storm": "while True:\n    try:\n        raise ValueError('x')\n    except ValueError:\n        pass",
    "looping finally":
        "try:\n    while True:\n        pass\nfinally:\n    while True:\n        pass",
    "catch-all retry loop":
        "while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass",
    "deep recursion with try": "def f(n):\n    try:\n        return f(n + 1)\n    except BaseException:\n        return f(n + 1)\nf(0)",
    "yield from a huge range": "def g():\n    yield from range(10**12)\nd = {}\nd |= ((i, i) for i in g())",
    "dict |= a generator of pairs": "def g():\n    yield from zip(range(10**12), range(10**12))\nd = {}\nd |= g()",
    "dict view set operators": "d = {1: 2}\nd.keys() | range(10**12)",
    "zip chain (C recursion)": "m = iter([1])\nfor i in range(45000):\n    m = zip(m)\nlist(m)",
    "map chain (C recursion)": "m = iter([1])\nfor i in range(45000):\n    m = map(abs, m)\nlist(m)",
    "generator chain": "g = iter([1])\nfor i in range(45000):\n    g = (x for x in g)\nlist(g)",
    "staticmethod chain": "s = len\nfor i in range(45000):\n    s = staticmethod(s)\ns([1])",
    "nested tuple hash": "t = ()\nwhile True:\n    t = (t,)\n    hash(t)",
    # memory: huge allocations in one operation
    "str repeat": "'a' * 10**10",
    "list repeat": "[0] * 10**9",
    "tuple repeat": "(0,) * 10**9",
    "bytes repeat": "b'x' * 10**10",
    "power tower": "10 ** 10 ** 10",
    "big power": "2 ** (10**8)",
    "pow builtin": "pow(7, 10**9)",
    "modular pow with huge modulus": "pow(7, 10**100, 10**4000 + 1)",
    "left shift": "1 << 10**10",
    "small shifts kept": "keep = []\nx = 1\nwhile True:\n    x = x << 64\n    keep.append(x)",
    "big int copies kept": "keep = []\nx = 2 ** 4000\nwhile True:\n    keep.append(x + 1)",
    "short-string copies kept": "keep = []\ns = 'a' * 60\nwhile True:\n    keep.append(s.upper())",
    "long-string copies kept": "keep = []\ns = 'a' * 4000\nwhile True:\n    keep.append(s.upper())",
    "f-string repeating a string":
        "s = 'a' * 4000\nkeep = []\nwhile True:\n    keep.append(f'{s}{s}{s}{s}{s}{s}{s}{s}{s}{s}')",
    "set union copies kept":
        "s = set(range(10**5))\nkeep = []\nwhile True:\n    keep.append(s | set())",
    "dict merge copies kept":
        "d = dict.fromkeys(range(10**5))\nkeep = []\nwhile True:\n    keep.append(d | {})",
    "set difference copies kept":
        "s = set(range(10**5))\nkeep = []\nwhile True:\n    keep.append(s - {-1})",
    "str of a big int kept": "keep = []\nx = 2 ** 4000\nwhile True:\n    keep.append(str(x))",
    "bin of a big int kept": "keep = []\nx = 2 ** 4000\nwhile True:\n    keep.append(bin(x))",
    "augmented shift": "x = 1\nx <<= 10**10",
    "augmented power": "x = 10\nx **= 10**9",
    "repeated squaring": "x = 3\nwhile True:\n    x = x * x",
    "ljust": "'x'.ljust(10**10)",
    "rjust": "'x'.rjust(10**10)",
    "center": "'x'.center(10**10)",
    "zfill": "'1'.zfill(10**10)",
    "expandtabs": "('\\t' * 1000).expandtabs(10**6)",
    "replace amplifies": "('a' * 10**6).replace('a', 'b' * 1000)",
    "replace empty pattern": "('a' * 10**6).replace('', 'b' * 100)",
    "split into many": "while True:\n    ('a ' * 10**6).split()",
    "bytes of a huge int": "bytes(10**10)",
    "int.to_bytes": "(1).to_bytes(10**10, 'big')",
    "string doubling": "s = 'ab'\nwhile True:\n    s = s + s",
    "string doubling in place": "s = 'ab'\nwhile True:\n    s += s",
    "list doubling": "xs = [1]\nwhile True:\n    xs = xs + xs",
    "list doubling in place": "xs = [1]\nwhile True:\n    xs += xs",
    "list extend self": "xs = [1]\nwhile True:\n    xs.extend(xs)",
    "list multiply in place": "xs = [1]\nwhile True:\n    xs *= 2",
    "slice copies of a big string": "big = 'a' * 10**6\nkeep = [big[1:] for i in range(10**4)]",
    "copies of a big list": "big = [0] * 10**6\nkeep = [big.copy() for i in range(10**4)]",
    "aliasing into str()": "x = ['a' * 10**6] * 1000\nstr(x)",
    "aliasing into print": "x = ['a' * 10**6] * 1000\nprint(x)",
    "aliasing into an f-string": "x = ['a' * 10**6] * 1000\nf'{x}'",
    "aliasing into repr": "x = ['a' * 10**6] * 1000\nrepr(x)",
    "aliasing into json": "import json\nx = ['a' * 10**6] * 1000\njson.dumps(x)",
    "aliasing into percent": "x = ['a' * 10**6] * 1000\n'%s' % (x,)",
    "self-referencing list repr": "x = []\nx.append(x)\nwhile True:\n    x = [x, x]\nrepr(x)",
    "format width": "f'{1:{10**9}}'",
    "format width literal": "f\"{'x':>999999999}\"",
    "format builtin width": "format(1, '1000000000')",
    "format precision": "f'{1.5:.999999999f}'",
    "percent width": "'%1000000000d' % 1",
    "percent star": "'%*d' % (10**9, 1)",
    "fmt width": "fmt('{0:>999999999}', 1)",
    "many wide fmt fields": "fmt('{:>9999}' * 100000, *range(100000))",
    "many wide percent fields": "x = '%9999s' * 50000\nx % tuple(range(50000))",
    "many wide f-string fields": "x = 1\nwhile True:\n    y = f'{x:>9999}{x:>9999}{x:>9999}{x:>9999}'",
    "print with a huge separator": "print(*range(10**4), sep='x' * 10**6)",
    "class factory": "keep = []\nwhile True:\n    class A:\n        pass\n    keep.append(A)",
    "factorial": "import math\nmath.factorial(10**6)",
    "comb": "import math\nmath.comb(10**7, 5 * 10**6)",
    "round with huge ndigits": "round(5, -10**9)",
    "int from long hex text": "x = int('f' * 11000, 16)\nwhile True:\n    x // (x >> 7)",
    "int from huge hex text": "int('f' * 50000, 16)",
    "random.choices k": "import random\nrandom.choices([1], k=10**9)",
    "random.sample with a huge k": "import random\nrandom.sample(range(10**9), 10**8)",
    "json indent": "import json\njson.dumps([[1]] * 1000, indent=10**9)",
    "json deep nesting": "import json\njson.loads('[' * 100000 + ']' * 100000)",
    "json huge input": "import json\njson.loads('1' * (2 * 10**6))",
    # regular expressions: linear time, size caps
    "regex bomb": "import re\nre.match('(a+)+$', 'a' * 100000 + 'b')",
    "regex bomb in a loop": "import re\nwhile True:\n    re.search('(x+x+)+y', 'x' * 5000)",
    "regex huge pattern": "import re\nre.compile('a' * 100000)",
    "regex huge repetition": "import re\nre.compile('((a{100}){100}){100}')",
    "regex sub amplification": "import re\nre.sub('', 'b' * 1000, 'a' * 10**6)",
    "regex many nested groups kept":
        "import re\np = re.compile('(' * 200 + 'a*' + ')' * 200)\nt = 'a' * 10**6\nkeep = []\n"
        "while True:\n    keep.append(p.match(t).groups())",
    "regex findall many": "import re\nwhile True:\n    re.findall('a', 'a' * 10**6)",
    # output
    "print flood": "while True:\n    print('x' * 1000)",
}


# Linear-time regular expressions simply finish; a capped flood of output simply ends.
MAY_COMPLETE = frozenset({"regex bomb", "print flood"})


class DenialOfServiceTests(unittest.TestCase):
    """Each runaway program is stopped within its budget, with bounded memory."""

    def test_process_healthy_afterwards(self) -> None:
        """After the corpus, an ordinary script still runs normally."""
        for source in list(DOS.values())[:10]:
            Domain("dos").run(source, budget=Budget(ticks=5000))
        result = Domain("ok").run("print(sum([1, 2, 3]))")
        self.assertEqual(result.output, "6\n")

    def test_abort_reasons(self) -> None:
        """Ticks, depth and memory exhaustion are reported as such."""
        self.assertEqual(Domain("a").run("while True:\n    pass").aborted, "ran out of ticks")
        self.assertEqual(Domain("a").run("def f():\n    f()\nf()").aborted,
                         "calls nested too deeply")
        self.assertEqual(Domain("a").run("'a' * 10**10").aborted,
                         "tried to build a string that is too large")
        self.assertEqual(
            Domain("a").run("x = []\nwhile True:\n    x.append('a' * 10**6)",
                            budget=Budget(ticks=10**6)).aborted,
            "used too much memory")

    def test_depth_far_below_recursion_limit(self) -> None:
        """Recursion aborts on the task's depth limit, long before CPython's own limit."""
        import sys
        result = Domain("a").run(
            "depth = [0]\ndef f():\n    depth[0] += 1\n    f()\nf()",
            budget=Budget(depth=50))
        self.assertEqual(result.aborted, "calls nested too deeply")
        self.assertNotIn("RecursionError", result.error)
        self.assertLess(result.error.count("in f()"), sys.getrecursionlimit())

    def test_wall_clock_budget(self) -> None:
        """A task whose ticks last but whose seconds run out is aborted on time."""
        now = [0.0]

        def fake_clock() -> float:
            now[0] += 1.0
            return now[0]

        result = Domain("a", clock=fake_clock).run("for i in range(10**6):\n    pass",
                                 budget=Budget(ticks=10**7, seconds=5.0))
        self.assertEqual(result.aborted, "ran out of time")

    def test_ticks_left_visible(self) -> None:
        """Scripts can watch their budget go down with ticks_left()."""
        result = Domain("a").run("a = ticks_left()\nfor i in range(500):\n    pass\n"
                                 "b = ticks_left()\nprint(a > b, b > 0)",
                                 budget=Budget(ticks=10_000))
        self.assertEqual(result.output, "True True\n")

    def test_ticks_reported(self) -> None:
        """The result reports ticks used, in proportion to work."""
        small = Domain("a").run("for i in range(10):\n    pass").ticks
        large = Domain("a").run("for i in range(10000):\n    pass").ticks
        self.assertGreater(large, small * 100)
