# -*- test-case-name: tests.scripting -*-
"""The metaclass of every class a script defines.

Each domain makes its own subclass (C{Domain.meta}), so "is this object one of *this*
domain's?" is one identity test: C{type(type(obj)) is domain.meta}.
"""

from __future__ import annotations

from typing import Any

from scripting.policy import ALLOWED_DUNDERS

# Names CPython itself puts into a class namespace.
_IMPLICIT = frozenset({"__module__", "__qualname__", "__classcell__", "__doc__",
                       "__firstlineno__", "__static_attributes__"})


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
        return super().__new__(mcls, name, bases, namespace)


class ScriptObject:
    """Implicit base of script classes that name no other base: a repr without an address."""

    __slots__ = ()

    def __repr__(self) -> str:
        name = type(self).__name__
        return f"<{name if type(name) is str else 'object'} object>"
