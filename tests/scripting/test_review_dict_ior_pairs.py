"""
A dict's C{|=} and C{update} with a list of pairs, or with pairs that are not tuples or
lists (a script object that iterates two items), insert keys C never had charged: the
in-place operator charged the hashing of the I{pairs} (distinct tuples, no collisions), not
of their keys, and C{update} skipped any pair that was not a tuple or list of two.

Keys chosen to share one hash (multiples of 2**61 - 1) make inserting n of them cost n*n/2
comparisons in one C call: about 2 s at n = 20,000 for some 100,000 ticks, quadratic
beyond. The same keys given to
C{dict.fromkeys} or as a dict run out of ticks.
"""

from __future__ import annotations

from twisted.trial import unittest

from scripting import Budget, run

N = 20_000
BUDGET = Budget(ticks=1_000_000, seconds=60.0)
KEYS = f"M = 2**61 - 1\nks = [M * i for i in range({N})]\n"
PAIRS = (
    "class P:\n"
    "    def __init__(self, k):\n"
    "        self.k = k\n"
    "    def __iter__(self):\n"
    "        return iter((self.k, 0))\n"
)


class DictPairsTests(unittest.TestCase):
    def assertStopped(self, body: str) -> None:
        result = run(KEYS + body, budget=BUDGET)
        self.assertIn("ran out of ticks", str(result.error),
                      f"{N} colliding keys for {result.ticks} ticks: {body!r}")

    def test_fromkeys_is_charged(self) -> None:
        """
        The control.
        """
        self.assertStopped("d = dict.fromkeys(ks)\n")

    def test_setup_fits(self) -> None:
        """
        What each attack builds fits the budget: only the insertion can stop it.
        """
        result = run(KEYS + PAIRS + "ps = [P(k) for k in ks]\n", budget=BUDGET)
        self.assertTrue(result.ok, result.error)

    def test_ior_list_of_pairs(self) -> None:
        self.assertStopped("d = {}\nd |= [(k, i) for i, k in enumerate(ks)]\n")

    def test_ior_list_of_lists(self) -> None:
        self.assertStopped("d = {}\nd |= [[k, i] for i, k in enumerate(ks)]\n")

    def test_ior_generator_of_pairs(self) -> None:
        self.assertStopped("d = {}\nd |= ((k, i) for i, k in enumerate(ks))\n")

    def test_update_script_pairs(self) -> None:
        self.assertStopped(
            PAIRS + "ps = [P(k) for k in ks]\n"
            "d = {}\n"
            "d.update(ps)\n"
        )

    def test_ior_script_pairs(self) -> None:
        self.assertStopped(
            PAIRS + "ps = [P(k) for k in ks]\n"
            "d = {}\n"
            "d |= ps\n"
        )

    def test_pairs_still_work(self) -> None:
        """
        Ordinary use is unchanged: pairs of any iterable of two, keywords, errors as C's.
        """
        result = run(
            "class P:\n"
            "    def __iter__(self):\n"
            "        return iter(('p', 3))\n"
            "d = {'a': 1}\n"
            "d |= [('b', 2), ['c', 3], 'xy', P()]\n"
            "d.update([('e', 5)], f=6)\n"
            "d |= {'g': 7}\n"
            "print(sorted(d.items()))\n"
            "try:\n"
            "    d |= [(1, 2, 3)]\n"
            "    print('no error')\n"
            "except ValueError:\n"
            "    print('ValueError')\n"
            "try:\n"
            "    d.update([5])\n"
            "    print('no error')\n"
            "except TypeError:\n"
            "    print('TypeError')\n",
            budget=BUDGET,
        )
        self.assertTrue(result.ok, result.error)
        self.assertEqual(
            result.output.splitlines(),
            [
                "[('a', 1), ('b', 2), ('c', 3), ('e', 5), ('f', 6), ('g', 7), ('p', 3), "
                "('x', 'y')]",
                "ValueError",
                "TypeError",
            ],
        )
