"""
Tests for the telnet stream parser (L{engine.protocols.telnetcodec}) and the
RFC 1143 option negotiation (L{engine.protocols.negotiation}), and for what a
hostile client can make one connection cost (issue 15).
"""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st
from twisted.internet.address import IPv4Address
from twisted.internet.task import Clock
from twisted.internet.testing import StringTransport
from twisted.logger import globalLogPublisher
from twisted.trial.unittest import TestCase

from engine.limits import Limits
from engine.protocols.negotiation import NO, WANTNO, WANTYES, YES, Negotiator
from engine.protocols.telnet import TelnetServerFactory
from engine.protocols.telnetcodec import (
    AYT,
    DO,
    DONT,
    IAC,
    SB,
    SE,
    WILL,
    WONT,
    Command,
    Data,
    Negotiation,
    Overflow,
    Subnegotiation,
    TelnetParser,
    escape,
    subnegotiation,
)

NAWS, ECHO, UNKNOWN = b"\x1f", b"\x01", b"\x63"


class TelnetParserTests(TestCase):
    """
    Bytes in, events out, whatever the framing.
    """

    def test_events_in_order(self):
        """
        Text, commands, negotiations and subnegotiations come out in order.
        """
        events = TelnetParser().feed(b"hi" + IAC + AYT + b"there" + IAC + WILL + NAWS
                                     + IAC + SB + NAWS + b"\x00\x50\x00\x18" + IAC + SE + b"!")
        self.assertEqual(events, [Data(b"hi"), Command(AYT), Data(b"there"),
                                  Negotiation(WILL, NAWS),
                                  Subnegotiation(NAWS, b"\x00\x50\x00\x18"), Data(b"!")])

    def test_byte_at_a_time(self):
        """
        Fed one byte at a time, the same events come out (text may be split).
        """
        stream = (b"ab\r\ncd" + IAC + IAC + IAC + DO + ECHO + IAC + SB + UNKNOWN + b"x"
                  + IAC + IAC + b"y" + IAC + SE)
        parser = TelnetParser()
        events = [e for i in range(len(stream)) for e in parser.feed(stream[i:i + 1])]
        text = b"".join(e.data for e in events if isinstance(e, Data))
        self.assertEqual(text, b"ab\ncd\xff")
        self.assertEqual([e for e in events if not isinstance(e, Data)],
                         [Negotiation(DO, ECHO), Subnegotiation(UNKNOWN, b"x\xffy")])

    def test_line_endings(self):
        """
        CR LF, CR NUL, bare CR and LF each become one newline.
        """
        events = TelnetParser().feed(b"a\r\nb\r\x00c\rd\n")
        self.assertEqual(b"".join(e.data for e in events), b"a\nb\nc\nd\n")

    def test_garbage_after_iac_skipped(self):
        """
        IAC followed by a byte that is no command (SE outside a
        subnegotiation included) is skipped, never raised.
        """
        events = TelnetParser().feed(b"a" + IAC + b"\x05b" + IAC + SE + b"c")
        self.assertEqual(b"".join(e.data for e in events), b"abc")

    def test_endless_subnegotiation_bounded(self):
        """
        A subnegotiation past the bound is reported once, never held past it,
        and the rest of it is skipped up to its IAC SE.
        """
        parser = TelnetParser(max_subnegotiation=100)
        events = parser.feed(IAC + SB + UNKNOWN + b"x" * 99)
        self.assertEqual(events, [])
        events = parser.feed(b"x" * 10_000)
        self.assertEqual(events, [Overflow(100)])
        self.assertEqual(parser.buffered, 0)
        self.assertEqual(parser.feed(b"y" * 10_000 + IAC + SE + b"ok"), [Data(b"ok")])

    def test_empty_subnegotiation_ignored(self):
        """
        IAC SB IAC SE carries no option: nothing comes out.
        """
        self.assertEqual(TelnetParser().feed(IAC + SB + IAC + SE), [])

    @settings(max_examples=300, deadline=None)
    @given(st.binary(max_size=400), st.integers(min_value=1, max_value=50))
    def test_never_raises_and_bounded(self, data, cut):
        """
        Any bytes, cut anywhere: no exception, and never more held than the
        bound.
        """
        parser = TelnetParser(max_subnegotiation=64)
        for start in range(0, len(data), cut):
            parser.feed(data[start:start + cut])
            self.assertLessEqual(parser.buffered, 64)

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.sampled_from([
        b"look", b"\r\n", b"\r\x00", b"\r", b"\n", b"\x00", IAC + IAC, IAC, IAC + SE,
        IAC + SB, IAC + AYT, IAC + b"\x05", IAC + WILL, IAC + DO + ECHO, IAC + DONT + IAC,
        IAC + WONT + NAWS, IAC + SB + NAWS + b"\x00P\x00\x18" + IAC + SE, b"\xc3\xa9",
    ]), max_size=60))
    def test_runs_as_one_byte_at_a_time(self, pieces):
        """
        Runs of commands and of escaped IACs, read at once, give what the
        same bytes give read one at a time.
        """
        stream = b"".join(pieces)
        whole = TelnetParser(max_subnegotiation=16).feed(stream)
        parser = TelnetParser(max_subnegotiation=16)
        single = [e for i in range(len(stream)) for e in parser.feed(stream[i:i + 1])]

        def merged(events):
            # Text may be split differently; everything else must match.
            out = []
            for event in events:
                if isinstance(event, Data) and out and isinstance(out[-1], Data):
                    out[-1] = Data(out[-1].data + event.data)
                else:
                    out.append(event)
            return out

        self.assertEqual(merged(whole), merged(single))

    def test_command_storm_cheap(self):
        """
        A stream of nothing but negotiations is read without one object per
        negotiation: each negotiation event is shared.
        """
        events = TelnetParser().feed((IAC + WILL + ECHO + IAC + DO + NAWS) * 100)
        self.assertEqual(len(events), 200)
        self.assertEqual(len({id(e) for e in events}), 2)

    def test_framing(self):
        """
        Output framing: IAC doubled, newlines as CR LF, subnegotiation payload
        escaped.
        """
        self.assertEqual(escape(b"a\xffb\n"), b"a\xff\xffb\r\n")
        self.assertEqual(subnegotiation(UNKNOWN, b"\xff"), IAC + SB + UNKNOWN + b"\xff\xff"
                         + IAC + SE)


class Host:
    """
    A negotiation host that records what it is told.
    """

    def __init__(self, accept: set[tuple[bool, bytes]] = frozenset()) -> None:
        self.accepting = set(accept)
        self.sent: list[bytes] = []
        self.changes: list[tuple[bool, bytes, bool]] = []

    def accept(self, local, option):
        return (local, option) in self.accepting

    def changed(self, local, option, on):
        self.changes.append((local, option, on))

    def send_negotiation(self, data):
        self.sent.append(data)


class NegotiatorTests(TestCase):
    """
    RFC 1143's Q method, and the limits on what a client may ask.
    """

    def setUp(self):
        self.clock = Clock()
        self.host = Host({(False, NAWS), (True, ECHO)})
        self.q = Negotiator(self.host, self.clock, rate=10, burst=20, storm=40)

    def test_accepts_and_refuses(self):
        """
        An unprompted WILL we accept is answered DO; one we do not, DONT.
        """
        self.q.received(WILL, NAWS)
        self.q.received(WILL, UNKNOWN)
        self.assertEqual(self.host.sent, [IAC + DO + NAWS, IAC + DONT + UNKNOWN])
        self.assertEqual(self.host.changes, [(False, NAWS, True)])
        self.assertTrue(self.q.enabled(False, NAWS))

    def test_no_answer_without_change(self):
        """
        A WILL for an option already on, or WONT for one off, is not answered
        (what stops two parties answering each other for ever).
        """
        self.q.received(WILL, NAWS)
        self.q.received(WILL, NAWS)
        self.q.received(WONT, UNKNOWN)
        self.q.received(DONT, ECHO)
        self.assertEqual(self.host.sent, [IAC + DO + NAWS])

    def test_refused_once_then_silence(self):
        """
        A client that asks again for an option we refused gets no answer.
        """
        for _ in range(10):
            self.q.received(WILL, UNKNOWN)
            self.q.received(DO, UNKNOWN)
        self.assertEqual(self.host.sent, [IAC + DONT + UNKNOWN, IAC + WONT + UNKNOWN])

    def test_our_request_answered(self):
        """
        Our DO answered by WILL turns the option on, without asking the host.
        """
        self.assertTrue(self.q.request(False, UNKNOWN, True))
        self.assertEqual(self.q.state(UNKNOWN).him.state, WANTYES)
        self.q.received(WILL, UNKNOWN)
        self.assertTrue(self.q.enabled(False, UNKNOWN))
        self.assertEqual(self.host.sent, [IAC + DO + UNKNOWN])

    def test_our_request_refused(self):
        """
        Our WILL answered by DONT leaves it off, with no answer to the answer.
        """
        self.q.request(True, UNKNOWN, True)
        self.q.received(DONT, UNKNOWN)
        self.assertEqual(self.q.state(UNKNOWN).us.state, NO)
        self.assertEqual(self.host.sent, [IAC + WILL + UNKNOWN])

    def test_queued_opposite(self):
        """
        Asking for "off" while "on" is under way waits for the answer, then
        asks (the queue bit); asking "on" again cancels the queued "off".
        """
        self.q.request(True, ECHO, True)
        self.assertTrue(self.q.request(True, ECHO, False))
        self.assertEqual(self.host.sent, [IAC + WILL + ECHO])
        self.q.received(DO, ECHO)
        self.assertEqual(self.q.state(ECHO).us.state, WANTNO)
        self.assertEqual(self.host.sent, [IAC + WILL + ECHO, IAC + WONT + ECHO])
        self.q.received(DONT, ECHO)
        self.assertEqual(self.q.state(ECHO).us.state, NO)
        self.q.request(True, ECHO, True)
        self.q.request(True, ECHO, False)
        self.q.request(True, ECHO, True)
        self.q.received(DO, ECHO)
        self.assertEqual(self.q.state(ECHO).us.state, YES)

    def test_toggle_storm_capped(self):
        """
        Option changes past the budget are ignored; a client that keeps going
        is a storm (the connection drops it).
        """
        for _ in range(15):
            self.q.received(WILL, NAWS)
            self.q.received(WONT, NAWS)
        self.assertEqual(len(self.host.sent), 20)
        self.assertFalse(self.q.storm)
        for _ in range(20):
            self.q.received(WILL, NAWS)
            self.q.received(WONT, NAWS)
        self.assertTrue(self.q.storm)

    def test_budget_refills(self):
        """
        A client that changes options slowly is always answered.
        """
        for _ in range(200):
            self.q.received(WILL, NAWS)
            self.q.received(WONT, NAWS)
            self.clock.advance(0.2)
        self.assertEqual(len(self.host.sent), 400)
        self.assertFalse(self.q.storm)


def connect(limits: Limits | None = None):
    factory = TelnetServerFactory(Welcome, limits, clock=Clock())
    proto = factory.buildProtocol(IPv4Address("TCP", "10.0.0.9", 5000))
    transport = StringTransport(peerAddress=IPv4Address("TCP", "10.0.0.9", 5000))
    proto.makeConnection(transport)
    return factory, proto, transport


class Welcome:
    """
    A session that greets and echoes each line back.
    """

    authenticated = False

    def __init__(self, client):
        self.client = client
        self.lost: list[str] = []

    def connected(self):
        self.client.write("Welcome!\n")

    def line_received(self, line):
        self.client.write(f"You said {line}\n")

    def client_changed(self):
        pass

    def disconnected(self, reason):
        self.lost.append(reason)


class OutputBoundTests(TestCase):
    """
    Everything written to a connection counts against one bound (issue 15).
    """

    def test_negotiation_answers_count(self):
        """
        A client that stopped reading and sends negotiations the server
        answers is dropped once the answers pile up past max_output.
        """
        _factory, proto, transport = connect(Limits(max_output=1024, negotiation_burst=10_000,
                                                    negotiation_rate=10_000))
        session = proto.session
        proto.pauseProducing()
        for option in range(256):
            proto.dataReceived(IAC + WILL + bytes([option]) + IAC + DO + bytes([option]))
            proto.clock.advance(0)
            if transport.disconnecting:
                break
        self.assertTrue(transport.disconnecting)
        self.assertIn("stopped reading", session.lost[0])
        self.assertLessEqual(proto._paused_bytes, 1024)

    def test_storm_dropped(self):
        """
        A toggle storm with default limits is dropped, having been answered
        at most negotiation_burst times.
        """
        _factory, proto, transport = connect()
        session = proto.session
        transport.clear()
        proto.dataReceived((IAC + WILL + NAWS + IAC + WONT + NAWS) * 5000)
        for _ in range(100):  # ten seconds, a tenth at a time
            proto.clock.advance(0.1)
        self.assertTrue(transport.disconnecting)
        self.assertIn("negotiation storm", session.lost[0])
        self.assertLessEqual(transport.value().count(IAC), 2 * Limits().negotiation_burst)

    def test_refused_storm_dropped(self):
        """
        Asking again and again for an option the server refused gets one
        refusal, then silence, then the connection dropped.
        """
        _factory, proto, transport = connect()
        transport.clear()
        proto.dataReceived((IAC + WILL + UNKNOWN) * 5000)
        for _ in range(100):
            proto.clock.advance(0.1)
        self.assertEqual(transport.value(), IAC + DONT + UNKNOWN)
        self.assertTrue(transport.disconnecting)

    def test_echo_and_prompt_count(self):
        """
        Echoes (lines answered while reading stopped) count like any text.
        """
        _factory, proto, transport = connect(Limits(max_output=2048))
        proto.pauseProducing()
        for _ in range(100):
            proto.dataReceived(b"x" * 50 + b"\r\n")
        proto.clock.advance(0)
        self.assertTrue(transport.disconnecting)
        self.assertLessEqual(len(transport.value()), 2048 + 200)

    def test_compressed_output_counts(self):
        """
        With MCCP2 on, the compressed bytes count, and the bound still holds.
        """
        _factory, proto, transport = connect(Limits(max_output=2048))
        proto.dataReceived(IAC + DO + b"\x56")  # agree to our WILL MCCP2
        self.assertIsNotNone(proto._compressor)
        proto.pauseProducing()
        for _ in range(100):
            proto.write(os.urandom(64).hex() + "\n")  # compresses poorly
            if transport.disconnecting:
                break
        self.assertTrue(transport.disconnecting)
        self.assertLessEqual(proto._paused_bytes, 2048)

    def test_reading_again_resets(self):
        """
        A client that catches up may fall behind again later by as much.
        """
        _factory, proto, transport = connect(Limits(max_output=2048))
        for _ in range(5):
            proto.pauseProducing()
            proto.write("y" * 1500 + "\n")
            proto.resumeProducing()
        self.assertFalse(transport.disconnecting)


class InputBoundTests(TestCase):
    """
    What the server holds from a connection is bounded, and budgeted.
    """

    def test_unfinished_subnegotiation_drops(self):
        """
        A subnegotiation past max_subnegotiation drops the connection, having
        held no more than that.
        """
        _factory, proto, transport = connect(Limits(max_subnegotiation=100))
        session = proto.session
        proto.dataReceived(IAC + SB + NAWS + b"z" * 99)
        self.assertFalse(transport.disconnecting)
        self.assertEqual(proto.parser.buffered, 100)
        proto.dataReceived(b"z")
        self.assertTrue(transport.disconnecting)
        self.assertIn("subnegotiation over 100 bytes", session.lost[0])

    def test_over_budget_stops_reading(self):
        """
        Past its byte budget a connection is not read from until the budget
        refills; nothing it sent is lost.
        """
        _factory, proto, transport = connect(Limits(input_rate=1000, input_burst=4096))
        session = proto.session
        lines = [f"line {n:04d} ".encode() + b"." * 90 + b"\r\n" for n in range(100)]
        proto.dataReceived(b"".join(lines))
        proto.clock.advance(0)
        self.assertEqual(transport.producerState, "paused")
        self.assertFalse(transport.disconnecting)
        for _ in range(20):
            proto.clock.advance(1)
        self.assertEqual(transport.producerState, "producing")
        said = transport.value().count(b"You said line")
        self.assertEqual(said, 100)
        self.assertEqual(session.lost, [])

    def test_flood_dropped_after_throttle(self):
        """
        A client that stays over its budget is dropped after throttle_drop
        seconds of being held back, and the reason is given.
        """
        _factory, proto, transport = connect(Limits(input_rate=1000, input_burst=4096,
                                                    throttle_drop=5))
        session = proto.session
        for _ in range(100):
            if transport.disconnecting:
                break
            if transport.producerState == "producing":
                proto.dataReceived(b"y" * 65536)
            proto.clock.advance(0.5)
        self.assertTrue(transport.disconnecting)
        self.assertIn("sending too fast", session.lost[0])

    def test_bounded_turn(self):
        """
        One read does at most LINES_PER_TURN lines of work before others
        get their turn.
        """
        from engine.protocols.telnet import LINES_PER_TURN

        _factory, proto, transport = connect()
        proto.dataReceived(b"go\r\n" * 100)
        self.assertEqual(transport.value().count(b"You said go"), LINES_PER_TURN)
        proto.clock.advance(0)
        self.assertEqual(transport.value().count(b"You said go"), 100)

    def test_bounded_commands_per_turn(self):
        """
        One turn handles at most COMMANDS_PER_TURN telnet commands, however
        few bytes they take; the rest wait for the next turns.
        """
        from engine.protocols.door import MESSAGES_PER_TURN as COMMANDS_PER_TURN

        _factory, proto, transport = connect()
        before = len(transport.value())
        proto.dataReceived((IAC + b"\xf6") * 150)  # AYT: each answered
        self.assertEqual(transport.value()[before:].count(b"[Yes]"), COMMANDS_PER_TURN)
        self.assertTrue(proto.clock.getDelayedCalls())  # the rest: in the next turns
        proto.clock.advance(0)
        self.assertEqual(transport.value()[before:].count(b"[Yes]"), 150)


class ServerWideTests(TestCase):
    """
    Ceilings across all connections before login.
    """

    def test_prelogin_connections_capped(self):
        """
        Past max_prelogin connections waiting to log in, new ones are told
        and closed.
        """
        factory = TelnetServerFactory(Welcome, Limits(max_prelogin=3), clock=Clock())
        transports = []
        for port in range(5):
            proto = factory.buildProtocol(None)
            transport = StringTransport(peerAddress=IPv4Address("TCP", "10.0.0.1", port))
            proto.makeConnection(transport)
            transports.append(transport)
        self.assertEqual([t.disconnecting for t in transports],
                         [False, False, False, True, True])
        self.assertIn(b"Too many connections are waiting", transports[4].value())

    def test_prelogin_buffer_capped(self):
        """
        Output piled up for non-reading connections before login counts
        server-wide; the one that would go past prelogin_buffer is dropped.
        """
        limits = Limits(max_output=100_000, prelogin_buffer=150_000)
        factory = TelnetServerFactory(Welcome, limits, clock=Clock())
        protos = []
        for port in range(3):
            proto = factory.buildProtocol(None)
            transport = StringTransport(peerAddress=IPv4Address("TCP", "10.0.0.1", port))
            proto.makeConnection(transport)
            proto.pauseProducing()
            protos.append((proto, transport))
        for proto, _transport in protos:
            for _ in range(9):
                proto.write("z" * 9_000 + "\n")
        self.assertEqual([t.disconnecting for _p, t in protos], [False, True, True])
        self.assertLessEqual(factory.prelogin_held, 150_000)
        protos[0][0].connectionLost(None)
        self.assertLess(factory.prelogin_held, 100_000)

    def test_prelogin_work_shared(self):
        """
        Connections that have not logged in share one budget of work: many
        of them flooding together get no more than prelogin_input_rate,
        however generous each one's own budget; and none is dropped for it
        (waiting for the shared budget is not its own fault).
        """
        limits = Limits(prelogin_input_rate=4096, input_rate=1 << 20, input_burst=1 << 20)
        clock = Clock()
        factory = TelnetServerFactory(Welcome, limits, clock=clock)
        protos = []
        for port in range(5):
            proto = factory.buildProtocol(None)
            transport = StringTransport(peerAddress=IPv4Address("TCP", "10.0.0.1", port))
            proto.makeConnection(transport)
            protos.append((proto, transport))
        line = b"x" * 250 + b"\r\n"  # 252 bytes and one line: 508 of the budget
        for proto, _transport in protos:
            proto.dataReceived(line * 100)

        def answered():
            return sum(t.value().count(b"You said") for _p, t in protos)

        clock.advance(0)
        first = answered()
        self.assertLessEqual(first, 4 * 4096 // 508 + 1)  # the burst: four seconds' worth
        for _ in range(10):
            clock.advance(1)
        self.assertLessEqual(answered() - first, 10 * 4096 // 508 + 1)
        self.assertGreater(answered(), first)
        self.assertFalse(any(t.disconnecting for _p, t in protos))

    def test_logged_in_not_held_by_prelogin(self):
        """
        A player who has logged in is not held back by what anonymous
        connections used of their shared budget.
        """
        limits = Limits(prelogin_input_rate=1024)
        factory = TelnetServerFactory(Welcome, limits, clock=Clock())
        factory.prelogin_budget.take(factory.prelogin_budget.available())
        proto = factory.buildProtocol(None)
        transport = StringTransport(peerAddress=IPv4Address("TCP", "10.0.0.1", 1))
        proto.makeConnection(transport)
        proto.dataReceived(b"before\r\n")
        self.assertNotIn(b"You said before", transport.value())
        proto.session.authenticated = True
        proto.dataReceived(b"after\r\n")
        self.assertIn(b"You said before", transport.value())
        self.assertIn(b"You said after", transport.value())

    def test_connection_rate(self):
        """
        Past connection_burst new connections at once (from any addresses),
        further ones are told to try again and closed, with one log line for
        all of them; after a while more are taken again.
        """
        clock = Clock()
        factory = TelnetServerFactory(Welcome, Limits(connection_rate=2, connection_burst=3),
                                      clock=clock)
        logged: list[dict] = []
        globalLogPublisher.addObserver(logged.append)
        self.addCleanup(globalLogPublisher.removeObserver, logged.append)

        def arrive(port):
            proto = factory.buildProtocol(None)
            transport = StringTransport(peerAddress=IPv4Address("TCP", f"10.0.1.{port}", 1))
            proto.makeConnection(transport)
            return transport

        transports = [arrive(port) for port in range(6)]
        self.assertEqual([t.disconnecting for t in transports],
                         [False, False, False, True, True, True])
        self.assertIn(b"Too many connections", transports[5].value())
        refusals = [e for e in logged if "refused" in e.get("log_format", "")]
        self.assertEqual(len(refusals), 1)
        clock.advance(1)
        self.assertFalse(arrive(7).disconnecting)
