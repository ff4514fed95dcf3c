"""
Phrasing and layout: articles, lists, and wrapping to the client's width.
"""

from __future__ import annotations

import textwrap
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


def one_line(text: str) -> str:
    """
    C{text} as a single line: line breaks, tabs and other control characters
    become spaces. For builder- or script-set messages shown as one line of
    the game's own voice, so they cannot start a line that looks like
    someone else speaking.
    """
    return " ".join("".join(" " if ord(c) < 32 or 0x7F <= ord(c) < 0xA0 else c
                            for c in text).split())


def indented(text: str) -> str:
    """
    C{text} (a description: builders' or scripts' words, any number of lines)
    with every line indented two spaces. Descriptions are set off from the
    game's own lines this way, so none of their lines can pass for speech or a
    system message (which start at the margin).
    """
    return "\n".join("  " + line if line.strip() else "" for line in
                      one_line_each(text).split("\n"))


def one_line_each(text: str) -> str:
    """
    C{text} with control characters other than line breaks turned to spaces
    and every kind of line break made C{\\n}.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(" " if (ord(c) < 32 and c != "\n") or 0x7F <= ord(c) < 0xA0 else c
                   for c in text)


def capitalise(text: str) -> str:
    """
    C{text} with its first letter upper-case.
    """
    return text[:1].upper() + text[1:]


def wrap(text: str, width: int) -> str:
    """
    C{text} wrapped to C{width} columns, line by line; indentation at the start
    of a line is kept for its continuation lines.
    """
    width = max(20, width)
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip(" "))]
        out.extend(textwrap.wrap(line, width, initial_indent="", subsequent_indent=indent,
                                 break_long_words=True, break_on_hyphens=False)
                   or [""])
    return "\n".join(out)
