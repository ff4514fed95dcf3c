"""
The scripts every benchmark runner executes: ordinary player-script work.

Each is plain Python that runs unchanged in CPython, in Tessera's sandbox and
under RestrictedPython, and leaves its answer in C{result} so runs can be
checked for agreement.
"""

WORKLOADS: dict[str, str] = {
    "arithmetic loop": """
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
    "string work": """
parts = []
for i in range(20000):
    parts.append(str(i).zfill(6)[::-1].upper())
result = len(",".join(parts))
""",
    "objects and methods": """
class Point:
    def __init__(self, x):
        self.x = x

    def double(self):
        return self.x * 2

total = 0
for i in range(50000):
    total += Point(i).double()
result = total
""",
    "dict and comprehension": """
table = {i: i * 2 for i in range(100000)}
result = sum([v for v in table.values() if v % 3 == 0])
""",
    "sort with a key": """
data = [(i * 7919) % 10007 for i in range(50000)]
result = sorted(data, key=lambda v: -v)[0]
""",
}
