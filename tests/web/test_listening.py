"""
Every door's listening socket over the real reactor (telnet, TLS, SSH and
the web port): a flood of connections arriving together is taken a bounded
number per turn of the reactor, not all in one turn.
"""

from __future__ import annotations

import os
import socket
from collections import Counter
from typing import Any

from twisted.internet import defer, reactor, task
from twisted.internet.protocol import Factory, Protocol
from twisted.trial.unittest import TestCase

from engine import ssh, tls
from engine.network import ACCEPTS_PER_TURN, BoundedPort, TelnetListener, WebListener


class AcceptTests(TestCase):
    """
    Every door listens with a L{BoundedPort}.
    """

    @defer.inlineCallbacks
    def bounded(self, listen: Any) -> Any:
        """
        Sixty connections waiting in the backlog at once of the listener
        C{listen} makes (given a factory) are all taken, at most
        L{ACCEPTS_PER_TURN} in one turn of the reactor.
        """
        turn = [0]
        original = reactor.runUntilCurrent

        def counting() -> None:
            turn[0] += 1
            original()

        self.patch(reactor, "runUntilCurrent", counting)
        made: Counter[int] = Counter()

        class Counted(Protocol):
            def connectionMade(self) -> None:
                made[turn[0]] += 1

        listener = listen(Factory.forProtocol(Counted))
        listener.startService()
        self.addCleanup(listener.stopService)
        self.assertIsInstance(listener._port, BoundedPort)
        clients = [socket.create_connection(("127.0.0.1", listener.port), timeout=10)
                   for _ in range(60)]  # the system completes them; none is accepted yet
        for client in clients:
            self.addCleanup(client.close)
        for _ in range(500):
            if sum(made.values()) == 60:
                break
            yield task.deferLater(reactor, 0.01, lambda: None)
        self.assertEqual(sum(made.values()), 60)
        self.assertLessEqual(max(made.values()), ACCEPTS_PER_TURN, made)
        self.assertGreater(len(made), 60 // ACCEPTS_PER_TURN)

    def test_web(self) -> Any:
        """
        The web port takes a flood of connections a bounded number per turn.
        """
        return self.bounded(lambda factory: WebListener(
            0, factory, interface="127.0.0.1", backlog=128, reactor=reactor))

    def test_telnet(self) -> Any:
        """
        The telnet port takes a flood of connections a bounded number per turn.
        """
        return self.bounded(lambda factory: TelnetListener(
            0, factory, interface="127.0.0.1", backlog=128, reactor=reactor))

    def test_ssh(self) -> Any:
        """
        The SSH port takes a flood of connections a bounded number per turn.
        """
        return self.bounded(lambda factory: ssh.SSHListener(
            0, factory, interface="127.0.0.1", backlog=128, reactor=reactor))

    def test_tls(self) -> Any:
        """
        The TLS port takes a flood of connections a bounded number per turn
        (each is taken before its handshake).
        """
        folder = os.path.abspath(self.mktemp())
        os.makedirs(folder)
        cert = os.path.join(folder, "cert.pem")
        tls.self_signed(cert)
        context, _path = tls.server_options(cert, None)
        return self.bounded(lambda factory: tls.TLSListener(
            0, factory, context, interface="127.0.0.1", backlog=128, reactor=reactor))
