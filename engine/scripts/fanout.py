# -*- test-case-name: tests.scripts.test_events,tests.redteam_world.test_consent_moves -*-
"""
Which scripted objects a happening wakes, fairly and within bounds: for a
player's command (L{engine.scripts.events}) and for a script's moves
(L{engine.scripts.runtime}) alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from world.objects import Room, Thing
from world.rules import Wake
from world.scripts import script_of

#: The most handlers one happening wakes (the rest do not hear of it).
MAX_HANDLERS = 8


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


def by_script(place: Thing, exclude: tuple = ()) -> Iterator[Iterator[tuple[int, Thing]]]:
    """
    The things in C{place} that hold a script, by the script they run
    (L{world.objects.Contents.script_groups}): for each script, the things
    running it but C{exclude}, with their arrival numbers, in the order they
    arrived, read one at a time as they are asked for. The things running
    one script have one owner and answer to the same words, so a caller
    reads the first few of each and no others: however many things a
    builder makes run one script (C{@script/use} stores nothing), no more
    are read.
    """
    for _, group in place.contents.script_groups():
        yield ((key, obj) for key, obj in group.items()
               if not any(obj is x for x in exclude))


def listeners(runtime: Any, turn: Any, room: Room | None, function: str,
              exclude: tuple = ()) -> list[Thing]:
    """
    The scripted objects around C{room} (the room itself, then what is in
    it, exits included; not what characters carry) that define C{function}
    and may run now, at most L{MAX_HANDLERS} of them, shared fairly between
    their owners (L{fair}); owners whose scripts rest take no place.

    The things in the room are read by the script they run (L{by_script}),
    and L{fair} wakes at most L{MAX_HANDLERS} of one owner's, the first to
    arrive; so of each script only the first few are read.
    """
    if room is None:
        return []
    listening: list[tuple[int, Thing]] = []  # (arrival, or -1 for the room)
    groups: list[Iterator[tuple[int, Thing]]] = []
    if not any(room is x for x in exclude):
        groups.append(iter(((-1, room),)))
    groups += by_script(room, exclude)
    for group in groups:
        taken = 0
        for key, obj in group:
            if script_of(obj) is None or not runtime.handles(turn, obj, function):
                break  # (nor does any other running its script)
            if runtime.resting(obj.owner, turn.root):
                runtime.tell_resting(turn, obj.owner)  # (at most once a window)
                break
            listening.append((key, obj))
            taken += 1
            if taken >= MAX_HANDLERS:
                break
    listening.sort(key=lambda found: found[0])
    return fair([obj for _, obj in listening], MAX_HANDLERS)


def hosts(runtime: Any, turn: Any, wake: Wake) -> list[Thing]:
    """
    The objects whose handler C{wake} (L{world.rules.Wake}) wakes: its host,
    or the listeners around its room but the room itself.
    """
    if wake.around:
        room = wake.host if isinstance(wake.host, Room) else None
        return listeners(runtime, turn, room, wake.function, exclude=(wake.host,))
    return [wake.host] if script_of(wake.host) is not None else []


__all__ = ["MAX_HANDLERS", "by_script", "fair", "hosts", "listeners"]
