# -*- test-case-name: tests.scripts -*-
"""
The reactor side of scripts' timers.

Timers are stored in the world (L{scripting.facets.timers}), so they survive
restarts. The L{TimerScheduler} keeps one delayed call on the injected clock,
for the earliest due timer; when it fires, each due timer runs in a turn of
its own: its handler is called with its data, and the timer is marked fired
(a one-shot timer goes, a repeating one moves to its next period). A handler
that fails rolls its turn back; the firing is then recorded in a turn of
its own, the failure counted (suspension after a few in a row) and the
owner told. A timer for a handler the script no longer has (saved without
it since the timer was set) is cancelled when it fires, its owner told: it
could never run, and counting it would suspend the script for every thing
running it. At most L{BATCH} timer fires per wake-up,
the next at once after, in a new turn of the reactor: however many of one
owner's timers fall due together, another player's command waits for at
most one of them (as a session's pasted lines run one per turn).

A timer that falls due while its owner's scripts rest (they used their
whole share of the server: what others wake may use only part of it,
L{engine.scripts.runtime.OWN_RESERVE}), or while what it counts toward is
held for the server's ceiling (L{engine.scripts.meters.toward},
L{engine.scripts.meters.Meters.held}), or while its script is suspended
waits instead: it is kept, due again when the rest ends (or, suspended,
taken out of the queue until its owner saves the script again:
L{scripting.facets.timers.park}, written once, not looked at meanwhile),
so that nobody can make another's timers vanish; a repeating one fires once
then, not once for each period it waited through. A timer another
player's doing set (L{scripting.facets.timers.Timer.marked}: his verb or
handler she woke set it, or a marked timer's handler did) is what others
wake: it waits as soon as they rest, leaving the reserve to his own
timers, and what its handler sets is marked in turn. It carries who she is
(L{scripting.facets.timers.Timer.cause}; kept by what its handler sets):
it runs as her doing, charged to the owner with her (it waits while what
she wakes of his scripts rests, L{ScriptRuntime.rests_for}), its failures
count toward her and not toward suspending the script, and while the
script refuses her it does not run (L{engine.scripts.strikes}): falling due
meanwhile, it is postponed, once, to when the refusal ends (its owner
told), a one-shot one as a repeating one (not used up unrun: she could
not otherwise make another's timer vanish), not taken every period. If
the refusal goes before its end (the script saved anew, or room made for
others' refusals), the timers that waited for it are due at once
(L{engine.scripts.strikes.Strikes.waits},
L{ScriptRuntime.release_timers}). A restart of the server forgets
refusals, not timers: those put off wait on until the end they were put
off to (at most L{engine.scripts.strikes.REFUSE_SECONDS}), then run.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from twisted.logger import Logger

from engine.scripts.meters import CPU_WINDOW, toward
from engine.scripts.runtime import ScriptFailed, ScriptRuntime, describe_failure, whose_script
from scripting.facets import timers as _timers
from world.objects import Character, Thing
from world.scripts import ScriptRecord, parent_of, script_of

_log = Logger()

#: Timers fired per wake-up before yielding to the reactor.
BATCH = 1


def _unhandled(host: Thing, timer_id: int, handler: str) -> str:
    """
    What C{host}'s owner is told when its timer C{timer_id} fires for a
    C{handler} its script no longer has (saved without it since): nothing
    ran, and the timer is cancelled, since it could never call anything.
    """
    parent = parent_of(host)
    whose = "its script" if parent is None else f"the script it runs ({parent.name}'s)"
    return (f"Timer {timer_id} on {host.name} fired for {handler}(data), which {whose} no "
            "longer has (a version saved since it was set has none), so nothing ran; the "
            f"timer is cancelled: define {handler}(data) and set the timer again.")


def _wait_notice(root: Any, timer: _timers.Timer, why: str, seconds: int) -> str:
    """
    What the owner of C{timer}, waiting C{seconds} for C{why}
    (L{TimerScheduler._waits}), is told: the real reason. C{"own"}: his
    scripts used his share; C{"woken"}: they used what others may wake of
    it, and a task another woke set this timer; C{"pair"}: what the player
    whose doing set it wakes of his scripts used her part; C{"held"}: the
    server's scripts are busy and he took more than his part of them;
    C{"cause held"}: so, but she (whose doing set it) did.
    """
    found = root.get(timer.cause) if timer.cause is not None else None
    who = found.name if isinstance(found, Character) else "another player"
    if why == "own":
        reason = "Your scripts rest (@quota): they used your share of the server's time"
    elif why == "woken":
        reason = (f"Your scripts rest for what others wake (@quota), and this timer was set "
                  f"by what {who} woke (your own timers keep the last of your share)")
    elif why == "pair":
        reason = (f"What {who} does keeps your scripts so busy that what her doing set rests "
                  "for now (only what she sets off)")
    elif why == "held":
        reason = ("The server's scripts are busy, and yours took more than their part of its "
                  "time (@quota)")
    else:
        reason = (f"The server's scripts are busy, and {who}, whose doing set this timer, "
                  "took more than her part of its time (not you)")
    return (f"{reason}, so your timers wait: '{timer.handler}' on {timer.host.name}, and any "
            f"other falling due meanwhile for that reason, fires when that ends, in "
            f"{seconds} seconds.")


class TimerScheduler:
    """
    Fires due timers from the injected clock.

    @ivar store: the L{world.store.WorldStore}.
    @ivar runtime: the L{ScriptRuntime} that runs handlers.
    @ivar clock: an C{IReactorTime}.
    """

    def __init__(self, store: Any, runtime: ScriptRuntime, clock: Any,
                 resume: Callable[[ScriptRuntime], Any] | None = None) -> None:
        self.store = store
        self.runtime = runtime
        self.clock = clock
        #: What goes on with the work a restart of the server stopped
        #: (L{engine.commands.script.resume_restarts}), run once it plays.
        self.resume = resume
        self._call: Any = None
        self._resuming: Any = None
        self._running = False
        self._firing = False
        runtime.wake = self.wake

    def start(self) -> None:
        """
        Start firing timers (those overdue from before a restart fire now),
        and, in the reactor's next turn (once the server listens), go on
        with the restarts of scripts the server's restart stopped.
        """
        self._running = True
        self.wake()
        if self.resume is not None:
            self._resuming = self.clock.callLater(0, self._resume)

    def _resume(self) -> None:
        self._resuming = None
        if not self._running or self.resume is None:
            return
        try:
            self.resume(self.runtime)
        except Exception:
            _log.failure("going on with the restarts of scripts failed")

    def stop(self) -> None:
        """
        Stop firing timers; they stay stored.
        """
        self._running = False
        self._cancel()
        if self._resuming is not None and self._resuming.active():
            self._resuming.cancel()
        self._resuming = None

    def _cancel(self) -> None:
        if self._call is not None and self._call.active():
            self._call.cancel()
        self._call = None

    def wake(self) -> None:
        """
        Look again at when the next timer is due (after a turn that may have
        set one).
        """
        if not self._running or self._firing or self.store.current_turn is not None:
            return
        with self.store.turn() as turn:
            when = _timers.next_due(turn.root)
        self._cancel()
        if when is not None:
            delay = max(0.0, when - self.clock.seconds())
            self._call = self.clock.callLater(delay, self.fire)

    def fire(self) -> None:
        """
        Run the timers due now, each in its own turn.
        """
        self._call = None
        now = self.clock.seconds()
        self._firing = True
        try:
            with self.store.turn() as turn:
                ids = [t.id for t in _timers.due(turn.root, now, BATCH)]
            for timer_id in ids:
                try:
                    self._fire_one(timer_id, now)
                except Exception:
                    _log.failure("timer {id} failed to fire", id=timer_id)
        finally:
            self._firing = False
        self.wake()

    def _waits(self, turn: Any, timer: _timers.Timer, record: ScriptRecord | None,
               now: float) -> bool:
        """
        Whether C{timer}, due at C{now}, waits rather than fires: its
        owner's scripts rest, or its script is suspended. It is then kept,
        due again when the rest ends (its owner is told why, at most once
        per L{CPU_WINDOW} for each reason, L{_wait_notice}): waking once
        then, not every turn until then; or, suspended, parked until its
        script is saved again (L{_timers.park}): not looked at, nor
        written, meanwhile.
        """
        runtime = self.runtime
        owner = timer.host.owner
        if record is not None and record.suspended is not None:
            _timers.park(turn.root, timer, parent_of(timer.host) or timer.host)
            return True
        if record is None:
            return False
        if self._refused(turn, timer, record, now):
            return True
        # (None: not resting; a marked timer rests as what others wake).
        # Each check says why (L{_wait_notice}): the owner is told the
        # real reason his timers wait, not always his own share.
        cause = timer.cause if timer.cause != owner else None
        until = runtime.rests_until(owner, turn.root, own=not timer.marked)
        why = "own" if not timer.marked or until is None \
            or runtime.rests_until(owner, turn.root, own=True) is not None else "woken"
        if until is None and cause is not None:
            why = "pair"
            until = runtime.pair_rests_until(owner, cause, turn.root)
        if until is None:  # (held for the server's ceiling: whose doing it is, L{toward})
            account, own = toward(owner, timer.cause)
            why = "held" if account == owner else "cause held"
            until = runtime.meters.held_until(account, own)
        if until is None and cause is not None:
            why = "cause held"
            until = runtime.meters.held_until(cause)  # (nor while she is held)
        if until is None:
            return False
        if until <= now:  # (a rest ending as the clock reads it)
            until = now + _timers.MIN_DELAY
        _timers.postpone(turn.root, timer, until)
        if runtime.meters.notice_due(("timers", owner, why), CPU_WINDOW):
            notice = _wait_notice(turn.root, timer, why, math.ceil(until - now))
            turn.after_commit.append(lambda: runtime.tell(owner, notice))
        return True

    def _refused(self, turn: Any, timer: _timers.Timer, record: ScriptRecord,
                 now: float) -> bool:
        """
        Whether C{timer}, due at C{now} (one-shot or repeating), is of the
        doing of a player its script refuses (L{_timers.Timer.cause},
        L{ScriptRuntime.refuses}): it is then postponed to when the
        refusal ends (written once, not at every period meanwhile), and
        its owner told, once a refusal, that her timers wait.
        """
        runtime = self.runtime
        host, cause = timer.host, timer.cause
        until = runtime.refuses(host, cause)
        if until is None or cause is None:
            return False
        _timers.postpone(turn.root, timer, until)
        holder = parent_of(host) or host
        runtime.strikes.waits(holder.id, record.version, cause, holder.owner, timer.id)
        if runtime.strikes.first_timer_wait(holder.id, record.version, cause,
                                            holder.owner):
            found = turn.root.get(cause)
            who = found.name if isinstance(found, Character) else f"#{cause}"
            minutes = max(1, math.ceil((until - now) / 60))
            shared = " (and on the things running its script)" \
                if holder is not host or host.script_users else ""
            said = (f"The timers that {who}'s doing set on {host.name}{shared} wait "
                    f"until its script answers {who} again, in {minutes} minutes, then go on "
                    f"('{timer.handler}' (timer {timer.id}) is one; timers.pending() shows "
                    "when each is due).")
            owner = host.owner
            turn.after_commit.append(lambda: runtime.tell(owner, said))
        return True

    def _fire_one(self, timer_id: int, now: float) -> None:
        runtime = self.runtime
        cause: int | None = None
        try:
            with self.store.turn() as turn:
                reg = _timers.registry(turn.root)
                timer = reg.live.get(timer_id) if reg is not None else None
                if timer is None or timer.due > now:
                    return
                host, handler, cause = timer.host, timer.handler, timer.cause
                name = whose_script(host)  # (named before it runs: it may rename it)
                record = script_of(host)
                if record is None:
                    # Its thing runs no script now (the one it ran went, or
                    # it stopped running it): nothing could ever call it.
                    _timers.cancel(turn.root, timer)
                    said = (f"Timer {timer_id} on {host.name} fired for {handler}(data), but "
                            f"{host.name} runs no script now, so nothing ran; the timer is "
                            "cancelled.")
                    owner = timer.owner
                    turn.after_commit.append(lambda: runtime.tell(owner, said))
                    return
                if self._waits(turn, timer, record, now):  # (before loading anything)
                    return
                known = None
                if record is not None:
                    known = runtime.functions(turn, host, record)  # (may suspend it)
                    if self._waits(turn, timer, record, now):
                        return
                if known is not None and handler not in known:
                    # It could never call anything: cancelled, not counted
                    # (a script others run would be suspended for them all).
                    _timers.cancel(turn.root, timer)
                    said = _unhandled(host, timer_id, handler)
                    owner = host.owner
                    turn.after_commit.append(lambda: runtime.tell(owner, said))
                    _log.info("timer {id} on #{host} (owner {owner}) cancelled: no function "
                              "{handler}", id=timer_id, host=host.id, owner=owner,
                              handler=handler)
                    return
                data = _timers.data_of(timer)
                _timers.fired(turn.root, timer, now)  # first: the handler may set it again
                result = runtime.call(turn, host, handler, (data,), timer=True,
                                      own=not timer.marked, blame=cause)
                if result is not None and not result.ok:
                    raise ScriptFailed(describe_failure(name, result), host.id, host.owner,
                                       result.error or "")
        except Exception as error:
            failure = error if isinstance(error, ScriptFailed) else None
            if failure is None:
                _log.failure("timer {id} could not run", id=timer_id)
            with self.store.turn() as turn:
                reg = _timers.registry(turn.root)
                timer = reg.live.get(timer_id) if reg is not None else None
                if timer is not None:
                    _timers.fired(turn.root, timer, now)  # never the same firing twice
                if failure is None:
                    return
                host = turn.root.get(failure.host_id)
                if host is None:
                    notice = None
                else:  # (her doing's timer: toward her, refused her alone)
                    notice = runtime.failed(turn, host, cause if cause != host.owner else None)
                runtime.remember_failure(turn, failure.owner, f"A timer fired:\n{failure}",
                                         cause)
            _log.info("timer {id} on #{host} (owner {owner}) failed: {error}", id=timer_id,
                      host=failure.host_id, owner=failure.owner, error=failure.error)
            runtime.tell(failure.owner, f"A timer fired:\n{failure}", said_by=cause)
            if notice:
                runtime.tell(failure.owner if cause is None else cause, notice)
