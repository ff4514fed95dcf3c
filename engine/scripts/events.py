# -*- test-case-name: tests.scripts.test_events,tests.engine.test_help -*-
"""
Which script handlers a player's command wakes.

Commands call these after doing their work; each queues handler runs on the
command's context, and L{engine.commands.execute} runs them, in order, once
the command has finished, each in a savepoint of the same turn (see
L{engine.scripts.runtime.ScriptRuntime.react}).

The handlers and their arguments (what a script defines to hear of them;
their table, L{HANDLERS}, lives in L{engine.scripts.signatures}, which
checks a saved script's handlers take them):

  - C{on_look(actor)}: the host was looked at;
  - C{on_hear(actor, text)}: someone said C{text} in the host's room;
  - C{on_enter(actor, thing)}: C{thing} came into the host (a room or a
    container): a player walked in, dropped or put something there;
  - C{on_leave(actor, thing, where)}: C{thing} left the host for C{where}:
    a player walked out, or took something;
  - C{on_arrive(actor)}: someone walked into the room the host is in;
  - C{on_depart(actor, where)}: someone walked out of the host's room, to
    C{where};
  - C{on_take(actor)}, C{on_drop(actor)}: the host was picked up, put down;
  - C{on_give(actor, recipient)}: the host was handed to C{recipient};
  - C{on_use(actor)}: someone typed C{use <host>}.

C{actor} is the character who did it (an interact facet: the script may
C{tell} them; for a script's move, whoever's command woke that script, or
None for a timer); other objects are view facets. What players do wakes
handlers; of what scripts do, only their moves do (C{move_to}: the same
C{on_leave}/C{on_enter} a player's move wakes, one rule,
L{world.rules.moved}), and the handlers those wake wake nothing more, so
scripts cannot wake each other in a loop (a script that speaks is not heard
by other scripts). At most L{MAX_HANDLERS} handlers run per happening,
shared fairly between the owners of the objects listening (L{fair}), and at
most four times that per command or per script task, no owner taking more
than their part of a command's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engine.scripts.fanout import MAX_HANDLERS, hosts, listeners
from engine.scripts.signatures import HANDLER_NAMES as HANDLER_NAMES
from engine.scripts.signatures import HANDLERS as HANDLERS
from world.objects import Room, Thing
from world.rules import Wake
from world.scripts import script_of

if TYPE_CHECKING:
    from engine.commands.base import Context


def queue(ctx: Context, host: Thing | None, function: str, *args: Any) -> None:
    """
    Wake C{function} of C{host}'s script with C{args} once the command is
    done (if the host has a runnable script defining it).
    """
    if host is None or script_of(host) is None:
        return
    ctx.reactions.append((host, function, args))


def broadcast(ctx: Context, room: Room | None, function: str, *args: Any,
              exclude: tuple = ()) -> None:
    """
    Wake C{function} on the scripted objects around C{room} that define it
    (L{listeners}).
    """
    for obj in listeners(ctx.server.scripts, ctx.turn, room, function, exclude):
        ctx.reactions.append((obj, function, args))


def wake(ctx: Context, woken: list[Wake]) -> None:
    """
    Queue the handlers a command's change wakes (L{world.rules.moved}).
    """
    for each in woken:
        for host in hosts(ctx.server.scripts, ctx.turn, each):
            ctx.reactions.append((host, each.function, each.args))


def run(ctx: Context) -> None:
    """
    Run the queued handlers of C{ctx}'s command (called by the command
    runner, inside the turn): at most L{MAX_HANDLERS} times four, in the
    order queued, and no owner more than their fair part of those when
    several owners' handlers are waiting.
    """
    runtime = ctx.server.scripts
    reactions = list(ctx.reactions)
    ctx.reactions.clear()
    waiting = [r for r in reactions if runtime.handles(ctx.turn, r[0], r[1])]
    owners = {host.owner for host, _, _ in waiting}
    share = max(1, (MAX_HANDLERS * 4) // max(1, len(owners)))
    taken: dict[Any, int] = {}
    seen = 0
    for host, function, args in waiting:
        if seen >= MAX_HANDLERS * 4:  # one command, several happenings: still bounded
            break
        if taken.get(host.owner, 0) >= share or not runtime.handles(ctx.turn, host, function):
            continue
        taken[host.owner] = taken.get(host.owner, 0) + 1
        seen += 1
        runtime.react(ctx.turn, host, function, args, actor=ctx.actor)
