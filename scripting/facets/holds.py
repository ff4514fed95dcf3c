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
Every hold is paid for, whatever made it (a handler's argument, a view, a
grant): an owner with no room left loses their oldest charged holds of her
to pay for the new one, and with none, is refused (L{QuotaExceeded}: the
script is not handed her). The owner of the host pays, never whoever made
the host meet her (a script whose move woke its handler, say): the hold
lasts as long as the host's script may keep her facet, which only its
owner (by destroying the host) or she (C{@holders/revoke}) can end.
Holds a world stored before they were charged are counted and charged once
(L{count_stored}, the generation 12 to 13 upgrade).

A character's own scripts (their owner is the character) get no hold: the
player needs no protection from themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
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
    Take C{found} off C{character}'s records and refund its owner what it
    was charged.
    """
    held = getattr(character, ATTRIBUTE, None)
    if held is not None and held.get(found.host.id) is found:
        del held[found.host.id]
    listed = getattr(character, ORDER, {}).get(found.owner)
    if listed is not None and found.host.id in listed:
        listed.remove(found.host.id)
    if found.charged:
        accounting.charge_bytes(root, found.owner, -HOLD_BYTES)
        found.charged = False


def _check_payable(root: Any, character: Character, held: Any, owner: int | None,
                   listed: Any) -> None:
    """
    Refuse a new hold of C{owner}'s on C{character} that C{owner} cannot pay
    for, even by losing every hold of hers they have (C{listed}); before
    anything changes.

    @raise QuotaExceeded: no room, and no charged hold of hers to give up.
    """
    current = accounting.usage(root, owner)
    room = current.stored_bytes_quota - current.stored_bytes
    if room >= HOLD_BYTES:
        return
    freed = sum(HOLD_BYTES for i in listed if getattr(held.get(i), "charged", False))
    if room + freed < HOLD_BYTES:
        raise QuotaExceeded(
            f"Holding a facet of {character.name} needs {HOLD_BYTES} bytes of storage, "
            f"but only {max(0, room)} of {current.stored_bytes_quota} are left. Delete "
            "stored values you no longer need (script state, properties, timers), or ask "
            "a wizard for more."
        )


def hold(character: Character, host: Thing, root: Any) -> Hold | None:
    """
    The live hold of C{host} on C{character}, made if there is none (or the
    last was revoked) and charged L{HOLD_BYTES} to the host's owner; None if
    C{host} is the character's own. A new hold past L{MAX_PER_OWNER} of the
    host's owner revokes that owner's oldest; an owner past their
    stored-bytes quota makes room by losing their oldest holds of her.

    @param root: the world root, whose accounts are charged.
    @raise QuotaExceeded: the owner cannot pay, even by losing every hold of
        her they have; nothing changes then.
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
    listed = _order(character).get(host.owner, ())
    _check_payable(root, character, held, host.owner, listed)
    listed = _order(character).setdefault(host.owner, PersistentList())
    while len(listed) >= MAX_PER_OWNER:
        _evict(root, character, held, listed)
    while True:
        try:
            accounting.charge_bytes(root, host.owner, HOLD_BYTES)
            break
        except QuotaExceeded:
            if not listed:  # _check_payable saw room: a programming error
                raise
            _evict(root, character, held, listed)
    found = held[host.id] = Hold(host, host.owner)
    found.charged = True
    listed.append(host.id)
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


def revoke(character: Character, found: Hold, root: Any) -> None:
    """
    Revoke C{found}, a hold on C{character}: every facet of the character
    its host holds dies; its owner is refunded.
    """
    found.revoke()
    _forget(root, character, found)


def count_stored(root: Any, characters: Iterable[Any]) -> None:
    """
    Bring the holds on C{characters} that a world stored before holds were
    charged (or counted toward the ceiling) under both: each live hold of a
    host that still exists is listed for its owner, and charged to them;
    past L{MAX_PER_OWNER} of one owner on one character, or with no room
    left to pay, it is revoked (its script meets her again under a new hold,
    paid for). Holds of hosts gone, or revoked, are dropped. Run once, by
    the generation 12 to 13 upgrade (L{world.generations}).
    """
    for character in characters:
        held = getattr(character, ATTRIBUTE, None)
        if not isinstance(character, Character) or held is None:
            continue
        order = _order(character)
        for found in list(held.values()):
            if found.revoked or not rules.exists(root, found.host):
                _forget(root, character, found)
                continue
            listed = order.get(found.owner)
            counted = listed is not None and found.host.id in listed
            if counted and found.charged:
                continue
            if not counted and listed is not None and len(listed) >= MAX_PER_OWNER:
                found.revoke()
                _forget(root, character, found)
                continue
            if not found.charged:
                try:
                    accounting.charge_bytes(root, found.owner, HOLD_BYTES)
                except QuotaExceeded:
                    found.revoke()
                    _forget(root, character, found)
                    continue
                found.charged = True
            if not counted:
                order.setdefault(found.owner, PersistentList()).append(found.host.id)
