"""
Atomic turns: a script that fails leaves no trace.

A verb is the player's command: its failure rolls the whole turn back. An
event handler's failure rolls back everything the handler did (the command
that woke it stands). A timer's failure rolls back its turn. The player who
triggered it and the owner are told, with the script's line; bystanders see
nothing. A script that keeps failing is suspended until edited.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.scripts.runtime import SUSPEND_AFTER
from tests.scripts.helpers import Scene, make, script
from world.scripts import script_of

MOVER = """
def verb_shove(actor, dobj, prep, iobj, dobjstr, iobjstr):
    this.rename("shoved crate")
    this.set_property("shoved", True)
    here.emote("scrapes across the floor")
    made = this.create("thing", "splinter")
    while True:
        pass
"""


class VerbRollbackTests(TestCase):
    """
    A failing verb: the world as before, bystanders told nothing.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.alice, "crate", MOVER)
        self.s.read()

    def count(self) -> int:
        with self.s.world.store.turn() as turn:
            return len(turn.root.objects)

    def test_aborted_verb_leaves_no_trace(self) -> None:
        """
        A verb that renames, sets, speaks, creates and then loops forever is
        aborted: nothing it did stays, and nobody else saw any of it.
        """
        before = self.count()
        said = self.s.carol.send("shove crate")
        crate = self.s.thing("crate")
        self.assertEqual(crate.name, "crate")
        self.assertNotIn("shoved", crate.properties)
        self.assertEqual(self.count(), before)
        self.assertEqual(self.s.bob.output(), "")
        self.assertIn("The script on crate ran out of budget, so nothing it did happened.",
                      said)
        # Its lines and error are its owner's: Carol learns only that it failed.
        self.assertNotIn("verb_shove", said)
        told = self.s.alice.output()
        self.assertIn("Carol used your script, and it failed", told)
        self.assertIn("line 6, in verb_shove()", told)
        self.assertIn("Task aborted: ran out of ticks", told)

    def test_error_after_changes(self) -> None:
        """
        An ordinary exception after changes rolls back the same way, with
        its line.
        """
        script(self.s.alice, "crate", """
            def verb_shove(actor, *rest):
                this.rename("broken crate")
                actor.tell("you shove it")
                return {}["missing"]
            """)
        self.s.read()
        said = self.s.alice.send("shove crate")
        self.assertNotIn("you shove it", said)
        self.assertIn("line 4, in verb_shove()", said)
        self.assertIn("KeyError", said)
        self.assertEqual(self.s.thing("crate").name, "crate")

    def test_markup_in_a_traceback_shown_as_typed(self) -> None:
        """
        Colour markup in the script's own line quoted by a traceback is shown
        to its owner as typed, not rendered.
        """
        script(self.s.alice, "crate", """
            def verb_shove(actor, *rest):
                return "|rred|n" + 1
            """)
        self.s.read()
        self.s.carol.send("shove crate")
        self.assertIn('return "|rred|n" + 1', self.s.alice.output())
        self.assertIn('return "|rred|n" + 1', self.s.alice.send("shove crate"))

    def test_suspended_after_repeated_failures(self) -> None:
        """
        After SUSPEND_AFTER failures in a row of its owner's own the script
        is suspended for everyone (he is told); editing it lifts the
        suspension.
        """
        for _ in range(SUSPEND_AFTER):
            said = self.s.alice.send("shove crate")
        self.assertIn("failed 3 times in a row and is suspended", said)
        self.assertIn("The script on crate has problems", self.s.carol.send("shove crate"))
        self.assertIn("has problems (it failed 3 times in a row); see @script/show crate",
                      " ".join(self.s.alice.send("shove crate").split()))
        record = script_of(self.s.thing("crate"))
        self.assertIn("failed 3 times", record.suspended)
        script(self.s.alice, "crate", "def verb_shove(actor, *rest):\n    actor.tell('ok')")
        self.assertIn("ok", self.s.carol.send("shove crate"))
        self.assertEqual(script_of(self.s.thing("crate")).failures, 0)

    def test_refuses_another_after_repeated_failures(self) -> None:
        """
        After SUSPEND_AFTER failures in a row another player caused, the
        script refuses her alone (she and its owner are told); it is not
        suspended, and editing it lets her use it again.
        """
        for _ in range(SUSPEND_AFTER):
            said = self.s.carol.send("shove crate")
        self.assertIn("is not answering you for now", said)
        self.assertIn("does not answer Carol for 10 minutes", " ".join(
            self.s.alice.output().split()))
        self.assertIn("is not answering you for now", self.s.carol.send("shove crate"))
        record = script_of(self.s.thing("crate"))
        self.assertIsNone(record.suspended)
        self.assertEqual(record.failures, 0)
        script(self.s.alice, "crate", "def verb_shove(actor, *rest):\n    actor.tell('ok')")
        self.assertIn("ok", self.s.carol.send("shove crate"))

    def test_success_resets_the_count(self) -> None:
        """
        Only failures in a row count: its owner's own success ends his.
        """
        script(self.s.alice, "crate", """
            def verb_shove(actor, dobj, prep, iobj, dobjstr, iobjstr):
                if iobjstr == "force":
                    1 / 0
            """)
        for _ in range(SUSPEND_AFTER - 1):
            self.s.alice.send("shove crate with force")
        self.assertEqual(script_of(self.s.thing("crate")).failures, SUSPEND_AFTER - 1)
        self.s.alice.send("shove crate")
        self.assertEqual(script_of(self.s.thing("crate")).failures, 0)


class HandlerRollbackTests(TestCase):
    """
    A failing event handler: its own effects vanish; the command stands.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_handler_failure_undoes_only_the_handler(self) -> None:
        """
        Carol's speech is heard; the trumpet's rename and its own speech are
        undone; Carol and Alice (the owner) are told, Bob only hears Carol.
        """
        make(self.s.alice, "trumpet", """
            def on_hear(actor, text):
                this.rename("squashed trumpet")
                here.say("TOOT")
                while True:
                    pass
            """)
        make(self.s.alice, "echo", "def on_hear(actor, text):\n    here.say('echo')")
        self.s.read()
        said = self.s.carol.send("say hello")
        self.assertIn('You say, "hello"', said)
        self.assertIn("The script on trumpet ran out of budget", said)
        heard = self.s.bob.output()
        self.assertIn('Carol says, "hello"', heard)
        self.assertIn('echo says, "echo"', heard)
        self.assertNotIn("TOOT", heard)
        self.assertNotIn("trumpet", heard)
        self.assertEqual(self.s.thing("trumpet").name, "trumpet")
        self.assertIn("line 4, in on_hear()", self.s.alice.output())

    def test_module_globals_forgotten_after_rollback(self) -> None:
        """
        A handler that fails after changing its module's globals finds them
        as they were: the module is loaded afresh.
        """
        make(self.s.alice, "counter", """
            seen = []
            def on_hear(actor, text):
                seen.append(text)
                here.say(str(len(seen)))
                if text == "boom":
                    1 / 0
            """)
        self.s.read()
        self.s.carol.send("say a")
        self.s.carol.send("say boom")
        self.s.carol.send("say b")
        heard = self.s.bob.output()
        self.assertIn('counter says, "1"', heard)
        self.assertNotIn('counter says, "2"', heard.split("boom")[0] + "x")
        self.assertEqual(heard.count('counter says, "1"'), 2, heard)
