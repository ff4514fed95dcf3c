# -*- test-case-name: tests.world.test_containment,tests.world.test_loader -*-
"""
Containment: every object is in exactly one place, with no cycles.

The rules:
  - rooms are in no location;
  - every other object is in exactly one room, character or container, and
    appears exactly once in that place's contents;
  - exits are only ever directly in rooms;
  - nothing is inside itself, however deeply;
  - one place holds at most L{MAX_CONTENTS} things and exits (characters
    are not counted: players can always walk in), however many owners pile
    things there; its contents count them (L{world.objects.Contents}), so
    a move in reads none of them.
L{move} is the only way objects change place; L{check_invariants} verifies the
whole graph (the tests run it after random move sequences).
"""

from __future__ import annotations

from collections.abc import Iterable

from world.errors import MoveError
from world.objects import PARENT, Character, Exit, Room, Thing, holds_script, script_holder

#: The most things and exits one place (a room, a character, a container)
#: holds; characters in it are not counted.
MAX_CONTENTS = 1000


def can_hold(place: Thing) -> bool:
    """
    Whether C{place} can have things inside it.
    """
    return isinstance(place, (Room, Character)) or place.container


#: The most things and characters L{owners_only} reads inside a thing.
MOST_READ = 200


def owners_only(obj: Thing) -> bool:
    """
    Whether everything inside C{obj}, at any depth, is its owner's (no
    character, nothing of anyone else's), read through at most
    L{MOST_READ} things (past those: not known, so no). Only such a thing
    may go back into its owner's hands unasked: it carries nothing of
    another's (a scripted thing riding along) into them.
    """
    read = 0
    places = [obj] if can_hold(obj) else []
    while places:
        place = places.pop()
        read += place.contents.count_things() + place.contents.count_people()
        if read > MOST_READ:
            return False
        for item in place.contents:
            if item.owner != obj.owner or isinstance(item, Character):
                return False
            if can_hold(item):
                places.append(item)
    return True


def check(obj: Thing, destination: Thing) -> None:
    """
    Whether C{obj} may go into C{destination} without breaking a containment
    invariant.

    @raise MoveError: it would break one.
    """
    if isinstance(obj, Room):
        raise MoveError(f"{obj.name} is a room; rooms are not inside anything.")
    if isinstance(obj, Exit) and not isinstance(destination, Room):
        raise MoveError(f"{obj.name} is an exit; exits belong to rooms.")
    if not can_hold(destination):
        raise MoveError(f"{destination.name} cannot hold things.")
    if (not isinstance(obj, Character) and obj.location is not destination
            and destination.contents.count_things() >= MAX_CONTENTS):
        raise MoveError(f"{destination.name} cannot hold any more things (at most "
                        f"{MAX_CONTENTS}); take something out first.")
    here: Thing | None = destination
    while here is not None:
        if here is obj:
            raise MoveError(f"{obj.name} cannot go inside itself.")
        here = here.location


def move(obj: Thing, destination: Thing) -> None:
    """
    Move C{obj} into C{destination}, keeping every containment invariant.
    This is the bare mechanism: the game's rules (seals, consent, reach) are
    L{world.rules.move}'s, which every command and facet calls.

    @raise MoveError: if the move would break one; nothing changes then.
    """
    check(obj, destination)
    if obj.location is destination:
        return
    if obj.location is not None:
        _remove(obj.location, obj)
    destination.contents.append(obj)
    obj.location = destination
    if obj.keeper_told is not None:
        obj.keeper_told = None


def remove(obj: Thing) -> None:
    """
    Take C{obj} out of the world's containment (used only when destroying it).
    """
    if obj.location is not None:
        _remove(obj.location, obj)
        obj.location = None


def _remove(place: Thing, obj: Thing) -> None:
    if obj in place.contents:
        place.contents.remove(obj)


def _kept_apart(place: Thing) -> list[str]:
    """
    Whether what C{place}'s contents keep apart (its characters, the things
    that hold a script, how many things) is what it holds, as messages.
    """
    contents = place.contents
    held = list(contents)
    problems = []
    people = [o for o in held if isinstance(o, Character)]
    if list(contents.characters()) != people:
        problems.append(f"{place!r} keeps {list(contents.characters())!r} as its characters, "
                        f"not {people!r}")
    exits = [o for o in held if isinstance(o, Exit)]
    if list(contents.exits()) != exits:
        problems.append(f"{place!r} keeps {list(contents.exits())!r} as its exits, not {exits!r}")
    scripted = [o for o in held if holds_script(o)]
    if list(contents.scripted()) != scripted:
        problems.append(f"{place!r} keeps {list(contents.scripted())!r} as its scripted things, "
                        f"not {scripted!r}")
    grouped = sorted((key, holder) for holder, group in contents.script_groups()
                     for key in group.keys())
    if grouped != sorted((obj.arrival, script_holder(obj)) for obj in scripted):
        problems.append(f"{place!r} keeps its scripted things by script as {grouped!r}")
    fairly = [sorted(group.keys()) for group in contents.fair_script_groups(len(scripted))]
    if fairly != _fairly(scripted):
        problems.append(f"{place!r} keeps its scripts by owner as {fairly!r}")
    problems += contents.names_problems()
    problems += contents.listing_problems()
    if contents.count_things() != len(held) - len(people):
        problems.append(f"{place!r} counts {contents.count_things()} things, "
                        f"not {len(held) - len(people)}")
    return problems


def _fairly(scripted: list[Thing]) -> list[list[int]]:
    """
    The arrival numbers of the things C{scripted} by the script they run,
    in the order L{world.objects.Contents.fair_script_groups} takes them:
    each owner's first script, then each owner's second, and so on.
    """
    groups: dict[int, list[int]] = {}
    owners: dict[int | None, list[list[int]]] = {}
    for obj in scripted:  # (in the order they arrived)
        holder = script_holder(obj)
        if holder not in groups:
            groups[holder] = []
            owners.setdefault(obj.owner, []).append(groups[holder])
        groups[holder].append(obj.arrival)
    rows = list(owners.values())
    return [row[depth] for depth in range(max(map(len, rows), default=0))
            for row in rows if depth < len(row)]


def _users_kept(obj: Thing) -> list[str]:
    """
    Whether the things C{obj} keeps as running its script
    (L{Thing.script_users}) are those that name it, and the thing whose
    script C{obj} runs keeps it among its own, as messages.
    """
    problems = []
    for user in () if obj.script_users is None else obj.script_users.values():
        if user.scripts.get(PARENT) is not obj:
            problems.append(f"{obj!r} keeps {user!r} as running its script, which it does not")
    parent = obj.scripts.get(PARENT)
    if (isinstance(parent, Thing) and parent.location is not None
            and (parent.script_users is None or parent.script_users.get(obj.id) is not obj)):
        problems.append(f"{obj!r} runs the script of {parent!r}, which does not keep it")
    return problems


def check_invariants(objects: Iterable[Thing]) -> list[str]:
    """
    Every containment invariant broken among C{objects}, as messages (and
    whether the things running another's script and that one agree).
    """
    problems: list[str] = []
    for obj in objects:
        if isinstance(obj, Room):
            if obj.location is not None:
                problems.append(f"{obj!r} is a room inside {obj.location!r}")
        elif obj.location is None:
            problems.append(f"{obj!r} is nowhere")
        else:
            count = sum(1 for o in obj.location.contents if o is obj)
            if count != 1:
                problems.append(f"{obj!r} appears {count} times in {obj.location!r}")
            if isinstance(obj, Exit) and not isinstance(obj.location, Room):
                problems.append(f"exit {obj!r} is in {obj.location!r}, not a room")
            if not can_hold(obj.location):
                problems.append(f"{obj!r} is in {obj.location!r}, which cannot hold things")
        for item in obj.contents:
            if item.location is not obj:
                problems.append(f"{item!r} is listed in {obj!r} but is in {item.location!r}")
        problems += _kept_apart(obj) + _users_kept(obj)
        seen = {id(obj)}
        here = obj.location
        while here is not None:
            if id(here) in seen:
                problems.append(f"{obj!r} is inside a cycle")
                break
            seen.add(id(here))
            here = here.location
    return problems
