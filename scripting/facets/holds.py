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

A character's own scripts (their owner is the character) get no hold: the
player needs no protection from themselves.
"""

from __future__ import annotations

from typing import Any

from BTrees.IOBTree import IOBTree

from scripting.facets.membrane import RevocationCell
from world import rules
from world.objects import Character, Thing

#: The attribute of a character holding its holds: host id → L{Hold}.
ATTRIBUTE = "facet_holders"


class Hold(RevocationCell):
    """
    The cell behind every facet of C{character} handed to C{host}'s script.

    @ivar host: the scripted object.
    @ivar owner: the host's owner when it first held the facet.
    """

    reason = "That player has revoked what your script held of them."

    def __init__(self, host: Thing, owner: int | None) -> None:
        self.host = host
        self.owner = owner


def hold(character: Character, host: Thing) -> Hold | None:
    """
    The live hold of C{host} on C{character}, made if there is none (or the
    last was revoked); None if C{host} is the character's own.
    """
    if host.owner == character.id or host is character:
        return None
    held = getattr(character, ATTRIBUTE, None)
    if held is None:
        held = IOBTree()
        setattr(character, ATTRIBUTE, held)
    found = held.get(host.id)
    if found is None or found.revoked or found.host is not host:
        found = held[host.id] = Hold(host, host.owner)
    return found


def holds_of(root: Any, character: Character) -> list[Hold]:
    """
    The live holds on C{character}, by host id; holds of hosts that no
    longer exist are dropped.
    """
    held = getattr(character, ATTRIBUTE, None)
    if held is None:
        return []
    live = []
    for host_id, found in list(held.items()):
        if found.revoked or not rules.exists(root, found.host):
            del held[host_id]
            continue
        live.append(found)
    return live


def revoke(character: Character, found: Hold) -> None:
    """
    Revoke C{found}, a hold on C{character}: every facet of the character
    its host holds dies.
    """
    found.revoke()
    held = getattr(character, ATTRIBUTE, None)
    if held is not None and held.get(found.host.id) is found:
        del held[found.host.id]
