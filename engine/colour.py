# -*- test-case-name: tests.protocols.test_colour,tests.protocols.test_units -*-
"""
Colour markup for builders, rendered for each client; and the sanitizer that
keeps raw control bytes out of every player's terminal.

The markup (documented for builders in C{docs/clients.md})::

    |r |g |y |b |m |c |w |x    red green yellow blue magenta cyan white black
    |R |G |Y |B |M |C |W |X    the bright versions
    |[NNN                      xterm-256 foreground, NNN = 000..255
    |]NNN                      xterm-256 background, NNN = 000..255
    |u                         underline
    |n                         back to normal
    ||                         a literal bar

Anything else after a bar (C{|q}, C{|[999}) is left as it is.

Text reaches a terminal in two steps, always in this order:

 1. L{sanitize} removes every escape sequence whole, then every C0 and C1
    control character except tab and newline (ESC, CSI U+009B, BEL, CR,
    DEL, ...) and the characters that turn text around, so no text -- a
    player's speech, a script's output, a room name -- can carry an escape
    sequence, or what is left of one; and it cuts towers of combining
    marks to a few marks a character (L{MAX_MARKS}).
 2. L{render} turns markup into SGR sequences for the client's colour mode.
    The only escape sequences that ever reach a terminal are the ones it
    writes, and it closes any colour it opened.

The protocol does both at its output boundary (see L{engine.protocols.telnet}).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterator

from attrs import frozen

from world.phrases import BIDI_CONTROLS, MARKUP, without_escapes, without_markup

#: No colour at all: markup is stripped.
NONE = "none"
#: The 16 ANSI colours; xterm-256 codes are shown as the nearest of the 16.
ANSI = "ansi"
#: xterm 256 colours.
XTERM256 = "xterm256"
#: Every colour mode, from least to most capable.
MODES = (NONE, ANSI, XTERM256)

#: C0 controls except tab and newline, DEL, and C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_MARKUP = MARKUP
_LETTERS = "xrgybmcw"
#: Box drawing and block elements: noise to a screen reader.
_BOX = re.compile("[\u2500-\u259f]+")
#: Runs of decoration (------, ======, ****) that a screen reader would spell out.
_RULE = re.compile(r"([-=_*~#+])\1{2,}")

RESET = "\x1b[0m"

#: The standard xterm RGB values of the 16 ANSI colours.
_PALETTE16 = (
    (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0),
    (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
    (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0),
    (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
)
_CUBE = (0, 95, 135, 175, 215, 255)


def mode_for(colours: int) -> str:
    """
    The colour mode for a client that shows C{colours} colours (0, 16, 256,
    16777216).
    """
    if colours >= 256:
        return XTERM256
    return ANSI if colours >= 8 else NONE


#: Unicode's line and paragraph separators, which some clients break lines at:
#: shown as spaces, so only C{\\n} starts a line.
_SEPARATORS = {0x2028: " ", 0x2029: " "}


#: The most combining marks one base character keeps on its way to a reader,
#: and the most of one combining class (two above, two below, ...): enough
#: for the marks real writing stacks (Vietnamese puts two above one letter,
#: pointed Hebrew three, Tibetan three, Devanagari two), too few to build a
#: tower that draws over the lines around it ("zalgo").
MAX_MARKS = 4
MAX_OF_A_KIND = 2


def _ranges(test: Callable[[str], bool]) -> str:
    """
    A regular expression character class body of the code points (in the
    planes where Unicode puts combining marks and format characters) that
    C{test} accepts, as ranges.
    """
    spans: list[list[int]] = []
    for point in (*range(0x80, 0x20000), *range(0xE0000, 0xE1000)):
        if test(chr(point)):
            if spans and spans[-1][1] == point - 1:
                spans[-1][1] = point
            else:
                spans.append([point, point])
    return "".join(re.escape(chr(first)) + (f"-{re.escape(chr(last))}" if last > first else "")
                   for first, last in spans)


@functools.cache
def _mark_run() -> re.Pattern[str]:
    """
    Three or more combining marks on one base: with colour codes and
    invisible format characters (a zero-width joiner) between them, which
    draw nothing and leave the marks on the same base. Made when first
    wanted (reading some 135,000 code points twice), not when the module
    is imported.
    """
    marks = _ranges(lambda c: unicodedata.category(c)[0] == "M")
    formats = _ranges(lambda c: unicodedata.category(c) == "Cf")
    return re.compile(f"[{marks}](?:(?:{MARKUP.pattern}|[{formats}])*[{marks}]){{2,}}")


def _fewer_marks(m: re.Match[str]) -> str:
    kept = 0
    kinds: dict[int, int] = {}
    out = []
    for char in m.group(0):
        if unicodedata.category(char)[0] == "M":
            kind = unicodedata.combining(char)
            if kept >= MAX_MARKS or (kind and kinds.get(kind, 0) >= MAX_OF_A_KIND):
                continue
            kept += 1
            kinds[kind] = kinds.get(kind, 0) + 1
        out.append(char)
    return "".join(out)


def fewer_marks(text: str) -> str:
    """
    C{text} with at most L{MAX_MARKS} combining marks on each base
    character, at most L{MAX_OF_A_KIND} of them of one combining class
    (the first ones are kept): a tower of marks is cut to a few.
    """
    return _mark_run().sub(_fewer_marks, text)


def sanitize(text: str) -> str:
    """
    Remove every terminal escape sequence whole (L{world.phrases.without_escapes}),
    then every control character that could start or be part of one: C0
    controls except tab and newline (so ESC, BEL, CR, backspace), DEL, and
    C1 controls (U+0080..U+009F, including the single-character CSI U+009B
    and OSC U+009D). Bidirectional embeddings, overrides and isolates are
    removed too, and line and paragraph separators become spaces, so text
    reads the same on every client and in GMCP, and breaks only where it
    says C{\\n}. Towers of combining marks are cut to a few marks on each
    character (L{fewer_marks}), so no text draws over the lines around it.
    """
    if text.isascii():
        return _CONTROL.sub("", without_escapes(text))
    text = without_escapes(text).translate(BIDI_CONTROLS).translate(_SEPARATORS)
    return fewer_marks(_CONTROL.sub("", text))


def escape(text: str) -> str:
    """
    Quote C{text} so that L{render} shows it literally: every bar is doubled.
    """
    return text.replace("|", "||")


def strip(text: str) -> str:
    """
    Remove markup, leaving the plain text (C{||} becomes one bar): see
    L{world.phrases.without_markup}, where the markup's grammar is kept so
    that the world's naming rules read names as players do.
    """
    return without_markup(text)


def plain(text: str) -> str:
    """
    Sanitized text without markup: what goes where no colour can (GMCP
    values, MSSP, logs).
    """
    return strip(sanitize(text))


def for_screen_reader(text: str) -> str:
    """
    Plain text without box drawing or runs of decoration characters, which
    screen readers read out one by one.
    """
    lines = []
    for line in plain(text).split("\n"):
        bare = _RULE.sub("", _BOX.sub(" ", line))
        lines.append(line if bare == line else " ".join(bare.split()))
    return "\n".join(lines)


def nearest16(index: int) -> int:
    """
    The ANSI colour (0..15) nearest to xterm-256 colour C{index}.
    """
    if index < 16:
        return index
    rgb = xterm_rgb(index)
    return min(range(16), key=lambda i: sum((a - b) ** 2
                                            for a, b in zip(_PALETTE16[i], rgb, strict=True)))


def xterm_rgb(index: int) -> tuple[int, int, int]:
    """
    The RGB value of xterm-256 colour C{index}.
    """
    if index < 16:
        return _PALETTE16[index]
    if index < 232:
        i = index - 16
        return (_CUBE[i // 36], _CUBE[(i // 6) % 6], _CUBE[i % 6])
    grey = 8 + 10 * (index - 232)
    return (grey, grey, grey)


def _sgr16(index: int, background: bool) -> str:
    base = 40 if background else 30
    if index < 8:
        return f"\x1b[{'' if background else '22;'}{base + index}m"
    if background:
        return f"\x1b[{base + index - 8}m"
    return f"\x1b[1;{base + index - 8}m"


def _codes(text: str, mode: str) -> Iterator[str]:
    """
    The pieces of C{text} rendered in C{mode}, with a reset at the end if any
    colour is still open.
    """
    open_ = False
    pos = 0
    for m in _MARKUP.finditer(text):
        yield text[pos:m.start()]
        pos = m.end()
        code = m.group(1)
        if code == "|":
            yield "|"
            continue
        if code[0] in "[]" and int(code[1:]) > 255:
            yield m.group(0)
            continue
        if mode == NONE:
            continue
        if code == "n":
            if open_:
                yield RESET
                open_ = False
            continue
        open_ = True
        if code == "u":
            yield "\x1b[4m"
        elif code[0] in "[]":
            index = int(code[1:])
            background = code[0] == "]"
            if mode == XTERM256:
                yield f"\x1b[{48 if background else 38};5;{index}m"
            else:
                yield _sgr16(nearest16(index), background)
        else:
            index = _LETTERS.index(code.lower()) + (8 if code.isupper() else 0)
            yield _sgr16(index, False)
    tail = text[pos:]
    if open_:
        # Close before the final line ending, so the reset is not left on a
        # line of its own.
        body = tail.rstrip("\n")
        yield body
        yield RESET
        yield tail[len(body):]
    else:
        yield tail


def render(text: str, mode: str) -> str:
    """
    Turn markup in C{text} into escape sequences for a client in colour
    C{mode} (L{NONE}, L{ANSI} or L{XTERM256}).

    C{text} should already be sanitized; L{render} itself never produces
    anything but SGR (colour) sequences, and ends with a reset if a colour
    is left open, so colour never bleeds into the next message.

    @raise ValueError: C{mode} is not one of L{MODES}.
    """
    if mode not in MODES:
        raise ValueError(f"unknown colour mode {mode!r}")
    return "".join(_codes(text, mode))


@frozen
class Style:
    """
    How a run of text is shown: for clients that draw text themselves (the
    web page) instead of reading escape sequences.

    @ivar fg: the foreground colour, an xterm-256 index (0..15 are the ANSI
        colours, 8..15 the bright ones), or L{None} for the default.
    @ivar bg: the background colour, likewise.
    @ivar underline: whether the text is underlined.
    """

    fg: int | None = None
    bg: int | None = None
    underline: bool = False


#: No colour, no underline.
PLAIN = Style()


def runs(text: str, mode: str) -> list[tuple[str, Style]]:
    """
    Markup in C{text} as runs of plain text, each with the L{Style} it is
    shown in: the same markup, rules and colour modes as L{render}, for a
    client that draws styles itself. Joined, the runs' text is
    C{strip(text)}; adjacent runs never share a style, and no run is empty.

    C{text} should already be sanitized.

    @raise ValueError: C{mode} is not one of L{MODES}.
    """
    if mode not in MODES:
        raise ValueError(f"unknown colour mode {mode!r}")
    out: list[tuple[str, Style]] = []
    style = PLAIN

    def add(piece: str) -> None:
        if not piece:
            return
        if out and out[-1][1] == style:
            out[-1] = (out[-1][0] + piece, style)
        else:
            out.append((piece, style))

    pos = 0
    for m in _MARKUP.finditer(text):
        add(text[pos:m.start()])
        pos = m.end()
        code = m.group(1)
        if code == "|":
            add("|")
        elif code[0] in "[]" and int(code[1:]) > 255:
            add(m.group(0))
        elif mode == NONE:
            continue
        elif code == "n":
            style = PLAIN
        elif code == "u":
            style = Style(style.fg, style.bg, True)
        elif code[0] in "[]":
            index = int(code[1:])
            if mode == ANSI:
                index = nearest16(index)
            if code[0] == "]":
                style = Style(style.fg, index, style.underline)
            else:
                style = Style(index, style.bg, style.underline)
        else:
            index = _LETTERS.index(code.lower()) + (8 if code.isupper() else 0)
            style = Style(index, style.bg, style.underline)
    add(text[pos:])
    return out


def visible_length(text: str) -> int:
    """
    How many characters C{text} shows once its markup is rendered.
    """
    return len(strip(text))
