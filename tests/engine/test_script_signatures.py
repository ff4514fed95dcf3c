"""
Saving a script checks that every verb and event handler it defines takes
the arguments it will be called with (issue 9: a new user's
C{def verb_rub(ctx)} was saved and then failed with a TypeError).
"""

from __future__ import annotations

import os

from twisted.trial.unittest import TestCase

from engine.testing import TestWorld
from scripting.facets import timers
from tests.scripts.helpers import Scene, make, script
from world.scripts import script_of

TEAPOT = """
def verb_rub(actor, dobj, prep, iobj, dobjstr, iobjstr):
    actor.tell("The teapot glows.")
"""


def flat(text: str) -> str:
    """
    C{text} with its lines joined and its spaces single (messages wrap).
    """
    return " ".join(text.split())


class SignatureTests(TestCase):
    """
    A verb or handler that could not take its call is refused when saved,
    and nothing is lost.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_verb_taking_one_argument_refused(self) -> None:
        """
        C{def verb_rub(ctx)} is not saved: the message names the function
        and the arguments a verb is given; the editor stays open with the
        lines, and fixing the line saves it.
        """
        said = flat(make(self.s.alice, "teapot", "def verb_rub(ctx):\n"
                                               "    ctx.tell('The teapot glows.')\n"))
        self.assertIn("The script on teapot was not saved: verb_rub(ctx) takes 1 argument, "
                      "but a verb is called with 6: def verb_rub(actor, dobj, prep, iobj, "
                      "dobjstr, iobjstr)", said)
        self.assertIn("Nothing was saved. A verb needing none of the six may take the "
                      "player alone: def verb_rub(actor, *rest).", said)
        self.assertIn("Still editing the script on teapot", said)
        self.assertIsNone(script_of(self.s.thing("teapot")))
        self.assertIn("1: def verb_rub(ctx):", self.s.alice.send(".l"))
        self.s.alice.send(".e 1 def verb_rub(actor, *rest):")
        self.s.alice.send(".e 2     actor.tell('The teapot glows.')")
        self.assertIn("it defines verb_rub", self.s.alice.send("."))
        self.assertIn("The teapot glows.", self.s.carol.send("rub teapot"))

    def test_old_script_stays(self) -> None:
        """
        A line edit that gives a verb the wrong arguments is refused: the
        saved script is unchanged and still works.
        """
        make(self.s.alice, "teapot", TEAPOT)
        said = flat(self.s.alice.send("@script/edit teapot 1 = def verb_rub(actor):"))
        self.assertIn("was not saved: verb_rub(actor) takes 1 argument", said)
        self.assertIn("Nothing was changed: the script saved before stays.", said)
        self.assertIn("(version 1, running)", self.s.alice.send("@script/show teapot"))
        self.assertIn("The teapot glows.", self.s.carol.send("rub teapot"))

    def test_signatures_that_accept_the_call(self) -> None:
        """
        Any function that accepts the call is fine: C{*rest}, defaults,
        extra parameters with defaults, C{*args} alone.
        """
        saved = make(self.s.alice, "teapot", """
            def verb_a(actor, *rest):
                pass
            def verb_b(*args):
                pass
            def verb_c(actor, dobj=None, prep=None, iobj=None, dobjstr='', iobjstr='',
                       extra=1, *, key=2):
                pass
            def verb_d(actor, dobj, prep, iobj, dobjstr, iobjstr):
                pass
            def on_hear(actor, text):
                pass
            def on_attach(*rest):
                pass
            def on_tick(a, b, c):
                pass
            verb_e = lambda actor, *rest: None
            """)
        self.assertIn("it defines on_attach, on_hear, on_tick, verb_a, verb_b, verb_c, "
                      "verb_d, verb_e.", flat(saved))

    def test_signatures_that_cannot_take_the_call(self) -> None:
        """
        Too many parameters without defaults, a keyword-only one without a
        default, and a handler taking fewer than its event gives are each
        named.
        """
        said = flat(make(self.s.alice, "teapot", """
            def verb_a(actor, dobj, prep, iobj, dobjstr, iobjstr, more):
                pass
            def verb_b(actor, *rest, key):
                pass
            def on_hear(actor):
                pass
            def on_attach(self):
                pass
            """))
        self.assertIn("verb_a(actor, dobj, prep, iobj, dobjstr, iobjstr, more) takes 7 "
                      "arguments, but a verb is called with 6", said)
        self.assertIn("verb_b(actor, *rest, key) needs key=, which a verb is never given: "
                      "def verb_b(actor, dobj, prep, iobj, dobjstr, iobjstr)", said)
        self.assertIn("on_hear(actor) takes 1 argument, but the on_hear event gives 2: "
                      "def on_hear(actor, text)", said)
        self.assertIn("on_attach(self) takes 1 argument, but the on_attach event gives "
                      "none: def on_attach()", said)
        self.assertIsNone(script_of(self.s.thing("teapot")))

    def test_an_alias_is_checked_by_its_name(self) -> None:
        """
        C{verb_stroke = pet} is the verb C{stroke}: it is checked as one
        (C{pet} itself is no verb).
        """
        said = flat(make(self.s.alice, "teapot", "def pet(who):\n    pass\n"
                                                 "verb_stroke = pet\n"))
        self.assertIn("verb_stroke (that is pet(who)) takes 1 argument, but a verb is "
                      "called with 6", said)
        self.assertIn("def verb_stroke(actor, *rest).", said)

    def test_editor_check_lists_them(self) -> None:
        """
        The editor's C{.check} shows a mismatched signature as a problem,
        saving nothing.
        """
        make(self.s.alice, "teapot", None)
        self.s.alice.send("@script teapot")
        self.s.alice.send("def verb_rub(ctx):")
        self.s.alice.send("    pass")
        self.assertIn("verb_rub(ctx) takes 1 argument", flat(self.s.alice.send(".check")))
        self.s.alice.send(".abort")
        self.assertIsNone(script_of(self.s.thing("teapot")))

    def test_checking_calls_nothing_of_the_script(self) -> None:
        """
        The check reads the compiled code only: default values whose every
        method would fail or loop are never touched, so the check neither
        fails nor runs them.
        """
        saved = flat(make(self.s.alice, "teapot", """
            class Trap:
                def __eq__(self, other):
                    while True:
                        pass
                def __len__(self):
                    while True:
                        pass
                def __bool__(self):
                    while True:
                        pass
                def __repr__(self):
                    while True:
                        pass
            trap = Trap()
            def verb_rub(actor, dobj=trap, *rest, key=trap):
                actor.tell('rubbed')
            def verb_wipe(actor, dobj=trap, prep=trap, iobj=trap, dobjstr=trap,
                          iobjstr=trap, extra=trap, *, need):
                pass
            """))
        self.assertIn("verb_wipe(actor, dobj, prep, iobj, dobjstr, iobjstr, extra, *, need) "
                      "needs need=", saved)
        self.assertNotIn("Traceback", saved)
        fixed = script(self.s.alice, "teapot", """
            class Trap:
                def __eq__(self, other):
                    while True:
                        pass
            trap = Trap()
            def verb_rub(actor, dobj=trap, *rest, key=trap):
                actor.tell('rubbed')
            """)
        self.assertIn("it defines verb_rub", fixed)
        self.assertIn("rubbed", self.s.carol.send("rub teapot"))


class ContentSignatureTests(TestCase):
    """
    A content script is checked the same way when the world starts it.
    """

    def test_content_verb_with_wrong_arguments_is_suspended(self) -> None:
        """
        A content script whose verb could not take its call is suspended
        at start, saying which verb and what it should take; typing the
        verb says the script has problems.
        """
        directory = self.mktemp()
        os.makedirs(directory)
        with open(os.path.join(directory, "hall.toml"), "w") as f:
            f.write('[rooms.hall]\nname = "Hall"\ndescription = "A hall. It is long."\n'
                    'start = true\nscript = "hall.py"\n')
        with open(os.path.join(directory, "hall.py"), "w") as f:
            f.write("def verb_ring(ctx):\n    pass\n")
        world = TestWorld(content=directory, build=None)
        self.addCleanup(world.close)
        with world.store.turn() as turn:
            record = script_of(turn.root.start_room)
            self.assertIn("verb_ring(ctx) takes 1 argument, but a verb is called with 6",
                          record.suspended)
        self.assertIn("The script on Hall has problems", world.login("Alice").send("ring hall"))


class TimerHandlerSignatureTests(TestCase):
    """
    A function a script names as a timer's handler takes the timer's data.
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

    def test_timer_handler_without_data_refused(self) -> None:
        """
        C{timers.every(5, "strike")} with C{def strike():} is refused,
        saying a timer gives its data; with a keyword or after(), too.
        """
        said = flat(make(self.s.alice, "teapot", """
            def on_attach():
                timers.every(5, "strike")
                timers.after(5, handler="chime")
            def strike():
                pass
            def chime(data, more):
                pass
            """))
        self.assertIn("strike() takes 0 arguments, but a timer calls it with 1: "
                      "def strike(data)", said)
        self.assertIn("chime(data, more) takes 2 arguments, but a timer calls it with 1: "
                      "def chime(data)", said)
        self.assertIsNone(script_of(self.s.thing("teapot")))

    def test_timer_handler_taking_data_saved(self) -> None:
        """
        C{def strike(data)} (or C{*rest}, or a default) is fine; a name
        held in a variable is not looked at.
        """
        saved = make(self.s.alice, "teapot", """
            name = "other"
            def on_attach():
                timers.every(5, "strike")
                timers.after(5, "ding")
            def verb_ring(actor, *rest):
                timers.after(5, name)
            def strike(data):
                pass
            def ding(*rest):
                pass
            def other():
                pass
            """)
        self.assertIn("it defines ding, on_attach, other, strike, verb_ring.", flat(saved))

    def test_handler_named_in_a_variable_checked_when_set(self) -> None:
        """
        A handler named through a variable, that could not take the data,
        is refused when the timer is set (not when it fires): the task
        fails saying what it should take, and no timer is set.
        """
        make(self.s.alice, "teapot", """
            name = "strike"
            def verb_ring(actor, *rest):
                timers.after(5, name)
                actor.tell("set")
            def verb_chime(actor, *rest):
                timers.every(5, name)
            def strike():
                pass
            """)
        said = flat(self.s.alice.send("ring teapot"))
        self.assertIn("strike() takes 0 arguments, but a timer calls it with 1: "
                      "def strike(data)", said)
        self.assertNotIn("set", said.split())
        said = flat(self.s.alice.send("chime teapot"))
        self.assertIn("strike() takes 0 arguments, but a timer calls it with 1", said)
        self.assertEqual(self.pending("teapot"), 0)

    def test_missing_handler_refused_when_set(self) -> None:
        """
        A timer naming no function of the script (a typo, a variable) is
        refused when set, naming it.
        """
        make(self.s.alice, "teapot", """
            def verb_ring(actor, *rest):
                timers.after(5, "strik")
            def verb_toll(actor, *rest):
                timers.after(5, "count")
            count = 3
            def strike(data):
                pass
            """)
        for verb in ("ring", "toll"):
            said = flat(self.s.alice.send(f"{verb} teapot"))
            self.assertIn("is not a function of this script, so a timer cannot call it", said)
        self.assertIn("'strik' is not a function", flat(self.s.alice.send("ring teapot")))
        self.assertEqual(self.pending("teapot"), 0)

    def test_handler_fine_when_set(self) -> None:
        """
        A handler named through a variable that takes the data is set and
        fires.
        """
        make(self.s.alice, "teapot", """
            name = "strike"
            def verb_ring(actor, *rest):
                timers.after(1, name, 7)
                actor.tell("set")
            def strike(data):
                say("struck " + str(data))
            """)
        self.assertIn("set", self.s.alice.send("ring teapot"))
