"""
The front door under attack (issue 14), over real sockets: every attack
class thrown at C{tessera run} with its default limits, while a quiet player
in the world keeps typing C{look}.

What is asserted: no crash and no traceback in the server's log; its memory
(RSS) back within a small margin of where it started; the quiet player's
round trip under attack within twice its round trip without (medians of
many samples taken in alternating quiet and attacked phases of the same run,
so that the machine's own load, shared with other work, falls on both
alike; the long form allows 5 ms more, the short form 20 ms, L{SLACK}); and, without any clock,
that the server's work is fair: while floods run, no connection does more
than its bounded share of work in one turn of the reactor, and the quiet
player's command is answered within a few turns.

The short form runs in C{make test}; C{make fuzz} runs the long form
(C{TESSERA_FUZZ=long}: minutes of attacks, thousands of generated streams)
and prints the figures docs/reliability.md records.
"""

from __future__ import annotations

import errno
import os
import socket
import statistics
import time
from collections import defaultdict

from hypothesis import HealthCheck, example, given, settings
from twisted.internet import defer, reactor, task
from twisted.internet.endpoints import TCP4ClientEndpoint, connectProtocol
from twisted.trial.unittest import TestCase

from engine.protocols import door, telnet
from engine.protocols.telnetcodec import TelnetParser
from engine.testing import LiveServer
from tests.fuzz import attacks
from tests.fuzz.harness import PACE, Attackers, Player, Server, figures, phased
from tests.fuzz.streams import packets, telnet_streams
from tests.protocols.test_front_door import Flooder

LONG = os.environ.get("TESSERA_FUZZ") == "long"
#: Attacked phases, and seconds each (quiet phases are half as long).
PHASES, PHASE_SECONDS = (10, 30.0) if LONG else (2, 6.0)
#: Attack slots at once: one per class, so that every class runs in every
#: phase.
SLOTS = len(attacks.ATTACKS)
#: Seconds the quiet player's attacked median may exceed twice its quiet one:
#: in the long form 5 ms (the attack clients run on the same 2 cores as the
#: server and the player, and the web port's floods of frames keep the server
#: reading at its bounded share every turn: CI's run of 2026-12-06 had a
#: median of 2.4 ms against 1.0 quiet, with nothing stalled); in the short form
#: (a phase or two of a few seconds, on a machine that runs other tests)
#: 20 ms, as tests/redteam_world's stall tests allow. Both are far below the
#: hundreds of ms a stall costs.
SLACK = 0.005 if LONG else 0.02
#: How far above its starting point the server's RSS may end.
RSS_MARGIN = 8 * 1024 * 1024


def report(title: str, figures: dict) -> None:
    """
    Print C{figures} in the long form (they go in docs/reliability.md).
    """
    if LONG:
        print(f"\n== {title} ==")
        for key, value in figures.items():
            print(f"  {key}: {value}")


class AttackTests(TestCase):
    """
    Every attack class at once against C{tessera run}, with a quiet player.
    """

    timeout = 3600 if LONG else 300

    def test_every_class_at_once(self):
        """
        Under every attack class at once (SLOTS connections, and twenty more
        for slowloris, reconnecting whenever dropped): the server never
        crashes or logs a traceback, drops the abusive connections with a
        reason, ends within RSS_MARGIN of its starting RSS, and answers the
        quiet player's C{look} within twice its quiet round trip (median;
        plus L{SLACK}).
        """
        server = Server()
        port = server.start()
        self.addCleanup(server.kill)
        player = Player(port)
        self.addCleanup(player.close)
        self.assertIn(b"Limbo", player.create("Quiet"))
        for _ in range(30):  # what the first commands allocate is not the attacks'
            player.round_trip()
        run = phased(server, player, PHASES, PHASE_SECONDS, lambda: server.settle(1),
                     lambda phase: Attackers(port, PHASE_SECONDS, SLOTS, seed=phase),
                     self.addCleanup)
        quiet, attacked, classes, (before, peak, after), status = run
        # Before login, drops are counted by reason a line every 10 seconds.
        drops = [line.split(": ", 1)[1].strip() for line in server.lines
                 if "dropping" in line or "dropped " in line]
        shown = figures(f"{PHASES} attacked x {PHASE_SECONDS:g} s, {SLOTS} slots", classes,
                        len(drops), (before, peak, after), quiet, attacked)
        report("front door", shown)
        self.assertEqual(status, 0, server.log[-5000:])
        self.assertEqual(server.problems(), [])
        self.assertEqual(set(classes), set(attacks.ATTACKS))
        self.assertTrue(all(row["connections"] for row in classes.values()), classes)
        self.assertTrue(any("negotiation storm" in drop for drop in drops), drops[:20])
        self.assertTrue(any("subnegotiation over" in drop for drop in drops), drops[:20])
        self.assertLess(after - before, RSS_MARGIN, (before, peak, after))
        self.assertLessEqual(statistics.median(attacked), 2 * statistics.median(quiet) + SLACK,
                             (shown["quiet look ms"], shown["attacked look ms"]))


class GeneratedStreamTests(TestCase):
    """
    Generated telnet streams (hypothesis) against C{tessera run}.
    """

    timeout = 3600 if LONG else 300

    def setUp(self):
        # One server for all the examples (hypothesis runs them in one call
        # of the test method).
        self.server = Server()
        self.port = self.server.start()
        self.addCleanup(self.server.kill)
        self.addCleanup(self.stopped)
        self.player = Player(self.port)
        self.addCleanup(self.player.close)
        self.player.create("Watcher")
        self.address = 2
        self.streams = 0
        self.last = 0.0

    def stopped(self) -> None:
        """
        The server stops cleanly when asked, having logged no problem.
        """
        report("generated streams", {"streams": self.streams})
        self.assertEqual(self.server.stop(), 0, self.server.log[-3000:])
        self.assertEqual(self.server.problems(), [])

    def source(self) -> str:
        """
        The next loopback address (so that the per-address connection rate
        is not what the streams meet).
        """
        self.address = 2 if self.address >= 254 else self.address + 1
        return f"127.0.0.{self.address}"

    @settings(max_examples=2000 if LONG else 60, deadline=None, derandomize=not LONG,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(telnet_streams())
    # One packet far over the subnegotiation limit: the server drops it
    # while the client still writes or is about to shut down its side.
    @example((b"\xff\xfa" + b"\x00" * 40_000, []))
    def test_any_stream(self, example):
        """
        Whatever telnet stream a client sends, cut into whatever packets:
        the server reads it to the end (answering or dropping it), stays up,
        logs no traceback, and the player in the world is answered.
        """
        stream, cuts = example
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=30,
                                        source_address=(self.source(), 0))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            for packet in packets(stream, cuts):
                sock.sendall(packet)
            sock.shutdown(socket.SHUT_WR)
            # The server reads everything before the end of the stream, then
            # closes: reading to the end waits for it to have done so.
            while sock.recv(65536):
                pass
        except OSError as error:
            # Dropped, as a client over a limit is: the reset reaches
            # whichever call comes next, and a shutdown after it finds the
            # connection already gone (ENOTCONN).
            if not isinstance(error, ConnectionError) and error.errno != errno.ENOTCONN:
                raise
        finally:
            sock.close()
        self.streams += 1
        self.assertTrue(self.server.alive, self.server.log[-3000:])
        time.sleep(max(0.0, self.last + PACE - time.monotonic()))  # a player's pace
        self.assertIn(b"Limbo", self.player.command("look"))
        self.last = time.monotonic()
        self.assertEqual(self.server.problems(), [])


class FairTurnTests(TestCase):
    """
    Fairness without a clock: the work of each turn of the reactor, counted.
    """

    timeout = 300

    @defer.inlineCallbacks
    def test_bounded_work_per_turn(self):
        """
        While floods of every kind run (one logged in, so that no budget
        for anonymous connections protects the player), no connection
        parses more than two turns' worth of bytes, telnet commands or lines
        in one turn of the reactor, and the quiet player's C{look} is
        answered within a few turns every time.
        """
        turn = [0]
        work: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0, 0])
        original = reactor.runUntilCurrent

        def counting() -> None:
            turn[0] += 1
            original()

        self.patch(reactor, "runUntilCurrent", counting)
        feed, handle, line = (TelnetParser.feed, telnet.TelnetConnection._telnet,
                              telnet.TelnetConnection._raw_line)

        def counted_feed(parser, data):
            work[turn[0], id(parser)][0] += len(data)
            return feed(parser, data)

        def counted_telnet(connection, event):
            work[turn[0], id(connection.parser)][1] += 1
            return handle(connection, event)

        def counted_line(connection, raw):
            work[turn[0], id(connection.parser)][2] += 1
            return line(connection, raw)

        self.patch(TelnetParser, "feed", counted_feed)
        self.patch(telnet.TelnetConnection, "_telnet", counted_telnet)
        self.patch(telnet.TelnetConnection, "_raw_line", counted_line)

        live = LiveServer("--memory", "--content", "", "--command-rate", "1000",
                          "--command-burst", "1000")
        live.start()
        self.addCleanup(live.stop)
        quiet = yield defer.ensureDeferred(live.connect())
        quiet.send("create Quiet correct horse")
        yield quiet.expect("Limbo")
        flooder = yield defer.ensureDeferred(live.connect())
        flooder.send("create Flood correct horse")
        yield flooder.expect("Limbo")
        chunks = [attacks.malformed_iac_block(__import__("random").Random(1)),
                  bytes((255, 251, 1, 255, 253, 24, 255, 252, 1, 255, 254, 24)) * 300,
                  b"look\r\n" * 500, b"\0" * 8192]
        endpoint = TCP4ClientEndpoint(reactor, "127.0.0.1", live.port)
        hostiles = []
        for chunk in chunks:
            hostiles.append((yield connectProtocol(endpoint, Flooder(chunk))))
        # The logged-in flooder pastes commands as fast as it can.
        flooder.transport.write(b"look\r\n" * 2000)
        turns = []
        for number in range(30):
            started = turn[0]
            quiet.send(f"say q{number}")
            yield quiet.expect(f'You say, "q{number}"')
            turns.append(turn[0] - started)
            yield task.deferLater(reactor, 0.02, lambda: None)
        for hostile in hostiles:
            hostile.gone = True
            hostile.transport.abortConnection()
        report("fair turns", {"turns per quiet command": turns,
                              "most work of one connection in one turn": [
                                  max(w[i] for w in work.values()) for i in range(3)]})
        busy = [w for w in work.values() if w[0] or w[1] or w[2]]
        self.assertGreater(len(busy), 100)  # the floods were read all along
        self.assertLessEqual(max(w[0] for w in busy), 2 * telnet.WORK_PER_TURN)
        self.assertLessEqual(max(w[1] for w in busy), 2 * door.MESSAGES_PER_TURN)
        self.assertLessEqual(max(w[2] for w in busy), 2 * telnet.LINES_PER_TURN)
        self.assertLessEqual(max(turns), 8, turns)
