"""
Tests for L{engine.colour}: builders' markup and the sanitizer.
"""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st
from twisted.trial import unittest

from engine import colour


class SanitizeTests(unittest.TestCase):
    def test_removes_escape(self) -> None:
        """An escape sequence is removed whole: no ESC, and nothing left of it."""
        self.assertEqual(colour.sanitize("a\x1b[2Jb"), "ab")

    def test_removes_osc_clipboard(self) -> None:
        """An OSC 52 clipboard write is removed whole, to its BEL terminator."""
        self.assertEqual(colour.sanitize("\x1b]52;c;ZXZpbA==\x07x"), "x")

    def test_removes_c1_controls(self) -> None:
        """The one-character CSI (U+009B) goes with its sequence; a lone OSC (U+009D) goes."""
        self.assertEqual(colour.sanitize("a\x9b2Jb\x9dc"), "abc")

    def test_keeps_tab_and_newline(self) -> None:
        """Tab and newline are layout, not control: they stay."""
        self.assertEqual(colour.sanitize("a\tb\nc"), "a\tb\nc")

    def test_removes_carriage_return_and_backspace(self) -> None:
        """CR and BS could overwrite what is already on the line."""
        self.assertEqual(colour.sanitize("safe\rEVIL\x08\x7f"), "safeEVIL")

    @given(st.text())
    def test_nothing_below_space_survives(self, text: str) -> None:
        """No C0/C1 control other than tab and newline survives."""
        for ch in colour.sanitize(text):
            self.assertTrue(ch in "\t\n" or not (ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F), ch)


class RenderTests(unittest.TestCase):
    def test_ansi_colour_and_reset(self) -> None:
        """|r opens red and |n closes it."""
        self.assertEqual(colour.render("|rred|n plain", colour.ANSI),
                         "\x1b[22;31mred\x1b[0m plain")

    def test_bright(self) -> None:
        """Upper case is the bright colour."""
        self.assertEqual(colour.render("|Rx|n", colour.ANSI), "\x1b[1;31mx\x1b[0m")

    def test_unclosed_colour_is_reset(self) -> None:
        """A colour left open is closed at the end of the text."""
        self.assertEqual(colour.render("|gleak", colour.ANSI), "\x1b[22;32mleak\x1b[0m")

    def test_no_reset_when_nothing_open(self) -> None:
        """|n with nothing open writes nothing."""
        self.assertEqual(colour.render("a|nb", colour.ANSI), "ab")

    def test_xterm256(self) -> None:
        """|[NNN and |]NNN are xterm-256 foreground and background."""
        self.assertEqual(colour.render("|[202|]017x", colour.XTERM256),
                         "\x1b[38;5;202m\x1b[48;5;17mx\x1b[0m")

    def test_xterm256_downgraded_for_ansi(self) -> None:
        """An ANSI-only client gets the nearest of the 16 colours."""
        self.assertEqual(colour.render("|[196x", colour.ANSI), "\x1b[1;31mx\x1b[0m")
        self.assertEqual(colour.render("|[016x", colour.ANSI), "\x1b[22;30mx\x1b[0m")

    def test_stripped_for_no_colour(self) -> None:
        """A client without colour gets the text alone."""
        self.assertEqual(colour.render("|rred|n and |[100x||y", colour.NONE), "red and x|y")

    def test_literal_bar(self) -> None:
        """|| is one bar in every mode."""
        for mode in colour.MODES:
            self.assertEqual(colour.render("a||b", mode), "a|b")

    def test_unknown_codes_left_alone(self) -> None:
        """A bar before anything that is not markup stays as typed."""
        for mode in colour.MODES:
            self.assertEqual(colour.render("|q |[999 |", mode), "|q |[999 |")

    def test_escape_round_trip(self) -> None:
        """Escaped text renders as itself."""
        text = "|r is not red ||"
        self.assertEqual(colour.render(colour.escape(text), colour.ANSI), text)

    def test_unknown_mode(self) -> None:
        """An unknown mode is a programming error."""
        self.assertRaises(ValueError, colour.render, "x", "cga")

    @given(st.text())
    def test_render_writes_only_sgr(self, text: str) -> None:
        """Whatever the input, rendering sanitized text writes only SGR sequences."""
        out = colour.render(colour.sanitize(text), colour.XTERM256)
        import re
        rest = re.sub(r"\x1b\[[0-9;]*m", "", out)
        self.assertNotIn("\x1b", rest)


class PlainTests(unittest.TestCase):
    def test_strip(self) -> None:
        """strip removes codes only."""
        self.assertEqual(colour.strip("|Rred|n ||x"), "red |x")  # noqa: B005

    def test_plain_sanitizes(self) -> None:
        """plain removes control characters as well as markup."""
        self.assertEqual(colour.plain("|r\x1b[2Jx"), "x")

    def test_screen_reader(self) -> None:
        """Box drawing and rules are removed for screen readers."""
        self.assertEqual(colour.for_screen_reader("┌──┐\n│|rhi|n│\n===== Who ====="),
                         "\nhi\nWho")

    def test_screen_reader_keeps_ellipsis(self) -> None:
        """Prose punctuation is not decoration."""
        self.assertEqual(colour.for_screen_reader("Wait... what?"), "Wait... what?")

    def test_visible_length(self) -> None:
        """Markup takes no width."""
        self.assertEqual(colour.visible_length("|rab|n||"), 3)

    def test_nearest16(self) -> None:
        """The cube and grey ramps map to sensible ANSI colours."""
        self.assertEqual(colour.nearest16(9), 9)
        self.assertEqual(colour.nearest16(21), 4)
        self.assertEqual(colour.nearest16(231), 15)
        self.assertEqual(colour.nearest16(232), 0)


class ResetPlacementTests(unittest.TestCase):
    def test_reset_before_final_newline(self) -> None:
        """An open colour is closed before the text's final line ending."""
        self.assertEqual(colour.render("|rx\n\n", colour.ANSI), "\x1b[22;31mx\x1b[0m\n\n")


class RunsTests(unittest.TestCase):
    """
    L{colour.runs}: the same markup as styled runs, for the web page.
    """

    def test_styles(self) -> None:
        """Colours, bright colours, backgrounds and underline become styles."""
        self.assertEqual(colour.runs("a|rb|Rc|]017d|ue|nf", colour.XTERM256), [
            ("a", colour.PLAIN), ("b", colour.Style(1)), ("c", colour.Style(9)),
            ("d", colour.Style(9, 17)), ("e", colour.Style(9, 17, True)), ("f", colour.PLAIN)])

    def test_ansi_mode(self) -> None:
        """In 16-colour mode xterm colours are the nearest ANSI colour, as for telnet."""
        self.assertEqual(colour.runs("|[196x", colour.ANSI),
                         [("x", colour.Style(colour.nearest16(196)))])

    def test_literal_bars(self) -> None:
        """Doubled bars and codes that are no markup stay as typed."""
        self.assertEqual(colour.runs("a||b |[999 |q", colour.NONE),
                         [("a|b |[999 |q", colour.PLAIN)])

    def test_bad_mode(self) -> None:
        """An unknown mode is refused."""
        self.assertRaises(ValueError, colour.runs, "x", "rainbow")

    @given(st.text(alphabet="ab|rRn[]0125u\n", max_size=40),
           st.sampled_from(colour.MODES))
    def test_text_is_the_stripped_text(self, text: str, mode: str) -> None:
        """Joined, the runs are the text without markup; no run is empty or repeats a style."""
        runs = colour.runs(text, mode)
        self.assertEqual("".join(t for t, _ in runs), colour.strip(text))
        self.assertTrue(all(t for t, _ in runs))
        self.assertTrue(all(a[1] != b[1] for a, b in itertools.pairwise(runs)))
        if mode == colour.NONE:
            self.assertTrue(all(s == colour.PLAIN for _, s in runs))
