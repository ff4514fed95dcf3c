"""
A script suspended by a broken library it imports is told what to do about
the library (played as a new player; the library and scripts are those of
L{tests.engine.test_library_newuser}).
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.engine.test_library_newuser import BROKEN_DICE, DICE, DIE
from tests.scripts.helpers import Scene, flat, make
from tests.scripts.test_libraries import BELL, GREET, library, share_bell


class BrokenLibrarySuspensionTests(TestCase):
    """
    Alice's die imports her library dice; she breaks dice. What the die's
    suspension says names the library and what brings the die back.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        library(self.s.alice, "dice", DICE)
        make(self.s.alice, "die", DIE)
        self.assertIn("rolled 3", self.s.alice.send("throw die"))
        library(self.s.alice, "dice", BROKEN_DICE)
        self.s.read()

    def test_suspended_for_failures(self) -> None:
        """
        Failing three times importing dice suspends the die, saying that
        dice has problems and that the die waits for a restart once it is
        fixed; typing its verb then says the same, not to edit the die.
        """
        alice = self.s.alice
        alice.send("throw die")
        alice.send("throw die")
        said = flat(alice.send("throw die"))
        self.assertIn("The script on die failed 3 times in a row and is suspended", said)
        self.assertIn("is suspended; its owner can fix the library dice it imports, which has "
                      "problems (@library dice), then restart it (@script/restart die); it "
                      "stays suspended until then.", said)
        said = flat(alice.send("throw die"))
        self.assertIn("then fix the library dice it imports, which has problems (@library "
                      "dice), then restart it (@script/restart die)", said)
        self.assertNotIn("edit it (@script die)", said)

    def test_saved_while_broken(self) -> None:
        """
        A cup saved while dice is broken is told dice has problems; once
        dice is fixed, its verb says to restart it, not to edit it, and the
        restart starts it.
        """
        alice = self.s.alice
        make(alice, "cup", "import dice\ndef verb_sip(actor, *rest):\n    actor.tell('sip')\n")
        said = flat(alice.send("sip cup"))
        self.assertIn("then fix the library dice it imports, which has problems (@library "
                      "dice), then restart it (@script/restart cup); it stays suspended until "
                      "then.", said)
        self.assertNotIn("fix it (@script cup)", said)
        library(alice, "dice", DICE)
        said = flat(alice.send("sip cup"))
        self.assertIn("then restart it (@script/restart cup): the library dice it imports had "
                      "problems and has none now.", said)
        self.assertNotIn("fix it (@script cup)", said)
        alice.send("@script/restart cup")
        self.assertIn("sip", alice.send("sip cup"))

    def test_restart_while_broken(self) -> None:
        """
        Restarting the cup while dice is still broken says to fix dice, not
        the cup.
        """
        alice = self.s.alice
        make(alice, "cup", "import dice\ndef verb_sip(actor, *rest):\n    actor.tell('sip')\n")
        said = flat(alice.send("@script/restart cup"))
        self.assertIn("; fix the library dice it imports, which has problems (@library dice), "
                      "then restart it (@script/restart cup)", said)
        self.assertNotIn("fix it and save it first", said)

    def test_own_error_still_its_own(self) -> None:
        """
        A script failing for its own mistake, importing a working library,
        is still told to edit it.
        """
        alice = self.s.alice
        library(alice, "dice", DICE)
        make(alice, "cup", "import dice\ndef verb_sip(actor, *rest):\n    1/0\n")
        for _ in range(3):
            said = flat(alice.send("sip cup"))
        self.assertIn("edit it (@script cup) or restart it (@script/restart cup)", said)
        self.assertNotIn("library dice", said)

    def test_own_syntax_error_not_blamed_on_library(self) -> None:
        """
        A cup with its own syntax error, importing the broken dice, is told
        to fix the cup: its suspension is not the library's doing.
        """
        alice = self.s.alice
        make(alice, "cup", "import dice\ndef verb_sip(actor, *rest):\n    return (\n")
        said = flat(alice.send("sip cup"))
        self.assertIn("fix it (@script cup)", said)
        self.assertNotIn("library dice", said)


    def test_restart_after_failures_while_broken(self) -> None:
        """
        Restarting the die, suspended for failing, while dice is still broken
        checks it as a save, which says to fix dice, not the die.
        """
        alice = self.s.alice
        for _ in range(3):
            alice.send("throw die")
        said = flat(alice.send("@script/restart die"))
        self.assertIn("(Fix the library dice it imports, which has problems (@library dice), "
                      "then restart it (@script/restart die); it stays suspended until then.)",
                      said)
        self.assertNotIn("@script die to fix it in the editor", said)

class ForeignBrokenLibraryTests(TestCase):
    """
    Carol accepted Alice's greet; Alice breaks it while Carol saves a bell
    importing it.
    """

    def test_wait_for_its_owner(self) -> None:
        """
        The bell's verb tells Carol that Alice's library has problems, to
        wait for Alice to fix it and then restart the bell.
        """
        s = Scene()
        self.addCleanup(s.world.close)
        share_bell(self, s.alice, s.carol, "Alice")
        library(s.alice, "greet", 'exports = ("hello",)\ndef hello(:\n    pass\n')
        s.world.clock.advance(61)
        make(s.carol, "bell2", BELL)
        said = flat(s.carol.send("ring bell2"))
        self.assertIn("then wait until Alice fixes the library greet it imports, which has "
                      "problems, then restart it (@script/restart bell2); it stays suspended "
                      "until then.", said)

    def test_saved_while_broken_told_at_save(self) -> None:
        """
        Saving a bell while Alice's greet is broken says, in the editor, what
        to wait for and what to type then, and not that the failure is not
        counted toward suspending it (the save suspends it).
        """
        s = Scene()
        self.addCleanup(s.world.close)
        share_bell(self, s.alice, s.carol, "Alice")
        library(s.alice, "greet", 'exports = ("hello",)\ndef hello(:\n    pass\n')
        said = flat(make(s.carol, "bell2", BELL))
        self.assertIn("Note: wait until Alice fixes the library greet it imports, which has "
                      "problems, then restart it (@script/restart bell2); it stays suspended "
                      "until then.", said)
        self.assertNotIn("not counted toward suspending", said)
        self.assertIn("not counted toward suspending your script",
                      flat(s.carol.send("ring bell")))


    def test_told_when_fixed(self) -> None:
        """
        Carol's bell saved while Alice's greet was broken: when Alice saves
        it fixed, Carol is told her bell is still suspended and how to start
        it; the restart starts it.
        """
        s = Scene()
        self.addCleanup(s.world.close)
        share_bell(self, s.alice, s.carol, "Alice")
        library(s.alice, "greet", 'exports = ("hello",)\ndef hello(:\n    pass\n')
        make(s.carol, "bell2", BELL)
        s.read()
        library(s.alice, "greet", GREET)
        said = flat(s.carol.output())
        self.assertIn("Alice fixed the library greet: your scripts saved while it had problems "
                      "are still suspended: bell2; '@script/restart <thing>' checks and starts "
                      "each.", said)
        self.assertNotIn("bell2", flat(s.alice.output()))
        s.carol.send("@script/restart bell2")
        self.assertIn("Hello from greet.", s.carol.send("ring bell2"))

    def test_not_told_ignoring(self) -> None:
        """
        Carol, ignoring Alice since, is not told of the fix.
        """
        s = Scene()
        self.addCleanup(s.world.close)
        share_bell(self, s.alice, s.carol, "Alice")
        library(s.alice, "greet", 'exports = ("hello",)\ndef hello(:\n    pass\n')
        make(s.carol, "bell2", BELL)
        s.carol.send("@ignore alice")
        s.read()
        library(s.alice, "greet", GREET)
        self.assertNotIn("fixed the library", flat(s.carol.output()))


class OwnBrokenLibraryBlameTests(TestCase):
    """
    Alice breaks her own library dice; Carol throws Alice's die.
    """

    def test_counted_toward_its_owner(self) -> None:
        """
        Carol's throws failing at Alice's broken dice count toward Alice's
        die (suspended after 3, Alice told what to do), never toward Carol:
        the die does not refuse her, and answers her once dice is fixed and
        the die restarted.
        """
        s = Scene()
        self.addCleanup(s.world.close)
        library(s.alice, "dice", DICE)
        make(s.alice, "die", DIE)
        library(s.alice, "dice", BROKEN_DICE)
        s.read()
        for _ in range(3):
            said = flat(s.carol.send("throw die"))
        self.assertNotIn("not answering you", said)
        self.assertIn("The script on die failed 3 times in a row and is suspended", said)
        self.assertIn("fix the library dice it imports", flat(s.alice.output()))
        library(s.alice, "dice", DICE)
        s.alice.send("@script/restart die")
        self.assertIn("rolled 3", s.carol.send("throw die"))
