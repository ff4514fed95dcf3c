# -*- test-case-name: tests.engine.test_examine -*-
"""
C{@examine}: everything about an object, for whoever may know it.

What a player owns is theirs to know in full: its id, where it is, its
names, description and properties (the locks C{fixed} and C{locked} among
them), what is inside, how its script stands (never its source here:
C{@script/show} lists that), the grants its script holds, and what holds a
facet of it. Of another's object a player sees only what C{examine} shows
anyone: never its id, properties, script or grants.

Builders and wizards see ids, owner, location and properties of any object,
as they always have. The server's time a full C{@examine} takes counts
against the examiner's share (L{engine.commands.base.Context.building}), a
builder's (whose name may reach anything in the world) and a player's of
their own things alike (a full container reads every thing inside, and
every property): while the share is spent it is refused. What is inside is
shown only where L{world.rules.sees_inside} lets the examiner see in.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from engine.colour import escape
from engine.commands.base import Context
from engine.commands.basic import examined
from engine.scripts.events import HANDLER_NAMES
from engine.text import a, labelled
from scripting.facets import channels as channel_grants
from scripting.facets import grants, holds, timers
from world import rules
from world.objects import Character, Exit, Room, Thing
from world.scripts import declared_functions, parent_of, script_of

#: What the properties the engine reads do, by (property, kind of object),
#: shown beside them while they are in force (see L{world.rules}).
_MEANINGS = {
    ("fixed", "thing"): "players cannot pick it up",
    ("fixed", "container"): "players cannot pick it up",
    ("locked", "exit"): "nobody can pass",
    ("sealed", "container"): "nothing comes out but for its owner",
    ("public", "room"): "builders may @teleport here",
}


def _in_force(key: str, value: object) -> bool:
    # As the rules read them: 'public' only when exactly true, the others when truthy.
    return value is True if key == "public" else bool(value)


def examine(ctx: Context) -> None:
    """
    Show everything about something of yours: @examine <thing>   (or @ex)

    Of a thing you own: its id, where it is, its other names, description
    and properties (locks such as 'fixed' among them), what is inside, its
    script (its size, verbs and handlers, whether it runs or is suspended,
    its timers; '@script/show <thing>' lists it), the grants its script
    holds, and what holds a facet of it. Name your own things by id from
    anywhere: '@examine #61'. Of someone else's thing you see what
    'examine' shows. Builders see ids, owner and properties of anything;
    where a player is, and what she carries, only beside her.
    """
    query = ctx.args or "here"
    if ctx.is_at_least("builder"):
        with ctx.building():  # a builder's name may reach anywhere: their share pays
            ctx.tell(in_full(ctx, ctx.find_anywhere(query)))
        return
    target = ctx.own_or_near(query)
    if target.owner != ctx.actor.id:
        ctx.tell(examined(ctx, target))  # the public look, and nothing more
        return
    with ctx.building():  # all its contents and properties: their share pays
        ctx.tell(in_full(ctx, target))


def in_full(ctx: Context, target: Thing) -> str:
    """
    Everything about C{target} its examiner may know: for a builder, any
    object; for a player, their own. Its script, grants and holders only
    for whoever controls it (its owner, a wizard).
    """
    builder = ctx.is_at_least("builder")

    def ref(obj: Thing | None) -> str:
        # Ids: a builder's of everything, a player's of what they own.
        if obj is None:
            return "nowhere"
        if builder or obj.owner == ctx.actor.id:
            return f"{obj.name} ({obj.ref})"
        return obj.name

    if target.owner == ctx.actor.id:
        owner = "you"
    elif target.owner is None:
        owner = "the world"
    else:
        owner = ref(ctx.root.get(target.owner))
    lines = [
        f"{target.name} ({target.ref}), {a(target.kind)}",
        f"Owner: {owner}",
        f"Location: {_location(ctx, target, ref)}",
        f"Aliases: {', '.join(target.aliases) or 'none'}",
        labelled("Description", target.description or "(none)"),
    ]
    if target.content_id:
        lines.append(f"Content id: {target.content_id}")
    if isinstance(target, Exit):
        lines.append(f"Leads to: {ref(target.destination)}")
    if isinstance(target, Room):
        lines.append("Exits: " + (", ".join(f"{ref(e)} to {ref(e.destination)}"
                                             for e in target.exits()) or "none"))
    if target.properties:
        lines.append("Properties:")
        for key in sorted(target.properties):
            value = target.properties[key]
            meaning = _MEANINGS.get((key, target.kind)) if _in_force(key, value) else None
            lines.append(f"  {key} = {json.dumps(value)}"
                         + (f"  ({meaning})" if meaning else ""))
    seen = rules.sees_inside(ctx.actor, target, ctx.agent)  # not into far rooms by #id
    things = [ref(o) for o in target.contents if seen and not isinstance(o, Exit)]
    if things:
        lines.append("Contents: " + ", ".join(things))
    if ctx.agent.controls(target):
        lines += _script_lines(ctx, target)
        lines += _grant_lines(ctx, target)
        lines += _holder_lines(ctx, target)
    elif target.scripts:
        parent = parent_of(target)
        lines.append(f"Script: runs the script of {ref(parent)}" if parent is not None
                     else "Script: one (its owner's to read)")
    return "\n".join(lines)


def _location(ctx: Context, target: Thing, ref: Callable[[Thing | None], str]) -> str:
    """
    Where C{target} is, as its examiner may know: a character, and anything
    in a character's keeping, is out of sight (of builders too) unless the
    examiner stands beside that character (L{world.rules.in_sight}), as
    it is to scripts; a wizard is told anywhere.
    """
    if target.location is ctx.actor and target is not ctx.actor:
        return "in your hands"
    if ctx.is_at_least("wizard") or rules.in_sight(ctx.actor, target, ctx.agent):
        return ref(target.location)
    if isinstance(target, Character):
        return "out of your sight"
    return "carried by someone else, out of your sight"  # beside them, it says whom


def _script_lines(ctx: Context, target: Thing) -> list[str]:
    """
    How C{target}'s script stands, for whoever controls it: never its
    source (C{@script/show} lists that).
    """
    if isinstance(target, Character):
        return []
    record = script_of(target)
    if record is None:
        return [f"Script: none ('@script {target.name}' writes one)"]
    size = len(record.lines())
    parent = parent_of(target)
    whose = (f"runs the script of {parent.name} ({parent.ref}): " if parent is not None
             else "")
    status = f"suspended: {record.suspended}" if record.suspended else "running"
    if record.failures and not record.suspended:
        status += f", failed {record.failures} time{'s' if record.failures != 1 else ''} in a row"
    pending = len(timers.timers_on(ctx.root, target))
    if pending:
        status += f", {pending} timer{'s' if pending != 1 else ''} pending"
    lines = [escape(f"Script: {whose}{size} line{'s' if size != 1 else ''}, "
                    f"version {record.version}, {status}")]
    functions = (record.functions if record.functions is not None
                 else declared_functions(record.source))
    verbs = [name[len("verb_"):] for name in functions if name.startswith("verb_")]
    handlers = [name for name in functions if name in HANDLER_NAMES]
    if verbs:
        lines.append(f"  Verbs: {', '.join(verbs)}")
    if handlers:
        lines.append(f"  Handlers: {', '.join(handlers)}")
    lines.append(f"  ('@script/show {(parent or target).name}' lists it.)")
    return lines


def _grant_lines(ctx: Context, target: Thing) -> list[str]:
    """
    The grants C{target}'s script holds (as C{@grants <thing>} lists them).
    """
    wizard = ctx.is_at_least("wizard")
    found = [grants.describe(g) for g in grants.grants_on(ctx.root, target)
             if g.owner == ctx.actor.id or wizard]
    found += [channel_grants.describe(g) for g in channel_grants.grants_on(ctx.root, target)
              if g.owner == ctx.actor.id or wizard]
    if not found:
        return []
    return ["Granted to its script ('@revoke <number>' revokes one):",
            *(f"  {line}" for line in found)]


def _holder_lines(ctx: Context, target: Thing) -> list[str]:
    """
    What holds a facet of C{target}: the scripts granted one (by anyone),
    and, of a character, the scripts that were handed one (as C{@holders}
    lists them).
    """
    builder = ctx.is_at_least("builder")

    def host_name(host: Thing) -> str:
        shown = f" ({host.ref})" if builder or host.owner == ctx.actor.id else ""
        return f"{host.name}{shown}, {ctx.whose(host.owner)}"

    person = isinstance(target, Character)
    granted = [f"  {host_name(g.host)}: {'granted ' if person else ''}{g.role}, as {g.name!r}"
               for g in grants.grants_of_target(ctx.root, target)
               if rules.exists(ctx.root, g.host)]
    if not person:
        return [f"Granted to scripts:{'' if granted else ' none'}", *granted]
    handed = [f"  {host_name(h.host)}: was handed you"
              for h in holds.holds_of(ctx.root, target)]
    if not handed and not granted:
        return ["Scripts holding a facet of you: none"]
    return ["Scripts holding a facet of you ('@holders' revokes what others' hold):", *handed,
            *granted]
