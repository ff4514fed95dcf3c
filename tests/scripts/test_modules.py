"""
Tests for L{engine.scripts.modules}: kept modules, bounded by bytes per owner
and across the server.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

import scripting
from engine.scripts.modules import DOMAIN_BYTES, ModuleCache, TooBig


def load(domain: scripting.Domain, name: str, source: str = "x = 1\n") -> scripting.ScriptModule:
    module = domain.load(source, name=name, budget=scripting.Budget.background())
    assert module.result.ok, module.result.error
    return module


class ModuleCacheTests(TestCase):
    def setUp(self) -> None:
        self.dropped: list = []
        self.cache = ModuleCache(on_drop=lambda e: self.dropped.append(e.key))
        self.alice = scripting.Domain("#1")
        self.bob = scripting.Domain("#2")

    def test_forget_unloads(self) -> None:
        """
        A forgotten module leaves its domain (name, source) and its globals
        are cleared; its owner is charged nothing any more.
        """
        module = load(self.alice, "bell#5", "hoard = ['x' * 100]\ndef f():\n    return 1\n")
        self.cache.put("k", 1, module, host=5)
        self.assertGreater(self.cache.used(1), DOMAIN_BYTES)
        self.cache.forget_host(5)
        self.assertEqual(self.cache.used(1), 0)
        self.assertNotIn("bell#5", self.alice.modules)
        self.assertNotIn(module.compiled.filename, self.alice.scripts)
        self.assertNotIn("hoard", module._globals)
        self.assertFalse(module.call("f").ok)
        self.assertEqual(self.dropped, ["k"])

    def test_owner_share_evicts_only_the_owner(self) -> None:
        """
        Over an owner's share, that owner's least recently used module goes;
        another owner's older module stays.
        """
        self.cache.put("b1", 2, load(self.bob, "b1"))
        first = load(self.alice, "a1")
        self.cache.put("a1", 1, first)
        one = self.cache.used(1) - DOMAIN_BYTES
        self.cache.owner_bytes = DOMAIN_BYTES + int(one * 2.5)
        self.cache.put("a2", 1, load(self.alice, "a2"))
        self.assertIs(self.cache.get("a1"), first)  # a1 is now the most recent
        self.cache.put("a3", 1, load(self.alice, "a3"))
        self.assertEqual(self.dropped, ["a2"])
        self.assertIn("b1", self.cache)

    def test_server_limit_takes_from_the_heaviest(self) -> None:
        """
        Over the server's limit, the owner holding most loses modules; a
        lighter owner loses none, even if theirs is the oldest.
        """
        self.cache.put("a1", 1, load(self.alice, "a1"))
        self.cache.put("b1", 2, load(self.bob, "b1", "hoard = ['x' * 1000] * 100\n"))
        self.cache.server_bytes = self.cache.total()
        self.cache.put("b2", 2, load(self.bob, "b2", "hoard = ['y' * 1000] * 100\n"))
        self.assertEqual(self.dropped, ["b1"])
        self.assertIn("a1", self.cache)

    def test_too_big_alone(self) -> None:
        """
        A module bigger than the owner's whole share is refused and unloaded;
        nothing else changes.
        """
        self.cache.put("a1", 1, load(self.alice, "a1"))
        self.cache.owner_bytes = self.cache.used(1) + 1000
        big = load(self.alice, "big", "hoard = ['x' * 10] * 10000\n")
        self.assertRaises(TooBig, self.cache.put, "big", 1, big)
        self.assertNotIn("big", self.cache)
        self.assertIn("a1", self.cache)
        self.assertNotIn("big", self.alice.modules)

    def test_forgetting_a_need_forgets_what_needs_it(self) -> None:
        """
        Forgetting an entry forgets the entries that need it (as a module
        that imported a library goes with the library's copy), and nothing
        else.
        """
        self.cache.put("lib", 1, load(self.alice, "lib"), host=9)
        self.cache.put("user", 1, load(self.alice, "user"), needs=("lib",))
        self.cache.put("other", 1, load(self.alice, "other"))
        self.cache.forget_host(9)
        self.assertEqual(sorted(self.dropped), ["lib", "user"])
        self.assertIn("other", self.cache)

    def test_growth_is_charged_after_a_walk(self) -> None:
        """
        What a module's calls keep counts once it is walked again; a module
        that grows past the share is dropped and says why.
        """
        module = load(self.alice, "grower", "hoard = []\ndef grow():\n"
                                            "    hoard.append('x' * 100000)\n")
        self.cache.put("g", 1, module)
        self.cache.owner_bytes = self.cache.used(1) + 250_000
        for _ in range(2):
            self.assertTrue(module.call("grow", budget=scripting.Budget.background()).ok)
            self.assertIsNone(self.cache.grew("g"))
        self.assertTrue(module.call("grow", budget=scripting.Budget.background()).ok)
        why = self.cache.grew("g")
        self.assertIn("kept more memory", why)
        self.assertEqual(self.cache.used(1), 0)
