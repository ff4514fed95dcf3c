"""
Attacks on when script code runs (red team, 2026-12-07): each tries to get script code
run at a moment trusted code does not expect (a generator's handler, a C{finally}
after an abort, the server's formatting of an error, a descriptor, a module unloaded)
or to reach past a budget from there. Each is watched by L{tests.fuzz.reentry.Watch}
too: script code runs only from the entry points.

(Script code run inside a sort or comparison: C{test_escape_compare_toctou}.)
"""

from __future__ import annotations

import gc

from twisted.trial import unittest

from scripting import Budget, Domain, check
from scripting.domain import TaskResult
from tests.fuzz.reentry import Watch

BUDGET = Budget(ticks=20_000, seconds=5.0)


class ReentryAttackTests(unittest.TestCase):
    def watched(self, source: str, domain: Domain | None = None) -> TaskResult:
        with Watch() as watch:
            result = (domain or Domain("attacker")).run(source, budget=BUDGET)
        self.assertEqual(watch.violations, [], "\n".join(map(str, watch.violations)))
        return result

    def test_handler_expression_around_yield(self) -> None:
        """
        An C{except} clause is evaluated when C{GeneratorExit} passes: one that calls
        a function (which would run when the generator is dropped) does not compile.
        """
        source = ("def f():\n    return ValueError\n"
                  "def g():\n    try:\n        yield 1\n    except f():\n        pass\n")
        self.assertTrue(check(source))

    def test_finally_cannot_swallow_an_abort(self) -> None:
        """
        C{return}, C{break} and C{continue} in a C{finally} (which would swallow the
        abort and go on) do not compile; a C{finally} run by an abort prints nothing.
        """
        for jump in ("return 1", "break", "continue"):
            source = (f"def f():\n    for i in range(2):\n        try:\n            pass\n"
                      f"        finally:\n            {jump}\n")
            self.assertTrue(check(source), jump)
        result = self.watched("try:\n    while True:\n        pass\n"
                              "finally:\n    print('after the abort')\n")
        self.assertEqual(result.aborted, "ran out of ticks")
        self.assertNotIn("after the abort", result.output)

    def test_builtin_types_cannot_be_subclassed(self) -> None:
        """
        A subclass of C{list} or C{int} (whose C{__len__} the charging code would call
        to size its work) cannot be made.
        """
        for base in ("list", "int", "str", "dict", "tuple"):
            result = self.watched(f"class L({base}):\n    def __len__(self):\n"
                                  f"        return 0\n")
            self.assertFalse(result.ok, base)

    def test_error_formatting_runs_no_script_code(self) -> None:
        """
        The server formats a script's failure without calling the exception's own
        C{__str__} or its arguments' C{__repr__} (which would run outside the script's
        control, or for ever).
        """
        for body in ("print('ran')\n        return 'x'", "while True:\n            pass"):
            source = (f"class E(Exception):\n    def __str__(self):\n        {body}\n"
                      f"    def __repr__(self):\n        {body}\nraise E()\n")
            result = self.watched(source)
            self.assertFalse(result.ok)
            self.assertIsNone(result.aborted)
            self.assertEqual(result.output, "")
        result = self.watched("class A:\n    def __repr__(self):\n        print('ran')\n"
                              "        return 'a'\nraise ValueError(A())\n")
        self.assertEqual(result.output, "")
        self.assertIn("<object>", result.error or "")

    def test_descriptors_of_trusted_callables(self) -> None:
        """
        C{property}, C{staticmethod} and C{classmethod} around a builtin call it as a
        script would, and show nothing but the script's own objects.
        """
        result = self.watched("class P:\n    x = property(print)\n"
                              "    s = staticmethod(print)\n    c = classmethod(print)\n"
                              "P().x\nP().s('s')\nP.c()\n")
        self.assertTrue(result.ok, result.error)
        self.assertEqual(result.output, "<P object>\ns\n<class 'script.P'>\n")

    def test_min_key_cannot_grow_the_best_key(self) -> None:
        """
        C{min} with a key: a later key call growing an earlier key is charged (every
        key is computed, then charged, before any is compared, as in a sort:
        C{test_escape_compare_toctou}).
        """
        source = ("a = ()\nb = ()\nfor i in range(20):\n    a = (a, a)\n    b = (b, b)\n"
                  "keys = []\ndef k(x):\n    if len(keys) == 1:\n        keys[0].append(a)\n"
                  "        r = [b]\n    else:\n        r = []\n    keys.append(r)\n"
                  "    return r\nm = min(range(2), key=k)\n")
        self.assertEqual(self.watched(source).aborted, "ran out of ticks")

    def test_script_objects_stay_in_their_task(self) -> None:
        """
        A script object returned from a task does not leave it (its C{__repr__} would
        run in whatever shows it).
        """
        result = self.watched("class A:\n    def __repr__(self):\n        print('ran')\n"
                              "        return 'a'\nA()\n")
        self.assertFalse(result.ok)
        self.assertEqual(result.output, "")

    def test_paused_generators_dropped_at_unload(self) -> None:
        """
        A module holding paused generators (in every kind of allowed handler) runs no
        script code when it is unloaded and its generators go.
        """
        domain = Domain("attacker")
        source = ("def g():\n    try:\n        yield 1\n    except ValueError:\n"
                  "        print('caught')\n    yield 2\n"
                  "def h():\n    for i in g():\n        yield i\n"
                  "kept = [g(), h(), (x for x in g())]\nfor e in kept:\n    next(e)\n")
        with Watch() as watch:
            module = domain.load(source, name="held", budget=BUDGET)
            self.assertTrue(module.result.ok, module.result.error)
            domain.unload(module)
            del module
            gc.collect()
        self.assertEqual(watch.violations, [], "\n".join(map(str, watch.violations)))

    def test_length_hints_of_script_objects(self) -> None:
        """
        A script object claiming a length of 2**62 makes nothing allocate for it: the
        builtins that size their result by the length (list, tuple, set, bytes, extend,
        unpacking) take what its iterator yields.
        """
        source = ("class I:\n    def __iter__(self):\n        return iter([1, 2])\n"
                  "    def __len__(self):\n        return 2**62\n"
                  "xs = []\nxs.extend(I())\na, b = I()\n"
                  "print(list(I()), tuple(I()), [*I()], set(I()), bytes(I()), sorted(I()),\n"
                  "      xs, a)\n")
        result = self.watched(source)
        self.assertTrue(result.ok, result.error)
        self.assertEqual(result.output,
                         "[1, 2] (1, 2) [1, 2] {1, 2} b'\\x01\\x02' [1, 2] [1, 2] 1\n")
