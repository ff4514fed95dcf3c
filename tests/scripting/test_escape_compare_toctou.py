"""
Script code run in the middle of a charged comparison cannot grow what C goes on to
compare (red team, 2026-12-07: these tests fail until it is closed).

A sort, C{==} or C{<} on containers is charged before C runs, by the trees of what is
compared (L{scripting.charge.element_trees}, L{scripting.charge.charged_key}). But C
calls script code in the middle of its work: a sort key, the C{__bool__} of C{reverse},
a script class's C{__lt__}, C{__gt__} or C{__eq__} met among the elements. That code can
put two "doubled" tuples (C{t = (t, t)} forty times: forty steps to build, 2**40
comparisons to compare) into lists that were charged empty, and C then compares them
with no tick point: at depth 40 the server's reactor stalls for hours on a task charged
under 200 ticks. Here the depth is 20 (about a million comparisons, a few hundredths of
a second), and the same comparison made directly runs out of its 20,000 ticks; made
through the window it completes, charged about 150.
"""

from __future__ import annotations

from twisted.trial import unittest

from scripting import Budget, run

#: Two doubled tuples: comparing them walks 2**DEPTH pairs.
DEPTH = 20
DOUBLED = f"a = ()\nb = ()\nfor i in range({DEPTH}):\n    a = (a, a)\n    b = (b, b)\n"
#: A script class whose comparisons fill the lists p and q with the doubled tuples.
FILLS = (
    "p = []\nq = []\n"
    "def fill():\n    p.append(a)\n    q.append(b)\n"
    "class K:\n"
    "    def __gt__(self, o):\n        fill()\n        return False\n"
    "    def __lt__(self, o):\n        fill()\n        return False\n"
    "    def __eq__(self, o):\n        fill()\n        return True\n"
    "    def __bool__(self):\n        fill()\n        return False\n"
)
#: A sort key whose third call fills the keys it returned (empty) for the first two.
KEY = (
    "keys = []\n"
    "def k(x):\n    if len(keys) == 2:\n        keys[0].append(a)\n        keys[1].append(b)\n"
    "    r = []\n    keys.append(r)\n    return r\n"
)
BUDGET = Budget(ticks=20_000, seconds=30.0)


class CompareWindowTests(unittest.TestCase):
    def assertCharged(self, body: str) -> None:
        result = run(DOUBLED + FILLS + KEY + body, budget=BUDGET)
        self.assertFalse(result.ok, f"completed, charged {result.ticks} ticks: {body!r}")

    def test_direct_comparison_is_charged(self) -> None:
        """
        The comparison made directly runs out of ticks (what the others must match).
        """
        self.assertCharged("xs = [a, b]\nxs.sort()\n")
        self.assertCharged("x = [a] == [b]\n")

    def test_reverse_flag_of_sort(self) -> None:
        """
        C{list.sort(reverse=x)}: C{x.__bool__} runs after the charge, before C sorts.
        """
        self.assertCharged("xs = [p, q]\nxs.sort(reverse=K())\n")

    def test_reverse_flag_of_sorted(self) -> None:
        """
        C{sorted(xs, reverse=x)}: the same, on the elements' contents.
        """
        self.assertCharged("ys = sorted([p, q], reverse=K())\n")

    def test_sort_key_changes_earlier_keys(self) -> None:
        """
        Keys are charged as each is returned, but C calls the key for every element
        before it compares any: a later call changes the keys already charged.
        """
        self.assertCharged("ys = sorted(range(3), key=k)\n")
        self.assertCharged("xs = [0, 1, 2]\nxs.sort(key=k)\n")

    def test_element_comparison_fills_later_elements(self) -> None:
        """
        A script object among the elements: its C{__gt__} (called when a list is
        compared with it) fills the other elements before C compares them.
        """
        self.assertCharged("xs = [K(), p, q]\nxs.sort()\n")
        self.assertCharged("ys = sorted([K(), p, q])\n")

    def test_container_comparison_fills_later_items(self) -> None:
        """
        C{==} and C{<} on lists, tuples and dicts: the first items' C{__eq__} fills the
        second items.
        """
        self.assertCharged("x = [K(), p] == [K(), q]\n")
        self.assertCharged("x = [K(), p] < [K(), q]\n")
        self.assertCharged("x = (K(), p) == (K(), q)\n")
        self.assertCharged("x = {1: K(), 2: p} == {1: K(), 2: q}\n")

    def test_count_fills_later_elements(self) -> None:
        """
        C{xs.count(x)} is charged for C{x} as it was: the first element's C{__eq__}
        fills it and the next element.
        """
        self.assertCharged("x = [K(), p].count(q)\n")
