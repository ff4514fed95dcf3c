"""
Modules the runtime lets go of are freed even while their owner keeps other
modules loaded in the same domain (so the domain itself stays): renaming and
saving again, or moving the host, never leaves the old module's globals
alive.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.redteam_world.test_memory import HOARD, resaved_growth
from tests.scripts.helpers import Scene, make

#: A small module Bob keeps loaded all along, so his domain is never dropped.
KEEPER = """
def verb_ping(actor, *rest):
    actor.tell("pong")
"""


class ForgottenBesideKeptTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.world.server.scripts.meters.cpu_time = lambda: 0.0
        self.runtime = self.s.world.server.scripts
        make(self.s.bob, "keeper", KEEPER)
        self.assertIn("pong", self.s.bob.send("ping keeper"))
        make(self.s.bob, "gremlin", HOARD)
        self.assertIn("hoard of 1000", self.s.bob.send("count gremlin"))
        self.owner = self.s.character("Bob").id

    def test_rename_and_resave_beside_a_kept_module(self) -> None:
        """
        Twenty renames and saves of the hoarder while the keeper stays
        loaded leave two modules in Bob's domain and about one hoard in
        memory, not twenty.
        """
        domain = self.runtime.domain(self.owner)
        grown = resaved_growth(
            self, self.s, lambda: self.assertIn("pong", self.s.bob.send("ping keeper")))
        self.assertIs(self.runtime.domain(self.owner), domain)  # it was kept throughout
        self.assertEqual(len(domain.modules), 2)
        self.assertEqual(len(self.runtime.modules), 2)
        self.assertLess(grown, 4 * 1024 * 1024)  # twenty hoards would be over 20 MB

    def test_moving_the_host_frees_the_module_of_the_old_room(self) -> None:
        """
        A module is kept per room (its C{here}); walking the hoarder
        through rooms twenty times keeps one of its modules, not one per
        visit.
        """
        self.s.bob.send("get keeper")  # Bob carries it: it stays in reach
        domain = self.runtime.domain(self.owner)
        for i in range(20):
            self.s.world.clock.advance(1)
            self.s.bob.send("get gremlin")
            self.s.bob.send("north" if i % 2 == 0 else "south")
            self.s.bob.send("drop gremlin")
            self.assertIn("hoard of 1000", self.s.bob.send("count gremlin"))
            self.assertIn("pong", self.s.bob.send("ping keeper"))
        self.assertIs(self.runtime.domain(self.owner), domain)
        self.assertEqual(len(domain.modules), 2)
