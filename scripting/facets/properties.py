# -*- test-case-name: tests.facets,tests.redteam_world.test_charge_properties -*-
"""
Setting and removing objects' properties, charged to the owner's stored
bytes like script state.

A property counts its key's UTF-8 bytes plus its value's canonical JSON
bytes (L{world.properties.measure}), and what its record and its key's
entry write beyond those (L{RECORD_BYTES}, and the key's bytes once again:
L{stored}), against the stored-bytes quota of the object's owner (the owner
it was first charged to, if it changes hands later). Replacing a value
charges the difference; removing it, or destroying the object, refunds
exactly what was charged for it (properties content files set were charged
to nobody, so removing them refunds nothing). A set that would go over the
quota raises L{QuotaExceeded} and changes nothing; the world's own limits
(L{world.properties.MAX_PROPERTIES} keys per object,
L{world.properties.MAX_PROPERTY_BYTES} per value) raise
L{world.properties.PropertyError}.

Facets' C{set_property}/C{unset_property} and the C{@set}/C{@unset}
commands call these; L{forget_properties} runs when an object is destroyed.
"""

from __future__ import annotations

from typing import Any

from scripting.facets import accounting
from world import rules
from world.objects import Thing

#: What each property writes to the database beyond its key's text and its
#: value's: its own record (the record's header, its class, the value's
#: size and charge) and its entry in the object's tree of keys (a reference
#: to the record, its share of the tree's bucket records); measured at
#: about 160 bytes and the key's length once again, for one key or
#: sixty-four, once packed, and about 190 for an object's first (the tree
#: names the records' class), or 220 set in a turn of its own (the turn's
#: own record; tests/redteam_world/test_charge_properties.py). Charged
#: with every property (L{stored}), with the key's length once again.
RECORD_BYTES = 224


def stored(key: str, size: int) -> int:
    """
    The bytes C{key} is charged for holding a value that measures C{size}
    (L{world.properties.measure}: the key's text and the value's JSON), with
    what its record and its entry write beyond those (L{RECORD_BYTES}, and
    the key's text once again: the tree of keys holds it).
    """
    return size + RECORD_BYTES + len(key.encode("utf-8"))


def set_property(root: Any, obj: Thing, key: str, value: Any) -> int:
    """
    Make C{obj}'s property C{key} hold the plain C{value}, charging its
    owner what it stores (L{stored}); returns its size (what it measures).

    @raise world.properties.PropertyError: a bad name or value, or one key
        too many; nothing changes.
    @raise QuotaExceeded: the owner has no room for it; nothing changes.
    @raise world.errors.WorldError: it would seal others' things in
        (L{world.rules.check_seal}); nothing changes.
    """
    props = obj.properties
    size = props.check(key, value)
    if key == "sealed":
        rules.check_seal(root, obj, value)  # not over others' things
    old = props.record(key)
    refund = old.charged if old is not None else 0
    owner = props.charged_to if props.charged else obj.owner
    charged = stored(key, size)
    accounting.charge_bytes(root, owner, charged - refund)  # raises before anything changes
    props.charged_to = owner
    props.set(key, value, charged=charged)
    return size


def unset_property(root: Any, obj: Thing, key: str) -> bool:
    """
    Remove C{obj}'s property C{key}, refunding what was charged for it;
    whether there was one.
    """
    props = obj.properties
    found = props.record(key)
    if found is None:
        return False
    refund, owner = found.charged, props.charged_to
    props.pop(key)
    if refund:
        accounting.charge_bytes(root, owner, -refund)
    return True


def forget_properties(root: Any, obj: Thing) -> None:
    """
    Refund everything charged for C{obj}'s properties (it is destroyed).
    """
    props = obj.properties
    if props.charged:
        accounting.charge_bytes(root, props.charged_to, -props.charged)
        props.charged = 0


def transfer_properties(root: Any, obj: Thing, new_owner: int | None) -> None:
    """
    Charge C{obj}'s properties to C{new_owner} from now on (when it changes
    hands).

    @raise QuotaExceeded: the new owner has no room for them; nothing
        changes.
    """
    props = obj.properties
    if not props.charged or props.charged_to == new_owner:
        return  # (nothing charged: the next set charges whoever owns it then)
    accounting.charge_bytes(root, new_owner, props.charged)
    accounting.charge_bytes(root, props.charged_to, -props.charged)
    props.charged_to = new_owner


__all__ = ["RECORD_BYTES", "forget_properties", "set_property", "stored", "transfer_properties",
           "unset_property"]
