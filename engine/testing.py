# -*- test-case-name: tests.engine.test_session,tests.engine.test_end_to_end -*-
"""
Simulated players for tests: connect, type lines, read what comes back.

Builders can test their content the way players will meet it. Everything runs
in memory with a fake clock, so tests are fast and never sleep::

    from twisted.trial.unittest import TestCase
    from engine.testing import TestWorld

    class LanternTests(TestCase):
        def test_pick_up(self):
            world = TestWorld()                 # a few rooms, see small_world
            self.addCleanup(world.close)
            alice = world.login("Alice")        # creates and logs in a character
            bob = world.login("Bob")
            alice.send("get lantern")
            self.assertIn("Alice picks up a brass lantern.", bob.output())
            self.assertIn("brass lantern", alice.send("inventory"))

Each L{SimulatedClient} speaks real telnet to a real
L{engine.protocols.telnet.TelnetClient} over a
L{twisted.internet.testing.StringTransport}: C{send} types a line,
C{output} returns the text received since the last read (telnet negotiation
stripped, line endings as C{\\n}), C{raw} the bytes exactly as sent.
Advance time with C{world.clock.advance(seconds)}.

To test against your own world, pass C{build}: a function given the world
root (inside a turn) that creates rooms and sets C{root.start_room}; or pass
C{content="path/to/folder", build=None} to load a content folder (its
scripts attached and started, as a server does).

A L{SimulatedBrowser} is the web client's side of a websocket
(L{engine.web}), likewise in memory: C{world.browse()} opens one,
C{world.login_web("Alice")} logs it in; C{send} types a line, C{output}
returns the text received since the last read, and C{received} the
messages themselves (text, prompts, echo, GMCP).

For the few tests that must cross a real socket, L{LiveServer} runs the real
server on a loopback port and L{TelnetPlayer} speaks telnet to it.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable
from typing import Any

from twisted.internet.address import IPv4Address
from twisted.internet.defer import Deferred, DeferredList
from twisted.internet.defer import TimeoutError as DeferredTimeout
from twisted.internet.endpoints import TCP4ClientEndpoint, connectProtocol
from twisted.internet.error import ConnectionDone
from twisted.internet.protocol import Protocol
from twisted.internet.task import Clock
from twisted.internet.testing import StringTransport
from twisted.python.failure import Failure
from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, CloseConnection, Ping, RejectConnection, Request
from wsproto.events import Message as WsMessage
from wsproto.events import TextMessage as WsText

import world.root
from engine.accounts import CHEAP, find_account
from engine.limits import Limits
from engine.network import telnet_factory, web_factory
from engine.tap import Options, build_server, makeService
from engine.web.connection import WebLimits
from scripting.clocks import pause_free
from scripting.facets.lifecycle import KEEPER
from world.loader import load
from world.objects import Container, Exit, Room, Thing
from world.store import WorldStore

_IAC = 0xFF
_SB, _SE = 0xFA, 0xF0
_OPTION_VERBS = (0xFB, 0xFC, 0xFD, 0xFE)  # WILL WONT DO DONT


def strip_telnet(data: bytes) -> bytes:
    """
    C{data} without telnet commands and subnegotiations (IAC IAC kept as one
    0xFF byte).
    """
    out = bytearray()
    i, size = 0, len(data)
    while i < size:
        byte = data[i]
        if byte != _IAC:
            out.append(byte)
            i += 1
            continue
        following = data[i + 1] if i + 1 < size else None
        if following == _IAC:
            out.append(_IAC)
            i += 2
        elif following in _OPTION_VERBS:
            i += 3
        elif following == _SB:
            end = data.find(bytes([_IAC, _SE]), i + 2)
            i = size if end < 0 else end + 2
        else:
            i += 2
    return bytes(out)


def upgraded(case: Any, generation: int, build: Callable[[Any], None]) -> WorldStore:
    """
    A world stored at schema C{generation} and opened again by code one
    generation on, to test that generation's upgrade step alone: C{build}
    makes, in one turn, what the old world held (undoing what the new code
    made that the old one did not have); the store is closed when C{case}
    (a trial test case) ends.
    """
    path = os.path.join(case.mktemp(), "world.fs")
    os.makedirs(os.path.dirname(path))
    store = WorldStore(path)
    with store.turn() as turn:
        build(turn.root)
        turn.root.generation = generation
    store.close()
    case.patch(world.root, "GENERATION", generation + 1)  # this step alone
    store = WorldStore(path)
    case.addCleanup(store.close)
    return store


def timed_blocks_take(world: TestWorld, seconds: float) -> None:
    """
    Make every block of C{world}'s server that its meters time (two
    readings of their clock) take C{seconds} of the server's time, and its
    commits none, so that tests of shares of the server's time count blocks
    rather than read a clock.
    """
    elapsed = 0.0

    def reading() -> float:
        nonlocal elapsed
        elapsed += seconds  # a block reads the clock at its start and at its end
        return elapsed

    world.server.scripts.meters.cpu_time = reading
    world.store.timer = lambda: 0.0  # commits take no time here


#: Content for tests of loading it: a hall (the start room) with a yard to
#: the north, to which tests add the things they load.
HALL_AND_YARD = '''\
[rooms.hall]
name = "Hall"
description = "A hall."
start = true
exits.north = "yard"

[rooms.yard]
name = "Yard"
description = "A yard."
exits.south = "hall"
'''


def small_world(root: Any) -> dict[str, Thing]:
    """
    A few rooms for tests: the Town Square (the start room) with a brass
    lantern and a canvas bag; the Market to the north (with a copper coin);
    the Cellar down from the Market; a locked gate east of the square.
    """
    square = root.create(Room, "Town Square", description="A cobbled square with a fountain.")
    market = root.create(Room, "Market", description="Stalls crowd together here.")
    cellar = root.create(Room, "Cellar", description="Damp, dark and quiet.")
    root.create(Exit, "north", location=square, destination=market)
    root.create(Exit, "south", location=market, destination=square)
    root.create(Exit, "down", location=market, destination=cellar)
    root.create(Exit, "up", location=cellar, destination=market)
    gate = root.create(Exit, "gate", location=square, destination=market, aliases=("iron gate",))
    gate.set_property("locked", True)
    lantern = root.create(Thing, "brass lantern", location=square, aliases=("lamp",),
                          description="A brass lantern, polished bright.")
    bag = root.create(Container, "canvas bag", location=square, aliases=("bag",))
    coin = root.create(Thing, "copper coin", location=market, aliases=("coin",))
    fountain = root.create(Thing, "fountain", location=square,
                           description="Water splashes in a stone basin.")
    fountain.set_property("fixed", True)
    root.start_room = square
    return {"square": square, "market": market, "cellar": cellar, "lantern": lantern,
            "bag": bag, "coin": coin, "fountain": fountain, "gate": gate}


class SimulatedClient:
    """
    One simulated telnet player.

    @ivar protocol: the server side's L{TelnetConnection}.
    @ivar transport: the L{StringTransport} it writes to.
    @ivar transcript: everything received so far, as text.
    """

    def __init__(self, world: TestWorld, address: str = "127.0.0.1", port: int = 40000) -> None:
        self.world = world
        self.protocol = world.factory.buildProtocol(IPv4Address("TCP", address, port))
        self.transport = StringTransport(peerAddress=IPv4Address("TCP", address, port))
        self.transcript = ""
        self._read = 0
        self.protocol.makeConnection(self.transport)

    @property
    def client(self) -> Any:
        """
        The server's L{engine.protocols.telnet.TelnetConnection} for this
        player (an L{engine.interfaces.IClient}).
        """
        return self.protocol

    @property
    def session(self) -> Any:
        """
        The server's session for this player (None once disconnected).
        """
        return self.protocol.session

    @property
    def connected(self) -> bool:
        """
        Whether the server has not closed this connection.
        """
        self._settle()
        return not self.transport.disconnecting

    def _settle(self) -> None:
        # Let the server finish what it put off to its next turn (a
        # connection does a bounded amount of work per turn), then, if it
        # closed the connection, finish closing it as the reactor would
        # after the last bytes were sent.
        self.world.clock.advance(0)
        if self.transport.disconnecting and not self.protocol.lost:
            self.protocol.connectionLost(Failure(ConnectionDone()))

    def send(self, line: str) -> str:
        """
        Type C{line} and press Enter; return the text received since the last
        read (usually the answer).
        """
        self.send_raw(line.encode("utf-8") + b"\r\n")
        return self.output()

    def send_raw(self, data: bytes) -> None:
        """
        Send bytes exactly as given (for telnet negotiation and bad input).
        """
        self._settle()
        if self.protocol.lost:
            return  # the connection is closed: nothing arrives any more
        self.protocol.dataReceived(data)
        self.world.clock.advance(0)  # the reactor turns: lines that waited their turn run
        self._settle()

    def raw(self) -> bytes:
        """
        Every byte received so far, telnet commands included.
        """
        return self.transport.value()

    def output(self) -> str:
        """
        The text received since the last call (negotiation stripped, C{\\n}
        line endings).
        """
        self._settle()
        data = self.transport.value()
        new = data[self._read:]
        self._read = len(data)
        text = strip_telnet(new).decode("utf-8", "replace").replace("\r\n", "\n")
        self.transcript += text
        return text

    def disconnect(self) -> None:
        """
        Hang up, as a player closing their client would.
        """
        if not self.protocol.lost:
            self.transport.loseConnection()
            self.protocol.connectionLost(Failure(ConnectionDone()))

    def stop_reading(self) -> None:
        """
        Behave like a client that stopped reading: the transport reports its
        buffer full, so the server's output cap starts counting.
        """
        self.client.pauseProducing()

    def start_reading(self) -> None:
        """
        Catch up again.
        """
        self.client.resumeProducing()


class SimulatedBrowser:
    """
    The web client's side of one connection to the web port, in memory: a
    real websocket (wsproto's client) over a L{StringTransport}.

    @ivar protocol: the server side's L{engine.web.connection.WebConnection}.
    @ivar transport: the L{StringTransport} it writes to.
    @ivar messages: every message received so far, decoded from JSON.
    @ivar closed: the close code the server sent, once it closed the
        websocket.
    @ivar refused: the HTTP status, if the websocket was refused.
    @ivar pings: how many pings the server sent.
    @ivar answers_pings: whether pings are answered (a browser answers
        them; a peer whose network is gone does not).
    """

    def __init__(self, world: TestWorld, address: str = "127.0.0.1", port: int = 50000, *,
                 host: str = "localhost:4080", origin: str | None = "http://localhost:4080",
                 open: bool = True) -> None:
        self.world = world
        self.protocol = world.web.buildProtocol(IPv4Address("TCP", address, port))
        self.transport = StringTransport(peerAddress=IPv4Address("TCP", address, port))
        self.ws = WSConnection(ConnectionType.CLIENT)
        self.messages: list[Any] = []
        self.closed: int | None = None
        self.refused: int | None = None
        self.accepted = False
        self.pings = 0
        self.answers_pings = True
        self._seen = 0
        self._read = 0
        self._parts: list[str] = []
        self.protocol.makeConnection(self.transport)
        if open:
            headers = [(b"origin", origin.encode())] if origin is not None else []
            self.send_raw(self.ws.send(Request(host=host, target="/ws",
                                               extra_headers=headers)))

    @property
    def session(self) -> Any:
        """
        The server's session for this browser (None once disconnected).
        """
        return self.protocol.session

    @property
    def connected(self) -> bool:
        """
        Whether the server has not closed this connection.
        """
        self._settle()
        return not self.transport.disconnecting

    def _settle(self) -> None:
        self.world.clock.advance(0)
        if self.transport.disconnecting and not self.protocol.lost:
            self.protocol.connectionLost(Failure(ConnectionDone()))
        self._take()

    def _take(self) -> None:
        data = self.transport.value()
        new, self._seen = data[self._seen:], len(data)
        if not new or self.refused is not None:
            return
        self.ws.receive_data(new)
        answers = b""
        for event in self.ws.events():
            if isinstance(event, Ping):
                self.pings += 1
                if self.answers_pings:
                    answers += self.ws.send(event.response())
            if isinstance(event, AcceptConnection):
                self.accepted = True
            elif isinstance(event, RejectConnection):
                self.refused = event.status_code
            elif isinstance(event, WsText):
                self._parts.append(event.data)
                if event.message_finished:
                    self.messages.append(json.loads("".join(self._parts)))
                    self._parts = []
            elif isinstance(event, CloseConnection):
                self.closed = event.code
        if answers and not self.protocol.lost:
            self.protocol.dataReceived(answers)

    def send_raw(self, data: bytes) -> None:
        """
        Send bytes exactly as given (frames made by hand, bad input).
        """
        self._settle()
        if self.protocol.lost:
            return
        self.protocol.dataReceived(data)
        self.world.clock.advance(0)
        self._settle()

    def send_message(self, message: Any) -> None:
        """
        Send one message (a JSON-able value) in a websocket text frame.
        """
        self.send_raw(self.ws.send(WsMessage(data=json.dumps(message))))

    def send(self, line: str) -> str:
        """
        Type C{line} and press Enter; return the text received since the
        last read.
        """
        self.send_message({"type": "input", "text": line})
        return self.output()

    def received(self) -> list[Any]:
        """
        The messages received since the last call.
        """
        self._settle()
        new = self.messages[self._read:]
        self._read = len(self.messages)
        return new

    def output(self) -> str:
        """
        The text (and prompts) received since the last read, without styles.
        """
        return "".join("".join(run[0] for run in m["runs"]) for m in self.received()
                       if m.get("type") in ("text", "prompt"))

    def gmcp(self, package: str) -> list[Any]:
        """
        The bodies of every C{package} GMCP message received so far.
        """
        self._settle()
        found = []
        for m in self.messages:
            if m.get("type") == "gmcp":
                name, _, body = m["message"].partition(" ")
                if name == package:
                    found.append(json.loads(body) if body else None)
        return found

    def supports(self, *modules: str) -> None:
        """
        Ask for GMCP packages, as the page does when it opens.
        """
        self.send_message({"type": "gmcp",
                           "message": "Core.Supports.Set " + json.dumps(list(modules))})

    def disconnect(self) -> None:
        """
        Close the page.
        """
        if not self.protocol.lost:
            self.transport.loseConnection()
            self.protocol.connectionLost(Failure(ConnectionDone()))

    def stop_reading(self) -> None:
        """
        Behave like a browser that stopped reading.
        """
        self.protocol.pauseProducing()

    def start_reading(self) -> None:
        """
        Catch up again.
        """
        self.protocol.resumeProducing()


class TestWorld:
    """
    An in-memory world, a server with a fake clock, and simulated players.

    @ivar clock: the L{Clock}; advance it to let time pass.
    @ivar store: the L{WorldStore} (in memory unless C{path} is given).
    @ivar server: the L{Server}.
    @ivar things: what C{build} returned (for L{small_world}: rooms and things
        by short name).
    @ivar shutdowns: how many times @shutdown was called.
    """

    __test__ = False  # not a test case itself

    def __init__(self, *, limits: Limits | None = None,
                 build: Callable[[Any], Any] | None = small_world,
                 path: str | None = None, store: WorldStore | None = None,
                 clock: Clock | None = None, default_role: str = "player",
                 content: str | None = None, web: WebLimits | None = None) -> None:
        self.clock = clock or Clock()
        self.store = store or WorldStore(path)
        self.shutdowns = 0
        self.limits = limits or Limits()
        # Scripts' time budgets count this thread's CPU time, less the garbage
        # collector's: on a loaded machine the wall clock runs on while the test
        # waits for a core, and the suite's heap makes a full collection take a
        # tenth of a second or more. The server's time charged to owners (their
        # share) is this thread's CPU time too.
        self.server = build_server(self.store, self.clock, limits=self.limits, kdf_cost=CHEAP,
                                   shutdown=self._shutdown, default_role=default_role,
                                   task_clock=pause_free(time.thread_time),
                                   cpu_time=time.thread_time)
        self.factory = telnet_factory(self.server)
        self.web = web_factory(self.server, web, telnet=self.factory)
        self.things: Any = None
        if build is not None:
            with self.store.turn() as turn:
                if turn.root.start_room is None:
                    self.things = build(turn.root)
        self._port = 40000
        if content is not None:
            load(self.store, content, keeper=KEEPER)
        self.server.start()  # scripts' timers, on the fake clock

    def _shutdown(self) -> None:
        self.shutdowns += 1

    def connect(self, address: str = "127.0.0.1") -> SimulatedClient:
        """
        A new connection, at the welcome screen.
        """
        self._port += 1
        return SimulatedClient(self, address, self._port)

    def browse(self, address: str = "127.0.0.1", **kwargs: Any) -> SimulatedBrowser:
        """
        A new web client connection, its websocket open (unless
        C{open=False}), at the welcome screen.
        """
        self._port += 1
        return SimulatedBrowser(self, address, self._port, **kwargs)

    def login_web(self, name: str, password: str = "correct horse", *,
                  role: str | None = None, address: str = "127.0.0.1") -> SimulatedBrowser:
        """
        Open the web client and log in as C{name}, creating the character if
        needed; what it received so far is read and discarded.
        """
        browser = self.browse(address)
        with self.store.turn() as turn:
            exists = find_account(turn.root, name) is not None
        browser.send(f"{'connect' if exists else 'create'} {name} {password}")
        if role is not None:
            self.set_role(name, role)
        browser.received()
        return browser

    def login(self, name: str, password: str = "correct horse", *, role: str | None = None,
              address: str = "127.0.0.1") -> SimulatedClient:
        """
        Connect and log in as C{name}, creating the character if needed; its
        output so far is read and discarded. With C{role}, set the account's
        role first.
        """
        player = self.connect(address)
        with self.store.turn() as turn:
            exists = find_account(turn.root, name) is not None
        player.send(f"{'connect' if exists else 'create'} {name} {password}")
        if role is not None:
            self.set_role(name, role)
        player.output()
        return player

    def set_role(self, name: str, role: str) -> None:
        """
        Give account C{name} the role C{role}.
        """
        with self.store.turn() as turn:
            account = find_account(turn.root, name)
            assert account is not None, f"no account {name}"
            account.role = role

    def object(self, id: int) -> Thing | None:
        """
        The object with C{id} (read in a turn of its own).
        """
        with self.store.turn() as turn:
            return turn.root.get(id)

    def close(self) -> None:
        """
        Stop the timers and close the store.
        """
        self.server.stop()
        self.store.close()


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def plain(text: str) -> str:
    """
    C{text} without ANSI colour codes.
    """
    return _ANSI.sub("", text)


class TelnetPlayer(Protocol):
    """
    A real telnet client over a real socket, for end-to-end tests: answers
    negotiation like a simple MUD client (yes to NAWS with 100x40, TTYPE, SGA
    and ECHO) unless C{answer} is false, and can wait for text.

    @ivar raw: every byte received, negotiation included.
    @ivar text: everything received, negotiation stripped, lines ending C{\\n}.
    @ivar closed: fires when the connection is lost.
    """

    def __init__(self, answer: bool = True, timeout: float = 30.0) -> None:
        self.answer = answer
        self.timeout = timeout
        self.raw = b""
        self.text = ""
        self.read = 0
        self.waiting: list[tuple[str, Deferred]] = []
        self.closed: Deferred = Deferred()

    def dataReceived(self, data: bytes) -> None:
        self.raw += data
        if self.answer:
            self._negotiate(data)
        self.text = strip_telnet(self.raw).decode("utf-8", "replace").replace("\r\n", "\n")
        self._check()

    def _write(self, data: bytes) -> None:
        assert self.transport is not None  # connected: answers and sends come after
        self.transport.write(data)

    def _negotiate(self, data: bytes) -> None:
        IAC, DO, WILL, SB, SE = b"\xff", b"\xfd", b"\xfb", b"\xfa", b"\xf0"
        NAWS, TTYPE, SGA, ECHO = b"\x1f", b"\x18", b"\x03", b"\x01"
        if IAC + DO + NAWS in data:
            self._write(IAC + WILL + NAWS + IAC + SB + NAWS + b"\x00\x64\x00\x28"
                                 + IAC + SE)
        if IAC + DO + TTYPE in data:
            self._write(IAC + WILL + TTYPE)
        if IAC + SB + TTYPE + b"\x01" + IAC + SE in data:
            self._write(IAC + SB + TTYPE + b"\x00TESTCLIENT" + IAC + SE)
        if IAC + WILL + SGA in data:
            self._write(IAC + DO + SGA)
        if IAC + WILL + ECHO in data:
            self._write(IAC + DO + ECHO)
        if IAC + b"\xfc" + ECHO in data:  # WONT ECHO
            self._write(IAC + b"\xfe" + ECHO)  # DONT ECHO

    def _check(self) -> None:
        for item in list(self.waiting):
            wanted, d = item
            found = self.text.find(wanted, self.read)
            if found >= 0:
                self.waiting.remove(item)
                self.read = found + len(wanted)
                d.callback(self.text)

    def expect(self, wanted: str) -> Deferred:
        """
        Fire (with all text so far) once C{wanted} has arrived after what was
        already expected; fail after C{timeout} seconds.
        """
        from twisted.internet import reactor  # the real one: timeouts on real sockets

        d: Deferred = Deferred()
        self.waiting.append((wanted, d))
        self._check()

        def timed_out(failure: Failure) -> Failure:
            # Say what was awaited and what came instead: a bare timeout on a
            # loaded machine tells nothing.
            if failure.check(DeferredTimeout):
                if (wanted, d) in self.waiting:
                    self.waiting.remove((wanted, d))
                raise AssertionError(
                    f"waited {self.timeout:g} s for {wanted!r}; after what was expected "
                    f"before, got {self.text[self.read:][-2000:]!r}"
                    f"{' (connection closed)' if self.closed.called else ''}")
            return failure

        return d.addTimeout(self.timeout, reactor).addErrback(timed_out)

    def send(self, line: str) -> None:
        """
        Type one line.
        """
        self._write(line.encode("utf-8") + b"\r\n")

    def connectionLost(self, reason: Failure = None) -> None:  # type: ignore[assignment]
        self.closed.callback(None)


class LiveServer:
    """
    The real server, built by L{engine.tap.makeService} exactly as C{tessera
    run} builds it, listening on 127.0.0.1 with a port the system picks; for
    the few end-to-end tests that speak telnet over real sockets::

        server = LiveServer("--memory", "--content", "")
        server.start()
        self.addCleanup(server.stop)
        alice = await server.connect()
        alice.send("create Alice correct horse")
        await alice.expect("Welcome, Alice!")

    @ivar service: the running service tree.
    @ivar port: the telnet port, once started.
    @ivar web_port: the web client's port, once started, if C{--web-port}
        was given.
    """

    def __init__(self, *args: str) -> None:
        self.options = Options()
        self.options.parseOptions(["--interface", "127.0.0.1", "--port", "0",
                                   "--pack-interval", "0", *args])
        self.service: Any = None
        self.port: int | None = None
        self.web_port: int | None = None
        self.players: list[TelnetPlayer] = []

    def start(self) -> int:
        """
        Build and start the server; return its telnet port.
        """
        from twisted.internet import reactor  # the real one, only for live tests

        self.service = makeService(self.options, reactor)
        self.service.startService()
        self.port = self.service.getServiceNamed("telnet").port
        assert self.port is not None
        web = self.service.namedServices.get("web")
        self.web_port = web.port if web is not None else None
        return self.port

    async def connect(self, answer: bool = True) -> TelnetPlayer:
        """
        Connect a new L{TelnetPlayer}.
        """
        from twisted.internet import reactor  # the real one, only for live tests

        assert self.port is not None, "start() the server first"
        endpoint = TCP4ClientEndpoint(reactor, "127.0.0.1", self.port)
        player = await connectProtocol(endpoint, TelnetPlayer(answer))
        self.players.append(player)
        return player

    @classmethod
    async def world_of(cls, case: Any, *names: str) -> list[TelnetPlayer]:
        """
        Start a server on a new, empty world (in memory, no content), to be
        stopped when the test C{case} ends, and create its wizard C{Wiz}
        and then a character for each of C{names}, each in the world.

        @return: the players, the wizard first.
        """
        server = cls("--memory", "--content", "")
        case.addCleanup(server.stop)
        server.start()
        return [await server.create(name) for name in ("Wiz", *names)]

    async def create(self, name: str, password: str = "correct horse") -> TelnetPlayer:
        """
        Connect a new L{TelnetPlayer} and create the character C{name} (the
        first one created on a new world is its wizard); return once it is
        in the world.
        """
        player = await self.connect()
        await player.expect("create <name>")
        player.send(f"create {name} {password}")
        await player.expect("Limbo")
        return player

    def stop(self) -> Deferred:
        """
        Disconnect every player this server connected, then stop the service
        (closing the database).
        """
        closing = []
        for player in self.players:
            if not player.closed.called and player.transport is not None:
                player.transport.loseConnection()
                closing.append(player.closed)
        self.players = []
        done = DeferredList(closing)
        if self.service is not None and self.service.running:
            service, self.service = self.service, None
            done.addCallback(lambda _: service.stopService())
        return done
