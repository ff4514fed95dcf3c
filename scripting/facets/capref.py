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


#: What a stored facet costs besides its names and cells: the record's header
#: in the database (42 bytes), its class, and its reference to the object.
#: Measured (tests.facets.test_state.CapRefSizeTests): the charge is at least
#: what the record writes, and at most a few bytes more.
CAPREF_BYTES = 190
#: What each name it exposes adds (the name's bytes and its pickle framing).
NAME_BYTES = 7
#: What each revocation cell, and a voice, adds (a reference to a record).
REF_BYTES = 62


def stored_size(ref: CapRef) -> int:
    """
    The bytes a stored facet counts for: at least what its record really
    writes to the database (a control facet of a thing: about 470), so that
    storing facets costs what it costs the server. Measured, never guessed
    from pickling, so it is the same everywhere.
    """
    return (CAPREF_BYTES + sum(len(name) + NAME_BYTES for name in ref.names)
            + REF_BYTES * (len(ref.cells) + (ref.voice is not None)))


def capture(value: Any) -> CapRef:
    """
    The record of facet C{value}.

    @raise FacetError: C{value} is not a facet.
    @raise scripting.facets.errors.Revoked: it is revoked.
    """
    if not is_facet(value):
        raise FacetError("Only facets and plain values can be stored.")
    checker, inner = getChecker(value), getObject(value)
    check_alive(checker.cells)
    return CapRef(inner._target, tuple(sorted(checker.names)), checker.cells, inner._voice)


def materialise(ref: CapRef) -> Any:
    """
    The facet C{ref} records (dead if any of its cells has been revoked).
    """
    return seal(ref.target, frozenset(ref.names), cells=tuple(ref.cells), voice=ref.voice)
