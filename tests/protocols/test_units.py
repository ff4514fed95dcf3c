"""
Tests for the sans-IO pieces of the MUD protocols: GMCP, MSSP, MCCP2, MTTS,
CHARSET and prompt marking.
"""

from __future__ import annotations

import zlib

from hypothesis import given
from hypothesis import strategies as st
from twisted.trial import unittest

from engine import colour
from engine.protocols import charset, gmcp, mccp, mssp, mtts, prompts


class GmcpCodecTests(unittest.TestCase):
    def test_decode_with_body(self) -> None:
        """A package and a JSON body."""
        self.assertEqual(gmcp.decode(b'Core.Hello {"client":"Mudlet","version":"4.17"}'),
                         ("Core.Hello", {"client": "Mudlet", "version": "4.17"}))

    def test_decode_without_body(self) -> None:
        """A package alone has no data (distinct from JSON null)."""
        self.assertEqual(gmcp.decode(b"Core.Ping"), ("Core.Ping", gmcp.NO_DATA))
        self.assertEqual(gmcp.decode(b"Core.Ping null"), ("Core.Ping", None))

    def test_decode_rejects_bad_json(self) -> None:
        """A body that is not JSON is an error, not a crash."""
        self.assertRaises(gmcp.GmcpError, gmcp.decode, b"Char.Login {name:")

    def test_decode_rejects_nan(self) -> None:
        """NaN and Infinity are not JSON."""
        self.assertRaises(gmcp.GmcpError, gmcp.decode, b"X.Y NaN")
        self.assertRaises(gmcp.GmcpError, gmcp.decode, b"X.Y [Infinity]")

    def test_decode_rejects_deep_nesting(self) -> None:
        """Deep nesting within the size cap is refused, not a RecursionError."""
        self.assertRaises(gmcp.GmcpError, gmcp.decode, b"X.Y " + b"[" * 4000)

    def test_decode_rejects_oversize(self) -> None:
        """Payloads over the cap are refused before parsing."""
        self.assertRaises(gmcp.GmcpError, gmcp.decode, b"X.Y " + b"1" * gmcp.MAX_PAYLOAD)

    def test_decode_rejects_bad_names_and_bytes(self) -> None:
        """Package names are dotted identifiers, in UTF-8."""
        for bad in (b"", b".X", b"X..Y 1", b"\xff\xfe", b"X\x1bY 1", b"1X 2"):
            self.assertRaises(gmcp.GmcpError, gmcp.decode, bad)

    @given(st.binary(max_size=300))
    def test_decode_never_crashes(self, payload: bytes) -> None:
        """Any bytes either parse or raise GmcpError."""
        try:
            gmcp.decode(payload)
        except gmcp.GmcpError:
            pass

    def test_encode_exact(self) -> None:
        """Compact JSON after one space; UTF-8 kept as is."""
        self.assertEqual(gmcp.encode("Room.Info", {"num": 3, "name": "Café"}),
                         'Room.Info {"num":3,"name":"Café"}'.encode())
        self.assertEqual(gmcp.encode("Core.Ping"), b"Core.Ping")

    def test_encode_makes_strings_plain(self) -> None:
        """Markup and control characters never travel out of band."""
        self.assertEqual(gmcp.encode("Comm.Channel.Text", {"text": "|rhi\x1b[2J"}),
                         b'Comm.Channel.Text {"text":"hi"}')


class GmcpStateTests(unittest.TestCase):
    def test_nothing_wanted_until_enabled(self) -> None:
        """No package is sent before the client agrees to GMCP."""
        state = gmcp.GmcpState()
        state.receive("Core.Supports.Set", ["Room 1"])
        self.assertFalse(state.wants("Room.Info"))

    def test_supports_set_add_remove(self) -> None:
        """Set replaces, Add adds, Remove removes; names are case-blind."""
        state = gmcp.GmcpState(enabled=True)
        state.receive("Core.Supports.Set", ["Char 1", "Room 1"])
        self.assertEqual(state.modules, {"char": 1, "room": 1})
        state.receive("Core.Supports.Add", ["Comm.Channel 1"])
        state.receive("core.supports.remove", ["room"])
        self.assertEqual(state.modules, {"char": 1, "comm.channel": 1})
        state.receive("Core.Supports.Set", ["Room.Info 1"])
        self.assertEqual(state.modules, {"room.info": 1})

    def test_wants_parent_module(self) -> None:
        """Enabling Room covers Room.Info; Room.Info does not cover Room.Map."""
        state = gmcp.GmcpState(enabled=True)
        state.receive("Core.Supports.Set", ["Room 1", "Char.Name 1"])
        self.assertTrue(state.wants("Room.Info"))
        self.assertTrue(state.wants("Char.Name"))
        self.assertFalse(state.wants("Char.Status"))
        self.assertFalse(state.wants("Comm.Channel.Text"))
        self.assertTrue(state.wants("Core.Goodbye"))

    def test_malformed_supports_ignored(self) -> None:
        """Junk in a supports list is skipped, not fatal."""
        state = gmcp.GmcpState(enabled=True)
        state.receive("Core.Supports.Set", ["Room 1", 7, "Bad Name 1", "X x", None, "A..B"])
        self.assertEqual(state.modules, {"room": 1})
        state.receive("Core.Supports.Set", "Room 1")
        self.assertEqual(state.modules, {"room": 1})

    def test_module_cap(self) -> None:
        """A client cannot enable unbounded modules."""
        state = gmcp.GmcpState(enabled=True)
        state.receive("Core.Supports.Set", [f"M{i} 1" for i in range(1000)])
        self.assertEqual(len(state.modules), gmcp.MAX_MODULES)

    def test_hello_and_ping(self) -> None:
        """Core.Hello is remembered; Core.Ping is answered."""
        state = gmcp.GmcpState(enabled=True)
        self.assertEqual(state.receive("Core.Hello", {"client": "Mudlet\x1b", "version": "4"}),
                         [])
        self.assertEqual((state.client, state.version), ("Mudlet", "4"))
        self.assertEqual(state.receive("Core.Ping", 120), [("Core.Ping", gmcp.NO_DATA)])


class MsspTests(unittest.TestCase):
    def test_encode(self) -> None:
        """VAR name VAL value, repeated VAL for several values."""
        self.assertEqual(mssp.encode({"NAME": "Tessera", "PORT": ["4000", "4001"]}),
                         b"\x01NAME\x02Tessera\x01PORT\x024000\x024001")

    def test_encode_strips_framing_bytes(self) -> None:
        """Values cannot smuggle VAR/VAL or IAC bytes."""
        self.assertEqual(mssp.encode({"NAME": "a\x01b\x02c\xffd"}), b"\x01NAME\x02abcd")

    def test_plaintext(self) -> None:
        """The MSSP-REQUEST answer is tab-separated between START and END."""
        self.assertEqual(mssp.plaintext({"NAME": "Tessera", "PORT": [4000, 4001]}),
                         "MSSP-REPLY-START\nNAME\tTessera\nPORT\t4000\t4001\nMSSP-REPLY-END\n")

    def test_is_request(self) -> None:
        """Only the exact word (any case, any surrounding space) is a request."""
        self.assertTrue(mssp.is_request("  MSSP-REQUEST\r"))
        self.assertTrue(mssp.is_request("mssp-request"))
        self.assertFalse(mssp.is_request("say MSSP-REQUEST"))

    def test_provider_reads_live_values(self) -> None:
        """PLAYERS and PORT are read each time; UPTIME is the start time."""
        players = [1]
        provide = mssp.status_provider(name="T", players=lambda: players[0],
                                       ports=lambda: [4000], now=lambda: 1000.5,
                                       extra={"WEBSITE": "w"})
        players[0] = 5
        v = provide()
        self.assertEqual((v["NAME"], v["PLAYERS"], v["UPTIME"], v["PORT"], v["WEBSITE"]),
                         ("T", "5", "1000", ["4000"], "w"))
        for flag in ("GMCP", "MCCP", "ANSI", "UTF-8", "XTERM 256 COLORS"):
            self.assertEqual(v[flag], "1")


class CompressorTests(unittest.TestCase):
    def test_passthrough_until_started(self) -> None:
        """Before start, bytes pass unchanged."""
        c = mccp.Compressor()
        self.assertEqual(c.compress(b"abc"), b"abc")
        self.assertEqual(c.finish(), b"")

    def test_stream_round_trip(self) -> None:
        """Each write decompresses at once; finish ends the zlib stream."""
        c = mccp.Compressor()
        self.assertEqual(c.start(), b"\xff\xfa\x56\xff\xf0")
        self.assertEqual(c.start(), b"")
        d = zlib.decompressobj()
        self.assertEqual(d.decompress(c.compress(b"hello ")), b"hello ")
        self.assertEqual(d.decompress(c.compress(b"world")), b"world")
        self.assertEqual(d.decompress(c.finish()), b"")
        self.assertTrue(d.eof)
        self.assertFalse(c.active)
        self.assertEqual(c.compress(b"plain"), b"plain")


class MttsTests(unittest.TestCase):
    def test_decode_bits(self) -> None:
        """Each MTTS bit is named."""
        self.assertEqual(mtts.decode_mtts(137), {"ansi", "xterm256", "proxy"})
        self.assertEqual(mtts.decode_mtts(4095), set(mtts.MTTS_BITS))
        self.assertEqual(mtts.decode_mtts(0), set())

    def test_parse(self) -> None:
        """Only 'MTTS <digits>' is MTTS."""
        self.assertEqual(mtts.parse_mtts("MTTS 2825"), 2825)
        self.assertIsNone(mtts.parse_mtts("XTERM"))
        self.assertIsNone(mtts.parse_mtts("MTTS x"))

    def test_cycle_mudlet(self) -> None:
        """Name, terminal, MTTS: three asks, then stop."""
        cycle = mtts.TerminalTypeCycle()
        cycle.asked()
        self.assertTrue(cycle.received(b"\x00MUDLET 4.17.2"))
        cycle.asked()
        self.assertTrue(cycle.received(b"\x00XTERM-256COLOR"))
        cycle.asked()
        self.assertFalse(cycle.received(b"\x00MTTS 2829"))
        t = cycle.terminal
        self.assertEqual((t.client, t.client_version, t.terminal), ("MUDLET", "4.17.2",
                                                                   "XTERM-256COLOR"))
        self.assertEqual(t.colour, colour.XTERM256)
        self.assertTrue(t.utf8)
        self.assertTrue(t.has("truecolor"))
        self.assertFalse(t.screen_reader)

    def test_cycle_stops_on_repeat(self) -> None:
        """A client that repeats itself has nothing more to say."""
        cycle = mtts.TerminalTypeCycle()
        cycle.asked()
        self.assertTrue(cycle.received(b"\x00XTERM"))
        cycle.asked()
        self.assertFalse(cycle.received(b"\x00XTERM"))
        self.assertEqual(cycle.answers, ["XTERM"])
        self.assertEqual(cycle.terminal.colour, colour.ANSI)

    def test_cycle_stops_after_three(self) -> None:
        """No more than three asks, whatever the answers."""
        cycle = mtts.TerminalTypeCycle()
        results = []
        for name in (b"A", b"B", b"C", b"D"):
            cycle.asked()
            results.append(cycle.received(b"\x00" + name))
        self.assertEqual(results, [True, True, False, False])

    def test_malformed_answer_stops(self) -> None:
        """An answer that is not IS ends the cycle."""
        cycle = mtts.TerminalTypeCycle()
        self.assertFalse(cycle.received(b"\x01"))
        self.assertTrue(cycle.done)

    def test_answer_sanitized(self) -> None:
        """Control characters in a terminal name are removed."""
        cycle = mtts.TerminalTypeCycle()
        cycle.received(b"\x00EVIL\x1b[2J")
        self.assertEqual(cycle.answers, ["EVIL"])

    def test_screen_reader_and_no_colour(self) -> None:
        """MTTS decides colour: no ANSI bit, no colour."""
        t = mtts.terminal_from(["TINTIN++", "VT100", "MTTS 66"])
        self.assertEqual(t.colour, colour.NONE)
        self.assertTrue(t.screen_reader)

    def test_heuristics_without_mtts(self) -> None:
        """Without MTTS, names decide."""
        self.assertEqual(mtts.terminal_from(["XTERM-256COLOR"]).colour, colour.XTERM256)
        self.assertEqual(mtts.terminal_from(["MUSHCLIENT", "ANSI"]).colour, colour.XTERM256)
        self.assertEqual(mtts.terminal_from(["DUMB"]).colour, colour.NONE)
        self.assertEqual(mtts.terminal_from([]).colour, colour.NONE)
        self.assertEqual(mtts.terminal_from(["SOMETHING"]).colour, colour.NONE)
        self.assertEqual(mtts.terminal_from(["XTERM-TRUECOLOR"]).colours, 1 << 24)
        self.assertEqual(mtts.terminal_from(["A", "B", "MTTS 257"]).colours, 1 << 24)
        self.assertIsNone(mtts.terminal_from([]).utf8)
        self.assertTrue(mtts.terminal_from(["BLOWTORCH", "ANSI"]).ga_as_blank_line)


class CharsetTests(unittest.TestCase):
    def test_request_offers_utf8_first(self) -> None:
        """The server's offer lists UTF-8, then the legacy fallbacks."""
        n = charset.CharsetNegotiation()
        self.assertEqual(n.request(), b"\x01;UTF-8;ISO-8859-1;US-ASCII")
        self.assertTrue(n.pending)

    def test_accepted(self) -> None:
        """ACCEPTED switches the encoding."""
        n = charset.CharsetNegotiation()
        n.request()
        self.assertIsNone(n.received(b"\x02ISO-8859-1"))
        self.assertEqual((n.encoding, n.agreed, n.pending), ("latin-1", True, False))

    def test_rejected_keeps_utf8(self) -> None:
        """REJECTED leaves the session on UTF-8."""
        n = charset.CharsetNegotiation()
        n.request()
        self.assertIsNone(n.received(b"\x03"))
        self.assertEqual((n.encoding, n.agreed, n.pending), ("utf-8", False, False))

    def test_accepted_unknown_name_ignored(self) -> None:
        """An ACCEPTED naming something never offered changes nothing."""
        n = charset.CharsetNegotiation()
        n.request()
        n.received(b"\x02KOI8-R")
        self.assertEqual(n.encoding, "utf-8")

    def test_client_request_prefers_utf8(self) -> None:
        """A client's own request is answered with UTF-8 when it is offered."""
        n = charset.CharsetNegotiation()
        self.assertEqual(n.received(b"\x01 ISO-8859-1 UTF-8"), b"\x02UTF-8")
        self.assertEqual(n.encoding, "utf-8")

    def test_client_request_legacy(self) -> None:
        """A client offering only a legacy charset gets it."""
        n = charset.CharsetNegotiation()
        self.assertEqual(n.received(b"\x01;KOI8-R;latin1"), b"\x02latin1")
        self.assertEqual(n.encoding, "latin-1")

    def test_client_request_unsupported(self) -> None:
        """Nothing we support: REJECTED."""
        n = charset.CharsetNegotiation()
        self.assertEqual(n.received(b"\x01;KOI8-R;BIG5"), b"\x03")
        self.assertEqual(n.received(b"\x01"), b"\x03")

    def test_crossed_requests(self) -> None:
        """When both sides ask at once, the server's request wins."""
        n = charset.CharsetNegotiation()
        n.request()
        self.assertEqual(n.received(b"\x01;UTF-8"), b"\x03")

    def test_ttable_refused(self) -> None:
        """Translation tables are refused."""
        self.assertEqual(charset.CharsetNegotiation().received(b"\x04\x01junk"), b"\x05")

    def test_legacy_translation(self) -> None:
        """Legacy encodings get look-alikes, then '?'."""
        self.assertEqual(charset.encode_text("café — “hi” ┌─┐ 日", "latin-1"),
                         'café - "hi" +-+ ?'.encode("latin-1"))
        self.assertEqual(charset.encode_text("café…", "ascii"), b"caf?...")
        self.assertEqual(charset.encode_text("café", "utf-8"), "café".encode())

    def test_decode_never_fails(self) -> None:
        """Invalid input bytes become U+FFFD."""
        self.assertEqual(charset.decode_bytes(b"a\xffb", "utf-8"), "a\ufffdb")
        self.assertEqual(charset.decode_bytes(b"a\xe9", "latin-1"), "a\xe9")


class PromptMarkerTests(unittest.TestCase):
    def test_auto(self) -> None:
        """EOR when negotiated, else GA unless SGA or a blank-line client."""
        self.assertEqual(prompts.marker("auto", eor=True, sga=True), b"\xff\xef")
        self.assertEqual(prompts.marker("auto", eor=False, sga=False), b"\xff\xf9")
        self.assertEqual(prompts.marker("auto", eor=False, sga=True), b"")
        self.assertEqual(prompts.marker("auto", eor=False, sga=False, ga_as_blank_line=True),
                         b"")

    def test_choices(self) -> None:
        """ga forces GA; eor never falls back to GA; off sends nothing."""
        self.assertEqual(prompts.marker("ga", eor=True, sga=True), b"\xff\xf9")
        self.assertEqual(prompts.marker("eor", eor=False, sga=False), b"")
        self.assertEqual(prompts.marker("off", eor=True, sga=False), b"")
        self.assertRaises(ValueError, prompts.marker, "sometimes", eor=True, sga=True)
