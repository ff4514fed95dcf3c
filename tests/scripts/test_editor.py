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
        self.assertIn("The script on bell has problems, so it does nothing just now",
                      self.s.carol.send("ring bell"))
        self.assertIn("has problems (it has errors: line 2, column 11: names starting with "
                      "'_' are private and cannot be used: '__class__' (and 1 more)); see "
                      "@script/show bell, then fix it (@script bell).",
                      " ".join(self.s.alice.send("ring bell").split()))

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
        the failing line shown (the traceback indented under the problem);
        what the top level did is undone.
        """
        out = make(self.s.alice, "bell", "this.rename('gong')\nx = 1 / 0\n")
        self.assertIn("\n  the top level failed when run:\n    Traceback (script lines only):\n",
                      out)
        self.assertIn("\n    ZeroDivisionError", out)
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
        from engine.commands import editor

        self.patch(editor, "MAX_LINES", 3)
        make(self.s.alice, "bell", None)
        self.s.alice.send("@script bell")
        for n in range(3):
            self.s.alice.send(f"x{n} = {n}")
        self.assertIn("too long", self.s.alice.send("x3 = 3"))
        self.assertIn("too long", self.s.alice.send(".i 1 x = 0"))
        self.assertIn("nothing was changed", self.s.alice.send(".abort"))
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

    def test_handler_no_event_wakes(self) -> None:
        """
        A function named like a handler that no event wakes (on_rub, where
        the writer meant a command) is saved with a note saying which
        events there are and how a command is written; the script runs.
        """
        s = Scene()
        self.addCleanup(s.world.close)
        saved = " ".join(make(s.alice, "trinket", "def on_rub(actor):\n"
                                               "    actor.tell('It glows.')\n").split())
        self.assertIn("it defines on_rub.", saved)
        self.assertIn("Note: no event wakes on_rub ('help events' lists them). A command "
                      "players type is a function verb_rub(actor, dobj, prep, iobj, dobjstr, "
                      "iobjstr).", saved)
        self.assertNotIn("Did you mean", saved)
        self.assertNotIn("Problem", saved)

    def test_handler_misspelt_names_the_event(self) -> None:
        """
        A handler name one slip away from an event's (on_heard for on_hear,
        on_arrival for on_arrive) is saved with a note naming the event.
        """
        s = Scene()
        self.addCleanup(s.world.close)
        for written, meant in (("on_heard", "on_hear"), ("on_arrival", "on_arrive")):
            saved = " ".join(make(s.alice, "trinket", f"def {written}(actor, *rest):\n"
                                                   "    pass\n").split())
            self.assertIn(f"Note: no event wakes {written} ('help events' lists them). "
                          f"Did you mean {meant}?", saved)

    def test_real_handlers_and_timer_callbacks_not_noted(self) -> None:
        """
        Handlers the engine wakes, and on_ functions the script names in a
        string (a timer's callback), get no note.
        """
        s = Scene()
        self.addCleanup(s.world.close)
        saved = make(s.alice, "trinket", "def on_look(actor):\n    pass\n"
                                      "def on_tick(data):\n    pass\n"
                                      "def on_attach():\n    timers.every(60, 'on_tick')\n")
        self.assertIn("it defines on_attach, on_look, on_tick.", " ".join(saved.split()))
        self.assertNotIn("Note", saved)


CLOCK = """
def on_attach():
    state.set("attached", state.get("attached", 0) + 1)
    timers.every(60, "chime")

def chime(data):
    here.emote("chimes.")

def verb_count(actor, *rest):
    actor.tell("attached " + str(state.get("attached", 0)))
"""


class EditorBufferTests(TestCase):
    """
    @script opens the current script for editing: players fix a line instead
    of typing the script again.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.alice, "bell", BELL)
        self.s.read()

    def test_opens_with_the_current_text(self) -> None:
        """
        The editor shows the script numbered, and a help line.
        """
        opened = self.s.alice.send("@script bell")
        self.assertIn("Editing the script on bell (3 lines):", opened)
        self.assertIn("1: def verb_ring(actor, dobj, prep, iobj, dobjstr, iobjstr):", opened)
        self.assertIn('3:     actor.tell("You ring it.")', opened)
        self.assertIn(".e <n> <text> replaces line n", " ".join(opened.split()))
        self.s.alice.send(".abort")

    def test_fix_one_line(self) -> None:
        """
        .e replaces a line, indentation kept; '.' saves the whole script.
        """
        self.s.alice.send("@script bell")
        changed = self.s.alice.send('.e 2     here.emote("rings: DONG!")')
        self.assertIn('2:     here.emote("rings: DONG!")', changed)
        self.assertIn("Saved the script on bell (3 lines)", self.s.alice.send("."))
        self.s.read()
        self.s.carol.send("ring bell")
        self.assertIn("bell rings: DONG!", self.s.bob.output())

    def test_editor_commands(self) -> None:
        """
        Lines are added at the end; .i inserts, .d deletes ranges, .l lists
        all or some lines, .clear empties; mistakes say what to type and keep
        the buffer.
        """
        p = self.s.alice
        p.send("@script bell")
        p.send('    here.say("again")')
        self.assertIn('4:     here.say("again")', p.send(".l"))
        self.assertIn("1: x = 1", p.send(".i 1 x = 1"))
        self.assertIn("Deleted 2 lines; the script has 3 now.", p.send(".d 1-2"))
        listed = p.send(".l 2-3")
        self.assertIn('2:     actor.tell("You ring it.")', listed)
        self.assertNotIn("1:", listed)
        self.assertIn("Line numbers go from 1 to 3.", p.send(".e 9 x"))
        self.assertIn("Give the first line, then the last", p.send(".d 3-2"))
        self.assertIn("no command .frob", p.send(".frob"))
        self.assertIn("The script editor.", p.send(".help"))
        self.assertIn("The script is empty now", p.send(".clear"))
        self.assertIn("The script is empty.", p.send(".l"))
        self.assertIn("nothing was changed", p.send(".abort"))
        self.assertIn("(version 1, running)", p.send("@script/show bell"))

    def test_check_without_saving(self) -> None:
        """
        .check lists the problems saving would find, and saves nothing.
        """
        p = self.s.alice
        p.send("@script bell")
        p.send("print(this.__class__)")
        checked = p.send(".check")
        self.assertIn("line 4, column", checked)
        p.send(".d 4")
        self.assertIn("No problems found", p.send(".check"))
        p.send(".abort")
        self.assertIn("(version 1, running)", p.send("@script/show bell"))

    def test_no_change_saves_nothing(self) -> None:
        """
        Saving an unchanged script says so and makes no new version.
        """
        self.s.alice.send("@script bell")
        self.assertIn("No changes; nothing was saved.", self.s.alice.send("."))
        self.assertIn("(version 1, running)", self.s.alice.send("@script/show bell"))

    def test_markup_shown_as_typed(self) -> None:
        """
        Colour markup in a script's lines is listed as typed, not rendered.
        """
        self.s.alice.send('@script/insert bell 1 = WORD = "|rred|n"')
        self.assertIn('1: WORD = "|rred|n"', self.s.alice.send("@script/show bell"))
        self.s.alice.send("@script bell")
        self.assertIn('WORD = "|rred|n"', self.s.alice.send(".l 1"))
        self.s.alice.send(".abort")

    def test_a_line_that_starts_with_a_dot(self) -> None:
        """
        An indented line starting with '.' is code, not a command.
        """
        p = self.s.alice
        p.send("@script bell")
        p.send("x = ('a'")
        p.send("     .upper())")
        self.assertIn("     .upper())", p.send(".l 5"))
        self.assertIn("Saved the script on bell (5 lines)", p.send("."))


class EditKeepsTimersTests(TestCase):
    """
    Editing a running script keeps its timers and does not start it again,
    unless its owner asks (@script/restart).
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def pending(self) -> int:
        from scripting.facets import timers

        clock = self.s.thing("clock").id
        with self.s.world.store.turn() as turn:
            return len(timers.timers_on(turn.root, turn.root.get(clock)))

    def test_edits_keep_timers(self) -> None:
        """
        The first save starts the script; line edits (with a switch or in
        the editor) keep its timer and do not run on_attach again.
        """
        saved = make(self.s.alice, "clock", CLOCK)
        self.assertIn("it defines chime, on_attach, verb_count", saved)
        self.assertEqual(self.pending(), 1)
        edited = self.s.alice.send('@script/edit clock 6 =     here.emote("bongs.")')
        self.assertIn("Its 1 timer(s) keep running; '@script/restart clock' starts it afresh",
                      " ".join(edited.split()))
        self.s.alice.send("@script clock")
        self.s.alice.send('.e 6     here.emote("dongs.")')
        self.s.alice.send(".")
        self.assertEqual(self.pending(), 1)
        self.assertIn("attached 1", self.s.carol.send("count clock"))
        self.s.read()
        self.s.world.clock.advance(61)
        self.assertIn("clock dongs.", self.s.bob.output())
        self.assertIn("1 timer(s) pending", self.s.alice.send("@script/show clock"))

    def test_restart_when_asked(self) -> None:
        """
        @script/restart cancels the timers and runs on_attach again.
        """
        make(self.s.alice, "clock", CLOCK)
        self.s.alice.send("@script/edit clock 3 =     timers.every(60, 'chime')")
        self.assertIn("afresh", self.s.alice.send("@script/restart clock"))
        self.assertEqual(self.pending(), 1)
        self.assertIn("attached 2", self.s.carol.send("count clock"))
        self.assertIn("isn't yours", self.s.bob.send("@script/restart clock"))

    def test_a_script_fixed_is_started(self) -> None:
        """
        A script first saved with problems never started: the save that fixes
        it starts it (on_attach runs once).
        """
        make(self.s.alice, "clock", CLOCK.replace("def chime(data):", "def chime(data):\n"
                                                   "    this.__class__"))
        self.assertEqual(self.pending(), 0)
        self.assertIn("suspended", self.s.alice.send("@script/restart clock"))
        fixed = self.s.alice.send("@script/delete clock 6")
        self.assertIn("it defines chime, on_attach, verb_count", fixed)
        self.assertEqual(self.pending(), 1)
        self.assertIn("attached 1", self.s.carol.send("count clock"))
