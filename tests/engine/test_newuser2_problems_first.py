"""
A script saved in the editor with problems keeps the editor open: the
problems are listed right under "will not run until they are fixed:", and
the notes (a function defined twice, a name nothing defines) after them.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, flat, make

LINES = [
    "def verb_ring(actor, *rest):",
    "    actor.tell('a')",
    "def verb_ring(actor, *rest):",
    "    x = this._secret",
]


class ProblemsFirstTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.alice.send("@create bell")
        self.s.alice.send("drop bell")

    def test_problems_then_notes(self) -> None:
        """
        The problem (with its line) comes right after the heading's colon;
        the note of the function defined twice comes after it.
        """
        self.s.alice.send("@script bell")
        for line in LINES:
            self.s.alice.send(line)
        said = flat(self.s.alice.send("."))
        heading = said.index("will not run until they are fixed:")
        problem = said.index("x = this._secret line 4, column 9: names starting with '_'")
        note = said.index("Note: verb_ring is defined twice (lines 1 and 3)")
        still = said.index("Still editing the script on bell")
        self.assertLess(heading, problem)
        self.assertLess(problem, note)
        self.assertLess(note, still)
        self.assertEqual(said.count("Note: verb_ring is defined twice"), 1)
        self.assertNotIn("fixed: Note:", said)

    def test_outside_the_editor_too(self) -> None:
        """
        A line edit saved with problems lists them first as well, then the
        notes.
        """
        make(self.s.alice, "horn", "def verb_ring(actor, *rest):\n    pass\n")
        self.s.alice.send("@script/insert horn 1 = def verb_ring(*rest): pass")
        said = flat(self.s.alice.send("@script/insert horn 1 = x = this._secret"))
        problem = said.index("line 1, column 5: names starting with '_'")
        note = said.index("Note: verb_ring is defined twice")
        self.assertLess(problem, note)
