"""
C{@ban site} and the sessions already connected from the network banned:
the wizard is told how many there are and who plays on them, and they stay
(as an account ban's session does not: a site is shared, so a wizard
chooses); C{@ban/kick site} also disconnects them, telling each why, at
every door (telnet and the web client).
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.limits import Limits
from engine.testing import TestWorld


class ConnectedFromABannedSiteTests(TestCase):
    def setUp(self) -> None:
        self.world = world = TestWorld(limits=Limits(connections_per_minute=10_000,
                                                     prelogin_per_address=10_000))
        self.addCleanup(world.close)
        self.wizard = world.login("Wiz", role="wizard", address="192.0.2.1")
        self.bob = world.login("Bob", address="198.51.100.7")
        self.carol = world.login_web("Carol", address="198.51.100.8")
        self.waiting = world.connect("198.51.100.9")
        self.elsewhere = world.login("Dan", address="203.0.113.5")
        self.wizard.output()  # (their arrivals)

    def test_ban_names_who_is_connected(self) -> None:
        """
        C{@ban site} says Bob and Carol play from the network and one more
        connection waits to log in there; nobody is disconnected.
        """
        said = " ".join(self.wizard.send("@ban site 198.51.100.0/24").split())
        self.assertIn("now refused", said)
        self.assertIn("3 connections from 198.51.100.0/24 are open", said)
        self.assertIn("Bob, Carol", said)
        self.assertIn("1 waiting to log in", said)
        self.assertIn("@ban/kick site 198.51.100.0/24", said)
        self.assertNotIn("Dan", said)
        self.assertTrue(self.bob.connected and self.carol.connected and self.waiting.connected)

    def test_nobody_connected(self) -> None:
        """
        Nobody connected from the network: the wizard is told so.
        """
        said = self.wizard.send("@ban site 233.252.0.0/24")
        self.assertIn("Nobody is connected from 233.252.0.0/24.", said)

    def test_kick_disconnects_them(self) -> None:
        """
        C{@ban/kick site} disconnects Bob at telnet, Carol at the web client
        and the connection at the welcome screen, each told why; Dan, from
        elsewhere, and the wizard play on.
        """
        said = " ".join(self.wizard.send("@ban/kick site 198.51.100.").split())
        self.assertIn("now refused", said)
        self.assertIn("You disconnected 3 connections from 198.51.100.0/24", said)
        self.assertIn("Bob, Carol", said)
        self.assertIn("no longer allowed here", self.bob.output())
        self.assertIn("no longer allowed here", self.carol.output())
        self.assertFalse(self.bob.connected or self.carol.connected or self.waiting.connected)
        self.assertTrue(self.elsewhere.connected and self.wizard.connected)
        playing = [s.name for s in self.world.server.playing()]
        self.assertEqual(sorted(playing), ["Dan", "Wiz"])

    def test_kick_keeps_the_wizard(self) -> None:
        """
        A wizard banning their own network with C{/kick} stays connected,
        and is told so.
        """
        said = self.bob.send("@ban/kick site 198.51.100.0/24")
        self.assertIn("Only wizards", said)
        self.world.set_role("Bob", "wizard")
        said = " ".join(self.bob.send("@ban/kick site 198.51.100.0/24").split())
        self.assertIn("you stay connected", said)
        self.assertTrue(self.bob.connected)
        self.assertFalse(self.carol.connected)

    def test_switches(self) -> None:
        """
        C{/kick} and C{/force} go together; other switches are refused.
        """
        said = self.wizard.send("@ban/kick/force site 198.0.0.0/7")
        self.assertIn("now refused", said)
        self.assertFalse(self.bob.connected)
        self.assertIn("Type '@ban <name>'", self.wizard.send("@ban/kick Bob"))
        self.assertIn("Type '@ban <name>'", self.wizard.send("@ban/boot site 10.0.0.1"))
