# -*- test-case-name: tests.redteam_world.test_holders -*-
"""
Holds: which scripts were handed a facet of a player's character, so that
the player can see them and revoke them (C{@holders}).

Every facet of a character that trusted code makes for another owner's
script (a handler's or verb's C{actor}, a character met in
C{here.characters}, a grant) carries one L{Hold}: a revocation cell for that
(character, host) pair, kept on the character. Revoking it kills every
facet of the character the host's script has, wherever it keeps them
(module globals, state, timer data), and everything obtained through them;
the script can then no longer even recognise the player (comparing a dead
facet raises). Meeting the player again later hands the script a fresh
facet, under a new hold.

Holds have a ceiling and a price: one owner's scripted things hold facets
of one character through at most L{MAX_PER_OWNER} hosts at once (a further
one takes the place of that owner's oldest, whose facets of her die, never
another owner's), and each live hold is charged L{HOLD_BYTES} to its host's
owner's stored bytes (what it adds to her record), refunded when it goes.

A character's own scripts (their owner is the character) get no hold: the
player needs no protection from themselves.
"""

from __future__ import annotations

from typing import Any

from BTrees.IOBTree import IOBTree
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping

from scripting.facets import accounting
from scripting.facets.errors import QuotaExceeded
from scripting.facets.membrane import RevocationCell
from world import rules
from world.objects import Character, Thing

#: The attribute of a character holding its holds: host id → L{Hold}.
ATTRIBUTE = "facet_holders"
#: The attribute of a character listing its holds' host ids by owner, oldest
#: first.
ORDER = "facet_holders_order"
#: The most hosts of one owner holding facets of one character at once.
MAX_PER_OWNER = 20
#: What one live hold is charged to its host's owner's stored bytes.
HOLD_BYTES = 64


class Hold(RevocationCell):
    """
    The cell behind every facet of C{character} handed to C{host}'s script.

    @ivar host: the scripted object.
    @ivar owner: the host's owner when it first held the facet (who pays).
    @ivar charged: whether L{HOLD_BYTES} were charged to C{owner}.
    """

    reason = "That player has revoked what your script held of them."
    charged = False

    def __init__(self, host: Thing, owner: int | None) -> None:
        self.host = host
        self.owner = owner


def _order(character: Character) -> Any:
    order = getattr(character, ORDER, None)
    if order is None:
        order = PersistentMapping()
        setattr(character, ORDER, order)
    return order


def _forget(root: Any, character: Character, found: Hold) -> None:
    """
    Take C{found} off C{character}'s records and refund its owner.
    """
    held = getattr(character, ATTRIBUTE, None)
    if held is not None and held.get(found.host.id) is found:
        del held[found.host.id]
    listed = getattr(character, ORDER, {}).get(found.owner)
    if listed is not None and found.host.id in listed:
        listed.remove(found.host.id)
    if found.charged and root is not None:
        accounting.charge_bytes(root, found.owner, -HOLD_BYTES)
        found.charged = False


def hold(character: Character, host: Thing, root: Any = None) -> Hold | None:
    """
    The live hold of C{host} on C{character}, made if there is none (or the
    last was revoked); None if C{host} is the character's own. A new hold
    past L{MAX_PER_OWNER} of the host's owner revokes that owner's oldest.

    @param root: the world root, to charge the owner (L{HOLD_BYTES}); an
        owner past their stored-bytes quota makes room by losing their
        oldest holds of her, and if none is left, the hold is made uncharged
        (the ceiling still bounds it).
    """
    if host.owner == character.id or host is character:
        return None
    held = getattr(character, ATTRIBUTE, None)
    if held is None:
        held = IOBTree()
        setattr(character, ATTRIBUTE, held)
    found = held.get(host.id)
    if found is not None and not found.revoked and found.host is host:
        return found
    if found is not None:
        found.revoke()
        _forget(root, character, found)
    listed = _order(character).setdefault(host.owner, PersistentList())
    while len(listed) >= MAX_PER_OWNER:
        _evict(root, character, held, listed)
    found = held[host.id] = Hold(host, host.owner)
    listed.append(host.id)
    while root is not None and not found.charged:
        try:
            accounting.charge_bytes(root, host.owner, HOLD_BYTES)
            found.charged = True
        except QuotaExceeded:
            if len(listed) <= 1:
                break
            _evict(root, character, held, listed)
    return found


def _evict(root: Any, character: Character, held: Any, listed: Any) -> None:
    """
    Revoke the oldest hold in C{listed} (one owner's, on C{character}).
    """
    oldest = held.get(listed[0])
    if oldest is None:
        del listed[0]
        return
    oldest.revoke()
    _forget(root, character, oldest)


def holds_of(root: Any, character: Character) -> list[Hold]:
    """
    The live holds on C{character}, by host id; holds of hosts that no
    longer exist are dropped (and refunded).
    """
    held = getattr(character, ATTRIBUTE, None)
    if held is None:
        return []
    live = []
    for found in list(held.values()):
        if found.revoked or not rules.exists(root, found.host):
            _forget(root, character, found)
            continue
        live.append(found)
    return live


def revoke(character: Character, found: Hold, root: Any = None) -> None:
    """
    Revoke C{found}, a hold on C{character}: every facet of the character
    its host holds dies; its owner is refunded.
    """
    found.revoke()
    _forget(root, character, found)
