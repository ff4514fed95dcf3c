# -*- test-case-name: tests.world.test_channels,tests.engine.test_channels -*-
"""
Chat channels: named conversations that everyone on them hears, wherever
they are, with a short history for those who were away.

A L{Channel} belongs to the character who made it (or to the world: the
default C{pub}, which every character is on unless they leave it). Its owner
(or a wizard) may mute a member (they still hear, but cannot talk), ban one
(off the channel, and cannot join again), and destroy it. Everything is
bounded: channels per owner (L{MAX_OWNED}), members of a player's channel
(L{MAX_MEMBERS}), those it bans and mutes (L{MAX_BANNED}, L{MAX_MUTED}),
the history (the last L{HISTORY} lines, of at most
L{MAX_TEXT} characters each, and at most L{HISTORY_BYTES} bytes together:
the oldest go first). What a player's channel stores, its history's
ceiling included, is charged to its owner by the engine
(L{engine.commands.channels.charge}).

What a channel says is one line, marked: C{[pub] Alice: hello} or C{[pub]
Alice waves.} The line starts with the channel's name in brackets, then the
talker's name as the world knows it (a character's, or the marked name of a
script), then their words on one line; so nothing said on a channel can pass
for the game or for another player. A script's line also carries its mark
(L{world.events.Event.origin}): C{[Bob's gremlin] [pub] gremlin: hello}.

Storage: one L{ChannelRegistry} declared on the world root
(L{world.root.WorldRoot.channels}, generation 6).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable, Iterator
from typing import Any

from BTrees.IIBTree import IITreeSet
from BTrees.IOBTree import IOBTree
from BTrees.OOBTree import OOBTree, OOTreeSet
from persistent import Persistent

from world.errors import WorldError
from world.events import Event, mark
from world.names import is_character_name, run_together_authority
from world.objects import DIRECTIONS
from world.phrases import one_line
from world.words import is_login_word

#: What a channel's name looks like: a letter, then letters or digits, 2 to 16 in all
#: (ASCII only, so that no two names look alike).
NAME = re.compile(r"[a-z][a-z0-9]{1,15}\Z")
#: The longest line one may say on a channel, in characters.
MAX_TEXT = 1000
#: The longest description of a channel.
MAX_DESCRIPTION = 200
#: The lines each channel keeps for those who were away.
HISTORY = 100
#: The most bytes (UTF-8) the lines a channel keeps may store together, each
#: line's mark included: a player's channel charges its owner this much from
#: the moment it is made, whatever is said on it, so nobody pays for what
#: others say.
HISTORY_BYTES = 8 * 1024
#: Members a player's channel may have (the world's channels have everyone).
MAX_MEMBERS = 200
#: Characters a player's channel may ban, and members it may mute, each
#: (the world's channels, kept by wizards, are bounded by the accounts).
MAX_BANNED = 200
MAX_MUTED = 200
#: Channels one character may own.
MAX_OWNED = 5
#: The world's public channel, which every character is on unless they leave it.
DEFAULT = "pub"
#: Its description.
DEFAULT_DESCRIPTION = "Public chat: everyone is on it unless they leave it."
#: The key the world (owner None) is indexed under.
WORLD = 0


class Channel(Persistent):
    """
    One channel.

    @ivar id: its number, unique in the world (for facets and grants).
    @ivar name: its name (lower case), also the word that talks on it.
    @ivar owner: the id of the character who made it, or None (the world's).
    @ivar description: one line saying what it is for.
    @ivar created: when it was made (clock seconds).
    @ivar everyone: every character is on it unless they left (the world's
        public channels); else only those who joined.
    @ivar members: ids of those who joined (not for C{everyone} channels).
    @ivar left: ids of those who left an C{everyone} channel.
    @ivar muted: ids of members who may listen but not talk.
    @ivar banned: ids of those who may not be on it.
    @ivar history: sequence number → C{(when, text, origin, speaker)}, the
        last L{HISTORY} lines said, within L{HISTORY_BYTES}: C{speaker} is
        the id of the character whose words it is (the player who said it,
        or the owner of the script that did; None for the world's), so
        that whoever ignores them is not shown it (L{recent}); a script's
        line that repeats a player's words keeps her id after it too
        (C{said_by}, hidden alike). A line a
        world stored before is C{(when, text, origin)}, read as said by
        nobody known (L{_line}), until newer lines push it out.
    @ivar history_bytes: what the history stores now (L{line_size} of each
        line), or None for a channel a world stored before it was counted
        (counted when it is next talked on).
    @ivar destroyed: it was destroyed (facets and grants of it are dead).
    @ivar charged: the bytes of its owner's stored-bytes quota its name,
        description and history's ceiling (L{HISTORY_BYTES}) were charged
        (by the engine, L{engine.commands.channels}; what a world stored
        before that was not charged is charged at start after the upgrade
        to generation 16, L{world.root.WorldRoot.recount_channels}),
        refunded when it is destroyed.
    """

    kind = "channel"
    destroyed = False
    charged = 0
    history_bytes: int | None = None

    def __init__(self, id: int, name: str, owner: int | None, description: str,
                 created: float, *, everyone: bool = False) -> None:
        self.id = id
        self.name = name
        self.owner = owner
        self.description = description
        self.created = created
        self.everyone = everyone
        self.members = IITreeSet()
        self.left = IITreeSet()
        self.muted = IITreeSet()
        self.banned = IITreeSet()
        self.history: IOBTree = IOBTree()
        self.history_bytes = 0
        self.next_line = 1

    def __repr__(self) -> str:
        return f"<Channel {self.name!r}>"

    def is_member(self, character_id: int) -> bool:
        """
        Whether the character C{character_id} is on this channel.
        """
        if character_id in self.banned:
            return False
        if self.everyone:
            return character_id not in self.left
        return character_id in self.members

    def member_ids(self, root: Any) -> Iterator[int]:
        """
        The ids of every character on it, in id order.
        """
        if not self.everyone:
            yield from self.members
            return
        for account in root.accounts.values():
            if self.is_member(account.character_id):
                yield account.character_id

    def count(self, root: Any) -> int:
        """
        How many characters are on it.
        """
        if not self.everyone:
            return len(self.members)
        return sum(1 for _ in self.member_ids(root))


class ChannelRegistry(Persistent):
    """
    Every channel by name, the channels each character owns and is on, and
    the channel facets players handed their scripts.

    @ivar by_name: name → L{Channel}.
    @ivar by_owner: owner id (L{WORLD} for the world) → names it owns.
    @ivar by_member: character id → names of the channels it joined (not
        the C{everyone} ones).
    @ivar public: names of the C{everyone} channels.
    @ivar grants: grant id → a channel grant (a
        L{scripting.facets.channels.ChannelGrant}: the sandbox's record).
    @ivar grants_by_host: host id → grant name → grant id.
    @ivar grants_by_owner: owner id (L{WORLD} for none) → C{IITreeSet} of
        the ids of the live grants they made, so that listing one's grants
        reads those, not every grant in the world (L{grant_ids_of}).
    @ivar grants_by_channel: channel id → C{IITreeSet} of the ids of its
        live grants, so that destroying it reads those (L{destroy}).
        Both None in a registry a world stored before they were kept,
        until the upgrade to generation 20 makes them (L{index_grants}),
        never in a player's turn.
    """

    grants_by_owner: IOBTree | None = None
    grants_by_channel: IOBTree | None = None

    def __init__(self) -> None:
        self.next_id = 1
        self.by_name: OOBTree = OOBTree()
        self.by_owner: IOBTree = IOBTree()
        self.by_member: IOBTree = IOBTree()
        self.public: OOTreeSet = OOTreeSet()
        self.grants: IOBTree = IOBTree()
        self.grants_by_host: IOBTree = IOBTree()
        self.grants_by_owner = IOBTree()
        self.grants_by_channel = IOBTree()
        self.next_grant = 1
        self._add(Channel(self._next(), DEFAULT, None, DEFAULT_DESCRIPTION, 0.0, everyone=True))

    def _next(self) -> int:
        found, self.next_id = self.next_id, self.next_id + 1
        return found

    def _add(self, channel: Channel) -> None:
        self.by_name[channel.name] = channel
        self.by_owner.setdefault(_key(channel.owner), OOTreeSet()).add(channel.name)
        if channel.everyone:
            self.public.add(channel.name)

    def get(self, name: str) -> Channel | None:
        """
        The channel called C{name} (any case), or None.
        """
        return self.by_name.get(name.lower()) if type(name) is str else None

    def owned_by(self, owner: int | None) -> list[Channel]:
        """
        The channels C{owner} made, by name.
        """
        return [self.by_name[n] for n in self.by_owner.get(_key(owner), ())]

    def of(self, character_id: int) -> list[Channel]:
        """
        The channels C{character_id} is on, by name.
        """
        names = set(self.by_member.get(character_id, ())) | set(self.public)
        found = (self.by_name.get(n) for n in sorted(names))
        return [c for c in found if c is not None and c.is_member(character_id)]

    def all(self) -> list[Channel]:
        """
        Every channel, by name.
        """
        return list(self.by_name.values())

    def index_grants(self) -> None:
        """
        Make L{grants_by_owner} and L{grants_by_channel} from L{grants}
        (reading each once) if this registry was stored before it kept
        them: at the upgrade to generation 20
        (L{world.generations}), charged to nobody.
        """
        if self.grants_by_owner is None or self.grants_by_channel is None:
            by_owner, by_channel = IOBTree(), IOBTree()
            for found in self.grants.values():
                _index(by_owner, _key(found.owner), found.id)
                _index(by_channel, found.channel.id, found.id)
            self.grants_by_owner, self.grants_by_channel = by_owner, by_channel

    def grant_indexes(self) -> tuple[IOBTree, IOBTree]:
        """
        L{grants_by_owner} and L{grants_by_channel}.

        @raise RuntimeError: this registry was stored before it kept them
            and its world was not upgraded (a programming error: opening a
            world upgrades it, L{index_grants}); nothing is walked in a
            player's turn.
        """
        if self.grants_by_owner is None or self.grants_by_channel is None:
            raise RuntimeError("the channel registry's grant indexes were never made")
        return self.grants_by_owner, self.grants_by_channel

    def index_grant(self, found: Any) -> None:
        """
        Index the live grant C{found} (just made) by its owner and channel.
        """
        by_owner, by_channel = self.grant_indexes()
        _index(by_owner, _key(found.owner), found.id)
        _index(by_channel, found.channel.id, found.id)

    def unindex_grant(self, found: Any) -> None:
        """
        Forget C{found} (revoked) in the indexes of L{index_grant}.
        """
        by_owner, by_channel = self.grant_indexes()
        _unindex(by_owner, _key(found.owner), found.id)
        _unindex(by_channel, found.channel.id, found.id)

    def grant_ids_of(self, owner: int | None) -> list[int]:
        """
        The ids of the live grants C{owner} made, oldest first.
        """
        return list(self.grant_indexes()[0].get(_key(owner), ()))


def _index(tree: IOBTree, key: int, grant_id: int) -> None:
    ids = tree.get(key)
    if ids is None:
        ids = tree[key] = IITreeSet()
    ids.insert(grant_id)


def _unindex(tree: IOBTree, key: int, grant_id: int) -> None:
    ids = tree.get(key)
    if ids is not None and grant_id in ids:
        ids.remove(grant_id)
        if not ids:
            del tree[key]


def _key(owner: int | None) -> int:
    return WORLD if owner is None else owner


def registry(root: Any) -> ChannelRegistry:
    """
    The world's channels (L{world.root.WorldRoot.channels}).
    """
    return root.channels


# -- making and finding ------------------------------------------------------------


def check_name(root: Any, name: str, reserved: Iterable[str] = (), *,
               authority: bool = False) -> str:
    """
    C{name} lower-cased, if a new channel may take it.

    @param reserved: other words it may not be (the engine's commands).
    @param authority: the channel is a wizard's, and may be called by a
        word that speaks for the game, or start or end with one
        (L{world.names.run_together_authority}: 'staff', 'systemnews'):
        every line said on a channel starts with its name, so a player's
        so called would pass for the staff's or the game's, as a thing
        so called would.
    @raise WorldError: it breaks a rule, or is taken.
    """
    name = name.strip().lower()
    if not NAME.match(name):
        raise WorldError("A channel's name is a letter, then letters or digits: 2 to 16 in "
                         "all (e.g. 'chess').")
    if name in reserved or name in DIRECTIONS or any(name in s for s in DIRECTIONS.values()):
        raise WorldError(f"{name!r} is a command or a direction; choose another name.")
    if is_login_word(name):
        # Its members would read the password a player typed at the wrong prompt.
        raise WorldError(f"{name!r} is a word of a login or a password; choose another name.")
    word = None if authority else run_together_authority(name)
    if word is not None:
        # Each of its lines starts '[staffchat] ': the same rule as a
        # thing's name, read where a word may start or end in one word.
        raise WorldError(f"{name!r} is, starts or ends with {word!r}, a word that speaks for "
                         "the game or its staff; only a wizard makes a channel called so. "
                         "Choose another name.")
    if is_character_name(root, name):
        raise WorldError(f"{name!r} is a character's name; choose another name.")
    if registry(root).get(name) is not None:
        raise WorldError(f"There is already a channel called {name}.")
    return name


def check_description(text: str) -> str:
    """
    C{text} as a channel's description: one line, at most L{MAX_DESCRIPTION}.

    @raise WorldError: it is too long.
    """
    text = one_line(text)
    if len(text) > MAX_DESCRIPTION:
        raise WorldError(f"A channel's description may be at most {MAX_DESCRIPTION} "
                         "characters.")
    return text


def create(root: Any, owner: int, name: str, description: str, now: float, *,
           reserved: Iterable[str] = (), authority: bool = False) -> Channel:
    """
    Make the channel C{name} for C{owner}, who joins it.

    @raise WorldError: a bad or taken name, a description too long, or the
        owner already has L{MAX_OWNED} channels.
    """
    name = check_name(root, name, reserved, authority=authority)
    description = check_description(description)
    reg = registry(root)
    if len(reg.by_owner.get(_key(owner), ())) >= MAX_OWNED:
        raise WorldError(f"You already have {MAX_OWNED} channels, the most one may; destroy "
                         "one first (@channel/destroy).")
    channel = Channel(reg._next(), name, owner, description, now)
    reg._add(channel)
    join(root, channel, owner)
    return channel


def find(root: Any, name: str) -> Channel:
    """
    The channel called C{name}.

    @raise WorldError: there is none.
    """
    found = registry(root).get(name.strip())
    if found is None:
        raise WorldError(f"There is no channel called {name.strip()!r}. "
                         "('@channel' lists them.)")
    return found


# -- who is on it ---------------------------------------------------------------------


def join(root: Any, channel: Channel, character_id: int) -> None:
    """
    Put C{character_id} on C{channel}.

    @raise WorldError: already on it, banned from it, or it is full.
    """
    if character_id in channel.banned:
        raise WorldError(f"You are banned from {channel.name}.")
    if channel.is_member(character_id):
        raise WorldError(f"You are already on {channel.name}.")
    if channel.everyone:
        channel.left.discard(character_id)
        return
    if len(channel.members) >= MAX_MEMBERS:
        raise WorldError(f"{channel.name} is full ({MAX_MEMBERS} members).")
    channel.members.add(character_id)
    registry(root).by_member.setdefault(character_id, OOTreeSet()).add(channel.name)


def leave(root: Any, channel: Channel, character_id: int) -> None:
    """
    Take C{character_id} off C{channel}.

    @raise WorldError: not on it.
    """
    if not channel.is_member(character_id):
        raise WorldError(f"You are not on {channel.name}.")
    _off(root, channel, character_id)


def _off(root: Any, channel: Channel, character_id: int) -> None:
    channel.muted.discard(character_id)
    if channel.everyone:
        channel.left.add(character_id)
        return
    channel.members.discard(character_id)
    names = registry(root).by_member.get(character_id)
    if names is not None:
        names.discard(channel.name)
        if not names:
            del registry(root).by_member[character_id]


def ban(root: Any, channel: Channel, character_id: int) -> None:
    """
    Take C{character_id} off C{channel} for good (until unbanned).

    @raise WorldError: already banned, or it is the channel's owner.
    """
    if character_id == channel.owner:
        raise WorldError("The channel's owner cannot be banned from it.")
    if character_id in channel.banned:
        raise WorldError("They are already banned from it.")
    if channel.owner is not None and len(channel.banned) >= MAX_BANNED:
        raise WorldError(f"{channel.name} bans {MAX_BANNED} characters already, as many as "
                         "a channel may; '@channel/unban' one first.")
    if channel.is_member(character_id):
        _off(root, channel, character_id)
    channel.banned.add(character_id)
    if channel.everyone:
        channel.left.discard(character_id)  # banned says it all; unbanning puts them back


def unban(channel: Channel, character_id: int) -> None:
    """
    Let C{character_id} be on C{channel} again (they join it again themselves,
    except on the world's public channels).

    @raise WorldError: not banned.
    """
    if character_id not in channel.banned:
        raise WorldError("They are not banned from it.")
    channel.banned.discard(character_id)


def mute(channel: Channel, character_id: int) -> None:
    """
    Let C{character_id} listen to C{channel} but not talk on it.

    @raise WorldError: not a member, already muted, or the owner.
    """
    if character_id == channel.owner:
        raise WorldError("The channel's owner cannot be muted on it.")
    if not channel.is_member(character_id):
        raise WorldError(f"They are not on {channel.name}.")
    if character_id in channel.muted:
        raise WorldError("They are already muted.")
    if channel.owner is not None and len(channel.muted) >= MAX_MUTED:
        raise WorldError(f"{channel.name} mutes {MAX_MUTED} members already, as many as a "
                         "channel may; '@channel/unmute' one first.")
    channel.muted.add(character_id)


def unmute(channel: Channel, character_id: int) -> None:
    """
    Let C{character_id} talk on C{channel} again.

    @raise WorldError: not muted.
    """
    if character_id not in channel.muted:
        raise WorldError("They are not muted.")
    channel.muted.discard(character_id)


def destroy(root: Any, channel: Channel) -> list[Any]:
    """
    Remove C{channel}: nobody is on it any more, and every facet and grant
    of it dies.

    @return: the channel grants of it (revoked by the caller's sandbox,
        which owns their records).
    @raise WorldError: it is the world's public channel.
    """
    if channel.name == DEFAULT and channel.owner is None:
        raise WorldError(f"{DEFAULT} is the world's public channel; it stays.")
    reg = registry(root)
    for member in list(channel.members):
        _off(root, channel, member)
    del reg.by_name[channel.name]
    owned = reg.by_owner.get(_key(channel.owner))
    if owned is not None:
        owned.discard(channel.name)
        if not owned:
            del reg.by_owner[_key(channel.owner)]
    reg.public.discard(channel.name)
    channel.destroyed = True
    ids = reg.grant_indexes()[1].get(channel.id, ())
    return [reg.grants[i] for i in ids if i in reg.grants]


# -- talking -----------------------------------------------------------------------------


def check_text(text: str) -> str:
    """
    C{text} as one line to say on a channel.

    @raise WorldError: empty or longer than L{MAX_TEXT}.
    """
    text = one_line(text)
    if not text:
        raise WorldError("Say what? Type the channel's name, then your words "
                         "(e.g. 'pub hello').")
    if len(text) > MAX_TEXT:
        raise WorldError(f"That is too long for a channel; keep it under {MAX_TEXT} "
                         "characters.")
    return text


def line(channel: Channel, talker: str, text: str, *, emote: bool = False) -> str:
    """
    The line everyone on C{channel} reads: C{[pub] Alice: hello}, or for an
    emote C{[pub] Alice waves.} (C{:'s} and C{:,} attach to the name).
    """
    if emote:
        joined = text if text[0] in "',:" else " " + text
        return f"[{channel.name}] {talker}{joined}"
    return f"[{channel.name}] {talker}: {text}"


def line_size(said: str, origin: str | None) -> int:
    """
    What one line of a channel's history stores, in UTF-8 bytes: the line
    and the mark of the script that said it.
    """
    return sum(len(text.encode("utf-8", "surrogatepass")) for text in (said, origin or ""))


def _line(kept: tuple) -> tuple[float, str, str | None, int | None]:
    """
    One line of a channel's history as C{(when, text, origin, speaker)},
    whether stored with its speaker or before (C{(when, text, origin)}).
    """
    when, said, origin = kept[:3]
    return when, said, origin, kept[3] if len(kept) > 3 else None


def _said_by(kept: tuple) -> int | None:
    """
    Whose words a line of the history repeats (a script's C{said_by}), if
    it was kept: C{(when, text, origin, speaker, said_by)}.
    """
    return kept[4] if len(kept) > 4 else None


def post(turn: Any, channel: Channel, said: str, now: float, online: Iterable[int], *,
         talker: str, actor: int | None = None, origin: str | None = None,
         speaker: int | None = None, said_by: int | None = None) -> Event:
    """
    Say the line C{said} (from L{line}) on C{channel}: keep it in the history
    (the oldest lines go while it holds more than L{HISTORY} lines or
    L{HISTORY_BYTES} bytes) and tell every member connected now (C{online}: the ids of connected
    characters) once the turn commits. One event, however many hear it.

    @param talker: who speaks, for clients' chat windows.
    @param actor: the id of the character (or scripted thing) speaking.
    @param origin: for a script, its mark (C{"Bob's gremlin"}).
    @param speaker: the id of the character whose words these are, kept
        with the line in the history: the player who talks, or the owner
        of the script that does (None for the world's own).
    @param said_by: the id of the character whose words a script's line
        repeats (L{world.events.Event.said_by}), kept with it too: whoever
        ignores either is not shown it.
    @raise WorldError: the channel was destroyed.
    """
    if channel.destroyed:
        raise WorldError(f"The channel {channel.name} no longer exists.")
    history = channel.history
    stored = channel.history_bytes
    if stored is None:  # a channel stored before its history was counted
        stored = sum(line_size(s, o) for _, s, o, _ in map(_line, history.values()))
    history[channel.next_line] = ((now, said, origin, speaker) if said_by is None
                                  else (now, said, origin, speaker, said_by))
    channel.next_line += 1
    stored += line_size(said, origin)
    while history and (len(history) > HISTORY or stored > HISTORY_BYTES):
        _, gone, gone_origin, _ = _line(history.pop(history.minKey()))
        stored -= line_size(gone, gone_origin)
    channel.history_bytes = stored
    event = Event("channel", said, actor=actor, origin=origin,
                  data={"channel": channel.name, "talker": talker}, said_by=said_by)
    for character_id in online:
        if channel.is_member(character_id):
            turn.tell(character_id, event)
    return event


def recent(channel: Channel, count: int = 20, hidden: Callable[[set[int]], Container[int]]
           = lambda speakers: ()) -> list[tuple[float, str]]:
    """
    The last C{count} lines said on C{channel}, oldest first: C{(when, the
    line as its readers saw it)}.

    @param hidden: given the ids of those who said the lines kept (at most
        L{HISTORY}), those whose lines the reader is not shown (whom she
        ignores, L{world.ignores.hidden_among}); the last C{count} of the
        others are.
    """
    count = max(0, min(count, HISTORY))
    if not count or not channel.history:
        return []
    kept = list(channel.history.values())
    lines = [_line(line) for line in kept]
    authors = [_said_by(line) for line in kept]
    gone = hidden({speaker for *_, speaker in lines if speaker is not None}
                  | {author for author in authors if author is not None})
    shown = [(when, said if origin is None else mark(origin) + said)
             for (when, said, origin, speaker), author in zip(lines, authors, strict=True)
             if speaker not in gone and author not in gone]
    return shown[-count:]
