# -*- test-case-name: tests.facets.test_inputs,tests.facets.test_roles,tests.facets.test_timers -*-
"""
The acting context: which store's turn facet methods act through, and which
owner is charged.

Facets hold no store and no owner: a facet stored in one turn is used in a
later one, possibly by another owner's script. The engine runs each script
task inside C{with acting(store, owner):} (within C{store.turn()}); facet
methods then act on the world through C{store.current_turn} and emit events
with L{world.store.Turn.tell}/C{tell_room}, so that a rolled-back turn leaves
no trace and tells nobody anything.

The acting owner decides nothing about what a facet may do (authority is a
property of the reference). It is used only to charge resources and to decide
who owns an object a script creates (parenthood).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

from attrs import field, frozen

from scripting.facets.errors import FacetError


@frozen
class Acting:
    """
    The store whose current turn facets act through, and the acting owner.

    @ivar store: a L{world.store.WorldStore} (anything with C{current_turn}).
    @ivar owner: the id of the owning character charged for this task, or
        None for the world itself (builder content).
    @ivar now: the time of this turn (seconds, from the injected clock), or
        None if the task has no use for time (timers then refuse).
    @ivar charge: called with a number of work units before a facet does
        work proportional to the size of the world (listing contents, copying
        values); the sandbox passes its tick charger, which aborts the task
        when the budget runs out. None: nothing is charged.
    @ivar person: the character who asked for this task in person (typed the
        verb it runs), or None: only that character's holdings may change
        (L{world.rules.Agent.person}).
    @ivar actor: the character whose command woke this task (a verb they
        typed, or a handler their action woke), or None (timers): the task
        may speak to them and see where they are wherever they just went.
    @ivar acted_on: what C{person} acted on (L{world.rules.Agent.acted_on}):
        the verb's own thing and the things they named.
    @ivar woken: this task's moves, C{(thing, from, to)}: the engine wakes
        their handlers (L{world.rules.moved}) once the task is done.
    @ivar host: the id of the thing whose script this task runs, or None.
    @ivar check_handler: called with the name a timer on C{host} is set to
        call (L{scripting.facets.timers.TimersFacet.after}), once it is
        set (cancelled again if this raises): raises L{FacetError} if
        C{host}'s script has no such function or it could not take the
        timer's data (a timer its top level sets
        is checked once the top level has run, failing the load: see
        L{engine.scripts.runtime}). None: not checked (the timer
        then fails when it fires). Called for C{host}'s own timers only, so
        that a task learns nothing of another script's functions.
    @ivar own: the task is C{owner}'s own doing (his command, his own
        timer, or what those woke), not what another player woke: the
        timers it sets on his things are his own
        (L{scripting.facets.timers.Timer.marked}).
    @ivar cause: the player (not C{owner}) whose doing the task is, if
        any: she typed the verb, her action woke the handler, her script's
        move did, or it is a timer her doing set: the timers it sets on
        C{owner}'s things are hers too (L{scripting.facets.timers.Timer.cause}).
    """

    store: Any
    owner: int | None
    now: float | None = None
    charge: Callable[[int], None] | None = None
    person: int | None = None
    actor: int | None = None
    acted_on: frozenset[int] = frozenset()
    woken: list = field(factory=list)
    host: int | None = None
    check_handler: Callable[[str], None] | None = None
    own: bool = False
    cause: int | None = None


_current: ContextVar[Acting | None] = ContextVar("tessera_facets_acting", default=None)


@contextlib.contextmanager
def acting(store: Any, owner: int | None, now: float | None = None,
           charge: Callable[[int], None] | None = None, *,
           person: int | None = None, actor: int | None = None,
           acted_on: frozenset[int] = frozenset(), host: int | None = None,
           check_handler: Callable[[str], None] | None = None,
           own: bool = False, cause: int | None = None) -> Iterator[Acting]:
    """
    Let facet methods act through C{store}'s current turn, charging C{owner},
    at time C{now}, for the duration of the block, at the request of
    C{person} (if a player asked for it in person, acting on C{acted_on});
    work is reported to C{charge}. The task runs C{host}'s script, whose
    timers' handlers C{check_handler} checks (L{Acting.check_handler}); it
    is C{owner}'s own doing if C{own} (L{Acting.own}), else C{cause}'s if
    given (L{Acting.cause}).
    """
    ctx = Acting(store, owner, now, charge, person, actor if actor is not None else person,
                 acted_on, host=host, check_handler=check_handler, own=own, cause=cause)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def current() -> Acting:
    """
    The acting context.

    @raise FacetError: no script task is running (facets act only inside one).
    """
    ctx = _current.get()
    if ctx is None:
        raise FacetError("That can only be done while a script is running.")
    return ctx


def current_turn() -> Any:
    """
    The L{world.store.Turn} in progress for the acting context.

    @raise FacetError: there is no acting context, or no turn in progress.
    """
    turn = current().store.current_turn
    if turn is None:
        raise FacetError("That can only be done during a turn.")
    return turn


def charge(units: int) -> None:
    """
    Report C{units} of work about to be done to the acting context's charger
    (if any), which may abort the task.
    """
    ctx = _current.get()
    if ctx is not None and ctx.charge is not None and units > 0:
        ctx.charge(units)
