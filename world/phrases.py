# -*- test-case-name: tests.world -*-
"""
English for the game's own lines: articles, lists, capitals, and making
builders' or scripts' text one line.

The world's rules (L{world.rules}) phrase what they tell with these, and the
engine's commands use the same functions (re-exported by C{engine.text}), so
a message reads the same whoever caused it.
"""

from __future__ import annotations

from collections.abc import Iterable

_ARTICLES = ("a ", "an ", "the ", "some ")


def a(name: str) -> str:
    """
    C{name} with an indefinite article, unless it is a proper name or already
    has one: C{"a lamp"}, C{"an apple"}, C{"Bob"}, C{"the Crown"}.
    """
    if not name or name[0].isupper() or name.lower().startswith(_ARTICLES):
        return name
    return ("an " if name[0].lower() in "aeiou" else "a ") + name


def the(name: str) -> str:
    """
    C{name} with a definite article, unless it is a proper name or has one.
    """
    if not name or name[0].isupper() or name.lower().startswith(_ARTICLES):
        return name
    return "the " + name


def join(items: Iterable[str], conjunction: str = "and") -> str:
    """
    C{"a, b and c"}.
    """
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def capitalise(text: str) -> str:
    """
    C{text} with its first letter upper-case.
    """
    return text[:1].upper() + text[1:]


def is_control(ch: str) -> bool:
    """
    Whether C{ch} is a C0 or C1 control character, DEL, or a character a
    terminal may take for a line break (U+2028, U+2029).
    """
    code = ord(ch)
    return code < 32 or 0x7F <= code < 0xA0 or code in (0x2028, 0x2029)


def one_line(text: str) -> str:
    """
    C{text} as a single line: line breaks, tabs and other control characters
    become spaces, runs of spaces one. For builder- or script-set messages
    shown as one line of the game's own voice, so they cannot start a line
    that looks like someone else speaking.
    """
    return " ".join("".join(" " if is_control(c) else c for c in text).split())
