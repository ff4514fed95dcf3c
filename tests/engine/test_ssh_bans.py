"""
Site bans at the SSH door after the connection was admitted: a client
from a site banned while it waits at the password prompt, or between its
password and its shell, is refused before its login takes its character
over from the session playing it, and the refusal is no failed login.
"""

from __future__ import annotations

import contextlib

import paramiko
from twisted.internet import threads

from engine.bans import BANNED
from engine.testing import LiveServer, TelnetPlayer
from tests.engine.test_ssh import LiveSSHCase, handshake


def password_refused(client: paramiko.Transport) -> str:
    """
    Try Alice's right password on C{client}; what the server said on
    refusing it (its banner and why it failed).
    """
    try:
        client.auth_password("alice", "correct horse")
    except (paramiko.AuthenticationException, paramiko.SSHException, EOFError) as e:
        banner = client.auth_handler.banner or b""  # (get_banner: None once closed)
        return f"{banner.decode('utf-8', 'replace')} {e}"
    return "logged in"


def shell_text(client: paramiko.Transport) -> bytes:
    """
    Open a shell on C{client}, logged in already; all it says before it closes.
    """
    channel = client.open_session(timeout=20)
    channel.settimeout(20)
    with contextlib.suppress(paramiko.SSHException):
        channel.invoke_shell()  # (closed at once, when refused)
    got = b""
    while data := channel.recv(65536):
        got += data
    return got


class BannedWhileWaitingTests(LiveSSHCase):
    async def playing(self) -> tuple[LiveServer, TelnetPlayer]:
        """
        The server, and Alice (its wizard) playing at telnet from 127.0.0.1.
        """
        server = await self.start()
        alice = await server.connect()
        alice.send("connect Alice correct horse")
        await alice.expect("Limbo")
        return server, alice

    async def ban_own_site(self, alice: TelnetPlayer) -> None:
        alice.send("@ban site 127.0.0.1")
        await alice.expect("now refused")

    def still_playing(self, server: LiveServer, alice: TelnetPlayer) -> None:
        sessions = server.service.getServiceNamed("sessions").server
        self.assertEqual([s.name for s in sessions.playing()], ["Alice"])
        self.assertNotIn("another place", alice.text)
        self.assertFalse(alice.closed.called)
        self.assertEqual(sessions.accounts.failed_logins.count("127.0.0.1"), 0)

    async def test_password_refused_before_the_takeover(self) -> None:
        """
        Mallory's SSH client waits at the password prompt; Alice bans its
        site; its right password for Alice is refused with the ban's
        message, and Alice plays on, not taken over.
        """
        server, alice = await self.playing()
        client = await threads.deferToThread(handshake, self.port)
        self.addCleanup(client.close)
        await self.ban_own_site(alice)
        said = await threads.deferToThread(password_refused, client)
        self.assertIn(BANNED, said)
        self.still_playing(server, alice)

    async def test_shell_refused_before_the_takeover(self) -> None:
        """
        Banned between its password and its shell, the client's shell says
        so and closes; Alice plays on.
        """
        server, alice = await self.playing()
        client = await threads.deferToThread(handshake, self.port)
        self.addCleanup(client.close)
        await threads.deferToThread(client.auth_password, "alice", "correct horse")
        await self.ban_own_site(alice)
        text = await threads.deferToThread(shell_text, client)
        self.assertIn(BANNED.encode("utf-8"), text)
        self.assertNotIn(b"Welcome back", text)
        self.still_playing(server, alice)
