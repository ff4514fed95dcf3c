"""Red-team probes of the folded number guards, the names over range and keyed sorts
(issue 9 against the 2026-12-08 speed work, branch perf9b): none found a hole; these
keep the attempts as regressions. Each runs with the fold on and off and asserts the
same answer, ticks and memory (L{tests.scripting.test_number_fold.FoldAgreement})."""

from __future__ import annotations

from scripting import Budget, run
from tests.scripting.test_number_fold import FoldAgreement, rewritten

OBJ = ("class O:\n"
       "    def __rmul__(self, o):\n        return '%0999d'\n"
       "    def __radd__(self, o):\n        return '%0999d'\n"
       "o = O()\n"
       "def safe(f):\n    try:\n        return f()\n"
       "    except (TypeError, OverflowError, ValueError) as e:\n"
       "        return type(e).__name__\n")


class FoldAttackTests(FoldAgreement):

    def test_reflected_results_do_not_reach_a_folded_operation(self) -> None:
        """A float times, or an int plus, a script object whose reflected method gives a
        format string: the outer C{%} is the hook's, never a native format."""
        self.same_either_way(OBJ + "a = 2.5\nb = 3\nresult = [\n"
                             "    safe(lambda: a * o % 7), safe(lambda: (b + o) % 7),\n"
                             "    safe(lambda: (a * o) % 7 ^ 1), safe(lambda: b * o % 7)]\n")
        self.same_either_way(OBJ + "result = [safe(lambda: [i * o % 7 for i in range(2)]),\n"
                             "    safe(lambda: [i + o % 7 for i in range(2)]),\n"
                             "    safe(lambda: [(i * 2.5 * o) % 7 for i in range(2)])]\n")

    def test_huge_ints_from_the_real_range(self) -> None:
        """The real range yields ints past the size bound: the product takes the hook,
        the sums stay native, the keys hash as they are."""
        self.same_either_way(
            "n = (1 << 2100) + 5\nresult = [len(str(x + 1)) for x in range(n, n + 2)] + "
            "[len({x: 1 for x in range(n, n + 2)})] + [x * 2 % 7 for x in range(n, n + 2)]\n")

    def test_rebinding_the_name_keeps_the_guards(self) -> None:
        """Nested comprehensions over text, a later generator, lambda parameters and
        defaults, a class body's name, a walrus elsewhere: every read of a name that may
        not be an int keeps its guard."""
        for source in (
                "result = [[x % 3 for x in '%d'] for x in range(2)]\n",
                "result = [[x % 3 for y in range(1)] for x in ['%d']]\n",
                "result = [(lambda x='%d': x % 3)() for x in range(2)]\n",
                "result = [(lambda x: x % 3)('%d') for x in range(2)]\n",
                "result = [x % 3 for x in range(2) for x in ['%d']]\n",
                "def f(range):\n    return [x % 3 for x in range(1)]\n"
                "result = f(lambda n: ['%d'])\n",
                "import m as range\nresult = [x % 3 for x in range(1)]\n"):
            self.assertIn("$mod(", rewritten(source), source)
        for source in (
                "result = [x % 3 for x in range(2) if (y := '%d')] + [y % 3]\n",
                "result = [[x % 3 for x in range(2)] for y in ['%d']]\n"):
            text = rewritten(source)
            self.assertTrue(run(source + "result\n", budget=Budget(ticks=10**5)).ok, text)

    def test_keyed_sorts_with_ties_and_reverse(self) -> None:
        """Sorted, list.sort, min and max by computed keys: stable, reversed stably,
        the first of equal keys, whatever the key function does to the values' list."""
        self.same_either_way(
            "v = [(i % 3, i) for i in range(20)]\n"
            "w = list(v)\ndef k(p):\n    w.append(p)\n    return -p[0]\n"
            "a = sorted(v, key=k)\nb = sorted(v, key=k, reverse=True)\n"
            "c = list(v)\nc.sort(key=lambda p: p[0] // 2, reverse=True)\n"
            "result = (a, b, c, min(v, key=k), max(v, key=k), len(w))\n")
