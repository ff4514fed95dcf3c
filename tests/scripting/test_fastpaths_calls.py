"""Attacks on the fast paths of calls, and on what comprehensions are charged (issue 11 §3).

A comprehension is charged a slot for each element it will walk before the first one runs,
and when it ends that charge becomes what its result keeps; these tests check that a walk
keeping nothing costs no memory, that what is kept is still charged, and that no order of
nested, raising or growing comprehensions gives back more than was charged. The rewriter
copies a tree by its declared fields only.
"""

from __future__ import annotations

import ast

from twisted.trial import unittest
from zope.interface import Interface, implementer

from scripting import Budget, run
from scripting.rewrite import rewrite
from scripting.task import STATE
from tests.scripting.test_api import facet

ROOMY = Budget(ticks=10**8, seconds=60.0)
SMALL = Budget(ticks=20_000, seconds=5.0)


class IMeter(Interface):
    def left():
        "the running task's memory allowance left, in bytes"


@implementer(IMeter)
class Meter:
    def left(self) -> int:
        assert STATE.task is not None
        return STATE.task.memory_left


class CloneTests(unittest.TestCase):
    """The rewriter copies a tree it was handed by each node's declared fields and
    location only."""

    def test_nothing_hung_on_a_node_is_copied(self) -> None:
        """A tree whose nodes carry a link to their parent (which made the old copy, by
        C{__dict__}, walk back up the tree forever) and an analysis' notes is rewritten,
        and nothing but declared fields and locations reaches the copy; the tree handed
        in is left as it was."""
        tree = ast.parse("x = 1\ndef f(a):\n    return [a + x for _ in range(2)]\n")
        note = object()
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                child.parent = node  # type: ignore[attr-defined]
            node.note = note  # type: ignore[attr-defined]
        before = ast.dump(tree, include_attributes=True)
        out = rewrite(tree)
        for node in ast.walk(out):
            self.assertFalse(hasattr(node, "parent") or hasattr(node, "note"), node)
        self.assertEqual(ast.dump(tree, include_attributes=True), before)
        code = compile(out, "<t>", "exec")
        self.assertIsNotNone(code)

    def test_locations_are_copied(self) -> None:
        """The copy keeps every node's line and column, so tracebacks show the script's
        own lines."""
        result = run("def f(xs):\n    return [1 // x for x in xs]\nf([1, 0])")
        self.assertFalse(result.ok)
        self.assertIn("line 2", result.error or "")


class ComprehensionMemoryTests(unittest.TestCase):
    """A comprehension's up-front memory charge is settled against what it keeps."""

    def remaining_memory(self, source: str) -> int:
        result = run(source + "\nmeter.left()", budget=ROOMY,
                     endowments={"meter": facet(Meter(), IMeter)})
        self.assertTrue(result.ok, (source, result.error))
        return result.value

    def test_a_walk_that_keeps_nothing_costs_no_memory(self) -> None:
        """Walking a 100 000-element list 400 times in a filtering comprehension that keeps
        nothing finishes (it used to abort: each walk was charged as if it allocated a slot
        per element, 320 MB against the 32 MiB allowance); so do walks in every kind of
        comprehension, at the top level and in a function, with a small allowance."""
        result = run("xs = list(range(100000))\nn = 0\nfor i in range(400):\n"
                     "    n += len([x for x in xs if x < 0])\nn", budget=ROOMY)
        self.assertEqual(result.value, 0, result.error)
        small = Budget(ticks=10**8, seconds=60.0, memory=1 << 20)
        for comp in ("[x for x in xs if x < 0]", "{x for x in xs if x < 0}",
                     "{x: x for x in xs if x < 0}", "[x for x in range(20000) if x < 0]",
                     "[y for x in range(200) for y in range(100) if y < 0]",
                     "[x for x in ts if x < 0]", "[k for k in d if k < 0]"):
            source = ("xs = list(range(20000))\nts = tuple(xs)\nd = dict.fromkeys(xs)\n"
                      f"n = 0\nfor i in range(100):\n    n += len({comp})\n")
            result = run(source + "n", budget=small)
            self.assertEqual(result.value, 0, (comp, result.error))
            indented = source.replace("\n", "\n    ")
            result = run(f"def f():\n    {indented}return n\nf()", budget=small)
            self.assertEqual(result.value, 0, (comp, result.error))

    def test_what_is_kept_is_charged(self) -> None:
        """A result keeps its slots charged: keeping them all runs out of memory as before,
        and a task's remaining memory falls by a slot per element kept."""
        result = run("def f():\n    xs = [0] * 1000000\n    keep = []\n    while True:\n"
                     "        keep.append([x for x in xs])\nf()", budget=ROOMY)
        self.assertEqual(result.aborted, "used too much memory", result.error)
        base = self.remaining_memory("xs = list(range(1000))\nys = 0")
        kept = self.remaining_memory("xs = list(range(1000))\nys = [x for x in xs if x % 2]")
        self.assertEqual(base - kept, 8 * 500)
        kept = self.remaining_memory("xs = list(range(1000))\n"
                                     "ys = {x: [y for y in xs] for x in xs[:3]}")
        self.assertEqual(base - kept, 8 * 1000 * 3 + 8 * 3 + 8 * 3)  # the slice's copy too

    def test_a_list_that_grows_while_walked_pays_its_result(self) -> None:
        """Elements the comprehension's body appends to the list it walks were never
        reserved: the result that holds them is charged for them when it is built."""
        base = self.remaining_memory("xs = [1, 2]\nys = 0")
        kept = self.remaining_memory(
            "xs = [1, 2]\nys = [xs.append(x) or x for x in xs if len(xs) < 1000]")
        self.assertEqual(base - kept, 8 * 998)

    def test_raising_comprehensions_never_give_back_more(self) -> None:
        """A comprehension that raises keeps its reservation until an enclosing one ends;
        none gives back more than it was charged, however they nest, raise or are caught,
        so the task's memory never grows past its budget and a loop of them that keeps
        everything still runs out of memory."""
        source = (
            "def inner(xs):\n    try:\n        return [1 // (x - 5) for x in xs]\n"
            "    except ZeroDivisionError:\n        return []\n"
            "xs = list(range(10))\nbig = list(range(100000))\nkeep = []\n"
            "for i in range(2000):\n"
            "    keep.append([inner(xs) for _ in range(3)])\n"
            "    keep.append([y for y in big if y % 2])\n")
        result = run(source, budget=ROOMY)
        self.assertEqual(result.aborted, "used too much memory", result.error)
        left = self.remaining_memory(
            "def inner(xs):\n    try:\n        return [1 // (x - 5) for x in xs]\n"
            "    except ZeroDivisionError:\n        return []\n"
            "xs = list(range(10))\nfor i in range(50):\n    [inner(xs) for _ in range(3)]\n"
            "    inner(xs)\n")
        self.assertLessEqual(left, Budget().memory)

    def test_generator_expressions_are_unchanged(self) -> None:
        """A generator expression reserves nothing (it is charged one element at a time)
        and settles nothing, even when a comprehension runs inside it."""
        base = self.remaining_memory("xs = list(range(1000))\nys = 0")
        left = self.remaining_memory(
            "xs = list(range(1000))\nys = sum(len([y for y in xs if y < 0]) for x in xs[:10])")
        self.assertEqual(base - left, 8 * 10)  # the slice's copy

    def test_answers_agree_with_cpython(self) -> None:
        """Comprehensions wrapped to settle their charge give CPython's answers, in class
        bodies, lambdas and nested ones, and their names and errors are unchanged."""
        source = (
            "class C:\n    xs = [1, 2, 3]\n    ys = [x * 2 for x in xs]\n"
            "    d = {x: x for x in range(3)}\n"
            "f = lambda n: {k for k in range(n) if k % 2}\n"
            "result = (C.ys, C.d, f(7), [[y for y in range(x)] for x in range(4)],\n"
            "          {x: {y for y in range(x)} for x in range(3)})\n")
        namespace: dict = {}
        exec(compile(source, "<plain>", "exec"), namespace)  # noqa: S102 - the reference
        result = run(source + "result", budget=ROOMY)
        self.assertEqual(result.value, namespace["result"], result.error)


class KeyLambdaTests(unittest.TestCase):
    """C{key=lambda ...} in a simple statement of a function or the top level becomes a
    C{def} with its tick point inline (no C{$lam} call per key); everything the lambda
    meant, every budget and every check on the keys stays."""

    def check_aborts(self, source: str, reason: str, budget: Budget = SMALL) -> None:
        result = run(source, budget=budget)
        self.assertFalse(result.ok, source)
        self.assertEqual(result.aborted, reason, (source, result.error))

    def same_as_cpython(self, source: str) -> None:
        namespace: dict = {}
        exec(compile(source, "<plain>", "exec"), namespace)  # noqa: S102 - the reference
        outcome = run(source + "\nresult\n", budget=Budget(ticks=10**6, seconds=30.0))
        self.assertTrue(outcome.ok, (source, outcome.error))
        self.assertEqual(outcome.value, namespace["result"], source)

    def test_which_lambdas_become_defs(self) -> None:
        """The first key lambda of a simple statement in a function or at the top level
        becomes a C{def}; one with defaults, one that pauses, one in a class body, a
        comprehension, a generator expression or another lambda, and a second one in the
        same statement stay lambdas (with C{$lam})."""
        def shapes(source: str) -> tuple[int, int]:
            tree = rewrite(ast.parse(source))
            defs = sum(isinstance(n, ast.FunctionDef) and n.name == "<lambda>"
                       for n in ast.walk(tree))
            lams = sum(isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                       and n.func.id == "$lam" for n in ast.walk(tree))
            return defs, lams
        self.assertEqual(shapes("sorted(xs, key=lambda v: -v)"), (1, 0))
        self.assertEqual(shapes("def f(xs):\n    while 1:\n        if xs:\n"
                                "            return min(xs, key=lambda v: v)"), (1, 0))
        self.assertEqual(shapes("try:\n    pass\nexcept E:\n    x = max(xs, key=lambda v: v)\n"
                                "finally:\n    xs.sort(key=lambda v: v)"), (2, 0))
        for source in ("sorted(xs, key=lambda v, w=1: v)", "sorted(xs, key=lambda *, w=1: w)",
                       "sorted(xs, key=lambda v: (yield v))",
                       "class C:\n    x = sorted(xs, key=lambda v: v)",
                       "class C:\n    if 1:\n        x = sorted(xs, key=lambda v: v)",
                       "[sorted(xs, key=lambda v: v) for x in xs]",
                       "list(sorted(xs, key=lambda v: v) for x in xs)",
                       "f = lambda: sorted(xs, key=lambda v: v)",
                       "for x in sorted(xs, key=lambda v: v):\n    pass"):
            self.assertEqual(shapes(source)[0], 0, source)
        self.assertEqual(
            shapes("class C:\n    def m(self):\n        return min(xs, key=lambda v: v)"), (1, 0))
        self.assertEqual(shapes("x = sorted(a, key=lambda v: v) + sorted(b, key=lambda v: -v)"),
                         (1, 1))

    def test_answers_agree_with_cpython(self) -> None:
        """Keys over late-bound loop variables, names bound after the statement, walrus
        targets inside the key, keys that read the list being sorted, two keys in one
        statement, methods, generators and top-level names give CPython's answers, and the
        function's name is still C{<lambda>}."""
        self.same_as_cpython(
            "def g(key):\n    return key.__name__, key(3)\n"
            "def f(xs):\n    out = []\n    later = -1\n    for i in range(3):\n"
            "        out.append(sorted(xs, key=lambda v: (v * i) % 5))\n"
            "        k = sorted(xs, key=lambda v: (w := v + i) - w + later)\n"
            "        later = i\n"
            "        out.append(k)\n"
            "    out.append(sorted(xs, key=lambda v: -v) + sorted(xs, key=lambda v: v % 3))\n"
            "    out.append(max(xs, key=lambda v: xs.index(v)))\n"
            "    out.append(g(key=lambda v: v * 2))\n"
            "    return out\n"
            "def gen(xs):\n    yield min(xs, key=lambda v: abs(v - 3))\n"
            "class C:\n    k = 2\n    def m(self, xs):\n"
            "        return sorted(xs, key=lambda v: v % self.k)\n"
            "xs = [5, 3, 8, 1, 9, 2]\n"
            "result = (f(xs), list(gen(xs)), C().m(xs), g(key=lambda v: -v),\n"
            "          sorted(xs, key=lambda v: -v))")

    def test_keys_that_raise_or_mutate(self) -> None:
        """A key that raises stops the sort with its error, the list untouched; a key
        that appends to the list being sorted gets CPython's error; the script goes on."""
        self.same_as_cpython(
            "out = []\nxs = [3, 1, 2]\n"
            "try:\n    xs.sort(key=lambda v: 1 // (v - 1))\nexcept ZeroDivisionError:\n"
            "    out.append(('raised', xs))\n"
            "def f():\n    ys = [3, 1, 2]\n    try:\n"
            "        ys.sort(key=lambda v: ys.append(v) or v)\n"
            "    except ValueError as e:\n        return str(e), len(ys)\n"
            "out.append(f())\n"
            "try:\n    sorted([1, 2], key=lambda v: undefined_name)\nexcept NameError:\n"
            "    out.append('name')\nresult = out")

    def test_budgets_hold_through_the_defs(self) -> None:
        """Keys alone run out of ticks; recursion through a key (through the C sort and
        the facade's frames) meets the depth limit, not CPython's; a key returning a
        doubled tuple is still charged its comparisons; ticks spent per key are the
        lambda's."""
        self.check_aborts("sorted(range(10 ** 6), key=lambda v: -v)", "ran out of ticks")
        self.check_aborts("def f():\n    return sorted(range(10 ** 6), key=lambda v: -v)\nf()",
                          "ran out of ticks")
        for source in ("def f(n):\n    return sorted([n], key=lambda v: f(v + 1))\nf(0)",
                       "def f(n):\n    return min([n, n], key=lambda v: f(v + 1))\nf(0)",
                       "f = lambda n: max([n], key=lambda v: f(v + 1))\nf(0)",
                       "def f(n):\n    xs = [n]\n    xs.sort(key=lambda v: f(v + 1))\nf(0)"):
            self.check_aborts(source, "calls nested too deeply",
                              Budget(ticks=10**6, seconds=10.0))
        self.check_aborts("t = (1,)\nfor i in range(40):\n    t = (t, t)\ndef f():\n"
                          "    while True:\n        sorted(range(8), key=lambda v: t)\nf()",
                          "ran out of ticks")
        plain = run("def f(xs):\n    return sorted(xs, key=(lambda v: -v) if xs else None)\n"
                    "f(list(range(1000)))", budget=Budget(ticks=10**6, seconds=10.0))
        made = run("def f(xs):\n    return sorted(xs, key=lambda v: -v)\nf(list(range(1000)))",
                   budget=Budget(ticks=10**6, seconds=10.0))
        self.assertEqual(plain.value, made.value)
        self.assertEqual(plain.ticks, made.ticks)

    def test_the_local_cannot_be_named(self) -> None:
        """The local the C{def} is bound to is not a name a script can write, read through
        any builtin, or find in a traceback's text as anything but the lambda's name."""
        for source in ("<lambda>", "globals()['<lambda>']", "vars()['<lambda>']",
                       "locals()['<lambda>']"):
            result = run(f"sorted([1], key=lambda v: v)\n{source}", budget=SMALL)
            self.assertFalse(result.ok, source)
        result = run("def f():\n    sorted([1, 0], key=lambda v: 1 // v)\nf()", budget=SMALL)
        self.assertIn("in <lambda>", result.error or "")
