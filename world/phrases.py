# -*- test-case-name: tests.world -*-
"""
English for the game's own lines: articles, lists, capitals, and making
builders' or scripts' text one line.

The world's rules (L{world.rules}) phrase what they tell with these, and the
engine's commands use the same functions (re-exported by C{engine.text}), so
a message reads the same whoever caused it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

_ARTICLES = ("a ", "an ", "the ", "some ")
# Words that already say how many: "two coins" takes no article either.
_COUNTS = ("one ", "two ", "three ", "four ", "five ", "six ", "seven ", "eight ",
           "nine ", "ten ", "eleven ", "twelve ", "several ", "many ")


def a(name: str) -> str:
    """
    C{name} with an indefinite article, unless it is a proper name, already
    has one, or starts with a count: C{"a lamp"}, C{"an apple"}, C{"Bob"},
    C{"the Crown"}, C{"2 coins"}, C{"two coins"}.
    """
    if (not name or name[0].isupper() or name[0].isdigit()
            or name.lower().startswith(_ARTICLES + _COUNTS)):
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


#: Builders' colour markup (rendered by C{engine.colour}): a bar, then a
#: colour letter, C{n} (normal), C{u} (underline), C{[NNN} or C{]NNN}
#: (xterm-256 foreground or background), or another bar (a literal bar).
MARKUP = re.compile(r"\|(\||[xrgybmcwXRGYBMCWnu]|[\[\]][0-9]{3})")


def _unmarked(m: re.Match[str]) -> str:
    code = m.group(1)
    if code == "|":
        return "|"
    if code[0] in "[]" and int(code[1:]) > 255:
        return m.group(0)  # no colour: it is shown as it is
    return ""


def without_markup(text: str) -> str:
    """
    C{text} as it reads once its markup is rendered: codes removed, C{||}
    one bar, what only looks like a code (C{|[999}, C{|q}) left as it is.
    """
    return MARKUP.sub(_unmarked, text) if "|" in text else text


#: The most colours (a foreground, a background, or both) one name may
#: show: each set of them is a reading of it (L{readings_unseen}).
MOST_COLOURS = 4


def _styled(text: str) -> list[tuple[str, tuple[str | None, str | None]]]:
    """
    C{text} as runs of what is shown, each with its colours (foreground,
    background; None: the terminal's own), markup rendered.
    """
    fg: str | None = None
    bg: str | None = None
    runs: list[tuple[str, tuple[str | None, str | None]]] = []
    at = 0
    for m in MARKUP.finditer(text):
        runs.append((text[at:m.start()], (fg, bg)))
        at = m.end()
        code = m.group(1)
        if code == "|":
            runs.append(("|", (fg, bg)))
        elif code == "n":
            fg = bg = None
        elif code[0] in "[]" and int(code[1:]) > 255:
            runs.append((m.group(0), (fg, bg)))  # no colour: shown as it is
        elif code[0] == "]":
            bg = code
        elif code != "u":
            fg = code
    runs.append((text[at:], (fg, bg)))
    return runs


def colours(text: str) -> list[tuple[str | None, str | None]]:
    """
    The colours C{text} shows some of itself in (foreground, background),
    in order, the terminal's own left out.
    """
    if "|" not in text:
        return []
    return list(dict.fromkeys(style for chunk, style in _styled(text)
                              if chunk and style != (None, None)))


def readings_unseen(text: str) -> list[str]:
    """
    C{text} as it reads to a player who cannot see some of its colours
    (those of their screen: black ones on a dark screen, white ones on a
    light one, any background): for each set of the colours its markup
    sets, the text with what is shown in them taken out, markup rendered.
    None for text without colour. What is shown in the terminal's own
    colours (before any code, after C{|n}) is always read.

    @raise ValueError: C{text} shows more than L{MOST_COLOURS} colours
        (its readings would be too many to read).
    """
    shown = colours(text)
    if len(shown) > MOST_COLOURS:
        raise ValueError(f"more than {MOST_COLOURS} colours")
    runs = _styled(text) if shown else []
    found = []
    for size in range(1, len(shown) + 1):
        for unseen in itertools.combinations(shown, size):
            found.append("".join(chunk for chunk, style in runs if style not in unseen))
    return found


#: A terminal escape sequence, whole (ECMA-48): a CSI (C{ESC [} or U+009B)
#: with its parameters and final character; an OSC, DCS, SOS, PM or APC
#: string up to its terminator (BEL or ST), within one line; any other
#: C{ESC} with the character after it.
_ESCAPE = re.compile(
    "(?:\x1b\\[|\x9b)[0-?]*[ -/]*[@-~]"
    "|(?:\x1b[\\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\\\|\x9c)"
    "|\x1b[ -~]")
_HAS_ESCAPE = re.compile("[\x1b\x90-\x9f]")

#: Characters that turn the text after them around on some terminals and
#: pages (bidirectional embeddings, overrides and isolates, and their ends),
#: for L{str.translate}: removed from whatever a client is shown.
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def without_escapes(text: str) -> str:
    """
    C{text} without terminal escape sequences, each removed whole (C{ESC [31m}
    goes, not only its C{ESC}): every place that cleans text from players,
    builders or scripts does this first, so no reader sees a sequence or
    what is left of one.
    """
    if not _HAS_ESCAPE.search(text):
        return text
    return _ESCAPE.sub("", text)


def one_line(text: str) -> str:
    """
    C{text} as a single line: escape sequences removed, line breaks, tabs
    and other control characters made spaces, runs of spaces one. For
    builder- or script-set messages
    shown as one line of the game's own voice, so they cannot start a line
    that looks like someone else speaking.
    """
    return " ".join("".join(" " if is_control(c) else c for c in without_escapes(text)).split())


def said_about(name: str, text: str) -> str:
    """
    A builder's message about the thing called C{name} (an exit's
    C{locked_message}, a thing's C{fixed_message}), as players are shown
    it: one line (L{one_line}), after the thing's name, C{"The gate: No
    key, no entry."}. A name never starts as the game's lines do
    (L{world.names.check_thing_name}), so neither does the message.
    """
    return f"{capitalise(the(name))}: {one_line(text)}"
