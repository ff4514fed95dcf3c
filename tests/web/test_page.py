"""
Tests for L{engine.web.page}: the page's files and how they are served.
"""

from __future__ import annotations

import re

from twisted.trial.unittest import TestCase

from engine import colour
from engine.web import page


class PageTests(TestCase):
    def test_files(self) -> None:
        """Every file of the page is there, with its type."""
        files = page.files()
        self.assertEqual(set(files), {*page.FILES, page.COLOURS})
        for answer in files.values():
            self.assertEqual(answer.status, 200)
            self.assertTrue(answer.body)

    def test_colours_match_telnet(self) -> None:
        """The palette is engine.colour's, for every xterm-256 colour."""
        css = page.colours_css()
        for index in (0, 1, 9, 33, 196, 255):
            red, green, blue = colour.xterm_rgb(index)
            self.assertIn(f".f{index}{{color:#{red:02x}{green:02x}{blue:02x}}}", css)
        self.assertEqual(len(re.findall(r"\.b\d+\{", css)), 256)

    def test_answers(self) -> None:
        """Unknown paths are 404, other methods 405; a query string is ignored."""
        self.assertEqual(page.answer(b"GET", b"/nope").status, 404)
        self.assertEqual(page.answer(b"DELETE", b"/").status, 405)
        self.assertEqual(page.answer(b"GET", b"/?x=1").status, 200)

    def test_headers(self) -> None:
        """Every answer carries the security headers and its length."""
        headers = dict(page.text_answer(404, "no").headers(close=True))
        self.assertEqual(headers[b"X-Content-Type-Options"], b"nosniff")
        self.assertEqual(headers[b"Content-Length"], b"3")
        self.assertEqual(headers[b"Connection"], b"close")
        self.assertIn(b"frame-ancestors 'none'", headers[b"Content-Security-Policy"])
