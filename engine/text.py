# -*- test-case-name: tests.engine.test_text -*-
"""
Phrasing and layout: articles, lists, and wrapping to the client's width.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from world.phrases import (
    BIDI_CONTROLS,
    a,
    capitalise,
    is_control,
    join,
    one_line,
    the,
    without_escapes,
)

__all__ = [
    "CONTINUATION", "a", "capitalise", "columns", "indented", "join", "labelled", "one_line",
    "one_line_each", "the", "without_escapes", "wrap",
]

#: The least indentation of every continuation line of a wrapped line (an
#: indented line continues at its own indentation): no wrapped line starts
#: at the margin, where the
#: game's lines and players' speech start, so padding a message cannot make
#: its second line pass for one of those.
CONTINUATION = "  "


#: The term of a list item whose description its continuation lines hang
#: under: a signature ending in C{:} (C{on_enter(actor, thing): thing came
#: ...}, C{<any name>(data): ...}), or words followed by a gap of two spaces
#: or more (C{.e <n> <text>    replace line n}) that do not end a sentence
#: (prose with two spaces after a full stop is no list).
_TERM = re.compile(r" *(?:(?:[^\s:()<>]+|<[^<>:]*>)\([^()]*\):"
                   r"|\S(?:.*?[^\s.!?\"'])?(?= {2,}\S)) +")


def _hang(line: str, lead: str, width: int) -> tuple[str, str]:
    """
    How C{line} (indented C{lead}) starts, kept as it is, and where its
    continuation lines start: an indented list item's term (L{_TERM}) and
    under its description, if that starts within the left half; else its
    indentation, and there too (or at L{CONTINUATION} if that is deeper:
    never at the margin; deeper than the term, for an item). A line at the
    margin (speech, the game's lines) is no item.
    """
    hang = lead if len(lead) >= len(CONTINUATION) else CONTINUATION
    term = _TERM.match(line) if lead else None
    if term is None:
        return lead, hang
    under = columns(term.group())
    if len(CONTINUATION) <= under <= width // 2:
        return term.group(), " " * under
    # A term too long to hang under: still deeper than the item starts.
    return lead, " " * max(len(hang), min(len(lead) + 4, width // 2))


def indented(text: str) -> str:
    """
    C{text} (a description: builders' or scripts' words, any number of lines)
    with every line indented two spaces. Descriptions are set off from the
    game's own lines this way, so none of their lines can pass for speech or a
    system message (which start at the margin).
    """
    return "\n".join("  " + line if line.strip() else "" for line in
                      one_line_each(text).split("\n"))


def labelled(label: str, text: str) -> str:
    """
    C{label: text}, for a field holding someone's text of any number of
    lines (a description in C{@examine}): its first line after the label,
    its later lines indented (L{indented}), so none starts at the margin.
    """
    first, _, rest = one_line_each(text).partition("\n")
    return f"{label}: {first}" + (f"\n{indented(rest)}" if rest.strip() else "")


def one_line_each(text: str) -> str:
    """
    C{text} with escape sequences removed, control characters other than
    line breaks turned to spaces and every kind of line break made C{\\n}.
    """
    text = without_escapes(text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n").replace("\x85", "\n")
    return "".join(" " if c != "\n" and is_control(c) else c for c in text)


def columns(text: str) -> int:
    """
    How many terminal columns C{text} takes: wide (East Asian wide and
    full-width) characters two, combining marks and format characters none.
    """
    if text.isascii():
        return len(text)  # every ASCII character is one column: no table lookups
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _cut(word: str, room: int) -> tuple[str, str]:
    """
    The longest start of C{word} that fits in C{room} columns (at least one
    character), and the rest.
    """
    used = 0
    for index, ch in enumerate(word):
        used += columns(ch)
        if used > room and index > 0:
            return word[:index], word[index:]
    return word, ""


def _wrap_line(line: str, width: int) -> list[str]:
    lead = line[: len(line) - len(line.lstrip(" "))][: width // 2]
    start, hang = _hang(line, lead, width)
    out: list[str] = []
    current, used = start, columns(start)
    for word in line[len(start):].split():
        need = columns(word)
        space = 1 if current.strip() and not current.endswith(" ") else 0
        if used + space + need <= width:
            current += " " * space + word
            used += space + need
            continue
        if need <= width - columns(hang) or used + space >= width:
            # It fits on a line of its own (or nothing more fits here).
            if current.strip():
                out.append(current)
            current, used, space = hang, columns(hang), 0
        current += " " * space
        used += space
        while used + need > width:  # longer than the room left: break it
            piece, word = _cut(word, width - used)
            out.append(current + piece)
            current, used = hang, columns(hang)
            need = columns(word)
        current += word
        used += need
    if current.strip():
        out.append(current)
    return out or [""]


@functools.lru_cache(maxsize=256)
def wrap(text: str, width: int) -> str:
    """
    C{text} wrapped to C{width} terminal columns (wide characters count two),
    line by line. Every continuation line starts at the line's own
    indentation, or at L{CONTINUATION} when that is deeper, so it never
    starts at the margin and an indented paragraph keeps one left edge; a
    list item's (C{on_enter(actor, thing): ...}, C{.e <n> <text>   replace
    ...}) starts under its description instead (L{_hang}), so that the
    next item's term stands out.
    Unicode line and paragraph separators become spaces and bidirectional
    overrides are removed: only C{\\n} starts a line.

    Remembered for the last few hundred texts and widths: what a room hears
    is wrapped once per window width, not once per reader.
    """
    width = max(20, width)
    text = text.translate(BIDI_CONTROLS).replace("\u2028", " ").replace("\u2029", " ")
    out: list[str] = []
    for line in text.split("\n"):
        if columns(line) <= width:
            out.append(line)
        else:
            out.extend(_wrap_line(line, width))
    return "\n".join(out)
