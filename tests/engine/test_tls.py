"""
Telnet over TLS (L{engine.tls}): the certificate, a real TLS client logging
in and playing, and hostile input on the TLS port.
"""

from __future__ import annotations

import os
import socket
import ssl
import time

from twisted.internet import threads
from twisted.internet.address import IPv4Address
from twisted.internet.error import ConnectionDone
from twisted.internet.testing import StringTransport
from twisted.protocols.tls import TLSMemoryBIOFactory
from twisted.python import usage
from twisted.python.failure import Failure
from twisted.trial.unittest import TestCase

from engine import tls
from engine.limits import Limits
from engine.protocols import door, telnet
from engine.tap import Options
from engine.testing import LiveServer, TestWorld

#: The start of a TLS ClientHello, cut short (a client that stalls mid-handshake).
HALF_HELLO = b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 16


class CertificateTests(TestCase):
    def test_self_signed_made_once(self) -> None:
        """Without --tls-cert a self-signed certificate is made beside the database, once."""
        folder = os.path.abspath(self.mktemp())
        db = os.path.join(folder, "world.fs")
        options, path = tls.server_options(None, db)
        self.assertEqual(path, os.path.join(folder, tls.SELF_SIGNED))
        self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)
        with open(path, "rb") as pem:
            first = pem.read()
        self.assertIn(b"BEGIN CERTIFICATE", first)
        self.assertIn(b"PRIVATE KEY", first)
        tls.server_options(None, db)
        with open(path, "rb") as pem:
            self.assertEqual(pem.read(), first)
        self.assertIsNotNone(options.getContext())

    def test_memory_world_uses_var(self) -> None:
        """A world in memory keeps its certificate in var/."""
        self.assertEqual(tls.default_path(None),
                         os.path.join(os.path.abspath("var"), tls.SELF_SIGNED))

    def test_bad_certificates(self) -> None:
        """A missing or useless --tls-cert is one clear error."""
        missing = os.path.join(self.mktemp(), "nope.pem")
        with self.assertRaises(tls.CertificateError) as caught:
            tls.server_options(missing, None)
        self.assertIn("cannot read the TLS certificate", str(caught.exception))
        junk = self.mktemp()
        with open(junk, "wb") as out:
            out.write(b"-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
        with self.assertRaises(tls.CertificateError) as caught:
            tls.server_options(junk, None)
        self.assertIn("no usable TLS certificate", str(caught.exception))

    def test_port_option(self) -> None:
        """--tls-port takes a port number."""
        with self.assertRaises(usage.UsageError):
            Options().parseOptions(["--tls-port", "70000"])
        options = Options()
        options.parseOptions(["--tls-port", "4443", "--tls-cert", "x.pem"])
        self.assertEqual((options["tls-port"], options["tls-cert"]), (4443, "x.pem"))


def play_over_tls(port: int) -> str:
    """
    A real TLS client (the standard library's): create a character, look,
    ask for MSSP, quit; return everything it read. Runs in a thread.
    """
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the server's certificate is self-signed
    received = b""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as raw, \
            context.wrap_socket(raw, server_hostname="localhost") as conn:

        def until(wanted: bytes) -> None:
            nonlocal received
            while wanted not in received:
                data = conn.recv(65536)
                if not data:
                    raise AssertionError(f"closed before {wanted!r}: {received!r}")
                received += data

        until(b"connect <name> <password>")
        conn.sendall(b"create Alice correct horse\r\n")
        until(b"Welcome, Alice!")
        conn.sendall(b"look\r\nMSSP-REQUEST\r\n")
        until(b"MSSP-REPLY-END")
        conn.sendall(b"quit\r\n")
        until(b"Goodbye")
        # The server closes the connection (TLS's close, then TCP's) at once.
        while data := conn.recv(65536):
            received += data
    return received.decode("utf-8", "replace")


class LiveTLSTests(TestCase):
    timeout = 60

    async def test_login_and_play(self) -> None:
        """
        A real TLS client logs in, runs a command, MSSP names the TLS port,
        and quit closes the connection at once (not when a grace runs out).
        """
        self.patch(door, "CLOSE_GRACE", 3600.0)
        cert = self.mktemp()
        tls.self_signed(cert)
        server = LiveServer("--memory", "--content", "", "--tls-port", "0", "--tls-cert", cert)
        server.start()
        self.addCleanup(server.stop)
        port = server.service.getServiceNamed("tls").port
        text = await threads.deferToThread(play_over_tls, port)
        self.assertIn("Limbo", text)  # look's answer
        self.assertIn(f"SSL\t{port}", text)


def flood_over_tls(port: int) -> bool:
    """
    Shake hands, then send NULs without end and never read; whether the
    server closed the connection within two minutes. Runs in a thread.

    Timed, not counted: the sends fill the kernel's buffers (megabytes on
    loopback) before they block, so a count of sends could end before the
    server's login timeout has even come on a busy machine.
    """
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", port), timeout=20) as raw, \
            context.wrap_socket(raw, server_hostname="localhost") as conn:
        conn.settimeout(0.5)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                conn.sendall(b"\0" * 16384)
            except TimeoutError:
                pass  # the server reads no more: its budget is spent
            except (OSError, ssl.SSLError):
                return True
        return False


class LiveHostileTLSTests(TestCase):
    timeout = 300

    async def test_flooding_client_closed_at_the_timeout(self) -> None:
        """
        A TLS client that floods and never reads is closed at the login
        timeout, not left until a grace runs out (TLS's close would wait
        for the client's, which it never reads).
        """
        self.patch(door, "CLOSE_GRACE", 3600.0)
        cert = self.mktemp()
        tls.self_signed(cert)
        server = LiveServer("--memory", "--content", "", "--tls-port", "0", "--tls-cert", cert,
                            "--login-timeout", "1")
        server.start()
        self.addCleanup(server.stop)
        port = server.service.getServiceNamed("tls").port
        self.assertTrue(await threads.deferToThread(flood_over_tls, port))


class HostileTLSTests(TestCase):
    def setUp(self) -> None:
        self.world = TestWorld(limits=Limits(login_timeout=10, max_prelogin=3))
        self.addCleanup(self.world.close)
        cert = self.mktemp()
        tls.self_signed(cert)
        self.factory = TLSMemoryBIOFactory(tls.server_options(cert, None)[0], False,
                                           self.world.factory)
        self.connections: list = []

    def connect(self, port: int) -> tuple:
        address = IPv4Address("TCP", "192.0.2.7", port)
        protocol = self.factory.buildProtocol(address)
        transport = StringTransport(peerAddress=address)
        protocol.makeConnection(transport)
        self.connections.append(protocol)
        return protocol, transport

    def test_garbage_is_dropped(self) -> None:
        """Bytes that are no TLS close the connection, with no traceback logged."""
        for port, junk in enumerate([b"GET / HTTP/1.0\r\n\r\n", b"\xff" * 5000,
                                     b"\x16\x03\x01\x00\x05hello" + b"\x00" * 100,
                                     b"\x16\x03\x03\xff\xff" + b"A" * 70000]):
            _, transport = self.connect(port + 1)
            self.connections[-1].dataReceived(junk)
            self.assertTrue(transport.disconnecting, junk[:20])

    def test_half_handshake_is_cut(self) -> None:
        """A client that stalls mid-handshake is closed at the login timeout, for sure."""
        protocol, transport = self.connect(1)
        protocol.dataReceived(HALF_HELLO)
        self.world.clock.advance(10)  # the login timeout: told to close...
        self.world.clock.advance(telnet.CLOSE_GRACE)  # ...and cut when it cannot
        self.assertTrue(transport.disconnecting)
        protocol.connectionLost(Failure(ConnectionDone()))
        self.assertEqual(len(self.world.factory.open), 0)

    def test_half_handshake_is_cut_at_the_timeout(self) -> None:
        """A TLS handshake unfinished at the login timeout is cut then: nothing can be said."""
        protocol, transport = self.connect(1)
        protocol.dataReceived(HALF_HELLO)
        self.world.clock.advance(10)
        self.assertTrue(transport.disconnected)  # aborted (StringTransport says so thus)

    def test_slow_handshakes_share_the_prelogin_bound(self) -> None:
        """Stalled TLS clients count with telnet's waiting connections: past the bound, no more."""
        for port in range(3):
            self.connect(port + 1)[0].dataReceived(HALF_HELLO)
        telnet_player = self.world.connect()
        self.assertIn("Too many connections are waiting", telnet_player.output())
        self.assertFalse(telnet_player.connected)
