"""The compatibility corpus: ordinary scripts that must behave exactly as in plain CPython.

Each case is plain Python (no sandbox-only helpers), so the test runs it both in the sandbox
and with plain `exec`, and compares what it printed (capability rule 46).
"""

from __future__ import annotations

import attrs


@attrs.frozen
class Case:
    name: str
    source: str


_SOURCES = {
"arithmetic": """
print(1 + 2 * 3, 7 // 2, 7 % 3, 2 ** 10, -7 // 2, 7 / 2, 1 << 5, 256 >> 2, 6 & 3, 6 | 3, 6 ^ 3, ~5)
print(divmod(17, 5), abs(-3), round(2.675, 2), round(7.5), pow(3, 4), pow(3, 4, 5))
""",
"floats": """
x = 0.1 + 0.2
print(x, round(x, 3), int(3.9), float('1.5'), 1e10, 3.0 * 2)
""",
"strings": """
s = "Hello, World"
print(s.lower(), s.upper(), s.title(), s.swapcase(), s[::-1], s[2:5], len(s))
print(s.split(", "), s.replace("l", "L"), s.find("World"), s.count("l"), s.startswith("He"))
print("-".join(["a", "b", "c"]), "  pad ".strip(), "x".center(7, "*"), "5".zfill(3))
print("a,b,,c".split(","), "line1\\nline2".splitlines(), "tab\\tbed".expandtabs(4))
""",
"string predicates": """
for w in ["abc", "123", "a1", "", "ABC", "Title Case", "  "]:
    print(repr(w), w.isalpha(), w.isdigit(), w.isalnum(), w.isupper(), w.istitle(), w.isspace())
""",
"fstrings": """
name = "bell"
n = 3
print(f"{name} rings {n} times", f"{n:>5}|{n:<5}|{n:^5}|", f"{3.14159:.3f}", f"{name!r}", f"{255:x}")
print(f"{1234567:,}", f"{0.25:.0%}", f"{n * 2}", f"{'nested'}")
""",
"percent formatting": """
print("%s has %d coins (%.2f%%)" % ("Ann", 5, 12.5))
print("%(a)s-%(b)s" % {"a": 1, "b": 2}, "%5s|%-5s|" % ("x", "y"))
""",
"lists": """
xs = [5, 3, 8, 1]
xs.append(7)
xs.extend([2, 9])
xs.insert(0, 10)
xs.remove(8)
print(xs, xs.pop(), xs.index(3), xs.count(1), len(xs))
xs.sort()
print(xs, sorted(xs, reverse=True), xs[1:4], xs[-1], xs[::2])
xs.reverse()
print(xs, xs.copy(), xs + [0], [0] * 3)
""",
"tuples": """
t = (1, 2, 3)
a, b, c = t
print(t, a + b + c, t.count(2), t.index(3), t + (4,), t * 2, t[1:])
first, *rest = [1, 2, 3, 4]
print(first, rest)
""",
"dicts": """
d = {"a": 1, "b": 2}
d["c"] = 3
d.update({"d": 4}, e=5)
print(d, d.get("z", 0), list(d.keys()), list(d.values()), sorted(d.items()))
print(d.pop("a"), d.setdefault("f", 6), "b" in d, len(d))
del d["b"]
print({k: v * 2 for k, v in d.items()}, dict(zip("xy", [1, 2])), dict(a=1))
""",
"sets": """
a = {1, 2, 3}
b = {3, 4}
print(sorted(a | b), sorted(a & b), sorted(a - b), sorted(a ^ b))
a.add(9)
a.discard(1)
print(sorted(a), a.issubset({2, 3, 9, 10}), sorted(a.union([7])), 3 in a, frozenset([1]) == {1})
""",
"comprehensions": """
print([x * x for x in range(6) if x % 2 == 0])
print({x % 3 for x in range(10)})
print({x: x ** 2 for x in range(4)})
print(sum(x for x in range(100)), [y for x in [[1, 2], [3]] for y in x])
print([(i, j) for i in range(3) for j in range(i)])
""",
"classes": """
class Animal:
    sound = "..."
    def __init__(self, name):
        self.name = name
    def speak(self):
        return self.name + " says " + self.sound
class Dog(Animal):
    sound = "woof"
    def __init__(self, name, tricks):
        super().__init__(name)
        self.tricks = tricks
    def speak(self):
        return super().speak() + "!"
d = Dog("Rex", ["sit"])
print(d.speak(), d.tricks, isinstance(d, Animal), isinstance(d, Dog), issubclass(Dog, Animal))
print(Animal("cat").speak(), Dog.sound, d.name)
""",
"dunder methods": """
class Vec:
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y)
    def __sub__(self, o):
        return Vec(self.x - o.x, self.y - o.y)
    def __neg__(self):
        return Vec(-self.x, -self.y)
    def __eq__(self, o):
        return self.x == o.x and self.y == o.y
    def __lt__(self, o):
        return (self.x, self.y) < (o.x, o.y)
    def __repr__(self):
        return "Vec(" + str(self.x) + ", " + str(self.y) + ")"
    def __str__(self):
        return "<" + str(self.x) + "," + str(self.y) + ">"
    def __len__(self):
        return 2
    def __bool__(self):
        return bool(self.x or self.y)
    def __contains__(self, v):
        return v in (self.x, self.y)
v = Vec(1, 2) + Vec(3, 4)
print(v, repr(v), -v, v == Vec(4, 6), v != Vec(0, 0), len(v), bool(Vec(0, 0)), 4 in v)
print(sorted([Vec(2, 1), Vec(1, 5), Vec(1, 2)]), v - Vec(1, 1))
""",
"closures": """
def make_counter():
    count = [0]
    def inc():
        count[0] += 1
        return count[0]
    return inc
c = make_counter()
c(); c()
print(c())
def adder(n):
    return lambda x: x + n
print(adder(5)(10), list(map(adder(1), [1, 2, 3])))
""",
"closure counters without nonlocal": """
def make_counter():
    state = {"count": 0}
    def inc(step=1):
        state["count"] += step
        return state["count"]
    return inc
c = make_counter()
c(); c(5)
print(c())
class Tally:
    def __init__(self):
        self.n = 0
    def __call__(self, step=1):
        self.n += step
        return self.n
t = Tally()
t(); t(2)
print(t(), t.n)
""",
"container class": """
class Shelf:
    def __init__(self, *things):
        self.things = list(things)
    def __getitem__(self, i):
        return self.things[i]
    def __setitem__(self, i, v):
        self.things[i] = v
    def __delitem__(self, i):
        del self.things[i]
    def __len__(self):
        return len(self.things)
    def __iter__(self):
        return iter(self.things)
    def __call__(self, x):
        return x in self.things
    def __mul__(self, n):
        return Shelf(*(self.things * n))
    def __rmul__(self, n):
        return self * n
    def __abs__(self):
        return len(self.things)
s = Shelf("cup", "book", "lamp")
s[0] = "mug"
del s[1]
print(s[0], len(s), list(s), s("lamp"), "mug" in s, len(s * 2), len(3 * s), abs(s))
print([t.upper() for t in s], sorted(s), dict(enumerate(s)))
class Countdown:
    def __init__(self, n):
        self.n = n
    def __iter__(self):
        return self
    def __next__(self):
        if self.n <= 0:
            raise StopIteration
        self.n -= 1
        return self.n
print(list(Countdown(4)), sum(Countdown(5)))
""",
"sort with key": """
people = [("ann", 31), ("bob", 25), ("cy", 31), ("dee", 19)]
print(sorted(people, key=lambda p: p[1]))
print(sorted(people, key=lambda p: (-p[1], p[0])))
words = ["Banana", "apple", "cherry"]
print(sorted(words), sorted(words, key=str.lower), sorted(words, key=len), max(words, key=len))
""",
"exceptions": """
def risky(n):
    if n < 0:
        raise ValueError("negative: " + str(n))
    return n
for v in [1, -1]:
    try:
        print(risky(v))
    except ValueError as e:
        print("caught", e, e.args)
    else:
        print("no error")
    finally:
        print("done", v)
try:
    {}["missing"]
except KeyError as e:
    print("key", e)
try:
    [][1]
except IndexError as e:
    print("index", e)
try:
    1 / 0
except (TypeError, ZeroDivisionError) as e:
    print("zde", e)
""",
"custom exceptions": """
class GameError(Exception):
    pass
class NoCoins(GameError):
    def __init__(self, need):
        super().__init__("need " + str(need))
        self.need = need
try:
    raise NoCoins(3)
except GameError as e:
    print("game error:", e, e.need, isinstance(e, NoCoins))
try:
    try:
        raise ValueError("inner")
    except ValueError:
        raise GameError("outer")
except GameError as e:
    print(e)
""",
"bounded recursion": """
def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fact(20), fib(15), [fib(i) for i in range(10)])
""",
"while loops": """
n = 27
steps = 0
while n != 1:
    n = n // 2 if n % 2 == 0 else 3 * n + 1
    steps += 1
print(steps)
i = 0
while True:
    i += 1
    if i > 5:
        break
    if i % 2:
        continue
    print("even", i)
else:
    print("never")
""",
"for else": """
for x in range(5):
    if x == 10:
        break
else:
    print("no break")
for i, ch in enumerate("abc", 1):
    print(i, ch)
for a, b in zip([1, 2, 3], "xyz"):
    print(a, b)
""",
"generators": """
def countdown(n):
    while n > 0:
        yield n
        n -= 1
print(list(countdown(5)))
def evens():
    yield from [0, 2, 4]
print(list(evens()), next(iter([9])))
g = (x * 2 for x in range(4))
print(next(g), list(g))
""",
"builtins": """
print(min(3, 1, 2), max([4, 9, 2]), sum([1, 2, 3], 10), any([0, 1]), all([1, 0]))
print(list(reversed([1, 2, 3])), list(filter(None, [0, 1, 2])), list(map(str, [1, 2])))
print(len("abc"), chr(65), ord("A"), hex(255), oct(8), bin(5), bool([]), int("42"), str(3.5))
print(sorted({3, 1, 2}), tuple([1, 2]), list(range(2, 10, 3)), abs(-2.5), callable(len))
print(isinstance(3, int), isinstance("x", (int, str)), type(3) == int, type("s") is str)
""",
"string building": """
parts = []
for i in range(5):
    parts.append(str(i) * i)
print(",".join(parts))
s = ""
for w in ["a", "b", "c"]:
    s += w.upper()
print(s, "abc" * 3, "x" + "y")
""",
"nested data": """
inv = {"sword": {"dmg": 5, "tags": ["sharp"]}, "shield": {"def": 3, "tags": []}}
inv["sword"]["tags"].append("steel")
print(inv["sword"], sorted(inv), [k for k, v in inv.items() if v["tags"]])
""",
"default and keyword args": """
def greet(name, greeting="hello", *rest, punct="!", **extra):
    return greeting + " " + name + punct + str(rest) + str(sorted(extra.items()))
print(greet("ann"))
print(greet("bob", "hi", 1, 2, punct="?", mood="happy"))
args = ["cy", "yo"]
opts = {"punct": "."}
print(greet(*args, **opts))
""",
"class attributes and methods": """
class Counter:
    total = 0
    def __init__(self):
        Counter.total += 1
        self.mine = 0
    def bump(self):
        self.mine += 1
        return self
    @staticmethod
    def helper(x):
        return x * 2
    @classmethod
    def make(cls):
        return cls()
a = Counter()
b = Counter.make()
a.bump().bump()
print(Counter.total, a.mine, b.mine, Counter.helper(21))
""",
"properties": """
class Temp:
    def __init__(self, c):
        self.c = c
    @property
    def f(self):
        return self.c * 9 / 5 + 32
t = Temp(100)
print(t.f)
t.c = 0
print(t.f)
""",
"global statement": """
counter = 0
def bump():
    global counter
    counter += 1
for _ in range(3):
    bump()
print(counter)
""",
"walrus": """
data = [1, 5, 12, 7]
if (n := len(data)) > 3:
    print("long", n)
print([y for x in data if (y := x * 2) > 10])
""",
"conditional expressions": """
for n in range(-1, 2):
    print("neg" if n < 0 else "zero" if n == 0 else "pos")
print(1 < 2 < 3, 3 > 2 > 2, not None, None or "default", 0 and 1)
""",
"chained comparisons": """
x = 5
print(1 < x < 10, x == 5 != 6, 2 <= x >= 5, "b" in "abc", 3 not in [1, 2])
""",
"slicing": """
s = list(range(10))
print(s[2:8:2], s[::-1], s[-3:], s[:0], "hello"[1:-1], (1, 2, 3)[::2])
del s[::3]
print(s)
""",
"integer work": """
n = 2 ** 100
print(n, n.bit_length(), n % 97, (n >> 50), int("ff", 16), (255).to_bytes(2, "big"))
print(int.from_bytes(b"\\x01\\x00", "big"), (10).as_integer_ratio(), 7 .bit_length())
""",
"bytes": """
b = "héllo".encode("utf-8")
print(b, len(b), b.decode("utf-8"), b.upper(), b[1:3], bytes(3), bytes([65, 66]), b.hex())
""",
"string methods more": """
s = "  The quick brown fox  "
print(s.lstrip(), s.rstrip(), s.strip().split(" ", 2), s.rsplit(None, 1), s.partition("quick"))
print("a-b-c".rpartition("-"), "prefix_body".removeprefix("prefix_"), "x.py".removesuffix(".py"))
print("Hello".ljust(8, ".") + "|", "Hi".rjust(5), "abc".capitalize(), "ß".casefold(), "a\\tb".expandtabs(2))
""",
"translate": """
table = str.maketrans("abc", "xyz")
print("aabbcc".translate(table), str.maketrans({"a": "1"}))
""",
"json": """
import json
data = {"name": "bell", "rings": [1, 2, 3], "ok": True, "none": None}
text = json.dumps(data, sort_keys=True)
print(text)
print(json.loads(text) == data, json.loads("[1, 2.5, \\"x\\"]"), json.dumps([1, 2], indent=2))
""",
"math": """
import math
print(math.sqrt(16), math.floor(2.7), math.ceil(2.1), math.pi, math.gcd(12, 18), math.factorial(10))
print(math.isclose(0.1 + 0.2, 0.3), math.hypot(3, 4), math.log(math.e), math.comb(5, 2), math.inf > 1)
from math import sqrt as root, pi
print(root(2), pi)
""",
"regular expressions": """
import re
m = re.search("(a+)(b)?", "xaab")
print(m.group(0), m.groups(), m.span(1), m.group(1, 2), m.start(), m.end())
p = re.compile("[0-9]+")
print(p.findall("a1b22c333"), p.sub("#", "a1b22"), re.split(",", "a,b,,c"), re.match("x", "y"))
print(re.fullmatch("[a-z]+", "abc") is not None, bool(re.search("q", "abc")))
m = re.match("(?P<word>[a-z]+)", "hello world")
print(m.group("word"), m.groupdict())
""",
"string module": """
import string
print(string.ascii_lowercase, string.digits, string.capwords("hello there world"))
""",
"queue simulation": """
queue = []
for job in ["a", "b", "c"]:
    queue.append(job)
while queue:
    job = queue.pop(0)
    print("processing", job)
    if job == "a":
        queue.append("d")
""",
"inventory class": """
class Inventory:
    def __init__(self):
        self.items = {}
    def add(self, name, n=1):
        self.items[name] = self.items.get(name, 0) + n
    def remove(self, name):
        if self.items.get(name, 0) <= 0:
            raise KeyError(name)
        self.items[name] -= 1
        if not self.items[name]:
            del self.items[name]
    def report(self):
        return ", ".join(k + "x" + str(v) for k, v in sorted(self.items.items()))
inv = Inventory()
inv.add("coin", 3)
inv.add("gem")
inv.remove("gem")
try:
    inv.remove("gem")
except KeyError as e:
    print("no", e)
print(inv.report())
""",
"state machine": """
transitions = {("closed", "open"): "opened", ("opened", "close"): "closed", ("closed", "lock"): "locked",
               ("locked", "unlock"): "closed"}
state = "closed"
for action in ["open", "close", "lock", "open", "unlock", "open"]:
    nxt = transitions.get((state, action))
    print(state, action, "->", nxt or "(ignored)")
    state = nxt or state
""",
"word count": """
text = "the cat and the hat and the bat"
counts = {}
for w in text.split():
    counts[w] = counts.get(w, 0) + 1
top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
print(top[:3])
""",
"matrix": """
m = [[1, 2], [3, 4]]
t = [list(row) for row in zip(*m)]
prod = [[sum(a * b for a, b in zip(r, c)) for c in zip(*m)] for r in m]
print(t, prod)
""",
"binary search": """
def bsearch(xs, target):
    lo, hi = 0, len(xs) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if xs[mid] == target:
            return mid
        if xs[mid] < target:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1
xs = list(range(0, 100, 3))
print(bsearch(xs, 27), bsearch(xs, 28))
""",
"primes": """
def primes(n):
    sieve = [True] * (n + 1)
    sieve[0] = sieve[1] = False
    for i in range(2, int(n ** 0.5) + 1):
        if sieve[i]:
            for j in range(i * i, n + 1, i):
                sieve[j] = False
    return [i for i, p in enumerate(sieve) if p]
print(primes(60))
""",
"assert": """
def check(x):
    assert x > 0, "must be positive"
    return x
print(check(1))
try:
    check(-1)
except AssertionError as e:
    print("assert:", e)
""",
"delete statements": """
a = 1
b = [1, 2, 3]
del b[0]
c = {"k": 1}
del c["k"]
del a
print(b, c)
class O:
    pass
o = O()
o.x = 1
del o.x
print(hasattr(o, "x"), getattr(o, "y", "dflt"))
""",
"setattr getattr": """
class Bag:
    pass
b = Bag()
setattr(b, "color", "red")
print(getattr(b, "color"), hasattr(b, "size"))
""",
"stack": """
def balanced(s):
    pairs = {")": "(", "]": "[", "}": "{"}
    stack = []
    for ch in s:
        if ch in "([{":
            stack.append(ch)
        elif ch in pairs:
            if not stack or stack.pop() != pairs[ch]:
                return False
    return not stack
print([balanced(s) for s in ["()[]{}", "([)]", "((", ""]])
""",
"inheritance chain": """
class A:
    def who(self):
        return "A"
class B(A):
    def who(self):
        return "B" + super().who()
class C(B):
    def who(self):
        return "C" + super().who()
print(C().who(), [x.who() for x in (A(), B(), C())])
""",
"lambda sort and map": """
pts = [(3, 4), (1, 1), (0, 5)]
print(sorted(pts, key=lambda p: p[0] ** 2 + p[1] ** 2))
print(list(map(lambda p: p[0] + p[1], pts)), list(filter(lambda p: p[0] > 0, pts)))
""",
"unpacking": """
a, b = 1, 2
a, b = b, a
(c, d), e = (3, 4), 5
x, *y, z = range(6)
print(a, b, c, d, e, x, y, z, [*"ab", *[1]], {**{"a": 1}, "b": 2})
def f(*args, **kw):
    return args, kw
print(f(*[1, 2], *(3,), k=1, **{"m": 2}))
""",
"augmented assignment": """
x = 10
x -= 3
x *= 2
x //= 3
x **= 2
x %= 7
x <<= 2
x >>= 1
x |= 8
x &= 12
x ^= 5
print(x)
lst = [1]
alias = lst
lst += [2]
lst *= 2
print(lst, alias is lst)
d = {"n": 1}
d["n"] += 5
print(d)
class P:
    pass
p = P()
p.v = 1
p.v += 2
print(p.v)
""",
"min max default": """
print(min([], default=None), max([1, 5, 2], key=lambda v: -v), min("hello"), max(3, 7, key=lambda v: v % 5))
""",
"random deterministic api": """
import random
print(callable(random.random), callable(random.choice))
""",
"format builtin": """
print(format(3.14159, ".2f"), format(42, "08b"), format("x", ">3"), str(None), repr("q"))
""",
"multiple return and tuples": """
def stats(xs):
    return min(xs), max(xs), sum(xs) / len(xs)
lo, hi, avg = stats([3, 9, 6])
print(lo, hi, avg)
""",
"string iteration": """
vowels = 0
for ch in "Programming In Python":
    if ch.lower() in "aeiou":
        vowels += 1
print(vowels, [c for c in "abc"], list("xy"), "".join(reversed("stressed")))
""",
"nested functions": """
def outer(x):
    def middle(y):
        def inner(z):
            return x + y + z
        return inner
    return middle
print(outer(1)(2)(3))
""",
"exception in loop with finally": """
log = []
for i in range(4):
    try:
        if i == 2:
            raise RuntimeError("boom")
        log.append(i)
    except RuntimeError as e:
        log.append(str(e))
    finally:
        log.append("f")
print(log)
""",
"reraise": """
def inner():
    raise ValueError("bad")
def outer():
    try:
        inner()
    except ValueError:
        raise
try:
    outer()
except ValueError as e:
    print("reraised", e)
""",
"dict iteration order": """
d = {}
for k in "zyxabc":
    d[k] = ord(k)
print(list(d), [v for v in d.values()][:2])
for k, v in d.items():
    if k == "a":
        print(k, v)
""",
"slice assignment and deletion": """
xs = list(range(10))
xs[1:3] = ["a", "b", "c"]
xs[::3] = [0] * len(xs[::3])
del xs[::2]
xs[len(xs):] = (x * 10 for x in range(3))
xs[:0] = "hi"
del xs[-2:]
print(xs)
ys = [1, 2, 3]
ys[0:1] += [9]
ys[:] = []
print(ys)
class Grid:
    def __init__(self):
        self.log = []
    def __setitem__(self, key, value):
        self.log.append(("set", value))
    def __delitem__(self, key):
        self.log.append("del")
g = Grid()
g[1:2] = "v"
del g[::2]
print(g.log)
for bad in ("abc", (1, 2)):
    try:
        bad[0:1] = "x"
    except TypeError as e:
        print("TypeError", e)
""",
"annotated assignments": """
count: int = 3
name: str
class Point:
    x: int = 0
    y: int = 0
    def __init__(self, x: int, y: int = 0) -> None:
        self.x: int = x
        self.y = y
def scale(p: Point, k: float = 2.0) -> Point:
    factor: float = k
    return Point(p.x * factor, p.y * factor)
p = scale(Point(2, 3))
print(count, Point.x, p.x, p.y)
""",
"nonlocal counters": """
def counter(start=0):
    n = start
    def step(by=1):
        nonlocal n
        n += by
        return n
    return step
c = counter(10)
c()
c(5)
print(c(), counter()())
def outer():
    a = b = 0
    def inner():
        nonlocal a, b
        a, b = b + 1, a + 2
    for _ in range(3):
        inner()
    return a, b
print(outer())
""",
"starred loop targets": """
rows = [(1, 2, 3), [4], "xyz", range(3)]
for first, *rest in rows:
    print(first, rest)
print([rest for _, *rest in rows])
print({head: len(tail) for head, *tail in ["ab", "cde"]})
for *init, last in [(1, 2, 3)]:
    print(init, last)
""",
"json options": """
import json
data = {"b": "caf\u00e9", "a": [1, 2.5, None, True], "c": {"z": 1, "y": (2, 3)}, 3: "n"}
print(json.dumps(data, sort_keys=False))
print(json.dumps(data, ensure_ascii=False))
print(json.dumps(data, indent=2, sort_keys=False))
print(json.dumps([1, [2, {"k": []}]], indent="\t"))
print(json.dumps(data, separators=(",", ":"), ensure_ascii=False))
print(json.dumps({"x": float("inf")}), json.dumps([], indent=4), json.dumps({}, indent=4))
print(json.dumps({"b": 1, "a": 2}, sort_keys=True, indent=0))
print(json.dumps("\\u2603\\U0001f600\\n\\t\\x00"), json.dumps("\\u2603", ensure_ascii=False))
try:
    json.loads("{bad")
except ValueError as e:
    print("ValueError", e)
""",
"catching by name": """
import math
for attempt in ("from math import sqrt", "from math import nothing", "import nothing"):
    try:
        if attempt == "from math import sqrt":
            from math import sqrt
        elif attempt == "from math import nothing":
            from math import nothing
        else:
            import nothing
        print("imported")
    except ModuleNotFoundError:
        print("no such module")
    except ImportError:
        print("no such name")
try:
    "caf\u00e9".encode("ascii")
except UnicodeEncodeError:
    print("UnicodeEncodeError")
try:
    b"\\xff".decode("utf-8")
except UnicodeDecodeError:
    print("UnicodeDecodeError")
except UnicodeError:
    print("wrong")
try:
    "x".encode("no-such-codec")
except LookupError:
    print("LookupError")
for exc in (KeyError("k"), IndexError(1), ZeroDivisionError(), StopIteration()):
    try:
        raise exc
    except (LookupError, ArithmeticError, StopIteration) as e:
        print(type(e).__name__, isinstance(e, Exception))
print(issubclass(ModuleNotFoundError, ImportError), issubclass(UnicodeDecodeError, ValueError))
""",
"names of things": """
class Shape:
    def area(self):
        return 0
def helper():
    pass
square = lambda x: x * x
print(Shape.__name__, type(Shape()).__name__, helper.__name__, square.__name__)
print(Shape().area.__name__, len.__name__, sorted.__name__, type(3).__name__)
print(type("").__name__, type([]).__name__, ValueError.__name__, getattr(helper, "__name__"))
try:
    1 / 0
except Exception as e:
    print(type(e).__name__)
try:
    (3).__name__
except AttributeError:
    print("AttributeError")
""",
"sums of anything": """
print(sum([[1], [2, 3], []], []), sum([(1,), (2,)], ()), sum([0.1] * 10), sum(range(5), 0.5))
class Money:
    def __init__(self, cents):
        self.cents = cents
    def __add__(self, other):
        return Money(self.cents + other.cents)
print(sum([Money(5), Money(7)], Money(0)).cents)
try:
    sum(["a", "b"], "")
except TypeError as e:
    print("TypeError", e)
""",
"more idioms": """
d = {"b": 2, "a": 1}
print(sorted(d, key=d.get, reverse=True), list(enumerate("ab", start=1)))
print(min([], default=None), max(["pear", "fig"], key=len), divmod(-7, 2), round(-2.5))
print(any(x > 2 for x in range(5)), all(x < 9 for x in range(5)), isinstance(1, (str, int)))
n = 0
while (n := n + 1) < 3:
    pass
else:
    print("while else", n)
print(1 < n <= 3 < 4, "Hello".removeprefix("He").zfill(5), "a=b=c".partition("="))
print("Stra\u00dfe".casefold(), "abc".rpartition("b"), "x".center(5, "*"))
a, *b, c = "hello"
print(a, b, c, f"{3.14159:8.3f}|{42:#x}|{'s'!r:>5}|{n=}")
""",
"type checks": """
print(type([]) is list, type({}) == dict, type(1.5) is float, type("") is str, isinstance(True, int))
""",
}

COMPAT = tuple(Case(name, source.strip("\n") + "\n") for name, source in _SOURCES.items())
