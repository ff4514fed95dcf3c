# -*- test-case-name: tests.scripts.test_meters,tests.redteam_world.test_r9_ceiling -*-
"""
What each owner's scripts have spent lately, and whether they must rest.

One L{Meters} per server, kept in memory (a restart forgets it): the ticks
each owner's scripts used, the seconds of the server's own time they took,
and the tokens of their output rate. An owner whose scripts used more than
L{CPU_TICKS} ticks, or took more than L{CPU_SECONDS} of the server's time, in
the last L{CPU_WINDOW} seconds I{rests}: their scripts run nothing until the
window has passed. What a player wakes of an owner's scripts (his verbs
she types, his handlers her actions wake) is charged to the owner and
also to the pair (owner, player), kept apart for at most L{MAX_PAIRS}
pairs, so that the runtime can rest that player's wakes alone
(L{engine.scripts.runtime.PLAYER_PART}); what players wake of the world's
own scripts (owner None), which every player uses, is charged to their
pairs alone, never to a share of the world's that a few players could
spend for everyone (the world's share is its own timers'; @quota still
lists all its ticks). The runtime charges here;
C{@quota} reads here.

Across owners, a ceiling (L{SERVER_SECONDS}) on the server's time all
scripts take together, so that many accounts each under its own share
cannot keep the server busy. Each second of it is counted toward the
account whose doing it was (L{toward}, L{Meters.caused}): the player who
chose to wake it (a verb of a thing she named, whoever's it is, not a
room's answering a word that named nothing; any of the world's scripts
her doing woke); else the owner who paid: as his own doing (his
timers, saves, building, what his own scripts woke) or as what others
woke of his scripts that they did not choose (his handlers their actions
woke, timers their doing set), which an owner who listens chooses to
answer, and a player cannot be made to pay for by walking into a room of
others' listening things. Past the ceiling, the accounts over a max-min
fair level (L{Meters.level}, L{fair_level}) are held (L{Meters.held}),
the heaviest first: what others woke of an owner's scripts as soon as
all counted toward him is over it, his own doings only once they alone
are, so that others' wakes cannot hold his own timers; an account under
the level is never held, and many accounts that took little cannot lower
it for the others.

Time comes from the injected clock (C{IReactorTime}); the server's own
elapsed time from an injected C{cpu_time} reader, so that tests can make a
run cost what they say; by default the performance counter less the
garbage collector's pauses (L{scripting.clocks.pause_free}): a full
collection is the whole process's work, and charged to whichever block it
fell in, an attacker could time one into a victim's turn.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
from collections import deque
from collections.abc import Callable, Hashable, Iterator
from time import perf_counter
from typing import Any

from engine.limits import TokenBucket
from scripting.clocks import pause_free

#: Messages per second one owner's scripts may send to players, and the burst:
#: of their own accord (timers) or at his own action; and again for each
#: player whose commands and actions make them talk (L{Meters.send}).
OUTPUT_RATE = 5.0
OUTPUT_BURST = 40
#: Output rates kept before the full ones (as good as new) are forgotten.
MAX_RATES = 10_000
#: (owner, player) pairs whose spending is kept apart (L{Meters.pair_resting})
#: before those that spent nothing in the last L{CPU_WINDOW}, then the
#: least recently charged, are forgotten.
MAX_PAIRS = 10_000
#: Seconds over which @quota sums an owner's ticks.
RECENT_WINDOW = 600.0
#: Ticks one owner's scripts may use per L{CPU_WINDOW} seconds; beyond it,
#: the owner's scripts rest (run nothing) until the window has passed.
CPU_TICKS = 2_000_000
CPU_WINDOW = 60.0
#: Seconds of the server's (real) time one owner's scripts may take per
#: L{CPU_WINDOW}, whatever they were charged in ticks: a facet call may cost
#: the server far more time than the few ticks it costs the script (text
#: cleaned character by character, values copied), so ticks alone would let
#: an owner's timers take the whole server. Beyond it they rest too.
CPU_SECONDS = 3.0
#: Seconds of the server's time all scripts together may take per
#: L{CPU_WINDOW} (half of one core) before the accounts that took most of it
#: rest: past it, an account that took more than the fair level
#: (L{Meters.level}; each second counted toward whoever's doing it was,
#: L{toward}) is held (L{Meters.held}) until it is under it again, or the
#: server's scripts under the ceiling, whatever its own share.
SERVER_SECONDS = 30.0
#: Seconds between two counts of the fair level (L{Meters.level}): it is
#: counted again at most this often, however many accounts come.
LEVEL_EVERY = 1.0
#: Bytes the turns one owner's scripts worked in may write to the database
#: per L{CPU_WINDOW} (each turn's bytes split between the owners whose
#: scripts ran in it, by their ticks). Beyond it they rest too.
WRITE_BYTES = 16 * 1024 * 1024

Owner = int | None
#: An account of the server's ceiling, and whether as its own doing
#: (L{toward}).
Account = tuple[Owner, bool]
#: Whose output rate a message spends: an owner's, or an owner's with one
#: player's (what that player's command or action made his scripts send).
Sender = Owner | tuple[Owner, int]


class _Spent:
    """
    What one owner spent over the last C{span} seconds: each charge and when,
    and their running total, so that reading it costs nothing however busy
    the owner was (it is read for every listening script of every command).
    Amounts are whole numbers (seconds are kept in nanoseconds), so the total
    stays exact as charges come and go. With a C{grain}, the charges within
    one C{grain} of seconds are kept as one, charged at its start (they
    leave the window up to a C{grain} early): at most C{span / grain} are
    kept, however many there are.
    """

    __slots__ = ("entries", "grain", "span", "total")

    def __init__(self, span: float, grain: float = 0.0) -> None:
        self.span = span
        self.grain = grain
        self.entries: deque[tuple[float, int]] = deque()
        self.total = 0

    def add(self, now: float, amount: int) -> None:
        entries = self.entries
        if self.grain:
            start = now - now % self.grain
            if entries and entries[-1][0] == start:
                entries[-1] = (start, entries[-1][1] + amount)
            else:
                entries.append((start, amount))
        else:
            entries.append((now, amount))
        self.total += amount
        self.expire(now)

    def expire(self, now: float) -> int:
        """
        Forget what was spent C{span} seconds or longer before C{now}; return
        the total of the rest.
        """
        entries = self.entries
        limit = now - self.span
        while entries and entries[0][0] <= limit:
            self.total -= entries.popleft()[1]
        return self.total


#: Nanoseconds in a second (seconds are totalled as whole nanoseconds).
_NS = 1_000_000_000


class _Pair:
    """
    What one player's wakes of one owner's scripts spent over the last
    L{CPU_WINDOW}: ticks, the server's time (ns), bytes written; and when
    the player was last told they rest.
    """

    __slots__ = ("seconds", "ticks", "told", "written")

    def __init__(self) -> None:
        self.ticks = _Spent(CPU_WINDOW)
        self.seconds = _Spent(CPU_WINDOW)
        self.written = _Spent(CPU_WINDOW)
        self.told = -1e9

    def meters(self) -> tuple[_Spent, _Spent, _Spent]:
        return self.ticks, self.seconds, self.written

    def idle(self, now: float) -> bool:
        """
        Whether it spent nothing in the last L{CPU_WINDOW} before C{now}.
        """
        return not any(spent.expire(now) for spent in self.meters())


def _players_alone(owner: Owner, player: int | None) -> bool:
    """
    Whether what C{player} woke of C{owner}'s scripts is charged to the
    pair alone, not to the owner's share: for the world's own scripts
    (C{owner} None), which every player wakes, so that a few players' wakes
    never make them rest for everyone else (each player's rest alone, past
    her part: L{Meters.pair_resting}), and the world's share is its own
    timers'.
    """
    return owner is None and player is not None


def fair_level(totals: list[int], ceiling: int) -> float:
    """
    The max-min fair level of C{totals} under C{ceiling}: the L at which
    C{sum(min(t, L) for t in totals) == ceiling} (infinite if all of them
    together are at most C{ceiling}). Those who took less than their equal
    part of what is left keep all of it and leave the rest to the others,
    so that any number of small totals lower it by no more than they took.
    O(n log n).
    """
    if sum(totals) <= ceiling:
        return float("inf")
    left = ceiling
    ordered = sorted(totals)
    count = len(ordered)
    for taken, total in enumerate(ordered):
        part = left / (count - taken)
        if total >= part:
            return part
        left -= total
    raise AssertionError("past the ceiling, the level is under the largest")


def toward(payer: Owner, player: int | None, chosen: bool = False,
           owner: Owner | None = None) -> Account:
    """
    The account the server's time a task takes is counted toward for the
    ceiling (L{SERVER_SECONDS}), and whether as its own doing: C{player}'s,
    if she woke it (not C{payer}, who pays for it) and chose to (C{chosen}:
    a verb of a thing she named) or its script is the world's (C{payer} None, the
    game's own content); else C{payer}'s, as his own doing if nobody else
    woke it, as what others woke of his scripts if she did (his handlers
    her actions woke, timers her doing set: his scripts chose to listen
    and what to do; she cannot help it). But for a script of C{owner}'s
    that the world pays for (C{payer} None: a world's script's move woke
    his handler), as what others woke of his: not the world's, which is
    never held, nor the player's, who did not choose it.
    """
    if payer is None and owner is not None:
        return owner, False
    if player is None or player == payer:
        return payer, True
    if payer is None or chosen:
        return player, True
    return payer, False


class _Account:
    """
    The server's time (ns) counted toward one account over the last
    L{CPU_WINDOW} (L{toward}): its own doings, and what others woke of its
    scripts without choosing to.
    """

    __slots__ = ("own", "woken")

    def __init__(self) -> None:
        self.own = _Spent(CPU_WINDOW, LEVEL_EVERY)
        self.woken = _Spent(CPU_WINDOW, LEVEL_EVERY)

    def total(self, now: float) -> int:
        return self.own.expire(now) + self.woken.expire(now)

    def meters(self, own: bool) -> tuple[_Spent, ...]:
        """
        The meters that hold it back: its own doings (C{own}), or all.
        """
        return (self.own,) if own else (self.own, self.woken)


def _until_under(now: float, meters: tuple[_Spent, ...], limit: float) -> float | None:
    """
    When the total of C{meters} (each over L{CPU_WINDOW}) is at C{limit} or
    below again, if nothing more is spent; None if it is now.
    """
    total = sum(spent.expire(now) for spent in meters)
    if total <= limit:
        return None
    for when, amount in heapq.merge(*(spent.entries for spent in meters)):  # oldest first
        total -= amount
        if total <= limit:
            return when + CPU_WINDOW
    return now


def _until(now: float, spent: Any) -> float | None:
    """
    When each of C{spent}'s (meter, limit) pairs is at its limit or below
    again, if nothing more is spent (each amount leaves its meter's window
    C{span} seconds after it was spent); None if none is over now.
    """
    ends: float | None = None
    for found, limit in spent:
        total = found.expire(now) if found is not None else 0
        if found is None or total <= limit:
            continue
        end = now
        for when, amount in found.entries:  # oldest first: the first to leave
            total -= amount
            if total <= limit:
                end = when + found.span
                break
        ends = end if ends is None else max(ends, end)
    return ends


class Meters:
    """
    Recent spending per owner.

    @ivar clock: an C{IReactorTime}: when things were spent.
    @ivar cpu_time: reads the server's own elapsed time (seconds).
    """

    def __init__(self, clock: Any, cpu_time: Callable[[], float] | None = None) -> None:
        self.clock = clock
        self.cpu_time = cpu_time if cpu_time is not None else pause_free(perf_counter)
        self._ticks: dict[Owner, _Spent] = {}  # over RECENT_WINDOW, for @quota
        self._window_ticks: dict[Owner, _Spent] = {}  # over CPU_WINDOW
        self._seconds: dict[Owner, _Spent] = {}
        self._written: dict[Owner, _Spent] = {}
        self._output: dict[Sender, TokenBucket] = {}
        #: (owner, player) → what that player's wakes of the owner's scripts
        #: spent, the least recently charged first (L{_pair}).
        self._pairs: dict[tuple[Owner, int], _Pair] = {}
        self._told: dict[Hashable, float] = {}
        #: The blocks being timed, innermost last: [owner, seconds spent in
        #: blocks timed inside it] (see L{timing}).
        self._timed: list[list] = []
        #: The server's time (ns) counted toward each account whose doing it
        #: was (L{toward}, L{caused}), and all of it together, for
        #: L{SERVER_SECONDS}.
        self._caused: dict[Owner, _Account] = {}
        self._server = _Spent(CPU_WINDOW, LEVEL_EVERY)
        #: When the fair level was last counted, and what it was (ns).
        self._counted = (float("-inf"), float("inf"))
        #: When the accounts that took nothing lately were last forgotten.
        self._swept = float("-inf")

    # -- spending ------------------------------------------------------------

    def ticks(self, owner: Owner, ticks: int, player: int | None = None) -> None:
        """
        Charge C{owner} C{ticks} now (and the pair C{(owner, player)}, if
        a C{player} woke them: L{pair_resting}).
        """
        now = self.clock.seconds()
        self._spent(self._ticks, owner, RECENT_WINDOW).add(now, ticks)
        if player is not None:
            self._pair(owner, player, now).ticks.add(now, ticks)
        if not _players_alone(owner, player):
            self._spent(self._window_ticks, owner, CPU_WINDOW).add(now, ticks)

    def seconds(self, owner: Owner, seconds: float, player: int | None = None,
                account: Account | None = None) -> None:
        """
        Charge C{owner} C{seconds} of the server's time now (and the pair
        C{(owner, player)}); count them toward the ceiling's C{account} and
        whether as its own doing (by default, as L{toward} says of C{owner}'s
        scripts that C{player} woke without choosing to).
        """
        now = self.clock.seconds()
        amount = round(seconds * _NS)
        if not _players_alone(owner, player):
            self._spent(self._seconds, owner, CPU_WINDOW).add(now, amount)
        if player is not None:
            self._pair(owner, player, now).seconds.add(now, amount)
        whose, own = account if account is not None else toward(owner, player)
        caused = self._caused.get(whose)
        if caused is None:
            if now >= self._swept + CPU_WINDOW:  # (at most once a window)
                self._swept = now
                for idle in [a for a, kept in self._caused.items() if not kept.total(now)]:
                    del self._caused[idle]
            caused = self._caused[whose] = _Account()
        (caused.own if own else caused.woken).add(now, amount)
        self._server.add(now, amount)

    def written(self, owner: Owner, nbytes: int, player: int | None = None) -> None:
        """
        Charge C{owner} C{nbytes} written to the database now (and the pair
        C{(owner, player)}).
        """
        now = self.clock.seconds()
        if not _players_alone(owner, player):
            self._spent(self._written, owner, CPU_WINDOW).add(now, nbytes)
        if player is not None:
            self._pair(owner, player, now).written.add(now, nbytes)

    def _pair(self, owner: Owner, player: int, now: float) -> _Pair:
        """
        The pair C{(owner, player)}'s spending, made if new, moved last (the
        most recently charged). At L{MAX_PAIRS}, those idle for a whole
        window are forgotten, and if that leaves fewer than a tenth free,
        the least recently charged too: a sweep frees at least a tenth,
        so it runs once per that many new pairs at most.
        """
        key = (owner, player)
        pairs = self._pairs
        found = pairs.pop(key, None)
        if found is None:
            if len(pairs) >= MAX_PAIRS:
                for idle in [k for k, kept in pairs.items() if kept.idle(now)]:
                    del pairs[idle]
                over = max(0, len(pairs) - MAX_PAIRS * 9 // 10)
                for oldest in list(itertools.islice(pairs, over)):
                    del pairs[oldest]
            found = _Pair()
        pairs[key] = found
        return found

    @staticmethod
    def _spent(meter: dict[Owner, _Spent], owner: Owner, span: float) -> _Spent:
        found = meter.get(owner)
        if found is None:
            found = meter[owner] = _Spent(span)
        return found

    @contextlib.contextmanager
    def timing(self, owner: Owner, player: int | None = None,
               account: Account | None = None) -> Iterator[None]:
        """
        Charge C{owner} the server's time the block takes (also when it
        raises), less what blocks timed inside it took (charged to their own
        owners): a script run inside a building command is charged once, to
        the script's owner, and the rest of the command to the builder.
        With C{player}, the pair C{(owner, player)} too (C{account}: as
        for L{seconds}).
        """
        frame: list = [owner, 0.0]
        self._timed.append(frame)
        began = self.cpu_time()
        try:
            yield
        finally:
            spent = self.cpu_time() - began
            self._timed.pop()
            if self._timed:
                self._timed[-1][1] += spent
            self.seconds(owner, spent - frame[1], player, account)

    # -- reading -------------------------------------------------------------

    def resting(self, owner: Owner, share: float = 1.0) -> bool:
        """
        Whether C{owner}'s scripts used more than L{CPU_TICKS}, took more
        than L{CPU_SECONDS} of the server's time, or wrote more than
        L{WRITE_BYTES}, in the last L{CPU_WINDOW} seconds (they then run
        nothing until it passes).

        @param share: the part of those an owner given another CPU share
            (C{@quota}) may use.
        """
        ticks, seconds, written = self.window(owner)
        return (ticks > CPU_TICKS * share or seconds > CPU_SECONDS * share
                or written > WRITE_BYTES * share)

    def busy(self) -> bool:
        """
        Whether all scripts together took more than L{SERVER_SECONDS} of
        the server's time in the last L{CPU_WINDOW} seconds.
        """
        return self._server.expire(self.clock.seconds()) > SERVER_SECONDS * _NS

    def server_seconds(self) -> float:
        """
        The server's time all scripts together took in the last
        L{CPU_WINDOW} seconds.
        """
        return self._server.expire(self.clock.seconds()) / _NS

    def caused(self, account: Owner, own: bool = False) -> float:
        """
        The server's time counted toward C{account} in the last
        L{CPU_WINDOW} seconds (L{toward}): what its player chose to wake (of
        anyone's scripts) and woke of the world's, what its owner's scripts
        did of their own accord or at his doing (timers, saves, building),
        and, unless C{own}, what others woke of them without choosing to.
        """
        found = self._caused.get(account)
        if found is None:
            return 0.0
        now = self.clock.seconds()
        return (found.own.expire(now) if own else found.total(now)) / _NS

    def level(self) -> float:
        """
        The most of the server's time (seconds in the last L{CPU_WINDOW})
        an account may have taken while the server's scripts are over
        L{SERVER_SECONDS} (L{busy}): the max-min fair level of what each
        account took (L{fair_level}; infinite under the ceiling). Counted
        at most once per L{LEVEL_EVERY} seconds, whatever happened
        meanwhile (a new account waits for the next count), forgetting
        the accounts that took nothing in the window: reading it is cheap
        however often it is read.
        """
        now = self.clock.seconds()
        when, found = self._counted
        if not when <= now < when + LEVEL_EVERY:
            totals = []
            for account, kept in list(self._caused.items()):
                total = kept.total(now)
                if total:
                    totals.append(total)
                else:
                    del self._caused[account]
            found = fair_level(totals, round(SERVER_SECONDS * _NS))
            self._counted = (now, found)
        return found / _NS

    def held(self, account: Owner, own: bool = True) -> bool:
        """
        Whether what is counted toward C{account} (L{toward}) rests for the
        ceiling: the server's scripts are over L{SERVER_SECONDS} (L{busy})
        and it took more than the fair L{level}: its own doings (C{own})
        once they alone did, what others woke of its scripts without
        choosing to once all counted toward it did. The world's own
        scripts (C{account} None: its timers) are the game's, never held;
        what they take counts.
        """
        if account is None or not self.busy():
            return False
        return self.caused(account, own) > self.level()

    def held_until(self, account: Owner, own: bool = True) -> float | None:
        """
        When C{account}, held now (L{held}, with C{own}), may be no longer
        if nothing more is counted toward it: once it is under the present
        L{level}, or the server's scripts under the ceiling, whichever comes
        first (the level may have moved by then: asked again, it may say
        later). None if it is not held.
        """
        if not self.held(account, own):
            return None
        now = self.clock.seconds()
        under = _until_under(now, self._caused[account].meters(own), self.level() * _NS)
        idle = _until_under(now, (self._server,), SERVER_SECONDS * _NS)
        return min(t for t in (under, idle) if t is not None)

    def pair_resting(self, owner: Owner, player: int, share: float) -> bool:
        """
        Whether what C{player} woke of C{owner}'s scripts used more than
        C{share} of L{CPU_TICKS}, L{CPU_SECONDS} or L{WRITE_BYTES} in the
        last L{CPU_WINDOW} seconds (or of what they may use, given another
        share: C{share} is the part of the usual ones).
        """
        found = self._pairs.get((owner, player))
        if found is None:
            return False
        now = self.clock.seconds()
        return (found.ticks.expire(now) > CPU_TICKS * share
                or found.seconds.expire(now) > CPU_SECONDS * share * _NS
                or found.written.expire(now) > WRITE_BYTES * share)

    def pair_notice_due(self, owner: Owner, player: int) -> bool:
        """
        Whether C{player} may be told now that what she wakes of C{owner}'s
        scripts rests (at most once per L{CPU_WINDOW}); if so, it counts as
        told.
        """
        found = self._pairs.get((owner, player))
        now = self.clock.seconds()
        if found is None or now - found.told < CPU_WINDOW:
            return False
        found.told = now
        return True

    def pairs(self) -> int:
        """
        How many (owner, player) pairs' spending is kept.
        """
        return len(self._pairs)

    def rests_until(self, owner: Owner, share: float = 1.0) -> float | None:
        """
        When C{owner}'s scripts, resting now, may run again if they spend
        nothing more meanwhile (each amount spent leaves the window
        L{CPU_WINDOW} seconds after it was spent), or None if they do not
        rest.

        @param share: as for L{resting}.
        """
        return _until(self.clock.seconds(),
                      ((self._window_ticks.get(owner), CPU_TICKS * share),
                       (self._seconds.get(owner), CPU_SECONDS * share * _NS),
                       (self._written.get(owner), WRITE_BYTES * share)))

    def pair_rests_until(self, owner: Owner, player: int, share: float) -> float | None:
        """
        When what C{player} wakes of C{owner}'s scripts, resting now
        (L{pair_resting} with C{share}), may run again if it spends nothing
        more meanwhile; None if it does not rest.
        """
        found = self._pairs.get((owner, player))
        if found is None:
            return None
        return _until(self.clock.seconds(),
                      ((found.ticks, CPU_TICKS * share),
                       (found.seconds, CPU_SECONDS * share * _NS),
                       (found.written, WRITE_BYTES * share)))

    def window(self, owner: Owner) -> tuple[int, float, int]:
        """
        What C{owner}'s scripts spent in the last L{CPU_WINDOW} seconds:
        ticks, seconds of the server's time, bytes written.
        """
        now = self.clock.seconds()
        return (self._total(self._window_ticks, owner, now),
                self._total(self._seconds, owner, now) / _NS,
                self._total(self._written, owner, now))

    @staticmethod
    def _total(meter: dict[Owner, _Spent], owner: Owner, now: float) -> int:
        found = meter.get(owner)
        return found.expire(now) if found is not None else 0

    def recent_ticks(self, owner: Owner) -> int:
        """
        Ticks C{owner}'s scripts used in the last L{RECENT_WINDOW} seconds.
        """
        return self._total(self._ticks, owner, self.clock.seconds())

    def owners(self) -> set[Owner]:
        """
        Every owner charged any ticks lately.
        """
        return set(self._ticks)

    # -- output and notices --------------------------------------------------

    def send(self, sender: Sender) -> bool:
        """
        Spend one message of C{sender}'s output rate; whether there was one.
        An owner's scripts have a rate for what they send of their own
        accord (C{owner}) and one for each player who makes them talk
        (C{(owner, player)}): one player spending hers does not silence
        them for everyone else.
        """
        bucket = self._output.get(sender)
        if bucket is None:
            if len(self._output) >= MAX_RATES:
                full = [key for key, kept in self._output.items()
                        if kept.available() >= OUTPUT_BURST]
                for key in full:
                    del self._output[key]
            bucket = self._output[sender] = TokenBucket(self.clock, OUTPUT_RATE, OUTPUT_BURST)
        return bucket.take()

    def notice_due(self, key: Hashable, every: float) -> bool:
        """
        Whether a notice under C{key} may be given now (at most once per
        C{every} seconds); if so, it counts as given.
        """
        now = self.clock.seconds()
        if now - self._told.get(key, -1e9) < every:
            return False
        self._told[key] = now
        return True


__all__ = ["CPU_SECONDS", "CPU_TICKS", "CPU_WINDOW", "LEVEL_EVERY", "MAX_PAIRS", "MAX_RATES",
           "OUTPUT_BURST", "OUTPUT_RATE", "RECENT_WINDOW", "SERVER_SECONDS", "WRITE_BYTES",
           "Account", "Meters", "Sender", "fair_level", "toward"]
