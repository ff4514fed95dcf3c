# -*- test-case-name: tests.world.test_properties,tests.redteam_world.test_properties -*-
"""
Objects' free-form properties, stored so that one change writes one small
record.

Each object has one L{Properties}: a B-tree of L{Property} records, one per
key. Changing a value rewrites that key's record (at most
L{MAX_PROPERTY_BYTES} of value) and the few numbers of the L{Properties}
record, never the other values; adding or removing a key also rewrites one
bucket of keys. An object holds at most L{MAX_PROPERTIES} keys.

Every value is plain (L{world.values}) and measured the way script state
is: the key's UTF-8 bytes plus the value's charged size (the larger of its
canonical JSON and the most its pickle writes: L{world.values.charged_size});
a value's limit (L{MAX_PROPERTY_BYTES}) counts its canonical JSON. Each record
also says how many bytes were charged to an owner for it (C{charged}: its
size and what the record itself writes, or, for properties set before
records were charged, just its size), so that removing it refunds exactly
that: the world does no charging itself (it imports nothing from
C{scripting}); L{scripting.facets.properties} charges the owner when a
script or a player's command sets a property. Properties set by content
files, by tests' worlds and by worlds from before schema generation 3 are
charged to nobody.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from BTrees.OOBTree import OOBTree
from persistent import Persistent

from world.errors import WorldError
from world.values import charged_size, check_plain, plain_size

#: The most keys one object's properties may have.
MAX_PROPERTIES = 64
#: The largest value one property may hold, in bytes of canonical JSON.
MAX_PROPERTY_BYTES = 8192
#: The longest property name.
MAX_KEY = 64


class PropertyError(WorldError):
    """
    A property cannot be set: too many keys, too big a value, a bad name.
    """


def measure(key: str, value: Any) -> int:
    """
    What C{key} holding plain C{value} counts for: the key's UTF-8 bytes
    plus the value's charged size (L{world.values.charged_size}: never less
    than what its pickle writes).
    """
    return len(key.encode("utf-8")) + charged_size(value)


def check_value(key: Any, value: Any) -> int:
    """
    Whether any object may hold C{value} under C{key}; its size if so.

    @raise PropertyError: a bad name, or a value that is not plain or is
        bigger than L{MAX_PROPERTY_BYTES}.
    """
    if type(key) is not str or not key or len(key) > MAX_KEY or not key.isprintable():
        raise PropertyError(f"A property name is 1 to {MAX_KEY} printable characters.")
    try:
        check_plain(value)
    except ValueError as e:
        raise PropertyError(f"That value can't be stored: {e}.") from None
    if plain_size(value) > MAX_PROPERTY_BYTES:
        raise PropertyError(
            f"That value is too big for a property (at most {MAX_PROPERTY_BYTES} bytes); "
            "keep big values in script state.")
    return measure(key, value)


class Property(Persistent):
    """
    One property's value: a record of its own.

    @ivar value: the plain value.
    @ivar size: its measured bytes (L{measure}).
    @ivar charged: how many bytes were charged for it to the owner the
        object's L{Properties} are charged to (0: none); its size and what
        the record writes (L{scripting.facets.properties.stored}), or, if
        it was set before records were charged, its size.
    """

    def __init__(self, value: Any, size: int, charged: int = 0) -> None:
        self.value = value
        self.size = size
        self.charged = charged


class Properties(Persistent):
    """
    An object's properties: a mapping of text keys to plain values.

    Reads work like a dict's (C{get}, C{[key]}, C{in}, iteration in key
    order, C{len}, C{items}); change them with L{set} and L{pop} (or
    C{[key] = value} and C{del}, which charge nobody).

    @ivar bytes: the sum of every key's size.
    @ivar charged: the sum of what was charged for them.
    @ivar charged_to: the owner charged (meaningful while C{charged} > 0).
    """

    def __init__(self) -> None:
        self._records: OOBTree = OOBTree()
        self._count = 0
        self.bytes = 0
        self.charged = 0
        self.charged_to: int | None = None

    def __repr__(self) -> str:
        return f"<Properties {', '.join(self.keys())}>"

    # -- reading -------------------------------------------------------------

    def get(self, key: str, default: Any = None) -> Any:
        found = self._records.get(key) if type(key) is str else None
        return default if found is None else found.value

    def __getitem__(self, key: str) -> Any:
        found = self._records.get(key) if type(key) is str else None
        if found is None:
            raise KeyError(key)
        return found.value

    def __contains__(self, key: object) -> bool:
        return type(key) is str and key in self._records

    def __iter__(self) -> Iterator[str]:
        return iter(tuple(self._records.keys()))

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return self._count > 0

    def keys(self) -> tuple[str, ...]:
        return tuple(self._records.keys())

    def items(self) -> Iterator[tuple[str, Any]]:
        return ((k, r.value) for k, r in self._records.items())

    def record(self, key: str) -> Property | None:
        """
        The record of C{key}, or None.
        """
        return self._records.get(key) if type(key) is str else None

    # -- changing ------------------------------------------------------------

    def check(self, key: Any, value: Any) -> int:
        """
        Whether C{key} may hold C{value} here; its size if so.

        @raise PropertyError: as L{check_value}, or a new key beyond
            L{MAX_PROPERTIES}.
        """
        size = check_value(key, value)
        if key not in self._records and self._count >= MAX_PROPERTIES:
            raise PropertyError(
                f"That would be more than {MAX_PROPERTIES} properties on one object; "
                "remove some first.")
        return size

    def set(self, key: str, value: Any, *, charged: int = 0) -> Property:
        """
        Make C{key} hold C{value} (checked as L{check}), C{charged} of its
        bytes charged (the caller charged them, and refunded what the old
        value's record says was charged).

        @raise PropertyError: see L{check}; nothing changes then.
        """
        return self._put(key, value, self.check(key, value), charged)

    def _put(self, key: str, value: Any, size: int, charged: int) -> Property:
        found = self._records.get(key)
        if found is None:
            found = self._records[key] = Property(value, size, charged)
            self._count += 1
        else:
            self.bytes -= found.size
            self.charged -= found.charged
            found.value, found.size, found.charged = value, size, charged
        self.bytes += size
        self.charged += charged
        return found

    def __setitem__(self, key: str, value: Any) -> None:
        self.set(key, value)

    def pop(self, key: str, *default: Any) -> Any:
        """
        Remove C{key} and return its value (or C{default}, if given and
        there is no such key). What its record was charged is then no
        longer counted in C{charged}: the caller refunds it.
        """
        found = self._records.get(key) if type(key) is str else None
        if found is None:
            if default:
                return default[0]
            raise KeyError(key)
        del self._records[key]
        self._count -= 1
        self.bytes -= found.size
        self.charged -= found.charged
        return found.value

    def __delitem__(self, key: str) -> None:
        self.pop(key)


def migrate(old: Any) -> Properties:
    """
    Properties holding what an older world kept in a plain mapping, charged
    to nobody. Everything is kept, even beyond today's limits (a value too
    big or one key too many stays until it is changed or removed).
    """
    made = Properties()
    for key, value in sorted(old.items()):
        made._put(key, value, measure(key, value), 0)
    return made


__all__ = ["MAX_KEY", "MAX_PROPERTIES", "MAX_PROPERTY_BYTES", "Properties", "Property",
           "PropertyError", "check_value", "measure", "migrate"]
