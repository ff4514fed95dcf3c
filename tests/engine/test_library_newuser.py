"""
Libraries played as a new player plays them (found over telnet, session of
2026-12-07 late evening): Alice writes the library dice, her die imports
it, she breaks it; Carol is offered greet. Each message says what is so in
words, and what to type next.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, flat, make
from tests.scripts.test_libraries import library

#: Alice's library: roll and d6.
DICE = """
exports = ("roll", "d6")

def roll(n):
    return n

def d6():
    return 4
"""

#: dice broken: line 6 does not parse.
BROKEN_DICE = """
exports = ("roll", "d6")

def roll(n):
    return n

def d6(:
    return 4
"""

#: A die whose 'throw' rolls with dice.
DIE = """
import dice

def verb_throw(actor, *rest):
    actor.tell("rolled " + str(dice.roll(3)))
"""


class ExportsMissingTests(TestCase):
    """
    A library exporting a name it does not define is told so in words.
    """

    def test_missing_in_words(self) -> None:
        """
        The problem names the missing export as a word, not a Python list.
        """
        s = Scene()
        self.addCleanup(s.world.close)
        said = library(s.alice, "dice", 'exports = ("roll", "missing")\ndef roll(n):\n'
                                        "    return n\n")
        self.assertIn("dice: exports names it does not define: missing", said)
        self.assertNotIn("['missing']", said)


class LibraryEditorWordsTests(TestCase):
    """
    The editor, editing a library, calls it a library.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_abandoned_with_problems(self) -> None:
        """
        Leaving a library saved with problems says no script can import it,
        not that a script will not run.
        """
        alice = self.s.alice
        alice.send("@library dice")
        alice.send("exports = ('nothing',)")
        self.assertIn("no script can import it", flat(alice.send(".")))
        said = flat(alice.send(".abort"))
        self.assertIn("Library editing abandoned: the library dice stays as last saved, with "
                      "its problems; no script can import it until they are fixed.", said)
        self.assertNotIn("Script editing", said)
        self.assertNotIn("will not run", said)

    def test_abandoned_and_cleared(self) -> None:
        """
        .clear and .abort of an unchanged library speak of the library.
        """
        alice = self.s.alice
        library(alice, "dice", DICE)
        alice.send("@library dice")
        self.assertIn("The library is empty now", flat(alice.send(".clear")))
        self.assertIn("The library is empty.", flat(alice.send(".l")))
        self.assertTrue(flat(alice.send(".abort")).startswith(
            "Library editing abandoned; nothing was changed."))

    def test_unchanged_with_problems(self) -> None:
        """
        Saving a broken library unchanged says no script can import it.
        """
        alice = self.s.alice
        alice.send("@library dice")
        alice.send("exports = ('nothing',)")
        alice.send(".")
        said = flat(alice.send("."))
        self.assertIn("No changes since it was saved with its problems; no script can import "
                      "it until they are fixed.", said)

    def test_script_words_kept(self) -> None:
        """
        A thing's script is still called a script.
        """
        alice = self.s.alice
        make(alice, "die", DIE)
        alice.send("@script die")
        self.assertTrue(flat(alice.send(".abort")).startswith(
            "Script editing abandoned; nothing was changed."))

    def test_one_line(self) -> None:
        """
        Opening a library of one line says '1 line', not '1 lines'.
        """
        alice = self.s.alice
        library(alice, "one", 'exports = ("x",)')
        self.assertIn("Editing the library one (1 line):", flat(alice.send("@library one")))
