"""
The inline guards' temporaries cannot be swapped between their test and their use.

A guard binds its operand to a temporary, tests the temporary's exact type, and then
reads the temporary again in its native branch. Binding the temporary drops what it held
before; when that was the last reference to a paused script generator, CPython closes the
generator right then and runs its C{finally}, which can resume a generator expression of
the same scope, sharing the same comprehension temporary C{$c}, and so bind another object
to it before the test. The red team's escape (2026-12-07) swapped a script object that
passed the attribute guard for a real generator, read its C{gi_frame} natively, walked
C{f_back} to a trusted frame and reached C{__import__} through its C{f_builtins}.
"""

from __future__ import annotations

import ast

from twisted.trial import unittest

from scripting import Budget, check, run
from scripting.rewrite import rewrite
from tests.scripting.test_finalizers import lift_generator_rule

#: A script object that the attribute guard lets through (its class is the script's own,
#: with plain attributes named like a generator's and a frame's), then the swap: a
#: generator paused in C{try/finally}, dropped by the guard's own binding, resumes a
#: generator expression of the same scope, which binds a real generator to C{$c}.
SWAP = r"""
class P:
    gi_frame = 1
    f_back = 2
    f_builtins = 3
    zz = 4
p = P()
for i in range(3):
    p.gi_frame
    p.f_back
    p.f_builtins

def started(g2):
    def fin():
        try:
            yield 1
        finally:
            try:
                next(g2)
            except Exception:
                pass
    g = fin()
    next(g)
    return g

def read(obj, name):
    g2 = (z.zz for z in [obj])
    try:
        [started(g2).zz for _ in [0]]
    except Exception:
        pass
    if name == "gi_frame":
        return [q.gi_frame for q in [p]][0]
    if name == "f_back":
        return [q.f_back for q in [p]][0]
    return [q.f_builtins for q in [p]][0]

box = []
reached = []
def me():
    frame = read(box[0], "gi_frame")
    reached.append(frame)
    while frame is not None and len(reached) < 50:
        b = read(frame, "f_builtins")
        reached.append(b)
        if isinstance(b, dict) and "__import__" in b:
            break
        frame = read(frame, "f_back")
        reached.append(frame)
    yield 1
box.append(me())
next(box[0])
print([type(x).__name__ for x in reached])
"""


class GuardSwapTests(unittest.TestCase):
    def test_swapped_temporary_reaches_nothing(self) -> None:
        """
        The swap gets no frame, no builtins: the guard finds its temporary changed and
        goes to the hook, which refuses a generator's C{gi_frame}.
        """
        # The validator refuses the drop itself (a yield in try/finally,
        # tests/scripting/test_finalizers.py); lift that one rule to test the guard alone.
        lift_generator_rule(self)
        result = run(SWAP, budget=Budget(ticks=200_000, seconds=5.0))
        shown = f"{result.ok} {result.error} {result.output}"
        for leak in ("frame", "dict", "escaped"):
            self.assertNotIn(f"'{leak}'", shown)
        self.assertFalse(result.ok, shown)
        self.assertIn("gi_frame", result.error or "", shown)

    def test_swap_is_refused(self) -> None:
        """
        The swap does not compile: the generator dropped by the guard may not pause inside
        a C{try} with C{finally}.
        """
        reasons = [str(v) for v in check(SWAP)]
        self.assertTrue(any("'yield' inside a 'try' that has 'finally'" in r for r in reasons),
                        reasons)

    def test_every_guard_checks_its_temporary_first(self) -> None:
        """
        Every inline guard of a script using each kind of guard begins its test with
        C{($t := v) is $t}, and nothing else in the test binds a temporary.
        """
        source = "\n".join([
            "def f(s, n, d, xs, a, b):",
            "    x = s.upper()",                      # attribute
            "    y = s[a:b]",                         # slice
            "    z = d[n]",                           # key
            "    w = n + 1",                          # number
            "    v = s + '!'",                        # short string
            "    u = n < b",                          # comparison
            "    t = n in d",                         # membership
            "    r = f'{n}'",                         # plain format
            "    q = str(n)",                         # str() of a number
            "    return [k.lower() for k in xs if k in d], {k: 1 for k in xs}",
        ])
        tree = rewrite(ast.parse(source))
        guards = [node for node in ast.walk(tree) if isinstance(node, ast.IfExp)
                  and any(isinstance(n, ast.NamedExpr) for n in ast.walk(node.test))]
        self.assertGreaterEqual(len(guards), 10)
        for guard in guards:
            test = guard.test
            self.assertIsInstance(test, ast.BoolOp, ast.unparse(guard))
            first = test.values[0]
            self.assertIsInstance(first, ast.Compare, ast.unparse(guard))
            self.assertIsInstance(first.left, ast.NamedExpr, ast.unparse(guard))
            self.assertIsInstance(first.ops[0], ast.Is, ast.unparse(guard))
            self.assertEqual(first.comparators[0].id, first.left.target.id, ast.unparse(guard))
            rest = [n for value in test.values[1:] for n in ast.walk(value)
                    if isinstance(n, ast.NamedExpr)]
            self.assertEqual(rest, [], ast.unparse(guard))
