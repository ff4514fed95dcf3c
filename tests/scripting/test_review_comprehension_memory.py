"""
Red-team review (2026-12-07) of the memory a list, set or dict comprehension reserves up
front and gives back when it ends (L{scripting.hooks.cmark}, L{scripting.hooks.ckept}): a
script keeps no more than its memory budget however it arranges them (kept in a list,
nested, raising half way, abandoned in a generator expression, interleaved with a
generator paused inside another comprehension, a list grown while it is walked), and a
comprehension that keeps nothing may walk as often as its ticks allow. Held; kept as
coverage.
"""

from __future__ import annotations

from twisted.trial import unittest

from scripting import Budget, run

#: 1 MB: 300 kept results of 2000 slots (16 KB each) are 4.8 MB.
BUDGET = Budget(ticks=3_000_000, seconds=60.0, memory=1_000_000)

#: A generator paused between a comprehension's mark and its walk, resumed from another.
PAUSED = """
box = [range(0)]
keeps = []
def g():
    while True:
        r = [v for v in (yield 0) or box[0]]
        keeps.append(r)
it = g()
next(it)
"""

KEEPING = {
    "list": "keep = []\nfor i in range(300):\n    keep.append([0 for v in range(2000)])\n",
    "set": "keep = []\nfor i in range(300):\n    keep.append({v for v in range(2000)})\n",
    "dict": "keep = []\nfor i in range(300):\n    keep.append({v: 0 for v in range(2000)})\n",
    "nested": "keep = [[0 for v in range(2000)] for i in range(300)]\n",
    "raising half way": "keep = []\ndef f(i):\n    if i == 1999:\n        raise ValueError\n"
                        "    return i\nfor i in range(300):\n    try:\n"
                        "        keep.append([f(v) for v in range(2000)])\n"
                        "    except ValueError:\n        pass\n"
                        "    keep.append([0 for v in range(2000)])\n",
    "generator expression abandoned": "keep = []\nfor i in range(300):\n"
                                      "    g = ([0 for v in range(2000)] for w in range(3))\n"
                                      "    keep.append(next(g))\n",
    "inner kept, outer keeps nothing": PAUSED + "box[0] = range(2000)\nfor k in range(300):\n"
                                       "    x = [0 for w in range(1) if next(it) and False]\n",
    "outer kept, inner keeps little": PAUSED + "box[0] = range(1)\nouter = []\n"
                                      "for k in range(300):\n"
                                      "    outer.append([next(it) for w in range(2000)])\n",
    "grown while walked": "keep = []\nfor i in range(300):\n    L = [0]\n"
                          "    keep.append([L.append(0) for v in L if len(L) < 2000])\n",
}


class ComprehensionMemoryTests(unittest.TestCase):
    def test_kept_results_past_the_budget(self) -> None:
        completed = []
        for name, body in KEEPING.items():
            result = run(body, budget=BUDGET)
            if result.ok or "memory" not in str(result.aborted):
                completed.append(f"{name}: {result.ok} {result.aborted} {result.error}")
        self.assertEqual(completed, [])

    def test_keeping_nothing_is_free(self) -> None:
        for body in ["for i in range(300):\n    x = [0 for v in range(2000) if False]\n",
                     "for i in range(300):\n    x = {0 for v in range(2000)}\n",
                     "def f():\n    try:\n        return [1 / 0 for v in range(2000)]\n"
                     "    except ZeroDivisionError:\n        return 0\n"
                     "for i in range(300):\n    x = [f() for w in range(1) if False]\n"]:
            result = run(body, budget=BUDGET)
            self.assertTrue(result.ok, result.error)
