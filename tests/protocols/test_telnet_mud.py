"""
Byte-level tests of the MUD protocols over telnet: every negotiation offered,
accepted, refused and left unanswered; compression; prompt marking; charset;
terminal types; colour and escape injection at the output boundary.
"""

from __future__ import annotations

import json
import zlib
from typing import ClassVar

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
from engine.protocols.settings import IClientSettings, option_text
from engine.protocols.telnet import TelnetServerFactory

IAC, WILL, WONT, DO, DONT, SB, SE, GA = (
    telnet.IAC, telnet.WILL, telnet.WONT, telnet.DO, telnet.DONT, telnet.SB, telnet.SE,
    telnet.GA,
)
SGA, TTYPE = telnet.SGA, b"\x18"
GMCP, MSSP, MCCP2, EOR_OPT, CHARSET = b"\xc9", b"\x46", b"\x56", b"\x19", b"\x2a"
EOR = b"\xef"


@implementer(ISession)
class Session:
    authenticated = False

    """
    Records lines; relays each line to the other sessions in C{room}, the
    way speech reaches other players.
    """

    def __init__(self, client: IClient, room: list[Session]) -> None:
        self.client = client
        self.room = room
        self.lines: list[str] = []
        self.changes = 0
        room.append(self)

    def connected(self) -> None:
        self.client.write("Welcome!\n")

    def line_received(self, line: str) -> None:
        self.lines.append(line)
        for other in self.room:
            if other is not self:
                other.client.write(f"Someone says, \"{line}\"\n")
                other.client.send_oob("Comm.Channel.Text",
                                      {"channel": "say", "talker": "Someone", "text": line})

    def client_changed(self) -> None:
        self.changes += 1

    def disconnected(self, reason: str) -> None:
        pass


class Conn:
    """
    One simulated connection: the telnet transport, the bytes it wrote, its
    session.
    """

    def __init__(self, room: list[Session] | None = None, **factory_kw) -> None:
        self.room = [] if room is None else room
        factory_kw.setdefault("clock", Clock())
        factory = TelnetServerFactory(lambda c: Session(c, self.room), **factory_kw)
        self.factory = factory
        self.proto = factory.buildProtocol(IPv4Address("TCP", "10.0.0.2", 5000))
        self.wire = StringTransport(peerAddress=IPv4Address("TCP", "10.0.0.2", 5000))
        self.proto.makeConnection(self.wire)
        self.session = self.room[-1]
        self.client = self.proto

    def send(self, data: bytes) -> None:
        self.proto.dataReceived(data)
        self.factory.clock.advance(0)  # the turns a large input is spread over

    def take(self) -> bytes:
        data = self.wire.value()
        self.wire.clear()
        return data


def sb(option: bytes, payload: bytes) -> bytes:
    return IAC + SB + option + payload + IAC + SE


def gmcp_messages(data: bytes) -> list[tuple[str, object]]:
    """
    The GMCP messages in a plain (uncompressed) byte stream.
    """
    found = []
    start = 0
    marker = IAC + SB + GMCP
    while (i := data.find(marker, start)) >= 0:
        end = data.find(IAC + SE, i)
        payload = data[i + 3:end].replace(IAC + IAC, IAC).decode()
        package, _, body = payload.partition(" ")
        found.append((package, json.loads(body) if body else None))
        start = end + 2
    return found


class OfferTests(TestCase):
    def test_everything_offered_at_connect(self) -> None:
        """GMCP, MSSP, MCCP2, EOR and CHARSET are offered; TTYPE and NAWS asked; SGA waits."""
        c = Conn()
        sent = c.take()
        for offer in (IAC + WILL + GMCP, IAC + WILL + MSSP, IAC + WILL + MCCP2,
                      IAC + WILL + EOR_OPT, IAC + WILL + CHARSET,
                      IAC + DO + TTYPE):
            self.assertIn(offer, sent)
        self.assertNotIn(IAC + WILL + SGA, sent)
        self.assertTrue(sent.endswith(b"Welcome!\r\n"))

    def test_silent_client(self) -> None:
        """A client that never answers gets plain text, no marker junk, no OOB."""
        c = Conn()
        c.take()
        c.client.send_oob("Room.Info", {"num": 1})
        c.client.write("|rHello|n\n")
        c.client.prompt("> ")
        self.assertEqual(c.take(), b"Hello\r\n> " + IAC + GA)
        self.assertEqual(c.client.encoding, "utf-8")
        self.assertEqual(c.client.client.colours, 0)

    def test_refuse_everything(self) -> None:
        """A client refusing every option still works, and nothing is re-offered."""
        c = Conn()
        c.take()
        c.send(IAC + DONT + GMCP + IAC + DONT + MSSP + IAC + DONT + MCCP2 + IAC + DONT
               + EOR_OPT + IAC + DONT + CHARSET + IAC + DONT + SGA + IAC + WONT + TTYPE
               + b"look\r\n")
        self.assertEqual(c.session.lines, ["look"])
        self.assertEqual(c.take(), b"")
        c.client.send_oob("Core.Goodbye", "bye")
        c.client.write("plain\n")
        self.assertEqual(c.take(), b"plain\r\n")


class GmcpTests(TestCase):
    def enabled(self, modules: list[str]) -> Conn:
        c = Conn()
        c.send(IAC + DO + GMCP)
        c.send(sb(GMCP, b'Core.Hello {"client":"Mudlet","version":"4.17.2"}'))
        c.send(sb(GMCP, b"Core.Supports.Set " + json.dumps(modules).encode()))
        c.take()
        return c

    def test_room_info_exact_bytes(self) -> None:
        """An enabled package goes out as IAC SB GMCP <name> <json> IAC SE."""
        c = self.enabled(["Room 1", "Char 1"])
        c.client.send_oob("Room.Info", {"num": 7, "name": "Quay", "area": "Saltmere",
                                        "exits": {"n": 8}})
        self.assertEqual(c.take(), sb(GMCP, b'Room.Info {"num":7,"name":"Quay",'
                                            b'"area":"Saltmere","exits":{"n":8}}'))
        self.assertEqual(c.client.option_state["gmcp"].client, "Mudlet")

    def test_package_not_enabled(self) -> None:
        """A package the client did not ask for is not sent."""
        c = self.enabled(["Char 1"])
        c.client.send_oob("Room.Info", {"num": 7})
        c.client.send_oob("Comm.Channel.Text", {"text": "hi"})
        self.assertEqual(c.take(), b"")
        c.send(sb(GMCP, b'Core.Supports.Add ["Comm.Channel 1"]'))
        c.client.send_oob("Comm.Channel.Text", {"text": "hi"})
        self.assertEqual(gmcp_messages(c.take()), [("Comm.Channel.Text", {"text": "hi"})])
        c.send(sb(GMCP, b'Core.Supports.Remove ["Comm.Channel"]'))
        c.client.send_oob("Comm.Channel.Text", {"text": "hi"})
        self.assertEqual(c.take(), b"")

    def test_not_sent_before_agreement(self) -> None:
        """Without DO GMCP, even a client that sends Supports.Set gets nothing."""
        c = Conn()
        c.send(sb(GMCP, b'Core.Supports.Set ["Room 1"]'))
        c.take()
        c.client.send_oob("Room.Info", {"num": 1})
        self.assertEqual(c.take(), b"")

    def test_refused(self) -> None:
        """DONT GMCP: nothing is ever sent out of band."""
        c = Conn()
        c.send(IAC + DONT + GMCP)
        c.send(sb(GMCP, b'Core.Supports.Set ["Room 1"]'))
        c.take()
        c.client.send_oob("Room.Info", {"num": 1})
        self.assertEqual(c.take(), b"")

    def test_ping(self) -> None:
        """Core.Ping is answered with Core.Ping."""
        c = self.enabled([])
        c.send(sb(GMCP, b"Core.Ping 42"))
        self.assertEqual(c.take(), sb(GMCP, b"Core.Ping"))

    def test_garbage_ignored(self) -> None:
        """Broken GMCP is logged and ignored; the connection goes on."""
        c = self.enabled(["Room 1"])
        c.send(sb(GMCP, b"Core.Supports.Set [\"Room 1\"") + sb(GMCP, b"\xff\xff\xfe")
               + sb(GMCP, b"X" * 4000) + sb(GMCP, b"Y.Z " + b"[" * 3000) + b"look\r\n")
        self.assertEqual(c.session.lines, ["look"])
        c.client.send_oob("Room.Info", {"num": 1})
        self.assertEqual(gmcp_messages(c.take()), [("Room.Info", {"num": 1})])

    @settings(max_examples=100, deadline=None)
    @given(st.binary(max_size=200))
    def test_any_payload_survived(self, payload: bytes) -> None:
        """Any GMCP payload from a client is survived; the connection stays."""
        c = self.enabled(["Room 1"])
        c.send(sb(GMCP, payload.replace(IAC, IAC + IAC)) + b"ok\r\n")
        self.assertEqual(c.session.lines[-1], "ok")
        self.assertFalse(c.wire.disconnecting)

    def test_iac_in_payload_escaped(self) -> None:
        """A 0xFF byte cannot occur in UTF-8 JSON, and the framing stays intact."""
        c = self.enabled(["Room 1"])
        c.client.send_oob("Room.Info", {"name": "ÿ"})
        self.assertEqual(gmcp_messages(c.take()), [("Room.Info", {"name": "ÿ"})])

    def test_unserialisable_data_dropped(self) -> None:
        """Data that is not JSON is not sent (and does not raise)."""
        c = self.enabled(["Room 1"])
        c.client.send_oob("Room.Info", {"bad": object()})
        self.assertEqual(c.take(), b"")
        self.flushLoggedErrors(TypeError)


class MsspTests(TestCase):
    def test_accepted(self) -> None:
        """DO MSSP: the variables come at once, from the provider."""
        c = Conn(mssp=lambda: {"NAME": "Tessera", "PLAYERS": "3", "PORT": ["4000", "4001"]})
        c.take()
        c.send(IAC + DO + MSSP)
        self.assertEqual(c.take(), sb(MSSP, b"\x01NAME\x02Tessera\x01PLAYERS\x023"
                                            b"\x01PORT\x024000\x024001"))

    def test_default_provider_counts_connections(self) -> None:
        """Without a provider, PLAYERS is the number of open connections."""
        c = Conn()
        c.take()
        c.send(IAC + DO + MSSP)
        self.assertIn(b"\x01PLAYERS\x021\x01", c.take())
        self.assertEqual(c.factory.connections, 1)
        c.client.disconnect("test")
        c.proto.connectionLost(Failure(ConnectionDone()))
        self.assertEqual(c.factory.connections, 0)

    def test_refused_and_silent(self) -> None:
        """DONT MSSP, or no answer: no MSSP data is sent."""
        c = Conn()
        c.take()
        c.send(IAC + DONT + MSSP)
        self.assertEqual(c.take(), b"")

    def test_plaintext_request(self) -> None:
        """The line MSSP-REQUEST gets the plaintext block; the session never sees it."""
        c = Conn(mssp=lambda: {"NAME": "Tessera", "PORT": ["4000"]})
        c.take()
        c.send(b"MSSP-REQUEST\r\n")
        self.assertEqual(c.take(), b"MSSP-REPLY-START\r\nNAME\tTessera\r\nPORT\t4000\r\n"
                                   b"MSSP-REPLY-END\r\n")
        self.assertEqual(c.session.lines, [])

    def test_not_while_password_hidden(self) -> None:
        """A hidden line (a password) is never taken for MSSP-REQUEST."""
        c = Conn()
        c.client.set_echo(False)
        c.send(b"MSSP-REQUEST\r\n")
        self.assertEqual(c.session.lines, ["MSSP-REQUEST"])


class Mccp2Tests(TestCase):
    def compressed(self) -> tuple[Conn, zlib._Decompress]:
        c = Conn()
        c.take()
        c.send(IAC + DO + MCCP2)
        data = c.take()
        self.assertEqual(data, IAC + SB + MCCP2 + IAC + SE)
        return c, zlib.decompressobj()

    def test_stream_decompresses(self) -> None:
        """After the marker every byte is zlib, and each write decompresses at once."""
        c, d = self.compressed()
        c.client.write("Hello, world\n")
        self.assertEqual(d.decompress(c.take()), b"Hello, world\r\n")
        c.client.prompt("> ")
        self.assertEqual(d.decompress(c.take()), b"> " + IAC + GA)

    def test_negotiation_and_oob_compressed_too(self) -> None:
        """Telnet commands and GMCP written after the marker are in the stream."""
        c, d = self.compressed()
        c.send(IAC + DO + GMCP + sb(GMCP, b'Core.Supports.Set ["Room 1"]'))
        c.client.send_oob("Room.Info", {"num": 1})
        self.assertEqual(gmcp_messages(d.decompress(c.take())), [("Room.Info", {"num": 1})])

    def test_disconnect_ends_stream(self) -> None:
        """Closing from our side flushes Z_FINISH before the connection closes."""
        c, d = self.compressed()
        c.client.write("Goodbye.\n")
        c.client.disconnect("quit")
        self.assertEqual(d.decompress(c.take()), b"Goodbye.\r\n")
        self.assertTrue(d.eof)
        self.assertEqual(d.unused_data, b"")
        self.assertTrue(c.wire.disconnecting)

    def test_client_withdraws(self) -> None:
        """DONT MCCP2 mid-stream: the stream ends, WONT and later text are plain."""
        c, d = self.compressed()
        c.client.write("one\n")
        c.send(IAC + DONT + MCCP2)
        c.client.write("two\n")
        data = c.take()
        rest = b""
        out = d.decompress(data)
        self.assertTrue(d.eof)
        rest = d.unused_data
        self.assertEqual(out, b"one\r\n")
        self.assertEqual(rest, IAC + WONT + MCCP2 + b"two\r\n")

    def test_refused(self) -> None:
        """DONT MCCP2: nothing is compressed."""
        c = Conn()
        c.take()
        c.send(IAC + DONT + MCCP2)
        c.client.write("plain\n")
        self.assertEqual(c.take(), b"plain\r\n")

    def test_unasked_do_refused(self) -> None:
        """A DO after a refusal is refused (the marker must follow our WILL)."""
        c = Conn()
        c.send(IAC + DONT + MCCP2)
        c.take()
        c.send(IAC + DO + MCCP2)
        self.assertEqual(c.take(), IAC + WONT + MCCP2)


class PromptTests(TestCase):
    def test_eor_when_agreed(self) -> None:
        """With EOR agreed a prompt ends in IAC EOR, never a line end."""
        c = Conn()
        c.send(IAC + DO + EOR_OPT + IAC + DO + SGA)
        c.take()
        c.client.prompt("HP 10> ")
        self.assertEqual(c.take(), b"HP 10> " + IAC + EOR)

    def test_no_ga_with_sga(self) -> None:
        """EOR refused and SGA on: no marker (GA is suppressed)."""
        c = Conn()
        c.send(IAC + DONT + EOR_OPT + IAC + DO + SGA)
        c.take()
        c.client.prompt("> ")
        self.assertEqual(c.take(), b"> ")

    def test_ga_without_sga(self) -> None:
        """Neither EOR nor SGA: GA marks the prompt."""
        c = Conn()
        c.send(IAC + DONT + EOR_OPT + IAC + DONT + SGA)
        c.take()
        c.client.prompt("> ")
        self.assertEqual(c.take(), b"> " + IAC + GA)

    def test_player_choices(self) -> None:
        """option prompt ga forces GA; off sends nothing; eor sends EOR only."""
        c = Conn()
        c.send(IAC + DO + SGA)
        c.take()
        option_text(c.client, "prompt ga")
        c.take()
        c.client.prompt("> ")
        self.assertEqual(c.take(), b"> " + IAC + GA)
        option_text(c.client, "prompt off")
        c.send(IAC + DO + EOR_OPT)
        c.take()
        c.client.prompt("> ")
        self.assertEqual(c.take(), b"> ")
        option_text(c.client, "prompt eor")
        c.client.prompt("> ")
        self.assertEqual(c.take(), b"> " + IAC + EOR)

    def test_blank_line_client(self) -> None:
        """A client known to show GA as a blank line gets no GA by default."""
        c = Conn()
        c.send(IAC + DONT + SGA + IAC + WILL + TTYPE + sb(TTYPE, b"\x00BLOWTORCH"))
        c.take()
        c.client.prompt("> ")
        self.assertEqual(c.take(), b"> ")


class CharsetTests(TestCase):
    def test_request_on_agreement(self) -> None:
        """DO CHARSET: the server asks for UTF-8 first, then the legacy sets."""
        c = Conn()
        c.take()
        c.send(IAC + DO + CHARSET)
        self.assertEqual(c.take(), sb(CHARSET, b"\x01;UTF-8;ISO-8859-1;US-ASCII"))

    def test_accepted_utf8(self) -> None:
        """ACCEPTED UTF-8: text goes out as UTF-8."""
        c = Conn()
        c.send(IAC + DO + CHARSET + sb(CHARSET, b"\x02UTF-8"))
        c.take()
        c.client.write("café\n")
        self.assertEqual(c.take(), "café\r\n".encode())
        self.assertTrue(c.client.client.utf8)

    def test_accepted_latin1_both_ways(self) -> None:
        """ACCEPTED ISO-8859-1: out and in are Latin-1, with look-alikes for the rest."""
        c = Conn()
        c.send(IAC + DO + CHARSET + sb(CHARSET, b"\x02ISO-8859-1"))
        c.take()
        self.assertFalse(c.client.client.utf8)
        c.client.write("café — ÿ 日\n")
        self.assertEqual(c.take(), b"caf\xe9 - \xff\xff ?\r\n")
        c.send(b"say caf\xe9\r\n")
        self.assertEqual(c.session.lines, ["say café"])

    def test_rejected_and_silent(self) -> None:
        """REJECTED, or no answer at all: UTF-8 stays."""
        for answer in (sb(CHARSET, b"\x03"), b""):
            c = Conn()
            c.send(IAC + DO + CHARSET + answer)
            c.take()
            c.client.write("é\n")
            self.assertEqual(c.take(), "é\r\n".encode())

    def test_refused(self) -> None:
        """DONT CHARSET: no request is sent."""
        c = Conn()
        c.take()
        c.send(IAC + DONT + CHARSET)
        self.assertEqual(c.take(), b"")

    def test_client_request(self) -> None:
        """A client that offers CHARSET itself is answered."""
        c = Conn()
        c.send(IAC + DONT + CHARSET)
        c.take()
        c.send(IAC + WILL + CHARSET)
        self.assertEqual(c.take(), IAC + DO + CHARSET)
        c.send(sb(CHARSET, b"\x01 US-ASCII"))
        self.assertEqual(c.take(), sb(CHARSET, b"\x02US-ASCII"))
        c.client.write("naïve\n")
        self.assertEqual(c.take(), b"na?ve\r\n")


class TerminalTypeTests(TestCase):
    def test_cycle_with_mtts(self) -> None:
        """Three asks: name, terminal, MTTS; then none; abilities set."""
        c = Conn()
        c.send(IAC + WILL + TTYPE)
        self.assertIn(sb(TTYPE, b"\x01"), c.take())
        c.send(sb(TTYPE, b"\x00MUDLET"))
        self.assertEqual(c.take(), sb(TTYPE, b"\x01"))
        c.send(sb(TTYPE, b"\x00ANSI-TRUECOLOR"))
        self.assertEqual(c.take(), sb(TTYPE, b"\x01"))
        c.send(sb(TTYPE, b"\x00MTTS 2829"))
        self.assertEqual(c.take(), b"")
        info = c.client.client
        self.assertEqual((info.terminal, info.colours, info.utf8, info.screen_reader),
                         ("ANSI-TRUECOLOR", 1 << 24, True, False))
        c.client.write("|[202x\n")
        self.assertEqual(c.take(), b"\x1b[38;5;202mx\x1b[0m\r\n")

    def test_repeat_stops(self) -> None:
        """A plain terminal repeating its type is asked twice only."""
        c = Conn()
        c.send(IAC + WILL + TTYPE)
        c.take()
        c.send(sb(TTYPE, b"\x00XTERM"))
        self.assertEqual(c.take(), sb(TTYPE, b"\x01"))
        c.send(sb(TTYPE, b"\x00XTERM"))
        self.assertEqual(c.take(), b"")
        self.assertEqual(c.client.client.colours, 16)
        c.client.write("|Rx|n\n")
        self.assertEqual(c.take(), b"\x1b[1;31mx\x1b[0m\r\n")

    def test_refused_and_silent(self) -> None:
        """WONT TTYPE or no answer: no colour, no more asking."""
        c = Conn()
        c.send(IAC + WONT + TTYPE)
        c.take()
        c.client.write("|rx\n")
        self.assertEqual(c.take(), b"x\r\n")

    def test_agreed_then_silent(self) -> None:
        """WILL TTYPE but no answer: asked once, no colour, nothing breaks."""
        c = Conn()
        c.send(IAC + WILL + TTYPE)
        self.assertEqual(c.take().count(sb(TTYPE, b"\x01")), 1)
        c.send(b"look\r\n")
        self.assertEqual(c.session.lines, ["look"])
        self.assertEqual(c.take(), b"")
        self.assertEqual(c.client.client.colours, 0)

    def test_screen_reader(self) -> None:
        """MTTS screen reader: no colour, no box drawing."""
        c = Conn()
        c.send(IAC + WILL + TTYPE + sb(TTYPE, b"\x00TINTIN++") + sb(TTYPE, b"\x00XTERM")
               + sb(TTYPE, b"\x00MTTS 77"))
        c.take()
        self.assertTrue(c.client.client.screen_reader)
        c.client.write("|r┌──┐ Hall|n\n")
        self.assertEqual(c.take(), b"Hall\r\n")

    def test_no_utf8_falls_back_to_latin1(self) -> None:
        """MTTS without the UTF-8 bit, and no CHARSET: Latin-1."""
        c = Conn()
        c.send(IAC + WILL + TTYPE + sb(TTYPE, b"\x00TINTIN++") + sb(TTYPE, b"\x00ANSI")
               + sb(TTYPE, b"\x00MTTS 9"))
        c.take()
        c.client.write("é\n")
        self.assertEqual(c.take(), b"\xe9\r\n")


class OptionCommandTests(TestCase):
    def test_interface(self) -> None:
        """The telnet client provides IClientSettings."""
        self.assertTrue(verifyObject(IClientSettings, Conn().client))

    def test_list_and_set(self) -> None:
        """option lists settings; option colour 256 overrides negotiation."""
        c = Conn()
        self.assertIn("colour", option_text(c.client, ""))
        self.assertEqual(option_text(c.client, "colour 256"), "Set. colour        256    "
                                                              "(now: 256)")
        c.take()
        c.client.write("|[001x\n")
        self.assertEqual(c.take(), b"\x1b[38;5;1mx\x1b[0m\r\n")

    def test_choice_survives_negotiation(self) -> None:
        """A later TTYPE answer does not undo the player's choice."""
        c = Conn()
        option_text(c.client, "colour off")
        option_text(c.client, "width 60")
        c.send(IAC + WILL + TTYPE + sb(TTYPE, b"\x00XTERM-256COLOR")
               + IAC + SB + b"\x1f\x00\x64\x00\x30" + IAC + SE)
        self.assertEqual((c.client.client.colours, c.client.client.width), (0, 60))
        self.assertEqual(c.client.detected.width, 100)
        option_text(c.client, "width auto")
        self.assertEqual(c.client.client.width, 100)

    def test_bad_input(self) -> None:
        """Unknown settings and values say what would work."""
        c = Conn()
        self.assertIn("There is no setting", option_text(c.client, "volume 11"))
        self.assertIn("width can be", option_text(c.client, "width 5"))
        self.assertIn("Say: option", option_text(c.client, "colour"))

    def test_charset_choice(self) -> None:
        """option charset ascii translates output."""
        c = Conn()
        option_text(c.client, "charset ascii")
        c.take()
        c.client.write("“quoted”\n")
        self.assertEqual(c.take(), b'"quoted"\r\n')


class InjectionTests(TestCase):
    ATTACKS: ClassVar[list[bytes]] = [
        b"\x1b[2J",                         # clear screen
        b"\x1b]52;c;cm0gLXJmIH4=\x07",      # OSC 52: write the victim's clipboard
        "\u009b2J".encode(),                # C1 CSI (UTF-8 encoded)
        b"\x9b2J",                          # C1 CSI (raw byte)
        "\u009d0;title\u009c".encode(),     # C1 OSC: set the window title
        b"\x1bP+q\x1b\\",                   # DCS
        b"\r\x1b[Kfake",                    # overwrite the line
        b"|[001|r coloured \x1b[5m",        # markup is fine, the raw blink is not
    ]

    def test_raw_escapes_never_reach_another_player(self) -> None:
        """Whatever a player types, another player's bytes hold only our SGA colour."""
        import re

        room: list = []
        alice = Conn(room)
        bob = Conn(room)
        bob.send(IAC + DO + GMCP + sb(GMCP, b'Core.Supports.Set ["Comm 1"]'))
        bob.send(IAC + WILL + TTYPE + sb(TTYPE, b"\x00XTERM-256COLOR"))
        for latin1 in (False, True):
            if latin1:
                bob.send(IAC + DO + CHARSET + sb(CHARSET, b"\x02ISO-8859-1"))
            for attack in self.ATTACKS:
                bob.take()
                alice.send(b"say " + attack + b"\r\n")
                seen = bob.take()
                self.assertIn(b"Someone says", seen)
                text = re.sub(rb"\x1b\[[0-9;]*m", b"", seen)
                self.assertNotIn(b"\x1b", text, attack)
                self.assertNotIn(b"\x9b", seen, attack)
                self.assertNotIn(b"\x9d", seen, attack)
                self.assertNotIn(b"\x07", seen, attack)
                self.assertNotIn(b"\\u001b", seen, attack)
                self.assertNotIn(b"\\u009b", seen, attack)
                self.assertNotIn(b"\r\x1b", seen, attack)
                self.assertNotIn(b"\r", seen.replace(b"\r\n", b""), attack)

    def test_direct_write_sanitized(self) -> None:
        """Even text written straight to a client (scripts, names) is cleaned."""
        c = Conn()
        c.take()
        c.client.write("a\x1b[2Jb\u009b2Jc\x07\n")
        self.assertEqual(c.take(), b"abc\r\n")
