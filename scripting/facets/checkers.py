# -*- test-case-name: tests.facets.test_checkers,tests.facets.test_attenuation -*-
"""
The checkers: the whole authority story for facets.

The sandbox lets scripts touch zope.security proxies by attribute name and
leaves the decision to the proxy's checker. So every checker here is
default-deny:

  - L{FacetChecker} allows exactly the names of a role interface (built
    with C{InterfaceChecker}, so C{I.names(all=True)}) plus C{__repr__} and
    C{__str__} (which facets answer without addresses); never C{__class__},
    C{__dict__}, C{__providedBy__}, C{__reduce_ex__}, C{_p_jar} or any other
    name zope.security's own checkers let through by default. No attribute
    may be assigned or deleted.
  - L{CallChecker} guards a facet's bound method: it may only be called
    (and shown).
  - L{InertChecker} denies everything. L{install_checkers} registers it (with
    C{defineChecker}) for every world class and every facet target class, so
    a raw object that escapes and is proxied by default is inert.

Every checker consults its facet's revocation cells on every access, and
L{guard} wraps every result: basic values pass, facets come back carrying the
same cells (the membrane), sequences and dicts are rebuilt with guarded
elements, bound facet methods come back callable-only, and anything else
comes back inert.

Errors carry only strings: C{ForbiddenAttribute(name)} (for an operation,
L{forbidden_use}'s message), never the object.
"""

from __future__ import annotations

import types
from collections.abc import Iterable
from typing import Any

from zope.interface import Interface
from zope.interface.interface import InterfaceClass
from zope.security.checker import (
    Checker,
    CheckerPublic,
    InterfaceChecker,
    defineChecker,
    getCheckerForInstancesOf,
)
from zope.security.interfaces import ForbiddenAttribute
from zope.security.proxy import Proxy, getChecker, getObject

from scripting.facets.base import FacetBase
from scripting.facets.membrane import check_alive, is_alive, merge
from world.objects import KINDS, Thing

#: Names a facet answers beyond its interface: text forms without addresses.
SAFE_SPECIALS = frozenset({"__repr__", "__str__"})

#: The values that pass through unwrapped.
_BASIC = (bool, int, float, str, type(None))


#: The operations a script writes without naming their special method, as it
#: writes them, for the error of using one on a facet that does not allow it.
_OPERATIONS = {
    "__setitem__": "x[key] = value", "__delitem__": "del x[key]", "__getitem__": "x[key]",
    "__iter__": "iterating over it (for, list())", "__len__": "len(x)",
    "__contains__": "'in'", "__call__": "calling it", "__bool__": "its truth value",
}


#: The operations of L{_OPERATIONS} that L{offered} lists when a facet allows
#: them, in this order (a truth value, which every value has, is not news).
_OFFERED_OPERATIONS = ("__getitem__", "__setitem__", "__delitem__", "__contains__", "__len__",
                       "__iter__", "__call__")


def offered(names: Iterable[str]) -> str:
    """
    What a facet allowing C{names} offers, for the errors of asking it for
    something else: its public names, as 'help facets' lists them, then the
    operations it allows, as a script writes them (C{x[key] = value}), or
    "" if neither.
    """
    names = frozenset(names)
    shown = ", ".join(sorted(n for n in names if not n.startswith("_")))
    ops = ", ".join(_OPERATIONS[n] for n in _OFFERED_OPERATIONS if n in names)
    if shown and ops:
        shown += f"; and {ops}"
    return f"{shown or ops} ('help facets')" if shown or ops else ""


def forbidden_use(name: str, names: Iterable[str]) -> str:
    """
    The message for using C{name}, a special method, on a facet that allows
    only C{names}: the operation as a script writes it and the facet's
    public names (as 'help facets' lists them), nothing else of it.
    """
    offers = offered(names)
    return (f"{_OPERATIONS.get(name, name)} is not available on this object"
            + (f"; it offers {offers}" if offers else ""))


def _assignment(name: Any) -> str:
    # Setting or deleting attribute name, as a script writes it.
    shown = _shown(name)
    return f"x.{shown} = value (or del x.{shown})"


def forbidden_method_use(operation: str, offers: Iterable[str]) -> str:
    """
    The message for C{operation} (as a script writes it) on a facet's
    method, which may only be called: the public names of the facet it
    came from (C{offers}), nothing else of it.
    """
    shown = offered(offers)
    return (f"{operation} is not available on this object (a method, which can only be "
            "called)" + (f"; the object it belongs to offers {shown}" if shown else ""))


def _shown(name: Any) -> str:
    """
    The name as a plain str for an error, without calling anything on it.
    """
    return str.__str__(name) if issubclass(type(name), str) else "?"


class StrictChecker(Checker):
    """
    A checker that denies what it does not allow, with no defaults.

    Subclasses C{zope.security.checker.Checker} so that C{defineChecker} and
    C{selectChecker} accept it; routes the C proxy's fast paths
    (C{__setitem__} for checks, C{__getitem__} for results) to the Python
    methods.
    """

    def __init__(self) -> None:
        super().__init__({})

    def allows(self, name: str) -> bool:
        """
        Whether C{name} may be read.
        """
        return False

    def check(self, obj: Any, name: str) -> None:
        if type(name) is not str or not self.allows(name):
            raise ForbiddenAttribute(_shown(name))

    check_getattr = check

    def check_setattr(self, obj: Any, name: str) -> None:
        raise ForbiddenAttribute(_shown(name))

    def proxy(self, value: Any) -> Any:
        return Proxy(value, INERT) if type(value) is not Proxy else value

    def __setitem__(self, obj: Any, name: str) -> None:
        self.check(obj, name)

    def __getitem__(self, value: Any) -> Any:
        return self.proxy(value)

    def permission_id(self, name: str) -> Any:
        return CheckerPublic if self.allows(name) else None

    def setattr_permission_id(self, name: str) -> Any:
        return None


class InertChecker(StrictChecker):
    """
    Denies every name, every operation, every write.
    """


#: The one inert checker.
INERT = InertChecker()


class FacetChecker(StrictChecker):
    """
    Allows exactly C{names} (plus L{SAFE_SPECIALS}) while all C{cells} are
    alive; wraps results in the same membrane.

    @ivar names: the attribute names this facet exposes (a frozenset).
    @ivar cells: the revocation cells it dies with.
    """

    def __init__(self, names: Iterable[str], cells: tuple = ()) -> None:
        super().__init__()
        self.names = frozenset(names)
        self.cells = tuple(cells)

    def allows(self, name: str) -> bool:
        return name in self.names or name in SAFE_SPECIALS

    def check(self, obj: Any, name: str) -> None:
        if type(name) is not str:  # a str subclass would run its own __hash__/__eq__ here
            raise ForbiddenAttribute(_shown(name))
        if name not in SAFE_SPECIALS:  # facets answer these themselves, revoked or not
            check_alive(self.cells)
        if not self.allows(name):
            if name.startswith("__") and name.endswith("__"):  # an operation, not a lookup
                raise ForbiddenAttribute(forbidden_use(name, self.names))
            raise ForbiddenAttribute(name)

    check_getattr = check

    def check_setattr(self, obj: Any, name: str) -> None:
        # Facets are never written to (x.n = 1, del x.n): say what they offer
        # instead (a revoked one, nothing: it no longer shows what it was).
        offers = offered(self.names) if is_alive(self.cells) else ""
        raise ForbiddenAttribute(f"{_assignment(name)} is not available on this object"
                                 + (f"; it offers {offers}" if offers else ""))

    def proxy(self, value: Any) -> Any:
        return guard(value, self.cells, self.names)


class ServiceChecker(FacetChecker):
    """
    Guards a host service facet (script state, timers): like a
    L{FacetChecker}, but what it guards is not a facet of a world object, so
    it is never accepted where one is expected (L{is_facet} is false), nor
    stored.
    """


class CallChecker(StrictChecker):
    """
    Guards a bound facet method: it may be called (while its cells are
    alive), and its results are guarded.

    @ivar offers: the names of the facet the method was read from, for the
        error of using the method as anything but a function.
    """

    def __init__(self, cells: tuple = (), offers: Iterable[str] = ()) -> None:
        super().__init__()
        self.cells = tuple(cells)
        self.offers = frozenset(offers)

    def allows(self, name: str) -> bool:
        return name == "__call__" or name in SAFE_SPECIALS

    def check(self, obj: Any, name: str) -> None:
        if type(name) is not str:
            raise ForbiddenAttribute(_shown(name))
        if name not in SAFE_SPECIALS:
            check_alive(self.cells)
        if not self.allows(name):
            if name.startswith("__") and name.endswith("__") and name in _OPERATIONS:
                raise ForbiddenAttribute(forbidden_method_use(_OPERATIONS[name], self.offers))
            raise ForbiddenAttribute(name)

    check_getattr = check

    def check_setattr(self, obj: Any, name: str) -> None:
        offers = self.offers if is_alive(self.cells) else ()
        raise ForbiddenAttribute(forbidden_method_use(_assignment(name), offers))

    def proxy(self, value: Any) -> Any:
        return guard(value, self.cells)


def interface_names(iface: type[Interface] | InterfaceClass) -> frozenset[str]:
    """
    The names C{InterfaceChecker(iface)} would allow: every name the interface
    and its bases declare.
    """
    return frozenset(InterfaceChecker(iface, CheckerPublic).get_permissions)


def guard(value: Any, cells: tuple, offers: frozenset[str] = frozenset()) -> Any:
    """
    What a script receives in place of C{value}, obtained through a facet
    dying with C{cells} (which offers the names C{offers}, if C{value} is
    read from it: a method of it is then told them, for its errors).
    """
    kind = type(value)
    if kind in _BASIC:
        return value
    if kind is Proxy:
        checker = getChecker(value)
        ctype = type(checker)
        if ctype is FacetChecker or ctype is ServiceChecker:
            merged = merge(checker.cells, cells)
            if merged is checker.cells:
                return value
            return Proxy(getObject(value).with_cells(merged), ctype(checker.names, merged))
        if ctype is CallChecker:
            merged = merge(checker.cells, cells)
            if merged is checker.cells:
                return value
            return Proxy(getObject(value), CallChecker(merged, checker.offers))
        if ctype is InertChecker:
            return value
        return Proxy(value, INERT)
    if kind is tuple:
        return tuple(guard(item, cells) for item in value)
    if kind is list:
        return [guard(item, cells) for item in value]
    if kind is dict:
        if all(type(k) is str for k in value):
            return {k: guard(v, cells) for k, v in value.items()}
        return Proxy(value, INERT)
    if kind is types.MethodType and isinstance(value.__self__, FacetBase):
        check_alive(cells)
        return Proxy(value, CallChecker(cells, offers))
    return Proxy(value, INERT)


def is_facet(value: Any) -> bool:
    """
    Whether C{value} is a facet (checked by type, without calling it).
    """
    return type(value) is Proxy and type(getChecker(value)) is FacetChecker


def facet_names(value: Any) -> frozenset[str]:
    """
    The attribute names facet C{value} exposes (its role's names).

    @raise TypeError: C{value} is not a facet.
    """
    if not is_facet(value):
        raise TypeError("not a facet")
    return getChecker(value).names


def install_checkers(classes: Iterable[type] | None = None) -> None:
    """
    Register L{INERT} as the checker of every world class and every facet
    target class (idempotent), so that a raw object proxied by default is
    inert. The composition root calls this at startup; facet construction
    calls it too.

    @raise RuntimeError: another checker is already registered for one of
        them (two authorities for one class would be a bug).
    """
    if classes is None:
        classes = _default_classes()
    for cls in classes:
        existing = getCheckerForInstancesOf(cls)
        if existing is None:
            defineChecker(cls, INERT)
        elif existing is not INERT:
            raise RuntimeError(f"{cls.__qualname__} already has a checker: {existing!r}")


def checkers_installed() -> bool:
    """
    Whether L{install_checkers} has registered the deny-all checker, read
    from zope.security's registry itself (so that a registry cleared by
    C{zope.security.checker._clear}, as in tests, reads as not installed).
    """
    return getCheckerForInstancesOf(Thing) is INERT


def _default_classes() -> list[type]:
    classes: list[type] = list(KINDS.values())
    pending = [FacetBase]
    while pending:
        cls = pending.pop()
        classes.append(cls)
        pending.extend(cls.__subclasses__())
    return classes
