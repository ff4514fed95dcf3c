# -*- test-case-name: tests.scripting -*-
"""The metaclass of every class a script defines.

Each domain makes its own subclass (C{Domain.meta}), so "is this object one of *this*
domain's?" is one identity test: C{type(type(obj)) is domain.meta}.
"""

from __future__ import annotations

from typing import Any

from scripting.charge import chars
from scripting.policy import ALLOWED_DUNDERS

# Names CPython itself puts into a class namespace.
_IMPLICIT = frozenset({"__module__", "__qualname__", "__classcell__", "__doc__",
                       "__firstlineno__", "__static_attributes__"})


# The methods whose text C copies wherever it calls them (str(), repr(), % formatting,
# the repr of a list holding the object): each is charged the text it returns.
_TEXT = ("__str__", "__repr__")


class _ChargedText:
    """
    A script class's C{__str__} or C{__repr__}, standing in the class for it: C
    finds it in the class and calls what it binds, which charges the text the
    script's method returns before C copies it (C copies it again for every
    reference, as in C{"%s%s" % (x, x)}, and the string was paid for once).
    Out of scripts' reach: they read no C{_} attribute.
    """

    __slots__ = ("method",)

    def __init__(self, method: Any) -> None:
        self.method = method

    def __get__(self, obj: Any, cls: Any = None) -> Any:
        method = self.method
        get = getattr(type(method), "__get__", None)
        return _Charging(get(method, obj, cls) if get is not None else method)


class _Charging:
    """A bound C{__str__} or C{__repr__} of a script object (L{_ChargedText})."""

    __slots__ = ("bound",)

    def __init__(self, bound: Any) -> None:
        self.bound = bound

    def __call__(self, *args: Any) -> Any:
        text = self.bound(*args)
        if type(text) is str:
            chars(len(text), not text.isascii())
        return text


class ScriptType(type):
    """Base metaclass of script classes; refuses private names in the class namespace."""

    def __new__(mcls, name: str, bases: tuple, namespace: dict, **kw: Any) -> Any:
        if kw:
            raise TypeError("class keywords are not allowed")
        for key in namespace:
            if type(key) is not str:
                raise TypeError("class attribute names must be strings")
            if key.startswith("_") and key not in ALLOWED_DUNDERS and key not in _IMPLICIT:
                raise TypeError(f"class attribute {key!r} is not allowed")
        for key in _TEXT:
            if key in namespace:
                namespace[key] = _ChargedText(namespace[key])
        return super().__new__(mcls, name, bases, namespace)


class ScriptObject:
    """Implicit base of script classes that name no other base: a repr without an address."""

    __slots__ = ()

    def __repr__(self) -> str:
        name = type(self).__name__
        return f"<{name if type(name) is str else 'object'} object>"
