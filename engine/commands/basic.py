# -*- test-case-name: tests.engine.test_commands -*-
"""
Looking, moving, and the commands about the game itself (who, quit; help
is in L{engine.commands.help}).
"""

from __future__ import annotations

from engine.commands.base import Context, UserError, exits_named
from engine.oob import room_data
from engine.scripts import events
from engine.text import a, indented, join, the
from world import rules
from world.objects import Character, Exit, Room, Thing, canonical_direction

#: The most things a look lists in one place (a room, a bag, what someone
#: carries); the rest are counted, not read.
MAX_LISTED = 20


def _asleep(ctx: Context, character: Thing) -> bool:
    return character.id not in ctx.server.store.minds


def _title(ctx: Context, obj: Thing) -> str:
    if ctx.is_at_least("builder"):
        return f"{obj.name} ({obj.ref})"
    return obj.name


def listing(place: Thing, builder: bool = False) -> list[str]:
    """
    What C{place} holds but its characters and exits, as a list's items:
    at most L{MAX_LISTED} by name (with C{builder}, and their ids), in the
    order they came, then how many more (C{"4,981 other things"}). The
    things holding a script (what hears and answers those here) are named
    before any other, and those left unnamed are counted apart
    (C{"980 other things, 3 of them scripted"}), so a pile of plain things
    never hides one from a player. Reads only those it names, so a pile a
    builder leaves makes nobody's look read it.
    """
    shown, more, scripted = place.contents.listed(MAX_LISTED)
    items = [a(o.name) + (f" ({o.ref})" if builder else "") for o in shown]
    plural = "" if more == 1 else "s"
    if more and more == scripted:
        items.append(f"{more:,} other scripted thing{plural}")
    elif more:
        items.append(f"{more:,} other thing{plural}"
                     + (f", {scripted:,} of them scripted" if scripted else ""))
    return items


def describe_room(ctx: Context, room: Room) -> str:
    """
    What the actor sees on looking around C{room}.
    """
    lines = [_title(ctx, room)]
    if room.description:
        lines.append(indented(room.description))
    exits = room.exits()
    lines.append("Exits: " + (join(e.name for e in exits) + "." if exits else "none."))
    builder = ctx.is_at_least("builder")
    things = listing(room, builder)
    if things:
        lines.append(f"You see {join(things)}.")
    lines.extend(_present(ctx, room))
    return "\n".join(lines)


def _present(ctx: Context, room: Room) -> list[str]:
    """
    Who else is in C{room}, in the order they came: everyone awake, and
    the first L{MAX_LISTED} asleep, then how many more sleep there. Where
    more characters are here than are connected, the connected ones are
    read, not those here: so an army of idle characters parked asleep in
    a room costs a look there the few it names.
    """
    minds = ctx.server.store.minds
    contents = room.contents
    if len(minds) < contents.count_people():
        awake = [obj for obj in (ctx.root.get(rid) for rid in list(minds))
                 if obj is not None and obj.location is room]
        asleep = contents.some_characters(MAX_LISTED, awake)
    else:
        everyone = list(contents.characters())
        awake = [obj for obj in everyone if not _asleep(ctx, obj)]
        asleep = [obj for obj in everyone if _asleep(ctx, obj)][:MAX_LISTED]
    more = contents.count_people() - len(awake) - len(asleep)
    lines = [f"{other.name} is here{', asleep' if other in asleep else ''}."
             for other in sorted([*awake, *asleep], key=lambda obj: obj.arrival)
             if other is not ctx.actor]
    if more > 0:
        lines.append(f"{more:,} other{' is' if more == 1 else 's are'} here, asleep.")
    return lines


def describe_thing(ctx: Context, obj: Thing) -> str:
    """
    What the actor sees on looking at C{obj}.
    """
    lines = [_title(ctx, obj)]
    if isinstance(obj, Exit):
        target = obj.destination.name if obj.destination is not None else "nowhere"
        lines.append(indented(obj.description or f"It leads to {target}."))
        return "\n".join(lines)
    if obj is ctx.actor:
        lines.append(indented(obj.description or "You look like yourself."))
    else:
        lines.append(indented(obj.description
                              or f"You see nothing special about {the(obj.name)}."))
    if not rules.sees_inside(ctx.actor, obj, ctx.agent):
        # A builder's #id names things anywhere, but sees into nothing there.
        return "\n".join(lines)
    inside = listing(obj)
    if isinstance(obj, Character):
        if obj is not ctx.actor and _asleep(ctx, obj):
            lines.append(f"{obj.name} is asleep.")
        if inside:
            lines.append(f"{'You are' if obj is ctx.actor else 'They are'} carrying "
                         f"{join(inside)}.")
    elif obj.container:
        lines.append(f"It holds {join(inside)}." if inside else "It is empty.")
    return "\n".join(lines)


def look(ctx: Context) -> None:
    """
    Look around, or at something: look [thing]

    'look' (or 'l') shows the room you are in: its description, exits, what is
    here and who. 'look lamp' shows the lamp; you can look at what you carry,
    what is here, the exits and the people. 'look 2.coin' picks the second coin.
    """
    if not ctx.args:
        ctx.tell(describe_room(ctx, ctx.here), "look", room_data(ctx.here, ctx.actor))
        return
    target = ctx.args
    if target.lower().startswith("at "):
        target = target[3:]
    seen = ctx.find(target)
    ctx.tell(describe_thing(ctx, seen), "look")
    if ctx.reaches(seen):  # a builder's look at #12 far away wakes nothing there
        events.queue(ctx, seen, "on_look", ctx.actor)


def traverse(ctx: Context, exit: Exit) -> None:
    """
    Move the actor through C{exit} by the world's rules (a locked exit stops
    them), telling both rooms.
    """
    source = ctx.here
    destination, told = rules.walk(ctx.actor, exit, ctx.agent)
    rules.deliver(ctx.turn, told)
    ctx.tell(describe_room(ctx, destination), "look", room_data(destination, ctx.actor))
    walked(ctx, source, destination)


def walked(ctx: Context, source: Room, destination: Room) -> None:
    """
    Wake the scripts around both rooms: the rooms' own C{on_leave} and
    C{on_enter}, and C{on_depart}/C{on_arrive} of what is in them.
    """
    events.wake(ctx, rules.moved(ctx.actor, source, destination, ctx.actor))


def go(ctx: Context) -> None:
    """
    Go through an exit: go <exit>

    'go north' (or just 'north', or 'n') walks through the exit called north.
    Directions: n s e w ne nw se sw u d, in, out; exits with other names
    ('gate') work the same: 'go gate' or 'gate'.
    """
    if not ctx.args:
        raise UserError("Go where? Type 'look' to see the exits.")
    traverse(ctx, find_exit(ctx, ctx.args))


def find_exit(ctx: Context, word: str) -> Exit:
    """
    The exit here called C{word} (a direction, its short form, or a name).
    """
    here = ctx.here
    found = exits_named(here, word)
    if not found:
        direction = canonical_direction(word)
        if direction is not None:
            found = exits_named(here, direction)
    if not found:
        exits = here.exits()
        listed = join((e.name for e in exits), "or") if exits else "nowhere"
        raise UserError(f"You can't go {word!r} from here. You can go {listed}.")
    return found[0]


def home(ctx: Context) -> None:
    """
    Go back to where you started: home

    Takes you to your home (the room you first arrived in), wherever you are.
    """
    destination = ctx.actor.home or ctx.root.start_room
    if destination is None or destination.id not in ctx.root.objects:
        destination = ctx.root.arrival_room()
    if ctx.actor.location is destination:
        raise UserError("You are already home.")
    source = ctx.here
    name = ctx.actor.name
    rules.deliver(ctx.turn, rules.move(ctx.actor, destination, ctx.agent, rules.Motion(
        f"{name} goes home.", f"{name} arrives home.")))
    ctx.tell(describe_room(ctx, destination), "look", room_data(destination, ctx.actor))
    walked(ctx, source, destination)


def inventory(ctx: Context) -> None:
    """
    See what you are carrying: inventory (or i)
    """
    things = [a(o.name) for o in ctx.actor.things()]
    if things:
        ctx.tell("You are carrying:\n" + "\n".join(f"  {t}" for t in things))
    else:
        ctx.tell("You are carrying nothing.")


def examine(ctx: Context) -> None:
    """
    Look closely at something: examine <thing>

    Shows what 'look' shows, and also who made it and what is inside.
    '@examine' shows everything about what you own: its id, properties,
    script and grants.
    """
    if not ctx.args:
        raise UserError("Examine what?")
    ctx.tell(examined(ctx, ctx.find(ctx.args)))


def examined(ctx: Context, obj: Thing) -> str:
    """
    What anyone sees on examining C{obj}: what C{look} shows, who made it,
    and (a room in view) what is in it. Nothing of its properties, script
    or grants, which are its owner's.
    """
    if isinstance(obj, Room) and rules.sees_inside(ctx.actor, obj, ctx.agent):
        lines = [describe_room(ctx, obj)]
    else:
        lines = [describe_thing(ctx, obj)]
    if obj.owner is not None and not isinstance(obj, Character):
        owner = ctx.root.get(obj.owner)
        if owner is not None:
            lines.append(f"It was made by {owner.name}.")
    return "\n".join(lines)


def _duration(seconds: float) -> str:
    seconds = int(max(0, seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m"
    if seconds < 86400:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 86400}d{seconds % 86400 // 3600}h"


def who(ctx: Context) -> None:
    """
    See who is playing: who

    Lists everyone connected, how long they have been on and how long since
    they last typed something (and, for wizards, where from).
    """
    now = ctx.server.clock.seconds()
    sessions = ctx.server.playing()
    wizard = ctx.is_at_least("wizard")
    lines = [f"{'Name':<20} {'On for':>8} {'Idle':>6}" + ("  Address" if wizard else "")]
    for session in sessions:
        account = ctx.root.accounts.get(session.account_key)
        mark = {"wizard": " (wizard)", "builder": " (builder)"}.get(
            account.role if account is not None else "", "")
        lines.append(f"{(session.name or '?') + mark:<20} "
                     f"{_duration(now - session.connected_at):>8} "
                     f"{_duration(now - session.last_input):>6}"
                     + (f"  {session.address}" if wizard else ""))
    count = len(sessions)
    lines.append(f"{count} {'player' if count == 1 else 'players'} connected.")
    ctx.tell("\n".join(lines))


def quit(ctx: Context) -> None:
    """
    Leave the game: quit

    Your character stays where it is, asleep, with everything it carries,
    until you connect again.
    """
    session, name = ctx.session, ctx.actor.name
    ctx.turn.after_commit.append(lambda: session.close(f"Goodbye, {name}. Come back soon!"))
