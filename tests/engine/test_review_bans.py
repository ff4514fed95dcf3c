"""
Red-team review of the site bans held in memory (L{engine.server.Server.site_banned}):
they are read again only when the settings' serial shows a commit changed
them. Each test tries to have a committed ban missed: the settings shed
from the object cache, or made a ghost by a turn rolled back, between the
ban and the connection, or two bans in one turn.
"""

from __future__ import annotations

import transaction
from twisted.trial.unittest import TestCase

from engine.limits import Limits
from engine.server import BANNED_SITES
from engine.testing import TestWorld
from world.store import ROOT_KEY


class HeldBansTests(TestCase):
    def world(self) -> TestWorld:
        world = TestWorld(limits=Limits(connections_per_minute=10_000,
                                        prelogin_per_address=10_000))
        self.addCleanup(world.close)
        return world

    def test_ban_after_the_cache_shed_the_settings(self) -> None:
        """
        The settings, read once (their serial held), are shed from the
        object cache; a ban committed after refuses the next connection, and
        one committed while they were shed too.
        """
        world = self.world()
        self.assertTrue(world.connect("198.51.100.1").connected)  # (the bans read)
        world.store.connection.cacheMinimize()
        with world.store.turn() as turn:
            turn.root.settings[BANNED_SITES] = ("198.51.100.0/24",)
        world.store.connection.cacheMinimize()
        self.assertFalse(world.connect("198.51.100.2").connected)
        with world.store.turn() as turn:
            turn.root.settings[BANNED_SITES] = ("198.51.100.0/24", "203.0.113.0/24")
        world.store.connection.cacheMinimize()
        self.assertFalse(world.connect("203.0.113.9").connected)
        self.assertTrue(world.connect("192.0.2.1").connected)

    def test_ban_after_a_rolled_back_change(self) -> None:
        """
        A turn that changed the settings and rolled back (their state
        thrown away, read again later) leaves the held bans as they were;
        a ban committed next refuses the next connection.
        """
        world = self.world()
        self.assertTrue(world.connect("198.51.100.1").connected)
        with self.assertRaises(KeyError):
            with world.store.turn() as turn:
                turn.root.settings[BANNED_SITES] = ("192.0.2.0/24",)
                raise KeyError("rolled back")
        self.assertTrue(world.connect("192.0.2.1").connected)
        with world.store.turn() as turn:
            turn.root.settings[BANNED_SITES] = ("198.51.100.0/24",)
        self.assertFalse(world.connect("198.51.100.3").connected)
        self.assertTrue(world.connect("192.0.2.2").connected)

    def test_two_bans_in_one_turn(self) -> None:
        """
        Two wizards' bans committed in one turn (the second replacing the
        list the first wrote) both refuse the next connections.
        """
        world = self.world()
        self.assertTrue(world.connect("198.51.100.1").connected)
        with world.store.turn() as turn:
            turn.root.settings[BANNED_SITES] = ("198.51.100.0/24",)
            turn.root.settings[BANNED_SITES] = ("198.51.100.0/24", "203.0.113.0/24")
        self.assertFalse(world.connect("198.51.100.4").connected)
        self.assertFalse(world.connect("203.0.113.4").connected)

    def test_wizard_ban_commands_in_a_row(self) -> None:
        """
        @ban typed twice in a row, with connections between: each ban
        refuses the very next connection from its site.
        """
        world = self.world()
        wizard = world.login("Wiz", role="wizard", address="192.0.2.77")
        for n, site in enumerate(("198.51.100.0/24", "203.0.113.0/24", "2001:db8::/48")):
            probe = ("198.51.100.9", "203.0.113.9", "2001:db8::9")[n]
            self.assertTrue(world.connect(probe).connected, probe)
            wizard.send(f"@ban site {site}")
            world.store.connection.cacheMinimize()
            self.assertFalse(world.connect(probe).connected, probe)

    def test_ban_committed_through_another_connection(self) -> None:
        """
        A ban committed through another connection to the database (an
        operator's tool, a second server) makes the held settings a ghost
        when the server's next turn begins, and a ghost keeps its old
        serial: the next connection after that turn is refused all the same.
        """
        world = self.world()
        self.assertTrue(world.connect("198.51.100.1").connected)  # (the bans read)
        manager = transaction.TransactionManager(explicit=True)
        other = world.store.db.open(manager)
        try:
            with manager:
                other.root()[ROOT_KEY].settings[BANNED_SITES] = ("198.51.100.0/24",)
        finally:
            other.close()
        with world.store.turn():
            pass  # (the server's next turn: the settings invalidated, a ghost)
        self.assertFalse(world.connect("198.51.100.2").connected)
        self.assertTrue(world.connect("192.0.2.1").connected)
