# -*- test-case-name: tests.scripts.test_events,tests.redteam_world.test_consent_moves -*-
"""
Which scripted objects a happening wakes, fairly and within bounds: for a
player's command (L{engine.scripts.events}) and for a script's moves
(L{engine.scripts.runtime}) alike.
"""

from __future__ import annotations

import heapq
import itertools
import operator
import weakref
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from world.objects import Room, Thing
from world.rules import Wake
from world.scripts import script_of

#: The most handlers one happening wakes (the rest do not hear of it).
MAX_HANDLERS = 8

#: The most scripts run by things in one place that one happening, or a
#: word nothing named answers to, reads there (L{by_script}): however many
#: scripts and owners a builder parks in a room, no more of its things
#: are read.
MAX_SCRIPTS = 4 * MAX_HANDLERS

#: How many owners further on each happening of one kind in a place starts
#: (L{listeners}): one fewer than are woken, the room itself keeping one
#: place, so that no owner is passed over.
ROTATE = MAX_HANDLERS - 1

#: The most places whose rotation L{cursors} remembers, per open world: the
#: place rotated least lately is forgotten first, and starts again from its
#: first owner.
MAX_ROTATING_PLACES = 10_000


class Cursors:
    """
    Where each place's rotations stand (L{by_script} with a happening's
    name), kept by the engine for each open world, never written, rather
    than on the place's own record: a record forgets what it holds in
    memory whenever it is read again from the database, which happens when
    the object cache lets it go and whenever a turn that changed it rolls
    back, and a player can make that happen at will (a command that moves
    a thing in and then fails). A place forgotten starts again from the
    owners who parked first, so with the cursor on the record, a player
    who forgot it before each happening would keep the places for the
    first owners for ever. Here a place is forgotten only when a restart
    forgets them all (an operator's act: each place then starts from its
    first owner once, and rotates from there) or when L{MAX_ROTATING_PLACES}
    other places rotated since. Only places with more owners of scripts
    than a happening takes at once are remembered (there are turns to
    take only there), so walking through empty rooms, or rooms of few
    owners, forgets no crowded one.
    """

    def __init__(self, size: int = MAX_ROTATING_PLACES) -> None:
        self.size = size
        self._worlds: weakref.WeakKeyDictionary[Any, OrderedDict[bytes, dict[str, int]]]
        self._worlds = weakref.WeakKeyDictionary()

    def of(self, contents: Any) -> dict[str, int] | None:
        """
        The cursors of the place whose contents are C{contents}, by
        happening name (L{world.objects.Contents.fair_script_groups}): those
        remembered, or new ones, remembered once a name is in them
        (L{keep}); None for contents not yet stored (they keep their own).
        """
        jar, oid = contents._p_jar, contents._p_oid
        if jar is None or oid is None:
            return None
        places = self._worlds.get(jar)
        if places is None or oid not in places:
            return {}
        places.move_to_end(oid)
        return places[oid]

    def keep(self, contents: Any, kept: dict[str, int] | None) -> None:
        """
        Remember C{kept}, the cursors L{of} gave for C{contents}, if a
        name is in them (a happening there had turns to take).
        """
        if not kept:
            return
        jar, oid = contents._p_jar, contents._p_oid
        places = self._worlds.get(jar)
        if places is None:
            places = self._worlds[jar] = OrderedDict()
        if oid not in places:
            places[oid] = kept
            if len(places) > self.size:
                places.popitem(last=False)

    def forget(self, jar: Any) -> None:
        """
        Forget where every place of the world read through C{jar} stood, as
        a restart does: each starts from its first owner again.
        """
        self._worlds.pop(jar, None)


#: The cursors of every rotating place (L{Cursors}).
cursors = Cursors()


def by_script(place: Thing, exclude: tuple = (), rotate: str | None = None,
              step: int = ROTATE, span: int | None = None,
              ) -> Iterator[Iterator[tuple[int, Thing]]]:
    """
    The things in C{place} that hold a script, by the script they run, of
    at most L{MAX_SCRIPTS} scripts taken fairly between their owners
    (L{world.objects.Contents.fair_script_groups}: each owner's first
    script, then each owner's second, the owners in the order their first
    scripted thing arrived, or with C{rotate}, a happening's name, from
    where the last such happening there left off, C{step} owners on, the
    place's cursors kept by L{cursors}, only if it has more owners than
    C{span}, the most any such call takes there, C{step} without it): for
    each script, the things running it but
    C{exclude}, with their arrival numbers, in the order they arrived, read
    one at a time as they are asked for. The things running one script have
    one owner and answer to the same words, so a caller reads the first few
    of each and no others: however many things a builder makes run one
    script (C{@script/use} stores nothing), and however many scripts and
    owners they park there, no more are read.
    """
    contents = place.contents
    kept = None if rotate is None else cursors.of(contents)
    groups = contents.fair_script_groups(MAX_SCRIPTS, rotate, 0 if rotate is None else step, kept,
                                         span)
    cursors.keep(contents, kept)
    for group in groups:
        yield ((key, obj) for key, obj in group.items()
               if not any(obj is x for x in exclude))


def listeners(runtime: Any, turn: Any, room: Room | None, function: str,
              exclude: tuple = ()) -> list[Thing]:
    """
    The scripted objects around C{room} (the room itself, then what is in
    it, exits included; not what characters carry) that define C{function}
    and may run now, at most L{MAX_HANDLERS} of them, shared fairly between
    their owners (L{fair}); owners whose scripts rest take no place, nor
    those held for the server's ceiling (what others wake of their scripts:
    L{engine.scripts.meters.Meters.held}).

    Of the things in the room, only those running the scripts L{by_script}
    takes are read (at most L{MAX_SCRIPTS} scripts, fairly between owners),
    the first of each script to learn whether it listens, and of the ones
    that do, only as many more as are woken. The room itself comes first;
    the owners of the things in it are taken from where the last happening
    of C{function} there left off, L{ROTATE} owners on, so those whose
    things arrived first do not keep the places for ever: an owner whose
    first script there listens is woken within C{ceil(owners / ROTATE)}
    consecutive such happenings, C{owners} counting every owner of a
    script there.
    """
    if room is None:
        return []
    heard: dict[Any, list[Iterator[tuple[int, Thing]]]] = {}

    def hearing(group: Iterator[tuple[int, Thing]]) -> Iterator[tuple[int, Thing]]:
        for key, obj in group:
            if script_of(obj) is None or not runtime.handles(turn, obj, function):
                return  # (nor does any other running its script)
            if runtime.resting(obj.owner, turn.root):
                runtime.tell_resting(turn, obj.owner)  # (at most once a window)
                return
            if runtime.meters.held(obj.owner, own=False):  # (held for the server's ceiling)
                return
            yield key, obj

    groups: list[Iterator[tuple[int, Thing]]] = []
    if not any(room is x for x in exclude):
        groups.append(iter(((-1, room),)))  # (before anything in it)
    groups += by_script(room, exclude, rotate=function)
    for group in groups:
        members = hearing(group)
        first = next(members, None)
        if first is not None:
            heard.setdefault(first[1].owner, []).append(
                itertools.chain((first,), itertools.islice(members, MAX_HANDLERS - 1)))
    return [obj for _, obj in fair(list(heard.values()), MAX_HANDLERS)]


def fair(owners: list[list[Iterator[tuple[int, Thing]]]],
         limit: int) -> list[tuple[int, Thing]]:
    """
    At most C{limit} of the listeners of C{owners} (each owner's as the
    lists of one script's, by arrival number, each started), shared fairly
    between the owners, in arrival order: each owner's first (its
    listeners merged in the order they arrived), then each owner's second,
    and so on, the owners in the order given (the room's first, then as
    L{by_script} took them). However many listeners one owner parks in a
    room, every other owner there with one is among the first few woken;
    no more of them are read than are chosen.
    """
    rows = []
    for groups in owners:
        merged = heapq.merge(*groups, key=operator.itemgetter(0))
        first = next(merged)  # (each group is started)
        rows.append((first, merged))
    chosen: list[tuple[int, Thing]] = []
    while rows and len(chosen) < limit:
        chosen += [found for found, _ in rows[:limit - len(chosen)]]
        if len(chosen) >= limit:
            break
        rows = [(found, merged) for found, merged in
                ((next(merged, None), merged) for _, merged in rows) if found is not None]
    chosen.sort(key=operator.itemgetter(0))
    return chosen


def hosts(runtime: Any, turn: Any, wake: Wake) -> list[Thing]:
    """
    The objects whose handler C{wake} (L{world.rules.Wake}) wakes: its host,
    or the listeners around its room but the room itself.
    """
    if wake.around:
        room = wake.host if isinstance(wake.host, Room) else None
        return listeners(runtime, turn, room, wake.function, exclude=(wake.host,))
    return [wake.host] if script_of(wake.host) is not None else []


__all__ = ["MAX_HANDLERS", "MAX_SCRIPTS", "ROTATE", "by_script", "cursors", "fair", "hosts",
           "listeners"]
