# -*- test-case-name: tests.facets.test_timers,tests.facets.test_checkers -*-
"""
Timers at rest: persistent one-shot and repeating timers, capped per owner.

This is the storage half of timers. A L{Timer} records which host's script
to wake, which handler to call, with what data, when, and how often. The
engine's scheduler (the integration step) asks L{next_due} when to wake,
takes L{due} timers, runs each handler in its own turn and reports
L{fired}. A repeating timer is then rescheduled (skipping missed periods, so
a server that was down does not fire a burst); a one-shot timer is removed.
A timer whose script may not run when it falls due is L{postpone}d instead
(its owner's scripts rest), or L{park}ed until the script is saved again
(it is suspended).
Timers are persistent, so they survive restarts; times are absolute seconds
of the injected clock (C{Acting.now}), never read here.

Each pending timer counts against its owner's timer quota, and its data
(measured as script state is, with the handler's name as its key) against
their stored-bytes quota (L{scripting.facets.accounting}); cancelling it,
or a one-shot timer firing, refunds exactly what it was charged. Scripts
reach their host's timers through L{timers_facet}: C{after}, C{every},
C{cancel} (this host's timers only) and C{pending}.

Storage: a L{TimerRegistry} attached lazily to the world root as
C{root.timers}.
"""

from __future__ import annotations

import math
import re
from typing import Any

from BTrees.IIBTree import IITreeSet
from BTrees.IOBTree import IOBTree
from persistent import Persistent
from zope.interface import implementer
from zope.security.proxy import Proxy

from scripting.facets import accounting, state
from scripting.facets.adapters import exists
from scripting.facets.base import FacetBase
from scripting.facets.checkers import ServiceChecker, install_checkers, interface_names
from scripting.facets.context import current, current_turn
from scripting.facets.errors import FacetError, QuotaExceeded
from scripting.facets.interfaces import ITimers
from scripting.facets.membrane import is_alive
from world.errors import WorldError
from world.objects import Thing
from world.registries import TimerRegistry, owner_key  # stored worlds name it here too
from world.scripts import parent_of, script_of

#: The attribute of the world root holding the registry.
ROOT_ATTRIBUTE = "timers"
#: The shortest delay, and the shortest repeat interval, in seconds.
MIN_DELAY = 1.0
MIN_INTERVAL = 5.0
#: The longest delay or interval (thirty days).
MAX_DELAY = 30 * 24 * 3600.0
#: The largest data a timer may carry, measured like script state.
MAX_DATA_BYTES = 4096
#: What handler names look like.
HANDLER = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_WORLD = 0


class Timer(Persistent):
    """
    One pending timer.

    @ivar id: unique in the world.
    @ivar owner: who is charged (the host's owner when it was set).
    @ivar host: the object whose script is woken.
    @ivar handler: the name of the script function to call.
    @ivar data: the encoded data handed to it (plain values and facets).
    @ivar due: when it fires next (absolute seconds).
    @ivar interval: seconds between firings, or None for a one-shot timer.
    @ivar charged: the stored bytes its owner was charged for it (timers set
        before data was charged: 0, and refund nothing).
    @ivar marked: it was set by a task another player woke (his verb or
        handler, or the handler of a marked timer), not by its owner's own
        doing: it fires as what others wake does, within the part of his
        share not kept for his own timers
        (L{engine.scripts.runtime.OWN_RESERVE}), so that nobody can spend
        that part by having his script set timers. A repeating timer keeps
        it. (Timers set before it was kept read as unmarked.)
    @ivar cause: the player whose doing set it, if another than its
        owner (a marked timer: her verb, a handler her action woke, or a
        timer hers set it; or her script handed it the timers facet): its
        failures count toward her, not toward suspending the script, it
        does not run while the script refuses her, and its runs are
        charged to the owner with her (L{engine.scripts.runtime}). A
        timer its handler sets again keeps it. None: its owner's own
        (timers set before it was kept read as his).
    """

    charged = 0
    marked = False
    cause: int | None = None
    #: The id of the object whose script, suspended, this timer waits for
    #: (L{park}), out of the queue; None while it is queued.
    parked_on: int | None = None

    def __init__(self, id: int, owner: int | None, host: Thing, handler: str, data: Any,
                 due: float, interval: float | None) -> None:
        self.id = id
        self.owner = owner
        self.host = host
        self.handler = handler
        self.data = data
        self.due = due
        self.interval = interval

    def __repr__(self) -> str:
        return f"<Timer {self.id} {self.handler!r} due {self.due}>"


def registry(root: Any) -> TimerRegistry:
    """
    The world's timer registry (L{world.root.WorldRoot.timers}).
    """
    return root.timers


def _registry_made(root: Any) -> TimerRegistry:
    return root.timers


def _seconds(value: Any, what: str, least: float) -> float:
    if type(value) not in (int, float) or not math.isfinite(value):
        raise FacetError(f"The {what} must be a number of seconds.")
    if not least <= value <= MAX_DELAY:
        raise FacetError(f"The {what} must be from {least:g} to {MAX_DELAY:.0f} seconds "
                         f"({MAX_DELAY / 86400:g} days), not {value:g}.")
    return float(value)


def schedule(root: Any, host: Thing, *, now: float, delay: Any, handler: Any,
             data: Any = None, interval: Any = None, marked: bool = False,
             cause: int | None = None) -> Timer:
    """
    Set a timer on C{host}: call C{handler} with C{data} C{delay} seconds
    after C{now}, then every C{interval} seconds if given; C{marked} if
    another player's doing set it (L{Timer.marked}), C{cause}'s if given
    (L{Timer.cause}: marked then too).

    @raise FacetError: a bad delay, interval, handler name or data.
    @raise QuotaExceeded: the host's owner has no timers left, or too few
        stored bytes for its data; nothing set.
    """
    delay = _seconds(delay, "delay", MIN_DELAY)
    if interval is not None:
        interval = _seconds(interval, "interval", MIN_INTERVAL)
    if type(handler) is not str or not HANDLER.match(handler):
        raise FacetError("A handler is the name of a function: lower-case letters, digits, _.")
    encoded = state.encode(data, limit=MAX_DATA_BYTES)
    if state.measure("", encoded) > MAX_DATA_BYTES:
        raise FacetError(f"Timer data is limited to {MAX_DATA_BYTES} bytes.")
    size = state.measure(handler, encoded)
    try:
        accounting.charge_timer(root, host.owner)  # raises before anything changes
    except QuotaExceeded:
        if not stranded(root, host.owner):  # his timers no thing runs the script of
            raise
        accounting.charge_timer(root, host.owner)
    try:
        accounting.charge_bytes(root, host.owner, size)
    except Exception:
        accounting.release_timer(root, host.owner)
        raise
    reg = _registry_made(root)
    timer = Timer(reg.next_id, host.owner, host, handler, encoded, now + delay, interval)
    timer.charged = size
    if marked or cause is not None:
        timer.marked = True
    if cause is not None and cause != host.owner:
        timer.cause = cause  # (stored only when set: an owner's timer keeps the default)
    reg.next_id += 1
    reg.add(timer)
    return timer


def cancel(root: Any, timer: Timer) -> None:
    """
    Remove C{timer}, refunding its owner (the timer and its data's bytes).
    Does nothing if it is not pending.
    """
    reg = registry(root)
    if reg is None or reg.live.get(timer.id) is not timer:
        return
    _unlisted(reg, timer)
    reg.remove(timer)
    accounting.release_timer(root, timer.owner)
    if timer.charged:
        accounting.charge_bytes(root, timer.owner, -timer.charged)
        timer.charged = 0


def timers_on(root: Any, host: Thing) -> list[Timer]:
    """
    C{host}'s pending timers, by id.
    """
    reg = registry(root)
    if reg is None:
        return []
    return [reg.live[i] for i in reg.by_host.get(host.id, ())]


def next_due(root: Any) -> float | None:
    """
    When the earliest timer is due, or None if there are none.
    """
    reg = registry(root)
    if reg is None or not reg.queue:
        return None
    return reg.queue.minKey()[0]


def due(root: Any, now: float, limit: int = 100) -> list[Timer]:
    """
    Up to C{limit} timers due at C{now}, earliest first.
    """
    reg = registry(root)
    if reg is None:
        return []
    found: list[Timer] = []
    for (when, _), timer in reg.queue.items():
        if when > now or len(found) >= limit:
            break
        found.append(timer)
    return found


def fired(root: Any, timer: Timer, now: float) -> None:
    """
    Record that C{timer} fired at C{now}: a one-shot timer is removed; a
    repeating one is due again at its next period after C{now}.
    """
    reg = registry(root)
    if reg is None or reg.live.get(timer.id) is not timer:
        return
    if timer.interval is None:
        cancel(root, timer)
        return
    reg.queue.pop((timer.due, timer.id), None)
    missed = math.floor((now - timer.due) / timer.interval) + 1 if now >= timer.due else 1
    timer.due = timer.due + missed * timer.interval
    reg.queue[(timer.due, timer.id)] = timer


def postpone(root: Any, timer: Timer, when: float) -> None:
    """
    Make C{timer}, due but not run (its owner's scripts rest, or its
    script is suspended), due again at C{when} instead: it is kept, not
    used up, and a repeating one goes on at its period from then (the
    periods it waited through are not made up).
    """
    reg = registry(root)
    if reg is None or reg.live.get(timer.id) is not timer:
        return
    reg.queue.pop((timer.due, timer.id), None)
    timer.due = when
    reg.queue[(timer.due, timer.id)] = timer


def park(root: Any, timer: Timer, holder: Thing) -> None:
    """
    Take C{timer}, due but not run because the script it would call is
    suspended (C{holder}'s: its host's, or the one its host runs), out of
    the queue until that script is saved again (L{unpark}): it is kept, as
    due as it was, and nothing looks at it or writes it meanwhile, however
    long the script stays suspended.
    """
    reg = registry(root)
    if reg is None or reg.live.get(timer.id) is not timer or timer.parked_on is not None:
        return
    reg.queue.pop((timer.due, timer.id), None)
    parked = reg.parked
    if parked is None:
        parked = reg.parked = IOBTree()
    parked.setdefault(holder.id, IITreeSet()).add(timer.id)
    timer.parked_on = holder.id
    owners = reg.parked_by_owner
    if owners is None:
        owners = reg.parked_by_owner = IOBTree()
    owners.setdefault(owner_key(timer.owner), IITreeSet()).add(timer.id)


def unpark(root: Any, holder: Thing) -> int:
    """
    Put back in the queue every timer waiting for C{holder}'s script (just
    saved, runnable again: L{park}), each due when it was (so at once, if
    that has passed); how many.
    """
    reg = registry(root)
    parked = reg.parked if reg is not None else None
    ids = parked.pop(holder.id, None) if parked is not None else None
    if ids is None:
        return 0
    count = 0
    for timer_id in ids:
        timer = reg.live.get(timer_id)
        if timer is None or timer.parked_on != holder.id:
            continue
        timer.parked_on = None
        _owner_unlisted(reg, timer)
        reg.queue[(timer.due, timer.id)] = timer
        count += 1
    return count


def stranded(root: Any, owner: int | None) -> int:
    """
    Let go of C{owner}'s parked timers (L{park}) whose thing no longer runs
    the script they wait for (it runs another's, or its own, or the link to
    the one it ran broke: that thing or it changed owner): each is cancelled
    and refunded if its thing runs no script now (nothing could ever call
    its handler) or is another owner's, else queued again, to fire against
    the script it runs now.
    How many. Looked at when the owner's timers are counted (a new timer
    refused for the quota, C{@quota}): at most his timers, his quota.
    """
    reg = registry(root)
    owners = reg.parked_by_owner if reg is not None else None
    ids = owners.get(owner_key(owner)) if owners is not None else None
    if reg is None or ids is None:
        return 0
    count = 0
    for timer_id in tuple(ids):
        timer = reg.live.get(timer_id)
        if timer is None or timer.parked_on is None:
            ids.discard(timer_id)
            continue
        host = timer.host
        runs = parent_of(host) or host
        if runs.id == timer.parked_on and host.owner == timer.owner:
            continue  # still waiting for the script it runs
        count += 1
        if script_of(host) is None or host.owner != timer.owner:
            cancel(root, timer)  # refunded to whom it was charged
            continue
        _unlisted(reg, timer)
        reg.queue[(timer.due, timer.id)] = timer
    if not ids and owners is not None:
        owners.pop(owner_key(owner), None)
    return count


def _owner_unlisted(reg: TimerRegistry, timer: Timer) -> None:
    owners = reg.parked_by_owner
    ids = owners.get(owner_key(timer.owner)) if owners is not None else None
    if owners is not None and ids is not None:
        ids.discard(timer.id)
        if not ids:
            del owners[owner_key(timer.owner)]


def _unlisted(reg: TimerRegistry, timer: Timer) -> None:
    # A parked timer going (cancelled, its host destroyed) leaves its lists.
    holder = timer.parked_on
    if holder is None:
        return
    timer.parked_on = None
    _owner_unlisted(reg, timer)
    parked = reg.parked
    ids = parked.get(holder) if parked is not None else None
    if parked is not None and ids is not None:
        ids.discard(timer.id)
        if not ids:
            del parked[holder]


def data_of(timer: Timer) -> Any:
    """
    A fresh copy of the data to hand the handler (facets made again).
    """
    return state.decode(timer.data)


def forget_host(root: Any, host: Thing) -> None:
    """
    Cancel every timer on C{host} (when it is destroyed, or its script
    starts afresh); the timers of things running its script that waited for
    it (L{park}) are queued again.
    """
    unpark(root, host)
    for timer in timers_on(root, host):
        cancel(root, timer)


@implementer(ITimers)
class TimersFacet(FacetBase):
    """
    A script's handle on its host's timers.
    """

    __slots__ = ()
    _tag = "timers"

    def __repr__(self) -> str:
        return f"<timers of {self._target.name!r}>" if is_alive(self._cells) else "<revoked facet>"

    __str__ = __repr__

    def _context(self) -> tuple[Any, Thing, float]:
        root = current_turn().root
        now = current().now
        host = self._target
        if not exists(root, host):
            raise WorldError(f"{host.name} no longer exists.")
        if now is None:
            raise FacetError("Timers cannot be used here.")
        return root, host, now

    @staticmethod
    def _marked(host: Thing) -> bool:
        # Unmarked only if the task is the host's owner's own doing (his
        # command, his unmarked timer, what they woke): anything else, a
        # task another player woke or another owner's task, marks it.
        ctx = current()
        return not (ctx.own and ctx.owner == host.owner)

    @staticmethod
    def _cause(host: Thing) -> int | None:
        # Whose doing a timer set now is, if not the host's owner's: the
        # owner of the task's script if another (a timers facet handed
        # on), else the player the task is the doing of (L{Acting.cause}).
        ctx = current()
        if ctx.owner != host.owner:
            return ctx.owner
        return ctx.cause if ctx.cause != host.owner else None

    def _checked(self, root: Any, host: Thing, timer: Timer) -> int:
        # The task's own script checks the function it names now, not when
        # it fires; another host's script is not looked at (its names are
        # its own). Checked once the timer is set (the quota may refuse it:
        # then there is nothing to check), and not kept if it could not
        # call its handler.
        ctx = current()
        if ctx.check_handler is not None and ctx.host == host.id:
            try:
                ctx.check_handler(timer.handler)
            except BaseException:
                cancel(root, timer)
                raise
        return timer.id

    def after(self, seconds: Any, handler: Any, data: Any = None) -> int:
        root, host, now = self._context()
        return self._checked(root, host, schedule(root, host, now=now, delay=seconds,
                                                  handler=handler, data=data,
                                                  marked=self._marked(host),
                                                  cause=self._cause(host)))

    def every(self, seconds: Any, handler: Any, data: Any = None) -> int:
        root, host, now = self._context()
        return self._checked(root, host, schedule(root, host, now=now, delay=seconds,
                                                  handler=handler, data=data,
                                                  interval=seconds,
                                                  marked=self._marked(host),
                                                  cause=self._cause(host)))

    def cancel(self, timer_id: Any) -> bool:
        root, host, _ = self._context()
        for timer in timers_on(root, host):  # this host's own timers only
            if type(timer_id) is int and timer.id == timer_id:
                cancel(root, timer)
                return True
        return False

    def pending(self) -> tuple:
        root, host, now = self._context()
        return tuple(
            (t.id, t.handler, max(0.0, t.due - now), t.interval) for t in timers_on(root, host)
        )


def timers_facet(host: Thing, cells: tuple = ()) -> Any:
    """
    The timers facet of C{host}'s scripts, dying with C{cells}. Trusted code
    only (the engine hands it to the host's scripts).
    """
    install_checkers([TimersFacet])  # an escaped target is inert
    cells = tuple(cells)
    return Proxy(TimersFacet(host, None, cells), ServiceChecker(interface_names(ITimers), cells))
