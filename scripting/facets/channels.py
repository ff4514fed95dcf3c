# -*- test-case-name: tests.facets.test_channels,tests.engine.test_channels -*-
"""
Channel facets: a channel's owner hands a script on one of their objects the
power to talk on that channel, and can take it back.

C{@grant bell.pub = channel chess} makes a L{ChannelGrant} (a persistent
L{RevocationCell}, kept in the world's L{world.channels.ChannelRegistry});
the engine hands the host's scripts a L{ChannelFacet} for each live grant,
among their C{grants} (C{grants["pub"].say("hello")}). The facet offers
exactly L{IChannel} (a L{ServiceChecker}: it is not a facet of a world
object, so it is never stored in script state, nor accepted as one).

What a script says on a channel is marked as the script's for every reader
(C{[Bob's gremlin] [chess] gremlin: hello}, also in the history), counts as
one message against its owner's output rate like anything else a script
sends, and at most L{LINES_PER_TURN} lines per channel may be said in one
turn. Revoking the grant, destroying the channel or the host, kills the
facet.

Policy: only a channel's owner may grant it (wizards: also the world's
channels), only to scripts on their own objects; grant names are shared
with the host's other grants (L{scripting.facets.grants}).

What a player's channel costs its owner (L{stored_size}) is charged by the
engine's commands (L{engine.commands.channels.charge}); L{charge_stored}
charges, once, the channels a world stored before that.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from zope.interface import implementer
from zope.security.proxy import Proxy

from scripting.facets import accounting, grants, inputs, texts
from scripting.facets.adapters import author_of, exists
from scripting.facets.base import FacetBase
from scripting.facets.checkers import ServiceChecker, install_checkers, interface_names
from scripting.facets.context import charge, current, current_turn
from scripting.facets.interfaces import IChannel
from scripting.facets.membrane import RevocationCell, check_alive, is_alive
from world import channels
from world.channels import Channel
from world.errors import WorldError
from world.objects import Thing

#: The most lines a script may say on one channel in one turn.
LINES_PER_TURN = 3

#: Lines said per (turn, channel) in the turn running (turns are transient).
_said: WeakKeyDictionary[Any, dict[int, int]] = WeakKeyDictionary()


class ChannelGrant(RevocationCell):
    """
    One channel handed to a host's scripts.

    @ivar id: its number among channel grants (C{@grants} shows it as
        C{c<id>}).
    @ivar owner: who granted it (the id of their character).
    @ivar host: the object whose scripts hold it.
    @ivar name: what the scripts call it.
    @ivar channel: the L{Channel}.
    @ivar charged: the stored bytes charged to its owner for it
        (L{grants.GRANT_BYTES}, refunded when it is revoked; 0 for one made
        before grants were charged).
    """

    reason = "That channel grant has been revoked."
    charged = 0

    def __init__(self, id: int, owner: int | None, host: Thing, name: str,
                 channel: Channel) -> None:
        self.id = id
        self.owner = owner
        self.host = host
        self.name = name
        self.channel = channel

    def __repr__(self) -> str:
        return f"<ChannelGrant {self.id} {self.name!r}{' revoked' if self.revoked else ''}>"


def _registry(root: Any) -> channels.ChannelRegistry:
    return channels.registry(root)


def stored_size(channel: Channel) -> int:
    """
    What C{channel} costs its owner: the bytes of its name and description
    and its history's ceiling (L{world.channels.HISTORY_BYTES}), however
    little it holds now.
    """
    return texts.size(channel.name) + texts.size(channel.description) + channels.HISTORY_BYTES


def charge_stored(root: Any) -> int:
    """
    Charge the owner of every player's channel what it stores and was not
    charged (a world stored before channels, or their history, were
    charged: L{world.root.WorldRoot.recount_channels}), without a quota
    check: an owner this takes past their quota keeps everything, and may
    store nothing more (nor grow a channel) until they free room. The
    world's channels are charged to nobody. How many channels were charged.
    """
    count = 0
    for channel in _registry(root).all():
        if channel.owner is None or channel.destroyed:
            continue
        growth = stored_size(channel) - channel.charged
        if growth > 0:
            accounting.account(root, channel.owner).stored_bytes += growth
            channel.charged += growth
            count += 1
    return count


def names_on(root: Any, host: Thing) -> set[str]:
    """
    The names of the live channel grants C{host}'s scripts hold.
    """
    return set(_registry(root).grants_by_host.get(host.id, ()))


def grant(root: Any, owner: int | None, host: Thing, name: str, channel: Channel, *,
          wizard: bool = False) -> ChannelGrant:
    """
    Hand C{host}'s scripts a facet of C{channel} under C{name}.

    @raise WorldError: for the player: the host is not theirs, the channel
        is not theirs, the name is bad or taken, or the host holds as many
        grants as it may.
    @raise QuotaExceeded: the owner has no room for it
        (L{grants.GRANT_BYTES}).
    """
    if type(name) is not str or not grants.NAME.match(name.lower()):
        raise WorldError(
            "A grant name is a letter then letters, digits or _, at most 32 (e.g. chess).")
    name = name.lower()
    if not exists(root, host):
        raise WorldError("That no longer exists.")
    if host.owner != owner:
        raise WorldError(f"{host.name} is not yours; grant only to scripts on your own objects.")
    if channel.destroyed:
        raise WorldError(f"The channel {channel.name} no longer exists.")
    if channel.owner != owner and not (wizard and channel.owner is None):
        raise WorldError(f"{channel.name} is not your channel; you can hand scripts only "
                         "your own channels.")
    taken = names_on(root, host) | {g.name for g in grants.grants_on(root, host)}
    if name in taken:
        raise WorldError(
            f"{host.name} already has a grant named {name}; revoke it first (@revoke).")
    if len(taken) >= grants.MAX_GRANTS_PER_HOST:
        raise WorldError(
            f"{host.name} already holds {grants.MAX_GRANTS_PER_HOST} grants, the most one thing "
            "may; revoke one first (@revoke).")
    grants.charge_grant(root, owner)  # raises before anything changes
    reg = _registry(root)
    made = ChannelGrant(reg.next_grant, owner, host, name, channel)
    made.charged = grants.GRANT_BYTES if owner is not None else 0
    reg.next_grant += 1
    reg.grants[made.id] = made
    reg.index_grant(made)
    names = dict(reg.grants_by_host.get(host.id, {}))
    names[name] = made.id
    reg.grants_by_host[host.id] = names
    return made


def grants_on(root: Any, host: Thing) -> list[ChannelGrant]:
    """
    The live channel grants C{host}'s scripts hold, by name.
    """
    reg = _registry(root)
    names = reg.grants_by_host.get(host.id, {})
    return [reg.grants[names[n]] for n in sorted(names)]


def grants_of(root: Any, owner: int | None) -> list[ChannelGrant]:
    """
    The live channel grants C{owner} made, oldest first (reading only
    those: L{channels.ChannelRegistry.grants_by_owner}).
    """
    reg = _registry(root)
    return [reg.grants[i] for i in reg.grant_ids_of(owner) if i in reg.grants]


def revoke(root: Any, found: ChannelGrant, reason: str | None = None, *,
           not_its_own: bool = False) -> ChannelGrant:
    """
    Revoke C{found}: every facet made from it dies, for good.

    @param not_its_own: someone other than its owner (a wizard) revokes it,
        or destroys its channel: the first failure through it does not
        count toward suspending the holding script
        (L{RevocationCell.excuse}), as for object grants.
    """
    found.revoke(reason, not_its_own=not_its_own)
    reg = _registry(root)
    if reg.grants.pop(found.id, None) is not None:
        reg.unindex_grant(found)
    grants.refund_grant(root, found)
    names = reg.grants_by_host.get(found.host.id)
    if names is not None and names.get(found.name) == found.id:
        left = {n: i for n, i in names.items() if n != found.name}
        if left:
            reg.grants_by_host[found.host.id] = left
        else:
            del reg.grants_by_host[found.host.id]
    return found


def revoke_id(root: Any, owner: int | None, grant_id: int, *,
              wizard: bool = False) -> ChannelGrant:
    """
    Revoke channel grant C{grant_id}, which C{owner} made (any, if C{wizard}:
    another owner's is not its holding script's doing, L{revoke}).

    @raise WorldError: no such live grant of theirs.
    """
    found = _registry(root).grants.get(grant_id)
    if found is None or (found.owner != owner and not wizard):
        raise WorldError(f"You have no grant c{grant_id}. (@grants lists yours.)")
    return revoke(root, found, not_its_own=found.owner != owner)


def revoke_named(root: Any, owner: int | None, host: Thing, name: str, *,
                 wizard: bool = False) -> ChannelGrant | None:
    """
    Revoke the channel grant named C{name} on C{host}, which C{owner} made;
    None if C{host} has no channel grant of that name.

    @raise WorldError: it is someone else's.
    """
    grant_id = _registry(root).grants_by_host.get(host.id, {}).get(name.lower())
    if grant_id is None:
        return None
    return revoke_id(root, owner, grant_id, wizard=wizard)


def revoke_hosted(root: Any, host: Thing, reason: str | None = None) -> None:
    """
    Revoke every channel grant C{host}'s scripts hold (it left the world).
    """
    for found in grants_on(root, host):
        revoke(root, found, reason)


def describe(found: ChannelGrant) -> str:
    """
    One line for C{@grants}: C{c2: bell.chess = channel chess}.
    """
    return f"c{found.id}: {found.host.name}.{found.name} = channel {found.channel.name}"


# -- the facet ---------------------------------------------------------------------------


@implementer(IChannel)
class ChannelFacet(FacetBase):
    """
    A script's handle on a channel: it talks as its host, marked as the
    script's (C{_origin}, computed by the engine when it hands the facet).
    """

    __slots__ = ("_origin",)
    _tag = "channel"

    def __init__(self, target: Any, voice: Any = None, cells: tuple = (),
                 origin: str | None = None) -> None:
        super().__init__(target, voice, cells)
        self._origin = origin

    def with_cells(self, cells: tuple) -> ChannelFacet:
        return ChannelFacet(self._target, self._voice, cells, self._origin)

    def __repr__(self) -> str:
        return f"<channel {self._target.name!r}>" if is_alive(self._cells) \
            else "<revoked facet>"

    __str__ = __repr__

    @property
    def name(self) -> str:
        return str(self._target.name)

    def say(self, text: Any, said_by: Any = None) -> None:
        self._post(text, said_by, emote=False)

    def emote(self, text: Any, said_by: Any = None) -> None:
        self._post(text, said_by, emote=True)

    def _post(self, text: Any, author: Any, *, emote: bool) -> None:
        check_alive(self._cells)
        by = author_of(author)
        channel: Channel = self._target
        turn = current_turn()
        host = self._voice
        if channel.destroyed:
            raise WorldError(f"The channel {channel.name} no longer exists.")
        if not exists(turn.root, host):
            raise WorldError(f"{host.name} no longer exists.")
        said = inputs.line(text, "text", channels.MAX_TEXT)
        if not said.strip():
            raise WorldError("Say something: the text is empty.")
        counts = _said.setdefault(turn, {})
        if counts.get(channel.id, 0) >= LINES_PER_TURN:
            raise WorldError(f"A script may say at most {LINES_PER_TURN} lines on a channel "
                             "in one turn.")
        counts[channel.id] = counts.get(channel.id, 0) + 1
        store = current().store
        charge(len(said) + len(store.minds))
        line = channels.line(channel, host.name, said, emote=emote)
        channels.post(turn, channel, line, current().now or 0.0, list(store.minds),
                      talker=self._origin or host.name, actor=host.id, origin=self._origin,
                      speaker=host.owner, said_by=by)


def channel_facet(channel: Channel, host: Thing, origin: str | None,
                  cells: tuple = ()) -> Any:
    """
    The facet of C{channel} that C{host}'s scripts talk through, marked
    C{origin}, dying with C{cells}. Trusted code only.
    """
    install_checkers([ChannelFacet])  # an escaped target is inert
    cells = tuple(cells)
    return Proxy(ChannelFacet(channel, host, cells, origin),
                 ServiceChecker(interface_names(IChannel), cells))


def channel_facets(root: Any, host: Thing, origin: str | None) -> dict[str, Any]:
    """
    Name → facet for every live channel grant on C{host}: what the engine
    adds to the host's scripts' C{grants}.
    """
    return {g.name: channel_facet(g.channel, host, origin, (g,))
            for g in grants_on(root, host) if not g.channel.destroyed}
