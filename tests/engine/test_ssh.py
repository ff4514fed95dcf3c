"""
SSH (L{engine.ssh}): the line editor, the host key, a real SSH client
(paramiko) logging in and playing, the accounts' throttling, and hostile
input on the SSH port.
"""

from __future__ import annotations

import os
import socket
import time

import paramiko
from twisted.internet import defer, reactor, threads
from twisted.internet.task import deferLater
from twisted.logger import LogEvent, formatEvent, globalLogPublisher
from twisted.python import usage
from twisted.trial.unittest import TestCase

from engine import ssh
from engine.ssh import LineEditor
from engine.tap import Options
from engine.testing import LiveServer


class LineEditorTests(TestCase):
    def test_typing_and_enter(self) -> None:
        """Keys are echoed; Enter (CR, LF, CR LF or CR NUL) finishes one line each."""
        editor = LineEditor(100)
        self.assertEqual(editor.feed("look\r\n"), [("echo", "look\r\n"), ("line", "look")])
        self.assertEqual(editor.feed("a\r\x00b\n"),
                         [("echo", "a\r\n"), ("line", "a"), ("echo", "b\r\n"), ("line", "b")])

    def test_erasing(self) -> None:
        """Backspace, ^U and ^W erase on screen and in the line."""
        editor = LineEditor(100)
        editor.feed("sayy\x7f hello big world\x17")
        self.assertEqual("".join(editor.buffer), "say hello big ")
        editor.feed("\x08\x08\x08\x08")
        self.assertEqual(editor.feed("\x15"), [("echo", "\b \b" * len("say hello "))])
        self.assertEqual(editor.buffer, [])

    def test_control_keys(self) -> None:
        """^C throws the line away; ^D on an empty line ends; other controls are ignored."""
        editor = LineEditor(100)
        self.assertEqual(editor.feed("oops\x03"), [("echo", "oops^C\r\n"), ("interrupt",)])
        self.assertEqual(editor.feed("x\x04"), [("echo", "x")])
        editor.feed("\x15")
        self.assertEqual(editor.feed("\x04"), [("eof",)])
        actions = editor.feed("\x07\x0c\x1b[2J\x1b]0;title\x07a\r")
        self.assertEqual(actions[-1], ("line", "0;titlea"))

    def test_escape_sequences_never_reach_a_line(self) -> None:
        """Arrow keys, function keys and runaway sequences are read whole and dropped."""
        editor = LineEditor(100)
        actions = editor.feed("a\x1b[D\x1bOP\x1b[15~\x1b[" + "1;" * 20 + "b\r")
        kind, line = actions[-1]
        self.assertEqual(kind, "line")
        self.assertTrue(line.startswith("a") and line.endswith("b"), line)
        self.assertNotIn("\x1b", actions[-1][1])

    def test_history(self) -> None:
        """Up and down walk the lines typed before (never hidden ones)."""
        editor = LineEditor(100)
        editor.feed("north\rsay hi\r")
        editor.hidden = True
        editor.feed("secret password\r")
        editor.hidden = False
        editor.feed("\x1b[A")
        self.assertEqual("".join(editor.buffer), "say hi")
        editor.feed("\x1b[A\x1b[A")
        self.assertEqual("".join(editor.buffer), "north")
        editor.feed("\x1b[B\x1b[B")
        self.assertEqual(editor.buffer, [])

    def test_hidden_echoes_nothing(self) -> None:
        """While a password is asked for, nothing typed is echoed."""
        editor = LineEditor(100)
        editor.hidden = True
        self.assertEqual(editor.feed("hunter22\x7f\r"), [("echo", "\r\n"), ("line", "hunter2")])

    def test_limit(self) -> None:
        """Typing past the longest line is ignored."""
        editor = LineEditor(5)
        self.assertEqual(editor.feed("abcdefgh\r")[-1], ("line", "abcde"))


class HostKeyTests(TestCase):
    def test_made_once(self) -> None:
        """Without --ssh-key a host key is made beside the database, once, owner-only."""
        folder = os.path.abspath(self.mktemp())
        key, path = ssh.host_key(None, os.path.join(folder, "world.fs"))
        self.assertEqual(path, os.path.join(folder, ssh.HOST_KEY))
        self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)
        again, _ = ssh.host_key(None, os.path.join(folder, "world.fs"))
        self.assertEqual(key.fingerprint(), again.fingerprint())
        self.assertFalse(key.isPublic())

    def test_bad_key(self) -> None:
        """A missing or useless --ssh-key is one clear error."""
        with self.assertRaises(ssh.HostKeyError) as caught:
            ssh.host_key(os.path.join(self.mktemp(), "nope"), None)
        self.assertIn("cannot use", str(caught.exception))
        junk = self.mktemp()
        with open(junk, "w") as out:
            out.write("not a key\n")
        with self.assertRaises(ssh.HostKeyError):
            ssh.host_key(junk, None)
        with self.assertRaises(usage.UsageError):
            Options().parseOptions(["--ssh-port", "-1"])


def ssh_client(port: int, name: str, password: str) -> paramiko.SSHClient:
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())  # noqa: S507 (a test server's new key)
    try:
        client.connect("127.0.0.1", port=port, username=name, password=password, timeout=20,
                       allow_agent=False, look_for_keys=False, banner_timeout=20,
                       auth_timeout=20)
    except BaseException:
        client.close()
        raise
    return client


def read_until(channel: paramiko.Channel, wanted: bytes, got: bytes = b"") -> bytes:
    while wanted not in got:
        data = channel.recv(65536)
        if not data:
            raise AssertionError(f"closed before {wanted!r}: {got!r}")
        got += data
    return got


def play(port: int) -> bytes:
    """
    Log in as Alice with paramiko, look, say something long after a
    window change, quit. Runs in a thread.
    """
    client = ssh_client(port, "alice", "correct horse")
    try:
        channel = client.invoke_shell(term="xterm-256color", width=100, height=30)
        channel.settimeout(20)
        got = read_until(channel, b"> ")
        channel.send(b"look\r")
        got = read_until(channel, b"Exits", got)
        channel.resize_pty(width=40, height=20)
        channel.send(b"say " + b"word " * 20 + b"\r")
        got = read_until(channel, b"You say", got)
        while not got.endswith(b"> "):
            got = read_until(channel, b"> ", got + channel.recv(65536))
        channel.send(b"quit\r")
        return read_until(channel, b"Goodbye", got)
    finally:
        client.close()


def bad_password(port: int, times: int) -> list[str]:
    """
    Try a wrong password C{times} times; what each try said.
    """
    said = []
    for _ in range(times):
        client = paramiko.SSHClient()
        client.set_missing_host_key_policy(paramiko.AutoAddPolicy())  # noqa: S507
        try:
            client.connect("127.0.0.1", port=port, username="alice", password="wrong password",
                           timeout=20, allow_agent=False, look_for_keys=False)
            said.append("in")
        except paramiko.AuthenticationException as e:
            said.append(str(e))
        finally:
            client.close()
    return said


def exec_command(port: int) -> bytes:
    client = ssh_client(port, "alice", "correct horse")
    try:
        channel = client.get_transport().open_session()
        channel.settimeout(20)
        try:
            channel.exec_command("look")
        except paramiko.SSHException as e:
            return str(e).encode()
        return channel.recv(4096)
    finally:
        client.close()


class LiveSSHCase(TestCase):
    args: tuple[str, ...] = ()

    async def start(self) -> LiveServer:
        server = LiveServer("--memory", "--content", "", "--ssh-port", "0",
                            "--ssh-key", self.key, *self.args)
        server.start()
        self.addCleanup(server.stop)
        self.port = server.service.getServiceNamed("ssh").port
        player = await server.connect()
        player.send("create Alice correct horse")
        await player.expect("Welcome, Alice!")
        player.send("quit")
        await player.closed
        return server

    def setUp(self) -> None:
        folder = os.path.abspath(self.mktemp())
        _key, self.key = ssh.host_key(None, os.path.join(folder, "world.fs"))


class LiveSSHTests(LiveSSHCase):
    async def test_login_and_play(self) -> None:
        """paramiko logs in with the account's password, plays, and the window size counts."""
        server = await self.start()
        text = (await threads.deferToThread(play, self.port)).decode("utf-8", "replace")
        self.assertIn("Welcome back, Alice", text)
        self.assertIn("Limbo", text)
        said = text[text.index("You say"):]
        self.assertLessEqual(max(len(line) for line in said.split("\r\n")[:-1]), 40)
        self.assertIn("Goodbye", text)
        self.assertEqual(server.service.getServiceNamed("sessions").server.playing(), [])

    async def test_failed_logins_are_throttled_with_telnet(self) -> None:
        """Wrong SSH passwords count against the address, for SSH and telnet alike."""
        self.args = ("--failed-logins", "2")
        server = await self.start()
        said = await threads.deferToThread(bad_password, self.port, 3)
        self.assertNotIn("in", said)
        player = await server.connect()
        player.send("connect Alice correct horse")
        await player.expect("Too many failed logins from your address")
        with self.assertRaises(paramiko.AuthenticationException):
            await threads.deferToThread(ssh_client, self.port, "alice", "correct horse")

    async def test_exec_is_refused(self) -> None:
        """Running a command without a shell is refused with a message, not a traceback."""
        await self.start()
        answer = await threads.deferToThread(exec_command, self.port)
        self.assertNotIn(b"Limbo", answer)  # no command ran


def other_channels(port: int) -> tuple[list[int | str], int]:
    """
    Log in, ask for channels that are no session (port forwarding, X11,
    an agent), then open session channels until refused; each refusal's
    code and how many sessions opened.
    """
    client = ssh_client(port, "alice", "correct horse")
    try:
        transport = client.get_transport()
        said: list[int | str] = []
        ends = {"dest_addr": ("127.0.0.1", 22), "src_addr": ("127.0.0.1", 5000)}
        for kind in ("direct-tcpip", "forwarded-tcpip", "x11", "auth-agent@openssh.com"):
            try:
                transport.open_channel(kind, **ends, timeout=10)
                said.append("opened")
            except paramiko.ChannelException as e:
                said.append(e.code)
        opened = []  # kept: paramiko closes a channel it no longer holds
        for _ in range(ssh.MAX_CHANNELS + 5):
            try:
                opened.append(transport.open_session(timeout=10))
            except paramiko.ChannelException:
                break
        return said, len(opened)
    finally:
        client.close()


def raw(port: int, data: bytes, then_wait: float = 10.0) -> bytes:
    """
    Send C{data} to the port and read until it closes (or C{then_wait}).
    """
    got = b""
    with socket.create_connection(("127.0.0.1", port), timeout=then_wait) as conn:
        if data:
            conn.sendall(data)
        deadline = time.monotonic() + then_wait
        try:
            while time.monotonic() < deadline:
                chunk = conn.recv(65536)
                if not chunk:
                    return got + b"<closed>"
                got += chunk
        except ConnectionResetError:
            return got + b"<closed>"  # cut: closed all the same
        except TimeoutError:
            pass
    return got


def handshake(port: int) -> paramiko.Transport:
    """
    Connect and finish the key exchange, without logging in: the client
    waits at the password prompt.
    """
    sock = socket.create_connection(("127.0.0.1", port), timeout=20)
    client = paramiko.Transport(sock)
    try:
        client.start_client(timeout=20)
    except BaseException:
        client.close()
        raise
    return client


def log_in(client: paramiko.Transport) -> bytes:
    """
    Log C{client} in as Alice and open her shell; what it says first.
    """
    client.auth_password("alice", "correct horse")
    channel = client.open_session(timeout=20)
    channel.settimeout(20)
    channel.get_pty(term="xterm", width=80, height=24)
    channel.invoke_shell()
    return read_until(channel, b"> ")


class PreloginSSHTests(LiveSSHCase):
    async def test_waiting_until_logged_in(self) -> None:
        """
        A client at the password prompt is counted as waiting to log in
        at the SSH door (C{--max-prelogin}); once logged in, it is not.
        """
        server = await self.start()
        prelogin = server.service.getServiceNamed("ssh").args[1].server.prelogin
        self.assertNotIn("ssh", prelogin.doors)
        client = await threads.deferToThread(handshake, self.port)
        self.addCleanup(client.close)
        self.assertEqual(prelogin.doors.get("ssh"), 1)
        await threads.deferToThread(log_in, client)
        self.assertNotIn("ssh", prelogin.doors)
        self.assertEqual(prelogin.total, 0)


class ChannelTests(LiveSSHCase):
    async def test_other_channels_refused_quietly(self) -> None:
        """Channels other than a session are refused with a reason, and no traceback is logged."""
        await self.start()
        said, _opened = await threads.deferToThread(other_channels, self.port)
        self.assertEqual(said, [paramiko.common.OPEN_FAILED_UNKNOWN_CHANNEL_TYPE] * 4)

    async def test_channels_bounded(self) -> None:
        """One connection holds at most MAX_CHANNELS channels open; more are refused."""
        await self.start()
        _said, opened = await threads.deferToThread(other_channels, self.port)
        self.assertEqual(opened, ssh.MAX_CHANNELS)


class HostileSSHTests(LiveSSHCase):
    args = ("--login-timeout", "2", "--max-prelogin", "3")

    async def test_garbage(self) -> None:
        """Bytes that are no SSH, or break it after the version, close the connection."""
        await self.start()
        for junk in [b"GET / HTTP/1.0\r\n\r\n" + b"x" * 5000, b"\xff" * 70000,
                     b"SSH-2.0-x\r\n" + b"\x00\x00\x00\x0c\x0a\x15" + b"\x00" * 20,
                     b"SSH-2.0-x\r\n" + b"\xff\xff\xff\xff" + b"A" * 100,
                     b"SSH-1.5-old\r\n"]:
            answer = await threads.deferToThread(raw, self.port, junk)
            self.assertTrue(answer.endswith(b"<closed>"), (junk[:30], answer[-80:]))

    async def test_stalled_handshake_times_out(self) -> None:
        """A client that stops after its version string is closed at the login timeout."""
        await self.start()
        answer = await threads.deferToThread(raw, self.port, b"SSH-2.0-slow\r\n", 15.0)
        self.assertIn(b"SSH-2.0-", answer)
        self.assertTrue(answer.endswith(b"<closed>"))

    async def test_hanging_up_before_login_is_quiet(self) -> None:
        """
        A client that hangs up before it logs in is no error: no line is
        logged of it, and conch tears it down as any other.
        """
        server = await self.start()
        prelogin = server.service.getServiceNamed("ssh").args[1].server.prelogin
        lines: list[str] = []

        def observe(event: LogEvent) -> None:
            lines.append(formatEvent(event) or "")
            if event.get("log_failure") is not None:
                lines.append(str(event["log_failure"].value))

        globalLogPublisher.addObserver(observe)
        self.addCleanup(globalLogPublisher.removeObserver, observe)
        for data in (b"", b"SSH-2.0-gone\r\n"):
            await threads.deferToThread(raw, self.port, data, 0.5)
        while prelogin.total:
            await pause(0.05)
        self.assertEqual([line for line in lines if "SSH" in line or "logout" in line], [])

    async def test_no_shell_times_out(self) -> None:
        """
        A client that logs in with its password but opens no shell still
        waits to log in (C{--max-prelogin}) and is closed at the login
        timeout, as one at the password prompt.
        """
        server = await self.start()
        prelogin = server.service.getServiceNamed("ssh").args[1].server.prelogin
        client = await threads.deferToThread(handshake, self.port)
        self.addCleanup(client.close)
        await threads.deferToThread(client.auth_password, "alice", "correct horse")
        self.assertTrue(client.is_authenticated())
        self.assertEqual(prelogin.doors.get("ssh"), 1)
        for _ in range(200):
            if not client.is_active():
                break
            await pause(0.1)
        self.assertFalse(client.is_active())
        self.assertEqual(prelogin.total, 0)

    async def test_prelogin_bound(self) -> None:
        """Past --max-prelogin connections waiting to log in, the next is told and closed."""
        await self.start()
        held = [socket.create_connection(("127.0.0.1", self.port)) for _ in range(3)]
        try:
            await pause(0.5)
            answer = await threads.deferToThread(raw, self.port, b"", 5.0)
            self.assertIn(b"Too many connections are waiting", answer)
        finally:
            for conn in held:
                conn.close()


def pause(seconds: float) -> defer.Deferred:
    return deferLater(reactor, seconds, lambda: None)
