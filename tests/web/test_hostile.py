"""
Hostile browsers and other programs on the web port: every attack gets a
clear answer or a closed connection, never a traceback (trial fails a test
on any logged error) and never a stuck reactor, and costs the server no
more than the telnet door's bounds allow.
"""

from __future__ import annotations

import json
import os
import re
import struct

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from twisted.logger import globalLogPublisher
from twisted.trial.unittest import TestCase

from engine.limits import Limits
from engine.protocols.telnet import LINES_PER_TURN
from engine.testing import SimulatedBrowser, TestWorld
from engine.web import page
from engine.web.connection import WebLimits

MASK = b"\x01\x02\x03\x04"


def frame(opcode: int, payload: bytes, *, fin: bool = True, mask: bool = True,
          length: int | None = None) -> bytes:
    """
    One websocket frame from a client, made by hand (so that it can lie).
    """
    size = len(payload) if length is None else length
    head = bytes([(0x80 if fin else 0) | opcode])
    bit = 0x80 if mask else 0
    if size < 126:
        head += bytes([bit | size])
    elif size < 1 << 16:
        head += bytes([bit | 126]) + struct.pack("!H", size)
    else:
        head += bytes([bit | 127]) + struct.pack("!Q", size)
    if not mask:
        return head + payload
    return head + MASK + bytes(b ^ MASK[i % 4] for i, b in enumerate(payload))


def text_frame(message: object, **kwargs: object) -> bytes:
    return frame(1, json.dumps(message).encode(), **kwargs)  # type: ignore[arg-type]


def errors(browser: SimulatedBrowser) -> list[str]:
    return [m["text"] for m in browser.received() if m["type"] == "error"]


class InjectionTests(TestCase):
    """
    Nothing a player, builder or script writes becomes markup, script or an
    escape sequence on the page.
    """

    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)

    def test_speech_is_text(self) -> None:
        """HTML in speech arrives as the text it is, in runs the page shows as text."""
        alice = self.world.login_web("Alice")
        self.world.login("Bob").send('say <img src=x onerror="alert(1)"><script>x()</script>')
        runs = [r for m in alice.received() if m["type"] == "text" for r in m["runs"]]
        self.assertIn('Bob says, "<img src=x onerror="alert(1)"><script>x()</script>"\n',
                      [r[0] for r in runs])

    def test_escape_sequences_removed(self) -> None:
        """Terminal escapes and other control characters never reach the page."""
        alice = self.world.login_web("Alice")
        self.world.login("Bob").send("say \x1b[2J\x1b]52;c;ZXZpbA==\x07\x9bhi")
        text = alice.output()
        self.assertIn('Bob says, "i"', text)  # each sequence removed whole (CSI h too)
        self.assertIsNone(re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", text))

    def test_styles_are_numbers(self) -> None:
        """A run's style is colour indexes and a flag, whatever the markup says."""
        alice = self.world.login_web("Alice")
        alice.send('@describe here = |[999 |r"><b>|n |]255x |u y')
        alice.send_message({"type": "input", "text": "look"})
        for m in alice.received():
            for run in m.get("runs", []):
                text, fg, bg, underline = run
                self.assertIsInstance(text, str)
                for value in (fg, bg):
                    self.assertTrue(value is None or (isinstance(value, int) and 0 <= value <= 255))
                self.assertIn(underline, (0, 1))

    def test_gmcp_strings_plain(self) -> None:
        """Room names go out of band without markup or control characters."""
        alice = self.world.browse()
        alice.supports("Room 1")
        alice.send("create Alice correct horse")
        alice.send("@name here = |rRed\x1b[31m <b>Room</b>")
        alice.send("look")
        self.assertEqual(alice.gmcp("Room.Info")[-1]["name"], "Red <b>Room</b>")

    def test_script_has_no_html_sinks(self) -> None:
        """
        The page's script uses no API that turns a string into HTML or code
        (a tripwire: the policy below is what the browser enforces).
        """
        with open(os.path.join(page.STATIC, "client.js"), encoding="utf-8") as f:
            script = f.read()
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
                     "eval(", "Function(", "srcdoc", "DOMParser", "createContextualFragment",
                     "setAttribute(\"on", ".src ="):
            self.assertNotIn(sink, script)

    def test_policy(self) -> None:
        """The page may run only its own script, and the browser must refuse HTML sinks."""
        for rule in ("script-src 'self'", "default-src 'none'", "frame-ancestors 'none'",
                     "require-trusted-types-for 'script'", "trusted-types 'none'"):
            self.assertIn(rule, page.POLICY)
        self.assertNotIn("unsafe", page.POLICY)

    def test_page_loads_nothing_from_elsewhere(self) -> None:
        """Every file the page refers to is served by the server itself."""
        with open(os.path.join(page.STATIC, "index.html"), encoding="utf-8") as f:
            html = f.read()
        for found in re.findall(r'(?:src|href)="([^"]*)"', html):
            if found.startswith("#"):
                continue
            self.assertIn(found.encode(), [*page.FILES, page.COLOURS])


class HandshakeTests(TestCase):
    """
    Who may open the websocket, and on what name.
    """

    def setUp(self) -> None:
        self.world = TestWorld(web=WebLimits(origins=("https://mud.example.org",)))
        self.addCleanup(self.world.close)

    def test_other_origin_refused(self) -> None:
        """A page from another site cannot open the websocket (cross-site hijacking)."""
        browser = self.world.browse(origin="http://evil.example")
        self.assertEqual(browser.refused, 403)
        self.assertIn(b"may not connect here", browser.transport.value())
        self.assertEqual(self.world.server.sessions, set())

    def test_null_origin_refused(self) -> None:
        """A sandboxed or file page (origin null) is refused."""
        self.assertEqual(self.world.browse(origin="null").refused, 403)

    def test_same_origin(self) -> None:
        """The server's own page may connect."""
        self.assertTrue(self.world.browse(host="127.0.0.1:4080",
                                          origin="http://127.0.0.1:4080").accepted)

    def test_no_origin(self) -> None:
        """A program that is no browser (no Origin) may connect."""
        self.assertTrue(self.world.browse(origin=None).accepted)

    def test_listed_origin(self) -> None:
        """An origin given with --web-origin may connect, on its own name."""
        browser = self.world.browse(host="mud.example.org", origin="https://mud.example.org")
        self.assertTrue(browser.accepted)

    def test_rebinding_refused(self) -> None:
        """A name the server was not told about is refused, even from its own page."""
        browser = self.world.browse(host="evil.example:4080", origin="http://evil.example:4080")
        self.assertEqual(browser.refused, 421)
        answer = self.world.browse(open=False)
        answer.send_raw(b"GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n")
        self.assertIn(b"421 Misdirected Request", answer.transport.value())
        self.assertIn(b"--web-origin", answer.transport.value())

    def test_bad_upgrade(self) -> None:
        """A websocket request without its key is refused with a reason."""
        browser = self.world.browse(open=False)
        browser.send_raw(b"GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                         b"Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.assertIn(b"400 Bad Request", browser.transport.value())
        self.assertFalse(browser.connected)

    def test_websocket_path_without_upgrade(self) -> None:
        """A plain GET of /ws is told what the address is for."""
        browser = self.world.browse(open=False)
        browser.send_raw(b"GET /ws HTTP/1.1\r\nHost: localhost\r\n\r\n")
        self.assertIn(b"the page at / opens it", browser.transport.value())

    def test_bad_host(self) -> None:
        """A Host that is no name at all is refused, not a traceback."""
        for host in (b"[::1", b"\xff\xfe", b"a b", b":::", b""):
            browser = self.world.browse(open=False)
            browser.send_raw(b"GET /ws HTTP/1.1\r\nHost: " + host + b"\r\nUpgrade: websocket\r\n"
                             b"Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                             b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
            self.assertRegex(browser.transport.value(), rb"^HTTP/1.1 4\d\d ")
            self.assertFalse(browser.connected)


class HttpAttackTests(TestCase):
    """
    What reaches the web port before any websocket.
    """

    def setUp(self) -> None:
        self.world = TestWorld(web=WebLimits(timeout=30.0, max_head=4096, per_address=3),
                               limits=Limits(max_prelogin=5))
        self.addCleanup(self.world.close)

    def test_telnet_on_the_web_port(self) -> None:
        """A telnet client's first line is answered with where to go instead."""
        browser = self.world.browse(open=False)
        browser.send_raw(b"connect Alice secret\r\n")
        self.assertIn(b"400 Bad Request", browser.transport.value())
        self.assertIn(b"open it in a web browser", browser.transport.value())
        self.assertFalse(browser.connected)

    def test_tls_on_the_web_port(self) -> None:
        """A TLS handshake is closed at once (it could not read an answer)."""
        browser = self.world.browse(open=False)
        browser.send_raw(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 40)
        self.assertEqual(browser.transport.value(), b"")
        self.assertFalse(browser.connected)

    def test_slow_request(self) -> None:
        """A request that never finishes is closed after the timeout."""
        browser = self.world.browse(open=False)
        browser.send_raw(b"GET / HTTP/1.1\r\nHost: local")
        self.world.clock.advance(29)
        self.assertTrue(browser.connected)
        self.world.clock.advance(2)
        self.assertFalse(browser.connected)

    def test_idle_keep_alive(self) -> None:
        """A kept-alive connection that sends nothing more is closed after the timeout."""
        browser = self.world.browse(open=False)
        browser.send_raw(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        self.world.clock.advance(31)
        self.assertFalse(browser.connected)

    def test_huge_head(self) -> None:
        """Headers past the bound are answered 431 and the connection closed."""
        browser = self.world.browse(open=False)
        browser.send_raw(b"GET / HTTP/1.1\r\nHost: localhost\r\nX: " + b"a" * 5000)
        self.assertIn(b"431 Request Header Fields Too Large", browser.transport.value())
        self.assertFalse(browser.connected)

    def test_too_many_waiting(self) -> None:
        """Past max-prelogin connections waiting to log in, more are refused with 503."""
        kept = [self.world.browse(f"10.0.0.{n}", open=False) for n in range(5)]
        refused = self.world.browse("10.0.0.99", open=False)
        self.assertIn(b"503 Service Unavailable", refused.transport.value())
        self.assertIn(b"Too many connections are waiting", refused.transport.value())
        self.assertFalse(refused.connected)
        self.assertTrue(all(k.connected for k in kept))

    def test_telnet_counts_too(self) -> None:
        """Connections waiting on telnet count against the same bound."""
        for n in range(5):
            self.world.connect(f"10.0.1.{n}")
        refused = self.world.browse("10.0.0.99", open=False)
        self.assertIn(b"503", refused.transport.value())

    def test_web_counts_for_telnet(self) -> None:
        """Connections waiting on the web port count against telnet's bound too."""
        for n in range(5):
            self.world.browse(f"10.0.4.{n}", open=False)
        refused = self.world.connect("10.0.1.99")
        self.assertIn("Too many connections are waiting", refused.output())
        self.assertFalse(refused.connected)

    def test_logged_in_do_not_count(self) -> None:
        """Players who logged in leave room for others to log in."""
        for n in range(5):
            self.world.login_web(f"Player{'abcde'[n]}", address=f"10.0.2.{n}")
        self.assertTrue(self.world.browse("10.0.0.99").accepted)

    def test_per_address(self) -> None:
        """One address may hold only so many connections open without logging in."""
        for _ in range(3):
            self.world.browse("10.0.3.1", open=False)
        refused = self.world.browse("10.0.3.1", open=False)
        self.assertIn(b"from your address", refused.transport.value())
        self.assertTrue(self.world.browse("10.0.3.2", open=False).connected)

    def test_many_requests(self) -> None:
        """A connection that keeps asking is closed after a hundred requests."""
        browser = self.world.browse(open=False)
        browser.send_raw(b"GET /icon.svg HTTP/1.1\r\nHost: localhost\r\n\r\n" * 120)
        for _ in range(20):
            self.world.clock.advance(1)
        self.assertEqual(browser.transport.value().count(b"HTTP/1.1 200 OK"), 100)
        self.assertFalse(browser.connected)


class ConnectionRateTests(TestCase):
    """
    New connections to the web port come out of the server-wide rate the
    telnet port's come out of (C{connection_rate}, C{connection_burst}).
    """

    def setUp(self) -> None:
        self.world = TestWorld(limits=Limits(connection_rate=2, connection_burst=3))
        self.addCleanup(self.world.close)
        self.logged: list[dict] = []
        globalLogPublisher.addObserver(self.logged.append)
        self.addCleanup(globalLogPublisher.removeObserver, self.logged.append)

    def test_past_the_burst(self) -> None:
        """
        Past C{connection_burst} new connections at once, from any addresses,
        more are answered 503 and closed before they are read, with one log
        line for all of them; a moment later more are taken again.
        """
        kept = [self.world.browse(f"10.0.5.{n}", open=False) for n in range(3)]
        refused = [self.world.browse(f"10.0.6.{n}", open=False) for n in range(3)]
        self.assertTrue(all(k.connected for k in kept))
        for browser in refused:
            self.assertIn(b"503 Service Unavailable", browser.transport.value())
            self.assertIn(b"too many new connections", browser.transport.value())
            self.assertFalse(browser.connected)
            self.assertIsNone(browser.protocol.session)
        # What the refused sent is not read.
        refused[0].send_raw(b"GET /ws HTTP/1.1\r\nHost: localhost\r\n\r\n")
        self.assertNotIn(b"101 Switching Protocols", refused[0].transport.value())
        lines = [e for e in self.logged if "refused" in e.get("log_format", "")]
        self.assertEqual(len(lines), 1, lines)
        self.assertIn("--connection-rate", lines[0]["why"])
        self.world.clock.advance(1)
        self.assertTrue(self.world.browse("10.0.7.1").accepted)

    def test_shared_with_telnet(self) -> None:
        """
        Connections to the telnet port spend the same rate: a flood of new
        connections cannot take twice the rate by knocking at both doors.
        """
        for n in range(3):
            self.assertTrue(self.world.connect(f"10.0.8.{n}").connected)
        refused = self.world.browse("10.0.9.1", open=False)
        self.assertIn(b"503", refused.transport.value())
        self.assertFalse(refused.connected)
        self.world.clock.advance(0.5)  # time for one more, at 2 a second
        self.assertTrue(self.world.browse("10.0.9.2", open=False).connected)
        self.assertIn("Too many connections", self.world.connect("10.0.9.3").output())


class MessageAttackTests(TestCase):
    """
    What reaches the server over an open websocket.
    """

    def setUp(self) -> None:
        self.world = TestWorld(web=WebLimits(max_message=2048),
                               limits=Limits(max_line=256, max_output=16384))
        self.addCleanup(self.world.close)
        self.alice = self.world.login_web("Alice")

    def assertStillPlays(self, browser: SimulatedBrowser | None = None) -> None:
        browser = browser or self.alice
        self.assertIn("Town Square", browser.send("look"))

    def test_not_json(self) -> None:
        """A message that is not JSON is refused with a reason; play goes on."""
        self.alice.send_raw(frame(1, b"look"))
        self.assertEqual(errors(self.alice), ["That message was not JSON."])
        self.assertStillPlays()

    def test_wrong_shapes(self) -> None:
        """Messages of the wrong shape each get a reason, and change nothing."""
        for message in ([1, 2], "look", None, {"type": "input"}, {"type": "input", "text": 5},
                        {"type": "size", "width": "wide"}, {"type": "size", "width": True},
                        {"type": "hello", "screenreader": "yes"}, {"type": "gmcp"},
                        {"type": "gmcp", "message": "not a package"}, {"type": 7},
                        {"type": "<script>"}, {}):
            self.alice.send_raw(text_frame(message))
            self.assertEqual(len(errors(self.alice)), 1, message)
        self.assertStillPlays()

    def test_not_numbers(self) -> None:
        """NaN and Infinity are not JSON."""
        self.alice.send_raw(frame(1, b'{"type": "size", "width": NaN, "height": Infinity}'))
        self.assertEqual(len(errors(self.alice)), 1)

    def test_deep_nesting(self) -> None:
        """Deeply nested JSON is refused, not a RecursionError."""
        world = TestWorld(web=WebLimits(max_message=100_000))
        self.addCleanup(world.close)
        alice = world.login_web("Alice")
        alice.send_raw(frame(1, b"[" * 20_000 + b"]" * 20_000))
        self.assertEqual(errors(alice), ["That message was not JSON."])
        self.assertStillPlays(alice)

    def test_long_message_skipped(self) -> None:
        """A message over the bound is skipped whole and the player told; play goes on."""
        self.alice.send_raw(text_frame({"type": "input", "text": "say " + "x" * 5000}))
        self.assertEqual(errors(self.alice),
                         ["That message was too long (over 2048 characters) and was ignored."])
        self.assertNotIn("xxxx", self.alice.output())
        self.assertStillPlays()

    def test_long_message_in_fragments(self) -> None:
        """A long message sent in many small fragments is skipped as it goes, not kept."""
        self.alice.send_raw(frame(1, b'{"type": "input", "text": "', fin=False))
        for _ in range(50):
            self.alice.send_raw(frame(0, b"y" * 100, fin=False))
            self.assertLessEqual(sum(map(len, self.alice.protocol._message)), 2048)
        self.alice.send_raw(frame(0, b'"}'))
        self.assertEqual(len(errors(self.alice)), 1)
        self.assertStillPlays()

    def test_endless_frame(self) -> None:
        """A frame that claims to be 2**62 bytes long is read and skipped, never kept."""
        self.alice.send_raw(frame(1, b"z" * 3000, length=1 << 62, fin=True))
        self.assertEqual(self.alice.protocol._message, [])
        self.assertEqual(len(errors(self.alice)), 1)
        self.assertTrue(self.alice.connected)

    def test_binary(self) -> None:
        """Binary messages are refused with a reason."""
        self.alice.send_raw(frame(2, b"\x00\x01look"))
        self.assertEqual(errors(self.alice),
                         ["The game takes text messages only; that one was ignored."])
        self.assertStillPlays()

    def test_long_line(self) -> None:
        """A line over max-line is refused as over telnet; the next one works."""
        self.alice.send_message({"type": "input", "text": "say " + "w" * 300})
        self.assertIn("That line was too long (over 256 bytes)", self.alice.output())
        self.assertStillPlays()

    def test_control_characters_in_input(self) -> None:
        """Control characters typed are removed before the session sees the line."""
        bob = self.world.login("Bob")
        self.alice.send("say hi\x1b[2J\x07 there")
        self.assertIn('Alice says, "hi there"', bob.output())

    def test_invalid_utf8(self) -> None:
        """A text frame that is not UTF-8 closes the websocket with 1007, as RFC 6455 says."""
        self.alice.send_raw(frame(1, b"\xff\xfe\xfd"))
        self.assertEqual(self.alice.closed, 1007)
        self.assertFalse(self.alice.connected)

    def test_unmasked(self) -> None:
        """A client frame without a mask is a protocol error (1002)."""
        self.alice.send_raw(frame(1, b'{"type":"input","text":"look"}', mask=False))
        self.assertEqual(self.alice.closed, 1002)
        self.assertFalse(self.alice.connected)

    def test_bad_opcode(self) -> None:
        """A reserved opcode closes with a protocol error."""
        self.alice.send_raw(frame(3, b"x"))
        self.assertEqual(self.alice.closed, 1002)

    def test_ping(self) -> None:
        """A ping is answered with a pong."""
        self.alice.send_raw(frame(9, b"are you there"))
        self.assertIn(b"\x8a\x0dare you there", self.alice.transport.value())

    def test_close(self) -> None:
        """A close from the browser is answered and the session ends."""
        self.alice.send_raw(frame(8, struct.pack("!H", 1000) + b"bye"))
        self.assertEqual(self.alice.closed, 1000)
        self.assertFalse(self.alice.connected)
        self.assertEqual(self.world.server.sessions, set())

    def test_data_after_close(self) -> None:
        """Frames after the close are ignored."""
        self.alice.send_raw(frame(8, struct.pack("!H", 1000)) + text_frame(
            {"type": "input", "text": "look"}))
        self.assertFalse(self.alice.connected)

    def test_paste_runs_a_few_lines_a_turn(self) -> None:
        """A message of many lines hands the session a few a turn, in order."""
        bob = self.world.login("Bob")
        bob.output()
        self.alice.protocol.dataReceived(text_frame(
            {"type": "input", "text": "\n".join(f"say {n}" for n in range(25))}))
        self.assertEqual(len(self.alice.protocol._pending), 25 - LINES_PER_TURN)
        for _ in range(5):
            self.world.clock.advance(1)
        heard = re.findall(r'Alice says, "(\d+)"', bob.output())
        self.assertEqual(heard, [str(n) for n in range(25)])


class BoundTests(TestCase):
    """
    The telnet door's per-connection bounds, on the web port.
    """

    def test_output_bound(self) -> None:
        """A browser that stops reading is dropped once max-output bytes pile up."""
        world = TestWorld(limits=Limits(max_output=4096))
        self.addCleanup(world.close)
        alice = world.login_web("Alice")
        bob = world.login("Bob")
        alice.stop_reading()
        for n in range(100):
            bob.send(f"say {n} " + "words " * 20)
            if not alice.connected:
                break
        self.assertFalse(alice.connected)
        self.assertTrue(bob.connected)
        self.assertNotIn(alice.protocol, world.web.open)

    def test_byte_flood_dropped(self) -> None:
        """A browser that floods past its input budget is held back, then dropped."""
        world = TestWorld(limits=Limits(input_rate=1024, input_burst=4096, throttle_drop=5.0))
        self.addCleanup(world.close)
        alice = world.login_web("Alice")
        bob = world.login("Bob")
        ping = frame(9, b"p" * 100)
        for _ in range(200):
            if not alice.connected:
                break
            alice.protocol.dataReceived(ping * 40)
            world.clock.advance(0.5)
        self.assertFalse(alice.connected)
        self.assertIn("Town Square", bob.send("look"))

    def test_message_flood_held(self) -> None:
        """Messages past the rate are held back: reading stops instead of piling up."""
        world = TestWorld()
        self.addCleanup(world.close)
        alice = world.login_web("Alice")
        alice.protocol.dataReceived(frame(9, b"") * 2000)
        self.assertFalse(alice.protocol._reading)
        self.assertLessEqual(len(alice.protocol._pending), 2000)
        for _ in range(100):
            world.clock.advance(1)
            alice.received()  # a browser reads (and answers the keepalive's pings)
        self.assertTrue(alice.connected)
        self.assertEqual(len(alice.protocol._pending), 0)

    def test_prelogin_output_charged(self) -> None:
        """Output held for browsers not logged in counts against the server-wide bound."""
        world = TestWorld(limits=Limits(prelogin_buffer=8192, max_output=1 << 20))
        self.addCleanup(world.close)
        browsers = [world.browse(f"10.1.0.{n}") for n in range(3)]
        for browser in browsers:
            browser.stop_reading()
        for _ in range(40):
            for browser in browsers:
                if browser.connected:
                    browser.send_message({"type": "input", "text": "help"})
        self.assertFalse(all(b.connected for b in browsers))
        self.assertLessEqual(world.factory.prelogin_held, 8192)


class FuzzTests(TestCase):
    """
    Random input at each stage never raises, never logs an error, and never
    leaves the connection stuck.
    """

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.binary(max_size=300), max_size=6))
    def test_http_bytes(self, chunks: list[bytes]) -> None:
        """Random bytes before the websocket get an answer or a close."""
        world = TestWorld(build=None)
        try:
            browser = world.browse(open=False)
            for chunk in chunks:
                browser.send_raw(chunk)
            world.clock.advance(60)
            self.assertFalse(browser.connected)
        finally:
            world.close()

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.one_of(
        st.builds(lambda op, data, fin, mask: frame(op, data, fin=fin, mask=mask),
                  st.sampled_from([0, 1, 2, 3, 8, 9, 10, 15]), st.binary(max_size=200),
                  st.booleans(), st.booleans()),
        st.binary(max_size=64)), max_size=8))
    def test_websocket_frames(self, frames: list[bytes]) -> None:
        """Random frames (and bytes) on an open websocket never break the server."""
        world = TestWorld(build=None)
        try:
            browser = world.browse()
            for data in frames:
                browser.send_raw(data)
            world.clock.advance(60)
            if browser.connected:
                self.assertIn("connect", browser.send("help"))
        finally:
            world.close()

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=30)
        | st.sampled_from(["input", "gmcp", "size", "hello", "text", "Core.Ping",
                           "Core.Supports.Set [\"Room 1\"]"]),
        lambda inner: st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(["type", "text", "message", "width", "height",
                                           "client", "screenreader"]), inner, max_size=4),
        max_leaves=12), max_size=6))
    def test_messages(self, messages: list[object]) -> None:
        """Random JSON messages are taken or refused with a reason."""
        world = TestWorld(build=None)
        try:
            browser = world.browse()
            for message in messages:
                browser.send_message(message)
            self.assertTrue(browser.connected)
        finally:
            world.close()
