# -*- test-case-name: tests.web.test_connection,tests.web.test_hostile -*-
"""
One browser's connection to the web port: HTTP for the page's files, then,
at C{/ws}, the websocket the page plays over.

HTTP is parsed by h11 and the websocket by wsproto, both sans-IO, so a web
connection is a L{engine.protocols.door.Door} like a telnet connection:
every byte that arrives is first spent from the same per-connection input
budget (bytes, messages and lines per second, with the same pressure that
drops a connection held back too long) and read a bounded amount per turn
of the reactor; every byte that leaves goes through the door's one way out,
under the same output bound (C{max_output} once the client stops reading)
and the same server-wide bound on what is held for connections before
login (C{prelogin_buffer}).

What one connection may send is bounded at each step: an HTTP request's
head (C{max_head}), the time to send one (C{timeout}), a websocket
message (C{max_message} characters; the rest of a longer one is skipped
and the player told), one line (C{max_line}, as over telnet). Before a
websocket is accepted its C{Origin} and the C{Host} it asks for are
checked (L{WebLimits}); at most C{max_prelogin} connections (telnet's and
the web's together) and C{per_address} from one address may be open
without having logged in; new connections are taken at C{connection_rate}
a second from all addresses and both doors together, the rest answered 503
at once (one log line every few seconds for all of them).

A websocket connection provides L{engine.interfaces.IClient} to the session
the server makes for it, exactly as a telnet connection does: what the
session writes is rendered by a L{engine.protocols.rendering.Presentation}
into styled runs (L{engine.web.messages}).
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

import h11
from attrs import field, frozen
from twisted.internet import interfaces as iinternet
from twisted.internet.protocol import Factory
from twisted.logger import Logger
from wsproto import ConnectionType, WSConnection
from wsproto.connection import ConnectionState
from wsproto.events import (
    AcceptConnection,
    BytesMessage,
    CloseConnection,
    Ping,
    Request,
    TextMessage,
)
from wsproto.utilities import LocalProtocolError, RemoteProtocolError
from zope.interface import implementer

from engine.bans import BANNED, nothing_banned
from engine.interfaces import ClientInfo, IClient, ISession
from engine.limits import IntervalLog, Limits, MemoryReturn, Prelogin, TokenBucket
from engine.protocols import gmcp
from engine.protocols.door import (
    LINE,
    MESSAGE,
    Door,
    FailureLog,
    peer_address,
    setup_failed,
)
from engine.protocols.rendering import Presentation, Presented, shared, styled
from engine.protocols.settings import IClientSettings, Preferences, SettingError
from engine.protocols.telnet import clean_line
from engine.web import messages, page

_log = Logger()

#: The colours the page shows (it draws every xterm-256 colour).
PAGE_COLOURS = 256
#: What an HTTP request's first line looks like.
_REQUEST_LINE = re.compile(rb"[A-Z]{3,10} [\x21-\x7e]+ HTTP/1\.[01]\r?\n?\Z")
#: HTTP requests one connection may make before it is closed.
MAX_REQUESTS = 100


def _origins(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@frozen
class WebLimits:
    """
    The web port's own limits (the rest are the server's L{Limits}).

    @ivar max_message: characters in one websocket message from the page;
        the rest of a longer one is skipped and the player told.
    @ivar max_head: bytes of one HTTP request's head (request line and
        headers); a longer one is answered 431 and the connection closed.
    @ivar timeout: seconds a connection may take to send an HTTP request
        (the page, or the websocket's opening); then it is closed.
    @ivar per_address: connections from one address waiting to log in, at
        every door together (as the server's C{prelogin_per_address}
        counts them), past which the web port refuses the next from it: a
        bound of the web port's own only where it is the lower.
    @ivar origins: the origins (C{https://mud.example.org}) besides the
        server's own whose pages may open the websocket, and the host names
        the server answers to besides IP addresses and C{localhost}.
    @ivar keepalive: seconds a websocket may be silent before the server
        pings it (0: never); a connection that died without a word (a phone
        that lost its network, a laptop put to sleep) is found this way.
    @ivar keepalive_timeout: seconds the browser has to answer that ping
        (or to send anything); then the connection is dropped.
    """

    max_message: int = 32768
    max_head: int = 16384
    timeout: float = 30.0
    per_address: int = 32
    origins: tuple[str, ...] = field(default=(), converter=_origins)
    keepalive: float = 30.0
    keepalive_timeout: float = 30.0

    def host_allowed(self, host: str) -> bool:
        """
        Whether the server answers to the name C{host} (the C{Host} header,
        port and all): an IP address, C{localhost}, or the host of one of
        L{origins}. Any other name may be a stranger's domain pointed at
        this address (DNS rebinding), so it is refused.
        """
        name = _hostname(host)
        if name is None:
            return False
        if name == "localhost" or name.endswith(".localhost"):
            return True
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return any(_hostname(urlsplit(origin).netloc) == name for origin in self.origins)
        return True

    def origin_allowed(self, origin: str | None, host: str) -> bool:
        """
        Whether a page from C{origin} may open the websocket on C{host}:
        its own page (the origin's host and port are C{host}), one of
        L{origins}, or a client that is no browser (no C{Origin} at all).
        """
        if origin is None:
            return True
        origin = origin.strip().lower()
        if origin in (o.lower().rstrip("/") for o in self.origins):
            return True
        parts = urlsplit(origin)
        return parts.scheme in ("http", "https") and parts.netloc == host.strip().lower()


def _hostname(host: str) -> str | None:
    """
    The name in a C{Host} header (C{"localhost:4080"} → C{"localhost"},
    C{"[::1]:4080"} → C{"::1"}), lower-cased; None if it is malformed.
    """
    try:
        name = urlsplit("//" + host.strip()).hostname
    except ValueError:
        return None
    return name.lower() if name else None


#: The connection is reading HTTP requests (the page's files).
HTTP = "http"
#: The connection is a websocket.
WEBSOCKET = "websocket"


@implementer(IClient, IClientSettings, iinternet.IPushProducer)
class WebConnection(Presented, Door):
    """
    One connection to the web port; once upgraded, an L{IClient} for its
    session.

    @ivar phase: L{HTTP} or L{WEBSOCKET}.
    @ivar presentation: what the client is shown, and how.
    @ivar gmcp: the page's GMCP state (which packages it asked for).
    """

    def __init__(self, factory: WebFactory) -> None:
        super().__init__(factory)
        self.web: WebLimits = factory.web
        self.presentation = Presentation(ClientInfo(protocol="websocket",
                                                    colours=PAGE_COLOURS))
        self.gmcp = gmcp.GmcpState(enabled=True)
        self.session: ISession | None = None
        self.phase = HTTP
        self._http = h11.Connection(h11.SERVER, max_incomplete_event_size=self.web.max_head)
        self._request: h11.Request | None = None
        self._requests = 0
        self._ws: WSConnection | None = None
        self._message: list[str] = []
        self._message_size = 0
        self._skipping = False
        self._first = True
        self._start: bytearray | None = bytearray()
        self._deadline: Any = None
        # The keepalive: when a byte was last heard, how many reads so far,
        # and the reads counted when a ping went out (None: none is out).
        self._keepalive: Any = None
        self._heard = 0.0
        self._reads = 0
        self._pinged: int | None = None
        # The address it is counted under while it waits to log in
        # (L{WebFactory.arrived}), or None.
        self.waiting_as: str | None = None

    def __repr__(self) -> str:
        return f"<WebConnection {self.phase} from {self.client.address}>"

    # -- what the session and the option command read -----------------------

    @property
    def address(self) -> str:
        """
        The peer's address, for the log.
        """
        return f"web {self.client.address}"

    @property
    def waiting(self) -> bool:
        """
        Whether it has not logged in: it is still an HTTP request, or its
        websocket waits to log in (L{WebFactory.arrived}).
        """
        return self.session is None or self.waiting_as is not None

    def logged_in(self) -> None:
        """
        Its session has logged in: it no longer waits to (L{WebFactory.settled}).
        """
        self.factory.settled(self)

    # -- connection ----------------------------------------------------------

    def connectionMade(self) -> None:
        try:
            self._set_up()
        except Exception:
            # Whatever failed, it is no longer counted (L{WebFactory.settled}).
            self.factory.settled(self)
            self._closed = True
            setup_failed("web", self.client.address, self.transport, self.factory.failures)

    def _set_up(self) -> None:
        address = peer_address(self.transport)
        self.presentation.update(address=address)
        nodelay = getattr(self.transport, "setTcpNoDelay", None)
        if nodelay is not None:
            try:
                nodelay(True)
            except OSError:
                pass
        refusal = self.factory.admit(self)
        self.factory.arrived(self)
        if refusal is not None:
            self.factory.refuse(self, refusal, refusal)
            return
        if not self.factory.arrivals.take():
            # The server-wide rate of new connections, shared with telnet:
            # each one taken costs a request's parsing, a websocket's
            # opening, a session and its welcome, and log lines.
            self.factory.refuse(self, "The server is taking too many new connections. Please "
                                "try again in a minute.", "more new connections than "
                                f"{self.limits.connection_rate:g} a second (--connection-rate)")
            return
        if hasattr(self.transport, "registerProducer"):
            try:
                self.transport.registerProducer(self, True)
            except RuntimeError:
                pass  # someone else produces for it
        self._deadline = self.clock.callLater(self.web.timeout, self._timed_out)

    def connectionLost(self, reason: Any = None) -> None:
        if self._deadline is not None and self._deadline.active():
            self._deadline.cancel()
        self._deadline = None
        if self._keepalive is not None and self._keepalive.active():
            self._keepalive.cancel()
        self._keepalive = None
        self._message = []
        self.factory.settled(self)
        self._gone(reason)

    def _timed_out(self) -> None:
        self._deadline = None
        if self.phase == HTTP and not self._closed:
            self._close_quietly(f"sent no complete HTTP request within {self.web.timeout:g} "
                                "seconds")

    # -- bytes in (the door's budget and turns) ---------------------------------

    def dataReceived(self, data: bytes) -> None:
        if self._closed:
            return
        if self._first and data[:2] == b"\x16\x03":
            self._close_quietly("TLS handshake on the web port (it serves plain HTTP)")
            return
        self._first = False
        self._heard = self.clock.seconds()
        self._reads += 1
        super().dataReceived(data)

    def _parse(self, chunk: bytes) -> None:
        if self.phase == HTTP:
            if self._requests == 0 and not self._not_http(chunk):
                return
            self._http.receive_data(chunk)
            self._http_events()
        else:
            self._websocket_data(chunk)

    def _kind(self, item: tuple[str, Any]) -> str:
        return LINE if item[0] == "line" else MESSAGE

    def _handle(self, item: tuple[str, Any]) -> None:
        kind, value = item
        if kind == "line":
            self._line(value)
        else:
            value()

    # -- HTTP -------------------------------------------------------------------

    def _not_http(self, chunk: bytes) -> bool:
        # The first line must be an HTTP request's: a telnet client's
        # "connect alice" is told where it is at once, not left waiting.
        if self._start is None:
            return True
        self._start += chunk[:256]
        end = self._start.find(b"\n")
        if end < 0 and len(self._start) < 256:
            return True
        line, self._start = bytes(self._start[:end + 1 if end >= 0 else 256]), None
        if _REQUEST_LINE.match(line):
            return True
        self._refuse(400, "This is a Tessera web client port: open it in a web browser (it "
                     "speaks HTTP; telnet is on the telnet port).", "not an HTTP request")
        return False

    def _http_events(self) -> None:
        # Read what h11 has; a complete request waits in the queue (one
        # message of the budget) until it is answered.
        while not self._closed and self.phase == HTTP and not self._pending:
            try:
                event = self._http.next_event()
            except h11.RemoteProtocolError as e:
                status = e.error_status_hint
                if status == 431:
                    reason = f"Request headers over {self.web.max_head} bytes."
                else:
                    reason = ("This is a Tessera web client port: open it in a web browser "
                              "(it speaks HTTP; telnet is on the telnet port).")
                self._refuse(status, reason, _bad_request(status, e))
                return
            if event is h11.NEED_DATA or event is h11.PAUSED:
                return
            if isinstance(event, h11.Request):
                self._request = event
            elif isinstance(event, h11.EndOfMessage):
                self._pending.append(("call", self._answer))
            elif isinstance(event, h11.ConnectionClosed):
                self._close_quietly("the browser closed its side")
                return

    def _answer(self) -> None:
        request, self._request = self._request, None
        if request is None or self._closed:
            return
        self._requests += 1
        path = request.target.split(b"?", 1)[0]
        if not self.web.host_allowed(_header(request, b"host") or ""):
            host = _header(request, b"host") or ""
            self._refuse(421 if host else 400,
                         f"This server does not answer to the name {host[:100]!r}. Its operator "
                         "can allow it with --web-origin.",
                         "a request for a host it does not answer to (--web-origin)")
            return
        if path == page.WEBSOCKET:
            self._upgrade(request)
            return
        found = page.answer(request.method, request.target)
        close = (self._requests >= MAX_REQUESTS
                 or self._http.their_state is not h11.DONE
                 or not _keep_alive(request))
        self._respond(found, close, head=request.method == b"HEAD")
        if close:
            self._close_quietly("served its requests")
            return
        try:
            self._http.start_next_cycle()
        except h11.LocalProtocolError:
            self._close_quietly("HTTP state did not allow another request")
            return
        self._restart_deadline()
        self._http_events()

    def _respond(self, found: page.Answer, close: bool, *, head: bool = False) -> None:
        try:
            data = self._http.send(h11.Response(status_code=found.status,
                                                headers=found.headers(close=close),
                                                reason=_phrase(found.status).encode("ascii")))
            data = data or b""
            if found.body and not head:
                data += self._http.send(h11.Data(data=found.body)) or b""
            data += self._http.send(h11.EndOfMessage()) or b""
        except h11.LocalProtocolError:
            # h11 cannot answer in this state (a broken request): say it plainly.
            data = _plain_response(found.status, found.body.decode("utf-8", "replace"))
        self._emit(data)

    def _refuse(self, status: int, reason: str, why: str) -> None:
        """
        Answer C{status} with C{reason} (for the person), then close;
        C{why} is for the log (L{_close_quietly}).
        """
        self._emit(_plain_response(status, reason))
        self._close_quietly(why)

    def _restart_deadline(self) -> None:
        if self._deadline is not None and self._deadline.active():
            self._deadline.cancel()
        self._deadline = self.clock.callLater(self.web.timeout, self._timed_out)

    # -- the websocket ------------------------------------------------------------

    def _upgrade(self, request: h11.Request) -> None:
        host = _header(request, b"host") or ""
        origin = _header(request, b"origin")
        if not self.web.origin_allowed(origin, host):
            self._refuse(403, f"Pages from {(origin or '')[:100]!r} may not connect here.",
                         "a websocket from an origin not allowed (--web-origin)")
            return
        ws = WSConnection(ConnectionType.SERVER)
        try:
            ws.initiate_upgrade_connection(list(request.headers), request.target)
            opened = any(isinstance(e, Request) for e in ws.events())
            if not opened:
                raise RemoteProtocolError("no websocket request", event_hint=None)
            accepted = ws.send(AcceptConnection())
        except (RemoteProtocolError, LocalProtocolError, ValueError) as e:
            self._refuse(400, "This address is the game's websocket: the page at / opens it.",
                         f"a bad websocket request ({type(e).__name__})")
            return
        trailing, _ = self._http.trailing_data
        self.phase = WEBSOCKET
        self._ws = ws
        if self._deadline is not None and self._deadline.active():
            self._deadline.cancel()
        self._deadline = None
        self._emit(accepted)
        self._heard = self.clock.seconds()
        self._keep_alive_in(self.web.keepalive)
        self.session = self.factory.session_factory(self)
        self.session.connected()
        if trailing and not self._closed:
            self._websocket_data(trailing)

    def _websocket_data(self, chunk: bytes) -> None:
        ws = self._ws
        assert ws is not None
        try:
            ws.receive_data(chunk)
        except LocalProtocolError:
            return  # data after the close: nothing more is read
        for event in ws.events():
            if self._closed:
                return
            if isinstance(event, (TextMessage, BytesMessage)):
                self._fragment(event)
            elif isinstance(event, Ping):
                self._pending.append(("call", lambda e=event: self._send_event(e.response())))
            elif isinstance(event, CloseConnection):
                self._remote_closed(event)
                return

    # -- the keepalive ------------------------------------------------------------

    def _keep_alive_in(self, seconds: float) -> None:
        if self.web.keepalive > 0 and not self._closed:
            self._keepalive = self.clock.callLater(seconds, self._keep_alive)

    def _keep_alive(self) -> None:
        # Runs when the websocket may have been silent for keepalive seconds,
        # or when a ping's time to be answered is up.
        self._keepalive = None
        if self._closed:
            return
        if self._unparsed or self._pending or not self._reading:
            # Its input waits for the door (over its budget): it is there.
            self._heard = self.clock.seconds()
            self._pinged = None
        if self._pinged is not None:
            if self._reads == self._pinged:
                self._drop(f"it did not answer a ping within {self.web.keepalive_timeout:g} "
                           "seconds")
                return
            self._pinged = None
        silent = self.clock.seconds() - self._heard
        if silent < self.web.keepalive:
            self._keep_alive_in(self.web.keepalive - silent)
            return
        self._pinged = self._reads
        self._send_event(Ping(payload=b"tessera"))
        self._keep_alive_in(self.web.keepalive_timeout)

    def _fragment(self, event: TextMessage | BytesMessage) -> None:
        # Part of a message: kept until the message is whole, unless the
        # message is too long or not text (then the rest of it is skipped).
        if not self._skipping:
            if isinstance(event, BytesMessage):
                self._skip("The game takes text messages only; that one was ignored.")
            else:
                self._message_size += len(event.data)
                if self._message_size > self.web.max_message:
                    self._skip(f"That message was too long (over {self.web.max_message} "
                               "characters) and was ignored.")
                else:
                    self._message.append(event.data)
        if event.message_finished:
            whole = "".join(self._message)
            skipped = self._skipping
            self._message, self._message_size, self._skipping = [], 0, False
            if not skipped:
                self._received(whole)

    def _skip(self, reason: str) -> None:
        self._skipping = True
        self._message, self._message_size = [], 0
        self._pending.append(("call", lambda: self._refused(reason)))

    def _received(self, text: str) -> None:
        try:
            message = messages.decode(text)
        except messages.MessageError as e:
            reason = str(e)
            self._pending.append(("call", lambda: self._refused(reason)))
            return
        if isinstance(message, messages.Input):
            self._pending.extend(("line", line) for line in message.lines)
        else:
            self._pending.append(("call", lambda: self._control(message)))

    def _refused(self, reason: str) -> None:
        self._send(messages.error(reason))

    def _control(self, message: messages.Gmcp | messages.Size | messages.Hello) -> None:
        if isinstance(message, messages.Gmcp):
            for package, data in self.gmcp.receive(message.package, message.data):
                self.send_oob(package, data)
        elif isinstance(message, messages.Size):
            self._update_client(width=message.width, height=message.height)
        elif isinstance(message, messages.Hello):
            changes: dict[str, Any] = {"terminal": message.client}
            if message.screen_reader is not None:
                changes["screen_reader"] = message.screen_reader
            self._update_client(**changes)

    def _update_client(self, **changes: Any) -> None:
        if self.presentation.update(**changes) and self.session is not None:
            self.session.client_changed()

    def _line(self, line: str) -> None:
        if len(line.encode("utf-8", "replace")) > self.limits.max_line:
            self.write(f"That line was too long (over {self.limits.max_line} bytes) and was "
                       "ignored. Send shorter lines.\n")
            return
        if self.session is not None:
            self.session.line_received(clean_line(line))

    def _remote_closed(self, event: CloseConnection) -> None:
        ws = self._ws
        if ws is not None and ws.state is ConnectionState.REMOTE_CLOSING:
            self._send_event(event.response())
        elif ws is not None and ws.state is ConnectionState.OPEN:
            # wsproto found the stream broken (bad framing, bad UTF-8): say
            # why with the close code it chose.
            self._send_event(CloseConnection(code=event.code, reason=event.reason))
        self._close_quietly(f"the browser closed the websocket ({event.code})")

    # -- bytes out ------------------------------------------------------------------

    def _send(self, message: str) -> None:
        self._send_event(TextMessage(data=message))

    def _send_event(self, event: Any) -> None:
        ws = self._ws
        if self._closed or ws is None or ws.state not in (ConnectionState.OPEN,
                                                          ConnectionState.REMOTE_CLOSING):
            return
        try:
            data = ws.send(event)
        except LocalProtocolError:
            return  # not in this state (a close crossed ours)
        self._emit(data)

    # -- closing ---------------------------------------------------------------------

    def _close_quietly(self, reason: str) -> None:
        if self._closed:
            return
        # Before login, one line every few seconds for all of them: a flood
        # of bad requests must not become a flood of log lines.
        self._log_closing("web", reason)
        self._close(reason)

    def _close(self, reason: str) -> None:
        self._closed = True
        self._pending.clear()
        self._lose()
        self._deliver_lost_once(reason)

    def _drop(self, reason: str) -> None:
        self._message = []
        super()._drop(reason)

    # -- IClient ------------------------------------------------------------------------

    def write(self, text: str) -> None:
        if self._closed:
            return
        client = self.presentation.client
        message = _text_message(text, client.screen_reader, client.colours)
        if message is not None:
            self._send(message)

    def prompt(self, text: str) -> None:
        if self._closed:
            return
        self._send(messages.prompt(self.presentation.runs(text)))

    def send_oob(self, package: str, data: Any) -> None:
        """
        Send a GMCP message, if the page asked for C{package} (or a parent
        of it); strings in C{data} go plain, as over telnet.
        """
        if self._closed:
            return
        payload = self.presentation.oob(self.gmcp, package, data)
        if payload is not None:
            self._send(messages.gmcp_message(payload))

    def wants_oob(self, package: str) -> bool:
        return not self._closed and self.gmcp.wants(package)

    def set_echo(self, on: bool) -> None:
        self._send(messages.echo(on))

    def disconnect(self, reason: str, quiet: bool = False) -> None:
        if self._closed:
            return
        if not quiet:  # else logged by whoever closed it
            self._log_closing("web", reason)
        self._send_event(CloseConnection(code=1000, reason=""))
        self._close(reason)

    # -- IClientSettings ----------------------------------------------------------------

    def set_preference(self, name: str, value: str) -> Preferences:
        key = name.lower()
        if key in ("charset", "encoding"):
            raise SettingError("The web client always uses UTF-8.")
        if key in ("prompt", "prompts"):
            raise SettingError("The web client shows prompts by itself.")
        preferences = self.presentation.prefer(name, value)
        if self.session is not None:
            self.session.client_changed()
        return preferences

    def settings_report(self) -> list[str]:
        return self.presentation.report("web")


#: What was wrong with a request h11 refused, by how h11's message begins
#: (its messages go on to quote what the client sent), for the log.
_WRONG = (
    ("illegal request line", "illegal request line"),
    ("no request line", "no request line"),
    ("illegal header line", "illegal header line"),
    ("continuation line", "illegal header line"),
    ("Illegal header name", "illegal header name"),
    ("Illegal header value", "illegal header value"),
    ("Illegal method", "illegal method"),
    ("Illegal target", "illegal target"),
    ("Missing mandatory Host", "no Host header"),
    ("Found multiple Host", "more than one Host header"),
    ("bad Content-Length", "bad Content-Length"),
    ("conflicting Content-Length", "bad Content-Length"),
    ("multiple Transfer-Encoding", "unsupported Transfer-Encoding"),
    ("Only Transfer-Encoding", "unsupported Transfer-Encoding"),
    ("illegal chunk", "bad chunked body"),
    ("malformed chunk", "bad chunked body"),
    ("Receive buffer too long", "headers too long"),
    ("peer closed", "closed in the middle of a request"),
    ("peer unexpectedly closed", "closed in the middle of a request"),
)


def _bad_request(status: int, error: Exception) -> str:
    """
    Why a request h11 refused with C{error} is dropped, for the log: a
    fixed phrase with C{status}, never the client's bytes (h11's message
    quotes the offending line, up to the whole head, and every distinct
    one would take a reason of the drop log's own).
    """
    text = str(error)
    wrong = next((what for start, what in _WRONG if text.startswith(start)), "malformed")
    return f"bad HTTP request ({status}: {wrong})"


def _header(request: h11.Request, name: bytes) -> str | None:
    """
    The value of header C{name} (lower case) as text, or None.
    """
    for key, value in request.headers:
        if key == name:
            return value.decode("latin-1")
    return None


def _keep_alive(request: h11.Request) -> bool:
    connection = _header(request, b"connection") or ""
    return "close" not in connection.lower()


@functools.lru_cache(maxsize=64)
def _plain_response(status: int, reason: str) -> bytes:
    """
    A whole HTTP/1.1 answer with C{reason} as its text, for when h11 cannot
    make one (refused at connect, or after a broken request). Made once for
    each answer: the refusals of a flood of connections are all alike.
    """
    answer = page.text_answer(status, reason)
    phrase = _phrase(status)
    head = [f"HTTP/1.1 {status} {phrase}".encode("ascii")]
    head += [name + b": " + value for name, value in answer.headers(close=True)]
    return b"\r\n".join(head) + b"\r\n\r\n" + answer.body


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


@shared
def _text_message(text: str, screen_reader: bool, colours: int) -> str | None:
    """
    The message showing C{text} to a page that shows it so (its styled
    runs: L{Presentation.runs}), or L{None} if nothing shows. Remembered
    (L{engine.protocols.rendering.shared}): a line a room hears is
    rendered and made a message once for each way its pages show it, not
    once per listener; each connection frames it (its own bytes, counted
    against C{max_output}).
    """
    runs = styled(text, screen_reader, colours)
    return messages.text(runs) if runs else None


class WebFactory(Factory):
    """
    Makes the web port's connections; each websocket gets a session from
    C{session_factory}.

    @ivar limits: the server's L{Limits}.
    @ivar web: the web port's L{WebLimits}.
    @ivar open: the open connections.
    @ivar prelogin: the connections waiting to log in, here and (where the
        server shares its own) at every other door, for C{max_prelogin}.
    @ivar refusals: where refused connections are logged (the server's own,
        shared by every door, where there is a server).
    @ivar drops: where connections dropped or closed before they logged in
        (a bad or refused request, no request in time) are logged: a line
        every few seconds for all of them (L{IntervalLog}; the server's
        own, shared by every door).
    @ivar share: if given, charges bytes held for connections before login
        to another door's pool (so that C{prelogin_buffer} is server-wide):
        called with the bytes (negative: given back), returns whether the
        pool is now over its bound.
    @ivar arrivals: the new connections the server may take (a
        L{TokenBucket} of C{connection_rate} a second; the telnet door's
        own, where there is one, so that the rate is server-wide).
    @ivar banned: whether an address is in a banned site (the server's
        L{engine.server.Server.site_banned}, where there is a server).
    """

    def __init__(self, session_factory: Callable[[IClient], ISession],
                 limits: Limits | None = None, web: WebLimits | None = None, *,
                 clock: Any, share: Callable[[int], bool] | None = None) -> None:
        self.session_factory = session_factory
        self.limits = limits or Limits()
        self.web = web or WebLimits()
        self.clock = clock
        self.share = share
        self.open: set[WebConnection] = set()
        self.prelogin = Prelogin(self.limits.max_prelogin, self.limits.prelogin_per_address)
        self.prelogin_held = 0
        self.memory = MemoryReturn(clock)
        self.arrivals = TokenBucket(clock, self.limits.connection_rate,
                                    self.limits.connection_burst)
        self.banned: Callable[[str], bool] = nothing_banned
        #: Where failures of setting up connections are logged (the
        #: server's own, shared by every door, where there is one).
        self.failures = FailureLog(clock)
        self.refusals = IntervalLog.refusals(clock)
        self.drops = IntervalLog.drops(clock)

    def give_back_memory(self) -> None:
        """
        Return the memory of dropped connections soon, once for all those
        dropped within a second (L{MemoryReturn}), not once each.
        """
        self.memory.soon()

    def startFactory(self) -> None:
        self.memory.start()

    def stopFactory(self) -> None:
        self.memory.cancel()
        # What was counted since the last line is logged now, not lost.
        self.refusals.flush()
        self.drops.flush()

    @property
    def connections(self) -> int:
        """
        How many connections are open.
        """
        return len(self.open)

    def waiting(self) -> int:
        """
        Connections to this port that have not logged in.
        """
        return self.prelogin.doors.get("web", 0)

    def waiting_from(self, address: str) -> int:
        """
        Connections from C{address} that have not logged in, at every door.
        """
        return self.prelogin.waiting_from(address)

    def arrived(self, connection: WebConnection) -> None:
        """
        C{connection} is open and waits to log in: count it (in all and for
        its address) until it logs in or goes (L{settled}), so that each
        new connection is admitted by counts, not by looking at every open one.
        """
        self.open.add(connection)
        if connection.waiting_as is None:
            address = connection.waiting_as = connection.client.address
            self.prelogin.arrived("web", address)

    def settled(self, connection: WebConnection) -> None:
        """
        C{connection} no longer waits to log in (it did, or it went).
        """
        address, connection.waiting_as = connection.waiting_as, None
        if address is None:
            return
        self.prelogin.settled("web", address)

    def admit(self, connection: WebConnection) -> str | None:
        """
        Whether a new connection may stay: None, or why not. A banned
        site is refused first, before anything is counted for it.
        """
        if self.banned(connection.client.address):
            return BANNED
        if self.prelogin.full():
            return ("Too many connections are waiting to log in. Please try again in a "
                    "minute.")
        address = connection.client.address
        if (self.prelogin.crowded(address)
                or self.waiting_from(address) >= self.web.per_address):
            return ("Too many connections from your address are waiting to log in. Close "
                    "some and try again.")
        return None

    def refuse(self, connection: WebConnection, answer: str, why: str) -> None:
        """
        Answer C{connection} 503 with C{answer} and close it, before it has
        read anything; log C{why} in L{refusals} (one line every few seconds
        for all of them: a flood of connections must not become a flood of
        log lines).
        """
        connection._closed = True
        connection.transport.write(_plain_response(503, answer))
        connection.transport.loseConnection()
        self.refusals.note(connection.client.address, why)

    def charge(self, size: int) -> bool:
        """
        Count C{size} more bytes (negative: fewer) held for a connection
        before login; return whether that goes over C{prelogin_buffer}.
        """
        if self.share is not None:
            return self.share(size)
        self.prelogin_held = max(0, self.prelogin_held + size)
        return size > 0 and self.prelogin_held > self.limits.prelogin_buffer

    def buildProtocol(self, addr: Any) -> WebConnection:
        return WebConnection(self)


__all__ = ["WebConnection", "WebFactory", "WebLimits"]
