# -*- test-case-name: tests.facets.test_inputs -*-
"""
Checking what scripts hand to facet methods.

Trusted code accepts only plain data or known facets from scripts, checked by
exact type (never C{isinstance}, never a method of the value): a C{str}
subclass with a clever C{strip} never reaches the world.
"""

from __future__ import annotations

import json
import math
import unicodedata
from typing import Any

from scripting.facets.context import charge
from scripting.facets.errors import FacetError
from world import rules
from world.phrases import without_escapes
from world.values import MAX_DEPTH, MAX_ITEMS, MAX_STRING

#: Longest name (object names, aliases): the world's rule.
MAX_NAME = rules.MAX_NAME
#: Longest description: the world's rule.
MAX_DESCRIPTION = rules.MAX_DESCRIPTION
#: Longest line a script may say, emote, announce or tell.
MAX_LINE = 1000
#: Longest property or state key.
MAX_KEY = 64
#: Largest property value, as canonical JSON bytes.
MAX_PROPERTY_BYTES = 8192


def _clean(text: str, *, newlines: bool) -> str:
    out = []
    for ch in without_escapes(text):
        if ch == "\n" and newlines:
            out.append(ch)
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            out.append(" ")  # no terminal escapes, no bidi tricks, no fake line breaks
        else:
            out.append(ch)
    return "".join(out)


def line(value: Any, what: str, limit: int = MAX_LINE) -> str:
    """
    C{value} as one line of text: an exact C{str}, control characters
    replaced by spaces, surrounding space stripped, 1 to C{limit} characters.

    @raise FacetError: naming C{what} was wrong.
    """
    if type(value) is not str:
        raise FacetError(f"The {what} must be text.")
    if len(value) > limit * 4:
        raise FacetError(f"The {what} is too long (at most {limit} characters).")
    text = " ".join(_clean(value, newlines=False).split())
    if not text:
        raise FacetError(f"The {what} cannot be empty.")
    if len(text) > limit:
        raise FacetError(f"The {what} is too long (at most {limit} characters).")
    return text


def text(value: Any, what: str, limit: int = MAX_DESCRIPTION) -> str:
    """
    C{value} as text that may span lines (up to C{limit} characters), control
    characters other than newlines replaced by spaces.

    @raise FacetError: naming C{what} was wrong.
    """
    if type(value) is not str:
        raise FacetError(f"The {what} must be text.")
    if len(value) > limit:
        raise FacetError(f"The {what} is too long (at most {limit} characters).")
    return _clean(value, newlines=True).strip()


def key(value: Any, what: str = "key") -> str:
    """
    A property or state key: an exact C{str} of 1 to L{MAX_KEY} characters,
    no control characters.

    @raise FacetError: otherwise.
    """
    if type(value) is not str or not 0 < len(value) <= MAX_KEY:
        raise FacetError(f"The {what} must be text of 1 to {MAX_KEY} characters.")
    if _clean(value, newlines=False) != value:
        raise FacetError(f"The {what} cannot hold control characters.")
    return value


def plain_copy(value: Any, leaf: Any = None, limit: int | None = None) -> Any:
    """
    A fresh copy of the plain JSON-like C{value}, checked by exact type: None,
    bool, int, finite float, str, and lists, tuples and str-keyed dicts of
    them, nested at most L{MAX_DEPTH} deep with at most L{MAX_ITEMS} items.

    @param leaf: if given, called with any other value; what it returns is
        put in the copy instead (it raises to refuse the value).
    @param limit: if given, the most bytes the value may take as canonical
        JSON: a value that certainly takes more (by a lower bound counted while
        copying: every character is at least a byte) is refused before anyone
        measures it, so a script cannot make the server build a huge JSON text
        (uninterruptibly) out of many references to one long string.
    @raise FacetError: the value is not plain (and C{leaf} did not take it),
        or too big for C{limit}.
    """
    count = 0
    least = 0  # a lower bound of the canonical JSON's length in bytes

    def grow(n: int) -> None:
        nonlocal least
        least += n
        if limit is not None and least > limit:
            raise FacetError(f"That value is too big (more than {limit} bytes).")

    def copy(item: Any, depth: int) -> Any:
        nonlocal count
        count += 1
        if count > MAX_ITEMS:
            raise FacetError(f"That value holds more than {MAX_ITEMS} items.")
        grow(1)
        if depth > MAX_DEPTH:
            raise FacetError(f"That value is nested more than {MAX_DEPTH} deep.")
        kind = type(item)
        if item is None or kind is bool:
            return item
        if kind is int:
            if item.bit_length() > 256:
                raise FacetError("Numbers that big cannot be stored.")
            return item
        if kind is float:
            if not math.isfinite(item):
                raise FacetError("Numbers must be finite.")
            return item
        if kind is str:
            if len(item) > MAX_STRING:
                raise FacetError(f"Text longer than {MAX_STRING} characters cannot be stored.")
            grow(len(item) + 1)
            return item
        if kind is list:
            return [copy(x, depth + 1) for x in list.__iter__(item)]
        if kind is tuple:
            return tuple(copy(x, depth + 1) for x in tuple.__iter__(item))
        if kind is dict:
            out = {}
            for k, v in dict.items(item):
                if type(k) is not str:
                    raise FacetError("Dictionary keys must be text.")
                if len(k) > MAX_STRING:
                    raise FacetError(f"Text longer than {MAX_STRING} characters cannot be stored.")
                grow(len(k) + 3)
                out[k] = copy(v, depth + 1)
            return out
        if leaf is not None:
            return leaf(item)
        raise FacetError(f"A {kind.__name__} cannot be stored; only plain values can.")

    try:
        return copy(value, 0)
    finally:
        charge(count // 8)  # the server's work on the script's behalf


def canonical_size(value: Any, placeholder: Any = None) -> int:
    """
    The length in bytes of C{value} as canonical JSON (sorted keys, no spaces,
    UTF-8). C{value} must already be a checked plain copy; any other leaf is
    measured as C{placeholder(leaf)}.
    """
    encoded = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                         allow_nan=False, default=placeholder)
    return len(encoded.encode("utf-8"))
