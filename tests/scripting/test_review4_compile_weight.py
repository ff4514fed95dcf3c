"""
String methods the rewriter guards by length weigh what it makes of them
(review 4).

The rewriter reads C{s.upper}, C{s.strip()} or C{s.zfill(6)} natively on a
short str: besides the attribute's table test, its guard tests the exact type
and the length (C{STR_FAST_LIMITS}, C{STR_LITERAL_ARG_LIMITS},
C{STR_WIDTH_LIMITS}), about twenty nodes more. The checker weighed them as any
attribute read, so the largest script of them it accepted rewrote to 76 000 to
89 000 nodes, past the bound the weights keep (C{REWRITTEN_MOST}, from the
red-team compile-cost test): half as long again to compile as the heaviest
script of plain attribute reads.
"""

from __future__ import annotations

import ast

from twisted.trial import unittest

from scripting import check
from scripting.rewrite import rewrite
from tests.redteam_sandbox.test_compile_cost import REWRITTEN_MOST, _largest, _nodes

GUARDED_BY_LENGTH = {
    "a str method read": "x=s.upper",
    "a str method called": "x=s.upper()",
    "a str method called with literals": "x=s.strip()",
    "a padding method": "x=s.zfill(6)",
}


class StringGuardWeightTests(unittest.TestCase):
    def test_largest_scripts_rewrite_to_a_bounded_tree(self) -> None:
        """
        The largest script of each that the checker accepts rewrites to at
        most REWRITTEN_MOST nodes.
        """
        problems = []
        for name, statement in GUARDED_BY_LENGTH.items():
            source = _largest(statement)
            self.assertEqual(check(source), [], name)
            size = _nodes(rewrite(ast.parse(source)))
            if size > REWRITTEN_MOST:
                problems.append(f"{name}: {size} nodes")
        self.assertEqual(problems, [], "\n".join(problems))
