# -*- test-case-name: tests.engine.test_ssh -*-
"""
SSH: players reach the same sessions with C{ssh -p 4022 alice@host}.

An SSH server on C{twisted.conch}: password login through the accounts'
own checker (L{engine.login.AccountService.verify}: the same accounts, the
same scrypt hashes, the same failed-login throttling per address), a host
key made on first run, and one interactive shell per connection carrying an
ordinary L{engine.session.Session}. The session then logs in with the
account SSH verified (L{SSHWelcome}), through the accounts' portal like
every other login (a second login takes the character over).

The shell, L{SSHClient}, is an L{engine.interfaces.IClient} like a telnet
connection: text is rendered by the same L{Presentation} (colour for the
terminal the client names, the C{option} command), the window size is what
NAWS would say (and follows C{window-change}). With a terminal (C{ssh}
asks for one) the client sends each key as it is typed, so the server edits
the line (L{LineEditor}: echo, backspace, ^U, ^W, ^C, ^D, history with the
arrow keys; nothing echoed while a password is asked for) and keeps what the
player is typing below anything that arrives meanwhile. Without one (C{ssh
-T}, scripts) lines arrive whole and nothing is echoed.

Limits are the telnet door's (L{engine.limits.Limits}): connections per
address and per server (L{engine.server.Server.admit}, at connect),
connections waiting to log in (C{max_prelogin}, counted with the other
doors), the login timeout (from connect, so a client that stalls in the
key exchange goes too), failed logins per address, line length, the input
budget and the output bound. Input that breaks the SSH protocol closes the
connection with one log line, never a traceback.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import struct
from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from twisted.application import internet
from twisted.conch import avatar
from twisted.conch.error import IgnoreAuthentication
from twisted.conch.interfaces import IConchUser
from twisted.conch.ssh import channel, connection, factory, keys, session, transport, userauth
from twisted.conch.ssh.common import NS, getNS
from twisted.cred import credentials as cred_credentials
from twisted.cred.checkers import ICredentialsChecker
from twisted.cred.error import UnauthorizedLogin
from twisted.cred.portal import IRealm, Portal
from twisted.internet import defer
from twisted.logger import (
    FilteringLogObserver,
    ILogObserver,
    LogEvent,
    Logger,
    LogLevel,
    LogLevelFilterPredicate,
    globalLogPublisher,
)
from zope.interface import implementer, provider

from engine.bans import BANNED
from engine.interfaces import ClientInfo, IClient, IWelcome
from engine.limits import (
    QUOTED_CHARS,
    REASON_CHARS,
    InputBudget,
    Limits,
    MemoryReturn,
    TokenBucket,
    quoted,
)
from engine.login import AccountService, LoginRefused
from engine.network import KeyFileError, Listening
from engine.protocols import charset
from engine.protocols.door import log_leaving, peer_address, setup_failed
from engine.protocols.options import colours_for_terminal
from engine.protocols.rendering import Presentation, Presented, rendered, shared
from engine.protocols.settings import IClientSettings, Preferences
from engine.protocols.telnet import CLOSE_GRACE, WORK_PER_TURN, clean_line
from engine.server import Server

_log = Logger()


@provider(ILogObserver)
def _quoting(event: LogEvent) -> None:
    # conch's values are often what a client sent (a user name, a request
    # type, a whole packet): each is quoted and cut; so is a message that
    # is itself such a value.
    event = {key: quoted(value) if (isinstance(value, (str, bytes))
                                    and len(value) > QUOTED_CHARS
                                    and not key.startswith("log_")) else value
             for key, value in event.items()}
    text = event.get("log_format")
    if isinstance(text, str) and len(text) > REASON_CHARS:
        event["log_format"], event["conch_text"] = "{conch_text}", quoted(text)
    globalLogPublisher(event)


#: Where conch's own log events go: the errors only, their values quoted
#: and cut. Its transport and factory log a line for every connection made
#: (without a moduli file), lost or disconnected, and one for each
#: "unimplemented" message a client sends, which connections that never log
#: in must not make a line each; its login service a line for every try,
#: quoting the user name, and one quoting each packet of a kind it does not
#: know; its connection service and channels one for each request, quoting
#: its type (L{ServerTransport._log}, L{SSHFactory._log}, L{UserAuth._log},
#: L{Connection._log}, L{SessionChannel._log}).
_errors_only = FilteringLogObserver(
    _quoting, [LogLevelFilterPredicate(defaultLogLevel=LogLevel.error)])


#: The file name of the host key made on first run, beside the world database.
HOST_KEY = "ssh-host-key"
#: Bytes a connection may have sent before it logged in that SSH has not
#: handled yet (key exchange messages are small; nothing more is needed).
PRELOGIN_INPUT = 64 * 1024
#: Bytes of shell input waiting to be handled, at most (more drops the connection).
MAX_UNREAD = 1 << 20
#: Lines a player's up-arrow history keeps.
HISTORY = 20
#: The SSH message that shows a client text before it logs in (RFC 4252 §5.4).
MSG_USERAUTH_BANNER = 53
#: Channels one connection may hold open at once (one shell is all it may
#: use; clients that multiplex open a few).
MAX_CHANNELS = 4
#: Why a channel other than a session is refused.
SESSION_ONLY = "Only a session channel (an interactive shell) is offered here."
#: What a connection is refused with when too many wait to log in.
BUSY = b"Too many connections are waiting to log in. Please try again in a minute.\r\n"
#: The line a connection is refused with past C{--prelogin-per-address}.
CROWDED = (b"Too many connections from your address are waiting to log in. Close some and "
           b"try again.\r\n")
#: The line a connection is refused with past the server's --connection-rate.
TOO_MANY = (b"The server is taking too many new connections. Please try again in a "
            b"minute.\r\n")


# -- the host key ----------------------------------------------------------------------


class HostKeyError(KeyFileError):
    """
    The host key cannot be used; the message says why and what to do.
    """


def host_key(path: str | None, db: str | None) -> tuple[keys.Key, str]:
    """
    The server's host key: from C{path}; else the one beside the world
    database C{db} (in C{var/} for a world in memory), made now (ECDSA
    P-256, readable by its owner only) if there is none.

    @return: the private key and the file it came from.
    @raise HostKeyError: the file cannot be read (or made), or holds no
        usable private key.
    """
    try:
        return _host_key(path, db)
    except (OSError, ValueError, keys.BadKeyError, keys.EncryptedKeyError) as e:
        where = path or "the SSH host key"
        raise HostKeyError(f"cannot use {where} as the SSH host key ({e}); give --ssh-key "
                           "an unencrypted private key file") from None


def _host_key(path: str | None, db: str | None) -> tuple[keys.Key, str]:
    if path is None:
        folder = os.path.dirname(os.path.abspath(db)) if db else os.path.abspath("var")
        path = os.path.join(folder, HOST_KEY)
        if not os.path.exists(path):
            os.makedirs(folder, exist_ok=True)
            made = keys.Key(ec.generate_private_key(ec.SECP256R1()))
            descriptor = os.open(path + ".new", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as out:
                out.write(made.toString("OPENSSH"))
            os.replace(path + ".new", path)
            _log.info("made an SSH host key at {path} (fingerprint {fingerprint})", path=path,
                      fingerprint=made.fingerprint(keys.FingerprintFormats.SHA256_BASE64))
    key = keys.Key.fromFile(path)
    if key.isPublic():
        raise keys.BadKeyError("it holds a public key; the host key must be private")
    return key, path


# -- the line editor -----------------------------------------------------------------------


class LineEditor:
    """
    Editing one line at a time for a terminal that sends every key (sans-IO).

    L{feed} takes what the player typed and returns what to do: C{("echo",
    text)} to write back, C{("line", text)} for a finished line,
    C{("interrupt",)} for ^C (the line was thrown away), C{("eof",)} for ^D
    on an empty line. Escape sequences (arrow keys, function keys) are read
    whole and never reach a line; up and down walk the history.

    @ivar buffer: the characters typed so far on this line.
    @ivar hidden: nothing is echoed (a password is asked for), and the line
        is not kept in the history.
    @ivar limit: the longest line; typing past it is ignored.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.buffer: list[str] = []
        self.hidden = False
        self.history: list[str] = []
        self._back = 0  # how far up the history the player went
        self._escape = ""  # an escape sequence being read
        self._after_cr = False

    def feed(self, text: str) -> list[tuple[str, ...]]:
        """
        Handle C{text} (decoded keys); return the actions, in order.
        """
        out: list[tuple[str, ...]] = []
        echo: list[str] = []

        def flush() -> None:
            if echo:
                out.append(("echo", "".join(echo)))
                echo.clear()

        for char in text:
            if self._escape:
                self._escape += char
                done = self._sequence(echo)
                if done:
                    self._escape = ""
                continue
            after_cr, self._after_cr = self._after_cr, False
            if char in "\n\x00" and after_cr:
                continue  # CR LF or CR NUL: one Enter
            if char in "\r\n":
                self._after_cr = char == "\r"
                echo.append("\r\n")
                flush()
                line = "".join(self.buffer)
                self.buffer.clear()
                self._back = 0
                if line.strip() and not self.hidden and \
                        (not self.history or self.history[-1] != line):
                    self.history = [*self.history, line][-HISTORY:]
                out.append(("line", line))
            elif char == "\x1b":
                self._escape = char
            elif char in "\x7f\x08":
                if self.buffer:
                    self.buffer.pop()
                    if not self.hidden:
                        echo.append("\b \b")
            elif char == "\x15":  # ^U: the whole line
                self._erase(len(self.buffer), echo)
            elif char == "\x17":  # ^W: the last word
                typed = "".join(self.buffer)
                kept = typed.rstrip()
                kept = kept[:len(kept) - len(kept.split()[-1])] if kept.split() else ""
                self._erase(len(typed) - len(kept), echo)
            elif char == "\x03":  # ^C
                self.buffer.clear()
                self._back = 0
                echo.append("^C\r\n")
                flush()
                out.append(("interrupt",))
            elif char == "\x04":  # ^D
                if not self.buffer:
                    flush()
                    out.append(("eof",))
            elif char == "\t":
                self._insert(" ", echo)
            elif char.isprintable():
                self._insert(char, echo)
        flush()
        return out

    def _insert(self, char: str, echo: list[str]) -> None:
        if len(self.buffer) >= self.limit:
            return
        self.buffer.append(char)
        if not self.hidden:
            echo.append(char)

    def _erase(self, count: int, echo: list[str]) -> None:
        if count <= 0:
            return
        del self.buffer[-count:]
        if not self.hidden:
            echo.append("\b \b" * count)

    def _sequence(self, echo: list[str]) -> bool:
        # Whether the escape sequence read so far is complete (it is then handled).
        sequence = self._escape
        if len(sequence) == 2:
            return sequence[1] not in "[O"
        if sequence[1] == "O" or sequence[-1].isalpha() or sequence[-1] == "~":
            if sequence[-1] in "AB" and not self.hidden:
                self._walk(1 if sequence[-1] == "A" else -1, echo)
            return True
        return len(sequence) > 16  # a runaway sequence is dropped

    def _walk(self, step: int, echo: list[str]) -> None:
        where = max(0, min(len(self.history), self._back + step))
        if where == self._back:
            return
        self._back = where
        self._erase(len(self.buffer), echo)
        for char in (self.history[-where] if where else ""):
            self._insert(char, echo)


# -- the shell: a session's client ---------------------------------------------------


@implementer(IClient, IClientSettings)
class SSHClient(Presented):
    """
    One SSH shell, as its session sees it (an L{IClient}).

    @ivar admitted: the transport admitted the connection at connect
        (L{engine.session.Session.connected} does not count it again).
    @ivar account_key: the account SSH verified.
    @ivar editor: the L{LineEditor}, when the client has a terminal.
    """

    admitted = True

    def __init__(self, channel: SessionChannel, limits: Limits, clock: Any, address: str,
                 account_key: str, pty: tuple[str, int, int] | None) -> None:
        self.channel = channel
        self.limits = limits
        self.clock = clock
        self.account_key = account_key
        terminal, width, height = pty if pty is not None else ("", 78, 24)
        self.presentation = Presentation(ClientInfo(
            address=address, protocol="ssh", width=width or 78, height=height,
            terminal=terminal.upper(),
            colours=colours_for_terminal(terminal.upper()) if pty is not None else 0))
        self.editor = LineEditor(limits.max_line) if pty is not None else None
        self.budget = InputBudget(clock, limits)
        self.session: Any = None
        self.closed = False
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._unread = b""
        self._partial = ""  # a line without a terminal, not finished yet
        self._discarding = False
        self._prompt = ""  # the prompt on the player's line now
        self._wakeup: Any = None

    # -- what sessions and the option command read -------------------------------

    def logged_in(self) -> None:
        """
        Its session has logged in: the connection no longer waits to
        (L{ServerTransport.settle}).
        """
        self.channel.conn.transport.settle()

    @property
    def authenticated(self) -> bool:
        return bool(getattr(self.session, "authenticated", False))

    def set_preference(self, name: str, value: str) -> Preferences:
        preferences = self.presentation.prefer(name, value)
        self._changed()
        return preferences

    def settings_report(self) -> list[str]:
        return self.presentation.report("none (ssh)")

    def resize(self, width: int, height: int) -> None:
        """
        The player's window changed size (C{window-change}): wrap to it.
        """
        if width > 0 and self.presentation.update(width=width, height=height):
            self._changed()

    def _changed(self) -> None:
        if self.session is not None and not self.closed:
            self.session.client_changed()

    # -- input ---------------------------------------------------------------------

    def data_received(self, data: bytes) -> None:
        """
        Bytes from the player's shell channel.
        """
        if self.closed:
            return
        if len(self._unread) + len(data) > MAX_UNREAD:
            self.drop("input overflow: it kept sending far faster than it was read")
            return
        self._unread += data
        if self._wakeup is None:
            self._pump()

    def _pump(self) -> None:
        # Handle up to WORK_PER_TURN bytes within the input budget, then let
        # the other connections have their turn.
        self._wakeup = None
        if self.closed or not self._unread:
            return
        size = min(WORK_PER_TURN, len(self._unread), self.budget.bytes.available())
        if size <= 0:
            wait = self.budget.bytes.wait(min(WORK_PER_TURN, len(self._unread)))
            if self.budget.hold(wait):
                self.drop(f"held back over {self.limits.throttle_drop:g} seconds for sending "
                          "too fast (bytes)")
                return
            self._wakeup = self.clock.callLater(wait, self._pump)
            return
        chunk, self._unread = self._unread[:size], self._unread[size:]
        self.budget.bytes.take(size)
        self._typed(self._decoder.decode(chunk))
        if self._unread and not self.closed:
            self._wakeup = self.clock.callLater(0, self._pump)

    def _typed(self, text: str) -> None:
        if self.editor is None:
            self._whole_lines(text)
            return
        for action in self.editor.feed(text):
            if self.closed:
                return
            kind = action[0]
            if kind == "echo":
                self._send(self._bytes(action[1]))
            elif kind == "line":
                self._prompt = ""
                self._line(action[1])
            elif kind == "interrupt":
                self._send(self._bytes(self._prompt))
            elif kind == "eof":
                self._prompt = ""
                if self.session is not None:
                    self.session.line_received("quit")

    def _whole_lines(self, text: str) -> None:
        # No terminal: the client sends whole lines.
        lines = (self._partial + text).split("\n")
        self._partial = lines.pop()
        if len(self._partial) > self.limits.max_line:
            self._partial = ""
            if not self._discarding:
                self._discarding = True
                self._too_long()
        for line in lines:
            if self._discarding:
                self._discarding = False
                continue
            self._line(line)

    def _too_long(self) -> None:
        self.write(f"That line was too long (over {self.limits.max_line} bytes) and was "
                   "ignored. Send shorter lines.\n")

    def _line(self, line: str) -> None:
        if len(line.encode("utf-8", "replace")) > self.limits.max_line:
            self._too_long()
            return
        if self.session is not None:
            self.session.line_received(clean_line(line))

    # -- IClient -------------------------------------------------------------------

    def _bytes(self, text: str) -> bytes:
        return self.presentation.encode(text).replace(b"\n", b"\r\n")

    def write(self, text: str) -> None:
        if self.closed:
            return
        client = self.presentation.client
        data = _wire(text, client.screen_reader, client.colours, self.presentation.encoding)
        editor = self.editor
        if editor is None:
            self._send(data)
            return
        typed = "" if editor.hidden else "".join(editor.buffer)
        if self._prompt or typed:
            # Something arrived while the player types: write it above their
            # line, then show the prompt and what they typed again.
            self._send(b"\r\x1b[K" + data + self._bytes(self._prompt + typed))
        else:
            self._send(data)

    def prompt(self, text: str) -> None:
        if self.closed:
            return
        self._send(self._bytes(self.presentation.render(text)))
        self._prompt = self.presentation.render(text)

    def send_oob(self, package: str, data: Any) -> None:
        """
        SSH carries no out-of-band messages: nothing is sent.
        """

    def wants_oob(self, package: str) -> bool:
        """
        SSH carries no out-of-band messages: none is wanted.
        """
        return False

    def set_echo(self, on: bool) -> None:
        if self.editor is not None:
            self.editor.hidden = not on

    def disconnect(self, reason: str, quiet: bool = False) -> None:
        if self.closed:
            return
        if not quiet:
            # Past its password: a line of its own (players are bounded by accounts).
            log_leaving(None, False, self.client.address, reason,
                        "closing SSH connection from {address}: {reason}",
                        address=self.client.address)
        self.closed = True
        self.channel.finish()
        self._lost(reason)

    def drop(self, reason: str) -> None:
        """
        Drop the connection at once, and log why.
        """
        if self.closed:
            return
        log_leaving(None, False, self.client.address, reason,
                    "dropping SSH connection from {address}: {reason}", LogLevel.warn,
                    address=self.client.address)
        self.closed = True
        self._unread = b""
        self.channel.abort()
        self._lost(reason)

    def _send(self, data: bytes) -> None:
        if self.closed or not data:
            return
        self.channel.write(data)
        if len(self.channel.buf) > self.limits.max_output:
            self.drop(f"it stopped reading and over {self.limits.max_output} bytes piled up")

    def _lost(self, reason: str) -> None:
        if self._wakeup is not None and self._wakeup.active():
            self._wakeup.cancel()
        self._wakeup = None
        session, self.session = self.session, None
        if session is not None:
            session.disconnected(reason)

    def channel_closed(self, reason: str) -> None:
        """
        The channel or the connection is gone.
        """
        self.closed = True
        self._lost(reason)


@implementer(IWelcome)
@shared
def _wire(text: str, screen_reader: bool, colours: int, encoding: str) -> bytes:
    """
    C{text} as it goes into the channel to a client that shows it so
    (L{SSHClient._bytes} of L{Presentation.render}). Remembered
    (L{engine.protocols.rendering.shared}): a line a room hears is rendered
    and encoded once for each way its clients show it, not once per
    listener; each channel's buffer still holds its own copy of what its
    client has not read, counted against C{max_output}.
    """
    return charset.encode_text(rendered(text, screen_reader, colours),
                               encoding).replace(b"\n", b"\r\n")


class SSHWelcome:
    """
    The welcome screen of an SSH session: SSH verified the password, so the
    session logs in to that account at once.
    """

    def __init__(self, session: Any) -> None:
        self.session = session

    def greet(self) -> None:
        """
        Log the session in to the account its client verified.
        """
        session = self.session
        if session.server.site_banned(session.address):
            # Banned between its password and its shell: closed before the
            # login takes its character over from another session.
            session.close(BANNED)
            return
        session.checking()
        d = session.server.accounts.resume(session.client.account_key, session)

        def failed(failure: Any) -> None:
            if isinstance(failure.value, LoginRefused):
                session.close(str(failure.value))
            else:
                if not failure.check(UnauthorizedLogin):
                    _log.failure("an SSH login failed unexpectedly", failure)
                session.close("Something went wrong while logging in; please try again.")

        d.addCallbacks(session.logged_in, failed)

    def line_received(self, line: str) -> None:
        """
        Not used: the session plays (or is closed) before any line.
        """


# -- the channel ------------------------------------------------------------------------


class SessionChannel(channel.SSHChannel):
    """
    An SSH C{session} channel: one shell, carrying one Tessera session.
    """

    name = b"session"
    avatar: TesseraUser
    conn: Any
    #: conch's own log lines of the channel, errors only (L{_errors_only}).
    _log = Logger(observer=_errors_only)

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.pty: tuple[str, int, int] | None = None
        self.shell: SSHClient | None = None
        self._cut: Any = None

    def _request(self, handle: Callable[[bytes], bool], data: bytes) -> int:
        try:
            return 1 if handle(data) else 0
        except Exception:  # a malformed request is refused, never a traceback
            _log.info("refused a malformed SSH channel request from {address}",
                      address=self.avatar.address)
            return 0

    def request_pty_req(self, data: bytes) -> int:
        def take(data: bytes) -> bool:
            term, (rows, cols, _x, _y), _modes = session.parseRequest_pty_req(data)
            self.pty = (term.decode("ascii", "replace")[:64], max(0, min(cols, 500)),
                        max(0, min(rows, 500)))
            return self.shell is None
        return self._request(take, data)

    def request_window_change(self, data: bytes) -> int:
        def take(data: bytes) -> bool:
            rows, cols, _x, _y = session.parseRequest_window_change(data)
            cols, rows = max(0, min(cols, 500)), max(0, min(rows, 500))
            if self.shell is not None:
                self.shell.resize(cols, rows)
            elif self.pty is not None:
                self.pty = (self.pty[0], cols, rows)
            return True
        return self._request(take, data)

    def request_shell(self, data: bytes) -> int:
        user = self.avatar
        if self.shell is not None or user.shell_open:
            return 0  # one shell per connection
        user.shell_open = True
        shell = self.shell = SSHClient(self, user.server.limits, user.server.clock,
                                       user.address, user.key, self.pty)
        shell.session = user.server.make_session(shell, SSHWelcome)
        shell.session.connected()
        return 1

    def request_exec(self, data: bytes) -> int:
        self.write(b"This server has an interactive shell only: run ssh without a "
                   b"command.\r\n")
        return 0

    def dataReceived(self, data: bytes) -> None:
        if self.shell is not None:
            self.shell.data_received(data)

    def eofReceived(self) -> None:
        if self.shell is not None and self.shell.session is not None:
            self.shell.session.close("Goodbye!")

    def finish(self) -> None:
        """
        The session is over: send what is written, then close the channel
        (and the connection, once it is closed); cut it if it hangs.
        """
        with contextlib.suppress(Exception):  # the connection may be going already
            self.conn.sendRequest(self, b"exit-status", struct.pack(">L", 0))
        self.loseConnection()
        self._cut = self.avatar.clock.callLater(CLOSE_GRACE, self.abort)

    def abort(self) -> None:
        """
        Cut the whole connection now.
        """
        self._cut = None
        link = getattr(self.conn.transport, "transport", None)
        abort = getattr(link, "abortConnection", None)
        if abort is not None:
            abort()

    def closed(self) -> None:
        if self._cut is not None and self._cut.active():
            self._cut.cancel()
        self._cut = None
        if self.shell is not None:
            self.shell.channel_closed("channel closed")
        self.conn.transport.loseConnection()

    def closeReceived(self) -> None:
        if self.shell is not None and self.shell.session is not None:
            self.shell.session.close("Goodbye!")
        super().closeReceived()


class TesseraUser(avatar.ConchUser):
    """
    A player SSH verified: may open one session channel (no port forwarding,
    no subsystems, no other channels).
    """

    def __init__(self, key: str, server: Server, address: str) -> None:
        super().__init__()
        self.key = key
        self.server = server
        self.clock = server.clock
        self.address = address
        self.shell_open = False
        self.channelLookup = {b"session": SessionChannel}


# -- logging in ------------------------------------------------------------------------


@implementer(cred_credentials.IUsernamePassword)
class AddressedPassword(cred_credentials.UsernamePassword):
    """
    A name and password, with the address they came from (for the
    failed-login throttling).
    """

    def __init__(self, username: bytes, password: bytes, address: str) -> None:
        super().__init__(username, password)
        self.address = address


@implementer(ICredentialsChecker)
class PasswordChecker:
    """
    Checks SSH passwords with the accounts' own checker and throttling.
    """

    credentialInterfaces = (cred_credentials.IUsernamePassword,)

    def __init__(self, accounts: AccountService) -> None:
        self.accounts = accounts

    def requestAvatarId(self, credentials: Any) -> defer.Deferred:
        name = credentials.username.decode("utf-8", "replace")
        password = credentials.password.decode("utf-8", "replace")
        return self.accounts.verify(name, password, getattr(credentials, "address", ""))


@implementer(IRealm)
class SSHRealm:
    """
    Gives a verified account its SSH avatar.
    """

    def __init__(self, server: Server) -> None:
        self.server = server

    def requestAvatar(self, avatar_id: Any, mind: Any, *interfaces: Any) -> tuple:
        if IConchUser not in interfaces:
            raise NotImplementedError("SSH asks for IConchUser")
        address = mind if isinstance(mind, str) else ""
        return IConchUser, TesseraUser(avatar_id, self.server, address), lambda: None


class UserAuth(userauth.SSHUserAuthServer):
    """
    SSH's login: passwords only, with the telnet door's login timeout and
    failed-login limit; a refusal's reason is shown to the client.
    """

    transport: Any
    #: conch's own log lines of logging in, errors only (L{_errors_only}).
    _log = Logger(observer=_errors_only)

    def serviceStarted(self) -> None:
        limits = self.transport.factory.server.limits
        self.loginTimeout = limits.login_timeout
        self.attemptsBeforeDisconnect = max(1, limits.failed_logins)
        self.clock = self.transport.factory.server.clock
        super().serviceStarted()

    def auth_password(self, packet: bytes) -> defer.Deferred:
        address = self.transport.address
        server = self.transport.factory.server
        if server.site_banned(address):
            # Its site was banned since it connected: refused and closed, as
            # at the welcome screen, before its password is checked or any
            # account touched (no character is taken over, no failed login
            # counted: the ban, not a wrong password, keeps it out).
            server.refusals.note(address, BANNED)
            self._banner(BANNED)
            self.transport.sendDisconnect(transport.DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE,
                                          BANNED.encode("utf-8"))
            return defer.fail(IgnoreAuthentication())
        password = getNS(packet[1:])[0]
        credentials = AddressedPassword(self.user, password, address)
        d = self.portal.login(credentials, address, IConchUser)
        return d.addErrback(self._refused).addErrback(self._ebPassword)

    def _refused(self, failure: Any) -> Any:
        if failure.check(LoginRefused):
            self._banner(str(failure.value))
        return failure

    def _banner(self, text: str) -> None:
        # Shown by the client before it says the login failed (RFC 4252 §5.4).
        self.transport.sendPacket(MSG_USERAUTH_BANNER,
                                  NS((text + "\r\n").encode("utf-8")) + NS(b"en"))


class ServerTransport(transport.SSHServerTransport):
    """
    One SSH connection: admitted (or refused) at connect under the server's
    limits, bounded before it logs in, and closed with one log line on
    input that breaks the protocol.
    """

    factory: SSHFactory
    transport: Any
    address = ""
    _avatar: Any = None
    _timer: Any = None
    #: conch's own log lines of the transport, errors only (L{_errors_only}).
    _log = Logger(observer=_errors_only)
    #: Whether it is counted in the server's L{Prelogin} (it has neither
    #: logged in nor gone).
    _waiting = False

    def connectionMade(self) -> None:
        try:
            self._set_up()
        except Exception:
            # Whatever failed, it is no longer counted, and conch is not
            # asked to take down what it may not have set up.
            self.settle()
            self.refused = True
            setup_failed("ssh", self.address, self.transport, self.factory.server.failures)

    def _set_up(self) -> None:
        self.address = peer_address(self.transport)
        factory = self.factory
        prelogin = factory.server.prelogin
        full, crowded = prelogin.full(), prelogin.crowded(self.address)
        factory.open.add(self)
        self._waiting = True
        prelogin.arrived("ssh", self.address)
        limits = factory.server.limits
        refusals = factory.server.refusals
        if factory.server.site_banned(self.address):
            # Before anything else is counted or taken: a banned site's
            # flood takes no new connection from the server's rate.
            refusals.note(self.address, BANNED)
            self._refuse(BANNED.encode("utf-8") + b"\r\n")
            return
        if full:
            refusals.note(self.address, f"{prelogin.limit} connections are already waiting "
                             "to log in (--max-prelogin)")
            self._refuse(BUSY)
            return
        if crowded:
            refusals.note(self.address, f"{prelogin.per_address} connections from one "
                             "address are already waiting to log in (--prelogin-per-address)")
            self._refuse(CROWDED)
            return
        # Before the version string and key exchange: a refusal costs a
        # line written and a socket closed, not a key exchange's work.
        if not factory.arrivals.take():
            refusals.note(self.address, "more new connections than "
                             f"{limits.connection_rate:g} a second (--connection-rate)")
            self._refuse(TOO_MANY)
            return
        refusal = factory.server.admit(self.address)
        if refusal is not None:
            refusals.note(self.address, refusal)
            self._refuse(refusal.encode("utf-8") + b"\r\n")
            return
        super().connectionMade()
        self._timer = factory.server.clock.callLater(factory.server.limits.login_timeout,
                                                     self._timed_out)

    def _refuse(self, line: bytes) -> None:
        # Lines before the version string are allowed (RFC 4253 §4.2): clients show them.
        self.refused = True
        self.transport.write(line)
        self.transport.loseConnection()

    @property
    def logged_in(self) -> bool:
        """
        Whether the client has logged in.
        """
        return self._avatar is not None

    @property
    def avatar(self) -> Any:
        """
        The logged-in account's avatar, which conch sets once the password
        is checked. Absent before (reading it raises C{AttributeError}), as
        conch expects: its C{connectionLost} logs out an avatar it has, with
        the C{logoutFunction} set beside it.
        """
        if self._avatar is None:
            raise AttributeError("avatar")
        return self._avatar

    @avatar.setter
    def avatar(self, avatar: Any) -> None:
        # Past the password it still waits to log in, counted and timed,
        # until its shell's session has logged in (L{settle}): a client
        # that opens no shell is closed at the login timeout.
        self._avatar = avatar

    def _log_drop(self, why: str) -> None:
        """
        Log that the connection is dropped for C{why}: one count in the
        server's L{engine.limits.IntervalLog} before login (garbage from ever
        new connections is not a line each), a line of its own after.
        """
        log_leaving(self.factory.server.drops, not self.logged_in, self.address, why,
                    "dropping SSH connection from {address}: {reason}", address=self.address)

    def settle(self) -> None:
        """
        It no longer waits to log in (its session has, or it went): take it
        out of the server's L{Prelogin} and stop its login timer.
        """
        if self._timer is not None and self._timer.active():
            self._timer.cancel()
        self._timer = None
        if self._waiting:
            self._waiting = False
            self.factory.server.prelogin.settled("ssh", self.address)

    def _timed_out(self) -> None:
        self._timer = None
        if self._waiting:
            self.factory.server.drops.note(
                self.address, "not logging in to SSH within "
                f"{self.factory.server.limits.login_timeout:g} seconds")
            self.transport.abortConnection()

    def dataReceived(self, data: bytes) -> None:
        if getattr(self, "refused", False):
            return
        if not self.logged_in and len(self.buf) + len(data) > PRELOGIN_INPUT:
            self._bad("it sent over 64 KiB before logging in")
            return
        try:
            super().dataReceived(data)
        except Exception as e:  # conch raises on many malformed messages
            self._bad(f"input that breaks the SSH protocol ({e.__class__.__name__})")

    def _bad(self, why: str) -> None:
        self._log_drop(why)
        self.buf = b""
        self.transport.abortConnection()

    def receiveError(self, reasonCode: int, description: bytes) -> None:
        # A client that hangs up says why (11: "disconnected by user"): news, not an error.
        if not self.logged_in:
            # What it says is its own to choose: counted, not repeated.
            self.factory.server.drops.note(self.address,
                                              "an SSH client hanging up before logging in")
            return
        _log.info("SSH client at {address} disconnected (code {code}: {why})",
                  address=self.address, code=reasonCode,
                  why=quoted(description.decode("utf-8", "replace")))

    def connectionLost(self, reason: Any = None) -> None:
        self.settle()
        self.factory.open.discard(self)
        # Its buffers and conch's key exchange state (a client that never
        # read its shell's output held up to its bounds): give them back.
        self.factory.memory.soon()
        if getattr(self, "refused", False):
            return
        super().connectionLost(reason)


class Connection(connection.SSHConnection):
    """
    SSH's connection service, refusing channels before conch would make
    them: any kind but C{session} (port forwarding, X11, agents), and more
    than L{MAX_CHANNELS} at once. conch logs each channel it fails to open
    as an error with a traceback; a refusal here is one line of the log.
    """

    transport: Any
    #: conch's own log lines of the connection, errors only (L{_errors_only}).
    _log = Logger(observer=_errors_only)

    def ssh_CHANNEL_OPEN(self, packet: bytes) -> None:
        try:
            kind, rest = getNS(packet)
            (sender,) = struct.unpack(">L", rest[:4])
        except (ValueError, struct.error):
            self.transport._bad("a malformed channel open")
            return
        if kind != b"session":
            why = SESSION_ONLY
            code = connection.OPEN_UNKNOWN_CHANNEL_TYPE
        elif len(self.channels) >= MAX_CHANNELS:
            why = f"At most {MAX_CHANNELS} channels may be open on one connection."
            code = connection.OPEN_RESOURCE_SHORTAGE
        else:
            super().ssh_CHANNEL_OPEN(packet)
            return
        _log.info("refused an SSH channel ({kind}) from {address}: {why}",
                  kind=quoted(kind.decode("ascii", "replace")), address=self.transport.address,
                  why=why)
        self.transport.sendPacket(connection.MSG_CHANNEL_OPEN_FAILURE,
                                  struct.pack(">2L", sender, code) + NS(why.encode("utf-8"))
                                  + NS(b""))


class SSHFactory(factory.SSHFactory):
    """
    Makes SSH connections for a server: its host key, its portal, and its
    limits.

    @ivar open: the connections open now.
    @ivar arrivals: the new connections the server may take (a
        L{TokenBucket} of C{connection_rate} a second; the telnet door's
        own, where there is one, so that the rate is server-wide).
    """

    protocol = ServerTransport
    #: conch's own log lines of the factory, errors only: it logs one for
    #: every connection made when there is no moduli file (L{_errors_only}).
    _log = Logger(observer=_errors_only)

    def __init__(self, server: Server, key: keys.Key,
                 *, arrivals: TokenBucket | None = None) -> None:
        self.server = server
        self.open: set[ServerTransport] = set()
        limits = server.limits
        self.arrivals = arrivals if arrivals is not None else TokenBucket(
            server.clock, limits.connection_rate, limits.connection_burst)
        name = key.sshType()
        self.privateKeys = {name: key}
        self.publicKeys = {name: key.public()}
        self.portal = Portal(SSHRealm(server), [PasswordChecker(server.accounts)])
        self.services = {b"ssh-userauth": UserAuth, b"ssh-connection": Connection}
        self.memory = MemoryReturn(server.clock)

    def startFactory(self) -> None:
        super().startFactory()
        self.memory.start()

    def stopFactory(self) -> None:
        super().stopFactory()
        self.memory.cancel()
        self.server.flush_logs()  # what was counted since the last line

    def getPrimes(self) -> None:
        return None  # the fixed groups and curves only

    @property
    def connections(self) -> int:
        """
        How many SSH connections are open.
        """
        return len(self.open)


class SSHListener(Listening, internet.TCPServer):
    """
    The SSH port: says where it listens once it does, and which port it got.
    """

    announcement = ("Tessera is listening for SSH on {interface}:{port} (connect with: ssh -p "
                    "{port} <name>@{interface})")


__all__ = ["HOST_KEY", "MAX_CHANNELS", "HostKeyError", "LineEditor", "SSHClient", "SSHFactory",
           "SSHListener", "host_key"]
