# -*- test-case-name: tests.scripting.test_exceptions -*-
"""The exception classes scripts can name: every exception a script can meet is caught by
its own name or by a named base (C{except ImportError:}, C{except Revoked:},
C{except WorldError:}).

C{tests/scripting/test_exceptions.py} reads every C{raise} in the sandbox and the facets and
checks that what they raise is one of these or a subclass of one.
"""

from __future__ import annotations

from scripting.facets.errors import FacetError, QuotaExceeded, Revoked
from world.errors import WorldError

#: Built-in exceptions: nameable, and a script's classes may inherit from them.
SAFE_EXCEPTIONS: tuple[type[BaseException], ...] = (
    BaseException, Exception, ArithmeticError, AssertionError, AttributeError, ImportError,
    IndexError, KeyError, LookupError, MemoryError, ModuleNotFoundError, NameError,
    NotImplementedError, OverflowError, RecursionError, RuntimeError, StopIteration,
    TypeError, UnboundLocalError, UnicodeDecodeError, UnicodeEncodeError, UnicodeError,
    ValueError, ZeroDivisionError,
)

#: What the world and its facets raise (docs/facets.md): nameable, for C{except} and
#: C{isinstance}, but not bases of a script's classes (a script cannot forge the world's
#: refusals).
WORLD_EXCEPTIONS: tuple[type[BaseException], ...] = (
    WorldError, FacetError, Revoked, QuotaExceeded,
)

NAMED_EXCEPTIONS: frozenset[type[BaseException]] = frozenset(
    SAFE_EXCEPTIONS + WORLD_EXCEPTIONS)


def named_class(cls: type) -> type | None:
    """The class a script knows C{cls} by: itself if nameable, else its nearest nameable
    base (C{ForbiddenAttribute} is an C{AttributeError} to a script); None for a class
    that is no exception."""
    for base in cls.__mro__:
        if base in NAMED_EXCEPTIONS:
            return base
    return None
