# -*- test-case-name: tests.engine.test_telnet,tests.protocols.test_telnet_mud -*-
"""
Telnet, the transport: one TCP connection's bytes in and out, and what each
connection may cost the server.

A L{TelnetConnection} is the Twisted protocol of one connection. It feeds
what arrives to its L{engine.protocols.telnetcodec.TelnetParser}, hands
option negotiation to its L{engine.protocols.negotiation.Negotiator} (RFC
1143, with the option handlers of L{engine.protocols.options} and
L{engine.protocols.mudoptions}), assembles lines for its session (an
L{engine.interfaces.ISession}), and provides L{engine.interfaces.IClient} to
it: text is rendered by its L{engine.protocols.rendering.Presentation} (no
I/O there) and only framed here (CR LF, C{IAC} doubling, prompt markers,
subnegotiations, MCCP2 compression).

Nothing here knows about accounts, commands or the world; policy (logins,
the command rate) lives in the session.

What one connection may cost
============================
A telnet connection is a L{engine.protocols.door.Door}: its input is
budgeted (bytes, telnet commands and lines per second, a bounded amount of
work per turn of the reactor) and every byte written to it -- text, echoes,
prompts, negotiation answers, subnegotiations, MCCP2 output -- leaves
through the door's one way out, under C{max_output}, as the web client's
connections do. Everything else the server holds from a connection is
bounded too: the partial line (C{max_line}) and an unfinished
subnegotiation (C{max_subnegotiation}).

Server-wide (L{TelnetServerFactory}), at most C{max_prelogin} connections
may wait at the login screen, what the server holds for them in all is at
most C{prelogin_buffer} bytes, and the work they may ask of the server
together is C{prelogin_input_rate} (so that anonymous connections, however
many and however often they reconnect, take at most that share from the
players in the world); new connections are taken at C{connection_rate} a
second.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from twisted.internet import interfaces as iinternet
from twisted.internet.protocol import Factory
from twisted.logger import Logger
from zope.interface import implementer

from engine.bans import BANNED, nothing_banned
from engine.interfaces import ClientInfo, IClient, ISession
from engine.limits import (
    IntervalLog,
    Limits,
    MemoryReturn,
    Prelogin,
    TokenBucket,
)
from engine.protocols import charset, gmcp, mccp, mssp, prompts
from engine.protocols.door import (
    CLOSE_GRACE,
    FREE,
    LINE,
    LINES_PER_TURN,
    MESSAGE,
    WORK_PER_TURN,
    Door,
    FailureLog,
    SharedBudget,
    peer_address,
    setup_failed,
)
from engine.protocols.mudoptions import mud_client_options
from engine.protocols.negotiation import Negotiator
from engine.protocols.options import (
    ECHO,
    NAWS,
    SGA,
    TTYPE,
    EchoOption,
    OptionHandler,
    SuppressGoAheadOption,
    TerminalTypeOption,
    WindowSizeOption,
    colours_for_terminal,
)
from engine.protocols.rendering import Presentation, Presented, rendered, shared
from engine.protocols.settings import IClientSettings, Preferences
from engine.protocols.telnetcodec import (
    AYT,
    GA,
    IAC,
    Command,
    Data,
    Negotiation,
    Overflow,
    Subnegotiation,
    TelnetParser,
    escape,
    subnegotiation,
)
from world.phrases import without_escapes

_log = Logger()

#: The key in a connection's C{option_state} saying an option handler's
#: failure was logged for it (the first only is).
OPTION_FAILED = "option failure logged"

#: Seconds between a dropped connection and giving its memory back (all
#: the drops within them are given back at once).
TRIM_DELAY = 1.0

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

#: Plain telnet's options (no MUD protocols), in the order they are offered.
DEFAULT_OPTIONS: tuple[OptionHandler, ...] = (
    EchoOption(),
    SuppressGoAheadOption(),
    WindowSizeOption(),
    TerminalTypeOption(),
)

#: The line a connection is refused with when too many wait to log in.
BUSY = b"Too many connections are waiting to log in. Please try again in a minute.\r\n"
#: The line a connection is refused with past C{--prelogin-per-address}.
CROWDED = (b"Too many connections from your address are waiting to log in. Close some and "
           b"try again.\r\n")


@implementer(IClient, IClientSettings, iinternet.IPushProducer)
class TelnetConnection(Presented, Door):
    """
    One telnet connection: an L{IClient} for its session.

    @ivar presentation: what the client is shown and how (L{Presentation}).
    @ivar negotiation: the option negotiation (L{Negotiator}).
    @ivar option_state: per-option scratch space for option handlers.
    @ivar hiding_input: whether the player's typing should not be echoed.
    @ivar mssp: the MSSP provider: a callable returning the variables.
    @ivar lost: the connection is gone (L{connectionLost} was called).
    """

    MESSAGES = "telnet commands"

    def __init__(self, factory: TelnetServerFactory) -> None:
        super().__init__(factory)
        self.session_factory = factory.session_factory
        self.handlers = {h.code: h for h in factory.options}
        self.mssp = factory.mssp
        self.parser = TelnetParser(self.limits.max_subnegotiation)
        self.negotiation = Negotiator(self, self.clock, self.limits.negotiation_rate,
                                      self.limits.negotiation_burst,
                                      2 * self.limits.negotiation_burst)
        self.presentation = Presentation()
        self.option_state: dict[str, Any] = {}
        self.session: ISession | None = None
        self.hiding_input = False
        self._line = bytearray()
        self._discarding = False
        self._first_line = True
        self._compressor: mccp.Compressor | None = None
        #: The door it waits to log in at (counted in the factory's
        #: L{Prelogin}), or None once it logged in or went.
        self.waiting_at: str | None = None
        #: The address it is counted under while it waits.
        self.waiting_as = ""

    # -- what the session and option handlers read ------------------------

    @property
    def detected(self) -> ClientInfo:
        """
        What negotiation found.
        """
        return self.presentation.detected

    @property
    def encoding(self) -> str:
        """
        The character set text is sent and read in.
        """
        return self.presentation.encoding

    @property
    def address(self) -> str:
        """
        The peer's address, for the log.
        """
        return self.client.address

    @property
    def buffered(self) -> int:
        """
        Bytes the server holds for this connection: unhandled input, the
        partial line, an unfinished subnegotiation, and output that piled up
        while the client was not reading.
        """
        return (len(self._unparsed) + len(self._line) + self.parser.buffered
                + sum(len(item) for item in self._pending if isinstance(item, bytes))
                + self._paused_bytes)

    # -- connection ------------------------------------------------------

    def connectionMade(self) -> None:
        try:
            self._set_up()
        except Exception:
            # Whatever failed, it is no longer counted: a place of
            # --max-prelogin is not lost for as long as its client stays.
            self._settle()
            self._closed = True
            setup_failed("telnet", self.presentation.client.address, self.transport,
                         self.factory.failures)

    def _set_up(self) -> None:
        address = peer_address(self.transport)
        self.presentation.update(address=address)
        factory = self.factory
        nodelay = getattr(self.transport, "setTcpNoDelay", None)
        if nodelay is not None:
            try:
                nodelay(True)  # each prompt and answer goes out at once
            except OSError:
                pass
        prelogin = factory.prelogin
        full, crowded = prelogin.full(), prelogin.crowded(address)
        factory.open.add(self)
        self.waiting_at = "tls" if iinternet.ISSLTransport.providedBy(self.transport) else "telnet"
        self.waiting_as = address
        prelogin.arrived(self.waiting_at, address)
        if factory.banned(address):
            # Before anything else is counted or taken: a banned site's
            # flood takes no new connection from the server's rate.
            factory.refuse(self, BANNED.encode("utf-8") + b"\r\n", BANNED)
            return
        if full:
            factory.refuse(self, BUSY, f"{prelogin.limit} connections are already waiting to "
                           "log in (--max-prelogin)")
            return
        if crowded:
            factory.refuse(self, CROWDED, f"{prelogin.per_address} connections from one address "
                           "are already waiting to log in (--prelogin-per-address)")
            return
        if not factory.arrivals.take():
            factory.refuse(self, BUSY, "more new connections than "
                           f"{self.limits.connection_rate:g} a second (--connection-rate)")
            return
        if hasattr(self.transport, "registerProducer"):
            try:
                self.transport.registerProducer(self, True)
            except RuntimeError:
                pass  # someone else produces for it
        for handler in self.handlers.values():
            if handler.offer in ("will", "do"):
                self.negotiation.request(handler.offer == "will", handler.code, True)
        self.session = self.session_factory(self)
        self.session.connected()

    def logged_in(self) -> None:
        """
        Its session has logged in: it no longer waits to (L{Prelogin}).
        """
        self._settle()

    @property
    def waiting(self) -> bool:
        """
        Whether it waits to log in (counted in L{Prelogin}).
        """
        return self.waiting_at is not None

    def _settle(self) -> None:
        door, self.waiting_at = self.waiting_at, None
        if door is not None:
            self.factory.prelogin.settled(door, self.waiting_as)

    def connectionLost(self, reason: Any = None) -> None:
        self._settle()
        self._line = bytearray()
        self._compressor = None
        self._gone(reason)

    # -- bytes in --------------------------------------------------------

    def dataReceived(self, data: bytes) -> None:
        if self._closed:
            return
        if self._first_line and not self._line and data[:2] == b"\x16\x03":
            self._close_quietly("TLS handshake on the telnet port")
            return
        super().dataReceived(data)

    def _parse(self, chunk: bytes) -> None:
        self._pending.extend(self.parser.feed(chunk))

    def _kind(self, item: Any) -> str:
        if isinstance(item, bytes):
            return LINE
        return FREE if isinstance(item, Data) else MESSAGE

    def _handle(self, item: Any) -> None:
        if isinstance(item, bytes):
            self._raw_line(item)
        elif isinstance(item, Data):
            self._assemble(item.data)
        else:
            self._telnet(item)

    def _assemble(self, data: bytes) -> None:
        # Application bytes to lines: complete ones go to the front of the
        # queue, in order; the partial one stays in _line (at most max_line).
        start, size, limit = 0, len(data), self.limits.max_line
        lines: list[bytes] = []
        while start < size:
            newline = data.find(b"\n", start)
            end = size if newline < 0 else newline
            if not self._discarding:
                if len(self._line) + (end - start) > limit:
                    self._line.clear()
                    self._discarding = True
                    self._line_too_long()
                else:
                    self._line += data[start:end]
            if newline < 0:
                break
            start = newline + 1
            if self._discarding:
                self._discarding = False
                self._first_line = False
                continue
            lines.append(bytes(self._line))
            self._line.clear()
        self._pending.extendleft(reversed(lines))

    def _raw_line(self, line: bytes) -> None:
        if self._first_line:
            self._first_line = False
            if _HTTP.match(line):
                self._emit(HTTP_ANSWER)
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

    def _telnet(self, event: Any) -> None:
        if isinstance(event, Negotiation):
            self.negotiation.received(event.verb, event.option)
            if self.negotiation.storm:
                self._drop("negotiation storm: it kept changing telnet options "
                           f"far past {self.limits.negotiation_rate:g} a second")
        elif isinstance(event, Subnegotiation):
            handler = self.handlers.get(event.option)
            if handler is not None:
                try:
                    handler.subnegotiation(self, event.payload)
                except Exception:  # one broken option must not drop the player
                    self._option_failed(handler.name, " on a subnegotiation")
        elif isinstance(event, Overflow):
            self._drop(f"a telnet subnegotiation over {event.limit} bytes")
        elif isinstance(event, Command) and event.code == AYT:
            self.write("[Yes]\n")

    # -- negotiation (the Negotiator's host) ------------------------------

    def accept(self, local: bool, option: bytes) -> bool:
        handler = self.handlers.get(option)
        if handler is None:
            return False
        return handler.accept_local(self) if local else handler.accept_remote(self)

    def changed(self, local: bool, option: bytes, on: bool) -> None:
        handler = self.handlers.get(option)
        if handler is None or self._closed:
            return
        react = {(True, True): handler.local_enabled, (True, False): handler.local_disabled,
                 (False, True): handler.remote_enabled,
                 (False, False): handler.remote_disabled}[local, on]
        try:
            react(self)
        except Exception:  # one broken option must not drop the player
            self._option_failed(handler.name, "")

    def _option_failed(self, name: str, what: str) -> None:
        """
        Option handler C{name} raised (on C{what}: a subnegotiation, or
        nothing said for a change of state); called in the C{except}
        block. Only the first failure of a connection counts (a client can
        make a broken handler fail on each of thousands of messages a
        second), and the server's L{engine.protocols.door.FailureLog} logs
        the first of each option with its traceback, cut (the client may
        have put what it sent in the error), then each connection's as one
        count of a line every few seconds: new connections cannot flood the
        log with tracebacks either.
        """
        if self.option_state.get(OPTION_FAILED):
            return
        self.option_state[OPTION_FAILED] = True
        self.factory.failures.failed("telnet option " + name, self.address, what)

    def send_negotiation(self, data: bytes) -> None:
        self._emit(data)

    def send_subnegotiation(self, code: bytes, payload: bytes) -> None:
        """
        Send C{IAC SB code payload IAC SE} (IAC in the payload is escaped).
        """
        self._emit(subnegotiation(code, payload))

    def local_option_on(self, code: bytes) -> bool:
        """
        Whether option C{code} is enabled at our end.
        """
        return self.negotiation.enabled(True, code)

    def remote_option_on(self, code: bytes) -> bool:
        """
        Whether option C{code} is enabled at the client's end.
        """
        return self.negotiation.enabled(False, code)

    def update_client(self, **changes: Any) -> None:
        """
        Record what negotiation found (C{changes} to the detected
        L{ClientInfo}), and tell the session if its L{client} changed.
        """
        if self.presentation.update(**changes):
            self._client_changed()

    def encoding_changed(self) -> None:
        """
        CHARSET or MTTS may have changed the encoding: apply it.
        """
        negotiated = self.option_state.get("charset")
        if negotiated is not None and negotiated.agreed:
            self.presentation.agreed_encoding = str(negotiated.encoding)
        cycle = self.option_state.get("ttype")
        if cycle is not None:
            self.presentation.utf8 = cycle.terminal.utf8
        if self.presentation.refresh():
            self._client_changed()

    def _client_changed(self) -> None:
        if self.session is not None and not self._closed:
            self.session.client_changed()

    def start_compression(self) -> None:
        """
        Start MCCP2: write its marker, then compress everything after it.
        """
        if self._compressor is None and not self._closed:
            compressor = mccp.Compressor()
            self._emit(compressor.start())
            self._compressor = compressor

    def finish_compression(self) -> None:
        """
        End MCCP2 (if on); what follows goes out plain.
        """
        compressor, self._compressor = self._compressor, None
        if compressor is not None:
            self._emit(compressor.finish())

    # -- IClientSettings -------------------------------------------------

    def set_preference(self, name: str, value: str) -> Preferences:
        preferences = self.presentation.prefer(name, value)
        self._client_changed()
        return preferences

    def settings_report(self) -> list[str]:
        now = {b"": "none", IAC + GA: "ga", IAC + prompts.EOR: "eor"}[self._marker()]
        return self.presentation.report(now)

    def _marker(self) -> bytes:
        cycle = self.option_state.get("ttype")
        return prompts.marker(self.preferences.prompt,
                              eor=self.local_option_on(prompts.EOR_OPTION),
                              sga=self.local_option_on(SGA),
                              ga_as_blank_line=bool(cycle is not None
                                                    and cycle.terminal.ga_as_blank_line))

    # -- IClient ---------------------------------------------------------

    def write(self, text: str) -> None:
        if self._closed:
            return
        client = self.presentation.client
        self._emit(_wire(text, client.screen_reader, client.colours, self.presentation.encoding))

    def render(self, text: str) -> bytes:
        """
        The bytes C{text} becomes for this client (before telnet escaping):
        see L{Presentation.render} and L{Presentation.encode}.
        """
        return self.presentation.encode(self.presentation.render(text))

    def prompt(self, text: str) -> None:
        """
        Write C{text} without a line ending, then the prompt marker the
        player's choice and the negotiation call for (see
        L{engine.protocols.prompts}).
        """
        self.write(text)
        marker = self._marker()
        if marker and not self._closed:
            self._emit(marker)

    def send_oob(self, package: str, data: Any) -> None:
        """
        Send a GMCP message, if the client enabled GMCP and C{package} (or a
        parent of it). Strings in C{data} are sent plain (no markup, no
        control characters).
        """
        if self._closed:
            return
        payload = self.presentation.oob(self.option_state.get("gmcp"), package, data)
        if payload is not None:
            self.send_subnegotiation(gmcp.GMCP, payload)

    def wants_oob(self, package: str) -> bool:
        state = self.option_state.get("gmcp")
        return not self._closed and state is not None and state.wants(package)

    def set_echo(self, on: bool) -> None:
        self.hiding_input = not on
        if not self._closed:
            # While a password is typed we claim to echo (WILL ECHO), so the
            # client stops echoing; a request made while another is under
            # way waits its turn (RFC 1143's queue).
            self.negotiation.request(True, ECHO, self.hiding_input)

    def disconnect(self, reason: str, quiet: bool = False) -> None:
        if self._closed:
            return
        if not quiet:  # else logged by whoever closed it
            self._log_closing("telnet", reason)
        self._close(reason)

    def _close_quietly(self, reason: str) -> None:
        self._log_closing("telnet", reason)
        self._close(reason)

    def _close(self, reason: str) -> None:
        self.finish_compression()
        self._closed = True
        self._lose()
        self._deliver_lost_once(reason)

    def _encode(self, data: bytes) -> bytes:
        # MCCP2, once on, compresses everything after its marker.
        return self._compressor.compress(data) if self._compressor is not None else data


@shared
def _wire(text: str, screen_reader: bool, colours: int, encoding: str) -> bytes:
    """
    C{text} as it goes on the wire (before compression) to a client that
    shows it so: L{TelnetConnection.render}, then telnet's escaping.
    Remembered (L{engine.protocols.rendering.shared}): a line a room hears
    is rendered, encoded and escaped once for each way its clients show
    it, not once per listener.
    """
    return escape(charset.encode_text(rendered(text, screen_reader, colours), encoding))


def clean_line(text: str) -> str:
    """
    A typed line as commands should see it: backspaces applied (clients in
    character mode send them raw), tabs made spaces, escape sequences removed
    whole and other control characters removed, trailing space stripped.
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
    text = without_escapes(text.replace("\t", " "))
    return _CONTROL.sub("", text).rstrip()


class TelnetServerFactory(Factory):
    """
    Makes telnet connections whose sessions come from C{session_factory}.

    @ivar session_factory: called with each new L{TelnetConnection} (an
        L{IClient}); returns its L{ISession}.
    @ivar limits: the L{Limits} for each connection, and the server-wide
        ones for connections before login.
    @ivar options: the L{OptionHandler}s each connection negotiates
        (default: L{mud_client_options}).
    @ivar mssp: the MSSP provider (see L{engine.protocols.mssp.status_provider});
        by default the name "Tessera" and the number of open connections.
    @ivar clock: the reactor's time (L{IReactorTime}), for budgets and turns.
    @ivar open: the open connections.
    @ivar prelogin_held: bytes held, in all, for connections before login.
    @ivar prelogin_budget: the work all connections before login share (a
        L{SharedBudget} of C{prelogin_input_rate} bytes a second, which
        they wait for in line).
    @ivar arrivals: the new connections the server may take (a
        L{TokenBucket} of C{connection_rate} a second).
    @ivar banned: whether an address is in a banned site (the server's
        L{engine.server.Server.site_banned}, where there is a server).
    """

    def __init__(self, session_factory: Callable[[IClient], ISession],
                 limits: Limits | None = None,
                 options: Iterable[OptionHandler] | None = None,
                 mssp: mssp.Provider | None = None, *, clock: Any = None) -> None:
        self.session_factory = session_factory
        self.limits = limits or Limits()
        self.options = tuple(options) if options is not None else mud_client_options()
        self.open: set[TelnetConnection] = set()
        self.prelogin_held = 0
        #: The connections waiting to log in, here and (where the server
        #: shares its own) at every other door, for C{max_prelogin}.
        self.prelogin = Prelogin(self.limits.max_prelogin, self.limits.prelogin_per_address)
        self.mssp = mssp or _default_mssp(self)
        if clock is None:
            # The global reactor only as a default, for callers that build a
            # factory by hand; the composition root passes its own.
            from twisted.internet import reactor as clock
        self.clock = clock
        limits = self.limits
        self.prelogin_budget = SharedBudget(clock, limits.prelogin_input_rate,
                                            4 * limits.prelogin_input_rate)
        self.arrivals = TokenBucket(clock, limits.connection_rate, limits.connection_burst)
        self.banned: Callable[[str], bool] = nothing_banned
        #: Where failures of option handlers and of setting up connections
        #: are logged (the server's own, shared by every door, where there is one).
        self.failures = FailureLog(clock)
        self.memory = MemoryReturn(clock, TRIM_DELAY)
        self.memory.start()  # factories built by hand are never started
        #: Where refused connections are logged (the server's own, shared
        #: by every door, where there is a server).
        self.refusals = IntervalLog.refusals(clock)
        #: Where connections dropped before they logged in are logged (the
        #: server's own too).
        self.drops = IntervalLog.drops(clock)

    @property
    def connections(self) -> int:
        """
        How many connections are open.
        """
        return len(self.open)

    def charge(self, size: int) -> bool:
        """
        Count C{size} more bytes (negative: fewer) held for a connection
        before login; return whether that goes over C{prelogin_buffer}.
        """
        self.prelogin_held = max(0, self.prelogin_held + size)
        return size > 0 and self.prelogin_held > self.limits.prelogin_buffer

    def refuse(self, connection: TelnetConnection, answer: bytes, why: str) -> None:
        """
        Tell C{connection} C{answer} and close it, before it has a session;
        log why in L{refusals} (one line every few seconds for all of them: a
        flood of connections must not become a flood of log lines).
        """
        connection._closed = True
        transport = connection.transport
        if connection.unreachable:
            # A TLS client that never starts its handshake could never read
            # the answer, and TLS would wait for that handshake for ever
            # before closing, the connection counted against its address
            # and C{max_prelogin} all the while: cut at once.
            transport.abortConnection()
        else:
            transport.write(answer)
            transport.loseConnection()
        self.refusals.note(connection.client.address, why)

    def give_back_memory(self) -> None:
        """
        Return freed memory to the system soon: once for all the connections
        dropped within L{TRIM_DELAY} seconds (L{MemoryReturn}).
        """
        self.memory.soon()

    def startFactory(self) -> None:
        self.memory.start()

    def stopFactory(self) -> None:
        self.memory.cancel()
        # What was counted since the last line is logged now, not lost.
        self.refusals.flush()
        self.drops.flush()

    def buildProtocol(self, addr: Any) -> TelnetConnection:
        return TelnetConnection(self)


def _default_mssp(factory: TelnetServerFactory) -> mssp.Provider:
    return mssp.status_provider(name="Tessera", players=lambda: factory.connections,
                                ports=lambda: ())


__all__ = [
    "CLOSE_GRACE",
    "DEFAULT_OPTIONS",
    "ECHO",
    "HTTP_ANSWER",
    "LINES_PER_TURN",
    "NAWS",
    "SGA",
    "TTYPE",
    "WORK_PER_TURN",
    "ClientInfo",
    "EchoOption",
    "OptionHandler",
    "SuppressGoAheadOption",
    "TelnetConnection",
    "TelnetServerFactory",
    "TerminalTypeOption",
    "WindowSizeOption",
    "clean_line",
    "colours_for_terminal",
    "mud_client_options",
]
