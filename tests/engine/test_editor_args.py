"""
C{@script/edit} reads its arguments one way only: without C{=} it opens the
editor on the thing named by all that was typed (a name may end in a number,
C{Room 101}); with C{=} the word before it is the line to replace.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, flat, make


class EditArgumentsTests(TestCase):
    """
    A thing whose name ends in a number is edited like any other.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_name_ending_in_a_number_opens_the_editor(self) -> None:
        """
        C{@script/edit Room 101} opens the editor on "Room 101", even with
        another thing called "Room" here; what is typed is saved on it.
        """
        make(self.s.alice, "Room", "x = 1\n")
        make(self.s.alice, "Room 101", "def verb_knock(actor, *rest):\n    actor.tell('who?')\n")
        said = flat(self.s.alice.send("@script/edit Room 101"))
        self.assertIn("Editing the script on Room 101 (2 lines)", said)
        self.s.alice.send(".e 2     actor.tell('nobody home')")
        self.assertIn("Saved the script on Room 101", flat(self.s.alice.send(".")))
        self.assertIn("nobody home", self.s.carol.send("knock Room 101"))
        self.assertIn("Script on Room (version 1, running): 1: x = 1 >",
                      flat(self.s.alice.send("@script/show Room")))

    def test_line_of_a_name_ending_in_a_number(self) -> None:
        """
        With C{=}, the word before it is the line: C{@script/edit Room 101 2
        = ...} replaces line 2 of Room 101's script.
        """
        make(self.s.alice, "Room 101", "def verb_knock(actor, *rest):\n    actor.tell('who?')\n")
        said = flat(self.s.alice.send("@script/edit Room 101 2 =     actor.tell('come in')"))
        self.assertIn("Saved the script on Room 101", said)
        self.assertIn("come in", self.s.carol.send("knock Room 101"))

    def test_line_without_text_says_how(self) -> None:
        """
        A line number after a name that names nothing as a whole (C{bell 2})
        is answered with how to replace a line and why the editor did not
        open.
        """
        make(self.s.alice, "bell", "x = 1\ny = 2\n")
        said = flat(self.s.alice.send("@script/edit bell 2"))
        self.assertIn("Type '@script/edit <thing> <line> = <text>'. Without '=' it opens the "
                      "editor on the thing named by all you typed, and nothing here is called "
                      "'bell 2'.", said)
        self.assertNotIn("Editing", said)
        self.assertIn("x = 1", self.s.alice.send("@script/show bell"))

    def test_unknown_name_without_number(self) -> None:
        """
        A name that names nothing (and does not end in a number) says so.
        """
        self.assertIn("You don't see 'kettle' here.", self.s.alice.send("@script/edit kettle"))
