# -*- test-case-name: tests.redteam_world.test_r7_strikes_eviction,tests.scripts.test_rollback -*-
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
L{MAX_STRIKES} streaks across the server, refusals included. A refusal is
never cut short to make room, whatever other players (a hostile one's alts)
fail: room is made by dropping streaks that refuse nobody, the least
recently struck first, whichever script they are on (a cap for each
script would let more players than it taking turns at failing one drop
each other's streaks, so that none was ever refused); if every streak
kept refuses its player, a new one is not kept (its failure
counts toward nothing) until the oldest refusal ends. A streak not added to
for L{FORGET_AFTER} seconds is forgotten. Saving a script (a new version)
forgives everyone its old version refused.

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
#: Streaks kept across the server, refusals included.
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
    struck; refusals apart, as C{[version, until, told, timers_told, owner]}
    in the order they began (so the order they end), one covering its
    player for every script of an owner's under L{_every_of} of him.

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
        A failure while it refuses him changes nothing, and one that finds
        no room (every streak kept refuses its player) counts toward
        nothing.
        """
        if self._refusal(script, version, player, owner) is not None:
            return None
        now = self.clock.seconds()
        found = self._streak(script, version, player)
        if found is None:
            if not self._make_room(script):
                return None
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
        same = self._pairs.get((owner, player), ())
        if owner is not None and len(same) >= PER_OWNER:
            for held in tuple(same):
                self._unrefuse(held, player)
            script, version = _every_of(owner), 0
        until = self.clock.seconds() + REFUSE_SECONDS
        self._refusals[(script, player)] = [version, until, True, False, owner]
        self._refused.setdefault(script, set()).add(player)
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

    def forgive(self, script: int) -> None:
        """
        Forget every streak on C{script} (started afresh), refusals too.
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

    def _unrefuse(self, script: int, player: int) -> None:
        owner = self._refusals.pop((script, player))[4]
        players = self._refused[script]
        players.discard(player)
        if not players:
            del self._refused[script]
        if script >= 0:
            same = self._pairs[(owner, player)]
            same.discard(script)
            if not same:
                del self._pairs[(owner, player)]

    def _make_room(self, script: int) -> bool:
        """
        Make room for one more streak (on C{script}): drop refusals that
        have ended; past L{MAX_STRIKES} in all, the least recently struck
        streak that refuses nobody. Never a refusal before its time:
        whether there is room.
        """
        now = self.clock.seconds()
        while self._refusals:
            (held, player), found = next(iter(self._refusals.items()))
            if found[1] > now:
                break  # (they begin, so end, in order)
            self._unrefuse(held, player)
        if len(self) < MAX_STRIKES:
            return True
        if not self._counting:
            return False
        self._drop(*next(iter(self._counting)))
        return True


__all__ = ["FORGET_AFTER", "IN_A_ROW", "MAX_STRIKES", "PER_OWNER", "REFUSE_SECONDS",
           "SUSPEND_AFTER", "WINDOW", "Strikes", "in_window"]
