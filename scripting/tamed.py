# -*- test-case-name: tests.scripting.test_guards -*-
"""Python-level callables handed to scripts, with their code kept on a private class."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class TamedFunction:
    """Base of every Python-level callable handed to scripts."""

    __slots__ = ()


def tamed(name: str, fn: Callable) -> TamedFunction:
    """C{fn} as an object whose code lives on its (private) class.

    The instance refers only to its class, so walking references from anything a script
    holds never reaches C{fn}, its globals or its module. C{staticmethod} as C{__call__} adds
    no extra frame.
    """
    def __repr__(self: Any) -> str:
        return f"<built-in function {name}>"

    public = name.lstrip("$")
    try:  # so CPython's own messages ("f() got an unexpected keyword") use the public name
        fn.__name__ = fn.__qualname__ = public
    except (AttributeError, TypeError):
        pass

    cls = type(name, (TamedFunction,), {"__slots__": (), "__call__": staticmethod(fn),
                                        "__repr__": __repr__})
    return cls()
