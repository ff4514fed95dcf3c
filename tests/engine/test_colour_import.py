"""
L{engine.colour} reads the Unicode database for its pattern of towers of
combining marks when it is first wanted, not at import (start-up), and the
pattern cuts the same marks as before.
"""

from __future__ import annotations

import subprocess
import sys
import unicodedata

from twisted.trial.unittest import TestCase

from engine import colour
from world.phrases import MARKUP


class LazyMarksTests(TestCase):
    def test_import_reads_no_code_points(self) -> None:
        """
        Importing the module does not build the pattern.
        """
        made = subprocess.run(
            [sys.executable, "-c",
             "import engine.colour as c; print(c._mark_run.cache_info().currsize)"],
            capture_output=True, text=True, check=True)
        self.assertEqual(made.stdout.strip(), "0")

    def test_the_pattern_is_the_one_import_made(self) -> None:
        """
        The pattern made when first wanted is the one import made before:
        every combining mark and format character of the planes read, as
        ranges.
        """
        marks = colour._ranges(lambda c: unicodedata.category(c)[0] == "M")
        formats = colour._ranges(lambda c: unicodedata.category(c) == "Cf")
        expected = f"[{marks}](?:(?:{MARKUP.pattern}|[{formats}])*[{marks}]){{2,}}"
        self.assertEqual(colour._mark_run().pattern, expected)
        self.assertIn("\u0300-\u036f", marks)  # the combining diacritical marks

    def test_a_tower_is_still_cut(self) -> None:
        """
        Three acute accents on one base, with a joiner between them, are
        cut to two, as before.
        """
        text = "a\u0301\u200d\u0301\u200d\u0301"
        self.assertEqual(colour.fewer_marks(text).count("\u0301"), 2)
        self.assertEqual(colour.fewer_marks("caf\u00e9"), "caf\u00e9")
