"""
A connection whose setup fails (a bug, or a transport that raises) is
cut and no longer counted, at every door (telnet, TLS, web, SSH): it does
not hold a place of C{--max-prelogin} or C{--prelogin-per-address} for as
long as its client keeps it open.
"""

from __future__ import annotations

from typing import Any

from twisted.internet.address import IPv4Address
from twisted.internet.interfaces import ISSLTransport
from twisted.internet.testing import StringTransport
from twisted.trial.unittest import TestCase
from zope.interface import directlyProvides

from engine.limits import Limits
from engine.testing import TestWorld
from tests.engine.test_refusals import Logged, ssh_door


class Broken(Exception):
    """
    What the broken transport raises.
    """


class BrokenTransport(StringTransport):
    """
    A transport that raises once the door sets up an admitted connection:
    registering the door as its producer (telnet, web) or writing (SSH's
    version string).
    """

    def registerProducer(self, producer: Any, streaming: bool) -> None:
        raise Broken("no producer")

    def write(self, data: bytes) -> None:
        raise Broken("no write")


class SetupTests(TestCase):
    def setUp(self) -> None:
        self.world = TestWorld(build=None, limits=Limits(
            max_prelogin=2, prelogin_per_address=1, connection_rate=10_000,
            connection_burst=10_000, connections_per_minute=10_000))
        self.addCleanup(self.world.close)
        self.ssh = ssh_door(self, self.world)
        self.logged = Logged(self)

    def open(self, factory: Any, host: str, transport: StringTransport | None = None,
             secure: bool = False) -> tuple[Any, StringTransport]:
        transport = transport or BrokenTransport()
        transport.peerAddr = IPv4Address("TCP", host, 4000)
        if secure:
            directlyProvides(transport, ISSLTransport)
        protocol = factory.buildProtocol(transport.getPeer())
        return protocol, transport

    def check(self, protocol: Any, transport: StringTransport) -> None:
        """
        C{protocol}'s setup fails: it is cut and no longer counted (nor
        counted again when it goes), with one line in the log, and the
        next from its address is let in.
        """
        protocol.makeConnection(transport)
        prelogin = self.world.server.prelogin
        self.assertTrue(transport.disconnecting)
        self.assertEqual((prelogin.total, prelogin.addresses, prelogin.doors), (0, {}, {}))
        failures = self.traced()
        self.assertEqual(len(failures), 1, failures)
        self.assertIn("Broken", failures[0]["traceback"])
        protocol.dataReceived(b"connect Alice correct horse\r\n")
        protocol.connectionLost(None)
        self.assertEqual(prelogin.total, 0)
        self.assertTrue(self.world.connect("10.60.0.1").connected)
        self.assertEqual(prelogin.waiting_from("10.60.0.1"), 1)

    def traced(self) -> list[dict]:
        """
        The lines logging a failed setup with its traceback.
        """
        return [e for e in self.logged.events
                if str(e.get("kind", "")).startswith("setting up a ") and "traceback" in e]

    def test_telnet(self) -> None:
        self.check(*self.open(self.world.factory, "10.60.0.1"))

    def test_one_traceback_per_door(self) -> None:
        """
        A setup that fails for every new connection logs its traceback the
        first time at each door, and then a count every few seconds: a
        flood of connections is not a flood of tracebacks.
        """
        for n in range(20):
            for door in (self.world.factory, self.world.web, self.ssh):
                protocol, transport = self.open(door, f"10.61.0.{n}")
                protocol.makeConnection(transport)
                self.assertTrue(transport.disconnecting)
                protocol.connectionLost(None)
        self.assertEqual(sorted(e["kind"] for e in self.traced()),
                         ["setting up a ssh connection", "setting up a telnet connection",
                          "setting up a web connection"])
        self.world.clock.advance(11)
        counted = [e for e in self.logged.events
                   if str(e.get("what", "")).startswith("time(s) more")]
        # The first line at once, then one for all of those within 10 seconds.
        self.assertLessEqual(len(counted), 2, counted)
        self.assertEqual(sum(e["count"] for e in counted), 57)
        self.assertIn("setting up a web connection", counted[-1]["why"])

    def test_tls(self) -> None:
        self.check(*self.open(self.world.factory, "10.60.0.1", secure=True))

    def test_telnet_session(self) -> None:
        """
        The session the telnet door makes for a connection fails.
        """
        protocol, transport = self.open(self.world.factory, "10.60.0.1", StringTransport())

        def broken(client: Any) -> Any:
            raise Broken("no session")

        protocol.session_factory = broken
        self.check(protocol, transport)

    def test_web(self) -> None:
        self.check(*self.open(self.world.web, "10.60.0.1"))

    def test_ssh(self) -> None:
        self.check(*self.open(self.ssh, "10.60.0.1"))
