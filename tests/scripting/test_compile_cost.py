"""
Saving a script whose checks take seconds to compile (issue 9, saving).

Checking, rewriting and compiling a script run on the reactor in one piece,
before any budget applies. The rewriter guards each attribute read, index,
comparison, arithmetic operation and f-string field inline, tens of nodes
apiece, so what it costs follows those, not the size of the text: a chained
comparison of 3900 operands (26 KB) took over a second to save, every time.
The checker weighs each node by what the rewriter makes of it and refuses a
script heavier than C{policy.MAX_COMPILE_WEIGHT}, naming the limit; ordinary
code of a thousand lines weighs less.
"""

from __future__ import annotations

import ast
import glob
import os
import textwrap

from twisted.trial import unittest

from scripting import check, policy
from scripting import rewrite as rewrite_module
from scripting.validate import compile_weight
from tests.scripts.helpers import Scene, make, script
from world.scripts import MAX_CHARS, MAX_LINES

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

TOO_HEAVY = (f"the script is too big to compile: its checks weigh more than "
             f"{policy.MAX_COMPILE_WEIGHT}")


def chain(count: int, operand=str) -> str:
    """C{x = (0 < 1 < ... )}, C{count} operands, on lines of at most 200."""
    items = [operand(i) for i in range(count)]
    lines = [" < ".join(items[i:i + 200]) for i in range(0, count, 200)]
    return "a = 1\nx = (" + "\n  < ".join(lines) + ")\n"


def repeated(statement: str, count: int) -> str:
    """C{count} copies of C{statement}, twenty to a line (a save takes 1000 lines)."""
    return "\n".join(";".join([statement] * 20) for _ in range(count // 20))


def reasons(source: str) -> list[str]:
    return [v.reason for v in check(source)]


def heavy(test: unittest.TestCase, source: str) -> None:
    """C{source} fits what a save takes, and is refused as too heavy, alone."""
    test.assertLessEqual(len(source), MAX_CHARS)
    test.assertLessEqual(source.count("\n") + 1, MAX_LINES)
    found = reasons(source)
    test.assertEqual(len(found), 1, found)
    test.assertTrue(found[0].startswith(TOO_HEAVY), found)


def ordinary() -> dict[str, str]:
    """Each script in content/ repeated to a thousand lines, and the
    compatibility corpus: long, flat, ordinary code."""
    scripts = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "content", "*", "*.py"))):
        with open(path, encoding="utf-8") as f:
            source = f.read().strip("\n")
        copies = MAX_LINES // (source.count("\n") + 2)
        scripts[os.path.basename(path)] = "\n\n".join([source] * copies)
    from tests.scripting.corpus_compat import _SOURCES
    scripts["compatibility corpus"] = "\n".join(textwrap.dedent(s) for s in _SOURCES.values())
    return scripts


class CompileWeightTests(unittest.TestCase):
    """
    A script whose checks would take long to compile is refused, with the
    limit in the message; ordinary scripts as long are accepted.
    """

    def test_long_chained_comparison_refused(self) -> None:
        """
        One chained comparison of 3900 operands (the stall of issue 9), of
        numbers or of names, is refused as too heavy.
        """
        heavy(self, chain(3900))
        heavy(self, chain(3900, lambda i: "a"))

    def test_short_chains_repeated_refused(self) -> None:
        """
        Many short chains weigh what one long one does: the weight is per
        comparison, not per statement.
        """
        heavy(self, repeated("x=a<b<c", 960))

    def test_products_refused(self) -> None:
        """
        Products (x=a*b*c*d: each `*` guarded inline) filling the node limit
        are refused as too heavy.
        """
        heavy(self, repeated("x=a*b*c*d", 680))

    def test_guarded_calls_refused(self) -> None:
        """
        str(x), int(x) and d.get(k) are guarded inline by the name called:
        they weigh their guard.
        """
        heavy(self, repeated("x=str(a)", 1400))
        heavy(self, repeated("x=d.get(k)", 1100))

    def test_augmented_right_side_counts_twice(self) -> None:
        """
        The right side of `x += ...` is copied into both branches of its
        guard: it weighs twice.
        """
        statement = "x+=f'{a}{b}{c}{d}{e}{f}'"
        once = compile_weight(ast.parse("x=f'{a}{b}{c}{d}{e}{f}'"))
        self.assertGreater(compile_weight(ast.parse(statement)), 2 * once - 20)

    def test_error_names_the_line_reached(self) -> None:
        """
        The problem is reported on the line where the weight went past the
        limit (an operator has no line of its own: its expression's).
        """
        (problem,) = check("x = 1\n" * 5 + chain(3900))
        self.assertEqual(problem.line, 7)
        source = "x = 1\n" * 5 + repeated("x=a*b*c*d", 680)
        (problem,) = check(source)
        statements = policy.MAX_COMPILE_WEIGHT // compile_weight(ast.parse("x=a*b*c*d"))
        self.assertEqual(problem.line, 6 + statements // 20)

    def test_ordinary_scripts_of_a_thousand_lines_accepted(self) -> None:
        """
        Every content script repeated to a thousand lines, and the whole
        compatibility corpus, are accepted.
        """
        for name, source in ordinary().items():
            self.assertLessEqual(len(source), MAX_CHARS, name)
            self.assertEqual(reasons(source), [], name)

    def test_weights_bound_the_rewritten_tree(self) -> None:
        """
        No ordinary script rewrites to more nodes than it weighs (plus the
        few the rewriter wraps every module in): the weights are not
        optimistic about what the rewriter makes.
        """
        for name, source in ordinary().items():
            tree = ast.parse(source)
            weight = compile_weight(tree)
            made = sum(1 for _ in ast.walk(rewrite_module.rewrite(tree)))
            self.assertLessEqual(made, weight + 100, name)

    def test_guarded_calls_listed(self) -> None:
        """
        Every call the rewriter guards by its name (builtins, hashing
        methods) is one the checker weighs.
        """
        guarded = rewrite_module.GUARDED_BUILTINS | set(rewrite_module.HASHING_CALLS)
        self.assertLessEqual(guarded, policy.GUARDED_CALLS)


class SavingHeavyScriptTests(unittest.TestCase):
    """
    Saving through the editor refuses the heavy script before compiling it.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_saving_a_long_chain_is_refused(self) -> None:
        """
        The chained comparison of issue 9 saved with @script is kept with
        its problem named; an ordinary edit of it then saves.
        """
        said = " ".join(make(self.s.alice, "bell", chain(3900, lambda i: "a")).split())
        self.assertIn("1 problem(s)", said)
        self.assertIn(TOO_HEAVY, said)
        said = " ".join(script(self.s.alice, "bell", "x = 1 < 2 < 3\n").split())
        self.assertIn("Saved the script on bell (1 line)", said)
