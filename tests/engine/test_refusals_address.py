"""
Which address counts: every limit per address (the connection rate,
failed logins, characters created, connections waiting to log in) and the
site ban count an address as L{engine.limits.network_of} does, at every
door (telnet, web, SSH): the addresses of one IPv6 /64 are one, so that a
client given a /64 (every home) cannot be a fresh address each time.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.limits import AddressWindow, network_of
from engine.login import LoginRefused
from engine.server import BANNED_SITES
from engine.testing import TestWorld
from tests.engine.test_refusals import DoorsCase

#: One IPv6 /64: each test's client has all of it.
HOME = "2001:db8:7:1::"


class AddressTests(TestCase):
    """
    The one function that says which address counts.
    """

    def test_network_of(self) -> None:
        """
        An IPv6 address counts as its /64, an IPv4-mapped one as its IPv4
        address, and anything else as it is.
        """
        self.assertEqual(network_of("2001:db8:7:1:ffff::9"), "2001:db8:7:1::/64")
        self.assertEqual(network_of("2001:DB8:7:1:0::1"), "2001:db8:7:1::/64")
        self.assertEqual(network_of("::ffff:10.40.0.1"), "10.40.0.1")
        self.assertEqual(network_of("10.40.0.1"), "10.40.0.1")
        self.assertEqual(network_of("not:an address"), "not:an address")
        self.assertEqual(network_of(network_of("2001:db8::1")), "2001:db8::/64")

    def test_wrapped_ipv4(self) -> None:
        """
        An IPv4 address wrapped in IPv6 counts as that IPv4 address: through
        a NAT64 translator (RFC 6052, C{64:ff9b::/96}) two IPv4 clients are
        two, and 6to4 and Teredo addresses are their IPv4 host's.
        """
        self.assertEqual(network_of("64:ff9b::1.2.3.4"), "1.2.3.4")
        self.assertEqual(network_of("64:ff9b::5.6.7.8"), "5.6.7.8")
        self.assertEqual(network_of("2002:cb00:7105::1"), "203.0.113.5")
        self.assertEqual(network_of("2002:cb00:7105:ffff::1"), "203.0.113.5")
        self.assertEqual(network_of("2001:0:4136:e378:8000:63bf:3fff:fdd2"), "192.0.2.45")
        self.assertEqual(network_of("64:ff9b::1:102:304"), "64:ff9b::/64")

    def test_address_window(self) -> None:
        """
        An L{AddressWindow} counts the addresses of one /64 together.
        """
        world = TestWorld(build=None)
        self.addCleanup(world.close)
        window = AddressWindow(world.clock, 2, 60.0)
        window.record(HOME + "1")
        window.record(HOME + "2")
        self.assertFalse(window.allowed(HOME + "3"))
        self.assertEqual(window.count(HOME + "ffff:1"), 2)
        self.assertTrue(window.allowed("2001:db8:7:2::1"))
        world.clock.advance(61)
        self.assertTrue(window.allowed(HOME + "3"))


class PerNetworkTests(DoorsCase):
    """
    At every door, the addresses of one IPv6 /64 share one count of
    each limit per address, and one site ban.
    """

    def world(self, **limits: float) -> TestWorld:
        return self.doors(**{
            "connection_rate": 10_000, "connection_burst": 10_000, "max_prelogin": 10_000,
            "prelogin_per_address": 10_000, "connections_per_minute": 10_000, **limits})

    def test_connections_per_minute(self) -> None:
        """
        C{--connections-per-minute} counts a /64 as one address: past it,
        another address of it is refused at every door, and another /64
        still comes in.
        """
        world = self.world(connections_per_minute=2)
        self.assertTrue(world.connect(HOME + "1").connected)
        self.assertTrue(world.browse(HOME + "2").connected)
        refused = world.connect(HOME + "3")
        self.assertFalse(refused.connected)
        self.assertIn("Too many connections from your address", refused.output())
        self.assertFalse(world.browse(HOME + "4").connected)
        _protocol, transport = self.knock(HOME + "5")
        self.assertTrue(transport.disconnecting)
        self.assertIn(b"Too many connections from your address", transport.value())
        self.assertTrue(world.connect("2001:db8:7:2::1").connected)

    def test_failed_logins(self) -> None:
        """
        C{--failed-logins} counts a /64 as one address: wrong passwords
        from some of its addresses refuse logins from any other, at every
        door, and not from another /64.
        """
        world = self.world(failed_logins=2, failed_login_window=60)
        world.login("Alice").send("quit")
        self.assertIn("Either", world.connect(HOME + "1").send("connect Alice nope nope"))
        self.assertIn("Either", world.browse(HOME + "2").send("connect Alice nope nope"))
        self.assertIn("Too many failed logins",
                      world.connect(HOME + "3").send("connect Alice correct horse"))
        self.assertIn("Too many failed logins",
                      world.browse(HOME + "4").send("connect Alice correct horse"))
        # What the SSH door asks when a client gives its password.
        refused = world.server.accounts.verify("Alice", "correct horse", HOME + "5")
        self.failureResultOf(refused, LoginRefused)
        self.assertIn("Town Square",
                      world.connect("2001:db8:7:2::1").send("connect Alice correct horse"))

    def test_creations_per_hour(self) -> None:
        """
        C{--creations-per-hour} counts a /64 as one address.
        """
        world = self.world(creations_per_hour=1)
        world.connect(HOME + "1").send("create Alice correct horse")
        text = world.browse(HOME + "2").send("create Bob correct horse")
        self.assertIn("Too many characters were created from your address", text)
        text = world.connect(HOME + "3").send("create Bob correct horse")
        self.assertIn("Too many characters were created from your address", text)

    def test_site_ban(self) -> None:
        """
        Banning one IPv6 address bans its /64 at every door (its owner
        would otherwise take another address of it); an IPv4-mapped
        address banned is its IPv4 address; another /64 still comes in.
        """
        world = self.world()
        with world.store.turn() as turn:
            turn.root.settings[BANNED_SITES] = (HOME + "1", "::ffff:10.41.0.1")
        self.assertFalse(world.connect(HOME + "2").connected)
        self.assertFalse(world.browse(HOME + "3").connected)
        self.assertTrue(self.knock(HOME + "4")[1].disconnecting)
        self.assertFalse(world.connect("10.41.0.1").connected)
        self.assertTrue(world.connect("10.41.0.2").connected)
        self.assertTrue(world.connect("2001:db8:7:2::1").connected)

    def test_nat64_clients_apart(self) -> None:
        """
        Behind a NAT64 translator every IPv4 client arrives in
        C{64:ff9b::/96}: one client's failed logins refuse it, at every door,
        and not the other IPv4 players, and a ban of its IPv4 address
        refuses it.
        """
        world = self.world(failed_logins=2, failed_login_window=60)
        world.login("Alice").send("quit")
        client, other = "64:ff9b::203.0.113.5", "64:ff9b::198.51.100.9"
        self.assertIn("Either", world.connect(client).send("connect Alice nope nope"))
        self.assertIn("Either", world.browse("203.0.113.5").send("connect Alice nope nope"))
        self.assertIn("Too many failed logins",
                      world.browse(client).send("connect Alice correct horse"))
        self.failureResultOf(world.server.accounts.verify("Alice", "correct horse", client),
                             LoginRefused)
        self.assertIn("Town Square", world.connect(other).send("connect Alice correct horse"))
        with world.store.turn() as turn:
            turn.root.settings[BANNED_SITES] = ("203.0.113.5",)
        self.assertFalse(world.connect(client).connected)
        self.assertTrue(self.knock(client)[1].disconnecting)
        self.assertFalse(world.connect("2002:cb00:7105::1").connected)
        self.assertTrue(world.connect(other).connected)
