"""
A beginner re-typing a script after C{@script} appends it to the old one.
The editor's first message names C{.clear}; a save that finds a function
defined twice hints at it too.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.commands.editor import HELP_LINE
from tests.scripts.helpers import Scene, flat, make

BELL = ["def verb_ring(actor, *rest):", "    actor.tell('ding')"]


class ClearHintTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.alice, "bell", "\n".join(BELL))
        self.s.read()

    def test_first_message(self) -> None:
        """
        Opening the editor on a script says '.clear' empties it.
        """
        said = flat(self.s.alice.send("@script bell"))
        self.assertIn(".clear empties it", said)
        self.assertIn(".clear empties it", HELP_LINE)

    def test_defined_twice_hints_clear(self) -> None:
        """
        The same script typed again after the old one: the save notes the
        verb defined twice and says '.clear' would have emptied it first.
        """
        self.s.alice.send("@script bell")
        for line in BELL:
            self.s.alice.send(line)
        said = flat(self.s.alice.send("."))
        self.assertIn("Note: verb_ring is defined twice (lines 1 and 3)", said)
        self.assertIn("Note: if you typed the script again under the old one, '.clear' in "
                      "the editor empties it first.", said)
        self.assertEqual(said.count(".clear"), 1)

    def test_no_hint_otherwise(self) -> None:
        """
        A save with no function defined twice says nothing of '.clear'.
        """
        self.s.alice.send("@script bell")
        self.s.alice.send("def verb_tap(actor, *rest):")
        self.s.alice.send("    pass")
        said = flat(self.s.alice.send("."))
        self.assertIn("Saved the script on bell", said)
        self.assertNotIn(".clear", said)
