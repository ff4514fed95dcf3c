"""
Connections waiting for the budget all connections before login share
(C{--prelogin-input-rate}) each parse a chunk worth a parser's call when
their turn comes, not the few bytes another waiting connection left: under
a flood of anonymous connections, each scrap cost a parser's call (a
websocket frame parser's, for the web port) for a few bytes, and the web
port's attacked server spent its time in them.
"""

from __future__ import annotations

from typing import Any

from twisted.internet.address import IPv4Address
from twisted.internet.task import Clock
from twisted.internet.testing import StringTransport
from twisted.trial.unittest import TestCase

from engine.interfaces import ClientInfo
from engine.limits import Limits
from engine.protocols.door import FREE, SHARED_CHUNK, Door, SharedBudget


class Factory:
    """
    What a door needs of its factory: limits, a clock, the shared budget.
    """

    def __init__(self, clock: Clock, rate: int) -> None:
        self.limits = Limits()
        self.clock = clock
        self.prelogin_budget = SharedBudget(clock, rate, rate)
        self.open: set[Door] = set()
        self.drops = None

    def charge(self, size: int) -> bool:
        return False


class Counting(Door):
    """
    A door whose parser notes the size of each chunk it is given.
    """

    def __init__(self, factory: Factory) -> None:
        super().__init__(factory)
        self.chunks: list[int] = []

    @property
    def address(self) -> str:
        return "192.0.2.1"

    @property
    def client(self) -> ClientInfo:
        return ClientInfo(address="192.0.2.1")

    def _parse(self, chunk: bytes) -> None:
        self.chunks.append(len(chunk))

    def _kind(self, item: Any) -> str:
        return FREE

    def _handle(self, item: Any) -> None:
        pass

    def connectionLost(self, reason: Any = None) -> None:
        self._gone(reason)


class SharedChunkTests(TestCase):
    def test_waiting_connections_parse_whole_chunks(self) -> None:
        """
        Eight connections before login each send 4 KiB at once, past the
        shared budget: each chunk parsed is at least L{SHARED_CHUNK} bytes,
        and every byte is parsed in the end.
        """
        clock = Clock()
        factory = Factory(clock, 1024)
        doors = []
        for _ in range(8):
            door = Counting(factory)
            door.makeConnection(StringTransport(peerAddress=IPv4Address("TCP", "192.0.2.1", 1)))
            door.dataReceived(b"x" * 4096)
            doors.append(door)
        for _ in range(6000):
            clock.advance(0.01)
        for door in doors:
            self.assertEqual(sum(door.chunks), 4096)
            self.assertGreaterEqual(min(door.chunks), SHARED_CHUNK, door.chunks)


class FirstComeTests(TestCase):
    def test_waiting_connections_are_served_in_order(self) -> None:
        """
        A connection waiting for the shared budget with 4 KiB to parse is
        served in its turn while three others keep sending 100 bytes every
        tenth of a second, more than the budget allows: it is not starved
        by connections whose smaller needs came due sooner, and they are
        served too.
        """
        clock = Clock()
        factory = Factory(clock, 1024)
        factory.prelogin_budget.take(factory.prelogin_budget.available())

        def connect() -> Counting:
            door = Counting(factory)
            door.makeConnection(StringTransport(peerAddress=IPv4Address("TCP", "192.0.2.1", 1)))
            return door

        patient = connect()
        patient.dataReceived(b"x" * 4096)
        eager = [connect() for _ in range(3)]
        for _ in range(300):
            for door in eager:
                door.dataReceived(b"y" * 100)
            clock.advance(0.1)
        self.assertEqual(sum(patient.chunks), 4096)
        for door in eager:
            self.assertGreaterEqual(sum(door.chunks), 4096, door.chunks)

    def test_a_connection_gone_leaves_the_line(self) -> None:
        """
        A connection that goes while first in line waits no more: the one
        behind it is served in its place, and the line is empty after.
        """
        clock = Clock()
        factory = Factory(clock, 1024)
        factory.prelogin_budget.take(factory.prelogin_budget.available())
        doors = []
        for _ in range(2):
            door = Counting(factory)
            door.makeConnection(StringTransport(peerAddress=IPv4Address("TCP", "192.0.2.1", 1)))
            door.dataReceived(b"x" * 1024)
            doors.append(door)
        first, second = doors
        self.assertEqual(list(factory.prelogin_budget.waiting), doors)
        first.connectionLost()
        self.assertEqual(list(factory.prelogin_budget.waiting), [second])
        clock.advance(1.0)
        self.assertEqual((sum(first.chunks), sum(second.chunks)), (0, 1024))
        self.assertEqual(list(factory.prelogin_budget.waiting), [])
