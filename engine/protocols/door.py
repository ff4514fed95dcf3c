# -*- test-case-name: tests.engine.test_telnet,tests.web.test_hostile -*-
"""
What one connection may cost the server, whatever it speaks: the bounded
reader and writer every door (telnet, the web client) is built on.

A L{Door} is the Twisted protocol of one connection. Its subclass says how
bytes become items (L{Door._parse}), what each item costs (L{Door._kind}:
a line, a message, or nothing) and how it is handled (L{Door._handle});
the door decides when.

Input is budgeted (L{engine.limits.InputBudget}): bytes, messages and lines
per second. A connection past its budget is not read from until it is
within it again; one held back for too long is dropped and logged. Each
connection does a bounded amount of work per turn of the reactor
(L{WORK_PER_TURN} bytes parsed, L{MESSAGES_PER_TURN} messages and
L{LINES_PER_TURN} lines handled) and then lets the others have theirs, so a
flood on one connection delays another's command by at most that much work.
Before login, what a connection does also comes out of one budget all the
anonymous connections share (the factory's C{prelogin_budget}, if it has
one, a L{SharedBudget}: bytes, a message counting as L{COMMAND_COST} and
a line as L{LINE_COST}); waiting for it is not held against the
connection, and the connections waiting for it are served first come,
first served.

Every byte written leaves through one method, L{Door._emit}, and counts
against one bound: once the transport's own buffer is full (the client is
not reading), at most C{max_output} more bytes may pile up before the
connection is dropped and logged; before login, those bytes also count
against the server-wide C{prelogin_buffer} (the factory's C{charge}).
"""

from __future__ import annotations

import ipaddress
from collections import OrderedDict, deque
from typing import Any

from attrs import define, field
from twisted.internet.interfaces import IHandshakeListener, INegotiated
from twisted.internet.protocol import Protocol
from twisted.logger import Logger, LogLevel
from twisted.python.failure import Failure
from zope.interface import implementer

from engine.bans import embedded_ipv4
from engine.interfaces import ClientInfo
from engine.limits import (
    COMMAND_COST,
    LINE_COST,
    QUOTED_CHARS,
    RESERVE,
    InputBudget,
    IntervalLog,
    TokenBucket,
    cut,
    give_back_memory,
)

_log = Logger()

#: Why a connection was dropped when the server ran out of memory serving it.
OUT_OF_MEMORY = "the server ran out of memory while serving it"
#: Bytes of input parsed per connection per turn of the reactor.
WORK_PER_TURN = 1024
#: Protocol messages (telnet commands, websocket messages) handled per
#: connection per turn of the reactor.
MESSAGES_PER_TURN = 64
#: Lines handed to the session per connection per turn of the reactor.
LINES_PER_TURN = 8
#: The least of the budget all connections before login share
#: (C{prelogin_budget}) that a connection parses at once, unless it has or
#: may parse less: waiting connections take chunks worth a parser's call.
SHARED_CHUNK = 512
#: Seconds a connection told to close may take to go (sending what was
#: written) before it is cut: a client that stops reading, or a TLS client
#: that never finished its handshake, would otherwise keep it open for ever.
CLOSE_GRACE = 10.0

#: An item that is a line for the session: it spends the lines budget.
LINE = "line"
#: An item that is a protocol message (a telnet command, a websocket
#: message): it spends the messages budget.
MESSAGE = "message"
#: An item that costs nothing more (its bytes were paid for).
FREE = "free"


def peer_address(transport: Any) -> str:
    """
    The address of the other end of C{transport}, as the limits count it
    and site bans match it, the same at every door: an IPv4 address in
    dotted form, also where a port listening on IPv6 sees it mapped
    (C{::ffff:10.0.0.1} is C{10.0.0.1}: one host, which must not count as
    two, nor pass a ban on C{10.0.}), or carried in IPv6 by NAT64, 6to4 or
    Teredo (L{engine.bans.embedded_ipv4}, which the limits and bans read
    too): the log names the client as they count it.
    """
    peer = transport.getPeer()
    host = str(getattr(peer, "host", peer))
    if ":" in host:
        try:
            carried = embedded_ipv4(ipaddress.IPv6Address(host))
        except ValueError:
            return host
        if carried is not None:
            return str(carried)
    return host


def log_leaving(drops: Any, waiting: bool, counted_as: str, reason: str, text: str,
                level: LogLevel = LogLevel.info, **fields: Any) -> None:
    """
    Log that a connection is dropped, closed or cut for C{reason}, the same
    at every door: while it waits to log in, one count in C{drops} (the
    server's L{engine.limits.IntervalLog}, if given) under C{counted_as},
    its address, not a line of its own (garbage from ever new connections
    is not a line each); once it has logged in, a line of its own at
    C{level}: C{text}, a format with C{{reason}} (cut to
    L{engine.limits.REASON_CHARS}) and C{fields}.
    """
    if waiting and drops is not None:
        drops.note(counted_as, reason)
    else:
        _log.emit(level, text, reason=cut(reason), **fields)


#: The most characters of a failure's traceback the log keeps (its start
#: and its end, where the error is).
MAX_FAILURE_CHARS = 2000


def cut_traceback(text: str) -> str:
    """
    C{text}, a traceback, cut to L{MAX_FAILURE_CHARS}: its start and its end.
    """
    if len(text) <= MAX_FAILURE_CHARS:
        return text
    half = MAX_FAILURE_CHARS // 2
    return (f"{text[:half]}\n... ({len(text) - 2 * half} characters not shown) ...\n"
            f"{text[-half:]}")


class FailureLog:
    """
    The server's own failures that a client can set off again and again
    (an option handler's bug, a door's setup failing), logged so that no
    flood of connections becomes a flood of tracebacks: the first failure
    of each kind (per server) is logged with its traceback; each later one
    is one count in L{counts} (an L{IntervalLog}: a line every few
    seconds saying how many of each kind, and the last address).

    @ivar traced: the kinds whose traceback was logged.
    @ivar counts: the later failures, by kind.
    """

    def __init__(self, clock: Any) -> None:
        self.traced: set[str] = set()
        self.counts = IntervalLog(clock, verb="failed", what="time(s) more (each traceback "
                                  "was logged the first time)", level=LogLevel.error)

    def failed(self, kind: str, address: str, what: str = "") -> None:
        """
        C{kind} (the server's words: C{"telnet option GMCP"}) failed C{what}
        (C{" on a subnegotiation"}, or nothing) for a client at
        C{address}; called in the C{except} block. The first of its kind is
        logged with its traceback, cut (L{cut_traceback}: a client may have
        put what it sent in the error); the rest are counted.
        """
        if kind in self.traced:
            self.counts.note(address, kind + what)
            return
        self.traced.add(kind)
        _log.error("{kind} failed{what} for {address} (later failures of it are counted, "
                   "a line every few seconds):\n{traceback}", kind=kind, what=what,
                   address=cut(address, QUOTED_CHARS),
                   traceback=cut_traceback(Failure().getTraceback()))

    def flush(self) -> None:
        """
        Log the failures counted since the last line now (the server stops).
        """
        self.counts.flush()


def setup_failed(door: str, address: str, transport: Any, failures: FailureLog) -> None:
    """
    Setting up a new connection at C{door} (C{"telnet"}, C{"web"},
    C{"ssh"}) from C{address} raised (called in the C{except} block, the
    door having given back what it counted for it): log it in C{failures}
    (its traceback the first time, the server's own fault; a count after,
    as each new connection may fail so), and cut the connection, which no
    login timer guards and nothing counts any more.
    """
    failures.failed("setting up a " + door + " connection", address)
    abort = getattr(transport, "abortConnection", None)
    if abort is not None:
        abort()
    else:
        transport.loseConnection()


@define
class SharedBudget(TokenBucket):
    """
    The budget all connections before login share (the factory's
    C{prelogin_budget}: C{--prelogin-input-rate} bytes a second), and the
    line of connections waiting for it, first come, first served: while
    any waits, none other may take from it but the one whose turn it is,
    which is woken once there is what it waits for. (Each waiting for its
    own timer, the one whose need came due sooner took first, again and
    again: a connection waiting for a chunk could wait for ever behind
    ones sending a few bytes at a time.)

    @ivar waiting: the doors waiting, first first, each with the tokens it
        waits for.
    @ivar serving: the door whose turn it is, while it takes its turn.
    """

    waiting: OrderedDict[Any, float] = field(factory=OrderedDict, init=False)
    serving: Any = field(default=None, init=False)
    _call: Any = field(default=None, init=False)
    _called_for: Any = field(default=None, init=False)

    def turn(self, door: Any) -> bool:
        """
        Whether C{door} may take from the budget now: none waits, or it is
        its turn.
        """
        return not self.waiting or self.serving is door

    def take_for(self, door: Any, count: float) -> bool:
        """
        Spend C{count} tokens for C{door} if it may take and there are as
        many; return whether it did.
        """
        return self.turn(door) and self.take(count)

    def join(self, door: Any, count: float) -> None:
        """
        C{door} waits for C{count} tokens (at most the budget's capacity):
        at the end of the line, or first again if it is its turn (it took
        what there was and waits for the rest), or where it stands if it
        waits already.
        """
        first = door is self.serving
        self.waiting[door] = min(count, self.capacity)
        if first:
            self.waiting.move_to_end(door, last=False)
        self._schedule()

    def leave(self, door: Any) -> None:
        """
        C{door} waits no more (it logged in, or went).
        """
        if self.waiting.pop(door, None) is not None:
            self._schedule()

    def _schedule(self) -> None:
        # One timer, for the first in line: set again only when that changes.
        head = next(iter(self.waiting), None)
        if head is self._called_for and self._call is not None:
            return
        if self._call is not None and self._call.active():
            self._call.cancel()
        self._call = self._called_for = None
        if head is not None:
            self._called_for = head
            self._call = self.clock.callLater(self.wait(self.waiting[head]), self._wake)

    def _wake(self) -> None:
        # Serve those first in line, in turn, while there is what each
        # waits for; each once (one that waits again goes to the end).
        self._call = self._called_for = None
        for _ in range(len(self.waiting)):
            door, count = next(iter(self.waiting.items()))
            if self.available() < count:
                break
            del self.waiting[door]
            self.serving = door
            try:
                door._pump()
            finally:
                self.serving = None
        self._schedule()


@implementer(IHandshakeListener)
class Door(Protocol):
    """
    One connection's bounded reader and writer.

    @ivar factory: what made it: its C{limits}, C{clock} and C{charge}.
    @ivar budget: the connection's L{InputBudget}.
    @ivar session: the L{engine.interfaces.ISession} it drives, once there
        is one.
    @ivar lost: the connection is gone (C{connectionLost} was called).
    """

    transport: Any
    #: What the log calls this door's messages when they are held back.
    MESSAGES = "messages"

    def __init__(self, factory: Any) -> None:
        self.factory = factory
        self.limits = factory.limits
        self.clock = factory.clock
        self.budget = InputBudget(self.clock, self.limits)
        self.session: Any = None
        self.lost = False
        self._closed = False
        self._dropped = False
        self._unparsed = b""
        self._pending: deque[Any] = deque()
        self._wakeup: Any = None
        #: The shared budget it waits for, in line, if it does.
        self._waits_for: SharedBudget | None = None
        self._reading = True
        self._paused = False
        self._paused_bytes = 0
        self._charged = 0
        self._cut_call: Any = None
        self._handshaken = False

    # -- what a door is made of (subclasses) --------------------------------

    @property
    def address(self) -> str:
        """
        The peer's address, for the log.
        """
        raise NotImplementedError

    @property
    def client(self) -> ClientInfo:
        """
        What the session knows of the client (its address, as limits count
        it, and more).
        """
        raise NotImplementedError

    def _parse(self, chunk: bytes) -> None:
        """
        Read C{chunk} (already paid for), adding what it holds to
        C{self._pending}.
        """
        raise NotImplementedError

    def _kind(self, item: Any) -> str:
        """
        What handling C{item} costs: L{LINE}, L{MESSAGE} or L{FREE}.
        """
        raise NotImplementedError

    def _handle(self, item: Any) -> None:
        """
        Handle one item, its cost paid.
        """
        raise NotImplementedError

    def _encode(self, data: bytes) -> bytes:
        """
        C{data} as it goes on the wire (telnet compresses it).
        """
        return data

    # -- bytes in ---------------------------------------------------------------

    def dataReceived(self, data: bytes) -> None:
        if self._closed:
            return
        self._unparsed = self._unparsed + data if self._unparsed else data
        if len(self._unparsed) > max(4 * WORK_PER_TURN, 1 << 20):
            # Reading is stopped while input waits: only a transport that
            # ignores that could get here.
            self._drop("input overflow: it kept sending while reading was stopped")
            return
        if self._waits_for is not None:
            if not self.authenticated:
                return  # (it is woken in its turn)
            # It waited for the anonymous connections' budget and has
            # logged in since: that budget is no longer its own.
            self._leave_line()
        if self._wakeup is None:
            self._pump()

    def _pump(self) -> None:
        self._wakeup = None
        self._waits_for = None
        try:
            self._work()
        except MemoryError:
            self._out_of_memory()

    def _work(self) -> None:
        # One turn: parse and handle up to WORK_PER_TURN bytes,
        # MESSAGES_PER_TURN messages and LINES_PER_TURN lines within the
        # budget; then let others run.
        parsed = lines = messages = 0
        budget = self.budget
        while not self._closed:
            # Before login, the work also comes out of the budget all
            # anonymous connections share.
            shared = None if self.authenticated else getattr(self.factory, "prelogin_budget",
                                                             None)
            if self._pending:
                kind = self._kind(self._pending[0])
                if kind == LINE:
                    if lines >= LINES_PER_TURN:
                        return self._later(0)
                    if not budget.lines.available():
                        return self._hold(budget.lines, 1, "lines")
                    if shared is not None and not shared.take_for(self, LINE_COST):
                        return self._wait_for(shared, LINE_COST)
                    budget.lines.take()
                    lines += 1
                elif kind == MESSAGE:
                    if messages >= MESSAGES_PER_TURN:
                        return self._later(0)
                    if not budget.commands.available():
                        return self._hold(budget.commands, 1, self.MESSAGES)
                    if shared is not None and not shared.take_for(self, COMMAND_COST):
                        return self._wait_for(shared, COMMAND_COST)
                    budget.commands.take()
                    messages += 1
                self._handle(self._pending.popleft())
                continue
            if not self._unparsed:
                break
            if parsed >= WORK_PER_TURN:
                return self._later(0)
            size = min(WORK_PER_TURN - parsed, len(self._unparsed), budget.bytes.available())
            if size <= 0:
                return self._hold(budget.bytes, min(WORK_PER_TURN, len(self._unparsed)),
                                  "bytes")
            if shared is not None:
                # A chunk worth parsing, or wait for one: not the scraps
                # another waiting connection left (under a flood, each
                # scrap cost a parser's call for a few bytes).
                available = shared.available() if shared.turn(self) else 0
                if available < min(size, SHARED_CHUNK):
                    return self._wait_for(shared, min(WORK_PER_TURN, len(self._unparsed)))
                size = min(size, available)
                shared.take(size)
            chunk, self._unparsed = self._unparsed[:size], self._unparsed[size:]
            budget.bytes.take(size)
            parsed += size
            self._parse(chunk)
        self._read(True)

    def _later(self, delay: float) -> None:
        self._read(False)
        if not self._closed:
            self._wakeup = self.clock.callLater(delay, self._pump)

    def _wait_for(self, shared: SharedBudget, count: float) -> None:
        # Wait in line for C{count} of the budget all connections before
        # login share; it is woken in its turn.
        self._read(False)
        if not self._closed:
            self._waits_for = shared
            shared.join(self, count)

    def _leave_line(self) -> None:
        line, self._waits_for = self._waits_for, None
        if line is not None:
            line.leave(self)

    def _hold(self, bucket: TokenBucket, count: int, what: str) -> None:
        wait = bucket.wait(count)
        if self.budget.hold(wait):
            self._drop(f"held back over {self.limits.throttle_drop:g} seconds for sending "
                       f"too fast ({what})")
            return
        self._later(wait)

    def _read(self, on: bool) -> None:
        # Start or stop reading from the socket.
        if on == self._reading or self._closed:
            return
        self._reading = on
        change = getattr(self.transport, "resumeProducing" if on else "pauseProducing", None)
        if change is not None:
            change()

    # -- bytes out ----------------------------------------------------------------

    def _emit(self, data: bytes) -> None:
        """
        Write C{data} to the client: the one way out, so that everything
        written counts against C{max_output}.
        """
        if self._closed or not data or self.transport is None:
            return
        try:
            data = self._encode(data)
            if self._paused:
                self._paused_bytes += len(data)
                if self._paused_bytes > self.limits.max_output:
                    self._drop(f"it stopped reading and over {self.limits.max_output} bytes "
                               "piled up")
                    return
                if not self.authenticated and self._charge(len(data)):
                    self._drop("the connections waiting to log in hold over "
                               f"{self.limits.prelogin_buffer} bytes (--prelogin-buffer)")
                    return
            self.transport.write(data)
        except MemoryError:
            self._out_of_memory()

    @property
    def waiting(self) -> bool:
        """
        Whether it has not logged in: its drop is one count in the
        factory's C{drops} (L{engine.limits.IntervalLog}), not a line of its own.
        """
        return not self.authenticated

    def _log_drop(self, reason: str) -> None:
        """
        Log that it was dropped or closed for C{reason}: a line of its own
        once it has logged in, one count in the factory's C{drops} before.
        """
        log_leaving(getattr(self.factory, "drops", None), self.waiting, self.client.address,
                    reason, "dropping {address}: {reason}", LogLevel.warn, address=self.address)

    def _log_closing(self, door: str, reason: str) -> None:
        """
        Log that it is being closed for C{reason}: a line of its own (saying
        which C{door}: C{"telnet"}, C{"web"}) once it has logged in, one
        count in the factory's C{drops} (L{engine.limits.IntervalLog}) before.
        """
        log_leaving(self.factory.drops, self.waiting, self.client.address, reason,
                    "closing " + door + " connection from {address}: {reason}",
                    address=self.client.address)

    @property
    def authenticated(self) -> bool:
        """
        Whether the session has logged in.
        """
        return bool(getattr(self.session, "authenticated", False))

    def _charge(self, size: int) -> bool:
        self._charged += size
        return bool(self.factory.charge(size))

    def _discharge(self) -> None:
        if self._charged:
            self.factory.charge(-self._charged)
        self._charged = 0
        self._paused_bytes = 0

    def pauseProducing(self) -> None:
        """
        The transport's buffer is full: the client is not reading.
        """
        if not self._paused:
            self._paused = True
            self._discharge()

    def resumeProducing(self) -> None:
        """
        The client caught up.
        """
        self._paused = False
        self._discharge()

    def stopProducing(self) -> None:
        """
        The connection is going away.
        """
        self._closed = True

    # -- the end --------------------------------------------------------------------

    def _gone(self, reason: Any) -> None:
        """
        What every door does when its connection is lost: give back what it
        held and tell the session, once. A connection lost because the
        server ran out of memory reading it (in Twisted's read, before a
        byte reached the door) is logged as one dropped for that
        (L{_out_of_memory}), as one the door's own reading dropped.
        """
        # (not C{_closed}: Twisted stops a producing door before it says the
        # connection is lost; a door that dropped it has logged why already)
        if not self._dropped and not self.lost and getattr(reason, "check", None) is not None \
                and reason.check(MemoryError):
            # What it holds first, then the log line: under the memory's
            # limit the line may fail, and giving back must not.
            self._spend_reserve()
            self._pending.clear()
            self._unparsed = b""
            self._dropped = True
            try:
                self._log_drop(OUT_OF_MEMORY)
            except MemoryError:
                pass  # (the rest below gives back what it held all the same)
        self._closed = True
        self.lost = True
        self.factory.open.discard(self)
        self._discharge()
        if self._wakeup is not None and self._wakeup.active():
            self._wakeup.cancel()
        self._wakeup = None
        self._leave_line()
        if self._cut_call is not None and self._cut_call.active():
            self._cut_call.cancel()
        self._cut_call = None
        self._pending.clear()
        self._unparsed = b""
        if self._dropped:
            # It may have held a lot (up to its bounds): give it back.
            # (Once for many drops, where the factory gathers them.)
            gather = getattr(self.factory, "give_back_memory", None)
            if gather is not None:
                gather()
            else:
                self.clock.callLater(0, give_back_memory)
        message = "connection lost"
        if hasattr(reason, "getErrorMessage"):
            message = reason.getErrorMessage()
        self._deliver_lost_once(message)

    def handshakeCompleted(self) -> None:
        """
        The TLS handshake is done (over a TLS port): what is written can
        now be sent.
        """
        self._handshaken = True

    @property
    def unreachable(self) -> bool:
        """
        Whether nothing written can reach the client: over TLS, its
        handshake is not done (TLS holds what is written until it is, and
        waits for it for ever before closing).
        """
        return INegotiated.providedBy(self.transport) and not self._handshaken

    def _lose(self) -> None:
        """
        Close the connection once what was written is sent, and cut it if
        it has not gone within L{CLOSE_GRACE} seconds. A TLS connection
        whose handshake is not done is cut at once: nothing written can
        reach that client.
        """
        transport = self.transport
        if self.unreachable:
            transport.abortConnection()
            return
        # TLS sends its close only once no producer is registered (TCP
        # does not care): the door produces no more.
        unregister = getattr(transport, "unregisterProducer", None)
        if unregister is not None:
            unregister()
        transport.loseConnection()
        if INegotiated.providedBy(transport):
            # TLS would wait for the client's close too, which a client that
            # floods us (read no more) or never answers never sends: ours is
            # written, so TCP closes once it is sent (TLS allows it, RFC 8446 §6.1).
            lower = getattr(transport, "transport", None)
            if lower is not None:
                lower.loseConnection()
        self._cut_later()

    def _cut_later(self) -> None:
        """
        The connection was told to close: cut it if it has not gone within
        L{CLOSE_GRACE} seconds.
        """
        self._cut_call = self.clock.callLater(CLOSE_GRACE, self._cut)

    def _cut(self) -> None:
        # Closing took too long: abort (nothing more can be sent anyway).
        self._cut_call = None
        abort = getattr(self.transport, "abortConnection", None)
        if not self.lost and abort is not None:
            log_leaving(getattr(self.factory, "drops", None), self.waiting,
                        self.client.address,
                        f"not closing within {CLOSE_GRACE:g} seconds of being told to",
                        "cut the connection from {address}: it did not close within "
                        "{grace:g} seconds", address=self.address, grace=CLOSE_GRACE)
            abort()

    def _deliver_lost_once(self, reason: str) -> None:
        session, self.session = self.session, None
        if session is not None:
            session.disconnected(reason)

    def _drop(self, reason: str) -> None:
        """
        Drop the connection at once (nothing more is sent), and log why.
        """
        if self._closed:
            return
        self._log_drop(reason)
        self._closed = self._dropped = True
        self._leave_line()
        self._pending.clear()
        self._unparsed = b""
        self._discharge()
        abort = getattr(self.transport, "abortConnection", None)
        if abort is not None:
            abort()
        else:
            self.transport.loseConnection()
        self._deliver_lost_once(reason)

    def _out_of_memory(self) -> None:
        # Give back the reserve so the rest can run, drop this connection
        # (its buffers go with it), and take the reserve again later.
        self._spend_reserve()
        if self._closed:
            if self.transport is not None and hasattr(self.transport, "abortConnection"):
                self.transport.abortConnection()
        else:
            self._drop(OUT_OF_MEMORY)

    def _spend_reserve(self) -> None:
        # The memory set aside, given back so what follows a MemoryError can
        # run, and taken again a second later: scheduled first, before
        # anything that may itself run out of memory.
        RESERVE.release()
        self.clock.callLater(1.0, RESERVE.arm)
