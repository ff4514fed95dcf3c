"""
Memory a hostile owner's modules keep: every module the runtime lets go of is
freed, and what is kept is bounded per owner and across the server, by bytes,
without one owner evicting another's modules.
"""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable

from twisted.trial.unittest import TestCase

from engine.scripts.modules import DOMAIN_BYTES
from tests.scripts.helpers import Scene, make

#: About a megabyte kept in the module's globals.
HOARD = """
hoard = ["x" * 1000 + str(i) for i in range(1000)]

def verb_count(actor, *rest):
    actor.tell("hoard of %d" % len(hoard))
"""


def resaved_growth(case: TestCase, s: Scene,
                   each: Callable[[], None] = lambda: None) -> int:
    """
    Bob renames his C{gremlin} and saves its script again (a new hoard),
    twenty times, counting its hoard and calling C{each} after each save:
    by how many bytes the memory traced grew.
    """
    gc.collect()
    tracemalloc.start()
    case.addCleanup(tracemalloc.stop)
    before = tracemalloc.get_traced_memory()[0]
    name = "gremlin"
    for i in range(20):
        s.world.clock.advance(1)  # within the command rate
        new = f"gremlin{i}"
        s.bob.send(f"@name {name} = {new}")
        name = new
        said = s.bob.send(f"@script/edit {name} 2 = hoard = ['y' * 1000 + str(i) "
                          "for i in range(1000)]")
        case.assertIn("Saved", said)
        case.assertIn("hoard of 1000", s.bob.send(f"count {name}"))
        each()
    gc.collect()
    return tracemalloc.get_traced_memory()[0] - before


class ForgottenModulesTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        # The server's time is not what these tests are about: each run takes none.
        self.s.world.server.scripts.meters.cpu_time = lambda: 0.0

    def test_rename_and_resave_frees_the_old_module(self) -> None:
        """
        Renaming a thing and saving its script again, twenty times, leaves
        one module of it alive, not twenty: memory does not grow with the
        number of renames.
        """
        bob = self.s.bob
        make(bob, "gremlin", HOARD)
        self.assertIn("hoard of 1000", bob.send("count gremlin"))
        runtime = self.s.world.server.scripts
        grown = resaved_growth(self, self.s)
        # Twenty hoards kept would be over 20 MB.
        self.assertLess(grown, 4 * 1024 * 1024)
        owner = self.s.character("Bob").id
        self.assertLessEqual(len(runtime.domain(owner).modules), 1)
        self.assertEqual(len(runtime.modules), 1)

    def test_module_over_the_share_is_not_kept(self) -> None:
        """
        A module whose globals alone hold more than an owner's share is
        refused with a message, and nothing of it stays loaded.
        """
        runtime = self.s.world.server.scripts
        runtime.modules.owner_bytes = DOMAIN_BYTES + 512 * 1024
        make(self.s.bob, "gremlin", HOARD)
        said = self.s.bob.send("count gremlin")
        self.assertIn("cannot stay loaded", said)
        self.assertNotIn("hoard of", said)
        self.assertEqual(len(runtime.modules), 0)
        self.assertEqual(runtime.modules.used(self.s.character("Bob").id), 0)

    def test_state_grown_past_the_share_is_discarded(self) -> None:
        """
        A module that grows its globals past the owner's share, a call at a
        time, is thrown away (the call fails and is undone) instead of kept.
        """
        runtime = self.s.world.server.scripts
        runtime.modules.owner_bytes = DOMAIN_BYTES + 1024 * 1024
        make(self.s.bob, "gremlin", """
            hoard = []

            def verb_grow(actor, *rest):
                for i in range(300):
                    hoard.append("x" * 1000 + str(len(hoard)))
                actor.tell("hoard of %d" % len(hoard))
            """)
        said = ""
        for _ in range(10):
            said = self.s.bob.send("grow gremlin")
            if "discarded" in said:
                break
        self.assertIn("discarded because it kept more memory", said)
        self.assertLessEqual(runtime.modules.used(self.s.character("Bob").id),
                             runtime.modules.owner_bytes)


class EvictionTests(TestCase):
    """
    When memory runs short, modules are evicted from the owner who holds the
    most, never from an owner who holds less than the one loading.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.world.server.scripts.meters.cpu_time = lambda: 0.0

    def test_a_hoarder_cannot_evict_someone_else(self) -> None:
        """
        With the server's memory full, Bob loading hoards one after another
        evicts only his own modules: Alice's small bell stays loaded (the
        same module, never loaded again at her cost).
        """
        runtime = self.s.world.server.scripts
        make(self.s.alice, "bell", "def verb_ring(actor, *rest):\n    actor.tell('ding')\n")
        self.assertIn("ding", self.s.carol.send("ring bell"))
        alice = self.s.character("Alice").id
        (bell,) = [e.module for e in runtime.modules.entries() if e.owner == alice]
        for i in range(4):
            make(self.s.bob, f"hoard{i}", HOARD)
        bob = self.s.character("Bob").id
        # Room for Alice's bell and about two of Bob's hoards, whatever his own share.
        self.s.bob.send("count hoard0")
        runtime.modules.server_bytes = runtime.modules.total() + 2 * 1024 * 1024
        for _ in range(3):
            for i in range(4):
                self.assertIn("hoard of 1000", self.s.bob.send(f"count hoard{i}"))
                self.assertLessEqual(runtime.modules.total(), runtime.modules.server_bytes)
        kept = [e.module for e in runtime.modules.entries() if e.owner == alice]
        self.assertEqual(kept, [bell])
        self.assertIsNone(bell.discarded)
        self.assertLess(len([e for e in runtime.modules.entries() if e.owner == bob]), 4)
        self.assertIn("ding", self.s.carol.send("ring bell"))


class CompileCacheTests(TestCase):
    def test_compiled_code_kept_is_bounded_by_bytes(self) -> None:
        """
        Saving many different big scripts keeps at most CACHE_BYTES of
        compiled code in the server's compile cache, however many there are.
        """
        from scripting import compiler

        self.patch(compiler, "CACHE_BYTES", 2 * 1024 * 1024)
        big = "\n".join(f"def f{i}(x):\n    return x + {i}" for i in range(200))
        for n in range(20):
            compiler.compile_script(f"{big}\nmarker = {n}\n", f"big{n}")
            self.assertLessEqual(compiler.cached_bytes(), compiler.CACHE_BYTES)
        self.assertGreater(compiler.cached_bytes(), 0)
