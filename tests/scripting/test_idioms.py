"""Ordinary Python that was refused and is now guarded: each form's attacks (issue 10 §4).

Slice assignment and deletion, starred loop targets, annotations, C{nonlocal}, C{json.dumps}
options, and the line numbers errors report. What they print is compared with plain CPython
in the compatibility corpus; these are the attacks on them.
"""

from __future__ import annotations

import json

from twisted.trial import unittest

from scripting import Budget, Domain, facades, run

BIG = Budget(ticks=2_000_000, seconds=30.0)


def ticks(source: str, budget: Budget = BIG) -> int:
    result = run(source, budget=budget)
    assert result.ok, result.error
    return result.ticks


class SliceAssignmentTests(unittest.TestCase):
    """C{xs[a:b] = it} and C{del xs[a:b]} pay for what C does."""

    def test_huge_iterable_refused_before_it_is_built(self) -> None:
        """Assigning a huge range or generator to a slice runs out of budget, in ticks or
        memory, instead of C building it."""
        for source in ("xs = []\nxs[:] = range(10**9)",
                       "def g():\n    while True:\n        yield 1\nxs = [1]\nxs[1:] = g()",
                       "xs = [1]\nxs[::1] = range(10**9)",
                       "xs = [1, 2]\nxs[:1] += range(10**9)"):
            result = run(source, budget=Budget(ticks=100_000))
            self.assertTrue(result.aborted, f"{source}: {result.error}")

    def test_moving_the_tail_is_charged(self) -> None:
        """Inserting at the front of a long list moves all of it: each insert costs a tick
        per 32 items, as list.insert does."""
        base = ticks("xs = [0] * 10**5\nfor i in range(100):\n    pass")
        inserts = ticks("xs = [0] * 10**5\nfor i in range(100):\n    xs[0:0] = [i]")
        deletes = ticks("xs = [0] * 10**5\nfor i in range(100):\n    del xs[:1]")
        self.assertGreaterEqual(inserts - base, 100 * (10**5 >> 5))
        self.assertGreaterEqual(deletes - base, 100 * ((10**5 - 100) >> 5))

    def test_bounds_are_integers(self) -> None:
        """A slice of anything but ints and None is refused for reading, writing and
        deleting (a slice is hashed by its bounds since 3.12: a tuple there would be walked
        in C)."""
        doubled = "t = ()\nfor i in range(40):\n    t = (t, t)\n"
        for stmt in ("{}[t:]", "[1][t:]", "x = [1]\nx[t:] = []", "x = [1]\ndel x[:t]",
                     "x = [1]\nx[::t] += []",
                     "class G:\n    def __getitem__(self, s):\n        return {s: 1}\nG()[t:]"):
            result = run(doubled + stmt, budget=Budget(ticks=100_000))
            self.assertFalse(result.ok, stmt)
            self.assertIn("slice indices must be integers or None", result.error, stmt)

    def test_the_stand_in_is_never_seen(self) -> None:
        """A class's __setitem__/__delitem__ get the object itself, and a slice of ints."""
        result = run("class C:\n    def __setitem__(self, k, v):\n        seen.append(self)\n"
                     "    def __delitem__(self, k):\n        seen.append(self)\n"
                     "seen = []\nc = C()\nc[1:2] = 5\ndel c[::2]\n"
                     "[x is c for x in seen]\n")
        self.assertEqual(result.value, [True, True])

    def test_other_types_refuse_as_python_does(self) -> None:
        """Strings, tuples and dicts cannot take a slice assignment."""
        for target in ("'abc'", "(1, 2)", "b'ab'", "range(3)"):
            result = run(f"x = {target}\nx[0:1] = 'z'")
            self.assertIn("TypeError", result.error, target)


class StarredTargetTests(unittest.TestCase):
    """C{for a, *b in rows}: each row is materialised (charged) before C unpacks it."""

    def test_huge_rows_run_out_of_budget(self) -> None:
        """A row that is a huge range or an endless generator aborts the task."""
        for source in ("for a, *b in [range(10**9)]:\n    pass",
                       "[b for a, *b in [range(10**9)]]",
                       "def g():\n    while True:\n        yield 1\nfor a, *b in [g()]:\n"
                       "    pass",
                       "{a: b for *a, b in [range(10**9)]}"):
            result = run(source, budget=Budget(ticks=100_000))
            self.assertTrue(result.aborted, f"{source}: {result.error}")

    def test_nested_stars_refused(self) -> None:
        """A star inside a nested tuple target (unpacked by C, uncharged) does not compile."""
        for source in ("for i, (a, *b) in x:\n    pass", "[b for i, (a, *b) in x]",
                       "i, (a, *b) = x"):
            result = run(source)
            self.assertIn("may not be nested", result.error, source)

    def test_rows_cost_what_they_hold(self) -> None:
        """Unpacking long rows costs in proportion to their length."""
        short = ticks("rows = [range(10)] * 100\nfor a, *b in rows:\n    pass")
        long = ticks("rows = [range(10**4)] * 100\nfor a, *b in rows:\n    pass")
        self.assertLess(short, 1000)
        self.assertGreaterEqual(long, 100 * (10**4 >> 3))


class AnnotationTests(unittest.TestCase):
    """Annotations compile and are never evaluated."""

    def test_annotations_never_run(self) -> None:
        """An annotation that would loop forever, or name something missing, costs nothing."""
        result = run("def spin():\n    while True:\n        pass\n"
                     "x: spin() = 1\ny: missing\nclass A:\n    z: spin() = 2\n"
                     "def f(a: spin(), *b: spin(), c: spin() = 3) -> spin():\n    w: spin()\n"
                     "    return a + c\n(x, A.z, f(1))\n", budget=Budget(ticks=5_000))
        self.assertTrue(result.ok, result.error)
        self.assertEqual(result.value, (1, 2, 4))

    def test_annotations_follow_the_name_rules(self) -> None:
        """An annotation is still checked: no private names there either."""
        self.assertFalse(run("x: _Secret = 1").ok)
        self.assertFalse(run("def f(a: __import__('os')):\n    pass").ok)

    def test_annotated_targets_are_guarded(self) -> None:
        """'obj.attr: T = v' is an attribute write: only on the script's own objects."""
        result = run("x: int = 1\nx.real: int = 2")
        self.assertIn("your own objects", result.error)


class NonlocalTests(unittest.TestCase):
    """C{nonlocal} rebinds a script's own closure variables, nothing else."""

    def test_only_enclosing_function_variables(self) -> None:
        """nonlocal cannot reach a global, a builtin, a hook or a private name."""
        for source in ("x = 1\ndef f():\n    nonlocal x",
                       "def f():\n    def g():\n        nonlocal print",
                       "def f():\n    _x = 1\n    def g():\n        nonlocal _x",
                       "class A:\n    y = 1\n    def m(self):\n        nonlocal y"):
            self.assertFalse(run(source).ok, source)

    def test_closures_between_tasks(self) -> None:
        """A counter kept in a closure lives on between tasks like any module state."""
        module = Domain("n").load("def make():\n    n = 0\n    def step():\n"
                                  "        nonlocal n\n        n += 1\n        return n\n"
                                  "    return step\nstep = make()\n"
                                  "def tick():\n    return step()\n")
        self.assertEqual([module.call("tick").value for _ in range(3)], [1, 2, 3])


class JsonTests(unittest.TestCase):
    """C{json.dumps} options: the output is measured, charged and capped before C builds it."""

    def setUp(self) -> None:
        self.encoded: list[int] = []
        real = facades._json.dumps

        def counting(*args: object, **kw: object) -> str:
            out = real(*args, **kw)
            self.encoded.append(len(out))
            return out

        self.patch(facades._json, "dumps", counting)

    def test_deep_indentation_refused_before_encoding(self) -> None:
        """Indentation grows with depth: four times 190 nested lists indented 16 would be
        megabytes; they are refused before the encoder runs."""
        result = run("import json\nx = []\nfor i in range(190):\n    x = [x]\n"
                     "json.dumps([x, x, x, x], indent=16)\n", budget=Budget(ticks=100_000))
        self.assertIn("larger than", result.error)
        self.assertEqual(self.encoded, [])

    def test_escapes_counted_before_encoding(self) -> None:
        """ensure_ascii writes six characters for each 'é': counted first."""
        result = run("import json\njson.dumps('\\u00e9' * 200_000)",
                     budget=Budget(ticks=100_000))
        self.assertIn("larger than", result.error)
        self.assertEqual(self.encoded, [])
        result = run("import json\nlen(json.dumps('\\u00e9' * 200_000, ensure_ascii=False))",
                     budget=Budget(ticks=100_000))
        self.assertEqual(result.value, 200_002)

    def test_measure_is_never_short(self) -> None:
        """What the walk measures is at least what the encoder writes, for every option."""
        values = [{"k": [1, 2.5, None, True, "t\u00e9\n" * 3, {"z": (1, 2)}], 7: "x"},
                  [[[[]]]], "\u2603\U0001f600\x00" * 50, {"a": {"b": {"c": [1] * 10}}}]
        from scripting.task import Task
        for value in values:
            for opts in ({}, {"indent": 4}, {"indent": "\t\t"}, {"separators": (";  ", " = ")},
                         {"ensure_ascii": False, "indent": 0}):
                indent = opts.get("indent")
                if type(indent) is int:
                    indent = " " * indent
                item_sep, key_sep = opts.get(
                    "separators", ("," if indent is not None else ", ", ": "))
                with Task(budget=BIG, owner="m"):
                    size, _ = facades.json_size(value, indent, item_sep, key_sep,
                                                opts.get("ensure_ascii", True), False)
                self.assertGreaterEqual(size, len(json.dumps(value, **opts)), (value, opts))

    def test_option_values_checked(self) -> None:
        """Long separators or indents, and flags that are not booleans, are refused (a
        flag is never asked its truth: no script method runs)."""
        for call in ("json.dumps(1, indent=' ' * 17)", "json.dumps(1, indent=17)",
                     "json.dumps(1, separators=(',' * 17, ':'))",
                     "json.dumps(1, separators=',')", "json.dumps(1, sort_keys=A())",
                     "json.dumps(1, default=str)", "json.dumps(1, cls=A)"):
            result = run("import json\nclass A:\n    def __bool__(self):\n"
                         "        print('asked')\n        return True\n" + call)
            self.assertFalse(result.ok, call)
            self.assertNotIn("asked", result.output)

    def test_charged_by_size(self) -> None:
        """A bigger document costs more ticks."""
        small = ticks("import json\njson.dumps([1] * 100, indent=2)")
        large = ticks("import json\njson.dumps([1] * 100_000, indent=2)")
        self.assertGreater(large, small + 100_000 // 256)


class ErrorLineTests(unittest.TestCase):
    """Errors point at the line that failed, as CPython's would."""

    def test_refused_import_reports_its_line(self) -> None:
        """A refused import on line 3 is reported at line 3."""
        result = run("x = 1\ny = 2\nimport os\n")
        self.assertIn("line 3, at top level\n    import os\nModuleNotFoundError", result.error)

    def test_augmented_assignment_reports_its_line(self) -> None:
        """'x += ...' failing inside a function is reported on its own line, not the def."""
        result = run("def f():\n    x = 1\n    x += 'a'\nf()\n")
        self.assertIn("line 3, in f()\n    x += 'a'\nTypeError", result.error)

    def test_recursion_ends_at_the_call(self) -> None:
        """The deepest frame of a runaway recursion is the call, not the callee's def."""
        result = run("def f(n):\n    x = 1\n    return f(n + 1)\nf(0)\n")
        self.assertEqual(result.aborted, "calls nested too deeply")
        frames = result.error.splitlines()
        self.assertEqual(frames[-3:], ["  script, line 3, in f()", "    return f(n + 1)",
                                       "Task aborted: calls nested too deeply"])
        self.assertNotIn("def f(n):", result.error)

    def test_guarded_expressions_keep_their_lines(self) -> None:
        """An attribute, operator or subscript that fails on a later line of a long
        expression is reported there."""
        result = run("d = {}\nx = (1 +\n     2 +\n     d['missing'])\n")
        self.assertIn("line 4", result.error)
        result = run("class A:\n    pass\ndef f(a):\n    return [\n        a.x,\n"
                     "        a.nope]\na = A()\na.x = 1\nf(a)\n")
        self.assertIn("line 6, in f()", result.error)
