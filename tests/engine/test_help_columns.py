"""
Help laid out in columns keeps its columns on a player's screen: no line of
a column (a command and what it does, side by side) is longer than the
width a client wraps to by default, so wrapping never runs the two
together ("@script bell open the editor").
"""

from __future__ import annotations

import re

from twisted.trial.unittest import TestCase

from engine.commands import TABLE
from engine.commands.help import TOPICS
from engine.interfaces import ClientInfo
from engine.limits import Limits
from engine.testing import TestWorld

#: A gap of two spaces or more between words: a line laid out in columns.
COLUMNS = re.compile(r"\S {2,}\S")


class HelpColumnsTests(TestCase):
    """
    Every help, read at the default width, shows its columns as written.
    """

    def setUp(self) -> None:
        self.world = TestWorld(limits=Limits(command_burst=10_000))
        self.addCleanup(self.world.close)
        self.world.login("Wiz")
        self.wiz = self.world.login("Wanda", role="wizard")
        self.wiz.output()

    def read(self, width: str) -> dict[str, str]:
        """
        Every help a wizard can read (each command's, each topic), as shown
        with C{option width <width>}.
        """
        self.wiz.send(f"option width {width}")
        asked = ["help", "help editor", *(f"help {t}" for t in TOPICS)]
        asked += [f"help {c.words()[0]}" for c in TABLE.available("wizard")]
        return {a: self.wiz.send(a) for a in asked}

    def test_columns_fit_the_default_width(self) -> None:
        """
        Each line laid out in columns, as help writes it on a wide screen,
        is on a screen of the default width unchanged.
        """
        wide = self.read("500")
        default = self.read(str(ClientInfo().width))
        broken = [(asked, line) for asked, text in wide.items() for line in text.split("\n")
                  if COLUMNS.search(line) and line not in default[asked].split("\n")]
        self.maxDiff = None
        self.assertEqual(broken, [])

    def test_command_help_lines_fit(self) -> None:
        """
        Every line of every command's help (its docstring, shown as
        written) fits the default width: a longer one wraps onto an
        indented line of its own in the middle of a paragraph (as
        @ignore's did: "... You still" / "  see them" / "come, go").
        """
        width = ClientInfo().width
        long = [(command.words()[0], line) for command in TABLE.commands
                for line in command.help.split("\n") if len(line) >= width]
        self.assertEqual(long, [])

    def test_command_list_keeps_its_gap(self) -> None:
        """
        In 'help', every command's words stand apart from what it does
        (C{@channel/@channels Chat channels}, not C{@channel/@channels/@chan
        Chat channels}), and its first word is always there.
        """
        commands = self.wiz.send("help").split("\nDirections")[0]
        listed = [line for line in commands.split("\n") if line.startswith("  ")]
        self.assertGreater(len(listed), 20)
        for line in listed:
            self.assertRegex(line, r"^  \S+ {2,}\S")
        self.assertIn("  @channel/@channels     Chat channels", listed)
