"""
One account must not stall the server for everyone else: a pasted packet of
expensive commands runs one command per turn of the reactor, and what the
commands cost is charged to the owner's share, so the rest are refused
cheaply once it is spent.

These prove the order and the accounting with the fake clock; the test over
real sockets at the end compares another player's C{look} round trips with
a quiet server's, measured in the same run.
"""

from __future__ import annotations

import statistics
import time

from twisted.internet import defer, reactor, task
from twisted.trial.unittest import TestCase

from engine.scripts import meters
from engine.testing import LiveServer, timed_blocks_take
from tests.scripts.helpers import Scene, make

#: A script whose every save costs a trial run of a busy top level.
BUSY = """
n = 0
for i in range(2000):
    n = n + i

def verb_poke(actor, *rest):
    actor.tell("poked")

def verb_burn(actor, *rest):
    n = 0
    for i in range(90000):
        n = n + 1
    actor.tell("burnt")
"""

#: The same with four hundred more functions: compiling it takes the server a
#: good part of a second, so each save is expensive.
BIG = BUSY + "".join(f"\ndef f{i}(x):\n    return x + {i}\n" for i in range(400))


def edits(count: int, start: int = 0) -> bytes:
    """
    C{count} edits of the busy script's first line, in one packet, each a
    script never seen before (none of them compiled already).
    """
    return b"".join(f"@script/edit gremlin 1 = n = {i}\r\n".encode()
                    for i in range(start, start + count))


class FairTurnsTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.runtime = self.s.world.server.scripts
        make(self.s.bob, "gremlin", BUSY)
        self.s.world.clock.advance(meters.CPU_WINDOW)  # a fresh window for Bob's share
        self.s.read()
        self.analysed: list[int] = []
        original = self.runtime.analyse

        def counted(turn, host, source):
            self.analysed.append(host.id)
            return original(turn, host, source)

        self.runtime.analyse = counted
        timed_blocks_take(self.s.world, 0.5)

    def test_quiet_player_answered_before_the_next_pasted_command(self) -> None:
        """
        Bob pastes thirty script edits in one packet: the first runs, and
        Carol's look, arriving next, is answered before Bob's second edit
        runs; Bob's others run on later turns of the reactor.
        """
        self.s.bob.protocol.dataReceived(edits(30))  # one packet; no reactor turn yet
        self.assertEqual(len(self.analysed), 1)
        self.s.carol.protocol.dataReceived(b"look\r\n")
        # (read what Carol got without letting the fake reactor turn)
        self.assertIn(b"Town Square", self.s.carol.transport.value())
        self.assertEqual(len(self.analysed), 1)
        self.s.world.clock.advance(0)
        self.assertGreater(len(self.analysed), 1)

    def test_pasted_saves_cost_only_the_owners_share(self) -> None:
        """
        Of thirty pasted edits each taking half a second of the server's
        time, only as many run as Bob's share pays for (CPU_SECONDS); the
        others are refused without being compiled or run.
        """
        self.s.bob.protocol.dataReceived(edits(30))
        self.s.world.clock.advance(0)
        allowed = int(meters.CPU_SECONDS / 0.5) + 1  # the save that crosses the line
        self.assertEqual(len(self.analysed), allowed)
        said = " ".join(self.s.bob.output().split())
        self.assertEqual(said.count("Nothing was saved"), 30 - allowed)
        # Carol is served at once: Bob's refusals cost next to nothing.
        self.assertIn("Town Square", self.s.carol.send("look"))


class RealSocketStallTests(TestCase):
    """
    Over real sockets: while Bob sends packets of expensive commands as fast
    as the server takes them, Carol's look round trips stay within twice a
    quiet server's (medians of many samples, measured in the same run; the
    slack allows for a noisy shared machine). Bob's CPU share is set small
    (as an operator may), so the samples span far more than his share.
    """

    timeout = 120

    @defer.inlineCallbacks
    def round_trips(self, packet):
        """
        Carol's look round trips on a quiet server, then while Bob sends
        C{packet(n)} (the n-th of his packets) every 50 ms.
        """
        server = LiveServer("--memory", "--content", "", "--quota-cpu", "100000")
        server.start()
        self.addCleanup(server.stop)
        players = {}
        for name in ("Wiz", "Bob", "Carol"):
            player = yield defer.ensureDeferred(server.connect())
            yield player.expect("create <name>")
            player.send(f"create {name} correct horse")
            yield player.expect(f"Welcome, {name}!")
            players[name] = player
        bob, carol = players["Bob"], players["Carol"]
        bob.send("@create gremlin")
        yield bob.expect("gremlin")
        bob.send("@script gremlin")
        yield bob.expect("gremlin.\nType lines")
        for line in BIG.strip("\n").split("\n"):
            bob.send(line)
        bob.send(".")
        yield bob.expect("Saved the script on gremlin")

        def pause(seconds: float) -> defer.Deferred:
            return task.deferLater(reactor, seconds, lambda: None)

        @defer.inlineCallbacks
        def looks(count: int):
            taken = []
            for _ in range(count):
                carol.read = len(carol.text)  # only what answers this look counts
                began = time.perf_counter()
                carol.send("look")
                yield carol.expect("> ")
                taken.append(time.perf_counter() - began)
                yield pause(0.02)
            return taken

        quiet = yield looks(40)
        attacking = [True]

        @defer.inlineCallbacks
        def attack():
            sent = 0
            while attacking[0]:
                bob.transport.write(packet(sent))
                sent += 1
                yield pause(0.05)

        # Bob's client (in this process, on this reactor) ignores what it is
        # sent from now on: keeping his ever longer transcript would cost this
        # process, not the server, more and more.
        bob.dataReceived = lambda data: None
        attacker = attack()
        loud = yield looks(40)
        attacking[0] = False
        yield attacker
        return quiet, loud

    @defer.inlineCallbacks
    def test_pasted_script_edits(self):
        """
        Packets of thirty edits of a big script, each a script never
        compiled before.
        """
        quiet, loud = yield self.round_trips(lambda n: edits(30, 30 * n))
        self.assertLess(statistics.median(loud), 2 * statistics.median(quiet) + 0.02,
                        (quiet, loud))

    @defer.inlineCallbacks
    def test_pasted_expensive_verbs(self):
        """
        Packets of thirty runs of a verb that burns most of its budget.
        """
        quiet, loud = yield self.round_trips(lambda n: b"burn gremlin\r\n" * 30)
        self.assertLess(statistics.median(loud), 2 * statistics.median(quiet) + 0.02,
                        (quiet, loud))
