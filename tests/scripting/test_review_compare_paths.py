"""
Red-team review (2026-12-07) of the comparisons C makes for a script
(L{scripting.charge.compared}, L{scripting.charge.search}, L{scripting.charge.sort},
L{scripting.charge.pick}, L{scripting.hooks.cmp}, L{scripting.hooks.cv},
L{scripting.hooks.contains}): two distinct doubled tuples (C{t = (t, t)}) compared by
every route a script has run out of ticks, and so do the same with a script object in
them, whose methods could change them while C compares. Held; kept as coverage. (A chain
whose later operand changes an earlier one does not hold:
L{tests.scripting.test_review_chain_toctou}.)
"""

from __future__ import annotations

from twisted.trial import unittest

from scripting import Budget, run

DEPTH = 20
BUDGET = Budget(ticks=20_000, seconds=60.0)
SETUP = (f"T = ()\nU = ()\nfor i in range({DEPTH}):\n    T = (T, T)\n    U = (U, U)\n"
         "class K:\n    def __eq__(self, o):\n        return True\n"
         "    def __lt__(self, o):\n        return False\n"
         "k = K()\nA = [k, T]\nB = [k, U]\n")

ROUTES = {
    "==": "x = T == U\n", "!=": "x = T != U\n", "<": "x = T < U\n",
    "list ==": "x = [T] == [U]\n", "dict ==": "x = {1: T} == {1: U}\n",
    "set !=": "x = {T} != {U}\n", "in tuple": "x = U in T\n", "in list": "x = U in [T]\n",
    "count": "x = T.count(U)\n", "index": "x = [T].index(U)\n",
    "remove": "x = [T]\nx.remove(U)\n", "max": "x = max(T, U)\n", "min list": "x = min([T, U])\n",
    "sorted": "x = sorted([T, U])\n", "sort": "x = [T, U]\nx.sort()\n",
    "sorted key": "x = sorted([1, 2], key=lambda v: T if v == 1 else U)\n",
    "if": "if T == U:\n    pass\n", "while": "while T != U:\n    break\n",
    "assert": "assert T == U\n", "ternary": "x = 1 if T == U else 2\n",
    "lambda": "f = lambda: T == U\nx = f()\n",
    "genexp": "x = list(a == b for a, b in [(T, U)])\n",
    "comp filter": "x = [1 for a in [T] if a == U]\n", "walrus": "x = (y := T) == U\n",
    "is then ==": "x = T is T == U\n", "chain": "x = T == U == T\n",
    "chain literal": "x = T == U != 1\n", "str": "x = str(T)\n", "repr": "x = repr(T)\n",
    "%": "x = '%s' % (T,)\n", "f-string": "x = f'{T}'\n",
    # with a script object in front: walked a step at a time
    "script ==": "x = A == B\n", "script <": "x = A < B\n", "script in": "x = B in [A]\n",
    "script max": "x = max(A, B)\n", "script sorted": "x = sorted([A, B])\n",
    "script dict": "x = {1: A} == {1: B}\n", "script count": "x = [A].count(B)\n",
}


class CompareRouteTests(unittest.TestCase):
    def test_every_route(self) -> None:
        completed = []
        for name, body in ROUTES.items():
            result = run(SETUP + body, budget=BUDGET)
            if result.ok:
                completed.append(f"{name}: {result.ticks} ticks")
        self.assertEqual(completed, [])

    def test_script_objects_refused_in_a_chain(self) -> None:
        for body in ["x = [k, 1] == [k, 2] == 1\n", "x = k == k == k\n", "x = 0 < k < 1\n"]:
            result = run(SETUP + body, budget=BUDGET)
            self.assertFalse(result.ok, body)
            self.assertIn("a chained comparison may not compare your objects", str(result.error))

    def test_is_only_chains_compare_nothing(self) -> None:
        result = run(SETUP + "x = T is T is not U\n", budget=BUDGET)
        self.assertTrue(result.ok, result.error)
        self.assertLess(result.ticks, 1000)
