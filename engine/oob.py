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

An event perceived by a room full of sessions has its messages built once,
for the first session whose client wants one, and encoded once
(L{engine.protocols.gmcp.Prepared}): the others share them
(L{shared_messages}). A session whose client negotiated no GMCP builds
nothing. The shared messages are encoded as they are built, from the
event's data as it is when the first session wants one: an event is frozen
but the dicts in its data are not, and nothing that changes them (or a
message's data) afterwards changes what any client is sent.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from engine.protocols.gmcp import Prepared
from world.events import Event
from world.objects import DIRECTIONS, Room, Thing, canonical_direction

#: A GMCP package name as it appears in event data: C{Room.Info}, C{Char.Status}.
_PACKAGE = re.compile(r"[A-Z][A-Za-z0-9]*(\.[A-Z][A-Za-z0-9]*)+\Z")

#: The package of speech and chat lines.
CHANNEL_TEXT = "Comm.Channel.Text"

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


def _channel(event: Event) -> str | None:
    """
    The channel C{event} is a line of, or None if it is not speech.
    """
    if event.kind == "channel":  # a chat channel's line: its name is in the data
        named = dict(event.data).get("channel")
        return named if isinstance(named, str) else None
    return CHANNELS.get(event.kind)


def channel_text(event: Event, viewer_id: int | None) -> dict[str, Any] | None:
    """
    The C{Comm.Channel.Text} body for a speech event as C{viewer_id} sees it,
    or None for events that are not speech. The talker's name is the event's
    C{talker} data, if any.
    """
    channel = _channel(event)
    if channel is None:
        return None
    talker = dict(event.data).get("talker")
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
        messages.append((CHANNEL_TEXT, text))
    return messages


class EventMessages:
    """
    The GMCP messages of one event, built when a session's client first
    wants one and shared by every session that perceives the event: the
    same L{Prepared} messages (so each is encoded once), and one
    C{Comm.Channel.Text} for each text the viewers read (the actor may read
    its own).

    @ivar event: the event.
    @ivar packages: the packages the event has messages in (the same for
        every viewer).
    """

    def __init__(self, event: Event) -> None:
        self.event = event
        self._channel = _channel(event)
        self.packages = [key for key, _ in event.data if _PACKAGE.match(key)]
        if self._channel is not None:
            self.packages.append(CHANNEL_TEXT)
        self._data: list[Prepared] | None = None
        self._texts: dict[str, Prepared] = {}

    def for_viewer(self, viewer_id: int | None, wants: Callable[[str], bool]) -> list[Prepared]:
        """
        The messages for C{viewer_id}, in the order of L{messages_for}, of
        the packages its client C{wants}; nothing is built for a client
        that wants none of them.
        """
        for package in self.packages:
            if wants(package):
                break
        else:
            return []
        event = self.event
        if self._data is None:
            self._data = [_fixed(Prepared(key, value)) for key, value in event.data
                          if _PACKAGE.match(key)]
        found = [message for message in self._data if wants(message.package)]
        if self._channel is not None and wants(CHANNEL_TEXT):
            text = event.text_for(viewer_id)
            shared = self._texts.get(text)
            if shared is None:
                shared = self._texts[text] = _fixed(Prepared(CHANNEL_TEXT,
                                                             channel_text(event, viewer_id)))
            found.append(shared)
        return found


def _fixed(message: Prepared) -> Prepared:
    """
    C{message}, encoded now: every client that wants it is sent these
    bytes, whatever changes its data later.
    """
    try:
        message.payload()
    except (TypeError, ValueError):
        pass  # not sendable: each client that wants it logs that, as it always did
    return message


class _Recent:
    """
    The messages of the event delivered last: the minds in a room perceive
    one event after another, so that one is all that need be kept.
    """

    last: EventMessages | None = None


_recent = _Recent()


def shared_messages(event: Event, viewer_id: int | None,
                    wants: Callable[[str], bool]) -> list[Prepared]:
    """
    The GMCP messages a session should send a client that C{wants} some
    packages for C{event} (L{EventMessages.for_viewer}), shared with every
    other session perceiving the same event after it.
    """
    shared = _recent.last
    if shared is None or shared.event is not event:
        shared = _recent.last = EventMessages(event)
    return shared.for_viewer(viewer_id, wants)
