"""
Saving a script as a stall (capability rule 41; issue 9 §1 saving).

Checking, rewriting and compiling a script runs on the reactor, in one piece,
before any budget applies: it must cost no more than a task may (about half
a second), or every save of a big script freezes the server for everyone.
The rewriter multiplies a tree (inline guards: up to twelve nodes out for one
in, for C{a * b * c}), and CPython's compiler and the rewriter's Python walk
take time in proportion to the tree they get; so the bound is on that tree,
checked here without a clock: the largest script the validator accepts, of
the constructs that grow most, rewrites to at most L{REWRITTEN_MOST} nodes.
"""

from __future__ import annotations

import ast

from twisted.trial import unittest

from scripting import check, policy
from scripting.rewrite import rewrite

#: The most nodes a rewritten script may have: about what CPython compiles, and
#: the rewriter walks, in half a second on a slow shared machine.
REWRITTEN_MOST = 160_000

#: Statements whose rewritten form is largest for their size.
GROWING = {
    "products": "x=a*b*c*d",
    "attribute chains": "x=a.b.c.d.e.f.g.h",
    "mixed operators": "x=a.b+c*d<e",
    "comparisons with long right sides": "x=a<(b+c+d+e+f+g+h+i+j+k+l+m+n)",
    "f-strings": "x=f'{a}{b}{c}{d}{e}{f}{g}{h}'",
    "f-strings in f-strings": "x=f'{f\"{a}\"}'",
    "slices": "x=a[b:c][d:e][f:g]",
    "attributes of slices": "x=a[b:c].d.e",
}


def _nodes(tree: ast.AST) -> int:
    return sum(1 for _ in ast.walk(tree))


def _largest(statement: str) -> str:
    """The script of as many copies of C{statement} as the validator accepts."""
    each = _nodes(ast.parse(statement)) - 1
    count = (policy.MAX_AST_NODES - 1) // each
    return "\n".join([statement] * count)


class CompileCostTests(unittest.TestCase):
    """
    The biggest script anyone may save compiles in bounded work.
    """

    def test_largest_scripts_rewrite_to_a_bounded_tree(self) -> None:
        """
        For each construct that grows most when rewritten, the largest
        script accepted rewrites to at most REWRITTEN_MOST nodes.
        """
        problems = []
        for name, statement in GROWING.items():
            source = _largest(statement)
            self.assertEqual(check(source), [], name)
            size = _nodes(rewrite(ast.parse(source)))
            if size > REWRITTEN_MOST:
                problems.append(f"{name}: {size} nodes")
        self.assertEqual(problems, [], "\n".join(problems))

    def test_too_big_a_script_is_refused_before_rewriting(self) -> None:
        """
        One statement more than the limit allows is refused, with a reason.
        """
        source = _largest("x=a*b*c*d") + "\nx=a*b*c*d" * 10
        problems = check(source)
        self.assertEqual([v.reason for v in problems], ["the script is too large"])
