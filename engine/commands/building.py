# -*- test-case-name: tests.engine.test_commands,tests.engine.test_limits_audit -*-
"""
Building the world live: @dig, @open, @create, @describe, @name, @alias,
@destroy, @teleport, @set, @unset, @find (@examine is in
L{engine.commands.examine}).

Builders may change what they own (what they made); wizards may change
anything. Objects are named as players name them, or by id (C{#12}); C{here}
and C{me} work everywhere.
"""

from __future__ import annotations

import json
from typing import Any

from engine.commands.base import Context, UserError, split_equals, split_on
from engine.commands.basic import describe_room
from engine.oob import room_data
from engine.text import a, join
from scripting.facets import accounting, lifecycle, properties, texts
from world import rules
from world.objects import (
    OPPOSITES,
    Character,
    Container,
    Exit,
    Room,
    Thing,
    canonical_direction,
    direction_aliases,
)
from world.values import NotPlain, check_plain

#: The most objects @find lists.
FIND_SHOWN = 50
#: The world's limits on names and descriptions (one rule for commands and scripts).
MAX_NAME = rules.MAX_NAME
MAX_DESCRIPTION = rules.MAX_DESCRIPTION


def _new_name(ctx: Context, name: str, what: str = "name") -> str:
    """
    C{name} if the world's naming rules let a new room or exit take it
    (L{world.rules.check_name}: never a character's name, so nothing built
    can speak as a player).
    """
    return rules.check_name(ctx.root, name, what)


def _exit_pair(ctx: Context, spec: str) -> tuple[str, str | None]:
    """
    C{"north"} → (north, south); C{"gate/out"} → (gate, out); C{"gate"} →
    (gate, None).
    """
    if "/" in spec:
        there, back = spec.split("/", 1)
        there, back = _new_name(ctx, there, "exit name"), _new_name(ctx, back, "exit name")
    else:
        there = _new_name(ctx, spec, "exit name")
        back = None
    direction = canonical_direction(there)
    if direction is not None:
        there = direction
        if back is None:
            back = OPPOSITES.get(direction)
    if back is not None:
        back = canonical_direction(back) or back
    return there, back


def _exit_first(command: str, spec: str, room: str) -> None:
    """
    Refuse C{@dig}'s and C{@open}'s room and exit typed the wrong way round
    (C{@open Kitchen to west}): no room is called by a direction.
    """
    if canonical_direction(room.split("/", 1)[0]) is not None:
        raise UserError(f"You name the exit first, then the room: '{command} {room} to "
                        f"{spec}'.")


def _make_exit(ctx: Context, room: Room, name: str, destination: Room) -> Exit:
    if any(name.lower() in e.names() for e in room.exits()):
        raise UserError(f"{room.name} ({room.ref}) already has an exit called {name}.")
    texts.check_new(ctx.root, ctx.actor.id, name, *direction_aliases(name))
    made, _ = rules.create(ctx.root, Exit, name, room, ctx.agent, owner=ctx.actor.id,
                           destination=destination)
    _count(ctx, made)
    return made


def _room_for(ctx: Context, count: int) -> None:
    """
    Refuse to build C{count} objects the builder has no quota left for
    (wizards are counted, never refused), before anything is built.
    """
    if not ctx.is_at_least("wizard"):
        accounting.check_object(ctx.root, ctx.actor.id, count)


def _count(ctx: Context, made: Thing) -> None:
    accounting.count_object(ctx.root, made, enforce=False)  # checked by _room_for
    texts.charge_made(ctx.root, made)  # checked by texts.check_new


def dig(ctx: Context) -> None:
    """
    Make a new room: @dig <exit>[/<way back>] to <room name>, or @dig <room name>

    '@dig north to Kitchen' makes a room called Kitchen, an exit north from
    here to it and an exit south from it back here (directions get their
    opposite as the way back). For other exit names say the way back:
    '@dig trapdoor/up to Cellar'. '@dig Attic' makes a room with no exits
    (reach it with @teleport or connect it with @open). You need to own the
    room you dig from.
    """
    usage = "Type '@dig north to Kitchen' or '@dig Kitchen'."
    if not ctx.args:
        raise UserError(f"Dig what? {usage}")
    words = ctx.args.lower().split()
    if words[0] == "to" or words[-1] == "to":  # '@dig to Attic': the exit left out
        raise UserError("Name both the exit and the room, '@dig north to Kitchen', or the room "
                        "alone, '@dig Kitchen'.")
    parts = split_on(ctx.args, "to")
    if parts is None:
        name = _new_name(ctx, ctx.args, "room name")
        _room_for(ctx, 1)
        texts.check_new(ctx.root, ctx.actor.id, name)
        room, _ = rules.create(ctx.root, Room, name, None, ctx.agent, owner=ctx.actor.id)
        _count(ctx, room)
        ctx.tell(f"You dig {room.name} ({room.ref}), with no exits yet. "
                 f"Go there with '@teleport {room.ref}'.")
        return
    spec, name = parts
    _exit_first("@dig", spec, name)
    there, back = _exit_pair(ctx, spec)
    if back is None:
        raise UserError(f"Which way leads back from {name}? Say '@dig {there}/<way back> to "
                        f"{name}'.")
    here = ctx.here
    try:
        ctx.require_control(here)
    except UserError as e:  # a new builder's first '@dig', in the world's rooms
        raise UserError(f"{e} '@dig {name.strip()}' makes a room of your own with no exits "
                        "yet: go there ('@teleport #<its number>') and dig from it.") from None
    _room_for(ctx, 3)  # the room and the two exits
    name = _new_name(ctx, name, "room name")
    # What the three store, the short names of directions ('n') among it.
    texts.check_new(ctx.root, ctx.actor.id, name, there, *direction_aliases(there), back,
                    *direction_aliases(back))
    room, _ = rules.create(ctx.root, Room, name, None, ctx.agent,
                           owner=ctx.actor.id, area=getattr(here, "area", ""))
    _count(ctx, room)
    _make_exit(ctx, here, there, room)
    _make_exit(ctx, room, back, here)
    ctx.tell(f"You dig {room.name} ({room.ref}): {there} leads there, {back} leads back.")
    ctx.tell_room(f"{ctx.actor.name} opens a way {there}.", "build")


def open_exit(ctx: Context) -> None:
    """
    Make an exit to an existing room: @open <exit>[/<way back>] to <room>

    '@open east to #12' adds an exit east from here to room #12 and, because
    east has an opposite, one west back. '@open portal to Kitchen' makes a
    one-way exit (rooms can be named by #id or by exact name). You need to own
    both rooms, even for a one-way exit: an exit into someone else's room
    would lead round the doors they lock.
    """
    parts = split_on(ctx.args, "to")
    if parts is None:
        raise UserError("Type '@open <exit> to <room>', e.g. '@open east to #12'.")
    spec, where = parts
    _exit_first("@open", spec, where)
    there, back = _exit_pair(ctx, spec)
    if "/" not in spec and canonical_direction(spec) is None:
        back = None
    destination = ctx.find_anywhere(where)
    if not isinstance(destination, Room):
        raise UserError(f"{destination.name} ({destination.ref}) is not a room.")
    here = ctx.here
    if destination is here:
        raise UserError("An exit from a room to itself leads nowhere new.")
    ctx.require_control(here)
    ctx.require_control(destination)  # even one way: it would go round its locked doors
    _room_for(ctx, 1 if back is None else 2)
    _make_exit(ctx, here, there, destination)
    message = f"You open {there} to {destination.name} ({destination.ref})"
    if back is not None:
        _make_exit(ctx, destination, back, here)
        message += f", and {back} back"
    ctx.tell(message + ".")


def create(ctx: Context) -> None:
    """
    Make a thing: @create [container] <name>

    '@create brass lantern' puts a new brass lantern in your hands;
    '@create container wooden chest' makes one that can hold things.
    Describe it with @describe, name it with @name and @alias, script it
    with @script. Everyone may make things, up to their object limit
    (@quota shows it); rooms and exits are builders' work.
    """
    if not ctx.args:
        raise UserError("Create what? Type '@create <name>'.")
    cls: type[Thing] = Thing
    name = ctx.args
    first, _, rest = name.partition(" ")
    if first.lower() == "container" and rest.strip():
        cls, name = Container, rest
    _room_for(ctx, 1)
    texts.check_new(ctx.root, ctx.actor.id, name)
    obj, _ = rules.create(ctx.root, cls, name, ctx.actor, ctx.agent,
                          owner=ctx.actor.id)
    _count(ctx, obj)
    ctx.tell(f"You create {obj.name} ({obj.ref}). It is in your hands.")


def _target_and_value(ctx: Context, usage: str, *, self_ok: bool = False
                      ) -> tuple[Thing, str]:
    parts = split_equals(ctx.args)
    if parts is None or not parts[0]:
        raise UserError(f"Type '{usage}'.")
    target = ctx.own_or_near(parts[0])  # a player's own things by #id, wherever they are
    if not (self_ok and target is ctx.actor):
        ctx.require_control(target)
    return target, parts[1]


def describe(ctx: Context) -> None:
    """
    Describe something: @describe <thing> = <text>   (or @desc)

    '@describe here = A sunny kitchen.' sets what 'look' shows.
    An empty text clears it. Everyone may describe themselves:
    '@describe me = A tall figure in a green coat.'
    """
    target, text = _target_and_value(ctx, "@describe <thing> = <text>", self_ok=True)
    with texts.charging(ctx.root, target):  # to its owner's stored bytes
        rules.describe(target, text)
    ctx.tell(f"You describe {target.name} ({target.ref}).")


def rename(ctx: Context) -> None:
    """
    Rename something: @name <thing> = <new name>
    """
    target, name = _target_and_value(ctx, "@name <thing> = <new name>")
    old = target.name
    with texts.charging(ctx.root, target):
        rules.rename(ctx.root, target, name)
    ctx.tell(f"{old} ({target.ref}) is now called {target.name}.")


def alias(ctx: Context) -> None:
    """
    Set the other names of something: @alias <thing> = <name>, <name>, ...

    '@alias lantern = lamp, light' lets players say 'get lamp'. The list
    replaces the old one; '@alias lantern =' clears it. Direction exits keep
    their short name (n for north) anyway; no two exits of a room may
    answer to one name.
    """
    target, text = _target_and_value(ctx, "@alias <thing> = <name>, <name>")
    with texts.charging(ctx.root, target):
        rules.set_aliases(ctx.root, target, [n for n in text.split(",") if n.strip()])
    shown = join(target.aliases) if target.aliases else "none"
    ctx.tell(f"{target.name} ({target.ref}) now also answers to: {shown}.")


def destroy(ctx: Context) -> None:
    """
    Destroy something: @destroy <thing>

    What it holds falls out where it was; exits leading into a destroyed room
    go too, and anyone in it is moved to the start room. Characters cannot be
    destroyed.

    Your own things you may name by number ('@destroy #61', the number
    @create showed) wherever they are: a thing of yours someone took still
    counts against your quota, and you may destroy it in their hands or in
    their sealed container (they are told), but not one you gave them (it
    is theirs to keep while they do), nor one you put into another's
    sealed container yourself (a payment stays paid).
    """
    if not ctx.args:
        raise UserError("Destroy what?")
    # Players name what they can see, or their own things by number
    # (wherever they are); builders may name rooms anywhere.
    builder = ctx.is_at_least("builder")
    target = ctx.find_anywhere(ctx.args) if builder else ctx.own_or_near(ctx.args)
    ctx.require_control(target)
    if target is ctx.here:
        raise UserError("You are standing in it. Go somewhere else first.")
    label = f"{target.name} ({target.ref})"
    rules.deliver(ctx.turn, lifecycle.destroy(ctx.root, target, ctx.agent))
    # Timers that waited for its script are queued again (or cancelled): due now.
    ctx.turn.after_commit.append(ctx.server.scripts.wake)
    ctx.tell(f"You destroy {label}.")


def teleport(ctx: Context) -> None:
    """
    Move instantly: @teleport <place>   or   @teleport <thing> = <place>

    Places are rooms (by #id or exact name), or people (you arrive beside
    them), or containers. You go yourself to rooms you own, rooms marked
    public ('@set here/public = true' opens yours), the start room, or a
    room you could walk to from here; wizards go anywhere. Moving anything else
    needs control of it (you own it), and it goes only to a place you own or
    to the room you are in (or into something there), never into what
    another character carries; people go only to rooms.
    """
    parts = split_equals(ctx.args)
    if parts is None:
        if not ctx.args:
            raise UserError("Teleport where? Type '@teleport <place>'.")
        obj, where = ctx.actor, ctx.args
    else:
        obj, where = ctx.find_anywhere(parts[0]), parts[1]
        if obj is not ctx.actor:
            ctx.require_control(obj)
    destination = ctx.find_anywhere(where)
    rules.deliver(ctx.turn, rules.teleport(obj, destination, ctx.agent, ctx.actor.room(),
                                                 ctx.root.start_room))
    name = obj.name
    arrived = obj.room()
    if isinstance(obj, Character) and arrived is not None:
        destination = arrived
    if obj is ctx.actor:
        ctx.tell(describe_room(ctx, ctx.here), "look", room_data(ctx.here, ctx.actor))
    else:
        ctx.tell(f"You send {name} ({obj.ref}) to {destination.name} ({destination.ref}).")
        if isinstance(obj, Character) and arrived is not None:
            ctx.tell_to(obj, f"You are whisked away to {arrived.name}.", "system")


#: Words read as true, false and nothing, whatever their case: JSON's, Python's
#: and plain English (a property set to the text "False" would count as true).
WORDS: dict[str, Any] = {"true": True, "yes": True, "on": True,
                         "false": False, "no": False, "off": False,
                         "null": None, "none": None}


def parse_value(text: str) -> Any:
    """
    A property value as typed: JSON (C{12}, C{true}, C{"text"}, C{[1, 2]},
    C{{"a": 1}}); one of L{WORDS} (C{False}, C{yes}, C{None}); or, failing
    those, the text itself (quote it to keep a word as text: C{"yes"}).
    """
    text = text.strip()
    if text.lower() in WORDS:
        return WORDS[text.lower()]
    try:
        value = json.loads(text)
    except ValueError:
        value = text
    try:
        check_plain(value)
    except NotPlain as e:
        raise UserError(f"That value can't be stored: {e}.") from None
    return value


def _prop_target(ctx: Context, spec: str, usage: str) -> tuple[Thing, str]:
    if "/" not in spec:
        raise UserError(f"Name the property as <thing>/<property>: {usage}")
    where, key = spec.rsplit("/", 1)
    key = key.strip()
    if not key or len(key) > 64 or not key.replace("_", "").replace("-", "").isalnum():
        raise UserError("Property names are letters, digits, _ and -, up to 64 long.")
    target = ctx.own_or_near(where)  # a player's own things by #id, wherever they are
    ctx.require_control(target)
    return target, key


def set_property(ctx: Context) -> None:
    """
    Set a property: @set <thing>/<property> = <value>

    Values are JSON-like: numbers, true/false (or True/False, yes/no,
    on/off), null, "text", [lists] and {"maps": 1}; anything else is kept
    as text. '@set lamp/fixed = true' stops players picking the lamp up;
    '@set north/locked = true' stops everyone going north ('help building'
    lists the properties the world reads). @unset removes one.
    """
    usage = "type '@set <thing>/<property> = <value>', e.g. '@set lamp/fixed = true'."
    parts = split_equals(ctx.args)
    if parts is None:
        raise UserError(usage[0].upper() + usage[1:])
    target, key = _prop_target(ctx, parts[0], usage)
    value = parse_value(parts[1])
    properties.set_property(ctx.root, target, key, value)  # charged to its owner
    ctx.tell(f"{target.name} ({target.ref}): {key} = {json.dumps(value)}")


def unset_property(ctx: Context) -> None:
    """
    Remove a property: @unset <thing>/<property>

    '@unset lamp/fixed' lets players pick the lamp up again.
    """
    target, key = _prop_target(ctx, ctx.args, "type '@unset <thing>/<property>', e.g. "
                               "'@unset lamp/fixed'.")
    if not properties.unset_property(ctx.root, target, key):  # refunds its owner
        raise UserError(f"{target.name} ({target.ref}) has no property {key!r}.")
    ctx.tell(f"{target.name} ({target.ref}): {key} removed.")


def find(ctx: Context) -> None:
    """
    Find objects anywhere by name: @find <name>

    Lists every object with a name or alias holding the text where a word
    starts ('@find lan' finds the brass lantern, '@find antern' does not),
    with its id and where it is (at most 50): where a character is, and
    what a character carries, only beside them (as for scripts).
    """
    wanted = " ".join(ctx.args.lower().split())
    if not wanted:
        raise UserError("Find what? Type '@find <name>'.")
    found, more = ctx.root.find_words(wanted, FIND_SHOWN)  # by the index of names
    if not found:
        raise UserError(f"Nothing is called anything like {ctx.args.strip()!r}.")
    lines = []
    wizard = ctx.is_at_least("wizard")
    for obj in found:
        where = f" in {obj.location.name} ({obj.location.ref})" if obj.location else ""
        if where and not wizard and not rules.in_sight(ctx.actor, obj, ctx.agent):
            where = ", out of your sight"  # a player, or in one's keeping: not tracked
        lines.append(f"  {obj.name} ({obj.ref}), {a(obj.kind)}{where}")
    if more:
        ctx.tell(f"More than {len(found)} found; the first {len(found)}:\n" + "\n".join(lines)
                 + "\n  ...and more: name it more exactly.")
        return
    ctx.tell(f"{len(found)} found:\n" + "\n".join(lines))
