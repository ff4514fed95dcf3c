"""
The TLS and SSH ports against random hostile input over real sockets, in
the slow tier (C{make test-slow}, and CI): garbage, garbage after a valid
start, half handshakes, and clients that go silent. Afterwards every hostile
connection must be gone (nothing stuck), nothing may have been logged as an
error (trial fails a test that logs one), and a player must still log in.

The deterministic cases are in L{tests.engine.test_tls} and
L{tests.engine.test_ssh}; these sample the space around them.
"""

from __future__ import annotations

import os
import socket
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from twisted.internet import reactor, threads
from twisted.internet.task import deferLater
from twisted.trial.unittest import TestCase

from engine import ssh, tls
from engine.testing import LiveServer

#: Starts that get past the first checks of each protocol.
TLS_STARTS = [b"", b"\x16\x03\x01", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
              b"\x15\x03\x03\x00\x02\x02\x28"]
SSH_STARTS = [b"", b"SSH-2.0-fuzz\r\n", b"SSH-2.0-fuzz\r\n\x00\x00\x01\x0c\x0a\x14",
              b"SSH-2.0-fuzz\r\n\x00\x00\x00\x1c\x06\x05\x00\x00\x00\x0cssh-userauth"]


def hit(port: int, start: bytes, junk: bytes, hang: bool) -> None:
    """
    Send C{start} and C{junk}; then hang up, or (C{hang}) go silent and
    leave the server to close the connection.
    """
    conn = socket.create_connection(("127.0.0.1", port), timeout=5)
    try:
        conn.sendall(start + junk)
        if hang:
            conn.settimeout(15)
            try:
                while conn.recv(65536):
                    pass
            except (TimeoutError, ConnectionResetError):
                pass
    except (ConnectionResetError, BrokenPipeError):
        pass  # the server closed first: fine
    finally:
        conn.close()


def fuzz(port: int, starts: list[bytes]) -> None:
    @settings(max_examples=60, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(start=st.sampled_from(starts), junk=st.binary(max_size=3000),
           hang=st.just(False))
    def run(start: bytes, junk: bytes, hang: bool) -> None:
        hit(port, start, junk, hang)

    run()
    # A few that go silent mid-handshake: the login timeout must close them.
    for start in starts[1:]:
        hit(port, start, b"", True)


class SecureDoorFuzzTests(TestCase):
    timeout = 600

    async def test_tls_and_ssh_survive(self) -> None:
        """Random hostile input on both ports leaves nothing stuck and nothing logged."""
        folder = os.path.abspath(self.mktemp())
        os.makedirs(folder)
        cert = os.path.join(folder, "tls.pem")
        tls.self_signed(cert)
        _key, key = ssh.host_key(None, os.path.join(folder, "world.fs"))
        server = LiveServer("--memory", "--content", "", "--tls-port", "0", "--tls-cert", cert,
                            "--ssh-port", "0", "--ssh-key", key, "--login-timeout", "3",
                            "--connections-per-minute", "100000")
        server.start()
        self.addCleanup(server.stop)
        tls_port = server.service.getServiceNamed("tls").port
        ssh_port = server.service.getServiceNamed("ssh").port
        await threads.deferToThread(fuzz, tls_port, TLS_STARTS)
        await threads.deferToThread(fuzz, ssh_port, SSH_STARTS)
        doors = [server.service.getServiceNamed(name).args[1] for name in ("telnet", "ssh")]
        deadline = time.monotonic() + 30
        while any(door.connections for door in doors) and time.monotonic() < deadline:
            await deferLater(reactor, 0.2, lambda: None)
        self.assertEqual([door.connections for door in doors], [0, 0])
        player = await server.connect()
        player.send("create Alice correct horse")
        await player.expect("Welcome, Alice!")
