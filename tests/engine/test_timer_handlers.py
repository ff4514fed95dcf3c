"""
A timer's handler is checked when the timer is set, wherever the script
sets it: in a verb or handler, or in its top level when it is saved or
loaded (issue 9); a handler its owner removed after setting the timer is
said when it fires, to the owner alone.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from scripting.facets import timers
from tests.scripts.helpers import Scene, flat, make
from world.scripts import script_of


class TopLevelTimerTests(TestCase):
    """
    A timer set by a script's top level is checked as one set in a verb is:
    once the top level has run, since its functions may come later.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def pending(self, name: str) -> int:
        """
        How many timers are set on the thing called C{name}.
        """
        thing = self.s.thing(name)
        with self.s.world.store.turn() as turn:
            return len(timers.timers_on(turn.root, thing))

    def test_missing_handler_refused_at_save(self) -> None:
        """
        A top level setting a timer for a function the script does not
        have is not saved: the message names the function and what to
        define; the script saved before stays and works.
        """
        make(self.s.alice, "clock", "def verb_wind(actor, *rest):\n"
                                    "    actor.tell('wound')\n")
        self.s.alice.send("@script clock")
        self.s.alice.send(".clear")
        for line in ("timers.after(5, 'strik')", "def verb_wind(actor, *rest):",
                     "    actor.tell('wound')", "def strike(data):", "    pass"):
            self.s.alice.send(line)
        said = flat(self.s.alice.send("."))
        self.assertIn("The script on clock was not saved: its top level sets a timer: 'strik' "
                      "is not a function of this script, so a timer cannot call it: "
                      "def strik(data).", said)
        self.assertIn("Nothing was changed: the script saved before stays.", said)
        self.assertIn("Still editing the script on clock", said)
        self.s.alice.send(".abort")
        self.assertIn("(version 1, running)", self.s.alice.send("@script/show clock"))
        self.assertIn("wound", self.s.carol.send("wind clock"))
        self.assertEqual(self.pending("clock"), 0)

    def test_handler_in_a_variable_refused_at_save(self) -> None:
        """
        A handler named through a variable that could not take the data is
        refused as one named in so many words is.
        """
        said = flat(make(self.s.alice, "clock", """
            name = "strike"
            timers.every(5, name)
            def strike():
                pass
            """))
        self.assertIn("The script on clock was not saved: its top level sets a timer: "
                      "strike() takes 0 arguments, but a timer calls it with 1: "
                      "def strike(data).", said)
        self.assertIsNone(script_of(self.s.thing("clock")))

    def test_said_once_for_a_name_in_so_many_words(self) -> None:
        """
        A handler named in a string that could not take the data is said
        once (not also as the top level's).
        """
        said = flat(make(self.s.alice, "clock", """
            timers.every(5, "strike")
            def strike():
                pass
            """))
        self.assertIn("The script on clock was not saved: strike() takes 0 arguments", said)
        self.assertNotIn("top level", said)

    def test_a_function_defined_later_is_fine(self) -> None:
        """
        The top level may name a function its text defines after the
        call: it is checked once the top level has run, and the timer fires.
        """
        said = flat(make(self.s.alice, "clock", """
            timers.after(5, "strike")
            def verb_wind(actor, *rest):
                actor.tell("wound")
            def strike(data):
                here.emote("strikes.")
            """))
        self.assertIn("Saved the script on clock", said)
        self.assertIn("wound", self.s.carol.send("wind clock"))  # loaded: its top level ran
        self.assertEqual(self.pending("clock"), 1)
        self.s.world.clock.advance(5)
        self.assertIn("clock strikes.", flat(self.s.carol.output()))

    def test_checked_when_loaded(self) -> None:
        """
        A top level that sets a timer for a missing function only now (its
        state says so) fails when the module is loaded, as a verb setting
        it would: nothing it did stays, no timer is set, and the owner is
        told why; the player, only that it failed.
        """
        make(self.s.alice, "clock", """
            if state.get("armed"):
                timers.after(5, "gone")
            def on_attach():
                pass
            def verb_arm(actor, *rest):
                state.set("armed", True)
                actor.tell("armed")
            def verb_wind(actor, *rest):
                actor.tell("wound")
            """)
        self.assertIn("armed", self.s.carol.send("arm clock"))
        self.s.read()
        said = flat(self.s.alice.send("@script/restart clock"))
        self.assertIn("The script on clock failed, so nothing it did happened. its top level "
                      "sets a timer: 'gone' is not a function of this script, so a timer "
                      "cannot call it: def gone(data)", said)
        self.assertEqual(self.pending("clock"), 0)
        said = flat(self.s.carol.send("wind clock"))
        self.assertIn("The script on clock failed", said)
        self.assertIn("Its owner has been told why", said)
        self.assertNotIn("gone", said)
        self.assertEqual(self.pending("clock"), 0)
