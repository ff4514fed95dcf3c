"""
Tests for L{world.tomlpos}: the line every header and key was written on.
"""

from __future__ import annotations

import tomllib

from hypothesis import given, settings
from hypothesis import strategies as st
from twisted.trial import unittest

from world.tomlpos import locate

TEXT = '''\
area = "x"   # a comment with = and [brackets]
[rooms.harbour]
name = "H"
description = """
not_a_key = "inside a string"
[not.a.header]
"""
exits.north = "market"

[rooms.harbour.exits.up]
to = "top"
[rooms.other.exits]
up = { to = "top", aliases = ["stairs",
  "s"], inner = { deep = 1 } }
"quoted key" = 'v'
[things.lamp]
properties = { lit = false, 'odd key' = 2 }
aliases = [
  "a", # note = no
]
kind = 'thing'
'''


class LocateTests(unittest.TestCase):
    """
    L{locate} finds keys however they were written.
    """

    def setUp(self) -> None:
        tomllib.loads(TEXT)  # the scanner is only ever given valid TOML
        self.positions = locate(TEXT)

    def assertLine(self, line: int, *path: str) -> None:
        self.assertEqual(self.positions.line(path), line, path)

    def test_top_level_key(self) -> None:
        """
        A top-level key is found on its line, despite a comment after it.
        """
        self.assertLine(1, "area")

    def test_header_and_keys(self) -> None:
        """
        Headers and the keys under them are found on their lines.
        """
        self.assertLine(2, "rooms", "harbour")
        self.assertLine(3, "rooms", "harbour", "name")
        self.assertLine(4, "rooms", "harbour", "description")

    def test_multiline_string_skipped(self) -> None:
        """
        Lines inside a multi-line string are not mistaken for keys or
        headers, and lines after it are counted right.
        """
        self.assertLine(2, "rooms", "harbour", "not_a_key")
        self.assertLine(1, "not", "a", "header")
        self.assertLine(8, "rooms", "harbour", "exits", "north")

    def test_dotted_and_nested_header(self) -> None:
        """
        A key under a nested header, and a table only made implicitly, are
        found.
        """
        self.assertLine(11, "rooms", "harbour", "exits", "up", "to")
        self.assertLine(12, "rooms", "other")

    def test_inline_tables(self) -> None:
        """
        Keys inside inline tables are found, even after a multi-line array.
        """
        self.assertLine(13, "rooms", "other", "exits", "up", "to")
        self.assertLine(14, "rooms", "other", "exits", "up", "inner", "deep")
        self.assertLine(17, "things", "lamp", "properties", "odd key")

    def test_quoted_key(self) -> None:
        """
        A quoted key is found by its unquoted name.
        """
        self.assertLine(15, "rooms", "other", "exits", "quoted key")

    def test_missing_key_falls_back(self) -> None:
        """
        A key that was never written is placed at its nearest ancestor.
        """
        self.assertLine(16, "things", "lamp", "location")
        self.assertLine(21, "things", "lamp", "kind")
        self.assertLine(1, "nothing")


# Strings with everything that could fool a line scanner: quotes, equals
# signs, brackets, braces, commas, hashes and backslashes.
_tricky = st.text(alphabet=st.sampled_from(list("ab =[]{},#'\"\\\t.é")), max_size=12)
_key = st.from_regex(r"k[a-z0-9_-]{0,6}", fullmatch=True)


def _basic(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t") + '"'


@st.composite
def documents(draw) -> tuple[str, dict[tuple[str, ...], int]]:
    """
    A TOML text written in many styles, and the line each key is on.
    """
    lines: list[str] = []
    where: dict[tuple[str, ...], int] = {}
    tables = draw(st.lists(_key, min_size=1, max_size=4, unique=True))
    for table in tables:
        if draw(st.booleans()):
            lines.append("# " + draw(_tricky).replace("\n", " "))
        lines.append(f"[rooms.{table}]")
        where[("rooms", table)] = len(lines)
        for key in draw(st.lists(_key, max_size=4, unique=True)):
            style = draw(st.sampled_from(["basic", "literal", "multi", "inline", "array",
                                          "dotted"]))
            text = draw(_tricky)
            path = ("rooms", table, key)
            if style == "basic":
                lines.append(f"{key} = {_basic(text)}  # {text}")
                where[path] = len(lines)
            elif style == "literal" and "'" not in text:
                lines.append(f"{key} = '{text}'")
                where[path] = len(lines)
            elif style == "multi":
                lines.append(f'{key} = """')
                where[path] = len(lines)
                lines.extend(text.replace("\\", "/").replace('"', "'").split("\n") or [""])
                lines.append('x = 1 """')
            elif style == "inline":
                inner = "i" + draw(_key)
                lines.append(f"{key} = {{ {inner} = {_basic(text)}, z = [1, {{ q = 2 }}] }}")
                where[path] = where[(*path, inner)] = where[(*path, "z", "q")] = len(lines)
            elif style == "array":
                lines.append(f"{key} = [")
                where[path] = len(lines)
                lines.append(f"  {_basic(text)},")
                lines.append("]")
            else:
                lines.append(f"sub.{key} = {_basic(text)}")
                where[("rooms", table, "sub", key)] = len(lines)
    return "\n".join(lines) + "\n", where


class LocatePropertyTests(unittest.TestCase):
    """
    Whatever valid TOML is written, every key is found on its own line.
    """

    @settings(max_examples=100, deadline=None)
    @given(documents())
    def test_every_key_on_its_line(self, document) -> None:
        """
        For generated documents in every style, L{locate} agrees with the
        line each key was written on.
        """
        text, where = document
        tomllib.loads(text)
        positions = locate(text)
        for path, line in where.items():
            self.assertEqual(positions.line(path), line, (path, text))
