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
The validator weighs each node by what the rewriter makes of it
(C{policy.COMPILE_WEIGHTS}): the node limit alone let a chained comparison,
or products, rewrite to 270 000 nodes (over a second).
"""

from __future__ import annotations

import ast

from twisted.trial import unittest

from scripting import check, policy
from scripting.rewrite import rewrite
from scripting.validate import compile_weight

#: The most nodes a rewritten script may have: about what CPython compiles, and
#: the rewriter walks, in a quarter to half a second on a slow shared machine.
REWRITTEN_MOST = 66_000

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
    "chained comparisons": "x=a<b<c",
    "long chained comparisons": "x=a==b==c==d==e==f==g==h",
    "chained comparisons of numbers": "x=0<1<2<3<4<5",
    "chained comparisons in comprehensions": "x=[a<b<c for a in d]",
    "chained comparisons of walruses": "x=(y:=a)<(z:=b)<c",
    "subscripts": "x=a[b][c][d]",
    "membership": "x=a in b",
    "guarded builtins": "x=str(a)",
    "hashing methods": "x=d.get(k)",
    "sums added to": "x+=a+b",
    "f-strings added to": "x+=f'{a}{b}{c}{d}{e}{f}{g}'",
    "subscripts added to": "x+=a[b]+a[b]+a[b]+a[b]",
    "set comprehensions": "x={a for a in b}",
    "dict comprehensions": "x={a:a for a in b}",
    "short concatenations": "x='a'+a",
}


def _nodes(tree: ast.AST) -> int:
    return sum(1 for _ in ast.walk(tree))


def _largest(statement: str) -> str:
    """The script of as many copies of C{statement} as the validator accepts (by its
    nodes and by its weight)."""
    each = _nodes(ast.parse(statement)) - 1
    weighs = compile_weight(ast.parse(statement)) - compile_weight(ast.parse(""))
    count = min((policy.MAX_AST_NODES - 1) // each,
                (policy.MAX_COMPILE_WEIGHT - 1) // weighs)
    return "\n".join([statement] * count)


class CompileCostTests(unittest.TestCase):
    """
    The biggest script anyone may save compiles in bounded work.
    """

    def test_largest_scripts_rewrite_to_a_bounded_tree(self) -> None:
        """
        For each construct that grows most when rewritten, the largest
        script accepted (one statement more is refused) rewrites to at most
        REWRITTEN_MOST nodes.
        """
        problems = []
        for name, statement in GROWING.items():
            source = _largest(statement)
            self.assertEqual(check(source), [], name)
            self.assertNotEqual(check(source + "\n" + statement), [], name)
            size = _nodes(rewrite(ast.parse(source)))
            if size > REWRITTEN_MOST:
                problems.append(f"{name}: {size} nodes")
        self.assertEqual(problems, [], "\n".join(problems))

    def test_too_big_a_script_is_refused_before_rewriting(self) -> None:
        """
        One statement more than the node limit allows is refused, with a
        reason (names weigh what they count: the node limit comes first).
        """
        source = _largest("x=a") + "\nx=a" * 10
        problems = check(source)
        self.assertEqual([v.reason for v in problems], ["the script is too large"])
