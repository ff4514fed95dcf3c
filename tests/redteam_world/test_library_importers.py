"""
What the server keeps about the scripts that import a library
(L{engine.scripts.libraries.Libraries}): only scripts whose module is
loaded. A player making and destroying importer after importer, or
rewriting them, cannot grow it without end, and an importer destroyed
costs nobody anything when the library changes.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.redteam_world.test_charge_libraries import IMPORTER, save_library
from tests.scripts.helpers import Scene, make, script


class ImportersKeptTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.world.server.scripts.meters.cpu_time = lambda: 0.0
        self.runtime = self.s.world.server.scripts
        self.libraries = self.runtime.libraries
        self.assertIn("Saved the library tools", save_library(self.s.bob, 0))
        self.s.bob.send("@grant alice = library tools")
        self.s.alice.send("@library/accept bob tools")

    def hosts(self) -> set[int]:
        """
        Every object recorded as importing a library, or waiting to load
        again for one.
        """
        return ({h for importers in self.libraries.importers.values() for h in importers}
                | set(self.libraries.imported) | set(self.libraries.stale))

    def importer(self, name: str) -> int:
        """
        Make Alice's importer C{name}, run it, and return its id.
        """
        make(self.s.alice, name, IMPORTER)
        self.assertIn("v0, loaded 1 times", self.s.alice.send(f"ask {name}"))
        return self.s.thing(name).id

    def test_a_destroyed_importer_costs_nobody_a_wait(self) -> None:
        """
        Alice's importers destroyed, Bob unsharing his library with her is
        no reload of hers: he may share it with her again at once, and
        nothing is kept for them.
        """
        made = {self.importer(f"oracle{n}") for n in range(5)}
        self.assertLessEqual(made, self.hosts())
        for n in range(5):
            self.s.world.clock.advance(1)  # (the command rate limit)
            self.assertIn("You destroy", self.s.alice.send(f"@destroy oracle{n}"))
        self.assertIn("no longer shared with Alice",
                      self.s.bob.send("@revoke alice = library tools"))
        self.assertIn("Shared your library tools with Alice",
                      self.s.bob.send("@grant alice = library tools"))
        self.s.alice.send("@library/accept bob tools")
        self.assertEqual(self.hosts() & made, set())

    def test_a_destroyed_importer_is_forgotten_at_once(self) -> None:
        """
        Destroying Alice's importer drops its module and every record of
        its imports as the turn that destroyed it commits, without waiting
        for the server to make room or the library to change.
        """
        oracle = self.importer("oracle")
        self.assertTrue(self.runtime.modules.keeps_host(oracle))
        self.assertIn("You destroy", self.s.alice.send("@destroy oracle"))
        self.assertFalse(self.runtime.modules.keeps_host(oracle))
        self.assertNotIn(oracle, self.hosts())

    def test_a_new_version_lets_go_of_destroyed_importers(self) -> None:
        """
        A new version of the library finds Alice's destroyed importers gone
        and keeps nothing for them (they are not held back to load later).
        """
        made = {self.importer(f"oracle{n}") for n in range(3)}
        for n in range(3):
            self.s.alice.send(f"@destroy oracle{n}")
        self.assertIn("Saved the library tools", save_library(self.s.bob, 1))
        self.assertEqual(self.hosts() & made, set())
        self.assertEqual(set(self.libraries.reloaded) & made, set())

    def test_an_importer_rewritten_is_not_kept(self) -> None:
        """
        Alice rewriting her importer to import nothing leaves nothing kept
        for it until it imports again.
        """
        oracle = self.importer("oracle")
        self.assertIn(oracle, self.hosts())
        script(self.s.alice, "oracle", "def verb_ask(actor, *rest):\n    actor.tell('quiet')\n")
        self.assertIn("quiet", self.s.alice.send("ask oracle"))
        self.assertNotIn(oracle, self.hosts())
        script(self.s.alice, "oracle", IMPORTER)
        self.s.alice.send("ask oracle")
        self.assertIn(oracle, self.hosts())

    def test_an_importer_let_go_of_is_not_kept(self) -> None:
        """
        When the server lets go of an importer's module (to make room, as
        it does for a destroyed one in time), nothing is kept for it; it
        is recorded again when it loads, and a new version still reaches
        it.
        """
        oracle = self.importer("oracle")
        self.runtime.modules.forget_host(oracle)  # (what making room does)
        self.assertNotIn(oracle, self.hosts())
        self.assertIn("v0, loaded 2 times", self.s.alice.send("ask oracle"))
        self.assertIn(oracle, self.hosts())
        self.assertIn("Saved the library tools", save_library(self.s.bob, 1))
        self.s.world.clock.advance(60)
        self.assertIn("v1, loaded 3 times", self.s.alice.send("ask oracle"))
