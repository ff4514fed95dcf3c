# -*- test-case-name: tests.facets -*-
"""
Facets at rest: how a facet is stored (in script state) and brought back.

A facet is a transient proxy; what is stored is a L{CapRef}, a persistent
record of what the facet was: its object, the names it exposed, the
revocation cells it dies with and the voice it speaks with. Never a string,
never an id: a CapRef can only be made from a facet one already holds, and it
is brought back as exactly that facet, still subject to its cells, so a
facet revoked while at rest (or before a restart) comes back dead.
"""

from __future__ import annotations

from typing import Any

from persistent import Persistent
from zope.security.proxy import getChecker, getObject

from scripting.facets.adapters import seal
from scripting.facets.checkers import is_facet
from scripting.facets.errors import FacetError
from scripting.facets.membrane import check_alive


class CapRef(Persistent):
    """
    A stored facet.

    @ivar target: the world object.
    @ivar names: the names the facet exposed (sorted tuple of str).
    @ivar cells: the revocation cells it dies with.
    @ivar voice: the object it speaks for (room interact facets), or None.
    """

    def __init__(self, target: Any, names: tuple[str, ...], cells: tuple,
                 voice: Any = None) -> None:
        self.target = target
        self.names = names
        self.cells = cells
        self.voice = voice


#: What every stored facet's record writes whatever it holds: the storage's
#: record header (42 bytes), its class (37) and its state's framing and four
#: keys (57), the framing of its tuples of names and cells (at most 4 each)
#: and a voice of None (1).
RECORD_BYTES = 145
#: What each name it exposes adds besides the name's bytes (its framing).
NAME_BYTES = 7
#: What a reference to another record adds (its object, each revocation
#: cell, its voice; and the reference to it from where it is kept): its id
#: and framing, and, the first time a class is named in the record, the
#: class's module and name and L{CLASS_BYTES}.
REF_BYTES = 18
#: What naming a class adds besides its module's and name's bytes.
CLASS_BYTES = 3
#: What a reference to a record already referred to (its voice, when that
#: is its object) adds.
SAME_REF_BYTES = 8


def stored_size(ref: CapRef) -> int:
    """
    The bytes a stored facet counts for: what its record really writes to
    the database, with the reference to it from where it is kept (a control
    facet of a thing: about 480), and at most a few bytes more (a test
    measures it), so that storing facets costs what it costs the server.
    Counted from what the record holds, never from pickling it here, so it
    is the same everywhere.
    """
    named: set[type] = set()

    def refer(obj: Any) -> int:
        kind = type(obj)
        if kind in named:
            return REF_BYTES
        named.add(kind)
        return REF_BYTES + CLASS_BYTES + len(kind.__module__) + len(kind.__qualname__)

    size = RECORD_BYTES + REF_BYTES + refer(ref.target)
    size += sum(len(name) + NAME_BYTES for name in ref.names)
    size += sum(refer(cell) for cell in ref.cells)
    if ref.voice is ref.target:
        size += SAME_REF_BYTES
    elif ref.voice is not None:
        size += refer(ref.voice)
    return size


def capture(value: Any, *, dead: bool = False) -> CapRef:
    """
    The record of facet C{value}.

    @param dead: a revoked facet is recorded too, as it is: its cells stay
        revoked (a cell is never un-revoked), so it comes back dead.
    @raise FacetError: C{value} is not a facet.
    @raise scripting.facets.errors.Revoked: it is revoked (unless C{dead}).
    """
    if not is_facet(value):
        raise FacetError("Only facets and plain values can be stored.")
    checker, inner = getChecker(value), getObject(value)
    if not dead:
        check_alive(checker.cells)
    return CapRef(inner._target, tuple(sorted(checker.names)), checker.cells, inner._voice)


def materialise(ref: CapRef) -> Any:
    """
    The facet C{ref} records (dead if any of its cells has been revoked).
    """
    return seal(ref.target, frozenset(ref.names), cells=tuple(ref.cells), voice=ref.voice)
