# -*- test-case-name: tests.redteam_world.test_r9_strikes_fair,tests.scripts.test_rollback -*-
"""
Failures of a script that one other player caused, counted for him alone.

A script that fails L{SUSPEND_AFTER} times in a row through its owner's own
doing (his commands, his own timers, what his actions wake) is suspended for
everyone (L{engine.scripts.runtime.ScriptRuntime.failed}). A failure that
another player caused (he typed the verb, his action woke the handler, his
script's move did, his doing set the timer: L{scripting.facets.timers.Timer.cause};
or his library failed to import: L{engine.scripts.libraries}) counts only
toward that player: after L{SUSPEND_AFTER} in a row from him, or
L{SUSPEND_AFTER} within L{WINDOW} whatever went well between (so that he
cannot break it for ever by running it well between his failures), the
script I{refuses} him (runs nothing he wakes) for L{REFUSE_SECONDS}, while
everyone else still uses it. His own successful run ends his run of
failures in a row, not the ones within L{WINDOW}.

One L{Strikes} per server, in memory (a restart forgets it; nothing of it
is written to the database, so no player's failures can grow it): at most
L{MAX_STRIKES} streaks across the server, refusals included, of which at
most half are refusals (L{most_refusals}), so that the other half is
always there for streaks still counting: a failure always counts. A
streak not added to for L{FORGET_AFTER} seconds is forgotten. Saving a
script (a new version) forgives everyone its old version refused. The
timers that wait for a refusal (L{Strikes.waits}) are let go when it goes
before its end (L{Strikes.released}), to be due at once.

Room for a streak is made by dropping the streak struck least recently,
whichever script and player it is of (a cap for each script would let more
players than it taking turns at failing one drop each other's streaks, so
that none was ever refused; a cap for each player would let k alts dodge
a k-th of the table's cost): to have one of his own dropped before it
refuses him, a player must make the whole table's worth of others' streaks
(L{MAX_STRIKES} / 2 charged failures, at least) between two failures.

Room for a refusal, when half the table refuses players, is made fairly,
never by not keeping the new one (before, a few dozen alts failing each
other's scripts filled the table with refusals, and then every new
failure on the server counted toward nothing: refusals were off for
everyone): refusals that have ended go first; then one of the player's
who is refused the most (a hostile player's alts, refused by each other's
scripts to fill the table, hold many each, where an honest player is
refused once or twice); of hers, the one of the owner whose scripts
refuse her the most, then whose scripts refuse the most players in all
(an owner whose scripts were failed to fill the table), then the one that
ends soonest (it loses the least). What each kind of attacker gets:

 - Alts filling the table (k accounts, each refused by the others'
   scripts, at most L{PER_OWNER} times by one owner's, so at most
   C{PER_OWNER * k * k} refusals): each new refusal anywhere drops one of
   theirs, the heaviest of them first. A refusal of a player refused n
   times goes only once every player kept is refused at most n times:
   the table must hold C{MAX_STRIKES / 2 / n} players refused, so an
   honest player refused once outlasts anything short of 5 000 accounts
   each refused (15 000 charged failures within L{REFUSE_SECONDS}); then
   the refusal ending soonest goes, which has lost the least.
 - Framing an innocent: alts whose scripts fail for her make her refused
   by those scripts alone (L{PER_OWNER} does not reach past their owner;
   nothing refuses her for every owner's script), and make her the most
   refused player, so that theirs of her are the first dropped. A refusal
   of her that an honest owner's script made goes after theirs while
   their scripts refuse more players in all than his (alts that fill the
   table do); framers each refusing her alone tie with him, and then the
   one ending soonest goes: that takes as many accounts as the next case.
 - Dodging by being the most refused: a hostile player refused by Bob's
   counter who has his alts' scripts refuse him too, so that eviction
   comes to him, loses theirs first while they are more of his by one
   owner, or by owners refusing more in all (alts that also fill the
   table). Alts each refusing him once and no one else, with one more alt
   refused by Bob's scripts (so that Bob's refuse more in all), do make
   Bob's the first of his to go; but eviction comes to him only while
   nobody kept is refused more often than he is, so that takes a hundred
   or so accounts (C{2 * sqrt(MAX_STRIKES / 2)}: as many owners each
   refusing him once, and as many players to fill the table refused as
   often) and the table's churn, 15 000 charged failures, for one refusal
   ended early, after which three more failures refuse him again.
 - Dodging by alternating (alts taking turns at Bob's counter, so that
   none holds three failures): their streaks are dropped only after half
   the table's worth of newer streaks, and never to make room for a
   refusal, so each of them is refused in turn.

Choosing a refusal to drop looks at every player kept (only while half
the table refuses players, so only once per new refusal under a flood of
them, each made of L{SUSPEND_AFTER} charged failures).

One owner's scripts refuse one player in at most L{PER_OWNER} refusals
apart: when one more of his would refuse her, one refusal covers her for
every script of his instead, for L{REFUSE_SECONDS} from then (none of
those it takes the place of ends later, so it cannot cut one short;
saving one of his scripts does not end it). That is no more than he could
do himself (a script may ignore whom it likes), so that a hostile owner's
many failing scripts keep one record for each player they fail for,
however many they are. Nothing wider is kept: a player refused by many
owners' scripts is refused by those alone, so that many alts, each with a
script failing for her, cannot get an innocent player refused by every
script in the world (the world's content included). The world's own
scripts (no owner) are never covered so.
"""

from __future__ import annotations

from typing import Any

#: Failures in a row after which a script is suspended until edited (its
#: owner's), or refuses the player who caused them (another's).
SUSPEND_AFTER = 3
#: Seconds within which L{SUSPEND_AFTER} failures a player caused refuse
#: him, whatever runs of his went well between.
WINDOW = 600.0
#: Seconds a script refuses a player whose doing failed it L{SUSPEND_AFTER}
#: times in a row (or within L{WINDOW}).
REFUSE_SECONDS = 600.0
#: Seconds after which a streak not added to is forgotten.
FORGET_AFTER = 3600.0
#: Streaks kept across the server, refusals included (at most half of
#: them: L{most_refusals}).
MAX_STRIKES = 10_000
#: Refusals of one player by one owner's scripts kept apart; past them, one
#: refusal covers her for every script of his.
PER_OWNER = 8

#: How a refusal came (L{Strikes.fail}).
IN_A_ROW = "in a row"

_Key = tuple[int, int]


def _every_of(owner: int) -> int:
    """
    The script of a refusal that covers its player for every script of
    C{owner}'s (below -1: no thing's id).
    """
    return -2 - owner


def most_refusals() -> int:
    """
    The refusals kept across the server: half of L{MAX_STRIKES}, so that
    the rest is always there for streaks still counting.
    """
    return max(1, MAX_STRIKES // 2)


def in_window() -> str:
    """
    How a refusal by failures within L{WINDOW} is said (L{Strikes.fail}).
    """
    return f"in {round(WINDOW / 60)} minutes"


class Strikes:
    """
    Each script's failures by player (not its owner), and whom it refuses.

    Streaks still counting are kept as lists C{[version, run, last, recent]}
    (the failures in a row, when the last was, the times of his last few
    within L{WINDOW}) by script (its holder's id: the thing whose script it
    is) and player, in dictionaries kept in the order they were last
    struck; refusals apart, as C{[version, until, told, timers_told, owner,
    number, timers]} (numbered as they are made; the ids of the timers
    that wait for it, or None) in the order they began (so the
    order they end), one covering its player for every script of an
    owner's under L{_every_of} of him.

    @ivar clock: an C{IReactorTime}.
    """

    def __init__(self, clock: Any) -> None:
        self.clock = clock
        self._counting: dict[_Key, list] = {}
        self._scripts: dict[int, dict[int, list]] = {}
        self._refusals: dict[_Key, list] = {}
        self._refused: dict[int, set[int]] = {}
        #: The scripts of an owner's refusing a player apart, by the pair.
        self._pairs: dict[tuple[int | None, int], set[int]] = {}
        #: The scripts refusing each player (a refusal's key's script).
        self._players: dict[int, set[int]] = {}
        #: How many refusals each owner's scripts hold.
        self._owners: dict[int | None, int] = {}
        #: Refusals made so far (each one's number, in its list).
        self._made = 0
        #: The timers that waited for refusals gone before their end (with
        #: the player whose doing set each).
        self._released: list[tuple[int, int]] = []

    # -- looking up ------------------------------------------------------

    def _refusal(self, script: int, version: int, player: int,
                 owner: int | None) -> list | None:
        """
        C{script}'s refusal of C{player} if it refuses him now (of
        C{version}), or his refusal by every script of C{owner}'s; one
        ended, or of another version, is dropped.
        """
        now = self.clock.seconds()
        if owner is not None:
            wide = self._refusals.get((_every_of(owner), player))
            if wide is not None:
                if wide[1] > now:
                    return wide
                self._unrefuse(_every_of(owner), player)
        found = self._refusals.get((script, player))
        if found is None:
            return None
        if found[0] != version or found[1] <= now:
            self._unrefuse(script, player)
            return None
        return found

    def _streak(self, script: int, version: int, player: int) -> list | None:
        """
        C{player}'s streak counting on C{script} (of C{version}), or None
        if there is none, it is of another version, or it has lapsed
        (dropped then).
        """
        kept = self._scripts.get(script)
        found = kept.get(player) if kept is not None else None
        if found is None:
            return None
        if found[0] != version or self.clock.seconds() - found[2] >= FORGET_AFTER:
            self._drop(script, player)
            return None
        return found

    def refused_until(self, script: int, version: int, player: int,
                      owner: int | None = None) -> float | None:
        """
        When C{script} (of C{version}, C{owner}'s) answers C{player} again,
        if it refuses him now; else None.
        """
        found = self._refusal(script, version, player, owner)
        return None if found is None else float(found[1])

    def owner_wide(self, player: int, owner: int | None) -> bool:
        """
        Whether every script of C{owner}'s refuses C{player} now (past
        L{PER_OWNER} of them refusing him apart).
        """
        if owner is None:
            return False
        found = self._refusals.get((_every_of(owner), player))
        return found is not None and found[1] > self.clock.seconds()

    def failures(self, script: int, version: int, player: int,
                 owner: int | None = None) -> int:
        """
        The failures of C{script} (of C{version}, C{owner}'s) that
        C{player} caused, counted now: L{SUSPEND_AFTER} if it refuses him,
        else the more of those in a row and those within L{WINDOW}.
        """
        if self._refusal(script, version, player, owner) is not None:
            return SUSPEND_AFTER
        found = self._streak(script, version, player)
        if found is None:
            return 0
        return max(found[1], len(self._recent(found)))

    def first_refusal(self, script: int, version: int, player: int,
                      owner: int | None = None) -> bool:
        """
        Whether C{script} (of C{version}, C{owner}'s) refuses C{player}
        now, and he was not told yet since it began to (counted as told
        now; once for every script a refusal covers).
        """
        return self._first(script, version, player, owner, 2)

    def first_timer_wait(self, script: int, version: int, player: int,
                         owner: int | None = None) -> bool:
        """
        Whether C{script} (of C{version}, C{owner}'s) refuses C{player}
        now, and its owner was not told yet since it began to that a timer
        of his doing waits (counted as told now).
        """
        return self._first(script, version, player, owner, 3)

    def _first(self, script: int, version: int, player: int, owner: int | None,
               flag: int) -> bool:
        found = self._refusal(script, version, player, owner)
        if found is None or found[flag]:
            return False
        found[flag] = True
        return True

    # -- counting --------------------------------------------------------

    def fail(self, script: int, version: int, player: int,
             owner: int | None = None) -> str | None:
        """
        Count a failure of C{script} (of C{version}, C{owner}'s) that
        C{player} caused; if it refuses him from now on (the failure that
        made it so), how it came to: L{IN_A_ROW} or L{in_window}; else None.
        A failure while it refuses him changes nothing; any other counts
        (room is made for it: L{_make_room}).
        """
        if self._refusal(script, version, player, owner) is not None:
            return None
        now = self.clock.seconds()
        found = self._streak(script, version, player)
        if found is None:
            self._make_room()
            found = [version, 0, now, ()]
        kept = self._scripts.pop(script, None) or {}
        kept.pop(player, None)
        kept[player] = found  # (last struck: last in both orders)
        self._scripts[script] = kept
        self._counting.pop((script, player), None)
        self._counting[(script, player)] = found
        recent = self._recent(found)
        found[1] += 1
        how = IN_A_ROW if found[1] >= SUSPEND_AFTER else (
            in_window() if len(recent) + 1 >= SUSPEND_AFTER else None)
        if how is None:
            found[2] = now
            found[3] = (*recent, now)[1 - SUSPEND_AFTER:]
            return None
        self._drop(script, player)
        self._refuse(script, version, player, owner)
        return how

    def _refuse(self, script: int, version: int, player: int, owner: int | None) -> None:
        """
        C{script} (of C{version}, C{owner}'s) refuses C{player} from now
        on (he is told so now). Past L{PER_OWNER} of C{owner}'s scripts
        refusing him apart, every script of C{owner}'s does instead, in one
        refusal lasting L{REFUSE_SECONDS} from now (those it takes the
        place of began earlier, so end no later).
        """
        self._drop_ended()  # (only refusals still running count toward PER_OWNER)
        same = self._pairs.get((owner, player), ())
        if owner is not None and len(same) >= PER_OWNER:
            for held in tuple(same):
                self._unrefuse(held, player, release=False)  # (refused longer now)
            script, version = _every_of(owner), 0
        self._make_refusal_room()
        until = self.clock.seconds() + REFUSE_SECONDS
        self._made += 1
        self._refusals[(script, player)] = [version, until, True, False, owner, self._made,
                                            None]
        self._refused.setdefault(script, set()).add(player)
        self._players.setdefault(player, set()).add(script)
        self._owners[owner] = self._owners.get(owner, 0) + 1
        if script >= 0:
            self._pairs.setdefault((owner, player), set()).add(script)

    def succeeded(self, script: int, player: int) -> None:
        """
        C{player}'s run of C{script} went well: his run of failures in a
        row ends (those within L{WINDOW} still count).
        """
        kept = self._scripts.get(script)
        found = kept.get(player) if kept is not None else None
        if found is None:
            return
        found[1] = 0
        found[3] = self._recent(found)
        if not found[3]:
            self._drop(script, player)

    def waits(self, script: int, version: int, player: int, owner: int | None,
              timer: int) -> None:
        """
        Timer C{timer}, of C{player}'s doing, waits for C{script} (of
        C{version}, C{owner}'s) to answer him again: if the refusal goes
        before its end (the script saved, or room made), it is
        L{released}.
        """
        found = self._refusal(script, version, player, owner)
        if found is not None:
            if found[6] is None:
                found[6] = set()
            found[6].add(timer)

    def released(self) -> list[tuple[int, int]]:
        """
        The timers that waited for refusals gone before their end (forgiven
        or dropped to make room), since last asked, each with the player
        whose doing set it: due now.
        """
        found, self._released = self._released, []
        return found

    def forgive(self, script: int) -> None:
        """
        Forget every streak on C{script} (started afresh, or saved anew),
        refusals too (their timers L{released}).
        """
        for player in tuple(self._scripts.get(script, ())):
            self._drop(script, player)
        for player in tuple(self._refused.get(script, ())):
            self._unrefuse(script, player)

    def __len__(self) -> int:
        return len(self._counting) + len(self._refusals)

    # -- keeping it small ------------------------------------------------

    def _recent(self, found: list) -> tuple:
        now = self.clock.seconds()
        return tuple(t for t in found[3] if now - t < WINDOW)

    def _drop(self, script: int, player: int) -> None:
        kept = self._scripts[script]
        del kept[player]
        del self._counting[(script, player)]
        if not kept:
            del self._scripts[script]

    def _unrefuse(self, script: int, player: int, release: bool = True) -> None:
        """
        Forget C{script}'s refusal of C{player}; if it had not ended yet
        (and C{release}), the timers that wait for it (L{waits}) are due
        now (L{released}).
        """
        found = self._refusals.pop((script, player))
        owner = found[4]
        if release and found[6] and found[1] > self.clock.seconds():
            self._released.extend((timer, player) for timer in found[6])
        players = self._refused[script]
        players.discard(player)
        if not players:
            del self._refused[script]
        scripts = self._players[player]
        scripts.discard(script)
        if not scripts:
            del self._players[player]
        self._owners[owner] -= 1
        if not self._owners[owner]:
            del self._owners[owner]
        if script >= 0:
            same = self._pairs[(owner, player)]
            same.discard(script)
            if not same:
                del self._pairs[(owner, player)]

    def _drop_ended(self) -> None:
        """
        Forget the refusals that have ended.
        """
        now = self.clock.seconds()
        while self._refusals:
            (held, player), found = next(iter(self._refusals.items()))
            if found[1] > now:
                break  # (they begin, so end, in order)
            self._unrefuse(held, player)

    def _make_room(self) -> None:
        """
        Make room for one more streak: drop refusals that have ended; past
        L{MAX_STRIKES} in all, the least recently struck streak (there is
        one: refusals are at most L{most_refusals}).
        """
        self._drop_ended()
        while len(self) >= MAX_STRIKES and self._counting:
            self._drop(*next(iter(self._counting)))

    def _make_refusal_room(self) -> None:
        """
        Make room for one more refusal: drop refusals that have ended;
        past L{most_refusals}, one of those of the player refused the
        most (the module's docstring says which, and why).
        """
        self._drop_ended()
        while len(self._refusals) >= most_refusals():
            self._unrefuse(*self._heaviest())

    def _heaviest(self) -> _Key:
        """
        The refusal to drop first: of the player refused the most; of hers,
        the one of the owner whose scripts refuse her the most, then of
        the owner whose scripts refuse the most in all, then the one that
        ends soonest (of those ending together, the one made last).
        """
        most = max(len(scripts) for scripts in self._players.values())
        best: tuple = ()
        for player, scripts in self._players.items():
            if len(scripts) < most:
                continue
            for script in scripts:
                found = self._refusals[(script, player)]
                owner = found[4]
                weight = (len(self._pairs.get((owner, player), ())) or 1, self._owners[owner],
                          -found[1], found[5], (script, player))
                if not best or weight > best:
                    best = weight
        return best[4]


__all__ = ["FORGET_AFTER", "IN_A_ROW", "MAX_STRIKES", "PER_OWNER", "REFUSE_SECONDS",
           "SUSPEND_AFTER", "WINDOW", "Strikes", "in_window", "most_refusals"]
