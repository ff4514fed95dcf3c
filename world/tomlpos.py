# -*- test-case-name: tests.world.test_tomlpos -*-
"""
Where things are in a TOML file: the line of each table header and key.

C{tomllib} parses TOML but forgets positions, and content errors must name a
file and line. L{locate} scans text that C{tomllib} has already accepted and
records, for every key path, the line it was written on: a table header
(C{[rooms.harbour]}), a key (C{name = ...}), a dotted key
(C{exits.north = ...}) or a key inside an inline table (C{{ to = "x" }}).
Array elements have no paths of their own; they are found at their array's
line.
"""

from __future__ import annotations

from collections.abc import Sequence

Path = tuple[str, ...]

_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


class Positions:
    """
    The lines of the key paths in one TOML text.
    """

    def __init__(self, explicit: dict[Path, int], implicit: dict[Path, int]) -> None:
        self._explicit = explicit
        self._implicit = implicit

    def line(self, path: Sequence[str]) -> int:
        """
        The line where C{path} was written; for a path that was never written
        (a missing key), the line of its nearest written ancestor; else 1.
        """
        path = tuple(path)
        while path:
            for table in (self._explicit, self._implicit):
                if path in table:
                    return table[path]
            path = path[:-1]
        return 1


def locate(text: str) -> Positions:
    """
    Record the line of every header and key in C{text} (valid TOML).
    """
    return _Scanner(text).run()


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.lineno = 1
        self.explicit: dict[Path, int] = {}
        self.implicit: dict[Path, int] = {}

    def record(self, path: Path) -> None:
        self.explicit.setdefault(path, self.lineno)
        for n in range(1, len(path)):
            self.implicit.setdefault(path[:n], self.lineno)

    def run(self) -> Positions:
        text, n = self.text, len(self.text)
        table: Path = ()
        # Open brackets: (char, the path their keys or elements belong to).
        stack: list[tuple[str, Path]] = []
        expect_key = True
        value_of: Path | None = None  # the key whose value starts next
        while self.i < n:
            c = text[self.i]
            if c == "\n":
                self.lineno += 1
                self.i += 1
                if not stack:
                    expect_key = True
                continue
            if c in " \t\r":
                self.i += 1
                continue
            if c == "#":
                end = text.find("\n", self.i)
                self.i = n if end < 0 else end
                continue
            if expect_key and not stack and c == "[":
                double = text.startswith("[[", self.i)
                self.i += 2 if double else 1
                table = self.read_key("]")
                self.i += 2 if double else 1
                self.record(table)
                expect_key = False
                continue
            if expect_key and (not stack or stack[-1][0] == "{"):
                if c == "}":
                    stack.pop()
                    self.i += 1
                    expect_key = False
                    continue
                prefix = stack[-1][1] if stack else table
                path = prefix + self.read_key("=")
                self.record(path)
                self.i += 1  # the "="
                value_of = path
                expect_key = False
                continue
            if c in "\"'":
                self.skip_string()
                value_of = None
                continue
            if c in "{[":
                if value_of is not None:
                    owner = value_of
                else:
                    owner = stack[-1][1] if stack else table
                stack.append((c, owner))
                expect_key = c == "{"
                value_of = None
                self.i += 1
                continue
            if c in "}]":
                if stack:
                    stack.pop()
                self.i += 1
                continue
            if c == "," and stack and stack[-1][0] == "{":
                expect_key = True
            value_of = None
            self.i += 1
        return Positions(self.explicit, self.implicit)

    def read_key(self, stop: str) -> Path:
        """
        Read a (dotted, possibly quoted) key up to C{stop}; leave C{i} on it.
        """
        text, n = self.text, len(self.text)
        parts: list[str] = []
        while self.i < n:
            c = text[self.i]
            if c in " \t.":
                self.i += 1
            elif c == stop or c == "\n":
                break
            elif c in "\"'":
                start = self.i + 1
                self.skip_string()
                raw = text[start:self.i - 1]
                parts.append(raw.replace('\\"', '"').replace("\\\\", "\\") if c == '"' else raw)
            else:
                start = self.i
                while self.i < n and text[self.i] in _BARE:
                    self.i += 1
                if self.i == start:  # not TOML we understand; give up on this line
                    self.i += 1
                    continue
                parts.append(text[start:self.i])
        return tuple(parts)

    def skip_string(self) -> None:
        """
        Skip the string starting at C{i}, counting the lines it spans.
        """
        text = self.text
        quote = text[self.i]
        triple = text.startswith(quote * 3, self.i)
        self.i += 3 if triple else 1
        while self.i < len(text):
            c = text[self.i]
            if c == "\\" and quote == '"':
                if text[self.i + 1:self.i + 2] == "\n":
                    self.lineno += 1
                self.i += 2
                continue
            if c == "\n":
                self.lineno += 1
            if c == quote and (not triple or text.startswith(quote * 3, self.i)):
                if triple:
                    self.i += 3
                    # A closing delimiter may carry up to two more quotes.
                    for _ in range(2):
                        if text[self.i:self.i + 1] == quote:
                            self.i += 1
                else:
                    self.i += 1
                return
            self.i += 1
