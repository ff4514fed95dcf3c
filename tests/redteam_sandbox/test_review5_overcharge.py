"""
Hashing charged by what C does, not more (review 5, issue 9).

C{charge.hash_work} charged a long string key its length every time it
appeared, though C compares a key found in the table with itself by identity
first (C{set([s] * 1000)} with a 100 000-character C{s} ran out of ticks doing
nothing); and C{charge.collisions} counted every pair of aliased keys as
colliding, though C stops at the same object at once (C{set([(1, 2)] * 100000)}
was charged five billion pairs). Both now look at which keys are the same
object: an alias is free, an equal key that is another object is charged as
before. And C{item in facet}: no facet offers C{in}, and the checker refuses it
before C touches the item.
"""

from __future__ import annotations

from twisted.trial import unittest

from scripting import Budget, Domain
from scripting.facets.adapters import facet
from tests.facets.helpers import build, task
from world.store import WorldStore

LONG = "s = 'x' * 100000\n"
#: an equal string that is another object
OTHER = "u = ''.join(['x' * 50000, 'x' * 50000])\n"


class HashWorkTests(unittest.TestCase):
    """Aliases cost nothing more; equal keys that are other objects cost their length."""

    def run_script(self, source: str) -> object:
        return Domain("ann").run(source, budget=Budget())

    def test_long_string_aliased(self) -> None:
        """A thousand references to one long string in a set: one string hashed."""
        for build_it in ("set([s] * 1000)", "frozenset([s] * 1000)",
                         "dict.fromkeys([s] * 1000)", "d = {}\nd.update([(s, 1)] * 1000)"):
            result = self.run_script(LONG + build_it + "\n")
            self.assertTrue(result.ok, (build_it, result.error))
            self.assertLess(result.ticks, 5000, build_it)

    def test_long_strings_equal_but_distinct(self) -> None:
        """Two equal long strings alternating: C compares them byte by byte each time."""
        result = self.run_script(LONG + OTHER + "set([s, u] * 500)\n")
        self.assertEqual(result.aborted, "ran out of ticks", result.error)

    def test_short_list_of_long_aliases(self) -> None:
        """The short path (64 keys or fewer) too: one string's length, not sixty."""
        result = self.run_script(LONG + "set([s] * 60)\n")
        self.assertTrue(result.ok, result.error)
        self.assertLess(result.ticks, 1000)

    def test_aliased_tuples_do_not_collide(self) -> None:
        """A hundred thousand references to one tuple: no pair probes."""
        result = self.run_script("t = (1, 2)\nset([t] * 100000)\n")
        self.assertTrue(result.ok, result.error)
        self.assertLess(result.ticks, 50_000)  # the list and the set themselves

    def test_colliding_ints_still_charged(self) -> None:
        """Distinct ints of one hash still cost their pairs."""
        result = self.run_script("m = 2 ** 61 - 1\nks = [i * m for i in range(3000)]\nset(ks)\n")
        self.assertEqual(result.aborted, "ran out of ticks", result.error)

    def test_aliases_among_colliding_keys_still_charged(self) -> None:
        """Where several objects share a hash, each alias probes past the others again:
        colliding ints each repeated are charged as before."""
        result = self.run_script("m = 2 ** 61 - 1\n"
                                 "ks = [i * m for i in range(300) for j in range(50)]\n"
                                 "set(ks)\n")
        self.assertEqual(result.aborted, "ran out of ticks", result.error)


class FacetContainsTests(unittest.TestCase):
    """C{item in facet} is refused before anything compares the item."""

    def test_refused_untouched(self) -> None:
        store = WorldStore()
        self.addCleanup(store.close)
        w = build(store)
        with task(store, w.bob.id):
            lamp = facet(w.lamp, "control")
            module = Domain("bob").load(
                "class K:\n    def __eq__(self, o):\n        print('compared')\n"
                "        return False\n"
                "def probe(lamp):\n    try:\n        return K() in lamp\n"
                "    except AttributeError as e:\n        return str(e)\n")
            result = module.call("probe", lamp, budget=Budget())
        self.assertTrue(result.ok, result.error)
        self.assertIn("'in' is not available", result.value)
        self.assertEqual(result.output, "")
