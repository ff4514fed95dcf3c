# -*- test-case-name: tests.protocols.test_oob -*-
"""
What the world looks like out of band: the GMCP messages a session sends
(L{engine.interfaces.IClient.send_oob}) and how they are made from world
objects and events.

Conventions (IRE-derived, what Mudlet's mapper and chat-tab scripts read):

 - C{Room.Info}: C{{"num": 12, "name": "Quay", "area": "Saltmere",
   "exits": {"n": 13, "gate": 20}}} -- C{num} is the room's stable id; exits
   are keyed by short direction (n, s, e, w, ne, nw, se, sw, u, d, in, out)
   or by the exit's name when it is no direction, each to the destination's
   id.
 - C{Char.Name}: C{{"name": "Alice", "fullname": "Alice"}}.
 - C{Char.Status}: C{{"name": "Alice", "area": "Saltmere", "room": "Quay"}}.
 - C{Comm.Channel.Text}: C{{"channel": "say", "talker": "Alice",
   "text": "Alice says, \\"hi\\""}} for speech (say, emote, whisper, page),
   and for chat channels (C{"channel": "pub"}, L{world.channels}).
   Speech a player's script made carries its mark in C{text} (C{"[Bob's
   gremlin] gremlin says, ..."}), the script as C{talker} and C{origin}.
 - C{Comm.Channel.List}: C{[{"name": "pub", "caption": "Public chat...",
   "command": "pub"}]}, the channels a player is on, at login and when that
   changes (L{engine.commands.channels}).

Events carry GMCP to minds in their C{data}: any key that is a GMCP package
name (C{"Room.Info"}) is sent as that package (see L{messages_for}), so a
command that wants a client's map updated writes
C{ctx.tell(text, "look", **room_data(room, actor))}.

Strings are made plain (no markup, no control characters) when encoded, in
L{engine.protocols.gmcp.encode}.
"""

from __future__ import annotations

import re
from typing import Any

from world.events import Event
from world.objects import DIRECTIONS, Room, Thing, canonical_direction

#: A GMCP package name as it appears in event data: C{Room.Info}, C{Char.Status}.
_PACKAGE = re.compile(r"[A-Z][A-Za-z0-9]*(\.[A-Z][A-Za-z0-9]*)+\Z")

#: Event kinds that are speech, and the channel each is shown on.
CHANNELS: dict[str, str] = {"say": "say", "emote": "emote", "whisper": "whisper",
                            "page": "page"}


def exit_key(name: str) -> str:
    """
    The key an exit has in C{Room.Info}: the short direction (C{"north"} →
    C{"n"}; C{"in"} stays C{"in"}), else the exit's name, lower-cased.
    """
    direction = canonical_direction(name)
    if direction is None:
        return name.lower()
    short = DIRECTIONS[direction]
    return short[0] if short else direction


def room_info(room: Room) -> dict[str, Any]:
    """
    The C{Room.Info} body for C{room}. Exits that lead nowhere are left out;
    when two exits share a key the first (in the room's exit order) wins.
    """
    exits: dict[str, int] = {}
    for exit in room.exits():
        destination = exit.destination
        if destination is None:
            continue
        exits.setdefault(exit_key(exit.name), destination.id)
    return {"num": room.id, "name": room.name, "area": getattr(room, "area", "") or "",
            "exits": exits}


def char_name(character: Thing) -> dict[str, Any]:
    """
    The C{Char.Name} body.
    """
    return {"name": character.name, "fullname": character.name}


def char_status(character: Thing) -> dict[str, Any]:
    """
    The C{Char.Status} body: who and where.
    """
    room = character.room()
    return {
        "name": character.name,
        "area": (getattr(room, "area", "") or "") if room is not None else "",
        "room": room.name if room is not None else "",
    }


def room_data(room: Room, actor: Thing | None = None) -> dict[str, Any]:
    """
    Event data carrying C{Room.Info} (and C{Char.Status} for C{actor}), for
    the event that shows a player a room.
    """
    data: dict[str, Any] = {"Room.Info": room_info(room)}
    if actor is not None:
        data["Char.Status"] = char_status(actor)
    return data


def channel_text(event: Event, viewer_id: int | None) -> dict[str, Any] | None:
    """
    The C{Comm.Channel.Text} body for a speech event as C{viewer_id} sees it,
    or None for events that are not speech. The talker's name is the event's
    C{talker} data, if any.
    """
    data = dict(event.data)
    channel = CHANNELS.get(event.kind)
    if event.kind == "channel":  # a chat channel's line: its name is in the data
        named = data.get("channel")
        channel = named if isinstance(named, str) else None
    if channel is None:
        return None
    talker = data.get("talker")
    body = {"channel": channel, "talker": talker if isinstance(talker, str) else "",
            "text": event.text_for(viewer_id)}
    if event.origin is not None:
        # A script's speech: its text carries the mark, and the talker is the
        # script's (never a player's name: it holds "'s " and a space).
        body["talker"] = event.origin
        body["origin"] = event.origin
    return body


def messages_for(event: Event, viewer_id: int | None) -> list[tuple[str, Any]]:
    """
    The GMCP messages a mind should send its client for C{event}: the event's
    data entries keyed by package name, then C{Comm.Channel.Text} for speech.
    """
    messages = [(key, value) for key, value in event.data if _PACKAGE.match(key)]
    text = channel_text(event, viewer_id)
    if text is not None:
        messages.append(("Comm.Channel.Text", text))
    return messages
