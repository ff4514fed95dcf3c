"""
A character's name cannot be a word the game starts its own lines with: a
player called Shutting who emotes "down the server in 5 minutes; type
@password to keep your character" would write a line that reads as the
game's.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterator

from twisted.trial.unittest import TestCase

from engine import accounts
from engine.testing import TestWorld
from world import rules
from world.errors import WorldError

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

#: Where the game writes the lines players read.
SOURCES = ("engine/commands", "engine/session.py", "engine/welcome.py", "engine/login.py",
           "engine/server.py", "engine/scripts/runtime.py", "engine/scripts/verbs.py",
           "world/rules.py", "world/mail.py", "world/channels.py", "world/containment.py",
           "world/matching.py")

_FIRST = re.compile(r"([A-Z][a-z]{2,})\b(?!')")


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def game_lines() -> Iterator[tuple[str, str]]:
    """
    Every line of a string the game's code writes (not a docstring; an
    f-string's text up to its first placeholder), with the file it is in.
    """
    for source in SOURCES:
        top = os.path.join(ROOT, source)
        paths = [top] if top.endswith(".py") else [
            os.path.join(base, name) for base, _, names in os.walk(top)
            for name in names if name.endswith(".py")]
        for path in sorted(paths):
            with open(path, encoding="utf-8") as f:
                tree = ast.parse(f.read())
            skip = _docstrings(tree)
            for node in ast.walk(tree):
                text = None
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    text = None if id(node) in skip else node.value
                elif (isinstance(node, ast.JoinedStr) and node.values
                      and isinstance(node.values[0], ast.Constant)):
                    text = str(node.values[0].value)
                for line in (text or "").split("\n"):
                    yield line, os.path.relpath(path, ROOT)


def line_starts() -> dict[str, str]:
    """
    Every capitalised word (three letters or more, not a possessive) that
    starts a line of a string the game's code writes, with the file it is in.
    """
    words: dict[str, str] = {}
    for line, path in game_lines():
        found = _FIRST.match(line)
        if found is not None:
            words.setdefault(found.group(1), path)
    return words


class GameWordTests(TestCase):
    """
    The words the game starts its lines with are reserved: no character
    takes one, so no player's emote or pose starts a line as the game.
    """

    def test_every_line_start_reserved(self) -> None:
        """
        Each word that starts a line in the game's own strings is refused
        as a character's name (this fails when a new message starts with a
        new word: add it to L{engine.accounts.GAME_WORDS}).
        """
        starts = line_starts()
        self.assertIn("Shutting", starts)  # the scan finds the game's lines
        allowed = {}
        for word, path in starts.items():
            try:
                accounts.check_name(word)
            except WorldError:
                continue
            allowed[word] = path
        self.assertEqual(allowed, {})

    def test_particles_reserved(self) -> None:
        """
        No character is called by a word no thing may be called by (a
        direction, C{it}, C{them}, C{back}: L{world.rules.PARTICLES}), so
        C{look it} or C{give coin to them} never names a player by accident.
        """
        allowed = []
        for word in sorted(rules.PARTICLES):
            try:
                accounts.check_name(word.capitalize())
            except WorldError:
                continue
            allowed.append(word)
        self.assertEqual(allowed, [])

    def test_players_cannot_take_them(self) -> None:
        """
        Shutting, Your, Exits, Subject and Welcome are refused at the door
        (any case); Dana still plays.
        """
        world = TestWorld()
        self.addCleanup(world.close)
        for name in ("Shutting", "your", "EXITS", "Subject", "Welcome"):
            said = " ".join(world.connect().send(f"create {name} correct horse").split())
            self.assertIn("is reserved", said, name)
        self.assertIn("Welcome, Dana", world.connect().send("create Dana correct horse"))
