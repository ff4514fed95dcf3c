# -*- test-case-name: tests.engine.test_commands -*-
"""
Handling things: get, drop, give, put.

The rules are the world's (L{world.rules}): a thing whose C{fixed}
property is true cannot be picked up (its C{fixed_message} property, if set,
says why); a container whose C{sealed} property is true takes things in but
lets nothing out (a coin slot, a letterbox), except for its owner and whoever
carries it.
"""

from __future__ import annotations

from engine.commands.base import Context, UserError, split_on
from engine.scripts import events
from engine.text import a, capitalise, join, the
from world import ignores, rules
from world.errors import NoMatch, WorldError
from world.events import Event
from world.matching import match, match_in
from world.objects import Container, Exit, Thing

#: Moves told by the command itself, not as arrivals and departures.
_QUIET = rules.Motion()


def _container(ctx: Context, name: str, what: str, leaving_out: Thing | None = None) -> Thing:
    """
    The container in reach C{name} names (but C{leaving_out}, carried),
    found by the index by name of the actor and the room: only the
    containers answering are read.
    """
    places = [(ctx.actor, leaving_out), (ctx.here, ctx.actor)]
    try:
        return match_in(name, places, what=what, whose=ctx.whose, only=Container)
    except NoMatch as unseen:
        try:  # (a plain thing of that name here: say why, not that it is not seen)
            found = match_in(name, places, what=what, whose=ctx.whose, exits=False)
        except WorldError:
            raise unseen from None
        raise UserError(f"{capitalise(the(found.name))} cannot hold things ('@create "
                        "container <name>' makes a thing that can).") from None


def get(ctx: Context) -> None:
    """
    Pick something up: get <thing> [from <container>]   (or take)

    'get lamp' takes the lamp from the room; 'get coin from bag' takes it out
    of a bag here or in your hands; 'get all' takes everything you can.
    """
    if not ctx.args:
        raise UserError("Get what?")
    source: Thing = ctx.here
    what = ctx.args
    parts = split_on(ctx.args, "from")
    if parts is not None:
        what, container_name = parts
        source = _container(ctx, container_name, "here to take from")
    if what.lower() == "all":
        pool = [o for o in source.contents if o is not ctx.actor and not isinstance(o, Exit)]
        taken = []
        told: list[rules.Told] = []
        for obj in pool:
            try:
                rules.check_portable(obj, ctx.actor)
                told += rules.move(obj, ctx.actor, ctx.agent, _QUIET)
            except WorldError:
                continue
            taken.append(obj)
        if not taken:
            raise UserError("There is nothing here you can take.")
        names = join(a(o.name) for o in taken)
        ctx.tell_room(f"{ctx.actor.name} picks up {names}.", "take",
                      actor_text=f"You pick up {names}.")
        rules.deliver(ctx.turn, told)  # what runs others' scripts in what she took
        for obj in taken:
            _taken(ctx, obj, source)
        return
    # Found by the place's index by name: only what answers is read.
    obj = match_in(what, [(source, ctx.actor)], what="there" if source is not ctx.here else "here",
                   whose=ctx.whose, exits=False)
    rules.check_portable(obj, ctx.actor)
    told = rules.move(obj, ctx.actor, ctx.agent, _QUIET)
    _taken(ctx, obj, source)
    if source is ctx.here:
        ctx.tell_room(f"{ctx.actor.name} picks up {a(obj.name)}.", "take",
                      actor_text=f"You pick up {the(obj.name)}.")
    else:
        ctx.tell_room(f"{ctx.actor.name} takes {a(obj.name)} from {the(source.name)}.",
                      "take", actor_text=f"You take {the(obj.name)} from {the(source.name)}.")
    rules.deliver(ctx.turn, told)  # what runs others' scripts in what she took


def _taken(ctx: Context, obj: Thing, source: Thing) -> None:
    events.queue(ctx, obj, "on_take", ctx.actor)
    events.wake(ctx, rules.moved(obj, source, ctx.actor, ctx.actor))


def drop(ctx: Context) -> None:
    """
    Put down something you carry: drop <thing>   ('drop all' drops everything)
    """
    if not ctx.args:
        raise UserError("Drop what?")
    carried = list(ctx.actor.things())
    if ctx.args.lower() == "all":
        if not carried:
            raise UserError("You are carrying nothing.")
        objs = carried
    else:
        objs = [match(ctx.args, carried, what="in your hands", whose=ctx.whose)]
    for obj in objs:
        rules.move(obj, ctx.here, ctx.agent, _QUIET)
        events.queue(ctx, obj, "on_drop", ctx.actor)
        events.wake(ctx, rules.moved(obj, ctx.actor, ctx.here, ctx.actor))
    names = join(a(o.name) for o in objs)
    ctx.tell_room(f"{ctx.actor.name} drops {names}.", "drop",
                  actor_text=f"You drop {names if len(objs) > 1 else the(objs[0].name)}.")


def give(ctx: Context) -> None:
    """
    Hand something to someone here: give <thing> to <person>
    """
    parts = split_on(ctx.args, "to")
    if parts is None:
        raise UserError("Give what to whom? Type 'give <thing> to <person>'.")
    what, whom = parts
    obj = match(what, list(ctx.actor.things()), what="in your hands", whose=ctx.whose)
    if whom.strip().lower() in ("me", "self", "myself", ctx.actor.name.lower()):
        raise UserError(f"You are carrying {the(obj.name)} already: 'give <thing> to "
                        "<person>' hands it to someone here.")
    # Found by the room's list of its characters, which keeps their names:
    # the one named is read, not every character asleep here.
    target = ctx.person_here(whom)
    if not ctx.is_at_least("wizard") and ignores.refuses(ctx.root, target, ctx.actor.id):
        raise UserError(f"{target.name} is not accepting things from you; you still have "
                        f"{the(obj.name)}.")
    told = rules.give(obj, target, ctx.agent)
    events.queue(ctx, obj, "on_give", ctx.actor, target)
    ctx.tell(f"You give {the(obj.name)} to {target.name}.", "give")
    ctx.tell_to(target, f"{ctx.actor.name} gives you {a(obj.name)}.", "give")
    rules.deliver(ctx.turn, told)  # what runs others' scripts in what she was given
    ctx.turn.tell_room(ctx.here, Event("give", f"{ctx.actor.name} gives {a(obj.name)} to "
                                       f"{target.name}.", actor=ctx.actor.id,
                                       location=ctx.here.id, target=target.id),
                       exclude=(ctx.actor, target))


def put(ctx: Context) -> None:
    """
    Put something into a container: put <thing> in <container>

    The container may be here or in your hands ('put coin in bag').
    """
    parts = split_on(ctx.args, "in") or split_on(ctx.args, "into")
    if parts is None:
        raise UserError("Put what where? Type 'put <thing> in <container>'.")
    what, where = parts
    obj = match(what, list(ctx.actor.things()), what="in your hands", whose=ctx.whose)
    try:
        target = _container(ctx, where, "here to put things in", leaving_out=obj)
    except NoMatch:
        if where.strip().lower() not in obj.names():
            raise
        raise UserError(f"{capitalise(the(obj.name))} cannot go inside itself.") from None
    rules.move(obj, target, ctx.agent, _QUIET)
    ctx.tell_room(f"{ctx.actor.name} puts {a(obj.name)} in {the(target.name)}.", "put",
                  actor_text=f"You put {the(obj.name)} in {the(target.name)}.")
    events.wake(ctx, rules.moved(obj, ctx.actor, target, ctx.actor))
