# -*- test-case-name: tests.facets.test_checkers -*-
"""
The common base of facet targets.

A facet is C{Proxy(target, FacetChecker(names, cells))} where C{target} is a
small transient object of a L{FacetBase} subclass holding the world object.
The world object itself is never the proxied object: the C proxy compares
and hashes its wrapped object without asking the checker, and a world object
that does not answer a comparison would let Python hand it to the other
operand's reflected method (C{other.__gt__(raw)}). A L{FacetBase} answers
every comparison itself, never with C{NotImplemented}, and without calling
anything on the other operand.
"""

from __future__ import annotations

from typing import Any

from zope.security.proxy import Proxy, getObject

from scripting.facets.membrane import check_alive, is_alive


class FacetBase:
    """
    Holds a world object for a facet; subclasses implement a class's control
    interface, and the facet's checker picks the role.

    @ivar _target: the world object.
    @ivar _voice: the object a room's interact facet speaks for, or None.
    @ivar _cells: the revocation cells this facet dies with.
    """

    __slots__ = ("_cells", "_target", "_voice")

    #: Facets of the same kind of thing compare equal when their targets are the same.
    _tag = "facet"

    def __init__(self, target: Any, voice: Any = None, cells: tuple = ()) -> None:
        self._target = target
        self._voice = voice
        self._cells = cells

    def with_cells(self, cells: tuple) -> FacetBase:
        """
        The same target and voice, dying with C{cells}.
        """
        return type(self)(self._target, self._voice, cells)

    def __repr__(self) -> str:
        if not is_alive(self._cells):
            return "<revoked facet>"
        return f"<{self._target.kind} {self._target.name!r}>"

    def __str__(self) -> str:
        if not is_alive(self._cells):
            return "(revoked)"
        return str(self._target.name)

    def _same(self, other: Any) -> bool:
        check_alive(self._cells)
        if type(other) is not Proxy:
            return False
        inner = getObject(other)
        if not isinstance(inner, FacetBase):
            return False
        check_alive(inner._cells)
        return inner._tag == self._tag and inner._target is self._target

    def __eq__(self, other: object) -> bool:
        return self._same(other)

    def __ne__(self, other: object) -> bool:
        return not self._same(other)

    def _unordered(self, other: Any) -> bool:
        raise TypeError("facets have no order")

    __lt__ = __le__ = __gt__ = __ge__ = _unordered

    def __hash__(self) -> int:
        check_alive(self._cells)
        return hash((self._tag, self._target.id))

    def __bool__(self) -> bool:
        return True


