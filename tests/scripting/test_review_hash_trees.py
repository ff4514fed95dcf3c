"""
Red-team review (2026-12-07): a tuple does not cache its hash, so hashing a doubled tuple
(C{t = (t, t)}, a step a level) walks 2**depth nodes, and a frozenset found with an equal
hash is compared in depth. Every place a script can make C hash or look up such a key is
charged by the tree (aliases counted), not by the distinct nodes. All held; kept as
coverage. (A dict's or set's hashing method handed to C as a value does not charge a
frozenset: L{tests.scripting.test_review_frozenset_bound}.)
"""

from __future__ import annotations

from twisted.trial import unittest

from scripting import Budget, run

DEPTH = 18
BUDGET = Budget(ticks=20_000, seconds=60.0)
SETUP = (f"T = ()\nU = ()\nfor i in range({DEPTH}):\n    T = (T, T)\n    U = (U, U)\n"
         "d = {}\ns = set()\nL = [T] * 8\n")

#: Each hashes T (or compares it with U) at least once.
HASHING = {
    "hash": "x = hash(T)\n",
    "map hash": "x = list(map(hash, L))\n",
    "dict literal": "x = {T: 1}\n",
    "set literal": "x = {T}\n",
    "in literal set": "x = T in {1, 2}\n",
    "in dict": "x = T in d\n",
    "getitem": "try:\n    x = d[T]\nexcept KeyError:\n    pass\n",
    "setitem": "d[T] = 1\n",
    "del": "try:\n    del d[T]\nexcept KeyError:\n    pass\n",
    "get": "x = d.get(T)\n",
    "map d.get": "x = list(map(d.get, L))\n",
    "sorted key d.get": "x = sorted(L, key=d.get)\n",
    "min key d.get": "x = min(L, key=d.get)\n",
    "filter d.get": "x = list(filter(d.get, L))\n",
    "map s.add": "x = list(map(s.add, L))\n",
    "map d.setdefault": "x = list(map(d.setdefault, L))\n",
    "map d.pop": "x = list(map(d.pop, L, L))\n",
    "map dict.get": "x = list(map(dict.get, [d] * 8, L))\n",
    "map set.add": "x = list(map(set.add, [s] * 8, L))\n",
    "s.add": "s.add(T)\n",
    "s.discard": "s.discard(T)\n",
    "setdefault": "d.setdefault(T, 0)\n",
    "fromkeys": "x = dict.fromkeys(L)\n",
    "frozenset": "x = frozenset(L)\n",
    "set()": "x = set(L)\n",
    "dict zip": "x = dict(zip(L, L))\n",
    "update": "d.update([(T, 1)])\n",
    "set comp": "x = {t for t in L}\n",
    "dict comp": "x = {t: 1 for t in L}\n",
    "union": "x = s.union(L)\n",
    "ior": "s |= {T}\n",
    "star set": "x = {*L}\n",
    "isinstance": "x = isinstance(1, (int, T))\n",
    "augitem": "d[T] = 0\nd[T] += 1\n",
}


class HashedTreeTests(unittest.TestCase):
    def test_every_hashing_path(self) -> None:
        completed = []
        for name, body in HASHING.items():
            result = run(SETUP + body, budget=BUDGET)
            if result.ok:
                completed.append(f"{name}: {result.ticks} ticks")
        self.assertEqual(completed, [])

    def test_frozenset_of_doubled_tuples(self) -> None:
        """
        A frozenset of a doubled tuple pays the tree when it is made, and again at every
        lookup written in the script.
        """
        for body in ["x = frozenset([T])\n", "F = frozenset([(1,)])\nx = {F: 1, U: 2}\n"]:
            result = run(SETUP + body, budget=BUDGET)
            self.assertFalse(result.ok, body)
        made = ("T = ()\nU = ()\nfor i in range(12):\n    T = (T, T)\n    U = (U, U)\n"
                "F = frozenset([T])\nG = frozenset([U])\nd = {F: 1}\n")
        for body in ["for i in range(200):\n    x = d.get(G)\n",
                     "for i in range(200):\n    x = G in d\n",
                     "for i in range(200):\n    x = d[G]\n",
                     "for i in range(200):\n    x = F == G\n"]:
            result = run(made + body, budget=Budget(ticks=100_000, seconds=60.0))
            self.assertFalse(result.ok, body)
            self.assertIn("ran out of ticks", str(result.error))
