"""
The front door holds: new connections to every door (telnet, web, SSH) come
out of one server-wide rate, and a flood of refused connections is a
bounded number of log lines, not one each.
"""

from __future__ import annotations

import os

from twisted.internet.address import IPv4Address
from twisted.internet.testing import StringTransport
from twisted.logger import globalLogPublisher
from twisted.trial.unittest import TestCase

from engine import ssh
from engine.limits import REFUSAL_LOG_INTERVAL, Limits, RefusalLog
from engine.testing import TestWorld
from engine.web.connection import WebLimits


class Logged:
    """
    The log events published while a test runs.
    """

    def __init__(self, case: TestCase) -> None:
        self.events: list[dict] = []
        globalLogPublisher.addObserver(self.events.append)
        case.addCleanup(globalLogPublisher.removeObserver, self.events.append)

    def lines(self, word: str) -> list[dict]:
        return [e for e in self.events if word in e.get("log_format", "")]

    def about(self, prefix: str) -> list[dict]:
        """
        Every line about a connection from an address starting C{prefix}.
        """
        return [e for e in self.events if str(e.get("address", "")).startswith(prefix)]


class RefusalLogTests(TestCase):
    def test_one_line_per_interval(self) -> None:
        """
        A thousand refusals within one interval are one log line; the next
        line, an interval later, says how many were refused since.
        """
        world = TestWorld(build=None)
        self.addCleanup(world.close)
        logged = Logged(self)
        refusals = RefusalLog(world.clock)
        for n in range(1000):
            refusals.refused(f"10.1.{n // 250}.{n % 250}", "no room")
        self.assertEqual(len(logged.lines("refused")), 1)
        world.clock.advance(REFUSAL_LOG_INTERVAL)
        refusals.refused("10.2.0.1", "no room")
        lines = logged.lines("refused")
        self.assertEqual(len(lines), 2)
        self.assertEqual(lines[1]["count"], 1000)
        self.assertEqual(lines[1]["address"], "10.2.0.1")


class SessionRefusalTests(TestCase):
    """
    Connections the server refuses for their address (too many from it,
    banned, the server full) are logged one line every
    L{REFUSAL_LOG_INTERVAL} seconds, not one line each.
    """

    def setUp(self) -> None:
        self.world = TestWorld(build=None, limits=Limits(
            connections_per_minute=1, connection_rate=10_000, connection_burst=10_000,
            max_prelogin=10_000))
        self.addCleanup(self.world.close)
        self.logged = Logged(self)

    def test_refused_per_address_bounded_lines(self) -> None:
        """
        Two hundred connections from one address, over its rate: each is
        told and closed, and the log has one line about them.
        """
        self.world.connect("10.3.0.1")
        refused = [self.world.connect("10.3.0.1") for _ in range(200)]
        self.assertFalse(any(client.connected for client in refused))
        self.assertIn("Too many connections from your address", refused[-1].output())
        self.assertEqual(len(self.logged.about("10.3.0.1")), 1, self.logged.about("10.3"))

    def test_rotating_addresses_bounded_lines(self) -> None:
        """
        A botnet rotating addresses into a full server (every one refused
        as the server is full) gets a bounded number of log lines however
        many connections it makes.
        """
        world = TestWorld(build=None, limits=Limits(
            max_sessions=1, connection_rate=10_000, connection_burst=10_000,
            max_prelogin=10_000))
        self.addCleanup(world.close)
        world.connect("10.4.0.1")
        for second in range(3):
            for n in range(100):
                self.assertFalse(world.connect(f"10.5.{second}.{n}").connected)
            world.clock.advance(1)
        self.assertEqual(len(self.logged.about("10.5.")), 1)

    def test_web_refused_bounded_lines(self) -> None:
        """
        Websockets the server refuses for their address are logged in the
        same one line, with no line of their own on closing.
        """
        self.world.browse("10.12.0.1")
        refused = [self.world.browse("10.12.0.1") for _ in range(20)]
        self.assertFalse(any(browser.connected for browser in refused))
        self.assertEqual(len(self.logged.about("10.12.0.1")), 1, self.logged.about("10.12"))


class WebConnectLogTests(TestCase):
    def test_no_line_per_websocket(self) -> None:
        """
        Opening a websocket writes no log line (as a telnet connection
        writes none): a flood of connections is not a flood of log lines.
        """
        world = TestWorld(build=None)
        self.addCleanup(world.close)
        logged = Logged(self)
        for n in range(20):
            self.assertTrue(world.browse(f"10.6.0.{n}").connected)
        self.assertEqual(logged.lines("web client connected"), [])


class WebCountTests(TestCase):
    """
    The web port counts the connections waiting to log in (in all and by
    address) as they come, log in and go, rather than by looking at every
    open connection for each new one.
    """

    def test_counts_follow_connections(self) -> None:
        """
        The counts go up as connections arrive, down as they log in or
        close, and match what is open.
        """
        world = TestWorld()
        self.addCleanup(world.close)
        web = world.web
        browsers = [world.browse("10.7.0.1") for _ in range(3)]
        other = world.browse("10.7.0.2")
        self.assertEqual(web.waiting(), 4)
        self.assertEqual(web.waiting_from("10.7.0.1"), 3)
        browsers[0].send("create Alice correct horse")
        self.assertEqual(web.waiting(), 3)
        self.assertEqual(web.waiting_from("10.7.0.1"), 2)
        browsers[1].disconnect()
        other.disconnect()
        browsers[0].disconnect()
        self.assertEqual(web.waiting(), 1)
        self.assertEqual(web.waiting_from("10.7.0.1"), 1)
        self.assertEqual(web.waiting_from("10.7.0.2"), 0)
        browsers[2].disconnect()
        self.assertEqual(web.waiting(), 0)
        self.assertEqual(web._by_address, {})

    def test_per_address_bound_from_counts(self) -> None:
        """
        Past C{per_address} waiting connections from one address, the next
        from it is refused; one that logs in makes room.
        """
        world = TestWorld(limits=Limits(connections_per_minute=1000),
                          web=WebLimits(per_address=3))
        self.addCleanup(world.close)
        per = 3
        kept = [world.browse("10.8.0.1") for _ in range(per)]
        self.assertTrue(all(b.connected for b in kept))
        self.assertFalse(world.browse("10.8.0.1", open=False).connected)
        kept[0].send("create Bob correct horse")
        self.assertTrue(world.browse("10.8.0.1").connected)


class SSHConnectionRateTests(TestCase):
    """
    New SSH connections come out of the server-wide C{connection_rate}
    shared with telnet and the web port, refused before key exchange.
    """

    def setUp(self) -> None:
        self.world = TestWorld(build=None, limits=Limits(connection_rate=2,
                                                         connection_burst=3))
        self.addCleanup(self.world.close)
        folder = os.path.abspath(self.mktemp())
        key, _path = ssh.host_key(None, os.path.join(folder, "world.fs"))
        self.factory = ssh.SSHFactory(self.world.server, key,
                                      arrivals=self.world.factory.arrivals)
        self.factory.startFactory()
        self.addCleanup(self.factory.stopFactory)
        self.logged = Logged(self)
        self._next = 0

    def knock(self) -> StringTransport:
        self._next += 1
        transport = StringTransport(peerAddress=IPv4Address("TCP", f"10.9.0.{self._next}",
                                                            22))
        protocol = self.factory.buildProtocol(transport.getPeer())
        protocol.makeConnection(transport)
        self.addCleanup(protocol.connectionLost, None)
        return transport

    def test_past_the_burst(self) -> None:
        """
        Past C{connection_burst} new SSH connections at once, more are told
        and closed before the server sends its version or starts a key
        exchange, with one log line for all of them.
        """
        kept = [self.knock() for _ in range(3)]
        self.assertTrue(all(b"SSH-2.0-" in t.value() for t in kept))
        refused = [self.knock() for _ in range(50)]
        for transport in refused:
            self.assertTrue(transport.disconnecting)
            self.assertNotIn(b"SSH-", transport.value())
            self.assertIn(b"too many new connections", transport.value())
        lines = self.logged.lines("refused")
        self.assertEqual(len(lines), 1, lines)
        self.assertIn("--connection-rate", lines[0]["why"])
        self.world.clock.advance(1)
        self.assertIn(b"SSH-2.0-", self.knock().value())

    def test_shared_with_telnet(self) -> None:
        """
        Telnet connections spend the same rate: knocking at both doors does
        not take twice the rate.
        """
        for n in range(3):
            self.assertTrue(self.world.connect(f"10.10.0.{n}").connected)
        self.assertTrue(self.knock().disconnecting)

    def test_ssh_spends_it_for_telnet(self) -> None:
        """
        SSH connections spend the rate telnet's come out of.
        """
        for _ in range(3):
            self.assertFalse(self.knock().disconnecting)
        self.assertFalse(self.world.connect("10.11.0.1").connected)
