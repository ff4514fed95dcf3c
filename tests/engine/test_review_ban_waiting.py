"""
Red-team review of site bans: a connection from a site, opened before the
site is banned and still at the welcome screen when the ban is committed,
tries to log in after it. A ban is for keeping a site out: it must not
then create a character or log one in (at the telnet port or the web
client's), though the connection was admitted before it.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.limits import Limits
from engine.testing import TestWorld


class WaitingBeforeTheBanTests(TestCase):
    def world(self) -> TestWorld:
        world = TestWorld(limits=Limits(connections_per_minute=10_000,
                                        prelogin_per_address=10_000))
        self.addCleanup(world.close)
        return world

    def test_waiting_connections_cannot_log_in_after_the_ban(self) -> None:
        """
        Mallory opens a telnet connection and a web one from her site and
        waits; a wizard bans the site; each then tries to create a
        character: neither is let in.
        """
        world = self.world()
        telnet = world.connect("198.51.100.7")
        web = world.browse("198.51.100.8")
        self.assertTrue(telnet.connected and web.connected)
        wizard = world.login("Wiz", role="wizard", address="192.0.2.1")
        self.assertIn("now refused", wizard.send("@ban site 198.51.100.0/24"))
        self.assertFalse(world.connect("198.51.100.9").connected)  # (the ban holds)
        telnet.send("create Mallory correct horse")
        web.send("create Mallorie correct horse")
        with world.store.turn() as turn:
            names = {getattr(o, "name", None) for o in turn.root.all()}
        self.assertEqual(names & {"Mallory", "Mallorie"}, set(),
                         "characters created from a banned site")
