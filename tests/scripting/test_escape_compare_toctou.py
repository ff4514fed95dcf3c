"""
Script code run in the middle of a charged comparison cannot grow what C goes on to
compare (red team, 2026-12-07; closed the same day: C compares natively only what holds
no script object, with every key computed and C{reverse} read before it starts, and
walks anything else a tick a step, L{scripting.charge.compared}).

A sort, C{==} or C{<} on containers is charged before C runs, by the trees of what is
compared (L{scripting.charge.element_trees}). But C
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

    def test_min_and_max_fill_later_elements(self) -> None:
        """
        C{min} and C{max} without a key: the second element's C{__lt__} fills the
        first and the third before C compares them.
        """
        self.assertCharged("x = min([p, K(), q])\n")
        self.assertCharged("x = max([p, K(), q])\n")

    def test_searches_fill_later_elements(self) -> None:
        """
        C{index}, C{remove}, C{in} and a tuple's C{count}: the first element's
        C{__eq__} fills the item and the next element.
        """
        unequal = "class J:\n    def __eq__(self, o):\n        fill()\n        return False\n"
        self.assertCharged(unequal + "x = [J(), p].index(q)\n")
        self.assertCharged(unequal + "[J(), p].remove(q)\n")
        self.assertCharged(unequal + "x = q in [J(), p]\n")
        self.assertCharged(unequal + "x = (J(), p).count(q)\n")
        self.assertCharged(unequal + "x = q in {1: J(), 2: p}.values()\n")

    def test_nested_comparison_fills_later_items(self) -> None:
        """
        A script object deeper down (in a list inside the compared lists) fills
        the items compared after it.
        """
        self.assertCharged("x = [[K()], p] == [[K()], q]\n")
        self.assertCharged("xs = [[[K()], p], [[K()], q]]\nxs.sort()\n")

    def test_chained_comparison_with_objects_refused(self) -> None:
        """
        A chained comparison charges every operand before any is compared: one
        holding a script object is refused, so that its methods cannot fill the
        others first.
        """
        for body in ("x = [K(), p] == [K(), q] == [1]\n", "x = K() < p < q\n"):
            result = run(DOUBLED + FILLS + body, budget=BUDGET)
            self.assertFalse(result.ok, body)
            self.assertIn("chained comparison", result.error)
        self.assertTrue(run("a = [1]\nb = [2]\nx = a < b < [3]\nassert x\n").ok)


#: A script class ordered by a number, counting its comparisons.
ORDERED = (
    "calls = []\n"
    "class V:\n"
    "    def __init__(self, n, tag):\n        self.n = n\n        self.tag = tag\n"
    "    def __lt__(self, o):\n        calls.append(1)\n        return self.n < o.n\n"
    "    def __gt__(self, o):\n        calls.append(1)\n        return self.n > o.n\n"
    "    def __eq__(self, o):\n        calls.append(1)\n"
    "        return isinstance(o, V) and self.n == o.n\n"
)


class CompareResultTests(unittest.TestCase):
    """
    What sorts, searches and comparisons answer is what Python answers, on the
    native path and on the path a step at a time.
    """

    def value(self, body: str) -> object:
        result = run(ORDERED + body + "r\n", budget=BUDGET)
        self.assertTrue(result.ok, result.error)
        return result.value

    def test_sort_of_objects(self) -> None:
        """
        Script objects sort by their C{__lt__}, stably, either way round, with
        or without a key, and their comparisons run.
        """
        make = "xs = [V(n, i) for i, n in enumerate([3, 1, 2, 1, 3])]\n"
        self.assertEqual(
            self.value(make + "r = [v.tag for v in sorted(xs)]\n"), [1, 3, 2, 0, 4])
        self.assertEqual(
            self.value(make + "r = [v.tag for v in sorted(xs, reverse=True)]\n"),
            [0, 4, 2, 1, 3])
        self.assertEqual(
            self.value(make + "xs.sort(key=lambda v: [v])\nr = [v.tag for v in xs]\n"),
            [1, 3, 2, 0, 4])
        self.assertTrue(self.value(make + "xs.sort()\nr = len(calls)\n"))

    def test_sort_with_keys(self) -> None:
        """
        A key is called once per element; equal keys keep their order, reversed
        too.
        """
        self.assertEqual(
            self.value("r = sorted(['bb', 'a', 'cc', 'd'], key=len, reverse=True)\n"),
            ["bb", "cc", "a", "d"])
        self.assertEqual(
            self.value("seen = []\ndef k(x):\n    seen.append(x)\n    return -x\n"
                       "xs = [2, 3, 1]\nxs.sort(key=k)\nr = [xs, seen]\n"),
            [[3, 2, 1], [2, 3, 1]])

    def test_sort_reverse_is_an_int(self) -> None:
        """
        C{reverse} takes an int or a bool, as in Python; anything else is a
        C{TypeError} and leaves the list as it was.
        """
        self.assertEqual(self.value("r = sorted([1, 3, 2], reverse=1)\n"), [3, 2, 1])
        self.assertEqual(
            self.value("xs = [2, 1]\ntry:\n    xs.sort(reverse=[1])\n"
                       "except TypeError:\n    xs.append(0)\nr = xs\n"),
            [2, 1, 0])

    def test_list_changed_during_sort(self) -> None:
        """
        A key that changes the list being sorted: C{ValueError}, as in Python,
        the list left with its elements (sorted).
        """
        self.assertEqual(
            self.value("xs = [3, 1, 2]\ndef k(x):\n    xs.append(x)\n    return x\n"
                       "try:\n    xs.sort(key=k)\nexcept ValueError:\n    xs.append(9)\n"
                       "r = xs\n"),
            [1, 2, 3, 9])

    def test_min_and_max(self) -> None:
        """
        C{min} and C{max} answer the first least or greatest, of objects too.
        """
        make = "xs = [V(n, i) for i, n in enumerate([2, 1, 3, 1, 3])]\n"
        self.assertEqual(self.value(make + "r = [min(xs).tag, max(xs).tag]\n"), [1, 2])
        self.assertEqual(
            self.value(make + "r = [min(xs, key=lambda v: [v]).tag, "
                              "max([[v] for v in xs])[0].tag]\n"), [1, 2])
        self.assertEqual(self.value("r = [min([], default=5), max(2, 7, 3)]\n"), [5, 7])

    def test_comparisons(self) -> None:
        """
        C{==}, C{!=} and C{<} on lists, tuples and dicts holding objects answer
        as Python does.
        """
        self.assertEqual(
            self.value("a = V(1, 0)\nb = V(1, 1)\nc = V(2, 2)\n"
                       "r = [[a, 1] == [b, 1], [a] != [b], [a, 1] < [b, 2], [a] < [c], "
                       "(a, 1) == (b, 2), [a] == [b, 1], [a] < [b, 1], [a, 0] <= [b], "
                       "{1: a} == {1: b}, {1: a} == {2: b}, {1: a} != {1: c}]\n"),
            [True, False, True, True, False, False, True, False, True, False, True])

    def test_searches(self) -> None:
        """
        C{count}, C{index} (with its bounds), C{remove} and C{in} with objects
        answer as Python does.
        """
        self.assertEqual(
            self.value("xs = [V(1, 0), [V(2, 1)], V(1, 2), [V(2, 3)]]\n"
                       "w = [V(2, 9)]\n"
                       "r = [xs.count(w), xs.index(w), xs.index(w, 2), w in xs, "
                       "[V(5, 5)] in xs, tuple(xs).count(w)]\n"
                       "xs.remove(w)\nr.append(len(xs))\n"
                       "try:\n    xs.index(w, 0, 2)\nexcept ValueError:\n"
                       "    r.append('missing')\n"),
            [2, 1, 3, True, False, 2, 3, "missing"])
