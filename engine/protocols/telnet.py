"""
Telnet: bytes in, lines out; text in, bytes out.

Built on L{twisted.conch.telnet}. L{TesseraTelnetTransport} parses the telnet
stream (IAC commands, option negotiation, subnegotiation) and hands plain
application bytes to L{TelnetClient}, which assembles lines, decodes UTF-8 and
drives an L{engine.interfaces.ISession}. L{TelnetClient} provides
L{engine.interfaces.IClient} to that session.

Nothing here knows about accounts, commands or the world; policy (rate limits,
logins) lives in the session.

Every piece of text leaves through L{TelnetClient.write}, which is the output
boundary: control characters are removed (L{engine.colour.sanitize}), builders'
colour markup is rendered for this client (or stripped), and the text is
encoded in the agreed character set. No caller can put a raw escape sequence
on a player's screen. The MUD protocols (GMCP, MSSP, MCCP2, EOR, CHARSET,
TTYPE/MTTS) are option handlers in L{engine.protocols.mudoptions}.

Adding a telnet option
======================
Each option is one L{OptionHandler} subclass: its option byte, whether we
offer it at connect (C{WILL}) or ask the client for it (C{DO}), whether we
accept it when the client asks, what to do when it turns on or off, and how to
read its subnegotiations. Per-connection state goes in
C{client.option_state[handler.name]} or into L{ClientInfo} via
L{TelnetClient.update_client}. Pass extra handlers to
L{TelnetServerFactory} (C{options=DEFAULT_OPTIONS + (MyOption(),)}); nothing
else needs to change.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable, Iterable
from typing import Any

import attrs
from attrs import frozen
from twisted.conch import telnet
from twisted.conch.telnet import IAC, TelnetProtocol, TelnetTransport
from twisted.internet import interfaces as iinternet
from twisted.internet.protocol import Factory
from twisted.logger import Logger
from zope.interface import implementer

from engine import colour
from engine.interfaces import ClientInfo, IClient, ISession
from engine.protocols import charset, gmcp, mssp, prompts
from engine.protocols.settings import IClientSettings, Preferences, colour_name, effective, parse

_log = Logger()

ECHO = telnet.ECHO
SGA = telnet.SGA
NAWS = telnet.NAWS
TTYPE = b"\x18"
TTYPE_IS = b"\x00"
TTYPE_SEND = b"\x01"

#: Bytes that may follow IAC outside a subnegotiation: EOR (239) and NOP (241)
#: through IAC (255). Anything else (SE included) is garbage and is skipped.
_IAC_FOLLOWERS = frozenset(bytes([b]) for b in (0xEF, *range(0xF1, 0x100)))
_SPECIAL = re.compile(rb"[\xff\r]")
_HTTP = re.compile(
    rb"^(GET|POST|HEAD|PUT|DELETE|OPTIONS|CONNECT|PATCH|TRACE|PRI) \S+ HTTP/\d"
)
_CONTROL = re.compile("[\x00-\x07\x0b-\x1f\x80-\x9f]")

HTTP_ANSWER = (
    b"HTTP/1.0 400 Bad Request\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Connection: close\r\n\r\n"
    b"This is a Tessera MUD server. Connect with a telnet or MUD client, "
    b"for example: telnet <host> <port>\r\n"
)


@frozen
class TelnetLimits:
    """
    What one telnet connection may cost the server.

    @ivar max_line: the longest line accepted, in bytes before decoding.
        Longer lines are refused with a message and discarded up to the next
        line ending; the connection stays open.
    @ivar max_output: bytes that may pile up for a client that does not read,
        on top of what the transport itself buffers. Beyond it the client is
        dropped so that it never holds up anyone else.
    """

    max_line: int = 8192
    max_output: int = 256 * 1024


class OptionHandler:
    """
    How one telnet option is negotiated. Subclass it per option; handlers are
    shared by all connections, so keep per-connection state on the
    L{TelnetClient} (C{client.option_state}).

    @cvar code: the option byte.
    @cvar name: a short name for logs and C{option_state} keys.
    @cvar offer: C{"will"} to offer the option at connect, C{"do"} to ask the
        client to enable it, or L{None} to wait for the client.
    """

    code: bytes = b""
    name: str = ""
    offer: str | None = None

    def accept_local(self, client: TelnetClient) -> bool:
        """
        The client asked us to enable the option here (C{DO}), or agreed to
        our C{WILL}. Return whether it is on.
        """
        return False

    def accept_remote(self, client: TelnetClient) -> bool:
        """
        The client offered to enable the option (C{WILL}), or agreed to our
        C{DO}. Return whether it is on. Must be true for options we ask for.
        """
        return self.offer == "do"

    def local_enabled(self, client: TelnetClient) -> None:
        """
        The option is now on at our end.
        """

    def local_disabled(self, client: TelnetClient) -> None:
        """
        The option is now off at our end.
        """

    def remote_enabled(self, client: TelnetClient) -> None:
        """
        The option is now on at the client's end.
        """

    def remote_disabled(self, client: TelnetClient) -> None:
        """
        The option is now off at the client's end.
        """

    def subnegotiation(self, client: TelnetClient, data: bytes) -> None:
        """
        The client sent C{IAC SB <code> data IAC SE}.
        """


class EchoOption(OptionHandler):
    """
    ECHO (RFC 857). We never echo; we claim to (C{WILL ECHO}) only while a
    password is typed, so that the client stops echoing it locally.
    """

    code = ECHO
    name = "echo"

    def accept_local(self, client: TelnetClient) -> bool:
        return client.hiding_input


class SuppressGoAheadOption(OptionHandler):
    """
    SGA (RFC 858): accepted in both directions when the client asks, never
    offered first. Offering C{WILL SGA} puts netkit and BSD C{telnet} into
    character-at-a-time mode with local echo, where every Enter shows as
    C{^M} and line editing is lost; MUD clients gain nothing from our offer.
    """

    code = SGA
    name = "sga"
    offer = None

    def accept_local(self, client: TelnetClient) -> bool:
        return True

    def accept_remote(self, client: TelnetClient) -> bool:
        return True


class WindowSizeOption(OptionHandler):
    """
    NAWS (RFC 1073): the client tells us its window size, now and on resize.
    """

    code = NAWS
    name = "naws"
    offer = "do"

    def subnegotiation(self, client: TelnetClient, data: bytes) -> None:
        if len(data) != 4:
            return
        width, height = struct.unpack("!HH", data)
        changes: dict[str, int] = {}
        if width:
            changes["width"] = max(20, min(width, 500))
        if height:
            changes["height"] = max(5, min(height, 500))
        if changes:
            client.update_client(**changes)


#: Terminal types that show at least 16 ANSI colours, by lower-case prefix.
_ANSI_TERMINALS = (
    "xterm", "ansi", "vt100", "vt220", "linux", "screen", "tmux", "rxvt", "putty",
    "mudlet", "tintin", "mushclient", "zmud", "cmud", "blightmud", "potato",
    "mudmaster", "beip", "konsole", "gnome", "alacritty", "kitty",
)


def colours_for_terminal(terminal: str) -> int:
    """
    A conservative guess at how many colours a terminal type shows.
    """
    name = terminal.lower()
    if "truecolor" in name or "24bit" in name or "direct" in name:
        return 1 << 24
    if "256" in name or name.startswith("mudlet"):
        return 256
    if name.startswith(_ANSI_TERMINALS):
        return 16
    return 0


class TerminalTypeOption(OptionHandler):
    """
    TTYPE (RFC 1091): ask once for the terminal type when the client agrees.

    (Cycling through further answers, MTTS, is for a subclass: override
    L{received}.)
    """

    code = TTYPE
    name = "ttype"
    offer = "do"

    def remote_enabled(self, client: TelnetClient) -> None:
        self.request(client)

    def request(self, client: TelnetClient) -> None:
        """
        Ask the client for (the next) terminal type.
        """
        client.send_subnegotiation(self.code, TTYPE_SEND)

    def subnegotiation(self, client: TelnetClient, data: bytes) -> None:
        if not data.startswith(TTYPE_IS):
            return
        name = data[1:65].decode("ascii", "replace").strip()
        self.received(client, name)

    def received(self, client: TelnetClient, name: str) -> None:
        """
        The client reported terminal type C{name}.
        """
        if client.client.terminal:
            return
        client.update_client(terminal=name, colours=colours_for_terminal(name))


#: Plain telnet's options (no MUD protocols), in the order they are offered.
DEFAULT_OPTIONS: tuple[OptionHandler, ...] = (
    EchoOption(),
    SuppressGoAheadOption(),
    WindowSizeOption(),
    TerminalTypeOption(),
)


def mud_client_options() -> tuple[OptionHandler, ...]:
    """
    Everything a Tessera telnet connection negotiates by default: plain
    telnet's options with TTYPE cycling (MTTS), then GMCP, MSSP, MCCP2, EOR
    and CHARSET.
    """
    # mudoptions builds on this module: a loop until the telnet.py split (issue 12).
    from engine.protocols.mudoptions import MttsOption, mud_options

    return (EchoOption(), SuppressGoAheadOption(), WindowSizeOption(), MttsOption(),
            *mud_options())


class TesseraTelnetTransport(TelnetTransport):
    """
    The telnet stream parser, made robust for the open internet.

    Over L{TelnetTransport} it adds: a fast path for plain text (no Python
    loop per byte), a bare CR ending a line at once (CR LF and CR NUL count
    once), garbage after IAC skipped instead of raising, and nothing parsed
    once the connection is closing.
    """

    _after_cr = False

    def dataReceived(self, data: bytes) -> None:
        position, size = 0, len(data)
        while position < size:
            if self.disconnecting or (
                self.transport is not None and getattr(self.transport, "disconnecting", False)
            ):
                return
            if self._after_cr:
                self._after_cr = False
                if data[position] in (0x0A, 0x00):
                    position += 1
                    continue
            if self.state == "data":
                found = _SPECIAL.search(data, position)
                end = size if found is None else found.start()
                if end > position:
                    self.applicationDataReceived(data[position:end])
                    position = end
                    continue
                if data[position] == 0x0D:
                    self._after_cr = True
                    self.applicationDataReceived(b"\n")
                    position += 1
                    continue
            byte = data[position:position + 1]
            if self.state == "escaped" and byte not in _IAC_FOLLOWERS:
                self.state = "data"  # garbage after IAC: skip it
                position += 1
                continue
            if self.state == "subnegotiation":
                # Gather up to the next IAC at once (the cap still applies).
                found_iac = data.find(IAC, position)
                end = size if found_iac < 0 else found_iac
                room = self._MAX_SUBNEGOTIATION_LENGTH - len(self.commands)
                if end > position and room > 0:
                    take = min(end - position, room)
                    self.commands.extend(data[i:i + 1] for i in range(position, position + take))
                    position += take
                    continue
            super().dataReceived(byte)
            position += 1

    def negotiate(self, data: list[bytes]) -> None:
        if data:  # IAC SB IAC SE carries no option at all: ignore it
            super().negotiate(data)

    def connectionLost(self, reason: Any = None) -> None:
        try:
            super().connectionLost(reason)
        except AttributeError:
            pass  # lost before the protocol was made


@implementer(IClient, IClientSettings, iinternet.IPushProducer)
class TelnetClient(TelnetProtocol):
    """
    One telnet connection, line by line: an L{IClient} for its session.

    @ivar client: the current L{ClientInfo}: what negotiation found
        (L{detected}) with the player's L{preferences} applied.
    @ivar detected: what negotiation found.
    @ivar preferences: what the player chose with the C{option} command.
    @ivar option_state: per-option scratch space for option handlers.
    @ivar hiding_input: whether the player's typing should not be echoed.
    @ivar mssp: the MSSP provider: a callable returning the variables.
    """

    #: Always a L{TesseraTelnetTransport} while connected.
    transport: Any

    def __init__(self, session_factory: Callable[[IClient], ISession],
                 limits: TelnetLimits, options: Iterable[OptionHandler],
                 mssp_provider: mssp.Provider | None = None) -> None:
        self.session_factory = session_factory
        self.limits = limits
        self.handlers = {h.code: h for h in options}
        self.option_state: dict[str, Any] = {}
        self.detected = ClientInfo()
        self.preferences = Preferences()
        self.client = ClientInfo()
        self.encoding = "utf-8"
        self.mssp = mssp_provider or mssp.status_provider(
            name="Tessera", players=lambda: 0, ports=lambda: ())
        self.session: ISession | None = None
        self.hiding_input = False
        self._buffer = bytearray()
        self._discarding = False
        self._first_line = True
        self._closed = False
        self._paused = False
        self._paused_bytes = 0
        self._counted_by: TelnetServerFactory | None = None

    # -- connection ------------------------------------------------------

    def connectionMade(self) -> None:
        peer = self.transport.getPeer()
        self.detected = attrs.evolve(self.detected, address=str(getattr(peer, "host", peer)))
        self.client = effective(self.detected, self.preferences, self.encoding)
        factory = getattr(self, "factory", None)
        if isinstance(factory, TelnetServerFactory):
            factory.connections += 1
            self._counted_by = factory
        for handler in self.handlers.values():
            self.transport.negotiationMap[handler.code] = (
                lambda data, h=handler: self._subnegotiation(h, data)
            )
        self.transport.commandMap[telnet.AYT] = self._are_you_there
        raw = self.transport.transport
        if raw is not None and hasattr(raw, "registerProducer"):
            try:
                raw.registerProducer(self, True)
            except RuntimeError:
                pass  # someone else produces for it; we still cap on our own count
        for handler in self.handlers.values():
            if handler.offer == "will":
                self._negotiate(self.transport.will, handler.code)
            elif handler.offer == "do":
                self._negotiate(self.transport.do, handler.code)
        self.session = self.session_factory(self)
        self.session.connected()

    def connectionLost(self, reason: Any = None) -> None:
        self._closed = True
        counted, self._counted_by = self._counted_by, None
        if counted is not None:
            counted.connections -= 1
        message = "connection lost"
        if hasattr(reason, "getErrorMessage"):
            message = reason.getErrorMessage()
        self._deliver_lost_once(message)

    # -- bytes in --------------------------------------------------------

    def dataReceived(self, data: bytes) -> None:
        if self._first_line and not self._buffer and data[:2] == b"\x16\x03":
            self._close_quietly("TLS handshake on the telnet port")
            return
        start, size = 0, len(data)
        limit = self.limits.max_line
        while start < size and not self._closed:
            newline = data.find(b"\n", start)
            end = size if newline < 0 else newline
            if not self._discarding:
                if len(self._buffer) + (end - start) > limit:
                    self._buffer.clear()
                    self._discarding = True
                    self._line_too_long()
                else:
                    self._buffer += data[start:end]
            if newline < 0:
                break
            start = newline + 1
            if self._discarding:
                self._discarding = False
                self._first_line = False
                continue
            line = bytes(self._buffer)
            self._buffer.clear()
            self._raw_line(line)

    def _raw_line(self, line: bytes) -> None:
        if self._first_line:
            self._first_line = False
            if _HTTP.match(line):
                self.transport.transport.write(HTTP_ANSWER)
                self._close_quietly("HTTP request on the telnet port")
                return
        text = clean_line(charset.decode_bytes(line, self.encoding))
        if not self.hiding_input and mssp.is_request(text):
            # A listing crawler's plaintext request (usually at the login screen);
            # never while a password is being typed.
            self.write(mssp.plaintext(self.mssp()))
            return
        if self.hiding_input:
            # The client did not echo the line ending either.
            self.write("\n")
        if self.session is not None:
            self.session.line_received(text)

    def _line_too_long(self) -> None:
        self.write(
            f"That line was too long (over {self.limits.max_line} bytes) and was "
            "ignored. Send shorter lines.\n"
        )

    def _are_you_there(self, argument: Any) -> None:
        self.write("[Yes]\n")

    # -- negotiation -----------------------------------------------------

    def _negotiate(self, request: Callable[[bytes], Any], code: bytes) -> None:
        # Refusal, silence and overlapping requests are all fine.
        request(code).addErrback(lambda failure: None)

    def enableLocal(self, option: bytes) -> bool:
        handler = self.handlers.get(option)
        if handler is None or not handler.accept_local(self):
            return False
        handler.local_enabled(self)
        return True

    def enableRemote(self, option: bytes) -> bool:
        handler = self.handlers.get(option)
        if handler is None or not handler.accept_remote(self):
            return False
        handler.remote_enabled(self)
        return True

    def disableLocal(self, option: bytes) -> None:
        handler = self.handlers.get(option)
        if handler is not None:
            handler.local_disabled(self)

    def disableRemote(self, option: bytes) -> None:
        handler = self.handlers.get(option)
        if handler is not None:
            handler.remote_disabled(self)

    def _subnegotiation(self, handler: OptionHandler, data: list[bytes]) -> None:
        if self._closed:
            return
        try:
            handler.subnegotiation(self, b"".join(data))
        except Exception:  # one broken option must not drop the player
            _log.failure("telnet option {name} failed on a subnegotiation", name=handler.name)

    def send_subnegotiation(self, code: bytes, payload: bytes) -> None:
        """
        Send C{IAC SB code payload IAC SE} (IAC in the payload is escaped).
        """
        if not self._closed and self.transport is not None:
            self._send(IAC + telnet.SB + code + payload.replace(IAC, IAC + IAC)
                       + IAC + telnet.SE, raw=True)

    def local_option_on(self, code: bytes) -> bool:
        """
        Whether option C{code} is enabled at our end.
        """
        return self.transport.getOptionState(code).us.state == "yes"

    def remote_option_on(self, code: bytes) -> bool:
        """
        Whether option C{code} is enabled at the client's end.
        """
        return self.transport.getOptionState(code).him.state == "yes"

    def update_client(self, **changes: Any) -> None:
        """
        Record what negotiation found (C{changes} to L{detected}), recompute
        L{client} with the player's preferences, and tell the session if it
        changed.
        """
        self.detected = attrs.evolve(self.detected, **changes)
        self._refresh()

    def _refresh(self) -> None:
        self.encoding = self._choose_encoding()
        new = effective(self.detected, self.preferences, self.encoding)
        if new != self.client:
            self.client = new
            if self.session is not None and not self._closed:
                self.session.client_changed()

    def _choose_encoding(self) -> str:
        # The player's choice; else what CHARSET agreed; else Latin-1 for a
        # client whose MTTS says it is not using UTF-8; else UTF-8.
        if self.preferences.charset != "auto":
            return self.preferences.charset
        negotiated = self.option_state.get("charset")
        if negotiated is not None and negotiated.agreed:
            return str(negotiated.encoding)
        cycle = self.option_state.get("ttype")
        if cycle is not None and cycle.terminal.utf8 is False:
            return "latin-1"
        return "utf-8"

    def encoding_changed(self) -> None:
        """
        CHARSET or MTTS may have changed the encoding: apply it.
        """
        self._refresh()

    # -- IClientSettings -------------------------------------------------

    def set_preference(self, name: str, value: str) -> Preferences:
        key, parsed = parse(name, value)
        changes: dict[str, Any] = {key: parsed}
        self.preferences = attrs.evolve(self.preferences, **changes)
        self._refresh()
        return self.preferences

    def settings_report(self) -> list[str]:
        info, prefs = self.client, self.preferences
        marker = prompts.marker(prefs.prompt, eor=self.local_option_on(prompts.EOR_OPTION),
                                sga=self.local_option_on(SGA),
                                ga_as_blank_line=self._ga_as_blank_line())
        now = {b"": "none", IAC + telnet.GA: "ga", IAC + prompts.EOR: "eor"}[marker]
        rows = [
            ("colour", prefs.colour, colour_name(info.colours)),
            ("width", str(prefs.width or "auto"), str(info.width)),
            ("prompt", prefs.prompt, now),
            ("screenreader", prefs.screenreader, "on" if info.screen_reader else "off"),
            ("charset", prefs.charset, self.encoding),
        ]
        return [f"  {name:<13} {chosen:<6} (now: {shown})" for name, chosen, shown in rows]

    def _ga_as_blank_line(self) -> bool:
        cycle = self.option_state.get("ttype")
        return bool(cycle is not None and cycle.terminal.ga_as_blank_line)

    # -- IClient ---------------------------------------------------------

    def write(self, text: str) -> None:
        if self._closed or self.transport is None:
            return
        self._send(self.render(text))

    def render(self, text: str) -> bytes:
        """
        The bytes C{text} becomes for this client (before telnet escaping):
        control characters removed, markup rendered in its colour mode (or
        stripped, for no colour and screen readers), encoded in its charset.
        """
        text = colour.sanitize(text.replace("\r\n", "\n"))
        if self.client.screen_reader:
            text = colour.for_screen_reader(text)
        else:
            text = colour.render(text, colour.mode_for(self.client.colours))
        return charset.encode_text(text, self.encoding)

    def prompt(self, text: str) -> None:
        """
        Write C{text} without a line ending, then the prompt marker the
        player's choice and the negotiation call for (see
        L{engine.protocols.prompts}).
        """
        self.write(text)
        if self._closed or self.transport is None:
            return
        marker = prompts.marker(self.preferences.prompt,
                                eor=self.local_option_on(prompts.EOR_OPTION),
                                sga=self.local_option_on(SGA),
                                ga_as_blank_line=self._ga_as_blank_line())
        if marker:
            self._send(marker, raw=True)

    def send_oob(self, package: str, data: Any) -> None:
        """
        Send a GMCP message, if the client enabled GMCP and C{package} (or a
        parent of it). Strings in C{data} are sent plain (no markup, no
        control characters).
        """
        if self._closed or self.transport is None:
            return
        state = self.option_state.get("gmcp")
        if state is None or not state.wants(package):
            return
        try:
            payload = gmcp.encode(package, data)
        except (TypeError, ValueError):
            _log.failure("cannot send GMCP {package}", package=package)
            return
        self.send_subnegotiation(gmcp.GMCP, payload)

    def set_echo(self, on: bool) -> None:
        self.hiding_input = not on
        self._sync_echo()

    def _sync_echo(self) -> None:
        # Bring the ECHO option in line with hiding_input, once any
        # negotiation already under way has finished.
        if self._closed or self.transport is None:
            return
        state = self.transport.getOptionState(ECHO).us
        if state.negotiating:
            return
        request = None
        if self.hiding_input and state.state == "no":
            request = self.transport.will
        elif not self.hiding_input and state.state == "yes":
            request = self.transport.wont
        if request is not None:
            # Retry only after success: a client that refuses is not asked again
            # until the next set_echo.
            request(ECHO).addCallbacks(lambda result: self._sync_echo(), lambda failure: None)

    def disconnect(self, reason: str) -> None:
        if self._closed:
            return
        _log.info("closing telnet connection from {address}: {reason}",
                  address=self.client.address, reason=reason)
        self._closed = True
        self.transport.loseConnection()
        self._deliver_lost_once(reason)

    def _deliver_lost_once(self, reason: str) -> None:
        session, self.session = self.session, None
        if session is not None:
            session.disconnected(reason)

    def _close_quietly(self, reason: str) -> None:
        _log.info("closing connection from {address}: {reason}",
                  address=self.client.address, reason=reason)
        self._closed = True
        self.transport.loseConnection()
        self._deliver_lost_once(reason)

    # -- output back-pressure -------------------------------------------

    def _send(self, data: bytes, raw: bool = False) -> None:
        # raw: telnet commands, written as they are (no IAC doubling, no CRLF).
        if self._paused:
            self._paused_bytes += len(data)
            if self._paused_bytes > self.limits.max_output:
                self._drop_slow_client()
                return
        if raw:
            self.transport._write(data)
        else:
            self.transport.write(data)

    def _drop_slow_client(self) -> None:
        _log.warn("dropping {address}: it stopped reading and over {limit} bytes piled up",
                  address=self.client.address, limit=self.limits.max_output)
        self._closed = True
        raw = self.transport.transport
        abort = getattr(raw, "abortConnection", None)
        if abort is not None:
            abort()
        else:
            self.transport.loseConnection()
        self._deliver_lost_once("output overflow: the client stopped reading")

    def pauseProducing(self) -> None:
        """
        The transport's buffer is full: the client is not reading.
        """
        if not self._paused:
            self._paused = True
            self._paused_bytes = 0

    def resumeProducing(self) -> None:
        """
        The client caught up.
        """
        self._paused = False
        self._paused_bytes = 0

    def stopProducing(self) -> None:
        """
        The connection is going away.
        """
        self._closed = True


def clean_line(text: str) -> str:
    """
    A typed line as commands should see it: backspaces applied (clients in
    character mode send them raw), tabs made spaces, other control characters
    removed, trailing space stripped.
    """
    if "\b" in text or "\x7f" in text:
        kept: list[str] = []
        for char in text:
            if char in "\b\x7f":
                if kept:
                    kept.pop()
            else:
                kept.append(char)
        text = "".join(kept)
    text = text.replace("\t", " ")
    return _CONTROL.sub("", text).rstrip()


class TelnetServerFactory(Factory):
    """
    Makes telnet connections whose sessions come from C{session_factory}.

    @ivar session_factory: called with each new L{TelnetClient} (an
        L{IClient}); returns its L{ISession}.
    @ivar limits: the L{TelnetLimits} for each connection.
    @ivar options: the L{OptionHandler}s each connection negotiates
        (default: L{mud_client_options}).
    @ivar mssp: the MSSP provider (see L{engine.protocols.mssp.status_provider});
        by default the name "Tessera" and the number of open connections.
    """

    def __init__(self, session_factory: Callable[[IClient], ISession],
                 limits: TelnetLimits | None = None,
                 options: Iterable[OptionHandler] | None = None,
                 mssp: mssp.Provider | None = None) -> None:
        self.session_factory = session_factory
        self.limits = limits or TelnetLimits()
        self.options = tuple(options) if options is not None else mud_client_options()
        self.connections = 0
        self.mssp = mssp or _default_mssp(self)

    def buildProtocol(self, addr: Any) -> TesseraTelnetTransport:
        transport = TesseraTelnetTransport(
            TelnetClient, self.session_factory, self.limits, self.options, self.mssp
        )
        transport.factory = self
        return transport


def _default_mssp(factory: TelnetServerFactory) -> mssp.Provider:
    return mssp.status_provider(name="Tessera", players=lambda: factory.connections,
                                ports=lambda: ())


__all__ = [
    "DEFAULT_OPTIONS",
    "HTTP_ANSWER",
    "ClientInfo",
    "EchoOption",
    "OptionHandler",
    "SuppressGoAheadOption",
    "TelnetClient",
    "TelnetLimits",
    "TelnetServerFactory",
    "TerminalTypeOption",
    "TesseraTelnetTransport",
    "WindowSizeOption",
    "clean_line",
    "colours_for_terminal",
    "mud_client_options",
]
