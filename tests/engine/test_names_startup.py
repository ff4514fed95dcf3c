"""
The server listens before it reads the world's stored names again under new
rules of names (L{world.names.rules_changed}): that reading runs a page a
reactor turn after start, while the server plays, so a large world starts
listening at once.
"""

from __future__ import annotations

from twisted.internet.testing import MemoryReactorClock
from twisted.logger import LogLevel, formatEvent, globalLogPublisher
from twisted.trial.unittest import TestCase

from engine import tap
from world import names
from world.objects import Room, Thing


class NamesAfterListeningTests(TestCase):
    """
    The start-up reading of names comes after the listeners, in turns.
    """

    def setUp(self) -> None:
        self.reactor = MemoryReactorClock()
        options = tap.Options()
        options.parseOptions(["--memory", "--port", "0", "--content", ""])
        self.top = tap.makeService(options, self.reactor)
        self.world = self.top.getServiceNamed("world")
        with self.world.store.turn() as turn:
            hall = turn.root.create(Room, "Hall")
            self.forged = [turn.root.create(Thing, f"Session {n}", location=hall).id
                           for n in range(5)]
        self.events: list = []
        globalLogPublisher.addObserver(self.events.append)
        self.addCleanup(globalLogPublisher.removeObserver, self.events.append)

    def warnings(self) -> list[str]:
        return [formatEvent(e) for e in self.events if e.get("log_level") == LogLevel.warn
                and "rules of names" in formatEvent(e)]

    def changed(self) -> bool:
        with self.world.store.turn() as turn:
            return names.rules_changed(turn.root)

    def test_listens_first_then_reads_a_page_a_turn(self) -> None:
        """
        Right after start the telnet port listens and no name has been
        read; each later reactor turn reads one page, until every refused
        name is logged once and the rules are marked read.
        """
        self.patch(tap, "NAMES_PAGE", 2)
        self.top.startService()
        self.addCleanup(self.top.stopService)
        self.assertEqual(len(self.reactor.tcpServers), 1)
        self.assertTrue(self.top.getServiceNamed("telnet").running)
        self.assertEqual(self.warnings(), [])
        self.assertTrue(self.changed())
        pending = [c for c in self.reactor.getDelayedCalls() if c.func == self.world._names_turn]
        self.assertEqual(len(pending), 1)
        pages: list[int] = []
        scheduled: list[int] = []
        page, later = self.world._names_page, self.reactor.callLater

        def counted_page(start: int) -> int | None:
            pages.append(start)
            return page(start)

        def counted_later(delay: float, f: object, *a: object) -> object:
            if f == self.world._names_turn:
                scheduled.append(len(pages))
            return later(delay, f, *a)

        self.patch(self.world, "_names_page", counted_page)
        self.patch(self.reactor, "callLater", counted_later)
        self.reactor.advance(0)
        # Every page but the last scheduled the next as a call of its own.
        self.assertGreater(len(pages), 2)
        self.assertEqual(scheduled, list(range(1, len(pages))))
        said = self.warnings()
        self.assertEqual(len(said), len(self.forged), said)
        for ref, line in zip(self.forged, said, strict=True):
            self.assertIn(f"#{ref} is called 'Session ", line)
        self.assertFalse(self.changed())

    def test_stopped_midway_reads_again_next_start(self) -> None:
        """
        A server stopped before the reading is done leaves nothing
        scheduled and the rules unread, so its next start reads them all.
        """
        self.patch(tap, "NAMES_PAGE", 2)
        self.top.startService()
        names_call = self.world._names_call
        self.assertIsNotNone(names_call)
        store = self.world.store
        self.addCleanup(store.close)
        self.patch(store, "close", lambda: None)  # keep the memory world for the next start
        self.top.stopService()
        self.assertFalse(names_call.active())
        with store.turn() as turn:
            self.assertTrue(names.rules_changed(turn.root))
        del self.events[:]
        again = tap.WorldService(store, "")
        again.startService()
        self.assertEqual(len(self.warnings()), len(self.forged))
        with store.turn() as turn:
            self.assertFalse(names.rules_changed(turn.root))
