"""
The limits at the edge: how much one connection, one address and the whole
server may ask for. Every limit is an option of C{tessera run} and has a test.

Time comes from an injected clock (L{twisted.internet.interfaces.IReactorTime}).
"""

from __future__ import annotations

from collections import deque
from typing import Any

from attrs import define, field, frozen


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

    def take(self) -> bool:
        """
        Spend one token if there is one; return whether there was.
        """
        now = self.clock.seconds()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False

    def wait(self) -> float:
        """
        Seconds until the next token.
        """
        return max(0.0, (1 - self.tokens) / self.rate) if self.rate > 0 else float("inf")


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

    def _recent(self, key: str) -> deque:
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
        self.events.setdefault(key, deque()).append(self.clock.seconds())
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
