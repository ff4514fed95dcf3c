"""Attacks on the fast paths (issue 11 §3): inline guards, C{$a.} tables, lean hooks.

Every fast path runs an operation natively only after an exact-type test against
constants no script can name. These tests try to reach the native branch with what the
slow path would refuse: subclasses, facets, exception classes, another domain's classes,
long strings, big ints, tuples that hash in depth; and they check that the temporaries
and tables stay out of a script's reach.
"""

from __future__ import annotations

import ast
import inspect
from types import CellType, CodeType

from twisted.trial import unittest
from zope.security.proxy import Proxy

from scripting import Budget, Domain, hooks, run
from scripting.compiler import compile_script
from scripting.rewrite import CELL, COUNTER, GENERATOR_COST, MAIN, SHORT_STR, is_inner, rewrite
from scripting.task import REFILL
from tests.scripting.test_api import Bell, IBellRing, facet

SMALL = Budget(ticks=20_000, seconds=5.0)


class AttributeTableTests(unittest.TestCase):
    """C{obj.name} reads natively only for exact types in the domain's C{$a.name} table."""

    def test_exception_classes_never_enter_a_table(self) -> None:
        """After a plain class's C{with_traceback} filled the table, an exception's is still
        refused (an exception class has a builtin base with public attributes)."""
        source = ("class P:\n    def with_traceback(self):\n        return 1\n"
                  "P().with_traceback()\nP().with_traceback()\n"
                  "class E(Exception):\n    pass\nE().with_traceback\n")
        domain = Domain("ann")
        result = domain.run(source)
        self.assertFalse(result.ok)
        self.assertIn("AttributeError", result.error)
        table = domain.attribute_types.table("with_traceback")
        self.assertFalse(any(issubclass(t, BaseException) for t in table))

    def test_facets_never_enter_a_table(self) -> None:
        """A facet's attributes always go through its checker, however often read."""
        bell = Bell()
        domain = Domain("ann")
        result = domain.run("for i in range(5):\n    bell.name\ntry:\n    bell.secret\n"
                            "except AttributeError:\n    print('refused')\n",
                            endowments={"bell": facet(bell, IBellRing)})
        self.assertTrue(result.ok, result.error)
        self.assertEqual(result.output, "refused\n")
        for name in ("name", "secret"):
            self.assertNotIn(Proxy, domain.attribute_types.table(name))

    def test_another_domains_class_is_refused(self) -> None:
        """Domain B's hooks refuse an instance of domain A's class, even one A's table
        allows, and do not add it to B's tables."""
        a, b = Domain("ann"), Domain("bob")
        module = a.load("class Thing:\n    colour = 'red'\nt = Thing()\nt.colour\n")
        thing = module._globals["t"]
        self.assertIn(type(thing), a.attribute_types.table("colour"))
        with self.assertRaises(AttributeError):
            b.hooks["$getattr"](thing, "colour")
        self.assertNotIn(type(thing), b.attribute_types.table("colour"))

    def test_private_names_refused_by_the_cached_path(self) -> None:
        """The lean C{$getattr} refuses C{_} names on a class it has cached."""
        domain = Domain("ann")
        module = domain.load("class Thing:\n    pass\nt = Thing()\nt.x = 1\nt.x\n")
        thing = module._globals["t"]
        for name in ("__class__", "__dict__", "_x"):
            with self.assertRaises(AttributeError):
                domain.hooks["$getattr"](thing, name)

    def test_subclasses_of_basic_types_cannot_be_made(self) -> None:
        """No script class may derive from a basic type, so no exact-type test can be met
        by an object that overrides the method it reads."""
        for base in ("list", "str", "dict", "int"):
            result = run(f"class X({base}):\n    pass\n")
            self.assertFalse(result.ok, base)

    def test_tables_are_per_domain(self) -> None:
        """Two domains never share a table."""
        a, b = Domain("ann"), Domain("bob")
        self.assertIsNot(a.attribute_types.table("append"), b.attribute_types.table("append"))

    def test_table_size_is_bounded(self) -> None:
        """Classes made in a loop do not grow a table without bound."""
        domain = Domain("ann")
        result = domain.run("for i in range(600):\n    class C:\n        v = 1\n    C().v\n",
                            budget=Budget(ticks=10**6, seconds=30.0))
        self.assertTrue(result.ok, result.error)
        self.assertLessEqual(len(domain.attribute_types.table("v")), 256 + 20)

    def test_every_name_read_enters_its_table(self) -> None:
        """Each public name read on a plain class puts the class in that name's table, not
        only the first name read (later reads of the others then skip every hook)."""
        domain = Domain("ann")
        module = domain.load("class P:\n    def __init__(self):\n        self.x = 1\n"
                             "        self.y = 2\n    def m(self):\n"
                             "        return self.x + self.y\n"
                             "def f():\n    p = P()\n    return p.m() + p.m()\nf()\n")
        self.assertEqual(module.result.value, 6, module.result.error)
        cls = module._globals["P"]
        for name in ("m", "x", "y"):
            self.assertIn(cls, domain.attribute_types.table(name), name)
        self.assertEqual(set(domain.attribute_types.cache[cls]), {"m", "x", "y"})

    def test_names_remembered_per_class_are_bounded(self) -> None:
        """C{getattr()} with made-up names reads them (or fails) as before, and the names
        remembered for one class stay bounded; private names are never remembered."""
        domain = Domain("ann")
        module = domain.load("class P:\n    pass\np = P()\nfound = 0\n"
                             "for i in range(1000):\n    found += getattr(p, 'n' + str(i), 1)\n"
                             "try:\n    getattr(p, '_secret')\nexcept AttributeError:\n"
                             "    found += 1\nfound",
                             budget=Budget(ticks=10**6, seconds=30.0))
        self.assertEqual(module.result.value, 1001, module.result.error)
        names = domain.attribute_types.cache[module._globals["P"]]
        self.assertLessEqual(len(names), hooks.NAMES_MAX)
        self.assertFalse([n for n in names if n.startswith("_")])

    def test_long_strings_are_still_charged(self) -> None:
        """C{s.upper()} on a long string is charged (the inline guard passes short strings
        only): keeping copies runs out of memory, not the server."""
        result = run("keep = []\ns = 'a' * 100000\nfor i in range(40):\n"
                     "    keep.append(s.upper())", budget=Budget(ticks=10**6, seconds=30.0))
        self.assertTrue(result.ok, result.error)
        self.assertGreater(result.ticks, 40 * (100000 >> 8))


class TemporaryTests(unittest.TestCase):
    """The guards' temporaries and constants stay out of every script's reach."""

    def test_class_bodies_bind_no_temporaries(self) -> None:
        """A class body reads attributes through hooks: no C{$} name lands in the class."""
        domain = Domain("ann")
        module = domain.load("class A:\n    x = 'abc'.upper()\n    y = [v.lower() for v in 'AB']\n"
                             "    z = 3 * 4 + len('a')\n")
        self.assertTrue(module.result.ok, module.result.error)
        cls = module._globals["A"]
        self.assertEqual([k for k in vars(cls) if k.startswith("$")], [])

    def test_getattr_cannot_name_temporaries_or_tables(self) -> None:
        """C{getattr()} with a C{$} name finds nothing on a module, class or instance."""
        result = run("class A:\n    pass\na = A()\nfound = []\n"
                     "for n in ('$l', '$c', '$a.append', '$type', '$t'):\n"
                     "    found.append(getattr(a, n, None))\n"
                     "    found.append(getattr(A, n, None))\n"
                     "found")
        self.assertTrue(result.ok, result.error)
        self.assertEqual(set(result.value), {None})

    def test_guarded_code_compiles_everywhere(self) -> None:
        """Guards are placed only where Python allows a walrus target (not in class bodies
        or comprehension iterables), so every placement compiles and runs."""
        source = (
            "class A:\n"
            "    items = [x.upper() for x in 'ab' if x.lower() in 'ab']\n"
            "    keys = {k: k.upper() for k in [s.strip() for s in ' a ,b'.split(',')]}\n"
            "    def f(self, d={'a': 1}.get('a') + 1):\n"
            "        return [y * d for y in range(d) if y % 2 == 0]\n"
            "g = (len(s.strip()) for s in ' a , b '.split(','))\n"
            "h = lambda v, w=[1].count(1): v.upper() + str(w)\n"
            "[z for z in [q.lower() for q in 'XY'] if z in {'x': 1}]\n"
            "A.items, A.keys, A().f(), list(g), h('a')\n"
        )
        result = run(source)
        self.assertTrue(result.ok, result.error)
        self.assertEqual(result.value, (["A", "B"], {"a": "A", "b": "B"}, [0], [1, 1], "A1"))

    def test_no_walrus_in_class_bodies(self) -> None:
        """The rewritten class body holds no assignment expression."""
        tree = rewrite(ast.parse("class A:\n    x = 'a'.upper() + b * 2\n    y = c in d\n"))
        [body] = [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
        walruses = [n for n in ast.walk(body) if isinstance(n, ast.NamedExpr)
                    and not any(isinstance(m, (ast.FunctionDef, ast.Lambda))
                                for m in ast.walk(body) if n in list(ast.walk(m)))]
        self.assertEqual(walruses, [])


class GuardedOperatorTests(unittest.TestCase):
    """Native arithmetic, comparison and membership only where they cannot amplify."""

    def check_aborts(self, source: str, reason: str) -> None:
        result = run(source, budget=SMALL)
        self.assertFalse(result.ok, source)
        self.assertIn(reason, result.aborted or "", (source, result.error))

    def test_squaring_by_name_is_bounded(self) -> None:
        """C{x = x * x} on names in a function: big ints leave the native branch."""
        # 3 ** (2 ** 13) has about 13 000 bits: more than MAX_INT_BITS (4096)
        self.check_aborts("def f():\n    x = 3\n    for i in range(13):\n        x = x * x\n"
                          "    return x\nf()", "integer that is too large")
        self.assertTrue(run("def f():\n    x = 3\n    for i in range(11):\n        x = x * x\n"
                            "    return x.bit_length()\nf()").ok)
        # negative ints: the lower bound is checked as well as the upper one
        self.check_aborts("def f():\n    x = -3\n    for i in range(13):\n        x = -(x * x)\n"
                          "    return x\nf()", "integer that is too large")
        self.check_aborts("def f():\n    x = -3\n    for i in range(13):\n        x = x * -x\n"
                          "    return x\nf()", "integer that is too large")

    def test_repetition_by_name_is_charged(self) -> None:
        """C{n * s} with an int on the left and a string on the right is charged."""
        self.check_aborts("n = 10**7\ns = 'abc'\nkeep = []\nwhile True:\n"
                          "    keep.append(n * s)", "")

    def test_string_concatenation_is_charged(self) -> None:
        """C{s = s + s} (names) doubles a string: charged like any string built."""
        result = run("def f():\n    s = 'ab'\n    for i in range(20):\n        s = s + s\n"
                     "    return len(s)\nf()", budget=Budget(ticks=10**6, seconds=30.0))
        self.assertEqual(result.value, 2 << 20, result.error)
        self.assertGreater(result.ticks, (4 << 20) >> 8)  # every doubling paid its length

    def test_doubled_tuples_compared_by_name(self) -> None:
        """C{a < b} on tuples sharing structure is charged its walk."""
        self.check_aborts("a = (1,)\nb = (1,)\nfor i in range(40):\n    a = (a, a)\n"
                          "    b = (b, b)\nwhile True:\n    a < b", "ran out of ticks")

    def test_doubled_tuple_as_key_by_name(self) -> None:
        """C{t in d} and C{d[t]} with a doubled tuple are charged its hash walk."""
        for use in ("t in d", "d.get(t)", "d[t] = 1"):
            self.check_aborts("d = {}\nt = (1,)\nfor i in range(40):\n    t = (t, t)\n"
                              f"while True:\n    {use}", "ran out of ticks")

    def test_format_by_name_is_checked(self) -> None:
        """C{fmt % n} with a width over the limit is refused whatever the names."""
        result = run("fmt = '%99999999d'\nn = 1\nfmt % n")
        self.assertFalse(result.ok)
        self.assertIn("format widths", result.error)

    def test_loops_still_tick(self) -> None:
        """Guarded arithmetic in a loop still pays its ticks."""
        result = run("def f():\n    t = 0\n    for i in range(10**9):\n        t += i * i % 7\n"
                     "f()", budget=SMALL)
        self.assertEqual(result.aborted, "ran out of ticks")

    def test_code_names_only_real_guards(self) -> None:
        """Compiled code reads guard constants, temporaries and tables, nothing else new."""
        code = compile_script("def f(a, b):\n    return a.x + b * 2 + (a in b) + (a < b)\n",
                              "guards").code
        names: set[str] = set()
        stack = [code]
        while stack:
            c = stack.pop()
            names |= {n for n in c.co_names + c.co_varnames if n.startswith("$")}
            stack.extend(k for k in c.co_consts if hasattr(k, "co_names"))
        self.assertIn("$type", names)
        self.assertIn("$a.x", names)


class CPythonAgreement(unittest.TestCase):
    """A base for tests that compare the sandbox's answers with plain CPython's."""

    def same_as_cpython(self, source: str) -> None:
        """The sandbox's C{result} is the one plain CPython computes."""
        namespace: dict = {}
        exec(compile(source, "<plain>", "exec"), namespace)  # noqa: S102 - the reference
        outcome = run(source + "\nresult\n", budget=Budget(ticks=10**6, seconds=30.0))
        self.assertTrue(outcome.ok, (source, outcome.error))
        self.assertEqual(outcome.value, namespace["result"], source)


class CallAndConcatenationTests(CPythonAgreement):
    """The fast paths for C{d.get(k)}-like calls, C{"w" + s} and C{x += <expression>}:
    each runs natively only where the hook would have charged nothing, and gives what
    CPython gives."""

    def check_aborts(self, source: str, reason: str) -> None:
        result = run(source, budget=SMALL)
        self.assertFalse(result.ok, source)
        self.assertIn(reason, result.aborted or "", (source, result.error))

    def test_hashing_calls_charge_doubled_tuples(self) -> None:
        """Every method that hashes its argument natively on a dict or set, inside a
        function (where the inline guard is used), charges a doubled tuple's walk."""
        for use in ("d.get(t)", "d.setdefault(t, 0)", "d.pop(t, 0)", "s.add(t)",
                    "s.discard(t)", "d.get(t, 0)"):
            self.check_aborts("def f():\n    d = {}\n    s = set()\n    t = (1,)\n"
                              "    for i in range(40):\n        t = (t, t)\n"
                              f"    while True:\n        {use}\nf()", "ran out of ticks")

    def test_hashing_calls_on_script_objects(self) -> None:
        """A class of the script's own with a C{get} runs its own code (ticked); an
        instance with an C{__eq__} of its own is unhashable, as in CPython."""
        self.check_aborts("class C:\n    def get(self, k):\n        while True:\n"
                          "            pass\ndef f():\n    c = C()\n    c.get(1)\nf()",
                          "ran out of ticks")
        self.same_as_cpython(
            "class K:\n    def __eq__(self, o):\n        return True\n"
            "def f():\n    s = set()\n    try:\n        s.add(K())\n"
            "    except TypeError:\n        return 'unhashable'\nresult = f()")

    def test_hashing_calls_agree_with_cpython(self) -> None:
        """Keys computed with guards of their own (which reuse the temporary) and
        receivers that are not dicts or sets give CPython's answers and errors."""
        self.same_as_cpython(
            "def f(words):\n    d = {}\n    s = set()\n    for w in words:\n"
            "        d[w.strip()] = d.get(w.strip() + 'x', 0) + d.get(w.strip(), 1)\n"
            "        s.add(w.strip() * 2)\n        s.discard(w + ' ')\n"
            "        d.setdefault((w, 1), len(s))\n"
            "    return sorted(d.items(), key=repr), sorted(s), d.pop('a', 'none')\n"
            "xs = [' a', 'b ', ' a ']\nresult = f(xs)\n"
            "def g():\n    try:\n        [].get(1)\n    except AttributeError:\n"
            "        return 'no get'\nresult = (result, g())")

    def test_hashing_calls_cannot_reach_other_types(self) -> None:
        """A call on a receiver rebound while its argument runs uses the method read
        first, as Python does; a list's C{remove} (charged by length) stays charged."""
        self.same_as_cpython(
            "def f():\n    d = {}\n    s = set()\n    out = d.get((d := [1]) and 2, 'x')\n"
            "    return out, d\nresult = f()")
        result = run("def f():\n    xs = [0] * 100000\n    for i in range(2000):\n"
                     "        xs.remove(0)\n        xs.append(0)\nf()",
                     budget=Budget(ticks=10**6, seconds=30.0))
        self.assertGreater(result.ticks, 2000 * (100000 >> 8), result.error)

    def test_short_concatenation_is_exact(self) -> None:
        """C{"w" + s} and C{s + "="} give CPython's answers on both sides of the length
        bound, with non-ASCII text, and raise CPython's TypeError for a non-string."""
        self.same_as_cpython(
            "def f():\n    out = []\n    for n in (0, 62, 63, 64, 65, 200):\n"
            "        s = 'é' * n\n        out.append(len('w' + s))\n"
            "        out.append(len(s + '='))\n    try:\n        'w' + 1\n"
            "    except TypeError:\n        out.append('refused')\n    return out\n"
            "result = f()")

    def test_long_concatenation_is_charged(self) -> None:
        """C{"w" + s} with a long string pays its length: keeping copies runs out of
        memory or ticks, not the server."""
        self.check_aborts("def f():\n    s = 'a' * 100000\n    keep = []\n    while True:\n"
                          "        keep.append('w' + s)\n        keep.append(s + '=')\nf()", "")
        result = run("def f():\n    s = 'a' * 100000\n    for i in range(40):\n"
                     "        t = 'w' + s\nf()", budget=Budget(ticks=10**6, seconds=30.0))
        self.assertGreater(result.ticks, 40 * (100000 >> 8), result.error)

    def test_concatenation_with_script_objects(self) -> None:
        """C{"w" + obj} with a script class's C{__radd__} runs its code, ticked."""
        self.check_aborts("class R:\n    def __radd__(self, o):\n        while True:\n"
                          "            pass\ndef f():\n    return 'w' + R()\nf()",
                          "ran out of ticks")

    def test_augmented_assignment_of_expressions(self) -> None:
        """C{x += <expression>}: a number is added natively; a string or a list on the
        left still goes through the charged hook, however the right side is written."""
        self.check_aborts("def f():\n    s = 'ab'\n    while True:\n"
                          "        s += s.upper() if len(s) else s\nf()", "")
        self.check_aborts("def f():\n    xs = [0]\n    while True:\n"
                          "        xs += [x for x in xs]\nf()", "")
        result = run("def f():\n    s = 'a' * 1000\n    for i in range(12):\n"
                     "        s += s.lower() if i >= 0 else ''\n    return len(s)\nf()",
                     budget=Budget(ticks=10**6, seconds=30.0))
        self.assertEqual(result.value, 1000 << 12, result.error)
        self.assertGreater(result.ticks, (2000 << 12) >> 8)

    def test_augmented_assignment_agrees_with_cpython(self) -> None:
        """Evaluation order (the left side is read before the right runs, even when the
        right rebinds it), a C{yield} on the right side, exceptions from the right side
        and big ints are CPython's."""
        self.same_as_cpython(
            "total = 1\ndef bump():\n    global total\n    total = 100\n"
            "    return len([1, 2]) * 3\ntotal += bump() if total else 0\n"
            "def gen():\n    n = 0\n    while n < 50:\n        n += (yield n) or len('ab') % 7\n"
            "seen = list(gen())\n"
            "def boom():\n    t = 0\n    try:\n        t += [1][0] + {}['x']\n"
            "    except KeyError:\n        return t\n"
            "def big():\n    t = 2 ** 4000\n    t += t % 1000 * 3 if t else 0\n"
            "    t %= 10 ** 9 + len('abc')\n    return t\n"
            "result = (total, seen, boom(), big())")

    def test_short_bound_is_the_hooks(self) -> None:
        """The rewriter's bound for uncharged concatenation is the one C{$add} uses."""
        self.assertEqual(SHORT_STR, hooks.SHORT)


class TopLevelTests(CPythonAgreement):
    """The top level runs as the function C{$main} (its guards' temporaries are fast
    locals): every name still means what it means at a module's top level."""

    def test_every_binding_is_a_module_global(self) -> None:
        """Assignments, loop targets, walruses in comprehensions, C{except ... as}, C{del},
        imports, functions and classes bind the module's globals, which functions read
        and C{global} statements write."""
        self.same_as_cpython(
            "x = 1\nfor i in range(3):\n    x += i * i % 5\n"
            "ys = [last := v * 2 for v in range(4)]\n"
            "try:\n    {}['k']\nexcept KeyError as e:\n    caught = len(str(e))\n"
            "gone = 5\ndel gone\n"
            "import math\n"
            "def read():\n    return x, i, last, caught, math.floor(2.5)\n"
            "def write():\n    global x\n    x = 'w'\n"
            "class K:\n    v = x\n    def m(self):\n        return (self.v, K.v)\n"
            "before = read()\nwrite()\n"
            "try:\n    gone\nexcept NameError:\n    missing = True\n"
            "result = (before, read(), K().m(), missing)")

    def test_the_module_keeps_no_temporary(self) -> None:
        """After the top level ran, the module's globals hold neither C{$main} nor the
        guards' temporaries (their last values are not kept alive between tasks)."""
        domain = Domain("ann")
        module = domain.load("xs = [1]\ntotal = 0\nfor i in range(5):\n"
                             "    total += xs[0] * i % 3\nys = [v.upper() for v in 'ab']\n")
        self.assertTrue(module.result.ok, module.result.error)
        self.assertEqual(module.functions(), [])
        self.assertFalse({"$main", "$l", "$c"} & set(module._globals))

    def test_what_python_refuses_at_the_top_level_stays_refused(self) -> None:
        """C{return} and C{yield} at the top level do not compile (inside C{$main} they
        would), and a top-level C{global} statement still means nothing."""
        for source in ("return 5", "x = 1\nreturn x", "yield 1", "x = (yield)"):
            result = run(source)
            self.assertFalse(result.ok, source)
            self.assertIn("cannot compile", result.error, source)
        self.assertEqual(run("global x\nx = 2\nx * 3").value, 6)

    def test_names_and_tracebacks_say_top_level(self) -> None:
        """Tracebacks show the top level once, as before; lambdas and generators made
        there are named as Python names them at a module's top level."""
        result = run("f = lambda a: a\nprint(repr(f), repr(v for v in 'a'))\nf()")
        self.assertFalse(result.ok)
        self.assertEqual(result.output, "<function <lambda>> <generator object <genexpr>>\n")
        self.assertEqual(result.error,
                         "Traceback (script lines only):\n  script, line 3, at top level\n"
                         "    f()\nTypeError: <lambda>() missing 1 required positional "
                         "argument: 'a'")
        self.assertNotIn("$main", run("def f():\n    return 1 / 0\nf()").error)

    def test_budgets_hold_at_the_top_level(self) -> None:
        """Loops at the top level tick, and recursion started there hits the depth limit."""
        self.assertEqual(run("while True:\n    pass", budget=SMALL).aborted, "ran out of ticks")
        self.assertEqual(run("def f():\n    f()\nf()").aborted, "calls nested too deeply")
        self.assertEqual(run("n = 0\nwhile True:\n    n += 1", budget=SMALL).ticks,
                         SMALL.ticks)


class BuiltinCallTests(CPythonAgreement):
    """C{str(x)}, C{int(x)}, C{range(...)}, C{float(x)} skip the type facade only where
    the name means the builtin and the facade would charge nothing."""

    def test_names_the_script_rebinds(self) -> None:
        """Wherever and however a script binds C{str}, C{int}, C{range} or C{float}, its
        calls mean the script's binding, as in CPython."""
        for binding in ("str = repr", "def f(str=repr):\n    return str(5)",
                        "def f():\n    global str\n    str = repr", "for str in [repr]:\n    pass",
                        "class A:\n    str = repr\n    x = str(5)", "(str := repr)",
                        "ys = [str(1) for str in [repr]]", "import math as str",
                        "try:\n    1 / 0\nexcept ZeroDivisionError as str:\n    pass",
                        "def str(x):\n    return 'mine'", "lambda str: str(1)"):
            for call in ("str(5)", "str(2.5)", "int('7')", "range(3)", "float(1)"):
                name = call[:call.index("(")]
                source = binding.replace("str", name) + f"\ndef g():\n    return {call}\n"
                self.same_as_cpython(source + "try:\n    result = repr(g())\n"
                                              "except Exception as e:\n"
                                              "    result = type(e).__name__\n")

    def test_endowments_named_like_builtins(self) -> None:
        """An endowment called C{str} (or C{range}...) is what a call of that name calls."""
        for name in ("str", "int", "range", "float"):
            for call in (f"{name}(5)", f"{name}(2.5)", f"{name}('7')", f"{name}(1, 2)"):
                result = run(f"def f():\n    return {call}\nf()", endowments={name: 7})
                self.assertFalse(result.ok, call)
                self.assertIn("'int' object is not callable", result.error, call)

    def test_long_results_are_still_charged(self) -> None:
        """C{str()} of an int of 65 characters or more is charged, as the facade charges
        it; 64 characters are not (both signs)."""
        keep = ("def f(base):\n    keep = []\n    for i in range(3000):\n"
                "        keep.append(str(base + i))\n    return len(keep[-1])\nf({})")
        tight = Budget(ticks=10**6, seconds=30.0, memory=150_000)
        for base, length in (("10 ** 63", 64), ("-(10 ** 62) - 10 ** 4", 64)):
            result = run(keep.format(base), budget=tight)
            self.assertEqual(result.value, length, result.error)
        for base in ("10 ** 64", "-(10 ** 63) - 10 ** 4", "10 ** 1000"):
            result = run(keep.format(base), budget=tight)
            self.assertEqual(result.aborted, "used too much memory", base)

    def test_text_beyond_the_facade_limits(self) -> None:
        """C{int()} of long text goes to the facade, which refuses what CPython would
        parse (padding beyond 12 000 characters) and charges the scan."""
        result = run("def f():\n    return int(' ' * 13000 + '1')\nf()")
        self.assertFalse(result.ok)
        self.assertIn("longer than 12000 characters", result.error)
        result = run("def f():\n    return int(' ' * 64 + '1')\nf()")
        self.assertEqual(result.value, 1, result.error)

    def test_other_types_take_the_facade(self) -> None:
        """Script objects with their own C{__str__}, bools, bytes, ints too big to build and
        non-text for C{int} behave as they do through the facade."""
        self.same_as_cpython(
            "class A:\n    def __str__(self):\n        return 'a' * 100\n"
            "def f():\n    out = [str(A()), str(True), str(b'x'), str(None), str([1, (2,)])]\n"
            "    for bad in ([1], None, '1.5', b'12', 'x' * 70):\n"
            "        try:\n            out.append(int(bad))\n"
            "        except (TypeError, ValueError) as e:\n"
            "            out.append(type(e).__name__)\n"
            "    return out + [int(True), int(7), int(-2.9), str(-0.0), str(1e300)]\n"
            "result = f()")
        result = run("class A:\n    def __str__(self):\n        return 'a' * 10 ** 6\n"
                     "def f():\n    keep = []\n    while True:\n        keep.append(str(A()))\nf()",
                     budget=Budget(ticks=10**6, seconds=30.0, memory=5_000_000))
        self.assertEqual(result.aborted, "used too much memory", result.error)

    def test_evaluation_order_generators_and_exceptions(self) -> None:
        """The argument runs once, in CPython's order, even when it yields or raises."""
        self.same_as_cpython(
            "seen = []\ndef note(x):\n    seen.append(x)\n    return x\n"
            "def gen():\n    a = str(40 + ((yield 1) or 1))\n"
            "    b = int(((yield a) or '') + '12')\n"
            "    yield str(note(b) * 2) + str(note(0.5))\n"
            "out = list(gen())\n"
            "def boom():\n    try:\n        return str(note(1) + {}['k'])\n"
            "    except KeyError:\n        return 'caught'\n"
            "result = (out, boom(), seen, [str(i) for i in range(3)], list(range(note(2))),\n"
            "          float(note('2.5')), int(str(note(7)) * 2))")


class RefillTests(unittest.TestCase):
    """The countdown's refill (every C{REFILL} ticks) pays a tick point's debt first, never
    grants more than the task has left, and probes the call depth each time."""

    def test_every_tick_is_spent_exactly(self) -> None:
        """Budgets either side of a refill's size, with tick points costing 1 and more
        (a debt below zero), abort on ticks having spent exactly the budget."""
        for ticks in (1, 99, 100, 101, 250, 1001):
            for body in ("pass", "x = (1, (2, [3]))", "x = [[[[[[[[[[1]]]]]]]]]]"):
                result = run(f"while True:\n    {body}", budget=Budget(ticks=ticks))
                self.assertEqual(result.aborted, "ran out of ticks", (ticks, body))
                self.assertEqual(result.ticks, ticks, (ticks, body))

    def test_a_tick_point_dearer_than_a_refill(self) -> None:
        """A tick point charging more than C{REFILL} at once still pays all of it."""
        line = "x = " + "[" * 80 + "1" + "]" * 80
        result = run(f"def f():\n    {line}\n    return 1\nn = 0\nwhile True:\n    n += f()",
                     budget=Budget(ticks=5000))
        self.assertEqual(result.aborted, "ran out of ticks")
        self.assertEqual(result.ticks, 5000)

    def test_recursion_of_every_cost_meets_the_depth_limit(self) -> None:
        """Recursion through calls, C{__eq__} (a one-tick frame), generators and handlers
        is stopped at the depth limit, never by CPython's RecursionError."""
        for source in ("def f():\n    f()\nf()",
                       "class K:\n    def __eq__(self, o):\n        return K() == o\nK() == 1",
                       "def g():\n    yield from g()\nlist(g())",
                       "def f():\n    try:\n        f()\n    except Exception:\n        f()\nf()",
                       "f = lambda: f()\nf()"):
            result = run(source, budget=Budget(ticks=10**6, seconds=30.0))
            self.assertEqual(result.aborted, "calls nested too deeply", source)
            self.assertNotIn("RecursionError", result.error)

    def test_recursion_within_the_limit_completes(self) -> None:
        """Fifty frames deep is allowed under the default limit of sixty."""
        result = run("def f(n):\n    return 0 if n == 0 else 1 + f(n - 1)\nf(50)")
        self.assertEqual(result.value, 50, result.error)


class NumberGuardTests(CPythonAgreement):
    """C{a + b}, C{a - b}, C{a % b}, C{a | b}, C{a & b}, C{a ^ b} (and their augmented
    forms) run natively only when C{a} is exactly an int or a float: two identity tests
    against the real types (C{$int}, C{$float}), as the set C{$NUM} did before."""

    def check_aborts(self, source: str, reason: str) -> None:
        result = run(source, budget=SMALL)
        self.assertFalse(result.ok, source)
        self.assertIn(reason, result.aborted or "", (source, result.error))

    def test_the_guard_is_two_identity_tests(self) -> None:
        """The rewritten guard checks that its temporary still holds what it bound
        (L{tests.scripting.test_guard_swap}), then tests its exact type against C{$int},
        then C{$float}, and names no other temporary than C{$l}."""
        text = ast.unparse(rewrite(ast.parse("def f(a, b):\n    return g(a) - b\n")))
        self.assertIn("$l - b if ($l := g(a)) is $l and ($type($l) is $int or "
                      "$type($l) is $float) else $sub($l, b)", text)
        self.assertNotIn("$NUM", text)

    def test_other_left_operands_take_the_hook(self) -> None:
        """A bool, a complex, a str, a list and a script object on the left are not ints
        or floats: they take the hook (strings charged, script methods ticked)."""
        self.same_as_cpython(
            "def f(a, b):\n    return (a + b, a - b, a | b, a & b, a ^ b)\n"
            "result = [f(True, True), f(7, 2), f(-7, 3), f(2 ** 100, 5)]\n"
            "result.append([1.5 + 2, 1.5 - 2, 7.5 % 2, (1 + 2j) + 1, 'a' + 'b', [1] + [2]])\n"
            "result.append([True % 2, 2.5 % -1, -7 % 3, 7 % -3, False ^ True])\n")
        self.check_aborts("def f():\n    s = 'ab'\n    while True:\n        s = s + s\nf()", "")
        self.check_aborts("class A:\n    def __add__(self, o):\n        while True:\n"
                          "            pass\ndef f(a):\n    return a + 1\nf(A())",
                          "ran out of ticks")
        self.check_aborts("class A:\n    def __sub__(self, o):\n        return self - o\n"
                          "def f(a, b):\n    return a - b\nf(A(), 1)",
                          "calls nested too deeply")

    def test_right_operands_that_run_script_code(self) -> None:
        """With an int on the left, a script object on the right runs its reflected method
        as script code: ticked, depth-limited, its exceptions the script's to catch."""
        self.check_aborts("class R:\n    def __radd__(self, o):\n        return o + R()\n"
                          "def f(r):\n    return len('a') + r\nf(R())", "calls nested too deeply")
        self.check_aborts("class R:\n    def __rsub__(self, o):\n        while True:\n"
                          "            pass\ndef f(r):\n    return len('a') - r\nf(R())",
                          "ran out of ticks")
        self.same_as_cpython(
            "class R:\n    def __rsub__(self, o):\n        raise ValueError(o)\n"
            "def f(r):\n    try:\n        return len('ab') - r\n    except ValueError as e:\n"
            "        return e.args\nresult = f(R())\n")

    def test_evaluation_order_and_exceptions(self) -> None:
        """The left side runs once, before the right; an exception on either side is
        CPython's; a C{yield} on the left side suspends the guard and resumes it."""
        self.same_as_cpython(
            "log = []\ndef left(v):\n    log.append(('l', v))\n    return v\n"
            "def right(v):\n    log.append(('r', v))\n    return v\n"
            "def f():\n    return (left(3) + right(4), left(2.5) - right(1), left(9) % right(4),\n"
            "            left(6) | right(1), left(6) & right(3), left(6) ^ right(3))\n"
            "def boom():\n    try:\n        return left({}['x']) + right(1)\n"
            "    except KeyError:\n        pass\n    try:\n        return left(1) + right([][0])\n"
            "    except IndexError:\n        return 'caught'\n"
            "def gen():\n    total = 0\n    while total < 20:\n"
            "        total = ((yield total) or total) + len('abc')\n"
            "seen = list(gen())\n"
            "result = (f(), boom(), log, seen)\n")

    def test_big_ints_stay_charged_where_they_were(self) -> None:
        """Adding ints natively grows them a bit per tick at most; C{*} and C{<<} on them
        still go through their bounded guards."""
        self.check_aborts("def f():\n    x = 3\n    while True:\n        x = x + x\n"
                          "        x = x * x\nf()", "integer that is too large")
        result = run("def f():\n    x = 1\n    for i in range(5000):\n        x = x + x\n"
                     "    return x.bit_length()\nf()", budget=Budget(ticks=10**6, seconds=30.0))
        self.assertEqual(result.value, 5001, result.error)


class CountdownReachTests(unittest.TestCase):
    """No script can read, write or reset its countdown (C{$t}) or its refill hook."""

    def test_no_way_to_the_module_globals(self) -> None:
        """Every route to a module's globals from script code is refused: the builtins
        that return them, function and generator attributes, frames, tracebacks, and
        names spelled at run time."""
        for attempt in ("globals()", "vars()", "locals()['$t']", "f.__globals__",
                        "getattr(f, '__glo' + 'bals__')", "f.__closure__",
                        "g.gi_frame", "getattr(g, 'gi_' + 'frame')", "g.gi_code",
                        "err.__traceback__", "getattr(err, '__trace' + 'back__')",
                        "(lambda: 0).__globals__", "f.__code__",
                        "getattr(f, '__clo' + 'sure__')", "getattr(f, 'cell_contents')",
                        "type(f)", "__builtins__", "__import__('sys')",
                        "getattr(f, '$t')", "getattr(g, '$tick')"):
            source = ("def f():\n    yield 1\ng = f()\ntry:\n    1 / 0\n"
                      f"except ZeroDivisionError as e:\n    err = e\nfound = {attempt}\n"
                      "print('reached')\n")
            result = run(source, budget=SMALL)
            self.assertNotIn("reached", result.output, attempt)

    def test_budget_holds_after_every_attempt(self) -> None:
        """A script that tries the routes above and then spins is stopped having spent
        exactly its budget: nothing it did gave it ticks."""
        attempts = ("globals()", "vars()", "getattr(len, '__glo' + 'bals__')",
                    "getattr(ticks_left, '__sel' + 'f__')", "getattr(ticks_left, '$t')")
        body = "".join(f"try:\n    {a}\nexcept Exception:\n    pass\n" for a in attempts)
        result = run(body + "while True:\n    pass\n", budget=Budget(ticks=3000))
        self.assertEqual(result.aborted, "ran out of ticks")
        self.assertEqual(result.ticks, 3000)


class CountdownCellTests(CPythonAgreement):
    """The countdown is one closure cell per module instance (C{$cell}'s C{$t}): every
    scope counts it down, every task leaves it at zero, and no script reaches it."""

    SOURCE = ("def f(n):\n    return [v for v in range(n)]\n"
              "class A:\n    x = f(2)\n    def m(self):\n        return (lambda: self.x)()\n"
              "def gen():\n    def inner():\n        yield 1\n    yield from inner()\n"
              "g = gen()\ny = sum(v for v in range(3)) + len(A().m())\n")

    def test_every_scope_counts_down_the_cell(self) -> None:
        """No code object of a compiled script reads or writes a global C{$t}: functions,
        classes, methods, nested generators and lambdas take it from C{$cell} (through
        C{$main}, whose only free variable it is); the module's code only stores it."""
        code = compile_script(self.SOURCE, "cells").code
        self.assertIn(CELL, code.co_names)
        stack: list[CodeType] = [c for c in code.co_consts if type(c) is CodeType]
        seen = outers = 0
        while stack:
            c = stack.pop()
            seen += 1
            self.assertNotIn(COUNTER, c.co_names, c.co_qualname)
            if c.co_name == MAIN:
                self.assertEqual(c.co_freevars, (COUNTER,))
            elif c.co_name == CELL:
                self.assertEqual(c.co_cellvars, (COUNTER,))
            elif not c.co_flags & inspect.CO_GENERATOR and "$gen" in c.co_names and any(
                    is_inner(n) for n in c.co_freevars + c.co_varnames):
                # a generator function's outer one runs no script code, only makes the
                # generator of its inner one (which counts down the cell): no tick point
                outers += 1
                self.assertNotIn(COUNTER, c.co_freevars + c.co_cellvars, c.co_qualname)
            elif c.co_name not in ("<listcomp>", "<genexpr>", "<lambda>"):
                self.assertIn(COUNTER, c.co_freevars, c.co_qualname)
            stack.extend(k for k in c.co_consts if type(k) is CodeType)
        self.assertGreater(seen, 8)
        self.assertTrue(outers)

    def test_hooks_refuse_the_cell(self) -> None:
        """Were a script ever handed its countdown cell, its hooks would neither read nor
        set C{cell_contents}."""
        domain = Domain("ann")
        module = domain.load("def f():\n    return 1\n")
        cell = module._globals[COUNTER]
        self.assertIs(type(cell), CellType)
        with self.assertRaises(AttributeError):
            domain.hooks["$getattr"](cell, "cell_contents")
        with self.assertRaises(TypeError):
            domain.hooks["$write"](cell)
        with self.assertRaises(TypeError):  # nor can a cell be handed to a script
            domain.run("c.cell_contents = 10 ** 9\n", endowments={"c": cell})
        self.assertEqual(cell.cell_contents, 0)

    def test_every_task_leaves_the_cells_at_zero(self) -> None:
        """After a task (finished, aborted on ticks or on depth) every module's cell it
        drew on is back at zero: no later task starts with ticks a former one was given."""
        domain = Domain("ann")
        lib = domain.load("def spin(n):\n    while n:\n        n -= 1\n    return n\n"
                          "def deep(n):\n    return deep(n + 1)\nexports = ('spin', 'deep')\n",
                          name="lib", library=True)
        self.assertTrue(lib.result.ok, lib.result.error)
        user = domain.load("import lib\ndef go(n):\n    return lib.spin(n)\n"
                           "def forever():\n    while True:\n        lib.spin(3)\n"
                           "def down():\n    return lib.deep(0)\n", name="user")
        self.assertTrue(user.result.ok, user.result.error)
        cells = [m._globals[COUNTER] for m in (lib, user)]
        for call, reason in (("go", None), ("forever", "ran out of ticks"),
                             ("down", "calls nested too deeply")):
            args = (1000,) if call == "go" else ()
            result = user.call(call, *args, budget=Budget(ticks=5000, seconds=30.0))
            self.assertEqual(result.aborted, reason, (call, result.error))
            self.assertEqual([c.cell_contents for c in cells], [0, 0], call)
        # ticks the library's cell still held when the importer's ran dry are not counted
        # as spent (as when each module's countdown was a global): never more than given
        spent = user.call("forever", budget=Budget(ticks=5000, seconds=30.0))
        self.assertEqual(spent.aborted, "ran out of ticks")
        self.assertLessEqual(spent.ticks, 5000)
        self.assertGreater(spent.ticks, 5000 - 2 * REFILL)

    def test_generators_resumed_in_later_tasks(self) -> None:
        """A generator made in one task and resumed in others counts down its module's
        cell, refilled by whichever task resumes it: each task stops at its budget."""
        domain = Domain("ann")
        module = domain.load("def gen():\n    n = 0\n    while True:\n        n += 1\n"
                             "        yield n\ng = gen()\ndef pull(k):\n    for i in range(k):\n"
                             "        last = next(g)\n    return last\n"
                             "def spin():\n    h = gen()\n    while True:\n        next(h)\n")
        spent = []
        for k in (1, 2, 3):
            result = module.call("pull", 100, budget=Budget(ticks=5000, seconds=30.0))
            self.assertEqual(result.value, 100 * k, result.error)
            spent.append(result.ticks)
            self.assertEqual(module._globals[COUNTER].cell_contents, 0)
        # the first call pays the generator's entry (GENERATOR_COST more), the next ones
        # its resume in its place (a tick point of its own, review 5)
        self.assertEqual(spent[1:], [spent[0] - GENERATOR_COST] * 2)
        for ticks in (150, 1001):
            result = module.call("spin", budget=Budget(ticks=ticks, seconds=30.0))
            self.assertEqual(result.aborted, "ran out of ticks")
            self.assertEqual(result.ticks, ticks)
            self.assertEqual(module._globals[COUNTER].cell_contents, 0)

    def test_discarded_state_keeps_a_zero_cell(self) -> None:
        """A module whose state is thrown away keeps its countdown cell (its functions'
        closures hold it) at zero, and refuses further calls."""
        domain = Domain("ann")
        module = domain.load("def f():\n    return 1\n")
        cell = module._globals[COUNTER]
        module.discard("a test")
        self.assertIs(module._globals[COUNTER], cell)
        self.assertEqual(cell.cell_contents, 0)
        self.assertFalse(module.call("f").ok)

    def test_recursion_through_every_kind_of_frame(self) -> None:
        """Recursion through dunders (C{__eq__}, C{__hash__}, C{__repr__}, C{__radd__},
        C{__getitem__}), nested comprehensions, generators, handlers and guards that raise
        is stopped at the depth limit, never by CPython's RecursionError."""
        for source in (
                "class K:\n    def __str__(self):\n        return str(K())\nstr(K())",
                "class K:\n    def __repr__(self):\n        return repr(K())\nrepr(K())",
                "class K:\n    def __eq__(self, o):\n        return [K()] == [o]\nK() == 1",
                "class K:\n    def __radd__(self, o):\n        return len('a') + K()\n"
                "len('a') + K()",
                "class K:\n    def __getitem__(self, i):\n        return K()[i]\nK()[0]",
                "def f(n):\n    return [[f(n + 1) for a in b] for b in [[1]]]\nf(0)",
                "def f(n):\n    return sum(f(n + 1) for a in [1])\nf(0)",
                "def f(n):\n    try:\n        return [] + f(n + 1)\n"
                "    except TypeError:\n        return f(n + 1)\nf(0)",
                "class K:\n    def __add__(self, o):\n        raise ValueError(o)\n"
                "def f(n):\n    try:\n        K() + n\n    except ValueError:\n"
                "        return f(n + 1)\nf(0)"):
            result = run(source, budget=Budget(ticks=10 ** 6, seconds=30.0))
            self.assertEqual(result.aborted, "calls nested too deeply", (source, result.error))
            self.assertNotIn("RecursionError", result.error)

    def test_lambdas_count_down_the_cell(self) -> None:
        """A lambda's tick point is a lean hook over its module's own globals and C{$tick}:
        lambdas alone run out of ticks and recurse into the depth limit, each module's
        lambdas count down that module's cell, and its namespace leads nowhere else."""
        for source, reason in (("while True:\n    (lambda: 1)()", "ran out of ticks"),
                               ("f = lambda n: f(n + 1)\nf(0)", "calls nested too deeply"),
                               ("sorted(range(10 ** 6), key=lambda v: -v)", "ran out of ticks")):
            result = run(source, budget=SMALL)
            self.assertEqual(result.aborted, reason, (source, result.error))
        domain = Domain("ann")
        a = domain.load("f = lambda: 1\n", name="a")
        b = domain.load("f = lambda: 1\n", name="b")
        for module in (a, b):
            lam = module._globals["$lam"]
            self.assertEqual(set(lam.__globals__) - {"$lean", "__builtins__"},
                             {"G", "TICK", "CellType", "type"})
            self.assertIs(lam.__globals__["G"], module._globals)
            self.assertIs(lam.__globals__["TICK"], module._globals["$tick"])
        self.assertIsNot(a._globals["$lam"], b._globals["$lam"])
        with self.assertRaises(TypeError):  # no default cost
            a._globals["$lam"]()

    def test_scripts_own_closures_and_globals(self) -> None:
        """A script's own C{nonlocal} and C{global} names, and C{global} at the top level
        (which means nothing there), work beside the countdown as in CPython."""
        self.same_as_cpython(
            "global total\nif True:\n    global other\n    other = 5\ntotal = 0\n"
            "def counter():\n    n = 0\n    def bump():\n        nonlocal n\n"
            "        n += 1\n        return n\n    return bump\n"
            "def add(v):\n    global total\n    total += v\n"
            "b = counter()\nfor i in range(5):\n    add(b())\n"
            "class C:\n    global late\n    late = 3\n    k = [i for i in range(3)]\n"
            "result = (total, other, late, C.k, b())\n")
        for source in ("return 5", "x = 1\nreturn x", "yield 1", "x = (yield)"):
            self.assertIn("cannot compile", run(source).error or "", source)


class ComprehensionTests(CPythonAgreement):
    """Comprehensions over lists iterate in C after an up-front charge, and their keys go
    through the inline key guard: a list that grows while it is walked, a doubled tuple
    as a key or element, and everything CPython answers stay as they were."""

    def check_aborts(self, source: str, reason: str) -> None:
        result = run(source, budget=SMALL)
        self.assertFalse(result.ok, source)
        self.assertIn(reason, result.aborted or "", (source, result.error))

    def test_a_list_that_grows_while_walked_still_ticks(self) -> None:
        """Elements appended by the comprehension's own body are charged one by one: a
        list that grows forever runs out of ticks, in every kind of comprehension and at
        the top level, in a function, a lambda and a class body."""
        for comp in ("[xs.append(x) for x in xs]", "{xs.append(x) for x in xs}",
                     "{x: xs.append(x) for x in xs}", "[y for x in xs for y in xs.append(x) or xs]",
                     "[x for x in xs if not xs.append(x)]"):
            self.check_aborts(f"xs = [1]\n{comp}", "ran out of ticks")
            self.check_aborts(f"def f():\n    xs = [1]\n    {comp}\nf()", "ran out of ticks")
            self.check_aborts(f"f = lambda xs: {comp}\nf([1])", "ran out of ticks")
            self.check_aborts(f"class C:\n    xs = [1]\n    ys = (lambda xs: {comp})(xs)\n",
                              "ran out of ticks")

    def test_lists_are_charged_up_front(self) -> None:
        """A list's elements are charged before the first one is visited: each element's
        cost, and the slots of what is built."""
        result = run("def f():\n    xs = [0] * 200000\n    return len([x for x in xs])\nf()",
                     budget=Budget(ticks=10**6, seconds=30.0))
        self.assertEqual(result.value, 200000, result.error)
        self.assertGreater(result.ticks, 200000)
        self.check_aborts("def f():\n    xs = [0] * 100000\n    return [x for x in xs]\nf()",
                          "ran out of ticks")
        result = run("def f():\n    xs = [0] * 1000000\n    keep = []\n    while True:\n"
                     "        keep.append([x for x in xs])\nf()",
                     budget=Budget(ticks=10**8, seconds=30.0))
        self.assertEqual(result.aborted, "used too much memory", result.error)

    def test_lists_agree_with_cpython(self) -> None:
        """Lists that grow (to a bound), shrink, are rebound or emptied while walked, walked
        twice in one comprehension, or raise part-way give CPython's answers."""
        self.same_as_cpython(
            "def f():\n    out = []\n    xs = [1, 2, 3]\n"
            "    out.append([xs.append(x + 10) or x for x in xs if len(xs) < 8])\n"
            "    ys = [1, 2, 3, 4, 5, 6]\n    out.append([ys.pop() for y in ys])\n"
            "    zs = [1, 2, 3]\n    out.append([(zs := []) or z for z in zs])\n"
            "    ws = [4, 5]\n    out.append([(a, b) for a in ws for b in ws])\n"
            "    out.append({v: k for k, v in {1: 'a', 2: 'b'}.items()})\n"
            "    out.append({x % 3 for x in [5, 6, 7, 8]})\n"
            "    out.append([x for x in []])\n    vs = [3, 2]\n"
            "    out.append([vs.clear() or x for x in vs])\n"
            "    try:\n        [1 // x for x in [1, 0, 2]]\n    except ZeroDivisionError:\n"
            "        out.append('raised')\n    return out\nresult = f()\n"
            "result = (result, [x * 2 for x in [1, 2]], sum(x for x in [1, 2, 3]))")

    def test_doubled_tuples_as_keys_are_charged(self) -> None:
        """A doubled tuple as a set comprehension's element or a dict comprehension's key
        is charged its hash walk, wherever the comprehension is."""
        doubled = "t = (1,)\nfor i in range(40):\n    t = (t, t)\n"
        for comp in ("{t for i in range(1)}", "{t: 1 for i in range(1)}",
                     "{(t if i >= 0 else 0): i for i in range(1)}", "{(t, i) for i in range(1)}"):
            self.check_aborts(f"{doubled}while True:\n    {comp}", "ran out of ticks")
            self.check_aborts(f"def f():\n    t = (1,)\n    for i in range(40):\n"
                              f"        t = (t, t)\n    while True:\n        {comp}\nf()",
                              "ran out of ticks")
            self.check_aborts(f"{doubled}class C:\n    while True:\n        {comp}",
                              "ran out of ticks")

    def test_keys_agree_with_cpython(self) -> None:
        """Keys computed with guards of their own (which reuse the temporary), tuples, keys
        that raise, unhashable keys and the value evaluated after the key are CPython's."""
        self.same_as_cpython(
            "def f():\n    out = []\n    order = []\n"
            "    out.append({(order.append('k') or k % 5): (order.append('v') or k * 2)"
            " for k in range(7)})\n    out.append(order)\n"
            "    out.append({(a, b) for a in range(3) for b in range(2)})\n"
            "    out.append({(a,): a + 1 for a in range(3)})\n"
            "    out.append({s.strip() + 'x' for s in [' a', 'b ']})\n"
            "    try:\n        {[k]: 1 for k in range(2)}\n    except TypeError:\n"
            "        out.append('unhashable')\n"
            "    try:\n        {1 // k for k in range(2)}\n    except ZeroDivisionError:\n"
            "        out.append('raised')\n    return out\nresult = f()\n"
            "class C:\n    d = {k: k for k in range(3)}\n    s = {(k, k) for k in range(2)}\n"
            "result = (result, C.d, C.s, {k * 2 for k in range(3)})")


class StringGuardTests(CPythonAgreement):
    """Slices of short strings and padding to a small literal width run natively; longer
    strings, wider widths and bounds or widths that are not written out stay charged."""

    def check_aborts(self, source: str, reason: str, budget: Budget = SMALL) -> None:
        result = run(source, budget=budget)
        self.assertFalse(result.ok, source)
        self.assertIn(reason, result.aborted or "", (source, result.error))

    def test_slices_agree_with_cpython(self) -> None:
        """Either side of the length bound, non-ASCII text, every kind of bound (literals,
        negative literals, names holding ints, bools and None), and CPython's errors."""
        self.same_as_cpython(
            "def f():\n    out = []\n    for n in (0, 1, 63, 64, 65, 200):\n"
            "        s = 'é' * (n // 2) + 'ab' * (n - n // 2)\n        i, j, k = 1, -2, 2\n"
            "        b = True\n        z = None\n"
            "        out += [s[::-1], s[1:], s[:-3], s[i:j], s[::k], s[j::-1], s[b:], s[z:i],"
            " s[i:j:k], s[-1:-10:-2]]\n"
            "        out += [[1, 2, 3][i:], (1, 2, 3)[::-1], b'abc'[i:]]\n"
            "    try:\n        'abc'[::0]\n    except ValueError:\n        out.append('zero')\n"
            "    try:\n        x = 1.5\n        'abc'[x:]\n    except TypeError:\n"
            "        out.append('float')\n    return out\nresult = f()")

    def test_slice_bounds_that_are_not_ints_are_refused(self) -> None:
        """A script object, a float or a tuple as a bound named in the native position
        is refused as before, by the hook."""
        for bound in ("I()", "1.0", "(1, 2)", "'1'"):
            result = run(f"class I:\n    pass\ndef f():\n    i = {bound}\n    s = 'abc'\n"
                         "    return s[i:]\nf()", budget=SMALL)
            self.assertFalse(result.ok)
            self.assertIn("slice indices must be integers", result.error)

    def test_long_slices_are_still_charged(self) -> None:
        """A slice of a long string pays its length; of a list, its slots."""
        result = run("def f():\n    s = 'a' * 100000\n    for i in range(40):\n"
                     "        t = s[::-1]\nf()", budget=Budget(ticks=10**6, seconds=30.0))
        self.assertGreater(result.ticks, 40 * (100000 >> 8), result.error)
        self.check_aborts("def f():\n    s = 'a' * 1000000\n    keep = []\n    while True:\n"
                          "        keep.append(s[1:])\nf()", "")
        self.check_aborts("def f():\n    xs = [0] * 1000000\n    keep = []\n    while True:\n"
                          "        keep.append(xs[1:])\nf()", "")

    def test_padding_agrees_with_cpython(self) -> None:
        """Every padding method, either side of both bounds, with fill characters and
        negative widths, and CPython's errors."""
        self.same_as_cpython(
            "def f():\n    out = []\n    for n in (0, 5, 63, 64, 65, 100):\n"
            "        s = 'é' * n\n"
            "        out += [s.zfill(6), s.zfill(64), s.zfill(-3), s.ljust(10, '.'),"
            " s.rjust(64), s.center(7, '*'), s.zfill(65), s.ljust(100)]\n"
            "        out += [b'ab'.zfill(6), b'ab'.center(5)]\n"
            "    try:\n        'a'.center(5, '**')\n    except TypeError:\n"
            "        out.append('fill')\n    return out\nresult = f()")

    def test_wide_padding_is_still_charged(self) -> None:
        """A width that is not a literal, or a literal over the bound, or a long string,
        is charged the result's memory."""
        for pad in ("s.zfill(w)", "s.ljust(w, '.')", "s.zfill(10 ** 6)", "s.center(1000000)",
                    "s.rjust(1000000, '-')", "(s * 1000).zfill(64) + s.zfill(1000000)"):
            self.check_aborts("def f():\n    s = 'a'\n    w = 1000000\n    keep = []\n"
                              f"    while True:\n        keep.append({pad})\nf()",
                              "used too much memory", Budget(ticks=10**6, seconds=30.0))

    def test_fstrings_agree_with_cpython(self) -> None:
        """C{f"{x}"} of strings, ints either side of 64 digits of both signs, bools,
        floats, None and containers, beside conversions and specs, is CPython's."""
        self.same_as_cpython(
            "def f():\n    out = []\n"
            "    for v in ('a', '', 'é' * 70, 0, -5, 10 ** 63, -10 ** 62, 10 ** 64, -10 ** 63,"
            " 10 ** 70, True, 1.5, None, [1, 'x'], (1,), {'a': 1}):\n"
            "        out.append(f'{v}|{v!r}|{str(v):>3}|{v}{v}')\n    return out\n"
            "result = f()")

    def test_long_fstring_values_are_still_charged(self) -> None:
        """A long string or a big int in an f-string is charged as before."""
        for value in ("'a' * 1000000", "10 ** 1200"):
            self.check_aborts(f"def f():\n    v = {value}\n    keep = []\n    while True:\n"
                              "        keep.append(f'{v}{v}')\nf()", "",
                              Budget(ticks=10**6, seconds=30.0))
        result = run("def f():\n    v = 'a' * 100000\n    for i in range(40):\n"
                     "        t = f'{v}'\nf()", budget=Budget(ticks=10**6, seconds=30.0))
        self.assertTrue(result.ok, result.error)

    def test_string_augmented_assignment_is_charged(self) -> None:
        """C{s += t} on strings pays the new string's length every time: a copy kept
        alive each step runs out of memory, however the right side is written."""
        for step in ("s += 'x'", "s += f'{i}'", "s += s[:1]"):
            self.check_aborts("def f():\n    s = 'a' * 1000000\n    keep = []\n"
                              f"    for i in range(10 ** 6):\n        keep.append(s)\n"
                              f"        {step}\nf()", "used too much memory",
                              Budget(ticks=10**6, seconds=30.0))

    def test_padding_on_other_receivers(self) -> None:
        """A script class's own C{zfill} runs its code (ticked); bytes and other types
        take the hook."""
        self.check_aborts("class Z:\n    def zfill(self, w):\n        while True:\n"
                          "            pass\ndef f():\n    Z().zfill(6)\nf()", "ran out of ticks")
        self.same_as_cpython("def f():\n    try:\n        [].zfill(3)\n"
                             "    except AttributeError:\n        return 'none'\nresult = f()")
