# -*- test-case-name: tests.redteam_world.test_marks,tests.redteam_world.test_r6_ignore_scripts -*-
"""
Marking what players' scripts send, so that it cannot pass for the game or
for another player.

Every event a player's script causes in a run (what it says, emotes,
announces, tells, prints; things it moves, makes or destroys) carries an
C{origin}: whose script sent it, C{"Bob's gremlin"}. Every reader sees the
text behind the mark C{[Bob's gremlin] } (L{world.events.Event.text_for}),
in plain text and in GMCP (L{engine.oob}). The mark is added here, by
trusted code, after the run: nothing a script passes can add, remove or
change it. The world's own content scripts (owner None) are the game's, and
are not marked.
"""

from __future__ import annotations

from typing import Any

import attrs

from engine.colour import strip
from world.events import Event
from world.objects import Thing


def origin_of(root: Any, host: Thing) -> str | None:
    """
    The mark for what C{host}'s script sends: its owner's name and its own
    (brackets and markup left out), or None for the world's own content.
    """
    if host.owner is None:
        return None
    owner = root.get(host.owner)
    who = owner.name if owner is not None else "someone"
    name = " ".join(strip(host.name).replace("[", "").replace("]", "").split())
    return f"{who}'s {name}"


def mark_events(turn: Any, start: int, origin: str | None, owner: int | None = None) -> None:
    """
    Mark every event C{turn} gathered since index C{start} with C{origin}
    and C{owner} (the id of the script's owner's character: whoever ignores
    her is not shown it, L{world.ignores}). An event told to several readers
    stays one event (one message); one already marked keeps its mark (a
    channel line the script said carries it already), gaining its owner.
    """
    if origin is None:
        return
    marked: dict[int, Event] = {}
    for index in range(start, len(turn.events)):
        reader, event = turn.events[index]
        if event.origin is not None and (owner is None or event.owner is not None):
            continue
        copy = marked.get(id(event))
        if copy is None:
            copy = marked[id(event)] = attrs.evolve(
                event, origin=event.origin or origin,
                owner=event.owner if event.owner is not None else owner)
        turn.events[index] = (reader, copy)
