# -*- test-case-name: tests.engine.test_text -*-
"""
Phrasing and layout: articles, lists, and wrapping to the client's width.
"""

from __future__ import annotations

import textwrap

from world.phrases import a, capitalise, join, one_line, the

__all__ = ["a", "capitalise", "indented", "join", "one_line", "one_line_each", "the", "wrap"]


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
