# -*- test-case-name: tests.facets.test_grants,tests.facets.test_membrane -*-
"""
Grants: a player hands a script on one of their objects a facet of another
object, by name, and can list and revoke what they handed.

The policy (see docs/facets.md):
  - the host (the object whose script receives the facet) must be owned by
    the granting owner;
  - B{control} may be granted only of objects the owner owns;
  - B{view} and B{interact} may be granted of objects the owner owns, or that
    the owner's character can see now: itself, its room, what is in the room
    or carried by it, and what is inside containers there (never what other
    characters carry): what a player could point at, they may point a script
    at;
  - names are lower-case identifiers, unique among a host's live grants.

A L{Grant} is a persistent L{RevocationCell}: every facet made from it
(L{granted_facets}), everything obtained through those, and every copy
stored in script state dies when it is revoked, across restarts.

Storage: one L{GrantRegistry} attached lazily to the world root as
C{root.grants}. The C{@grant}, C{@grants} and C{@revoke} commands call
L{grant}, L{grants_of}/L{grants_on} with L{describe}, and
L{revoke}/L{revoke_named}.
"""

from __future__ import annotations

import re
from typing import Any

from scripting.facets import accounting, holds
from scripting.facets.adapters import exists, facet
from scripting.facets.interfaces import ROLE_NAMES
from scripting.facets.membrane import RevocationCell
from world.errors import WorldError
from world.objects import Container, Thing
from world.registries import GrantRegistry  # stored worlds name it here too
from world.rules import Agent

#: The attribute of the world root holding the registry.
ROOT_ATTRIBUTE = "grants"
#: What grant names look like (after lower-casing).
NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
#: The most live grants one host's scripts may hold.
MAX_GRANTS_PER_HOST = 32
#: The key owner None (the world) is indexed under.
WORLD = 0
#: What each grant (of an object, or of a channel:
#: L{scripting.facets.channels}) writes to the database, charged to its
#: owner's stored bytes while it lives: its record (its class, number,
#: owner, host, name, target and revocation cell) and its entries in the
#: registry's indexes; measured at about 320 bytes, 400 with the longest
#: name, once packed (tests/redteam_world/test_charge_grants.py).
GRANT_BYTES = 416


class Grant(RevocationCell):
    """
    One facet handed to a host's scripts.

    @ivar id: the grant's number, unique in the world, shown by C{@grants}.
    @ivar owner: who granted it (the id of their character, or None).
    @ivar host: the object whose scripts hold it.
    @ivar name: what the scripts call it.
    @ivar target: the object it is a facet of.
    @ivar role: C{"view"}, C{"interact"} or C{"control"}.
    @ivar charged: the stored bytes charged to its owner for it (refunded
        when it is revoked; 0 for one made before grants were charged).
    """

    reason = "That grant has been revoked."
    charged = 0

    def __init__(self, id: int, owner: int | None, host: Thing, name: str, target: Thing,
                 role: str) -> None:
        self.id = id
        self.owner = owner
        self.host = host
        self.name = name
        self.target = target
        self.role = role

    def __repr__(self) -> str:
        return f"<Grant {self.id} {self.name!r} {self.role}{' revoked' if self.revoked else ''}>"


def _key(owner: int | None) -> int:
    return WORLD if owner is None else owner


def registry(root: Any) -> GrantRegistry:
    """
    The world's grant registry (L{world.root.WorldRoot.grants}).
    """
    return root.grants


def _registry_made(root: Any) -> GrantRegistry:
    return root.grants


def _visible_to(root: Any, owner: int | None, target: Thing) -> bool:
    viewer = root.get(owner) if owner is not None else None  # trusted: the granting player
    if viewer is None:
        return False
    here = viewer.room()
    if target is viewer or (here is not None and target is here):
        return True
    place = target.location
    while place is not None:
        if place is viewer or (here is not None and place is here):
            return True
        if not isinstance(place, Container):  # not into other characters' pockets
            return False
        place = place.location
    return False


def grant(root: Any, owner: int | None, host: Thing, name: str, target: Thing,
          role: str) -> Grant:
    """
    Hand C{host}'s scripts the C{role} facet of C{target} under C{name}.

    @param owner: the granting player's character id (None: the world).
    @raise WorldError: for the player: the host is not theirs; a control
        grant of something not theirs; a view or interact grant of something
        neither theirs nor in sight; a bad or taken name; an unknown role.
    @raise QuotaExceeded: the owner has no room for it (L{GRANT_BYTES}).
    """
    if role not in ROLE_NAMES:
        raise WorldError(f"A grant is one of: {', '.join(ROLE_NAMES)}.")
    if type(name) is not str or not NAME.match(name.lower()):
        raise WorldError(
            "A grant name is a letter then letters, digits or _, at most 32 (e.g. lamp)."
        )
    name = name.lower()
    if not exists(root, host) or not exists(root, target):
        raise WorldError("That no longer exists.")
    if host.owner != owner:
        raise WorldError(f"{host.name} is not yours; grant only to scripts on your own objects.")
    if role == "control" and target.owner != owner:
        raise WorldError(
            f"{target.name} is not yours; you can grant control only of your own objects."
        )
    if target.owner != owner and not _visible_to(root, owner, target):
        raise WorldError(f"You can't see {target.name} from here.")
    reg = _registry_made(root)
    taken = reg.by_host.get(host.id)
    if taken is not None and name in taken:
        raise WorldError(
            f"{host.name} already has a grant named {name}; revoke it first (@revoke)."
        )
    if taken is not None and len(taken) >= MAX_GRANTS_PER_HOST:
        raise WorldError(
            f"{host.name} already holds {MAX_GRANTS_PER_HOST} grants, the most one thing may; "
            "revoke one first (@revoke)."
        )
    charge_grant(root, owner)  # raises before anything changes
    made = Grant(reg.next_id, owner, host, name, target, role)
    made.charged = GRANT_BYTES if owner is not None else 0
    reg.next_id += 1
    reg.add(made)
    return made


def charge_grant(root: Any, owner: int | None) -> None:
    """
    Charge C{owner} for a grant about to be made (L{GRANT_BYTES}; the world
    pays nothing).

    @raise QuotaExceeded: the owner has no room for it; nothing changes.
    """
    if owner is not None:
        accounting.charge_bytes(root, owner, GRANT_BYTES)


def refund_grant(root: Any, found: Any) -> None:
    """
    Refund C{found}'s owner what was charged for it (it is revoked): once.
    """
    if found.charged:
        accounting.charge_bytes(root, found.owner, -found.charged)
        found.charged = 0


def grants_of(root: Any, owner: int | None) -> list[Grant]:
    """
    The live grants C{owner} made, oldest first.
    """
    reg = registry(root)
    if reg is None:
        return []
    return [reg.live[i] for i in reg.by_owner.get(_key(owner), ())]


def grants_on(root: Any, host: Thing) -> list[Grant]:
    """
    The live grants C{host}'s scripts hold, by name.
    """
    reg = registry(root)
    if reg is None:
        return []
    return [reg.live[i] for i in reg.by_host.get(host.id, {}).values()]


def grants_of_target(root: Any, target: Thing) -> list[Grant]:
    """
    The live grants of C{target} (whoever made them), by id: found through
    the registry's index by target, never by walking every grant.
    """
    reg = registry(root)
    if reg is None:
        return []
    return [g for g in reg.involving(target.id) if g.target is target]


def granted_facets(root: Any, host: Thing) -> dict[str, Any]:
    """
    Name → facet for every live grant on C{host}: what the engine hands the
    host's scripts (e.g. as C{grants.lamp}). Each facet speaks (rooms) with
    the host's voice and dies with its grant. A grant of a character is
    held (L{scripting.facets.holds}) and charged to the host's owner; the
    hold is pinned (never given up for a newer visitor's) while a grant of
    the character to the host lives.

    @raise QuotaExceeded: the owner cannot pay for holding a character
        granted.
    """
    return {
        g.name: facet(g.target, g.role, cells=(g,), voice=host, root=root, pin=True)
        for g in grants_on(root, host)
    }


def revoke(root: Any, owner: int | None, grant_id: int, *, wizard: bool = False,
           not_its_own: bool = False) -> Grant:
    """
    Revoke grant C{grant_id}, which C{owner} made (any owner's, if C{wizard}).

    @param not_its_own: someone other than C{owner} revokes it (the player
        it is of): the first failure through it does not count toward
        suspending the holding script (L{RevocationCell.excuse}). A wizard
        revoking another owner's grant is such a one too, whatever the
        caller says.

    @raise WorldError: no such live grant of theirs.
    """
    reg = registry(root)
    found = reg.live.get(grant_id) if reg is not None and type(grant_id) is int else None
    if reg is None or found is None or (found.owner != owner and not wizard):
        raise WorldError(f"You have no grant {grant_id}. (@grants lists yours.)")
    return _revoke(root, reg, found, None, not_its_own=not_its_own or found.owner != owner)


def revoke_named(root: Any, owner: int | None, host: Thing, name: str, *,
                 wizard: bool = False) -> Grant:
    """
    Revoke the grant named C{name} on C{host}, which C{owner} made.

    @raise WorldError: no such live grant of theirs.
    """
    reg = registry(root)
    names = reg.by_host.get(host.id) if reg is not None else None
    grant_id = names.get(name.lower()) if names is not None and type(name) is str else None
    if grant_id is None:
        raise WorldError(f"{host.name} has no grant named {name}.")
    return revoke(root, owner, grant_id, wizard=wizard)


def revoke_involving(root: Any, obj: Thing, reason: str | None = None,
                     by: Agent | None = None) -> list[Grant]:
    """
    Revoke every live grant whose target or host is C{obj}: for when it is
    destroyed or changes hands. Not the holding scripts' doing unless
    C{by} is the grant's owner (destroying his own grant's target): the
    first failure through the others is not counted toward suspending
    them (L{RevocationCell.excuse}).

    @param by: who does it (None: the system, loading content).
    """
    reg = registry(root)
    if reg is None:
        return []
    doomed = [g for g in reg.involving(obj.id) if g.target is obj or g.host is obj]
    return [_revoke(root, reg, g, reason, not_its_own=by is None or by.owner != g.owner)
            for g in doomed]


def _revoke(root: Any, reg: GrantRegistry, found: Grant, reason: str | None, *,
            not_its_own: bool = False) -> Grant:
    """
    Revoke C{found} and take it out of C{reg}; if it was the host's last
    grant of a character, her hold is no longer pinned (L{holds.unpin}).
    """
    found.revoke(reason, not_its_own=not_its_own)
    reg.remove(found)
    refund_grant(root, found)
    host, target = found.host, found.target
    if not any(reg.live[i].target is target
               for i in reg.by_host.get(host.id, {}).values() if i in reg.live):
        holds.unpin(root, target, host)
    return found


def describe(grant: Grant) -> str:
    """
    One line for C{@grants}: C{3: bell.lamp = view of brass lamp (#12)}.
    """
    state = " (revoked)" if grant.revoked else ""
    return (f"{grant.id}: {grant.host.name}.{grant.name} = {grant.role} of "
            f"{grant.target.name} ({grant.target.ref}){state}")
