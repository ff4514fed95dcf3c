"""
A timer's handler is checked when the timer is set, wherever the script
sets it: in a verb or handler, or in its top level when it is saved or
loaded (issue 9); a handler its owner removed after setting the timer is
said when it fires, to the owner alone, and the timer cancelled.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from scripting.facets import timers
from tests.scripts.helpers import Scene, flat, make, script
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

    def test_refused_timer_not_kept(self) -> None:
        """
        A verb that catches the refusal of a timer for a missing function
        keeps no timer, and is charged none: its owner's quota is whole.
        """
        make(self.s.alice, "clock", """
            def verb_wind(actor, *rest):
                for i in range(30):
                    try:
                        timers.after(5, "gone")
                    except Exception as e:
                        said = str(e)
                actor.tell(said)
            """)
        said = flat(self.s.carol.send("wind clock"))
        self.assertIn("'gone' is not a function of this script", said)
        self.assertEqual(self.pending("clock"), 0)
        self.assertIn("timers pending: 0 of 20", flat(self.s.alice.send("@quota")))

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


CLOCK = """
def verb_wind(actor, *rest):
    timers.after(5, "strike")
    actor.tell("wound")
def verb_start(actor, *rest):
    timers.every(5, "tick")
    timers.every(10, "tick")
    actor.tell("started")
def strike(data):
    here.emote("strikes.")
def tick(data):
    here.emote("ticks.")
"""

#: CLOCK saved again without its timers' handlers.
BARE = """
def verb_wind(actor, *rest):
    timers.after(5, "strike")
    actor.tell("wound")
def verb_start(actor, *rest):
    timers.every(5, "tick")
    actor.tell("started")
"""


class RemovedHandlerTests(TestCase):
    """
    A timer whose handler the owner removed (saving the script without it)
    after setting it: saving says so, and its firing cancels it, told to
    the owner alone (it could never call anything: not counted as a
    failure, which would suspend the script for every thing running it).
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_save_names_the_timers_left_without_handler(self) -> None:
        """
        Saving a version without a function pending timers name says how
        many, for which function, and that they will fail.
        """
        make(self.s.alice, "clock", CLOCK)
        self.s.carol.send("wind clock")
        self.s.carol.send("start clock")
        said = flat(script(self.s.alice, "clock", BARE))
        self.assertIn("Note: 2 timers pending for tick, which this version no longer has: "
                      "they are cancelled when they fire.", said)
        self.assertIn("Note: 1 timer pending for strike, which this version no longer has: "
                      "it is cancelled when it fires.", said)
        self.assertIn("Its 3 timer(s) keep running; '@script/restart clock' starts it afresh",
                      said)
        said = flat(script(self.s.alice, "clock", CLOCK))
        self.assertNotIn("no longer has", said)

    def test_owner_told_when_it_fires(self) -> None:
        """
        The one-shot timer fires for its removed handler: its owner is told
        which function it lacked; nobody else hears of it; the timer is
        gone, and it is not counted as a failure of the script.
        """
        make(self.s.alice, "clock", CLOCK)
        self.s.carol.send("wind clock")
        script(self.s.alice, "clock", BARE)
        self.s.read()
        self.s.world.clock.advance(5)
        said = flat(self.s.alice.output())
        self.assertIn("Timer 1 on clock fired for strike(data), which its script no longer has "
                      "(a version saved since it was set has none), so nothing ran; the timer "
                      "is cancelled: define strike(data) and set the timer again.", said)
        for other in (self.s.bob, self.s.carol):
            self.assertNotIn("clock", other.output())
        thing = self.s.thing("clock")
        with self.s.world.store.turn() as turn:
            self.assertEqual(timers.timers_on(turn.root, thing), [])
        self.assertEqual(script_of(thing).failures, 0)

    def test_repeating_cancelled_at_its_first_firing(self) -> None:
        """
        A repeating timer for its removed handler is cancelled the first
        time it fires (it could never call anything), rather than failing
        every period until the script is suspended; the others go on, and
        saving the function again lets a new one run.
        """
        make(self.s.alice, "clock", CLOCK)
        self.s.carol.send("start clock")
        script(self.s.alice, "clock", BARE.replace('timers.every(5, "tick")\n', ""))
        self.s.read()
        self.s.world.clock.advance(5)
        said = flat(self.s.alice.output())
        self.assertIn("Timer 1 on clock fired for tick(data), which its script no longer has",
                      said)
        for _ in range(4):
            self.s.world.clock.advance(5)
            self.s.world.clock.advance(0)
        said = flat(self.s.alice.output())
        self.assertEqual(said.count("fired for tick"), 1)  # the 10-second one, once
        self.assertNotIn("suspended", said)
        thing = self.s.thing("clock")
        with self.s.world.store.turn() as turn:
            self.assertEqual(timers.timers_on(turn.root, thing), [])
        self.assertEqual(script_of(thing).failures, 0)
        self.assertNotIn("clock", self.s.carol.output())
        said = flat(script(self.s.alice, "clock", CLOCK))
        self.assertNotIn("no longer has", said)
        self.s.carol.send("start clock")
        self.s.read()
        self.s.world.clock.advance(5)
        self.assertIn("clock ticks.", flat(self.s.carol.output()))
