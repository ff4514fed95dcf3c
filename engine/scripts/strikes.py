# -*- test-case-name: tests.redteam_world.test_r6_fail_strikes,tests.scripts.test_rollback -*-
"""
Failures of a script that one other player caused, counted for him alone.

A script that fails L{SUSPEND_AFTER} times in a row through its owner's own
doing (his commands, his own timers, what his actions wake) is suspended for
everyone (L{engine.scripts.runtime.ScriptRuntime.failed}). A failure that
another player caused (he typed the verb, his action woke the handler, his
script's move did, his doing set the timer: L{scripting.facets.timers.Timer.cause};
or his library failed to import: L{engine.scripts.libraries}) counts only
toward that player: after L{SUSPEND_AFTER}
in a row from him the script I{refuses} him (runs nothing he wakes) for
L{REFUSE_SECONDS}, while everyone else still uses it; only his own
successful run ends his streak.

One L{Strikes} per server, in memory (a restart forgets it; nothing of it
is written to the database, so no player's failures can grow it): at most
L{PER_SCRIPT} players for each script and L{MAX_STRIKES} across the
server, the least recently struck not refused dropped first; a streak not
added to for L{FORGET_AFTER} seconds is forgotten. Saving a script (a new
version) forgives everyone its old version refused.
"""

from __future__ import annotations

from typing import Any

#: Failures in a row after which a script is suspended until edited (its
#: owner's), or refuses the player who caused them (another's).
SUSPEND_AFTER = 3
#: Seconds a script refuses a player whose doing failed it L{SUSPEND_AFTER}
#: times in a row.
REFUSE_SECONDS = 600.0
#: Seconds after which a streak not added to is forgotten.
FORGET_AFTER = 3600.0
#: Players whose failures are kept for one script, and across the server.
PER_SCRIPT = 32
MAX_STRIKES = 10_000


class Strikes:
    """
    Each script's failures in a row by player (not its owner).

    A streak is kept as a list C{[version, failures, last, refused_until, told]}
    under the script's holder id (the thing whose script it is) and the
    player: a few numbers each, in dictionaries kept in the order they were
    last struck.

    @ivar clock: an C{IReactorTime}.
    """

    def __init__(self, clock: Any) -> None:
        self.clock = clock
        self._scripts: dict[int, dict[int, list]] = {}
        self._count = 0

    def _live(self, script: int, version: int, player: int) -> list | None:
        """
        C{player}'s streak on C{script} (of C{version}), or None if there is
        none, it is of another version, or it has lapsed (dropped then).
        """
        kept = self._scripts.get(script)
        found = kept.get(player) if kept is not None else None
        if found is None:
            return None
        now = self.clock.seconds()
        if found[0] != version or (found[1] >= SUSPEND_AFTER and found[3] <= now) \
                or now - found[2] >= FORGET_AFTER:
            self._drop(script, player)
            return None
        return found

    def refused_until(self, script: int, version: int, player: int) -> float | None:
        """
        When C{script} (of C{version}) answers C{player} again, if it
        refuses him now; else None.
        """
        found = self._live(script, version, player)
        if found is None or found[1] < SUSPEND_AFTER:
            return None
        return float(found[3])

    def failures(self, script: int, version: int, player: int) -> int:
        """
        The failures in a row of C{script} (of C{version}) that C{player}
        caused, kept now.
        """
        found = self._live(script, version, player)
        return 0 if found is None else found[1]

    def first_refusal(self, script: int, version: int, player: int) -> bool:
        """
        Whether C{script} (of C{version}) refuses C{player} now, and he was
        not told yet since it began to (counted as told now).
        """
        found = self._live(script, version, player)
        if found is None or found[1] < SUSPEND_AFTER or found[4]:
            return False
        found[4] = True
        return True

    def fail(self, script: int, version: int, player: int) -> bool:
        """
        Count a failure of C{script} (of C{version}) that C{player} caused;
        whether it refuses him from now on (the failure that made it so).
        """
        now = self.clock.seconds()
        found = self._live(script, version, player)
        if found is None:
            self._make_room(script)
            found = [version, 0, now, 0.0, False]
            self._count += 1
        kept = self._scripts.pop(script, None) or {}
        kept.pop(player, None)
        kept[player] = found  # (last struck: last in both orders)
        self._scripts[script] = kept
        found[1] += 1
        found[2] = now
        if found[1] == SUSPEND_AFTER:
            found[3] = now + REFUSE_SECONDS
            found[4] = True  # (he is told so now)
            return True
        return False

    def succeeded(self, script: int, player: int) -> None:
        """
        C{player}'s run of C{script} went well: his streak ends.
        """
        kept = self._scripts.get(script)
        if kept is not None and player in kept:
            self._drop(script, player)

    def forgive(self, script: int) -> None:
        """
        Forget every streak on C{script} (started afresh).
        """
        kept = self._scripts.pop(script, None)
        if kept is not None:
            self._count -= len(kept)

    def __len__(self) -> int:
        return self._count

    def _drop(self, script: int, player: int) -> None:
        kept = self._scripts[script]
        del kept[player]
        self._count -= 1
        if not kept:
            del self._scripts[script]

    def _make_room(self, script: int) -> None:
        """
        Make room for one more streak on C{script}: past L{PER_SCRIPT}
        there, or L{MAX_STRIKES} in all, drop the least recently struck
        (one not refusing its player if there is one).
        """
        kept = self._scripts.get(script)
        if kept is not None and len(kept) >= PER_SCRIPT:
            self._drop(script, self._oldest(kept))
        if self._count >= MAX_STRIKES:
            oldest = next(iter(self._scripts))
            self._drop(oldest, self._oldest(self._scripts[oldest]))

    def _oldest(self, kept: dict[int, list]) -> int:
        now = self.clock.seconds()
        for player, found in kept.items():
            if found[1] < SUSPEND_AFTER or found[3] <= now:
                return player
        return next(iter(kept))


__all__ = ["FORGET_AFTER", "MAX_STRIKES", "PER_SCRIPT", "REFUSE_SECONDS", "SUSPEND_AFTER",
           "Strikes"]
