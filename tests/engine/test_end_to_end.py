"""
End to end: the real service from L{engine.tap.makeService}, on a loopback
port, spoken to over real sockets in telnet -- negotiation bytes included.

These use the real reactor and wait only for the reactor (Deferreds with a
timeout); no sleeps.
"""

from __future__ import annotations

import os

from twisted.conch import telnet
from twisted.internet import defer
from twisted.trial.unittest import TestCase

from engine.tap import DEFAULT_CONTENT
from engine.testing import LiveServer, TelnetPlayer


class EndToEndTests(TestCase):
    """
    The server as players meet it.
    """

    timeout = 60

    def start(self, *args: str) -> defer.Deferred:
        self.server = LiveServer(*args)
        self.port = self.server.start()
        self.top = self.server.service
        self.addCleanup(self.server.stop)
        return defer.succeed(self.port)

    async def connect(self, answer: bool = True) -> TelnetPlayer:
        return await self.server.connect(answer)

    def test_says_where_it_listens(self):
        """
        Starting, the server logs where players connect: interface and port.
        """
        from twisted.logger import formatEvent, globalLogPublisher

        events: list = []
        globalLogPublisher.addObserver(events.append)
        self.addCleanup(globalLogPublisher.removeObserver, events.append)
        self.start("--memory", "--content", "")
        said = "\n".join(formatEvent(e) for e in events)
        self.assertIn(f"listening for telnet on 127.0.0.1:{self.port}", said)
        self.assertIn(f"telnet 127.0.0.1 {self.port}", said)

    @defer.inlineCallbacks
    def test_negotiation_and_welcome(self):
        """
        The server offers its options at once, answers ours, and greets us.
        """
        yield self.start("--memory", "--content", "")
        player = yield defer.ensureDeferred(self.connect())
        yield player.expect("create <name> <password>")
        self.assertIn(telnet.IAC + telnet.DO + telnet.NAWS, player.raw)
        self.assertIn(telnet.IAC + telnet.DO + b"\x18", player.raw)
        self.assertNotIn(telnet.IAC + telnet.WILL + telnet.SGA, player.raw)
        player.send("create Alice correct horse")
        yield player.expect("Welcome, Alice!")
        session = next(iter(self.top.getServiceNamed("sessions").server.sessions))
        self.assertEqual(session.client.client.width, 100)
        self.assertEqual(session.client.client.terminal, "TESTCLIENT")

    @defer.inlineCallbacks
    def test_two_players_walk_talk_and_build_in_default_world(self):
        """
        In the default world: create, walk, talk with a second player, build
        a room, quit.
        """
        if not os.path.isdir(DEFAULT_CONTENT):
            raise AssertionError("the default world is missing")
        yield self.start("--memory")
        alice = yield defer.ensureDeferred(self.connect())
        bob = yield defer.ensureDeferred(self.connect())
        yield alice.expect("create <name>")
        alice.send("create Alice")
        yield alice.expect("Choose a password")
        self.assertIn(telnet.IAC + telnet.WILL + telnet.ECHO, alice.raw)
        alice.send("correct horse")
        yield alice.expect("again")
        alice.send("correct horse")
        yield alice.expect("Exits:")
        bob.send("create Bob correct horse")
        yield bob.expect("Exits:")
        yield alice.expect("Bob appears")
        bob.send("say Hello, Alice!")
        yield alice.expect('Bob exclaims, "Hello, Alice!"')
        alice.send("north")
        yield alice.expect("Exits:")
        yield bob.expect("Alice leaves north.")
        alice.send("@dig west to Alice's Workshop")
        yield alice.expect("You dig Alice's Workshop")
        alice.send("west")
        yield alice.expect("Alice's Workshop (#")
        alice.send("quit")
        yield alice.expect("Goodbye")
        yield alice.closed

    @defer.inlineCallbacks
    def test_silent_client(self):
        """
        A client that answers no negotiation at all still plays.
        """
        yield self.start("--memory", "--content", "")
        player = yield defer.ensureDeferred(self.connect(answer=False))
        player.send("create Alice correct horse")
        yield player.expect("Limbo")
        player.send("say hi")
        yield player.expect('You say, "hi"')

    @defer.inlineCallbacks
    def test_http_on_telnet_port(self):
        """
        A web browser gets a short plain answer and the connection closes.
        """
        yield self.start("--memory", "--content", "")
        player = yield defer.ensureDeferred(self.connect(answer=False))
        player.transport.write(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        yield player.closed
        self.assertIn(b"HTTP/1.0 400", player.raw)

    @defer.inlineCallbacks
    def test_many_connections(self):
        """
        Two hundred real connections at once are all greeted and all answered;
        some of them log in and talk. (Creating all 200 would mostly measure
        the deliberately slow password hash.)
        """
        yield self.start("--memory", "--content", "", "--connections-per-minute", "1000",
                         "--creations-per-hour", "1000", "--prelogin-per-address", "200")
        players = yield defer.gatherResults([
            defer.ensureDeferred(self.connect(answer=False)) for _ in range(200)])
        yield defer.gatherResults([p.expect("create <name>") for p in players])
        for player in players:
            player.send("who")
        yield defer.gatherResults([p.expect("Nobody is playing") for p in players])
        talkers = players[:10]
        for index, player in enumerate(talkers):
            player.send(f"create Many{'abcdefghij'[index]} correct horse")
        yield defer.gatherResults([p.expect("Limbo") for p in talkers])
        talkers[0].send("say hello all")
        yield defer.gatherResults([p.expect("hello all") for p in talkers[1:]])
        self.assertEqual(len(self.top.getServiceNamed("sessions").server.sessions), 200)

    @defer.inlineCallbacks
    def test_restart_keeps_everything(self):
        """
        With the default world on a database file: after a restart the
        character, its password, what it carries and the room it built are
        all there (content is loaded again at start and keeps them).
        """
        path = os.path.abspath(self.mktemp())
        os.makedirs(path)
        db = os.path.join(path, "world.fs")
        yield self.start("--db", db, "--pack-interval", "0")
        alice = yield defer.ensureDeferred(self.connect())
        alice.send("create Alice correct horse")
        yield alice.expect("Exits:")
        alice.send("@dig west to Garden")
        yield alice.expect("You dig Garden")
        alice.send("@create silver key")
        yield alice.expect("You create silver key")
        alice.send("west")
        yield alice.expect("Garden (#")
        alice.send("quit")
        yield alice.closed
        yield self.server.stop()
        yield self.start("--db", db, "--pack-interval", "0")
        again = yield defer.ensureDeferred(self.connect())
        again.send("connect Alice wrong password")
        yield again.expect("Either there is no character")
        again.send("connect Alice correct horse")
        yield again.expect("Garden (#")
        again.send("inventory")
        yield again.expect("a silver key")
        again.send("east")
        yield again.expect("Exits:")
        self.assertIn("west", again.text[again.read:] or again.text.rsplit("Exits:", 1)[1])


class SlowReaderEndToEndTests(TestCase):
    """
    A real socket whose client stops reading.
    """

    timeout = 60

    @defer.inlineCallbacks
    def test_client_that_never_reads(self):
        """
        A client that stops reading is dropped once the output piled up for
        it passes --max-output, and the others play on unaffected.
        """
        import socket

        live = LiveServer("--memory", "--content", "", "--max-output", "20000",
                          "--command-rate", "1000", "--command-burst", "1000")
        live.start()
        self.addCleanup(live.stop)
        server = live.service.getServiceNamed("sessions").server
        slow = yield defer.ensureDeferred(live.connect(answer=False))
        alice = yield defer.ensureDeferred(live.connect(answer=False))
        slow.send("create Slow correct horse")
        yield slow.expect("Limbo")
        alice.send("create Alice correct horse")
        yield alice.expect("Limbo")
        # Make the kernel buffers small so the backlog reaches the server quickly.
        slow.transport.socket.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        for session in server.playing():
            if session.name == "Slow":
                raw = session.client.transport
                raw.socket.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
        slow.transport.pauseProducing()
        speech = "x" * 1500
        for number in range(2000):
            alice.send(f"say {number} {speech}")
            yield alice.expect(f'You say, "{number} ')
            if all(s.name != "Slow" for s in server.playing()):
                break
        self.assertEqual([s.name for s in server.playing()], ["Alice"])
        alice.send("say still fine")
        yield alice.expect('You say, "still fine"')
        slow.transport.resumeProducing()
        slow.transport.abortConnection()
        yield slow.closed
