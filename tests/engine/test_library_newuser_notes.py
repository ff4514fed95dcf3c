"""
Libraries played as a new player plays them (found over telnet, session of
2026-12-07 late evening): Alice writes the library dice, her die imports
it, she breaks it; Carol is offered greet. Each message says what is so in
words, and what to type next.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.scripts.content import report
from tests.scripts.helpers import content_folder
from tests.scripts.test_content_check import LIBRARY_ROOM

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


class ContentLibraryNotesTests(TestCase):
    """
    'tessera content check' notes a library's undefined names as a save does.
    """

    def test_undefined_name_noted(self) -> None:
        """
        A content library reading a name nothing defines is noted at its line,
        and told it has no 'this' of its own.
        """
        folder = content_folder(self.mktemp(), {
            "hall.toml": LIBRARY_ROOM, "hall.py": "import sayings\n",
            "sayings.py": 'exports = ("motto",)\ndef motto():\n    return mottos + this.name\n'})
        found = report(folder)
        self.assertEqual(found.errors, [])
        notes = " | ".join(found.notes)
        self.assertIn("sayings.py:3: mottos is not defined", notes)
        self.assertIn("sayings.py:3: this is not defined; a library has no this of its own",
                      notes)
