"""
Phrasing helpers that keep others' words off the margin.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.text import indented, labelled, one_line


class OneLineTests(TestCase):
    def test_breaks_and_controls_become_spaces(self) -> None:
        """Escape sequences go whole; line breaks, tabs and controls become single spaces."""
        self.assertEqual(one_line("No.\r\nCarol\tsays\x1b[2J \x9bhi"), "No. Carol says i")


class IndentedTests(TestCase):
    def test_every_line_indented_paragraphs_kept(self) -> None:
        """Each line of CRLF, CR or LF text is indented; blank lines stay blank."""
        self.assertEqual(indented("One.\r\n\r\nTwo.\rThree.\x1b"),
                         "  One.\n\n  Two.\n  Three. ")


class LabelledTests(TestCase):
    def test_later_lines_indented(self) -> None:
        """The first line follows the label; every later line, whatever broke it, is indented."""
        self.assertEqual(labelled("Description", "One.\rCarol says, hi\u2028x"),
                         "Description: One.\n  Carol says, hi\n  x")
        self.assertEqual(labelled("Description", "(none)"), "Description: (none)")


class ColumnsTests(TestCase):
    """
    Terminal columns and wrapping.
    """

    def test_ascii(self) -> None:
        """
        Every ASCII character is one column, as the full table says.
        """
        from engine.text import columns

        text = "".join(chr(c) for c in range(128))
        self.assertEqual(columns(text), 128)
        self.assertEqual(columns("naïve 漢字"), 10)

    def test_wrap_remembered(self) -> None:
        """
        Wrapping the same text to the same width again is not done again
        (a room's readers share the work), and gives the same lines.
        """
        from engine.text import wrap

        text = "word " * 40
        first = wrap(text, 30)
        hits = wrap.cache_info().hits
        self.assertIs(wrap(text, 30), first)
        self.assertEqual(wrap.cache_info().hits, hits + 1)
        self.assertNotEqual(wrap(text, 40), first)

    def test_wrap_continues_off_the_margin(self) -> None:
        """
        A line at the margin continues two columns in; an indented line
        continues at its own indentation (a description keeps one left
        edge, no hanging indent), never at the margin.
        """
        from engine.text import wrap

        words = " ".join(["word"] * 30)
        for lead, hang in (("", "  "), (" ", "  "), ("  ", "  "), ("    ", "    ")):
            lines = wrap(lead + words, 30).split("\n")
            self.assertGreater(len(lines), 2)
            self.assertTrue(lines[0].startswith(lead + "word"), lines)
            for line in lines[1:]:
                self.assertTrue(line.startswith(hang + "word"), (lead, lines))
                self.assertLessEqual(len(line), 30)

    def test_list_item_continues_under_its_description(self) -> None:
        """
        A list item's continuation lines start under its description, not
        under its term, so that the next term stands out ('help events'); a
        gap in prose after a full stop makes no list.
        """
        from engine.text import wrap

        item = ("  on_enter(actor, thing): thing came into the object (a room or container): "
                "someone walked in, dropped or put something there, or a script moved it there")
        lines = wrap(item + "\n  on_leave(actor, thing, where): thing left it", 80).split("\n")
        self.assertTrue(lines[0].startswith("  on_enter(actor, thing): thing came"), lines)
        self.assertGreater(len(lines), 3)
        for line in lines[1:-1]:
            self.assertRegex(line, r"^ {26}\S", lines)
        self.assertEqual(lines[-1], "  on_leave(actor, thing, where): thing left it")
        lines = wrap("  <any name>(data): a timer you set with timers.after/every(seconds, "
                     "'name', data) fired", 80).split("\n")
        self.assertEqual(lines[1], " " * 20 + "data) fired")
        lines = wrap("  .e <n> <text>       replace line n (everything after <n> is the "
                     "line, indentation kept)", 60).split("\n")
        self.assertEqual(lines[0], "  .e <n> <text>       replace line n (everything after <n>")
        self.assertEqual(lines[1], " " * 22 + "is the line, indentation kept)")
        lines = wrap("  The hall.  A door leads north and the stairs lead up to a landing", 40)
        for line in lines.split("\n")[1:]:
            self.assertRegex(line, r"^  \S", lines)

    def test_list_item_too_deep_hangs_past_its_term(self) -> None:
        """
        An item whose description starts past half the width continues
        deeper than the item starts (and never at the margin, nor past
        half the width); a line at the margin is no item.
        """
        from engine.text import wrap

        lines = wrap("  on_leave(actor, thing, where): thing left the object (a room or "
                     "container) for where: someone walked out", 50).split("\n")
        for line in lines[1:]:
            self.assertRegex(line, r"^ {6}\S", lines)
        lines = wrap(" x  " + "y" * 100, 40).split("\n")
        for line in lines[1:]:
            self.assertRegex(line, r"^ {4}y", lines)
        said = 'Bob says, "' + "x" * 30 + " " * 30 + 'Carol says, "zzz"'
        lines = wrap(said, 50).split("\n")  # at the margin: speech, no item
        self.assertEqual(lines[1:], ['  says, "zzz"'])
