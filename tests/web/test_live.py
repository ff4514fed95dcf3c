"""
The web port over a real loopback socket: the server C{tessera run} builds,
a page fetched and a websocket opened by a client that shares no code with
the server's door (wsproto's client side over a Twisted TCP connection).
"""

from __future__ import annotations

import json

from twisted.internet import reactor
from twisted.internet.defer import Deferred
from twisted.internet.endpoints import TCP4ClientEndpoint, connectProtocol
from twisted.internet.protocol import Protocol
from twisted.trial.unittest import TestCase
from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, Message, Request, TextMessage

from engine.testing import LiveServer


class Raw(Protocol):
    """
    Collects every byte until the server closes.
    """

    def __init__(self) -> None:
        self.data = b""
        self.done: Deferred = Deferred()

    def dataReceived(self, data: bytes) -> None:
        self.data += data

    def connectionLost(self, reason: object = None) -> None:
        self.done.callback(self.data)


class Player(Protocol):
    """
    A websocket client: opens /ws, sends input, waits for text.
    """

    def __init__(self, port: int) -> None:
        self.ws = WSConnection(ConnectionType.CLIENT)
        self.port = port
        self.text = ""
        self.parts: list[str] = []
        self.waiting: list[tuple[str, Deferred]] = []
        self.accepted: Deferred = Deferred()

    def connectionMade(self) -> None:
        host = f"127.0.0.1:{self.port}"
        self.transport.write(self.ws.send(Request(  # type: ignore[union-attr]
            host=host, target="/ws", extra_headers=[(b"origin", f"http://{host}".encode())])))

    def dataReceived(self, data: bytes) -> None:
        self.ws.receive_data(data)
        for event in self.ws.events():
            if isinstance(event, AcceptConnection):
                self.accepted.callback(None)
            elif isinstance(event, TextMessage):
                self.parts.append(event.data)
                if event.message_finished:
                    message = json.loads("".join(self.parts))
                    self.parts = []
                    if message["type"] == "text":
                        self.text += "".join(run[0] for run in message["runs"])
        for wanted, d in list(self.waiting):
            if wanted in self.text:
                self.waiting.remove((wanted, d))
                d.callback(self.text)

    def send(self, line: str) -> None:
        message = json.dumps({"type": "input", "text": line})
        self.transport.write(self.ws.send(Message(data=message)))  # type: ignore[union-attr]

    def expect(self, wanted: str) -> Deferred:
        d: Deferred = Deferred()
        self.waiting.append((wanted, d))
        self.dataReceived(b"")
        return d.addTimeout(10, reactor)


class LiveWebTests(TestCase):
    async def test_page_and_play(self) -> None:
        """The page is served, and a websocket creates a character and looks around."""
        server = LiveServer("--memory", "--content", "", "--web-port", "0")
        server.start()
        self.addCleanup(server.stop)
        assert server.web_port is not None
        endpoint = TCP4ClientEndpoint(reactor, "127.0.0.1", server.web_port)
        raw = await connectProtocol(endpoint, Raw())
        raw.transport.write(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        page = await raw.done.addTimeout(10, reactor)
        self.assertTrue(page.startswith(b"HTTP/1.1 200 OK"))
        self.assertIn(b"<title>Tessera</title>", page)
        player = await connectProtocol(endpoint, Player(server.web_port))
        await player.accepted.addTimeout(10, reactor)
        await player.expect("create <name> <password>")
        player.send("create Alice correct horse")
        await player.expect("Welcome, Alice!")
        player.transport.loseConnection()  # type: ignore[union-attr]
