"""
Tests for L{engine.protocols.telnet}: bytes to lines, text to bytes,
negotiation, and bad input.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from twisted.conch import telnet
from twisted.internet.address import IPv4Address
from twisted.internet.error import ConnectionDone
from twisted.internet.task import Clock
from twisted.internet.testing import StringTransport
from twisted.python.failure import Failure
from twisted.trial.unittest import TestCase
from zope.interface import implementer
from zope.interface.verify import verifyObject

from engine.interfaces import IClient, ISession
from engine.limits import Limits
from engine.protocols.telnet import (
    ECHO,
    NAWS,
    SGA,
    TTYPE,
    TelnetServerFactory,
    clean_line,
    colours_for_terminal,
)

IAC, WILL, WONT, DO, DONT, SB, SE = (
    telnet.IAC, telnet.WILL, telnet.WONT, telnet.DO, telnet.DONT, telnet.SB, telnet.SE
)


@implementer(ISession)
class RecordingSession:
    """
    A session that records what its protocol tells it.
    """

    authenticated = False

    def __init__(self, client: IClient) -> None:
        self.client = client
        self.lines: list[str] = []
        self.lost: list[str] = []
        self.changes = 0

    def connected(self) -> None:
        self.client.write("Welcome!\n")

    def line_received(self, line: str) -> None:
        self.lines.append(line)

    def client_changed(self) -> None:
        self.changes += 1

    def disconnected(self, reason: str) -> None:
        self.lost.append(reason)


def connect(limits: Limits | None = None):
    sessions: list[RecordingSession] = []

    def make(client):
        session = RecordingSession(client)
        sessions.append(session)
        return session

    factory = TelnetServerFactory(make, limits, clock=Clock())
    proto = factory.buildProtocol(IPv4Address("TCP", "10.0.0.1", 5000))
    transport = StringTransport(peerAddress=IPv4Address("TCP", "10.0.0.1", 5000))
    proto.makeConnection(transport)
    return proto, transport, sessions[0]


class TelnetLineTests(TestCase):
    """
    Lines come out of the byte stream however they are framed.
    """

    def test_interfaces(self):
        """
        The per-connection protocol provides IClient; the session is an ISession.
        """
        proto, _transport, session = connect()
        self.assertTrue(verifyObject(IClient, proto))
        self.assertTrue(verifyObject(ISession, session))

    def test_offers_options_at_connect(self):
        """
        At connect the server asks for NAWS and TTYPE, and does not offer SGA
        (which would put plain telnet into character mode, echoing ^M).
        """
        _proto, transport, _session = connect()
        sent = transport.value()
        self.assertNotIn(IAC + WILL + SGA, sent)
        self.assertIn(IAC + DO + NAWS, sent)
        self.assertIn(IAC + DO + TTYPE, sent)
        self.assertIn(b"Welcome!\r\n", sent)

    def test_sga_accepted_when_asked(self):
        """
        A client that asks for SGA (DO SGA) gets it (WILL SGA).
        """
        proto, transport, _session = connect()
        transport.clear()
        proto.dataReceived(IAC + DO + SGA)
        self.assertEqual(transport.value(), IAC + WILL + SGA)

    def test_line_endings(self):
        """
        CRLF, LF, CR and CR NUL each end exactly one line.
        """
        proto, _transport, session = connect()
        proto.dataReceived(b"one\r\ntwo\nthree\rfour\r\x00five\r")
        self.assertEqual(session.lines, ["one", "two", "three", "four", "five"])
        proto.dataReceived(b"\nsix\n")
        self.assertEqual(session.lines[-1], "six")
        self.assertEqual(len(session.lines), 6)

    def test_stacked_commands(self):
        """
        Several commands in one packet are split (Mudlet command stacking).
        """
        proto, _transport, session = connect()
        proto.dataReceived(b"wave\r\nsay hi\r\nlook\r\n")
        self.assertEqual(session.lines, ["wave", "say hi", "look"])

    def test_split_across_packets(self):
        """
        A line split over many packets, even byte by byte, arrives once.
        """
        proto, _transport, session = connect()
        for byte in b"say hello\r\n":
            proto.dataReceived(bytes([byte]))
        self.assertEqual(session.lines, ["say hello"])

    def test_utf8_in_and_out(self):
        """
        UTF-8 is decoded on the way in and encoded on the way out.
        """
        proto, transport, session = connect()
        proto.dataReceived("say café ☕\r\n".encode())
        self.assertEqual(session.lines, ["say café ☕"])
        transport.clear()
        proto.write("naïve ☕\n")
        self.assertEqual(transport.value(), "naïve ☕\r\n".encode())

    def test_invalid_utf8_replaced(self):
        """
        Invalid UTF-8 becomes U+FFFD, never an error.
        """
        proto, _transport, session = connect()
        proto.dataReceived(b"say \xc3\x28 \xfe\r\n")
        self.assertEqual(session.lines, ["say \ufffd( \ufffd"])
        self.assertEqual(session.lost, [])

    def test_iac_escaped_in(self):
        """
        IAC IAC in the stream is one 0xFF data byte (invalid UTF-8: replaced).
        """
        proto, _transport, session = connect()
        proto.dataReceived(b"a" + IAC + IAC + b"b\r\n")
        self.assertEqual(session.lines, ["a\ufffdb"])

    def test_iac_escaped_out(self):
        """
        A 0xFF byte written out is doubled (it cannot come from UTF-8 text,
        but is Latin-1's "ÿ").
        """
        proto, transport, _session = connect()
        proto.set_preference("charset", "latin-1")
        transport.clear()
        proto.write("x\xffy")
        self.assertEqual(transport.value(), b"x\xff\xffy")

    def test_commands_between_text_are_removed(self):
        """
        Telnet commands and subnegotiations inside a line are not part of it.
        """
        proto, _transport, session = connect()
        proto.dataReceived(b"lo" + IAC + telnet.NOP + b"o" + IAC + SB + NAWS
                           + b"\x00\x50\x00\x18" + IAC + SE + b"k\r\n")
        self.assertEqual(session.lines, ["look"])
        self.assertEqual(proto.client.width, 80)

    def test_half_finished_iac(self):
        """
        An IAC sequence cut off at the end of a packet is finished by the next.
        """
        proto, _transport, session = connect()
        proto.dataReceived(b"hel" + IAC)
        proto.dataReceived(WILL)
        proto.dataReceived(NAWS + b"lo\r\n")
        self.assertEqual(session.lines, ["hello"])
        proto.dataReceived(b"x" + IAC)
        self.assertEqual(session.lost, [])

    def test_garbage_after_iac(self):
        """
        A byte after IAC that is no telnet command is skipped, not fatal.
        """
        proto, transport, session = connect()
        proto.dataReceived(b"ab" + IAC + b"\x01cd" + IAC + SE + b"e\r\n")
        self.assertEqual(session.lines, ["abcde"])
        self.assertFalse(transport.disconnecting)

    def test_empty_subnegotiation(self):
        """
        IAC SB IAC SE with no option is ignored.
        """
        proto, _transport, session = connect()
        proto.dataReceived(IAC + SB + IAC + SE + b"ok\r\n")
        self.assertEqual(session.lines, ["ok"])

    def test_random_garbage(self):
        """
        Any sequence of bytes is survived: no exception, lines still work after.
        """
        import random

        rnd = random.Random(1234)
        proto, transport, session = connect()
        for _ in range(200):
            proto.dataReceived(bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 64))))
            if transport.disconnecting:
                break
        # Finish any subnegotiation the garbage opened, then send a real line.
        proto.dataReceived(IAC + SE + b"\r\nafter\r\n")
        if not transport.disconnecting:
            self.assertEqual(session.lines[-1], "after")

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.binary(max_size=40), max_size=20))
    def test_any_bytes_survived(self, chunks):
        """
        No sequence of packets raises; every line the session gets is clean text.
        """
        proto, _transport, session = connect(Limits(max_line=64))
        for chunk in chunks:
            proto.dataReceived(chunk)
        for line in session.lines:
            self.assertIsInstance(line, str)
            self.assertFalse(any(ord(c) < 32 for c in line))

    def test_endless_subnegotiation_drops(self):
        """
        A subnegotiation that never ends is capped, and the connection dropped.
        """
        proto, transport, _session = connect()
        proto.dataReceived(IAC + SB + TTYPE + b"x" * 100_000)
        proto.clock.advance(0)  # the turns a large input is spread over
        self.assertTrue(transport.disconnecting)

    def test_backspace_applied(self):
        """
        Backspace and DEL from character-mode clients edit the line.
        """
        self.assertEqual(clean_line("lppk\x7f\x7f\x08ook"), "look")
        self.assertEqual(clean_line("\x08\x08hi\tthere\x1b \x00"), "hi there")


class TelnetLimitTests(TestCase):
    """
    Long lines, HTTP and slow readers.
    """

    def test_long_line_refused(self):
        """
        A line over the limit is refused with a message; the connection stays
        and the next line works.
        """
        proto, transport, session = connect(Limits(max_line=100))
        transport.clear()
        proto.dataReceived(b"x" * 60)
        proto.dataReceived(b"x" * 60)
        proto.dataReceived(b"x" * 60 + b"\r\nlook\r\n")
        self.assertEqual(session.lines, ["look"])
        self.assertIn(b"too long", transport.value())
        self.assertEqual(transport.value().count(b"too long"), 1)
        self.assertFalse(transport.disconnecting)

    def test_megabyte_line_never_buffered(self):
        """
        A 1 MB line is discarded as it arrives; the buffer stays under the limit.
        """
        proto, transport, session = connect(Limits(max_line=1000, input_rate=1 << 30,
                                                   input_burst=1 << 30,
                                                   prelogin_input_rate=1 << 30))
        client = proto
        chunk = b"y" * 65536
        for _ in range(16):
            proto.dataReceived(chunk)
            proto.clock.advance(0)
            self.assertLessEqual(len(client._line), 1000)
        proto.dataReceived(b"\r\nsay ok\r\n")
        self.assertEqual(session.lines, ["say ok"])
        for _ in range(16):
            proto.dataReceived(b"z" * 65536)
            proto.clock.advance(0)
        proto.dataReceived(b"\n")
        self.assertEqual(session.lines, ["say ok"])
        self.assertFalse(transport.disconnecting)

    def test_line_at_limit_accepted(self):
        """
        A line exactly at the limit is accepted.
        """
        proto, _transport, session = connect(Limits(max_line=10))
        proto.dataReceived(b"0123456789\r\n")
        self.assertEqual(session.lines, ["0123456789"])

    def test_http_request_answered_and_closed(self):
        """
        An HTTP request gets a short plain-text answer and the connection closes.
        """
        proto, transport, session = connect()
        transport.clear()
        proto.dataReceived(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertTrue(transport.value().startswith(b"HTTP/1.0 400"))
        self.assertIn(b"telnet", transport.value())
        self.assertTrue(transport.disconnecting)
        self.assertEqual(session.lines, [])
        self.assertEqual(len(session.lost), 1)

    def test_http_only_on_first_line(self):
        """
        Saying something that looks like HTTP later is just a line.
        """
        proto, _transport, session = connect()
        proto.dataReceived(b"look\r\nGET / HTTP/1.1\r\n")
        self.assertEqual(session.lines, ["look", "GET / HTTP/1.1"])

    def test_tls_hello_closed(self):
        """
        A TLS handshake on the plain port is closed at once.
        """
        proto, transport, _session = connect()
        proto.dataReceived(b"\x16\x03\x01\x02\x00\x01")
        self.assertTrue(transport.disconnecting)

    def test_slow_reader_dropped(self):
        """
        A client that stops reading is dropped once its backlog passes the cap;
        until then writes go through.
        """
        proto, transport, session = connect(Limits(max_output=1000))
        client = proto
        self.assertIs(transport.producer, client)
        client.pauseProducing()
        client.write("x" * 900)
        self.assertFalse(transport.disconnecting)
        client.write("x" * 200)
        self.assertTrue(transport.disconnecting)
        self.assertEqual(len(session.lost), 1)
        self.assertIn("stopped reading", session.lost[0])
        client.write("more")  # harmless after the drop

    def test_resume_resets_backlog(self):
        """
        A client that catches up starts with a clean slate.
        """
        proto, transport, _session = connect(Limits(max_output=1000))
        client = proto
        client.pauseProducing()
        client.write("x" * 900)
        client.resumeProducing()
        client.pauseProducing()
        client.write("x" * 900)
        self.assertFalse(transport.disconnecting)


class TelnetNegotiationTests(TestCase):
    """
    Options: agreed, refused, or ignored.
    """

    def test_naws(self):
        """
        NAWS sets the width and height and tells the session.
        """
        proto, _transport, session = connect()
        proto.dataReceived(IAC + WILL + NAWS)
        proto.dataReceived(IAC + SB + NAWS + b"\x00\x64\x00\x30" + IAC + SE)
        self.assertEqual((proto.client.width, proto.client.height), (100, 48))
        self.assertEqual(session.changes, 1)

    def test_naws_with_escaped_iac(self):
        """
        A width of 255 arrives IAC-doubled and is read right.
        """
        proto, _transport, _session = connect()
        proto.dataReceived(IAC + WILL + NAWS)
        proto.dataReceived(IAC + SB + NAWS + b"\x00" + IAC + IAC + b"\x00\x30" + IAC + SE)
        self.assertEqual(proto.client.width, 255)

    def test_naws_nonsense_ignored(self):
        """
        A short or zero NAWS changes nothing harmful.
        """
        proto, _transport, _session = connect()
        proto.dataReceived(IAC + SB + NAWS + b"\x00" + IAC + SE)
        proto.dataReceived(IAC + SB + NAWS + b"\x00\x00\x00\x00" + IAC + SE)
        self.assertEqual(proto.client.width, 78)

    def test_ttype(self):
        """
        When the client agrees to TTYPE the server asks, and records the answer.
        """
        proto, transport, _session = connect()
        transport.clear()
        proto.dataReceived(IAC + WILL + TTYPE)
        self.assertIn(IAC + SB + TTYPE + b"\x01" + IAC + SE, transport.value())
        proto.dataReceived(IAC + SB + TTYPE + b"\x00XTERM-256COLOR" + IAC + SE)
        self.assertEqual(proto.client.terminal, "XTERM-256COLOR")
        self.assertEqual(proto.client.colours, 256)

    def test_refusals_tolerated(self):
        """
        A client refusing everything still gets lines through.
        """
        proto, _transport, session = connect()
        proto.dataReceived(IAC + DONT + SGA + IAC + WONT + NAWS + IAC + WONT + TTYPE
                           + b"look\r\n")
        self.assertEqual(session.lines, ["look"])

    def test_unknown_option_refused(self):
        """
        Options nobody handles are refused politely.
        """
        proto, transport, _session = connect()
        transport.clear()
        proto.dataReceived(IAC + WILL + b"\x99" + IAC + DO + b"\x98")
        self.assertEqual(transport.value(), IAC + DONT + b"\x99" + IAC + WONT + b"\x98")

    def test_echo_off_and_on(self):
        """
        Hiding input offers WILL ECHO; showing it again sends WONT ECHO.
        """
        proto, transport, session = connect()
        client = proto
        transport.clear()
        client.set_echo(False)
        self.assertEqual(transport.value(), IAC + WILL + ECHO)
        proto.dataReceived(IAC + DO + ECHO)
        self.assertTrue(client.local_option_on(ECHO))
        transport.clear()
        proto.dataReceived(b"secret\r\n")
        self.assertEqual(session.lines, ["secret"])
        self.assertEqual(transport.value(), b"\r\n")
        transport.clear()
        client.set_echo(True)
        self.assertEqual(transport.value(), IAC + WONT + ECHO)
        proto.dataReceived(IAC + DONT + ECHO)
        self.assertFalse(client.local_option_on(ECHO))

    def test_echo_toggled_before_answer(self):
        """
        If echo is turned back on before the client answered, the server
        follows up once the answer comes.
        """
        proto, transport, _session = connect()
        client = proto
        client.set_echo(False)
        client.set_echo(True)
        transport.clear()
        proto.dataReceived(IAC + DO + ECHO)
        self.assertEqual(transport.value(), IAC + WONT + ECHO)

    def test_echo_refused(self):
        """
        A client refusing to let us echo is not asked again and again.
        """
        proto, transport, _session = connect()
        client = proto
        client.set_echo(False)
        transport.clear()
        proto.dataReceived(IAC + DONT + ECHO)
        self.assertEqual(transport.value(), b"")

    def test_unsolicited_do_echo_refused(self):
        """
        A client asking us to echo when no password is typed is refused.
        """
        proto, transport, _session = connect()
        transport.clear()
        proto.dataReceived(IAC + DO + ECHO)
        self.assertEqual(transport.value(), IAC + WONT + ECHO)

    def test_ayt(self):
        """
        Are-you-there gets an answer.
        """
        proto, transport, _session = connect()
        transport.clear()
        proto.dataReceived(IAC + telnet.AYT)
        self.assertIn(b"[Yes]", transport.value())

    def test_colour_guess(self):
        """
        Terminal names map to colour depth conservatively.
        """
        self.assertEqual(colours_for_terminal("xterm"), 16)
        self.assertEqual(colours_for_terminal("xterm-256color"), 256)
        self.assertEqual(colours_for_terminal("dumb"), 0)
        self.assertEqual(colours_for_terminal("MUDLET"), 256)


class TelnetLifecycleTests(TestCase):
    """
    Disconnects reach the session exactly once.
    """

    def test_disconnect_tells_session_once(self):
        """
        A session-initiated disconnect reports once, even when the connection
        loss follows.
        """
        proto, transport, session = connect()
        proto.disconnect("bye")
        self.assertTrue(transport.disconnecting)
        proto.connectionLost(Failure(ConnectionDone()))
        self.assertEqual(session.lost, ["bye"])

    def test_connection_lost_tells_session(self):
        """
        A dropped connection reports to the session.
        """
        proto, _transport, session = connect()
        proto.connectionLost(Failure(ConnectionDone()))
        self.assertEqual(len(session.lost), 1)
        proto  # noqa: B018 - gone is fine

    def test_write_after_loss_ignored(self):
        """
        Writing to a lost client does nothing.
        """
        proto, _transport, session = connect()
        client = proto
        proto.connectionLost(Failure(ConnectionDone()))
        client.write("hello")
        client.set_echo(False)
        client.disconnect("again")
        self.assertEqual(len(session.lost), 1)
