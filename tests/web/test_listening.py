"""
The web port's listening socket over the real reactor: a flood of
connections arriving together is taken a bounded number per turn of the
reactor, not all in one turn.
"""

from __future__ import annotations

import socket
from collections import Counter

from twisted.internet import defer, reactor, task
from twisted.internet.protocol import Factory, Protocol
from twisted.trial.unittest import TestCase

from engine.network import ACCEPTS_PER_TURN, BoundedPort, WebListener


class AcceptTests(TestCase):
    """
    L{WebListener} listens with a L{BoundedPort}.
    """

    @defer.inlineCallbacks
    def test_bounded_accepts_per_turn(self):
        """
        Sixty connections waiting in the backlog at once are all taken, at
        most L{ACCEPTS_PER_TURN} in one turn of the reactor.
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

        listener = WebListener(0, Factory.forProtocol(Counted), interface="127.0.0.1",
                               backlog=128, reactor=reactor)
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
