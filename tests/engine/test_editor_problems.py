"""
A script saved with problems keeps the editor open on the lines to fix, and
what was saved is said plainly; its verbs then tell its owner (only) the
first problem.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.testing import TestWorld
from tests.scripts.helpers import Scene, flat, make
from world.scripts import script_of


class SavedWithProblemsTests(TestCase):
    """
    '.' on a script with errors saves it (suspended) and the player goes on
    fixing it in the same editor.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.carol.send("@create bell")
        self.s.carol.send("drop bell")
        self.s.carol.send("@script bell")
        self.s.carol.send("def verb_ring(actor, *rest):")
        self.s.carol.send('    here.emote("rings"')

    def test_stays_open_on_the_numbered_lines(self) -> None:
        """
        Saving says it saved the script with its problems, shows each
        problem under its numbered line and stays in the editor, where
        '.e <n> <text>' fixes it at once and '.' saves the fix.
        """
        said = self.s.carol.send(".")
        self.assertIn("Saved the script on bell (2 lines), but it has 1 problem(s) and will "
                      "not run until they are fixed:", flat(said))
        self.assertIn('\n  2:     here.emote("rings"\n     line 2, column', said)
        self.assertIn("Still editing the script on bell: '.e <n> <text>' replaces line n "
                      "('.l' lists them); '.' saves again, .abort leaves it as saved.",
                      flat(said))
        self.assertNotIn("@script bell to fix it in the editor", said)
        self.assertIsNotNone(script_of(self.s.thing("bell")).suspended)
        self.assertIn('2:     here.emote("rings")',
                      self.s.carol.send('.e 2     here.emote("rings")'))
        self.assertIn("Saved the script on bell (2 lines); it defines verb_ring.",
                      flat(self.s.carol.send(".")))
        self.s.read()
        self.s.bob.send("ring bell")
        self.assertIn("bell rings", self.s.alice.output())

    def test_abort_keeps_what_was_saved(self) -> None:
        """
        Leaving after such a save says the script stays as saved, with its
        problems (not that nothing was changed).
        """
        self.s.carol.send(".")
        said = flat(self.s.carol.send(".abort"))
        self.assertIn("Script editing abandoned: the script on bell stays as last saved, "
                      "with its problems; it will not run until they are fixed.", said)
        self.assertNotIn("nothing was changed", said)
        self.assertEqual(script_of(self.s.thing("bell")).lines()[1], '    here.emote("rings"')

    def test_unchanged_save_says_it_still_has_problems(self) -> None:
        """
        '.' again with nothing changed closes the editor and says the saved
        script still has its problems.
        """
        self.s.carol.send(".")
        self.assertIn("No changes since it was saved with its problems; it will not run "
                      "until they are fixed.", flat(self.s.carol.send(".")))
        self.assertIn("Huh?", self.s.carol.send(".l"))

    def test_check_shows_the_lines(self) -> None:
        """
        '.check' shows each problem under its numbered line too.
        """
        said = self.s.carol.send(".check")
        self.assertIn('  2:     here.emote("rings"\n     line 2, column', said)

    def test_refused_save_is_not_saved(self) -> None:
        """
        A save refused (a verb that cannot take its call) says nothing was
        saved, and the editor stays open as before.
        """
        self.s.carol.send(".clear")
        self.s.carol.send("def verb_ring(actor):")
        self.s.carol.send("    pass")
        said = flat(self.s.carol.send("."))
        self.assertIn("was not saved", said)
        self.assertIn("Nothing was saved.", said)
        self.assertIn("Still editing the script on bell", said)
        self.assertIsNone(script_of(self.s.thing("bell")))


class FirstProblemTests(TestCase):
    """
    Typing a verb of a script suspended for its errors tells its owner the
    first of them; anyone else only that it does nothing.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_owner_sees_the_first_error(self) -> None:
        """
        The owner is told the line and what is wrong with it, once.
        """
        make(self.s.alice, "bell", """
            def verb_ring(actor, *rest):
                x = actor._secret
                y = actor.__class__
            """)
        said = flat(self.s.alice.send("ring bell"))
        self.assertRegex(said, r"The script on bell has problems \(it has errors: line 2, "
                               r"column \d+: [^)]*_secret.*\(and 1 more\)\); see @script/show "
                               r"bell, then fix it \(@script bell\)\.")
        self.assertNotIn("fix them and save again", said)

    def test_others_learn_only_that_it_failed(self) -> None:
        """
        Another player learns neither the line nor the error.
        """
        make(self.s.alice, "bell", """
            def verb_ring(actor, *rest):
                x = actor._secret
            """)
        said = flat(self.s.carol.send("ring bell"))
        self.assertIn("The script on bell has problems, so it does nothing just now; its "
                      "owner must fix it.", said)
        self.assertNotIn("_secret", said)
        self.assertNotIn("line 2", said)

    def test_top_level_failure_says_what_went_wrong(self) -> None:
        """
        A top level that fails when run: its owner is told the traceback's
        first line and its last, which says what went wrong.
        """
        make(self.s.alice, "bell", """
            def verb_ring(actor, *rest):
                pass
            boom = 1 // 0
            """)
        said = flat(self.s.alice.send("ring bell"))
        self.assertIn("(it has errors: the top level failed when run:", said)
        self.assertIn("ZeroDivisionError", said)
        self.assertNotIn("ZeroDivisionError", flat(self.s.carol.send("ring bell")))

    def test_first_problem_is_one_line(self) -> None:
        """
        The first problem kept is one line, however its message breaks
        lines, and says how many more there are.
        """
        from engine.commands.editor import first_problem

        said = first_problem(["the top level failed when run:\nTraceback:\r  x\n"
                              "ValueError: a\rb\x1b[2Jc\u2028d", "line 3, column 1: y"])
        self.assertEqual(said, "the top level failed when run: ... ValueError: a bc d (and 1 "
                               "more)")
        self.assertEqual(first_problem(["x" * 400]), "x" * 300)


class WebEditorTests(TestCase):
    """
    A client editing in a window of its own is told the script was saved
    with problems, and that the editor is still open.
    """

    def test_saved_with_problems(self) -> None:
        """
        C{Editor.Unsaved} says C{saved}; the editor closes only when left.
        """
        world = TestWorld()
        self.addCleanup(world.close)
        alice = world.browse()
        alice.supports("Editor 1")
        alice.send("create Alice correct horse")
        alice.send("@create bell")
        alice.send("@script bell")
        alice.send_message({"type": "input", "text": "\n".join([
            ".clear", "def verb_ring(actor, *rest):", "    here.emote('x'", "."])})
        self.assertEqual(alice.gmcp("Editor.Unsaved"),
                         [{"name": "the script on bell", "saved": True}])
        self.assertEqual(alice.gmcp("Editor.Close"), [])
        alice.send(".abort")
        self.assertEqual(alice.gmcp("Editor.Close"),
                         [{"name": "the script on bell", "saved": False}])
