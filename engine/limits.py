# -*- test-case-name: tests.engine.test_limits,tests.engine.test_fuzz -*-
"""
The limits at the edge: how much one connection, one address and the whole
server may ask for. Every limit is an option of C{tessera run} and has a test.

Time comes from an injected clock (L{twisted.internet.interfaces.IReactorTime}).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import ipaddress
import math
import sys
from collections import deque
from typing import Any

from attrs import define, field, frozen
from twisted.logger import Logger, LogLevel

from engine import bans
from engine.bans import embedded_ipv4

_log = Logger()

#: Seconds between two log lines about refused connections.
REFUSAL_LOG_INTERVAL = 10.0


@frozen
class Limits:
    """
    Every configurable edge limit, with its default.

    @ivar max_line: bytes in one input line (longer lines are refused).
    @ivar max_output: bytes that may pile up for a client that stops reading
        before it is dropped.
    @ivar command_rate: commands per second a session may sustain.
    @ivar command_burst: commands a session may send at once before the rate
        applies (a MUD client's pasted or stacked commands).
    @ivar connections_per_minute: new connections one address may open per minute.
    @ivar failed_logins: failed logins one address may make per
        C{failed_login_window} seconds before further attempts are refused.
    @ivar failed_login_window: seconds over which failed logins are counted.
    @ivar creations_per_hour: characters one address may create per hour.
    @ivar login_timeout: seconds a connection may stay without logging in.
    @ivar max_sessions: connections the server holds at once.
    @ivar max_subnegotiation: bytes of one telnet subnegotiation (longer ones
        are ignored).
    @ivar negotiation_rate: telnet option changes per second one connection
        may ask for; past C{negotiation_burst} at once, more are ignored, and
        a connection that goes on far past it (a negotiation storm) is
        dropped.
    @ivar negotiation_burst: option changes one connection may ask for at once.
    @ivar input_rate: bytes per second one connection may send; past
        C{input_burst} at once, the server stops reading from it until it is
        within its rate again.
    @ivar input_burst: bytes one connection may send at once.
    @ivar telnet_command_rate: telnet commands (negotiations, subnegotiations
        and the like) per second one connection may send; past five seconds'
        worth at once, reading stops as for C{input_rate}.
    @ivar throttle_drop: seconds one connection may be held back for sending
        too fast (counted over about a minute) before it is dropped.
    @ivar max_prelogin: connections that have not logged in the server holds
        at once; further ones are refused until some log in or leave.
    @ivar prelogin_per_address: connections from one address (an IPv6
        address's /64 being one) that may wait to log in at once, at every
        door together; the next from it is refused, so that a few addresses
        cannot fill C{max_prelogin}.
    @ivar prelogin_buffer: bytes the server holds, in all, for connections
        that have not logged in (output they have not read); the connection
        that would go past it is dropped.
    @ivar mail_per_hour: messages one character may send an hour (each
        recipient counts); more are refused with a message.
    @ivar prelogin_input_rate: the work per second all connections that have
        not logged in may ask of the server together, in bytes (a telnet
        command counts as L{COMMAND_COST} bytes, a line as L{LINE_COST});
        past four seconds' worth at once they wait, however many they are,
        so that anonymous connections never take more than this share of
        the server from the players in the world.
    @ivar connection_rate: new connections per second the server takes, from
        all addresses together; past C{connection_burst} at once, more are
        told to try again and closed.
    @ivar connection_burst: new connections the server takes at once.
    """

    max_line: int = 8192
    max_output: int = 256 * 1024
    command_rate: float = 10.0
    command_burst: int = 30
    connections_per_minute: int = 30
    failed_logins: int = 5
    failed_login_window: float = 300.0
    creations_per_hour: int = 5
    login_timeout: float = 300.0
    max_sessions: int = 500
    max_subnegotiation: int = 8192
    negotiation_rate: float = 20.0
    negotiation_burst: int = 100
    input_rate: int = 32 * 1024
    input_burst: int = 256 * 1024
    telnet_command_rate: float = 100.0
    throttle_drop: float = 30.0
    max_prelogin: int = 250
    prelogin_per_address: int = 16
    prelogin_buffer: int = 16 * 1024 * 1024
    mail_per_hour: int = 30
    prelogin_input_rate: int = 64 * 1024
    connection_rate: float = 20.0
    connection_burst: int = 250


#: What a telnet command costs of the shared pre-login budget, in bytes.
COMMAND_COST = 64
#: What a line costs of the shared pre-login budget, in bytes.
LINE_COST = 256


@define
class TokenBucket:
    """
    A token bucket: C{capacity} tokens, refilled at C{rate} per second.
    """

    clock: Any
    rate: float
    capacity: float
    tokens: float = field(default=-1.0)
    stamp: float = field(default=-1.0)

    def __attrs_post_init__(self) -> None:
        self.tokens = self.capacity
        self.stamp = self.clock.seconds()

    def take(self, count: float = 1) -> bool:
        """
        Spend C{count} tokens if there are as many; return whether there were.
        """
        self._refill()
        if self.tokens >= count:
            self.tokens -= count
            return True
        return False

    def available(self) -> int:
        """
        Whole tokens there are now.
        """
        self._refill()
        return max(0, int(self.tokens))

    def wait(self, count: float = 1) -> float:
        """
        Seconds until there are C{count} tokens.
        """
        return max(0.0, (count - self.tokens) / self.rate) if self.rate > 0 else float("inf")

    def _refill(self) -> None:
        now = self.clock.seconds()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now


#: Reasons an L{IntervalLog} counts apart; more go under "other reasons".
DROP_REASONS = 16
#: Characters of a reason an L{IntervalLog} keeps; a longer one is cut.
REASON_CHARS = 120
#: Characters of a client's text a log line quotes (L{quoted}); more are cut.
QUOTED_CHARS = 60


def cut(text: str, limit: int = REASON_CHARS) -> str:
    """
    C{text}, or its first characters and an ellipsis, at most C{limit}
    characters in all: no reason or address in a log line is long,
    whoever made it.
    """
    return text if len(text) <= limit else text[:max(0, limit - 1)] + "\N{HORIZONTAL ELLIPSIS}"


def quoted(text: str | bytes, limit: int = QUOTED_CHARS) -> str:
    """
    What a client sent (C{text}: a terminal type, a user name, a version
    string), for a log line: quoted with its control characters escaped
    (C{repr}), at most C{limit} characters of it, saying how many more
    there were. Every door quotes a client's text in its log lines through
    this, never whole.
    """
    more = len(text) - limit
    shown = repr(text[:limit])
    return shown if more <= 0 else f"{shown}\N{HORIZONTAL ELLIPSIS} ({more} more)"


@define
class IntervalLog:
    """
    Logs connections refused or dropped (before they logged in) at most
    once every C{interval} seconds, each line saying how many since the
    last, for each reason: a flood of them (a botnet's, from ever new
    addresses, or an attacker opening connection after connection to send
    garbage) must not become a flood of log lines, each a write to the log
    and a wakeup of its reader. What is counted after a line is logged
    C{interval} seconds after it (one timer, not one a connection), or
    when the server stops (L{flush}), not only when the next one comes.

    Reasons are the server's words, short fixed phrases (what the
    connection sent is never part of one: each distinct text would take
    one of the L{DROP_REASONS}); whatever a door gives is cut to
    L{REASON_CHARS} all the same, so no door can make a line long. The
    log's text file puts a tab after any newline, so no text can begin a
    line.

    @ivar verb: what happened to them, the log line's first word (C{"refused"}).
    @ivar what: what they were, for the log line.
    @ivar count: connections since the last line.
    @ivar reasons: those connections, by reason (at most L{DROP_REASONS}
        reasons; more are counted as "other reasons").
    @ivar address: the address of the last of them.
    """

    clock: Any
    verb: str = "dropped"
    what: str = "connection(s) before they logged in"
    level: LogLevel = LogLevel.info
    interval: float = REFUSAL_LOG_INTERVAL
    count: int = 0
    reasons: dict[str, int] = field(factory=dict)
    address: str = ""
    logged: float = -math.inf
    _call: Any = None

    @classmethod
    def refusals(cls, clock: Any) -> IntervalLog:
        """
        The log of connections refused before they were let in (a warning:
        the server is full, or under a flood).
        """
        return cls(clock, verb="refused", what="connection(s)", level=LogLevel.warn)

    @classmethod
    def drops(cls, clock: Any) -> IntervalLog:
        """
        The log of connections dropped or closed before they logged in (for
        sending garbage or too much, not logging in in time, hanging up).
        """
        return cls(clock)

    def note(self, address: str, why: str) -> None:
        """
        Count one connection from C{address}, refused or dropped for C{why}
        (a reason that does not name the address); log the counts if the
        last line is C{interval} seconds old, or else in as many seconds
        as it has left.
        """
        self.count += 1
        self.address = cut(address, QUOTED_CHARS)
        why = cut(why)
        reasons = self.reasons
        if why not in reasons and len(reasons) >= DROP_REASONS:
            why = "other reasons"
        reasons[why] = reasons.get(why, 0) + 1
        now = self.clock.seconds()
        if now >= self.logged + self.interval:
            self.flush()
        elif self._call is None:
            self._call = self.clock.callLater(self.logged + self.interval - now, self._due)

    def _due(self) -> None:
        self._call = None
        self.flush()

    def flush(self) -> None:
        """
        Log what was counted since the last line now, if anything (the
        server is stopping, or the line is due).
        """
        if self._call is not None:
            if self._call.active():
                self._call.cancel()
            self._call = None
        if not self.count:
            return
        _log.emit(self.level, self.verb + " {count} {what} (the last from {address}): {why}",
                  count=self.count, what=self.what, address=self.address,
                  why="; ".join(f"{reason} ({n})" for reason, n in self.reasons.items()))
        self.count = 0
        self.reasons = {}
        self.logged = self.clock.seconds()


@define
class Prelogin:
    """
    The connections waiting to log in, at every door of the server together
    (for C{max_prelogin}), with how many at each door and from each address
    (for C{prelogin_per_address}). Each door counts one
    as a connection arrives and takes it back as it logs in or goes, so that
    admitting a new connection is one comparison, not a look at every open
    connection of every door.

    @ivar limit: how many may wait at once, at all doors together.
    @ivar per_address: how many from one address may wait at once, at all
        doors together.
    @ivar doors: how many wait at each door, by its name (C{"telnet"},
        C{"tls"}, C{"web"}, C{"ssh"}); a door with none is absent.
    @ivar addresses: how many wait from each address (an IPv6 address's
        being its /64's, L{network_of}); an address with none is absent.
    @ivar total: how many wait in all.
    """

    limit: int
    per_address: int = 16
    doors: dict[str, int] = field(factory=dict)
    addresses: dict[str, int] = field(factory=dict)
    total: int = 0

    def full(self) -> bool:
        """
        Whether as many connections wait as may: the next is refused.
        """
        return self.total >= self.limit

    def crowded(self, address: str) -> bool:
        """
        Whether as many connections from C{address} (or its IPv6 /64) wait
        as may: its next is refused.
        """
        return self.addresses.get(network_of(address), 0) >= self.per_address

    def waiting_from(self, address: str) -> int:
        """
        How many connections from C{address} (or its IPv6 /64) wait, at
        every door.
        """
        return self.addresses.get(network_of(address), 0)

    def arrived(self, door: str, address: str) -> None:
        """
        One more connection, from C{address}, waits at C{door}.
        """
        self.total += 1
        self.doors[door] = self.doors.get(door, 0) + 1
        key = network_of(address)
        self.addresses[key] = self.addresses.get(key, 0) + 1

    def settled(self, door: str, address: str) -> None:
        """
        One connection from C{address} at C{door} no longer waits (it
        logged in, or went).
        """
        _less(self.doors, door)
        _less(self.addresses, network_of(address))
        self.total -= 1


def use_nat64_prefix(network: ipaddress.IPv6Network | None) -> None:
    """
    Read C{network}, the operator's own NAT64 prefix (C{--nat64-prefix}),
    as carrying IPv4 addresses, at every door, limit and ban
    (L{engine.bans.use_nat64_prefix}), forgetting what L{network_of} read
    before.
    """
    bans.use_nat64_prefix(network)
    network_of.cache_clear()


@functools.lru_cache(maxsize=4096)  # (each limit asks it again for one connection's address)
def network_of(address: str) -> str:
    """
    What every limit per address (L{Prelogin}, L{AddressWindow}: the
    connection rate, failed logins, characters created) and the site ban
    count C{address} as: an IPv6 address as its /64
    (C{2001:db8:1:2::/64}), which one machine or one network is given
    whole, so that a client cannot be billions of addresses; an IPv6
    address carrying an IPv4 address (IPv4-mapped C{::ffff:10.0.0.1},
    NAT64 C{64:ff9b::10.0.0.1}, 6to4, Teredo: L{engine.bans.embedded_ipv4})
    as that IPv4 address, so that the IPv4 clients of a server behind a
    NAT64 translator are not all one; any other (an IPv4 address, a name)
    as it is.
    """
    if ":" not in address:
        return address
    try:
        parsed = ipaddress.IPv6Address(address)
    except ValueError:
        return address
    carried = embedded_ipv4(parsed)
    if carried is not None:
        return str(carried)
    return str(ipaddress.IPv6Network((parsed, 64), strict=False))


def _less(counts: dict[str, int], key: str) -> None:
    """
    Count one less for C{key} in C{counts}, dropping a key counted none.
    """
    left = counts[key] - 1
    if left:
        counts[key] = left
    else:
        del counts[key]


@define
class RateWindow:
    """
    Counts events per key (an address) over a sliding window of C{window}
    seconds, allowing at most C{limit}.
    """

    clock: Any
    limit: int
    window: float
    events: dict[str, deque] = field(factory=dict)

    def _key(self, key: str) -> str:
        """
        What C{key} is counted as (itself).
        """
        return key

    def _recent(self, key: str) -> deque:
        key = self._key(key)
        now = self.clock.seconds()
        times = self.events.get(key)
        if times is None:
            return deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self.events[key]
        return times

    def count(self, key: str) -> int:
        """
        Events for C{key} within the window.
        """
        return len(self._recent(key))

    def allowed(self, key: str) -> bool:
        """
        Whether another event for C{key} is within the limit (without recording).
        """
        return self.count(key) < self.limit

    def record(self, key: str) -> None:
        """
        Note one event for C{key}.
        """
        self._recent(key)
        self.events.setdefault(self._key(key), deque()).append(self.clock.seconds())
        if len(self.events) > 100_000:  # bound memory under address floods
            self.prune()

    def retry_after(self, key: str) -> float:
        """
        Seconds until C{key} is under its limit again.
        """
        times = self._recent(key)
        if len(times) < self.limit:
            return 0.0
        return max(0.0, times[len(times) - self.limit] + self.window - self.clock.seconds())

    def prune(self) -> None:
        """
        Forget keys with no recent events.
        """
        for key in list(self.events):
            self._recent(key)


class AddressWindow(RateWindow):
    """
    A L{RateWindow} per address, counting each as L{network_of} does (the
    addresses of one IPv6 /64 together, an IPv6 address carrying an IPv4
    address as that IPv4 address), as every limit per address does.
    """

    def _key(self, key: str) -> str:
        return network_of(key)


@define
class InputBudget:
    """
    What one connection may send: bytes, telnet commands and lines per
    second (each a L{TokenBucket}), and how long it has been held back for
    going past them.

    A connection over its budget is not read from (the kernel's buffers, then
    TCP, hold the sender back) until it is within it again; each such wait is
    added to L{pressure}, which decays by a factor C{e} every C{window}
    seconds. Past C{drop_after} seconds of pressure the connection
    is dropped: a client that floods without pause is gone within about
    C{drop_after} seconds, while a burst now and then never adds up.
    """

    clock: Any
    limits: Limits
    window: float = 60.0
    pressure: float = 0.0
    stamp: float = 0.0
    bytes: TokenBucket = field(init=False)
    commands: TokenBucket = field(init=False)
    lines: TokenBucket = field(init=False)

    def __attrs_post_init__(self) -> None:
        limits, clock = self.limits, self.clock
        self.bytes = TokenBucket(clock, limits.input_rate, limits.input_burst)
        self.commands = TokenBucket(clock, limits.telnet_command_rate,
                                    limits.telnet_command_rate * 5)
        # Lines: ten times the session's own command rate, so that the session
        # (which answers "too fast") is what players meet, and a script pasted
        # into the editor (whose lines are not commands) goes in at once.
        self.lines = TokenBucket(clock, max(100.0, limits.command_rate * 10),
                                 max(1000, limits.command_burst * 10))
        self.stamp = clock.seconds()

    def hold(self, seconds: float) -> bool:
        """
        The connection is held back for C{seconds}; return whether it has
        now been held back so much that it should be dropped.
        """
        now = self.clock.seconds()
        self.pressure = self.pressure * math.exp(-(now - self.stamp) / self.window) + seconds
        self.stamp = now
        return self.pressure > self.limits.throttle_drop


class MemoryReserve:
    """
    A few MiB set aside at start, given back when the process runs out of
    memory, so that what follows a L{MemoryError} (dropping the connection
    being served, writing the log line) has room to run; taken again later.

    Process-wide, as the address-space limit it stands behind is.
    """

    def __init__(self, size: int = 4 * 1024 * 1024) -> None:
        self.size = size
        self._ballast: bytearray | None = None

    @property
    def armed(self) -> bool:
        """
        Whether the reserve is held.
        """
        return self._ballast is not None

    def arm(self) -> bool:
        """
        Take the reserve (again); return whether that worked.
        """
        if self._ballast is None:
            try:
                self._ballast = bytearray(self.size)
            except MemoryError:
                return False
        return True

    def release(self) -> None:
        """
        Give the reserve back.
        """
        self._ballast = None


#: The server process's reserve (armed by L{engine.tap.limit_address_space}).
RESERVE = MemoryReserve()


def reserve_stack(size: int = 4 * 1024 * 1024) -> int:
    """
    Grow the main thread's stack now, by up to C{size} bytes (never past
    the stack limit), so that it never has to grow later.

    Why: under an address-space limit (C{RLIMIT_AS}), growing the stack
    needs new address space like any allocation; when there is none the
    kernel cannot grow it and kills the process with C{SIGSEGV}, with no
    Python exception and no log line. That is how a server that met
    L{MemoryError} died: the next deeper call than any before it faulted.
    The stack is grown by one deep C-level recursion (the C{repr} of nested
    lists), before the limit is set; its pages stay mapped.

    @return: the stack's size afterwards, in bytes (0 if unknown).
    """
    import resource  # POSIX only: imported when the stack is reserved, not on import

    soft, _hard = resource.getrlimit(resource.RLIMIT_STACK)
    if soft != resource.RLIM_INFINITY:
        size = min(size, soft - 512 * 1024)
    # Each level of the repr below takes ~150 bytes of C stack.
    depth = max(0, size // 160)
    nested: list[Any] = []
    for _ in range(depth):
        nested = [nested]
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, depth + 1000))
    try:
        repr(nested)
    except (RecursionError, MemoryError):
        pass
    finally:
        sys.setrecursionlimit(limit)
        # Taking the chain apart one link at a time: freeing it whole would
        # recurse as deep again.
        while nested:
            nested = nested[0]
    return stack_size()


def stack_size() -> int:
    """
    The main thread's stack mapping, in bytes (0 where /proc is not there).
    """
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                if line.rstrip().endswith("[stack]"):
                    low, high = line.split()[0].split("-")
                    return int(high, 16) - int(low, 16)
    except OSError:
        pass
    return 0


def give_back_memory() -> None:
    """
    Ask the C allocator to return free memory to the system (glibc's
    C{malloc_trim}), after a connection that held a lot is gone; elsewhere
    nothing happens.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


class MemoryReturn:
    """
    Gives freed memory back (L{give_back_memory}) a moment after a
    connection that may have held a lot is gone: once for all the
    connections gone within C{delay} seconds, since each trim walks the
    whole heap.
    """

    def __init__(self, clock: Any, delay: float = 1.0) -> None:
        self.clock = clock
        self.delay = delay
        self.listening = False
        self._call: Any = None

    def start(self) -> None:
        """
        The door listens: returns may be made.
        """
        self.listening = True

    def soon(self) -> None:
        """
        Give freed memory back within C{delay} seconds (not once the door
        has stopped listening: the process gives it all back soon).
        """
        if not self.listening:
            return
        if self._call is None or not self._call.active():
            self._call = self.clock.callLater(self.delay, give_back_memory)

    def cancel(self) -> None:
        """
        Forget a pending return (the door is closing).
        """
        self.listening = False
        if self._call is not None and self._call.active():
            self._call.cancel()
        self._call = None


@functools.cache
def _malloc_trim() -> Any:
    # Looked up once: find_library runs ldconfig in a child process, far too
    # slow to do for every dropped connection.
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        return ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
