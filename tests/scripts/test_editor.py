"""
The in-game editor: @script and its switches.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, make, script
from world.scripts import script_of

BELL = """
def verb_ring(actor, dobj, prep, iobj, dobjstr, iobjstr):
    here.emote("rings: DING!")
    actor.tell("You ring it.")
"""


class EditorTests(TestCase):
    """
    Players write, list and change scripts line by line.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_save_and_use(self) -> None:
        """
        A saved script's verb works for another player at once.
        """
        saved = make(self.s.alice, "bell", BELL)
        self.assertIn("Saved the script on bell (3 lines); it defines verb_ring.", saved)
        self.s.read()
        self.assertIn("You ring it.", self.s.carol.send("ring bell"))
        self.assertIn("bell rings: DING!", self.s.bob.output())

    def test_errors_with_line_numbers(self) -> None:
        """
        Every problem is shown with its line; the script is kept but does not
        run until fixed.
        """
        saved = make(self.s.alice, "bell", """
            def verb_ring(actor, *rest):
                print(actor.__class__)
                here.emote("x")._secret
            """)
        self.assertIn("2 problem(s)", saved)
        self.assertIn("line 2, column", saved)
        self.assertIn("line 3, column", saved)
        shown = self.s.alice.send("@script/show bell")
        self.assertIn("suspended: it has errors", shown)
        self.assertIn("2:     print(actor.__class__)", shown)
        self.assertIn("Huh?", self.s.carol.send("ring bell"))

    def test_edit_insert_delete_lines(self) -> None:
        """
        One line at a time: edit replaces, insert adds before, delete removes
        (ranges too); each change is checked and saved.
        """
        make(self.s.alice, "bell", BELL)
        out = self.s.alice.send("@script/edit bell 2 =     here.emote('rings: DONG!')")
        self.assertIn("Saved the script on bell (3 lines)", out)
        out = self.s.alice.send("@script/insert bell 3 =     here.say('again')")
        self.assertIn("(4 lines)", out)
        self.s.read()
        self.s.carol.send("ring bell")
        said = self.s.bob.output()
        self.assertIn("bell rings: DONG!", said)
        self.assertIn('bell says, "again"', said)
        out = self.s.alice.send("@script/delete bell 2-3")
        self.assertIn("(2 lines)", out)
        self.assertIn("1: def verb_ring", self.s.alice.send("@script/show bell"))
        self.assertIn("Line numbers go from 1 to 2.",
                      self.s.alice.send("@script/edit bell 7 = x"))

    def test_broken_edit_then_fixed(self) -> None:
        """
        A line edit that breaks the script suspends it; fixing it resumes it.
        """
        make(self.s.alice, "bell", BELL)
        out = self.s.alice.send("@script/edit bell 2 = here.emote('x')")
        self.assertIn("problem(s)", out)
        self.assertIn("line 2", out)
        out = self.s.alice.send("@script/edit bell 2 =     here.emote('fixed')")
        self.assertIn("it defines verb_ring", out)
        self.assertIn("You ring it.", self.s.carol.send("ring bell"))

    def test_clear(self) -> None:
        """
        @script/clear removes the script.
        """
        make(self.s.alice, "bell", BELL)
        self.assertIn("Removed the script from bell.", self.s.alice.send("@script/clear bell"))
        self.assertIsNone(script_of(self.s.thing("bell")))
        self.assertIn("Huh?", self.s.carol.send("ring bell"))

    def test_abort_changes_nothing(self) -> None:
        """
        '@abort' leaves the old script as it was.
        """
        make(self.s.alice, "bell", BELL)
        self.s.alice.send("@script bell")
        self.s.alice.send("this is not python")
        self.assertIn("abandoned", self.s.alice.send("@abort"))
        self.assertIn("You ring it.", self.s.carol.send("ring bell"))
        self.assertIn("(version 1, running)", self.s.alice.send("@script/show bell"))

    def test_only_the_owner_or_a_wizard(self) -> None:
        """
        Bob cannot script Alice's bell; a wizard can; nobody scripts a
        character.
        """
        make(self.s.alice, "bell", BELL)
        self.assertIn("isn't yours", self.s.bob.send("@script bell"))
        self.assertIn("isn't yours", self.s.bob.send("@script/show bell"))
        self.assertIn("isn't yours", self.s.bob.send("@script/clear bell"))
        self.assertIn("Characters can't hold scripts", self.s.alice.send("@script me"))
        self.s.world.set_role("Bob", "wizard")
        self.assertIn("it defines verb_chime",
                      script(self.s.bob, "bell", "def verb_chime(actor, *rest):\n    pass"))
        record = script_of(self.s.thing("bell"))
        self.assertEqual(record.author, self.s.character("Bob").id)
        self.assertEqual(self.s.thing("bell").owner, self.s.character("Alice").id)

    def test_top_level_failure_reported(self) -> None:
        """
        A script whose top level fails when run is saved but suspended, with
        the failing line shown; what the top level did is undone.
        """
        out = make(self.s.alice, "bell", "this.rename('gong')\nx = 1 / 0\n")
        self.assertIn("the top level failed", out)
        self.assertIn("line 2", out)
        self.assertIn("ZeroDivisionError", out)
        self.assertEqual(self.s.thing("bell").name, "bell")

    def test_too_long(self) -> None:
        """
        The editor refuses a script over the size limit, changing nothing.
        """
        from world import scripts

        self.patch(scripts, "MAX_LINES", 3)
        from engine.commands import script as command

        self.patch(command, "MAX_LINES", 3)
        make(self.s.alice, "bell", None)
        self.s.alice.send("@script bell")
        for n in range(3):
            self.s.alice.send(f"x{n} = {n}")
        self.assertIn("too long", self.s.alice.send("x3 = 3"))
        self.assertIsNone(script_of(self.s.thing("bell")))


class EditorWordingTests(TestCase):
    """
    The editor's messages read naturally.
    """

    def test_one_line_is_singular(self) -> None:
        """
        Saving a one-line script says '1 line', not '1 lines'.
        """
        s = Scene()
        self.addCleanup(s.world.close)
        saved = make(s.alice, "gong", "x = 1\n")
        self.assertIn("(1 line);", saved)
