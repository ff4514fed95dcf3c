"""
Phrasing helpers that keep others' words off the margin.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.text import indented, one_line


class OneLineTests(TestCase):
    def test_breaks_and_controls_become_spaces(self) -> None:
        """Line breaks, tabs, ESC and C1 controls become single spaces."""
        self.assertEqual(one_line("No.\r\nCarol\tsays\x1b[2J \x9bhi"), "No. Carol says [2J hi")


class IndentedTests(TestCase):
    def test_every_line_indented_paragraphs_kept(self) -> None:
        """Each line of CRLF, CR or LF text is indented; blank lines stay blank."""
        self.assertEqual(indented("One.\r\n\r\nTwo.\rThree.\x1b"),
                         "  One.\n\n  Two.\n  Three. ")
