"""
What the log says of a connection refused or dropped is the server's
words, short, never what the client sent at length: the reasons an
L{engine.limits.IntervalLog} counts are cut and bounded in number, the web
door's reasons for a bad request are fixed phrases, and conch's own lines
(which quote user names, request types and whole packets) are not written
but for its errors, whose values are quoted and cut.
"""

from __future__ import annotations

import socket
from typing import Any

import paramiko
from twisted.internet import threads
from twisted.internet.address import IPv4Address
from twisted.internet.testing import StringTransport
from twisted.logger import LogEvent, formatEvent, globalLogPublisher
from twisted.trial.unittest import TestCase

from engine.limits import (
    DROP_REASONS,
    QUOTED_CHARS,
    REASON_CHARS,
    REFUSAL_LOG_INTERVAL,
    Limits,
    quoted,
)
from engine.protocols.options import OptionHandler
from engine.testing import TestWorld
from tests.engine.test_refusals import open_world
from tests.engine.test_ssh import LiveSSHCase, raw, ssh_client

#: The longest line any test here lets the log have: the drop log's
#: prefix and L{DROP_REASONS} reasons of L{REASON_CHARS}, with their counts.
LONGEST = 200 + (DROP_REASONS + 1) * (REASON_CHARS + 16)


class Lines:
    """
    Every log event published while a test runs, as the log file writes
    it (of every level, as C{tessera run}'s log has them all).
    """

    def __init__(self, case: TestCase) -> None:
        self.lines: list[str] = []
        globalLogPublisher.addObserver(self.observe)
        case.addCleanup(globalLogPublisher.removeObserver, self.observe)

    def observe(self, event: LogEvent) -> None:
        self.lines.append(formatEvent(event) or "")
        failure = event.get("log_failure")
        if failure is not None:
            self.lines.append(str(failure.value))

    def longest(self) -> int:
        return max((len(line) for line in self.lines), default=0)


class QuotedTests(TestCase):
    def test_short_text_whole(self) -> None:
        """A client's short text is quoted whole, its control characters escaped."""
        self.assertEqual(quoted("vt100\n"), repr("vt100\n"))
        self.assertEqual(quoted(b"ssh\x00"), repr(b"ssh\x00"))

    def test_long_text_cut(self) -> None:
        """A client's long text is quoted cut, saying how much more there was."""
        text = quoted("Z" * 16000)
        self.assertLess(len(text), QUOTED_CHARS + 30)
        self.assertIn(f"({16000 - QUOTED_CHARS} more)", text)
        self.assertLess(len(quoted(b"\xff" * 16000)), 4 * QUOTED_CHARS + 30)


class IntervalLogCutTests(TestCase):
    def test_long_reasons_cut(self) -> None:
        """
        However long the reasons a door gives (a door quoting too much of
        what it was sent), each is kept cut to L{REASON_CHARS}, and the
        line with all of them stays short.
        """
        world = TestWorld(build=None)
        self.addCleanup(world.close)
        lines = Lines(self)
        drops = world.server.drops
        for n in range(40):
            drops.note(f"10.31.0.{n}", f"bad request {n:02}: " + "Z" * 16000)
        self.assertTrue(all(len(why) <= REASON_CHARS for why in drops.reasons))
        world.clock.advance(REFUSAL_LOG_INTERVAL)
        self.assertEqual(len([line for line in lines.lines if "dropped" in line]), 2)
        self.assertLessEqual(lines.longest(), LONGEST)


def send(world: TestWorld, host: str, data: bytes) -> StringTransport:
    """
    Connect to C{world}'s web door from C{host}, send C{data}, and let the
    turns pass until the door has read it and closed the connection.
    """
    transport = StringTransport(peerAddress=IPv4Address("TCP", host, 4000))
    protocol = world.web.buildProtocol(transport.getPeer())
    protocol.makeConnection(transport)
    protocol.dataReceived(data)
    for _ in range(1000):
        if transport.disconnecting:
            break
        world.clock.advance(0.01)
    protocol.connectionLost(None)
    return transport


class WebBadRequestTests(TestCase):
    def test_illegal_header_lines(self) -> None:
        """
        The reviewer's attack: twenty connections each sending an illegal
        header line of 16 KB are one short log line per interval, naming
        the status and what was wrong, not the line (the door reads the
        lines over some turns, so a line may come in between).
        """
        world = open_world(self)
        lines = Lines(self)
        for n in range(20):
            request = (b"GET / HTTP/1.1\r\nHost: localhost\r\nX%02d" % n + b"Z" * 16000
                       + b"\r\n\r\n")
            transport = send(world, f"10.32.0.{n}", request)
            self.assertTrue(transport.disconnecting)
            self.assertIn(b"400", transport.value())
        world.clock.advance(REFUSAL_LOG_INTERVAL)
        dropped = [line for line in lines.lines if "dropped" in line]
        self.assertEqual(sum(int(line.split()[1]) for line in dropped), 20, dropped)
        for line in dropped:
            self.assertIn("bad HTTP request (400: illegal header line)", line)
        self.assertNotIn("ZZZ", "".join(lines.lines))
        self.assertLessEqual(lines.longest(), 300)

    def test_hosts_and_origins_not_quoted(self) -> None:
        """
        Requests for hosts the server does not answer to, and websockets
        from origins it does not allow, each naming a new one, are counted
        under one reason each, not a reason (and a quoted name) apiece.
        """
        world = open_world(self)
        lines = Lines(self)
        for n in range(40):
            if n % 2:
                request = (b"GET / HTTP/1.1\r\nHost: h%02d" % n + b"H" * 1000
                           + b".example\r\n\r\n")
            else:
                request = (b"GET /ws HTTP/1.1\r\nHost: localhost\r\nOrigin: http://o%02d" % n
                           + b"O" * 1000 + b".example\r\nUpgrade: websocket\r\n"
                           b"Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                           b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
            self.assertTrue(send(world, f"10.33.0.{n}", request).disconnecting)
        world.clock.advance(REFUSAL_LOG_INTERVAL)
        dropped = [line for line in lines.lines if "dropped" in line]
        self.assertIn("a request for a host it does not answer to", "".join(dropped))
        self.assertIn("a websocket from an origin not allowed", "".join(dropped))
        self.assertNotIn("HHH", "".join(lines.lines))
        self.assertNotIn("OOO", "".join(lines.lines))
        self.assertNotIn("other reasons", "".join(dropped))
        self.assertLessEqual(lines.longest(), 300)


class TelnetGmcpTests(TestCase):
    def test_bad_gmcp_one_line(self) -> None:
        """
        Broken GMCP messages, a few bytes each, make no log line before
        the connection has logged in, and one line for the first after,
        not one for each.
        """
        world = TestWorld(build=None)
        self.addCleanup(world.close)
        lines = Lines(self)
        client = world.connect("10.34.0.1")
        bad = b"\xff\xfa\xc9" + b"Q" * 3000 + b"\xff\xf0"
        client.send_raw(b"\xff\xfd\xc9" + bad * 50)
        self.assertEqual([line for line in lines.lines if "GMCP" in line], [])
        client.send("create Dora correct horse")
        client.send_raw(bad * 50)
        self.assertTrue(client.connected)
        gmcp = [line for line in lines.lines if "GMCP" in line]
        self.assertEqual(len(gmcp), 1, gmcp)
        self.assertLessEqual(len(gmcp[0]), 300)


class LoggedInLineTests(TestCase):
    def test_own_lines_cut(self) -> None:
        """
        A logged-in player's connection dropped or closed is a line of its
        own (and its session's line), its reason cut as the drop log's are,
        however long a caller made it.
        """
        world = TestWorld(build=None)
        self.addCleanup(world.close)
        lines = Lines(self)
        for name, end in (("Dora", "drop"), ("Enid", "close")):
            client = world.connect()
            client.send(f"create {name} correct horse")
            if end == "drop":
                client.client._drop("a reason " * 1000)
            else:
                client.client._close_quietly("a reason " * 1000)
            self.assertFalse(client.connected)
        said = [line for line in lines.lines if "a reason" in line]
        # The door's line (dropping, closing) and the session's (disconnected).
        self.assertEqual(len(said), 4, [line[:100] for line in said])
        self.assertEqual([line[:100] for line in said if len(line) > REASON_CHARS + 100], [])


class BrokenOption(OptionHandler):
    """
    A telnet option whose handlers raise, quoting what the client sent at
    length.
    """

    code = b"\x99"
    name = "broken"

    def accept_remote(self, client: Any) -> bool:
        return True

    def remote_enabled(self, client: Any) -> None:
        raise ValueError("enabled " + "E" * 16000)

    def remote_disabled(self, client: Any) -> None:
        raise ValueError("disabled")

    def subnegotiation(self, client: Any, data: bytes) -> None:
        raise ValueError(data.decode("latin-1"))


class TelnetOptionFailureTests(TestCase):
    def test_first_failure_per_server(self) -> None:
        """
        A telnet option that fails on whatever a client sends (turned on
        and off, subnegotiations) leaves the connection up; the server logs
        its first failure with its traceback, cut, and each later
        connection's first failure as one count of a line every few
        seconds, not a traceback each.
        """
        world = TestWorld(build=None)
        self.addCleanup(world.close)
        world.factory.options = (*world.factory.options, BrokenOption())
        lines = Lines(self)
        for n in range(1, 31):
            client = world.connect(f"10.35.0.{n}")
            on_off = b"\xff\xfb\x99\xff\xfc\x99" * 20
            sub = b"\xff\xfa\x99" + b"S" * 6000 + b"\xff\xf0"
            client.send_raw(on_off + sub * 20)
            self.assertTrue(client.connected)
        for _ in range(3):  # (what they sent waits for the budget they all share)
            world.clock.advance(11)
        failed = [line for line in lines.lines if "option broken failed" in line]
        self.assertEqual(len(failed), 1, [line[:200] for line in failed])
        self.assertIn("10.35.0.1 ", failed[0])
        self.assertIn("ValueError", failed[0])
        self.assertLessEqual(lines.longest(), 3000)
        counted = [line for line in lines.lines if line.startswith("failed ")]
        # A line at once, then at most one every 10 seconds, for all of them.
        self.assertLessEqual(len(counted), 4, counted)
        self.assertEqual(sum(int(line.split()[1]) for line in counted), 29)
        self.assertIn("telnet option broken", counted[-1])
        self.assertEqual([line for line in lines.lines if "Traceback" in line], failed)
        self.assertEqual(self.flushLoggedErrors(ValueError), [])


def long_name(port: int) -> str:
    """
    Log in over SSH with a 16 KB user name and a wrong password, then
    (on another connection) ask for the login service, try the C{none}
    method with a 16 KB name, and send it a message of a kind it does not
    know, 16 KB long. Runs in a thread; what the first try said.
    """
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())  # noqa: S507 (a test server's new key)
    try:
        client.connect("127.0.0.1", port=port, username="N" * 16000, password="wrong",
                       timeout=20, allow_agent=False, look_for_keys=False)
        said = "in"
    except paramiko.AuthenticationException as e:
        said = str(e)
    finally:
        client.close()
    sock = socket.create_connection(("127.0.0.1", port), timeout=20)
    transport = paramiko.Transport(sock)
    try:
        transport.start_client(timeout=20)
        try:
            transport.auth_none("M" * 16000)
        except paramiko.BadAuthenticationType:
            pass
        message = paramiko.Message()
        message.add_byte(bytes([70]))
        message.add_string(b"P" * 16000)
        transport._send_message(message)
        transport.close()
    finally:
        sock.close()
    return said


def long_channel(port: int) -> int:
    """
    Log in as Alice and ask for a channel of a kind 16 KB long, then send
    requests of a type 16 KB long on a session channel. Runs in a thread;
    the refusal's code.
    """
    client = ssh_client(port, "alice", "correct horse")
    try:
        transport = client.get_transport()
        try:
            transport.open_channel("K" * 16000, timeout=10)
            code = 0
        except paramiko.ChannelException as e:
            code = e.code
        channel = transport.open_session(timeout=10)
        for _ in range(3):
            message = paramiko.Message()
            message.add_byte(paramiko.common.cMSG_CHANNEL_REQUEST)
            message.add_int(channel.remote_chanid)
            message.add_string("R" * 16000)
            message.add_boolean(False)
            transport._send_user_message(message)
        return code
    finally:
        client.close()


class SSHClientTextTests(LiveSSHCase):
    async def test_long_names_and_messages(self) -> None:
        """
        A user name of 16 KB, at a failed login and at the C{none} method,
        and a 16 KB message the login service does not know, make no long
        log line: conch's lines quoting them are not written.
        """
        await self.start()
        lines = Lines(self)
        said = await threads.deferToThread(long_name, self.port)
        self.assertNotEqual(said, "in")
        await threads.deferToThread(raw, self.port, b"", 1.0)  # the server has read it all
        text = "".join(lines.lines)
        for letter in "NMP":
            self.assertNotIn(letter * 200, text)
        self.assertLessEqual(lines.longest(), LONGEST)

    async def test_long_channel_kinds_and_requests(self) -> None:
        """
        A logged-in client's channel of a kind 16 KB long is refused with
        its kind quoted and cut; requests of a type 16 KB long make no line.
        """
        await self.start()
        lines = Lines(self)
        code = await threads.deferToThread(long_channel, self.port)
        self.assertEqual(code, paramiko.common.OPEN_FAILED_UNKNOWN_CHANNEL_TYPE)
        await threads.deferToThread(raw, self.port, b"", 1.0)  # the server has read it all
        text = "".join(lines.lines)
        refused = [line for line in lines.lines if "refused an SSH channel" in line]
        self.assertEqual(len(refused), 1, refused)
        self.assertIn(f"({16000 - QUOTED_CHARS} more)", refused[0])
        self.assertNotIn("K" * 200, text)
        self.assertNotIn("R" * 200, text)
        self.assertLessEqual(lines.longest(), LONGEST)

    async def test_long_version_string(self) -> None:
        """A client version string of 16 KB is not logged at length."""
        await self.start()
        lines = Lines(self)
        await threads.deferToThread(raw, self.port, b"SSH-2.0-" + b"V" * 16000 + b"\r\n", 2.0)
        await threads.deferToThread(raw, self.port, b"SSH-1.5-" + b"V" * 16000 + b"\r\n", 2.0)
        self.assertNotIn("V" * 200, "".join(lines.lines))
        self.assertLessEqual(lines.longest(), LONGEST)


class FailedLoginLogTests(TestCase):
    def test_guesses_counted_not_each_logged(self) -> None:
        """
        Password guesses at a door are in the log, as a line every few
        seconds counting them by reason (wrong passwords, then those
        refused for too many), never one a guess and never what was typed;
        what was counted after the last line is logged when the server
        stops.
        """
        world = TestWorld(build=None, limits=Limits(failed_logins=3))
        self.addCleanup(world.close)
        lines = Lines(self)
        world.connect().send("create Dora correct horse")
        for n in range(6):
            world.connect("10.35.0.1").send(f"connect Dora secret-guess-{n}")
        failed = [line for line in lines.lines if "login(s)" in line]
        self.assertEqual(len(failed), 1, failed)
        self.assertIn("failed 1 login(s) (the last from 10.35.0.1): wrong name or password (1)",
                      failed[0])
        world.clock.advance(REFUSAL_LOG_INTERVAL)
        failed = [line for line in lines.lines if "login(s)" in line]
        self.assertEqual(len(failed), 2, failed)
        self.assertIn("wrong name or password (2)", failed[1])
        self.assertIn("too many failed logins from one address (3)", failed[1])
        world.connect("10.35.0.1").send("connect Dora one-more-guess")
        world.server.stop()
        failed = [line for line in lines.lines if "login(s)" in line]
        self.assertEqual(len(failed), 3, failed)
        self.assertEqual([line for line in lines.lines if "guess" in line], [])
