"""The number guard folded into the one inside it (issue 11 §3).

C{a * b % c}: when the inner guard's native branch runs, its result is exactly an int or
a float (its operands were tested, its right side is a number literal or was tested too),
so the outer C{%} needs no test of its own there: the rewriter puts the outer operation
into the inner's native branch, and the outer guard, unchanged, into its hook branch.
These tests check that the fold happens only where the inner result is proved a number,
and that folded code gives CPython's answers and charges exactly what the unfolded code
charges (ticks and memory), on ints, floats, huge ints, strings, lists and script
objects with reflected methods.
"""

from __future__ import annotations

import ast

from twisted.trial import unittest

from scripting import Budget, Domain, hooks, run
from scripting import rewrite as rewrite_module
from scripting.rewrite import rewrite
from scripting.task import Task

ROOMY = Budget(ticks=10**6, seconds=30.0)
#: calls C{f(x)}, giving the name of a TypeError or OverflowError it raises instead
EXIT = Task.__exit__

SAFE = ("def safe(f, x):\n    try:\n        return f(x)\n"
        "    except (TypeError, OverflowError) as e:\n        return type(e).__name__\n")


def rewritten(source: str) -> str:
    return ast.unparse(rewrite(ast.parse(source)))


class FoldAgreement(unittest.TestCase):
    """A base: run sources with the fold on and off and compare."""

    def outcome(self, source: str, fold: bool) -> tuple:
        """The result, ticks and memory left of C{source} run with the fold on or off
        (a different comment line, so the compile cache keeps the two apart)."""
        self.patch(rewrite_module, "FOLD_NUMBERS", fold)
        seen: list[int] = []

        def record(task: Task, *args: object) -> object:
            seen.append(task.memory_left)
            return EXIT(task, *args)

        self.patch(Task, "__exit__", record)
        result = run(source + f"\n# fold {fold}\nresult\n", budget=ROOMY)
        return (result.ok, result.value, result.error and result.error.splitlines()[-1],
                result.ticks, seen)

    def same_either_way(self, source: str) -> None:
        """Folded and unfolded, C{source} gives CPython's C{result} and the same ticks and
        memory charged."""
        namespace: dict = {}
        exec(compile(source, "<plain>", "exec"), namespace)  # noqa: S102 - the reference
        folded = self.outcome(source, True)
        plain = self.outcome(source, False)
        self.assertTrue(folded[0], (source, folded))
        self.assertEqual(folded[1], namespace["result"], source)
        self.assertEqual(folded, plain, source)



class NumberFoldTests(FoldAgreement):
    """A guard whose left side is a number guard's proved-number result tests nothing
    again on the native path; everything else is what the unfolded code does."""

    def test_inner_guard_result_is_not_tested_again(self) -> None:
        """C{a * 7919 % 10007} and C{i * i % 7}: one guard, whose native branch computes
        both operations; the C{%} guard stays whole in the hook branch."""
        text = rewritten("def f(i):\n    return (i * 7919) % 10007\n")
        self.assertIn("return $l * 7919 % 10007 if ($l := i) is $l and ", text)
        self.assertIn("else $l % 10007 if ($l := $mul($l, 7919)) is $l and "
                      "($type($l) is $int or $type($l) is $float) else $mod($l, 10007)\n",
                      text)
        text = rewritten("def f(i):\n    return i * i % 7\n")
        self.assertIn("return $l * i % 7 if ($l := i) is $l and ", text)
        self.assertEqual(text.count("$type($l) is $int or $type($l) is $float"), 1, text)

    def test_chains_fold_into_one_native_branch(self) -> None:
        """C{a * 3 % 5 % 6 % 4}: the guard of each step over a literal folds into the one
        below it; the hook branch of each is the unfolded guard, once."""
        text = rewritten("def f(a):\n    return a * 3 % 5 % 6 % 4\n")
        self.assertIn("return $l * 3 % 5 % 6 % 4 if ($l := a) is $l and ", text)
        self.assertEqual(text.count("$mod("), 3, text)
        self.assertEqual(text.count("$mul("), 1, text)
        self.same_either_way("def f(a):\n    return (a * 3 % 5 % 6 - 2.5) % 4 ^ 1\n" + SAFE +
                             "result = [safe(f, x) for x in (0, 7, -9, 2.5, 10**30, 2**3000,"
                             " True, 'a%s')]\n")

    def test_no_fold_where_the_inner_result_is_not_proved_a_number(self) -> None:
        """An inner C{+ - % | & ^} whose right side is not a number literal (a script
        object's reflected method may return anything), an outer C{*} (it bounds ints by
        size), a call's result on the left: each keeps its own guard."""
        for source, guards in (("def f(a, b):\n    return (a + b) % 3\n", 2),
                               ("def f(a, b):\n    return (a % b) % 3\n", 2),
                               ("def f(a):\n    return (a * 3) * 5\n", 2),
                               ("def f(a):\n    return g(a) % 3\n", 1)):
            text = rewritten(source)
            self.assertEqual(text.count(" is $l and "), guards, text)

    def test_a_float_times_a_name_tests_the_name(self) -> None:
        """Folded, C{x * y % 7} with x a float runs natively only when y is exactly an int
        or a float (so the product is a number): a script object's C{__rmul__} goes
        through C{$mul}. A product nothing folds keeps its smaller test."""
        text = rewritten("def f(x, y):\n    return x * y % 7\n")
        self.assertIn("$type($l) is $float and ($type(y) is $int or $type(y) is $float)",
                      text)
        text = rewritten("def f(x, y):\n    return x * y\n")
        self.assertIn("return $l * y if ($l := x) is $l and ($type($l) is $float or ", text)
        self.same_either_way(
            "class R:\n    def __rmul__(self, o):\n        return '%s' + '-%s' * (int(o) - 1)\n"
            "def f(x, y):\n    return x * y % 7 if type(y) is not R else x * y % ('a', 'b')\n"
            "result = [f(2.0, R()), f(2.0, 3), f(2.0, 1.5), f(2, R()), f(2.5, 2**60)]\n")

    def test_same_answers_and_charges(self) -> None:
        """Ints, floats, bools, huge ints (past the C{*} guard's bound), strings, lists,
        tuples and script objects on either side: CPython's answers, and the same ticks
        and memory with the fold as without."""
        self.same_either_way(
            "def f(a, b):\n    return (a * b) % 7, a * 3 % 5, (a * 2.5) % 4, a * b % 3 & 1\n"
            + SAFE + "result = [safe(lambda a: f(a, y), x) for x in (0, 1, -7, 3.5, True,"
            " 2**100, 2**2100) for y in (2, -3, 0.5, 2**60, -2**61)]\n")
        self.same_either_way(
            "def f(s, n):\n    return s * n % ('x',) * 2 if type(s) is str else s * n % 2\n"
            "result = [f('%s|', 1), f('ab%s', 1), f(7, 3), f(2.5, 3)]\n")
        self.same_either_way(
            "class M:\n    def __mul__(self, o):\n        return '%d' * o\n"
            "    def __mod__(self, o):\n        return 'mod'\n"
            "def f(a):\n    return a * 3 % (1, 2, 3)\n"
            "def g(a):\n    return (a * 1) % 9\n"
            "result = [f(M()), g(M()), g(4), g(4.5)]\n")
        self.same_either_way(
            "total = 0\nfor i in range(3000):\n    total += i * i % 7\n"
            "def h(n):\n    t = 0\n    for i in range(n):\n        t += (i * 7919) % 10007\n"
            "    return t\nresult = (total, h(3000))\n")

    def test_amplification_through_the_hook_branch_is_still_charged(self) -> None:
        """Strings made by C{*} then formatted by C{%} (the inner guard's hook branch, then
        the outer guard unfolded) are charged: the task runs out of memory, folded or not,
        at the same step."""
        seen = []
        for fold in (True, False):
            self.patch(rewrite_module, "FOLD_NUMBERS", fold)
            result = run("def f(s, n):\n    return s * n % ()\nkept = []\n"
                         f"# fold {fold}\nfor i in range(1000):\n"
                         "    kept.append(f('%%', 10**4))\n",
                         budget=Budget(ticks=10**6, seconds=30.0, memory=1 << 20))
            self.assertFalse(result.ok)
            self.assertIn("used too much memory", result.aborted or "", result.error)
            seen.append((result.ticks, result.aborted))
        self.assertEqual(seen[0], seen[1])


class RangeNameTests(FoldAgreement):
    """A comprehension's name over C{range} holds exactly an int wherever its body reads
    it: its number and key guards test no type, and every way of binding the name to
    something else keeps the guards."""

    def test_a_name_over_range_is_read_untested(self) -> None:
        """C{{i: i * 2 for i in range(n)}}: the key as it is, the product with its size
        test only; C{i % 7}: natively; the range checked by C{$riter}."""
        text = rewritten("def f(n):\n    return {i: i * 2 for i in range(n)}\n")
        self.assertIn("{i: i * 2 if $NBIG < i < $BIG else $mul(i, 2) for i in "
                      "$citer($riter($b.range(n)), 1)}", text)
        text = rewritten("def f(n):\n    return [i % 7 + 1 for i in range(n) if i % 3]\n")
        self.assertIn("[i % 7 + 1 for i in $citer($riter($b.range(n)), 1) if i % 3]", text)
        text = rewritten("def f(n):\n    return sum(i * i % 7 for i in range(n))\n")
        self.assertIn("(i * i % 7 if $NBIG < i < $BIG else ", text)

    def test_every_other_binding_keeps_the_guards(self) -> None:
        """A nested comprehension's or lambda's own C{i}, a second generator binding
        C{i}, a tuple target, C{range} bound by the script: the guards stay."""
        for source in (
                "def f(s):\n    return [[i % 2 for i in s] for i in range(3)]\n",
                "def f(s):\n    return [i % 2 for i in range(3) for i in s]\n",
                "def f(s):\n    return [(lambda i: i % 2)(s) for i in range(3)]\n",
                "def f(s):\n    return [x for i in range(3) for x in g(i % 2)]\n",
                "def f(s):\n    return [i % 2 for i, j in range(3)]\n",
                "range = lambda n: ['%s'] * n\ndef f(s):\n    return [i % 2 for i in range(3)]\n",
                "def f(s):\n    range = g\n    return [i % 2 for i in range(3)]\n"):
            text = rewritten(source)
            self.assertIn("$mod(", text, source)
        self.same_either_way(
            "def f(s):\n    return ([[i % 2 for i in s] for i in range(3)],\n"
            "            [i % (2,) for i in range(2) for i in s],\n"
            "            [(lambda i: i % 2)(s[0]) for i in range(2)],\n"
            "            [[j * 3 % 4 for j in range(i * 2)] for i in range(4)],\n"
            "            {i % 5: i * 2.5 for i in range(-3, 9, 2)},\n"
            "            sum(i * i % 7 for i in range(100)), {i * 3 % 11 for i in range(40)})\n"
            "result = f(['%s', '%s'])\n")

    def test_huge_ranges_take_the_hooks(self) -> None:
        """Ints past the product's bound go through C{$mul}, folded or not: the same
        answers, or the same refusal, and the same charges."""
        self.same_either_way(
            "result = [i * 3 % 1000 for i in range(2**2100, 2**2100 + 5)]\n"
            "result += [i * i % 1000 for i in range(2**1000, 2**1000 + 5)]\n")
        outcomes = []
        for fold in (True, False):
            self.patch(rewrite_module, "FOLD_NUMBERS", fold)
            result = run(f"# fold {fold}\nx = [i * i for i in range(2**3000, 2**3000 + 5)]\n",
                         budget=ROOMY)
            self.assertFalse(result.ok)
            outcomes.append((result.ticks, result.aborted))
        self.assertEqual(outcomes[0], outcomes[1])
        self.assertIn("too large", outcomes[0][1])

    def test_riter_passes_only_ints(self) -> None:
        """C{$riter} hands on a real range as it is; anything else (an endowment named
        C{range}) element by element, stopping at the first that is not exactly an int."""
        r = range(3)
        self.assertIs(hooks.riter(r), r)
        self.assertEqual(list(hooks.riter([1, 2])), [1, 2])
        walked = hooks.riter([1, "%s", 3])
        self.assertEqual(next(walked), 1)
        self.assertRaises(TypeError, next, walked)
        self.assertRaises(TypeError, list, hooks.riter([True]))
        lean_riter = Domain("ann").load("x = 1")._globals["$riter"]
        self.assertIs(lean_riter(r), r)
        self.assertRaises(TypeError, list, lean_riter([1, "%s"]))
