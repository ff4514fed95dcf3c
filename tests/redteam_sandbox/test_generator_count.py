"""
Paused generators a domain holds are counted, whatever the budget (issue 9).

CPython frees a chain of paused generators (each holding the next) recursively in
C, and Python 3.13 closes each inside the deallocation of the one before: a chain
about 37 000 long overflows an 8 MiB stack (unstarted ones, which are freed
without being closed, somewhat over 100 000). Ticks bounded that only
indirectly (C{rewrite.GENERATOR_COST}): an operator's budget above ~450 000 ticks
let one task build a chain that killed the process. Now every generator a
domain's scripts make (a generator function's or lambda's call, a generator
expression) is counted while it lives (C{hooks.GENERATORS_MAX} at once per
domain), so no budget reaches a chain that long: the task making one too many
is aborted with a clear reason.

Each attack below builds its chain with a budget of 10**8 ticks to a length
above the limit and well below the crash (so a failure here fails the test, not
the process); the last one runs on past the crash length in a subprocess.
"""

from __future__ import annotations

import ast
import gc
import os
import subprocess
import sys

from twisted.trial import unittest

from scripting import Budget, Domain
from scripting.hooks import GENERATORS_MAX
from scripting.rewrite import rewrite, unmain
from tests.scripting.corpus_compat import COMPAT

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

#: what no operator would give, but may: ticks are no bound here
HUGE = Budget(ticks=10**8, seconds=600.0, memory=2**34)
#: a length over the limit, far below the shortest crash (~37 000 on 3.13)
OVER = GENERATORS_MAX + 2_000
TOO_MANY = f"too many generators alive at once ({GENERATORS_MAX:,} at most)".replace(",", " ")


def grown(prelude: str, step: str, start: str = "None", n: int = OVER) -> str:
    """A script whose C{go()} grows a chain C{n} long from C{start} by C{step} (which
    makes C{it} from the C{it} before), and keeps it."""
    body = "\n".join("        " + line for line in step.splitlines())
    return (f"{prelude}\nkept = None\n"
            f"def go():\n    global kept\n    it = {start}\n"
            f"    for i in range({n}):\n{body}\n    kept = it\n    return 'built'\n")


CHAINS = {
    "paused generator functions": grown(
        "def g(inner):\n    yield 0\n    yield inner", "it = g(it)\nnext(it)"),
    "unstarted generator functions": grown(
        "def g(inner):\n    yield inner", "it = g(it)"),
    "yield from": grown(
        "def g(inner):\n    yield 0\n    yield from inner\n"
        "def base():\n    yield 0\n    yield 1", "it = g(it)\nnext(it)", start="base()"),
    "generator expressions over generator expressions": grown(
        "", "it = (x for x in it)", start="iter([1])"),
    "generator expression holding the last in a closure": grown(
        "def hold(inner):\n    return (inner for _ in range(2))", "it = hold(it)\nnext(it)"),
    "generator lambdas": grown(
        "g = lambda inner: ((yield 0), (yield inner))", "it = g(it)\nnext(it)"),
    "generator methods": grown(
        "class Node:\n    def __init__(self, inner):\n        self.inner = inner\n"
        "    def walk(self):\n        yield 0\n        yield self.inner",
        "it = Node(it).walk()\nnext(it)"),
    "static and class method generators": grown(
        "class K:\n    @staticmethod\n    def s(inner):\n        yield 0\n        yield inner\n"
        "    @classmethod\n    def c(cls, inner):\n        yield 0\n        yield inner",
        "it = K.s(it)\nnext(it)\nit = K.c(it)\nnext(it)", n=OVER // 2),
    "closures holding generators": grown(
        "def g(f):\n    yield 0\n    yield f",
        "h = g(it)\nnext(h)\nit = lambda h=h: h"),
    "generators in lists": grown(
        "def g(inner):\n    yield 0\n    yield inner", "it = g([it])\nnext(it)"),
    "through builtins (map, filter, zip, enumerate, iter)": grown(
        "def g(inner):\n    yield 0\n    yield from inner\n"
        "def base():\n    yield 0\n    yield 1",
        "it = g(map(abs, filter(None, zip(enumerate(iter(it))))))\nnext(it)",
        start="base()"),
    # A yield in what a nested scope runs in the one around it makes that one a
    # generator: a default, a comprehension's first iterable (the rewriter once looked
    # only at its own statements, past every nested scope).
    "yield in a nested function's default": grown(
        "def g(inner):\n    def h(x=(yield inner)):\n        pass", "it = g(it)\nnext(it)"),
    "yield in a nested lambda's default": grown(
        "def g(inner):\n    f = lambda x=(yield inner): x", "it = g(it)\nnext(it)"),
    "yield in a comprehension's first iterable": grown(
        "def g(inner):\n    return [x for x in (yield inner)]", "it = g(it)\nnext(it)"),
    "yield in a generator expression's first iterable": grown(
        "def g(inner):\n    return (x for x in (yield inner))", "it = g(it)\nnext(it)"),
    "yield in a nested class's bases": grown(
        "def g(inner):\n    class K((yield inner)):\n        pass", "it = g(it)\nnext(it)"),
    "generators made inside generators": grown(
        "def g(inner):\n    yield 0\n    h = (x for x in [inner])\n    yield h",
        "it = g(it)\nnext(it)"),
}


class GeneratorCountTests(unittest.TestCase):
    """However a chain of generators is built, the domain's count stops it, with any
    budget."""

    def test_every_way_to_chain_them(self) -> None:
        """Each construction is stopped with the limit's reason, and keeps nothing."""
        for name, source in CHAINS.items():
            module = Domain("ann").load(source)
            result = module.call("go", budget=HUGE)
            self.assertEqual(result.aborted, TOO_MANY, (name, result.value, result.error))
            self.assertIn(f"Task aborted: {TOO_MANY}", result.error, name)

    def test_short_lived_generators_are_not_counted_for_long(self) -> None:
        """Many more generators than the limit, made and dropped one after another (or a
        few alive at a time), are fine: only the living count."""
        module = Domain("ann").load(
            "def g(n):\n    yield n\n"
            "def go(n):\n    total = 0\n    for i in range(n):\n"
            "        total += sum(x for x in g(i))\n        it = g(i)\n        next(it)\n"
            "    return total\n")
        result = module.call("go", 3 * GENERATORS_MAX, budget=HUGE)
        self.assertTrue(result.ok, result.error)
        self.assertEqual(result.value, sum(range(3 * GENERATORS_MAX)))

    def test_kept_between_tasks(self) -> None:
        """Generators kept in the module's state still count in the next task; once
        dropped, they count no more."""
        module = Domain("ann").load(
            "kept = []\ndef g():\n    yield 0\n"
            "def keep(n):\n    for i in range(n):\n        kept.append(g())\n"
            "def drop():\n    kept.clear()\n")
        half = GENERATORS_MAX // 2 + 10
        self.assertTrue(module.call("keep", half, budget=HUGE).ok)
        self.assertEqual(module.call("keep", half, budget=HUGE).aborted, TOO_MANY)
        self.assertTrue(module.call("drop").ok)
        self.assertTrue(module.call("keep", half, budget=HUGE).ok)

    def test_cycles_forgotten_when_collected(self) -> None:
        """Generators in reference cycles (a generator method of an object that keeps it)
        count until the collector frees them, then no more."""
        source = (
            "class Walker:\n    def __init__(self):\n        self.it = self.walk()\n"
            "    def walk(self):\n        yield self\n"
            "def make(n):\n    for i in range(n):\n        Walker()\n")
        domain = Domain("ann")
        module = domain.load(source)
        gc.disable()
        try:
            self.assertTrue(module.call("make", GENERATORS_MAX - 10, budget=HUGE).ok)
            self.assertEqual(module.call("make", 20, budget=HUGE).aborted, TOO_MANY)
        finally:
            gc.enable()
        gc.collect()
        self.assertEqual(len(domain.generators), 0)
        self.assertTrue(module.call("make", GENERATORS_MAX - 10, budget=HUGE).ok)

    def test_counted_per_domain(self) -> None:
        """One owner's generators do not count against another's."""
        source = ("kept = []\ndef g():\n    yield 0\n"
                  "def keep(n):\n    for i in range(n):\n        kept.append(g())\n")
        ann = Domain("ann").load(source)
        bob = Domain("bob").load(source)
        self.assertTrue(ann.call("keep", GENERATORS_MAX - 10, budget=HUGE).ok)
        self.assertTrue(bob.call("keep", GENERATORS_MAX - 10, budget=HUGE).ok)
        self.assertEqual(ann.call("keep", 20, budget=HUGE).aborted, TOO_MANY)

    def test_generators_behave_as_before(self) -> None:
        """The counting changes nothing a script can see: arguments, defaults, keyword
        and starred parameters, methods, C{super()}, names and reprs are plain
        CPython's."""
        source = (
            "def g(a, /, b=2, *rest, c, d=4, **kw):\n"
            "    a = a + 1\n    yield (a, b, rest, c, d, sorted(kw.items()))\n"
            "class Base:\n    def items(self):\n        yield 'base'\n"
            "class Kid(Base):\n    def items(self, n=1):\n"
            "        yield from super().items()\n        yield n\n"
            "        yield shown(x for x in [])\n"
            "def named(g):\n    yield g\n"
            "def shown(x):\n    return repr(x).split(' at ')[0].rstrip('>')\n"
            "def go():\n"
            "    out = [next(g(1, c=3)), next(g(1, 5, 6, 7, c=3, e=8, a=9)),\n"
            "           list(Kid().items()), list(Kid().items(n=2)), g.__name__,\n"
            "           shown(g(1, c=0)), shown(named(0)),\n"
            "           next(named(5)), shown(x for x in []),\n"
            "           next((lambda x: (yield x))(7)),\n"
            "           shown((lambda: (yield))())]\n"
            "    try:\n        g(1)\n    except TypeError as e:\n        out.append(str(e))\n"
            "    out.append(redefined())\n    out.append(made_in_a_loop())\n"
            "    out.append(list(nested(3)))\n"
            "    return out\n"
            # a generator function defined again in the same scope: each keeps its body
            "def redefined():\n    def h():\n        yield 'first'\n    first = h\n"
            "    def h():\n        yield 'second'\n    return [next(first()), next(h())]\n"
            # made in a loop, over a variable of the scope around it (late binding)
            "def made_in_a_loop():\n    made = []\n    for k in range(3):\n"
            "        def h(j=k):\n            yield (j, k)\n        made.append(h)\n"
            "    k = 9\n    return [next(h()) for h in made]\n"
            # a generator function inside a generator function's body
            "def nested(n):\n    def inner(m):\n        yield from range(m)\n"
            "    yield from inner(n)\n    yield shown(inner(1))\n")
        native: dict = {}
        exec(compile(source, "<native>", "exec"), native)  # noqa: S102 - our own source
        result = Domain("ann").load(source).call("go")
        self.assertTrue(result.ok, result.error)
        self.assertEqual(result.value, native["go"]())
        self.assertIn("<generator object g", result.value)
        self.assertIn("<generator object go.<locals>.<lambda", result.value)

    def test_every_generator_expression_is_counted(self) -> None:
        """In the rewritten compatibility corpus and the attacks above, every generator
        expression is made inside C{$gen(...)} (where the rewriter visits every node)."""
        sources = [case.source for case in COMPAT] + list(CHAINS.values())
        seen = 0
        for source in sources:
            tree = rewrite(ast.parse(source))
            wrapped = {id(node.args[0]) for node in ast.walk(tree)
                       if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                       and node.func.id == "$gen"}
            for node in ast.walk(tree):
                if isinstance(node, ast.GeneratorExp):
                    seen += 1
                    self.assertIn(id(node), wrapped, ast.unparse(node))
        self.assertGreater(seen, 10)

    def test_uncounted_generator_code_refused(self) -> None:
        """Code the rewriter did not count (a generator function not made plain, a
        generator expression outside C{$gen}) is refused at compile time, not run."""
        for source in ("def f():\n    yield 1\n", "g = (x for x in [])\n"):
            with self.assertRaisesRegex(ValueError, "a generator the rewriter did not count"):
                unmain(compile(source, "<script:t>", "exec"))

    def test_past_the_crash_length(self) -> None:
        """Building on past where freeing the chain would crash 3.13 (in a subprocess, so
        that a crash fails this test instead of ending it): aborted, and the process
        frees what was built."""
        code = (f"import sys\nsys.path.insert(0, {ROOT!r})\n"
                "from scripting import Budget, Domain\n"
                f"m = Domain('ann').load({grown(*_PAUSED, n=60_000)!r})\n"
                "r = m.call('go', budget=Budget(ticks=10**8, seconds=600.0, memory=2**34))\n"
                "print('result', r.aborted)\nm = r = None\nprint('survived')\n")
        child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               timeout=300, check=False)
        self.assertEqual(child.returncode, 0, child.stderr[-2000:])
        self.assertIn(f"result {TOO_MANY}", child.stdout)
        self.assertIn("survived", child.stdout)


_PAUSED = ("def g(inner):\n    yield 0\n    yield inner", "it = g(it)\nnext(it)")
