# -*- test-case-name: tests.scripts.test_events,tests.redteam_world.test_consent_moves -*-
"""
Which scripted objects a happening wakes, fairly and within bounds: for a
player's command (L{engine.scripts.events}) and for a script's moves
(L{engine.scripts.runtime}) alike.
"""

from __future__ import annotations

from typing import Any

from world.objects import Character, Room, Thing
from world.rules import Wake
from world.scripts import script_of

#: The most handlers one happening wakes (the rest do not hear of it).
MAX_HANDLERS = 8


def around(room: Room | None, exclude: tuple = ()) -> list[Thing]:
    """
    The objects that perceive what happens in C{room}: the room itself, then
    what is in it (exits included; not what characters carry), scripted
    ones only. Only the room and the things in it that hold a script are
    read (L{world.objects.Contents.scripted}): however many unscripted
    things a builder piles in a room, what happens there costs no more.
    """
    if room is None:
        return []
    found = []
    for obj in (room, *room.contents.scripted()):
        if isinstance(obj, Character) or any(obj is x for x in exclude):
            continue
        if script_of(obj) is not None:
            found.append(obj)
    return found


def fair(candidates: list[Thing], limit: int) -> list[Thing]:
    """
    At most C{limit} of C{candidates}, shared fairly between their owners:
    each owner's first (in the order given), then each owner's second, and
    so on. However many listeners one owner parks in a room, every other
    owner there with one is among the first few woken.
    """
    by_owner: dict[Any, list[Thing]] = {}
    for obj in candidates:
        by_owner.setdefault(obj.owner, []).append(obj)
    chosen: list[Thing] = []
    depth = 0
    while len(chosen) < limit:
        row = [objs[depth] for objs in by_owner.values() if depth < len(objs)]
        if not row:
            break
        chosen.extend(row[:limit - len(chosen)])
        depth += 1
    order = {id(obj): n for n, obj in enumerate(candidates)}
    return sorted(chosen, key=lambda obj: order[id(obj)])


def listeners(runtime: Any, turn: Any, room: Room | None, function: str,
              exclude: tuple = ()) -> list[Thing]:
    """
    The scripted objects around C{room} that define C{function} and may
    run now, at most L{MAX_HANDLERS} of them, shared fairly between their
    owners (L{fair}); owners whose scripts rest take no place.
    """
    listening = []
    for obj in around(room, exclude):
        if not runtime.handles(turn, obj, function):
            continue
        if runtime.resting(obj.owner, turn.root):
            runtime.tell_resting(turn, obj.owner)  # (at most once a window)
            continue
        listening.append(obj)
    return fair(listening, MAX_HANDLERS)


def hosts(runtime: Any, turn: Any, wake: Wake) -> list[Thing]:
    """
    The objects whose handler C{wake} (L{world.rules.Wake}) wakes: its host,
    or the listeners around its room but the room itself.
    """
    if wake.around:
        room = wake.host if isinstance(wake.host, Room) else None
        return listeners(runtime, turn, room, wake.function, exclude=(wake.host,))
    return [wake.host] if script_of(wake.host) is not None else []


__all__ = ["MAX_HANDLERS", "around", "fair", "hosts", "listeners"]
