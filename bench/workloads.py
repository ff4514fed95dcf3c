"""
The scripts every benchmark runner executes: ordinary player-script work.

Each is plain Python that runs unchanged in CPython, in Tessera's sandbox and
under RestrictedPython, and leaves its answer in C{result} so runs can be
checked for agreement. Most of the work happens inside functions, as it does
in a verb; the first two run at the top level, as an C{@eval} line does.
"""

WORKLOADS: dict[str, str] = {
    "summing loop": """
total = 0
for i in range(200000):
    total += i * i % 7
result = total
""",
    "function calls": """
def step(x):
    return x + 1

y = 0
for i in range(100000):
    y = step(y)
result = y
""",
    "recursion": """
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

result = fib(22)
""",
    "string building": """
def build(n):
    parts = []
    for i in range(n):
        parts.append(str(i).zfill(6)[::-1].upper())
    line = ""
    for i in range(n // 10):
        line += f"{i}:{i * 2},"
    return len(",".join(parts)) + len(line)

result = build(20000)
""",
    "string methods": """
def clean(lines):
    out = []
    for line in lines:
        line = line.strip().lower()
        if not line or line.startswith("#"):
            continue
        name, _, value = line.partition("=")
        out.append(name.strip() + "=" + value.strip().replace(" ", "_"))
    return out

text = "\\n".join(f"  Key{i} = Some Value {i}  " if i % 5 else "# comment" for i in range(3000))
result = len(clean(text.split("\\n")))
for i in range(5):
    result += len(clean(text.split("\\n")))
""",
    "dict counting": """
def count(words):
    counts = {}
    for word in words:
        counts[word] = counts.get(word, 0) + 1
    best = 0
    for word in counts:
        if counts[word] > best:
            best = counts[word]
    return best, len(counts)

words = [("w" + str(i % 997)) for i in range(60000)]
result = count(words)
""",
    "classes and methods": """
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def moved(self, dx):
        return Point(self.x + dx, self.y)

    def norm(self):
        return abs(self.x) + abs(self.y)

def walk(n):
    p = Point(0, 0)
    total = 0
    for i in range(n):
        p = p.moved(1)
        total += p.norm()
    return total

result = walk(30000)
""",
    "sort with a key": """
data = [(i * 7919) % 10007 for i in range(50000)]
result = sorted(data, key=lambda v: -v)[0]
""",
    "comprehensions": """
def shapes(n):
    table = {i: i * 2 for i in range(n)}
    evens = [v for v in table.values() if v % 3 == 0]
    seen = {v % 101 for v in evens}
    pairs = [(k, v) for k, v in table.items() if k % 7 == 0]
    return sum(evens) + len(seen) + len(pairs)

result = shapes(100000)
""",
}
