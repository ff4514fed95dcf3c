"""
The front door holds: new connections to every door (telnet, web, SSH) come
out of one server-wide rate, and a flood of refused connections is a
bounded number of log lines, not one each.
"""

from __future__ import annotations

import io
import os
from typing import Any

from OpenSSL import SSL
from twisted.internet.address import IPv4Address
from twisted.internet.interfaces import ISSLTransport
from twisted.internet.testing import StringTransport
from twisted.logger import LogLevel, globalLogPublisher, textFileLogObserver
from twisted.protocols.tls import TLSMemoryBIOFactory
from twisted.python.failure import Failure
from twisted.trial.unittest import TestCase
from zope.interface import directlyProvides

from engine import ssh, tls
from engine.limits import DROP_REASONS, REFUSAL_LOG_INTERVAL, IntervalLog, Limits
from engine.protocols.door import CLOSE_GRACE
from engine.server import BANNED_SITES
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


def ssh_door(case: TestCase, world: TestWorld) -> ssh.SSHFactory:
    """
    An SSH door of C{world}'s server, started for C{case}, taking new
    connections out of the telnet door's rate as C{tessera run} makes it.
    """
    folder = os.path.abspath(case.mktemp())
    key, _path = ssh.host_key(None, os.path.join(folder, "world.fs"))
    door = ssh.SSHFactory(world.server, key, arrivals=world.factory.arrivals)
    door.startFactory()
    case.addCleanup(door.stopFactory)
    return door


def open_world(case: TestCase, **limits: int) -> TestWorld:
    """
    A world of no rooms whose doors let every connection in (their rates
    and pre-login count at 10,000, or as C{limits} say), closed when
    C{case} ends.
    """
    world = TestWorld(build=None, limits=Limits(**{
        "connection_rate": 10_000, "connection_burst": 10_000,
        "connections_per_minute": 10_000, "max_prelogin": 10_000, **limits}))
    case.addCleanup(world.close)
    return world


def ssh_knock(case: TestCase, door: ssh.SSHFactory,
              address: IPv4Address) -> tuple[ssh.ServerTransport, StringTransport]:
    """
    A new SSH connection to C{door} from C{address}, before its key
    exchange, lost when C{case} ends: its protocol and its transport.
    """
    transport = StringTransport(peerAddress=address)
    protocol = door.buildProtocol(transport.getPeer())
    protocol.makeConnection(transport)
    case.addCleanup(protocol.connectionLost, None)
    return protocol, transport


class DoorsCase(TestCase):
    """
    A test at every door of a world, its SSH door (C{self.ssh}) among them.
    """

    ssh: ssh.SSHFactory

    def doors(self, **limits: float) -> TestWorld:
        """
        A world with C{limits}, its SSH door started, closed when the test
        ends.
        """
        world = TestWorld(limits=Limits(**limits))
        self.addCleanup(world.close)
        self.ssh = ssh_door(self, world)
        return world

    def knock(self, host: str) -> tuple[ssh.ServerTransport, StringTransport]:
        """
        A new SSH connection from C{host}, before its key exchange.
        """
        return ssh_knock(self, self.ssh, IPv4Address("TCP", host, 4000))


class IntervalLogTests(TestCase):
    def test_one_line_per_interval(self) -> None:
        """
        A thousand refusals within one interval are one log line, and one
        more an interval later, without waiting for another refusal, saying
        how many were refused since; the next after that is logged in its
        turn.
        """
        world = TestWorld(build=None)
        self.addCleanup(world.close)
        logged = Logged(self)
        refusals = IntervalLog.refusals(world.clock)
        for n in range(1000):
            refusals.note(f"10.1.{n // 250}.{n % 250}", "no room")
        self.assertEqual(len(logged.lines("refused")), 1)
        world.clock.advance(REFUSAL_LOG_INTERVAL)
        lines = logged.lines("refused")
        self.assertEqual(len(lines), 2)
        self.assertEqual(lines[1]["count"], 999)
        self.assertEqual(lines[1]["address"], "10.1.3.249")
        refusals.note("10.2.0.1", "no room")
        self.assertEqual(len(logged.lines("refused")), 2)
        world.clock.advance(REFUSAL_LOG_INTERVAL)
        lines = logged.lines("refused")
        self.assertEqual([line["count"] for line in lines], [1, 999, 1])
        self.assertEqual(world.clock.getDelayedCalls(), [])

    def test_flushed_when_the_server_stops(self) -> None:
        """
        What was counted since the last line is logged when the server
        stops, and no timer is left behind.
        """
        world = TestWorld(build=None)
        logged = Logged(self)
        for n in range(3):
            world.server.drops.note(f"10.1.9.{n}", "sending garbage")
            world.server.refusals.note(f"10.1.8.{n}", "no room")
        world.close()
        self.assertEqual([line["count"] for line in logged.lines("dropped")], [1, 2])
        self.assertEqual([line["count"] for line in logged.lines("refused")], [1, 2])
        self.assertEqual(world.clock.getDelayedCalls(), [])

    def test_reasons_bounded(self) -> None:
        """
        At most L{DROP_REASONS} reasons are counted apart, however many an
        attacker makes up; the rest are counted as "other reasons".
        """
        world = TestWorld(build=None)
        self.addCleanup(world.close)
        logged = Logged(self)
        drops = world.server.drops
        drops.note("10.1.7.1", "first")
        for n in range(1000):
            drops.note("10.1.7.1", f"a bad request for {n!r}")
        # The first was logged at once; of the thousand after it, sixteen
        # reasons are counted apart and the rest together.
        self.assertEqual(len(drops.reasons), DROP_REASONS + 1)
        self.assertEqual(drops.reasons["other reasons"], 1000 - DROP_REASONS)
        world.clock.advance(REFUSAL_LOG_INTERVAL)
        line = logged.lines("dropped")[1]
        self.assertEqual(line["count"], 1000)
        self.assertIn(f"other reasons ({1000 - DROP_REASONS})", line["why"])

    def test_no_forged_lines(self) -> None:
        """
        A reason or address with a newline in it (text an attacker chose)
        does not begin a line of its own in the log file: the text file
        observer the server logs to indents what follows the newline.
        """
        world = TestWorld(build=None)
        self.addCleanup(world.close)
        out = io.StringIO()
        observer = textFileLogObserver(out)
        globalLogPublisher.addObserver(observer)
        self.addCleanup(globalLogPublisher.removeObserver, observer)
        forged = "\n2026-12-07T00:00:00+0000 [engine.session] wizard Ann logged in\r\n"
        world.server.drops.note("10.1.6.1" + forged, "sent " + forged)
        text = out.getvalue()
        self.assertIn("wizard Ann", text)
        lines = text.splitlines()
        self.assertEqual([line for line in lines[1:] if not line.startswith("\t")], [])


class SessionRefusalTests(TestCase):
    """
    Connections the server refuses for their address (too many from it,
    banned, the server full) are logged one line every
    L{REFUSAL_LOG_INTERVAL} seconds, not one line each.
    """

    def setUp(self) -> None:
        self.world = open_world(self, connections_per_minute=1)
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
        self.assertEqual(web.prelogin.addresses, {})

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
        self.factory = ssh_door(self, self.world)
        self.logged = Logged(self)
        self._next = 0

    def knock(self) -> StringTransport:
        self._next += 1
        return ssh_knock(self, self.factory, IPv4Address("TCP", f"10.9.0.{self._next}", 22))[1]

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


class PreloginTests(TestCase):
    """
    C{max_prelogin} bounds the connections waiting to log in at every door
    of the server together (telnet, TLS, web and SSH), counted door by door
    as they arrive, log in and go.
    """

    def setUp(self) -> None:
        self.world = TestWorld(limits=Limits(
            max_prelogin=8, prelogin_per_address=4, connection_rate=10_000,
            connection_burst=10_000, connections_per_minute=10_000))
        self.addCleanup(self.world.close)
        self.ssh = ssh_door(self, self.world)
        self.logged = Logged(self)
        self._next = 0

    def address(self, host: str | None = None) -> IPv4Address:
        self._next += 1
        return IPv4Address("TCP", host or f"10.13.{self._next // 250}.{self._next % 250}", 4000)

    def knock(self, host: str | None = None) -> tuple[ssh.ServerTransport, StringTransport]:
        """
        A new SSH connection (from C{host}, or an address of its own),
        before its key exchange.
        """
        return ssh_knock(self, self.ssh, self.address(host))

    def secure(self, host: str | None = None) -> tuple[Any, StringTransport]:
        """
        A new connection to the TLS port (the telnet door over TLS), from
        C{host} or an address of its own.
        """
        transport = StringTransport(peerAddress=self.address(host))
        directlyProvides(transport, ISSLTransport)
        protocol = self.world.factory.buildProtocol(transport.getPeer())
        protocol.makeConnection(transport)
        self.addCleanup(protocol.connectionLost, None)
        return protocol, transport

    def test_every_door_counts(self) -> None:
        """
        Eight connections waiting, two at each of the four doors, fill a
        C{max_prelogin} of 8: the next is refused at every door, and the
        log has one line for all the refusals.
        """
        prelogin = self.world.server.prelogin
        telnet = [self.world.connect(f"10.14.0.{n}") for n in range(2)]
        secure = [self.secure() for _ in range(2)]
        web = [self.world.browse(f"10.15.0.{n}") for n in range(2)]
        shells = [self.knock() for _ in range(2)]
        self.assertTrue(all(client.connected for client in telnet + web))
        self.assertFalse(any(t.disconnecting for _, t in secure + shells))
        self.assertEqual(prelogin.doors, {"telnet": 2, "tls": 2, "web": 2, "ssh": 2})
        self.assertEqual(prelogin.total, 8)

        refused = self.world.connect("10.14.1.1")
        self.assertFalse(refused.connected)
        self.assertIn("Too many connections are waiting", refused.output())
        protocol, transport = self.secure()
        self.assertTrue(transport.disconnecting)
        protocol.connectionLost(None)
        self.assertFalse(self.world.browse("10.15.1.1", open=False).connected)
        protocol, transport = self.knock()
        self.assertTrue(transport.disconnecting)
        self.assertIn(b"Too many connections are waiting", transport.value())
        self.assertNotIn(b"SSH-", transport.value())
        protocol.connectionLost(None)
        # The refused are gone, and no longer counted.
        self.assertEqual(prelogin.total, 8)
        lines = self.logged.lines("refused")
        self.assertEqual(len(lines), 1, lines)
        self.assertIn("--max-prelogin", lines[0]["why"])

    def test_one_address_at_every_door(self) -> None:
        """
        One address may have C{prelogin_per_address} (4) connections
        waiting, at all doors together: its next is refused at every door,
        told why, while other addresses still come in; one of its own
        logging in makes room for it again.
        """
        prelogin = self.world.server.prelogin
        telnet = self.world.connect("10.17.0.1")
        secure = self.secure("10.17.0.1")
        web = self.world.browse("10.17.0.1")
        shell = self.knock("10.17.0.1")
        self.assertTrue(telnet.connected and web.connected)
        self.assertFalse(secure[1].disconnecting or shell[1].disconnecting)
        self.assertEqual(prelogin.waiting_from("10.17.0.1"), 4)

        refused = self.world.connect("10.17.0.1")
        self.assertFalse(refused.connected)
        self.assertIn("Too many connections from your address", refused.output())
        protocol, transport = self.secure("10.17.0.1")
        self.assertTrue(transport.disconnecting)
        protocol.connectionLost(None)
        self.assertFalse(self.world.browse("10.17.0.1", open=False).connected)
        protocol, transport = self.knock("10.17.0.1")
        self.assertTrue(transport.disconnecting)
        self.assertIn(b"Too many connections from your address", transport.value())
        self.assertNotIn(b"SSH-", transport.value())
        protocol.connectionLost(None)
        self.assertEqual(prelogin.waiting_from("10.17.0.1"), 4)
        self.assertTrue(self.world.connect("10.17.0.2").connected)
        lines = self.logged.lines("refused")
        self.assertIn("--prelogin-per-address", lines[0]["why"])

        telnet.send("create Carol correct horse")
        self.assertEqual(prelogin.waiting_from("10.17.0.1"), 3)
        self.assertTrue(self.world.connect("10.17.0.1").connected)

    def test_one_address_in_both_forms(self) -> None:
        """
        An IPv4 address is one address whether a door sees it as it is or,
        listening on IPv6 (C{--web-interface ::}), as an IPv4-mapped IPv6
        address (C{::ffff:10.18.0.1}): its connections are counted
        together, and the next in either form is refused.
        """
        prelogin = self.world.server.prelogin
        mapped = "::ffff:10.18.0.1"
        self.assertTrue(self.world.connect("10.18.0.1").connected)
        self.assertTrue(self.world.browse(mapped).connected)
        self.assertFalse(self.knock(mapped)[1].disconnecting)
        self.assertFalse(self.secure("10.18.0.1")[1].disconnecting)
        self.assertEqual(prelogin.waiting_from("10.18.0.1"), 4)
        self.assertFalse(self.world.browse(mapped, open=False).connected)
        self.assertFalse(self.world.connect(mapped).connected)
        self.assertTrue(self.knock(mapped)[1].disconnecting)
        self.assertNotIn(mapped, prelogin.addresses)

    def test_one_ipv6_network(self) -> None:
        """
        The addresses of one IPv6 /64 (what one machine, or one LAN, is
        given: an attacker has billions of them) count as one address: the
        next from any of them is refused at every door, and another /64
        still comes in.
        """
        prelogin = self.world.server.prelogin
        self.assertTrue(self.world.connect("2001:db8:1:2::1").connected)
        self.assertTrue(self.world.browse("2001:db8:1:2::2").connected)
        self.assertFalse(self.knock("2001:db8:1:2:ffff::3")[1].disconnecting)
        self.assertFalse(self.secure("2001:db8:1:2:1:2:3:4")[1].disconnecting)
        self.assertFalse(self.world.connect("2001:db8:1:2::5").connected)
        self.assertTrue(self.knock("2001:db8:1:2::6")[1].disconnecting)
        self.assertTrue(self.world.connect("2001:db8:1:3::1").connected)
        self.assertEqual(set(prelogin.addresses), {"2001:db8:1:2::/64", "2001:db8:1:3::/64"})

    def test_site_ban_in_both_forms(self) -> None:
        """
        A banned site (C{@sitelock 10.19.}) is refused at every door in
        either form of its addresses.
        """
        with self.world.store.turn() as turn:
            turn.root.settings[BANNED_SITES] = ("10.19.",)
        self.assertFalse(self.world.browse("::ffff:10.19.0.1").connected)
        self.assertFalse(self.world.connect("::ffff:10.19.0.2").connected)
        self.assertFalse(self.world.connect("10.19.0.3").connected)

    def test_garbage_address_is_counted_as_given(self) -> None:
        """
        An address that is no IP address (a UNIX socket's, a test's) is
        counted as it is.
        """
        self.assertTrue(self.world.connect("not an address").connected)
        self.assertEqual(self.world.server.prelogin.waiting_from("not an address"), 1)

    def test_failed_handshakes_not_counted(self) -> None:
        """
        A TLS connection whose handshake fails, and an SSH connection that
        gave its password but goes before its shell logs in, no longer
        wait: neither is counted once gone, nor counted twice.
        """
        prelogin = self.world.server.prelogin
        protocol, _transport = self.secure("10.27.0.1")
        protocol.connectionLost(Failure(SSL.Error([("SSL routines", "", "bad handshake")])))
        protocol.connectionLost(None)
        shell, _transport = self.knock("10.27.0.1")
        shell.avatar, shell.logoutFunction = object(), lambda: None
        self.assertEqual(prelogin.waiting_from("10.27.0.1"), 1)
        shell.connectionLost(None)
        shell.settle()
        self.assertEqual(prelogin.waiting_from("10.27.0.1"), 0)
        self.assertEqual(prelogin.total, 0)
        self.assertEqual(prelogin.doors, {})

    def test_refused_tls_without_handshake_is_cut(self) -> None:
        """
        A connection to the TLS port refused at once (its address has as
        many waiting as may) whose client never starts its handshake is cut
        at once, since the answer can never reach it: it is not left open,
        and counted against its address, for as long as the client likes.
        """
        folder = os.path.abspath(self.mktemp())
        os.makedirs(folder)
        cert = os.path.join(folder, "cert.pem")
        tls.self_signed(cert)
        context, _path = tls.server_options(cert, None)
        door = TLSMemoryBIOFactory(context, False, self.world.factory)
        transports = []
        for _ in range(5):
            transport = StringTransport(peerAddress=self.address("10.28.0.1"))
            protocol = door.buildProtocol(transport.getPeer())
            protocol.makeConnection(transport)
            transports.append(transport)
        self.assertEqual([t.disconnecting for t in transports], [False] * 4 + [True])

    def test_login_and_leaving_make_room(self) -> None:
        """
        A connection that logs in, or goes, no longer waits: the next may
        come in at any door.
        """
        prelogin = self.world.server.prelogin
        telnet = [self.world.connect(f"10.16.0.{n}") for n in range(4)]
        shells = [self.knock() for _ in range(4)]
        protocol, transport = self.knock()
        self.assertTrue(transport.disconnecting)
        protocol.connectionLost(None)
        telnet[0].send("create Carol correct horse")
        self.assertEqual(prelogin.doors, {"telnet": 3, "ssh": 4})
        self.assertTrue(self.world.browse("10.16.1.1").connected)
        self.assertFalse(self.world.connect("10.16.1.2").connected)
        protocol, _transport = shells[0]
        protocol.connectionLost(None)
        self.assertEqual(prelogin.doors, {"telnet": 3, "ssh": 3, "web": 1})
        protocol, transport = self.knock()
        self.assertFalse(transport.disconnecting)
        # Conch sets the transport's avatar (and how to log it out) once
        # the password is checked: it still waits, until its shell's
        # session has logged in.
        protocol.avatar, protocol.logoutFunction = object(), lambda: None
        self.assertEqual(prelogin.doors, {"telnet": 3, "ssh": 4, "web": 1})
        protocol.settle()
        self.assertEqual(prelogin.doors, {"telnet": 3, "ssh": 3, "web": 1})
        self.assertTrue(self.world.connect("10.16.1.3").connected)
        self.assertEqual(prelogin.total, 8)


class WebDropLogTests(TestCase):
    """
    Web connections closed for what they sent (a bad or refused request)
    are logged one line every few seconds, not one line each.
    """

    def test_bad_requests_bounded_lines(self) -> None:
        world = open_world(self)
        logged = Logged(self)
        for n in range(200):
            transport = StringTransport(peerAddress=IPv4Address("TCP", f"10.17.0.{n}", 4000))
            protocol = world.web.buildProtocol(transport.getPeer())
            protocol.makeConnection(transport)
            protocol.dataReceived(b"GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n"
                                  if n % 2 else b"\x00\x01garbage\r\n\r\n")
            self.assertTrue(transport.disconnecting)
            protocol.connectionLost(None)
        self.assertEqual(len(logged.about("10.17.")), 1, logged.about("10.17."))
        world.clock.advance(REFUSAL_LOG_INTERVAL)
        lines = logged.about("10.17.")
        self.assertEqual(len(lines), 2)
        self.assertEqual(lines[1]["count"], 199)


class PreloginDropLogTests(TestCase):
    """
    Connections dropped before they log in (garbage, too much input, no
    login in time) at every door are one count each in the server's
    L{DropLog}, logged a line every L{REFUSAL_LOG_INTERVAL} seconds with
    the counts by reason, not a line each.
    """

    def setUp(self) -> None:
        self.world = open_world(self)
        self.ssh = ssh_door(self, self.world)
        self.logged = Logged(self)

    def lines(self) -> list[dict]:
        """
        Every line the server or conch logged, but for debugging.
        """
        return [e for e in self.logged.events
                if e.get("log_level") not in (None, LogLevel.debug)
                and str(e.get("log_namespace", "")).startswith(("engine", "twisted.conch"))]

    def raw(self, factory: Any, address: str) -> tuple[Any, StringTransport]:
        transport = StringTransport(peerAddress=IPv4Address("TCP", address, 4000))
        protocol = factory.buildProtocol(transport.getPeer())
        protocol.makeConnection(transport)
        self.addCleanup(protocol.connectionLost, None)
        return protocol, transport

    def test_garbage_at_every_door(self) -> None:
        """
        A hundred connections at each door sending what the door cannot
        take are one log line, counting them by reason.
        """
        for n in range(100):
            protocol, transport = self.raw(self.world.factory, f"10.20.0.{n}")
            protocol.dataReceived(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            self.assertTrue(transport.disconnecting)
            protocol, transport = self.raw(self.ssh, f"10.21.0.{n}")
            protocol.dataReceived(b"x" * (ssh.PRELOGIN_INPUT + 1))
            self.assertTrue(transport.disconnecting)
            protocol.connectionLost(None)
            protocol, transport = self.raw(self.ssh, f"10.22.0.{n}")
            protocol.dataReceived(b"SSH-1.5-old\r\n")  # conch disconnects it
            protocol.receiveError(11, b"x" * 1000)
            protocol.connectionLost(None)
        drops = self.logged.lines("dropped")
        self.assertEqual(len(drops), 1, drops)
        self.assertEqual(self.lines(), drops)
        # The telnet connections told to close never went: each is cut,
        # a count in the log's lines, the first one in a new line with the
        # counts since the last.
        self.world.clock.advance(max(CLOSE_GRACE, REFUSAL_LOG_INTERVAL))
        drops = self.logged.lines("dropped")
        self.assertEqual(len(drops), 2)
        self.assertEqual(self.lines(), drops)
        self.assertGreaterEqual(drops[1]["count"], 299)
        self.assertIn("not closing within", drops[1]["why"])
        self.assertIn("HTTP request on the telnet port (99)", drops[1]["why"])
        self.assertIn("over 64 KiB", drops[1]["why"])
        self.assertIn("hanging up before logging in", drops[1]["why"])
        self.assertNotIn("xxx", drops[1]["why"])

    def test_login_timeouts_at_every_door(self) -> None:
        """
        A hundred connections at each door that never log in are, when
        their time is up, one log line for all of them.
        """
        telnet = [self.world.connect(f"10.23.0.{n}") for n in range(100)]
        web = [self.world.browse(f"10.24.0.{n}") for n in range(100)]
        shells = [self.raw(self.ssh, f"10.25.0.{n}") for n in range(100)]
        self.world.clock.advance(self.world.server.limits.login_timeout + 1)
        self.assertFalse(any(client.connected for client in telnet + web))
        self.assertTrue(all(transport.disconnecting for _, transport in shells))
        drops = self.logged.lines("dropped")
        self.assertEqual(len(drops), 1, drops)
        self.assertEqual(self.lines(), drops)

    def test_logged_in_disconnect_is_its_own_line(self) -> None:
        """
        A player who has logged in and is closed still gets a line of
        their own (players are bounded by accounts).
        """
        client = self.world.connect("10.26.0.1")
        client.send("create Dora correct horse")
        client.send("quit")
        self.assertEqual(self.logged.lines("dropped"), [])
        self.assertEqual(len(self.logged.lines("closing telnet connection")), 1)
