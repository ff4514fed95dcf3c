"""
Attacks on what saving checks of a script's functions (issue 9): the
signature check, the timer's handler check, the errors that say what a
facet offers, and C{@script/restart}. A crafted script can neither crash a
save, nor loop it, nor learn another script's functions through them.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.scripts.runtime import SUSPEND_AFTER
from engine.scripts.signatures import declared_misfits, timer_handlers
from scripting.facets.adapters import facet, revocable
from scripting.facets.context import acting
from scripting.facets.errors import Revoked
from tests.facets.helpers import build
from tests.scripts.helpers import Scene, flat, make
from world.scripts import script_of
from world.store import WorldStore


class SignatureCheckAttacks(TestCase):
    """
    What a script binds to a verb's or handler's name is read, never run,
    and whatever it is, saving says something or saves it.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_odd_bindings_save(self) -> None:
        """
        Verbs, handlers and timers' handlers bound to a builtin, a class, a
        method, an instance, a number or a string are no functions of the
        script: nothing is checked of them, and the save says so plainly,
        with no Python exception of the checker's.
        """
        said = flat(make(self.s.alice, "teapot", """
            class Pot:
                def pour(self, who):
                    pass
                def __call__(self):
                    pass
            verb_a = len
            verb_b = Pot
            verb_c = Pot().pour
            verb_d = Pot()
            on_hear = 5
            on_look = "strike"
            def strike(data):
                pass
            def verb_go(actor, *rest):
                timers.after(5, "verb_b")
                timers.every(5, handler="on_hear")
                timers.after(5, *["strike"])
            """))
        self.assertIn("Saved the script on teapot", said)
        self.assertNotIn("Traceback", said)
        self.assertNotIn("Error", said)

    def test_another_scripts_function_is_not_shown(self) -> None:
        """
        A verb bound to a function of a library the script imports is not
        this script's: the refusal never shows its name or parameters.
        """
        self.s.alice.send("@library secrets")
        self.s.alice.send(".clear")
        for line in ("exports = ('hidden',)", "def hidden(password, vault):", "    pass"):
            self.s.alice.send(line)
        self.s.alice.send(".")
        said = flat(make(self.s.alice, "teapot", "import secrets\n"
                                                 "verb_rub = secrets.hidden\n"))
        self.assertNotIn("password", said)
        self.assertNotIn("vault", said)

    def test_timer_handlers_of_hostile_text(self) -> None:
        """
        Reading the timers' handlers of a text never raises, whatever the
        text (it is read after it compiled, but a content file is not).
        """
        for source in ("(" * 100_000, "timers.after(", "\x00", "timers.after(*a, **k)",
                       "timers.after(1, handler=b'x')", "timers.every(1, 2, 3)"):
            self.assertIsInstance(timer_handlers(source), frozenset)
            self.assertIsInstance(declared_misfits(source), list)

    def test_content_check_of_many_defs(self) -> None:
        """
        A content file of many verbs has each verb's problem said once, at
        its line. (Its text is read once for all of them: read again for
        each C{def}, 2,000 of them took 154 s.)
        """
        source = "".join(f"def verb_v{i}(ctx):\n    pass\n" for i in range(300))
        found = declared_misfits(source)
        self.assertEqual(len(found), 300)
        self.assertEqual([line for line, _ in found], list(range(1, 600, 2)))


class TimerCheckAttacks(TestCase):
    """
    A timer's handler named in a variable is checked against the task's own
    script only, by name: it cannot reach another script's functions.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_private_and_odd_names_are_not_looked_up(self) -> None:
        """
        A name no function may have (private, dunder, too long, not a
        str, in capitals), a builtin's, or a function that cannot take the
        data is refused with a L{FacetError} the script catches.
        """
        make(self.s.alice, "teapot", """
            def two(a, b):
                pass
            def verb_wind(actor, *rest):
                for name in ("_secret", "__init__", "x" * 100, 5, "Strike", "len", "two"):
                    try:
                        timers.after(5, name)
                    except Exception as e:
                        actor.tell("refused: " + str(e))
            """)
        said = flat(self.s.carol.send("wind teapot"))
        self.assertEqual(said.count("refused: "), 7, said)
        self.assertIn("refused: two(a, b) takes 2 arguments, but a timer calls it with 1",
                      said)
        self.assertNotIn("Traceback", said)


class FacetOffersAttacks(TestCase):
    """
    The error for misusing a facet names what it offers only while it is
    alive: a revoked one, or a method of one, says nothing of what it was.
    """

    def setUp(self) -> None:
        self.store = WorldStore()
        self.addCleanup(self.store.close)
        self.w = build(self.store)

    def test_revoked_facet_shows_nothing(self) -> None:
        """
        Once revoked, writing to the facet, misusing it, or misusing a
        method read before says no name of it.
        """
        with self.store.turn(), acting(self.store, self.w.alice.id, 0.0):
            box, cell = revocable(facet(self.w.box))
            method = box.get_property
            cell.revoke()
            for misuse in (lambda: setattr(box, "n", 1), lambda: box["n"],
                           lambda: setattr(method, "n", 1), lambda: method[0],
                           lambda: len(method), lambda: delattr(box, "name")):
                try:
                    misuse()
                except (Revoked, AttributeError) as e:
                    self.assertNotIn("offers", str(e))
                    self.assertNotIn("get_property", str(e))
                    self.assertNotIn("description", str(e))
                else:
                    self.fail("misusing a revoked facet worked")


class RestartAttacks(TestCase):
    """
    C{@script/restart} of a suspended script is a save of its text by its
    owner: no one else can restart it, and each round is paid as a save.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def suspended(self) -> str | None:
        record = script_of(self.s.thing("teapot"))
        assert record is not None
        return record.suspended

    def suspend(self) -> None:
        make(self.s.alice, "teapot", "def verb_tip(actor, *rest):\n    1 / 0\n")
        for _ in range(SUSPEND_AFTER):
            self.s.alice.send("tip teapot")  # (its owner's own failures suspend it)
        self.assertIsNotNone(self.suspended())
        self.s.read()

    def test_others_cannot_restart(self) -> None:
        """
        Another builder (or a player) restarting someone's suspended
        script is refused, and it stays suspended.
        """
        self.suspend()
        for who in (self.s.bob, self.s.carol):
            said = flat(who.send("@script/restart teapot"))
            self.assertNotIn("Saved", said)
            self.assertIsNotNone(self.suspended())

    def test_each_restart_suspends_again_after_three(self) -> None:
        """
        A restarted script that fails again is suspended after three
        failures again, each round charging its owner a save's ticks.
        """
        self.suspend()
        for _ in range(2):
            self.s.alice.send("@script/restart teapot")
            self.assertIsNone(self.suspended())
            for _ in range(SUSPEND_AFTER):
                self.s.alice.send("tip teapot")
            self.assertIn("failed 3 times", self.suspended())
