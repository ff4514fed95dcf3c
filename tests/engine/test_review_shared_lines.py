"""
Red-team review of the lines rendered once and shared between clients
(L{engine.protocols.telnet._wire}, L{engine.session._lines},
L{engine.protocols.rendering._render}): each test tries to have one
client's way of showing text (colours, screen reader, character set,
width) reach another through what is remembered, or to grow what is
remembered without bound with many distinct lines and settings.
"""

from __future__ import annotations

import itertools

from twisted.trial.unittest import TestCase

from engine import colour
from engine.protocols import charset, rendering, telnet
from engine.protocols.telnetcodec import escape
from engine.session import _lines
from engine.text import wrap

#: A line with colour markup, a rule and box drawing (screen readers are
#: spared them), a letter Latin-1 writes as the byte telnet calls IAC, and
#: one it cannot write at all.
LINE = "|rred|n ---- \u2500\u2500 caf\u00e9 \u00ff \u2603 |[200pink|n"

WAYS = list(itertools.product((False, True), (0, 8, 16, 256, 16777216),
                              ("utf-8", "latin-1", "ascii")))


def fresh(text: str, screen_reader: bool, colours: int, encoding: str) -> bytes:
    """
    What a client showing text so is sent for C{text}, worked out afresh
    (nothing remembered).
    """
    sanitized = colour.sanitize(text.replace("\r\n", "\n"))
    shown = (colour.for_screen_reader(sanitized) if screen_reader
             else colour.render(sanitized, colour.mode_for(colours)))
    return escape(charset.encode_text(shown, encoding))


class SharedLinesTests(TestCase):
    def test_each_way_reads_its_own(self) -> None:
        """
        Every way of showing a line, asked for in one order and then in the
        reverse (so that each is asked for with the others remembered),
        gets what it would afresh: no setting is left out of what the
        remembered bytes are kept by.
        """
        for n, ways in enumerate((WAYS, WAYS[::-1])):
            text = f"{LINE} {n}"
            for way in ways:
                self.assertEqual(telnet._wire(text, *way), fresh(text, *way), way)
        latin = telnet._wire(LINE, False, 0, "latin-1")
        self.assertIn(b"\xff\xff", latin)  # (IAC doubled)
        self.assertNotIn(b"\x1b", telnet._wire(LINE, True, 256, "utf-8"))

    def test_each_width_reads_its_own(self) -> None:
        """
        Every window width gets the line wrapped to it, whichever width
        asked first.
        """
        text = "word " * 60
        for width in (20, 33, 80, 200, 33, 20):
            self.assertEqual(_lines(text, width), wrap(text, width) + "\n")

    def test_what_is_remembered_is_bounded(self) -> None:
        """
        Thousands of distinct lines in every width and way of showing them
        leave at most a few hundred remembered in each place.
        """
        for n in range(3000):
            text = f"line {n}"
            _lines(text, 20 + n % 200)
            telnet._wire(text, n % 2 == 0, (0, 16, 256)[n % 3], "utf-8")
        for cached in (_lines, telnet._wire, rendering._render):
            info = cached.cache_info()
            self.assertIsNotNone(info.maxsize)
            self.assertLessEqual(info.currsize, 256)
