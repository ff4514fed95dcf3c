"""
A script suspended because a library it imports was broken when it was
saved starts again by C{@script/restart} once the library is fixed: the
restart checks its stored text again (charged to its owner, as a save is)
instead of refusing until the unchanged script is saved again.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.scripts import libraries
from tests.scripts.helpers import Scene, make, script
from tests.scripts.test_libraries import flat, library
from world.scripts import script_of

BELL = """
import chime

def verb_ring(actor, *rest):
    actor.tell(chime.sound())
"""


class RestartAfterLibraryFixTests(TestCase):
    """
    C{@script/restart} of a script suspended for its errors checks it again.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def broken_bell(self) -> None:
        """
        Alice's library chime saved broken, then her bell importing it:
        the bell is suspended, naming the library's problem.
        """
        library(self.s.alice, "chime", 'exports = ("sound",)\ndef sound(:\n    return "ding"\n')
        make(self.s.alice, "bell", BELL)
        self.assertIn("the library chime has problems", script_of(self.s.thing("bell")).suspended)
        self.s.alice.output()

    def test_restart_after_the_library_is_fixed(self) -> None:
        """
        The library fixed, C{@script/restart bell} starts the unchanged
        bell, which rings.
        """
        self.broken_bell()
        library(self.s.alice, "chime", 'exports = ("sound",)\ndef sound():\n    return "ding"\n')
        said = flat(self.s.alice.send("@script/restart bell"))
        self.assertIn("It had errors (", said)
        self.assertIn("); it runs now. Started afresh", said)
        self.assertIsNone(script_of(self.s.thing("bell")).suspended)
        self.assertIn("ding", self.s.carol.send("ring bell"))

    def test_restart_while_still_broken_says_the_current_reason(self) -> None:
        """
        The library still broken (now otherwise), the restart is refused
        with the library's current problem, and the suspension says it too.
        """
        self.broken_bell()
        library(self.s.alice, "chime", 'exports = ("sound",)\nsound = 1 +\n')
        said = flat(self.s.alice.send("@script/restart bell"))
        self.assertIn("fix the library chime it imports, which has problems (@library chime), "
                      "then restart it (@script/restart bell)", said)
        record = script_of(self.s.thing("bell"))
        self.assertIsNotNone(record.suspended)
        self.assertIn("line 2, column 12", record.suspended)
        self.assertNotIn("column 11", record.suspended)
        self.assertIn("has problems", self.s.carol.send("ring bell"))

    def test_restart_of_another_owners_script_refused(self) -> None:
        """
        Bob cannot restart Alice's bell (so cannot run her code on her
        budget by restarting it).
        """
        self.broken_bell()
        library(self.s.alice, "chime", 'exports = ("sound",)\ndef sound():\n    return "ding"\n')
        said = flat(self.s.bob.send("@script/restart bell"))
        self.assertIn("isn't yours", said)
        self.assertIsNotNone(script_of(self.s.thing("bell")).suspended)

    def test_fixing_the_library_names_the_scripts_waiting(self) -> None:
        """
        Saving the library without problems tells Alice which of her
        scripts saved while it had problems are still suspended, and how to
        start them; a script fixed meanwhile is not named.
        """
        self.broken_bell()
        make(self.s.alice, "gong", BELL)
        make(self.s.alice, "drum", BELL)
        script(self.s.alice, "drum", "def verb_beat(actor, *rest):\n    actor.tell('boom')\n")
        said = library(self.s.alice, "chime",
                       'exports = ("sound",)\ndef sound():\n    return "ding"\n')
        self.assertIn("Your scripts saved while it had problems are still suspended: bell, "
                      "gong; '@script/restart <thing>' checks and starts each.", said)
        self.assertNotIn("drum", said)
        self.assertIsNotNone(script_of(self.s.thing("bell")).suspended)
        said = library(self.s.alice, "chime",
                       'exports = ("sound",)\ndef sound():\n    return "dong"\n')
        self.assertNotIn("still suspended", said)

    def test_another_owners_waiting_script_is_not_named(self) -> None:
        """
        Bob's script importing Alice's shared library while it was broken
        is not named to Alice (nor run by her save).
        """
        library(self.s.alice, "chime", 'exports = ("sound",)\ndef sound(:\n    return "ding"\n')
        self.s.alice.send("@grant bob = library chime")
        self.s.bob.send("@library/accept alice chime")
        make(self.s.bob, "horn", BELL)
        self.assertIsNotNone(script_of(self.s.thing("horn")).suspended)
        said = library(self.s.alice, "chime",
                       'exports = ("sound",)\ndef sound():\n    return "ding"\n')
        self.assertNotIn("horn", said)
        self.assertIsNotNone(script_of(self.s.thing("horn")).suspended)


class ShownReasonTests(TestCase):
    """
    C{@script/show} of a script suspended because a library it imports had
    problems says what is true now, without running anything.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        library(self.s.alice, "chime", 'exports = ("sound",)\ndef sound(:\n    return "ding"\n')
        make(self.s.alice, "bell", BELL)
        self.s.alice.output()

    def test_while_broken_the_problem_is_quoted(self) -> None:
        said = flat(self.s.alice.send("@script/show bell"))
        self.assertIn("suspended: it has errors: ", said)
        self.assertIn("the library chime has problems", said)

    def test_fixed_library_shown_fixed(self) -> None:
        """
        The library fixed, the show says it had problems and has none now,
        and how to start the script; the script stays suspended, unrun.
        """
        library(self.s.alice, "chime", 'exports = ("sound",)\ndef sound():\n    return "ding"\n')
        said = flat(self.s.alice.send("@script/show bell"))
        self.assertIn("suspended: the library chime it imports had problems when it was "
                      "checked and has none now; @script/restart bell checks it again and "
                      "starts it", said)
        self.assertNotIn("has problems", said)
        self.assertIsNotNone(script_of(self.s.thing("bell")).suspended)

    def test_shared_library_fixed_by_its_owner(self) -> None:
        """
        Bob's horn imports Alice's shared chime, broken when he saved it:
        fixed by her, his show says so.
        """
        self.s.alice.send("@grant bob = library chime")
        self.s.bob.send("@library/accept alice chime")
        make(self.s.bob, "horn", BELL)
        self.assertIn("library chime has problems", flat(self.s.bob.send("@script/show horn")))
        library(self.s.alice, "chime", 'exports = ("sound",)\ndef sound():\n    return "ding"\n')
        said = flat(self.s.bob.send("@script/show horn"))
        self.assertIn("the library chime it imports had problems when it was checked and has "
                      "none now; @script/restart horn", said)

    def test_broken_otherwise_still_quoted(self) -> None:
        """
        The library saved again, still with problems: the show still quotes
        them (the stored reason).
        """
        library(self.s.alice, "chime", 'exports = ("sound",)\nsound = 1 +\n')
        said = flat(self.s.alice.send("@script/show bell"))
        self.assertIn("the library chime has problems", said)
        self.assertNotIn("has none now", said)


class WaitingPerImporterTests(TestCase):
    """
    The scripts remembered as saved while a library had problems are kept
    per importer: Bob saving many importing Alice's broken library does not
    push out Alice's own, nor Carol's.
    """

    def test_others_saves_do_not_push_out_the_owners(self) -> None:
        self.patch(libraries, "MAX_WAITING", 3)
        s = Scene()
        self.addCleanup(s.world.close)
        library(s.alice, "chime", 'exports = ("sound",)\ndef sound(:\n    return "ding"\n')
        s.alice.send("@grant bob = library chime")
        s.bob.send("@library/accept alice chime")
        make(s.alice, "bell", BELL)
        for n in range(5):
            make(s.bob, f"horn{n}", BELL)
        s.read()
        said = library(s.alice, "chime", 'exports = ("sound",)\ndef sound():\n    return "ding"\n')
        self.assertIn("Your scripts saved while it had problems are still suspended: bell;", said)
        told_bob = flat(s.bob.output())
        self.assertIn("still suspended: horn2, horn3, horn4;", told_bob)

    def test_importers_bounded_owner_kept(self) -> None:
        """
        At most L{libraries.MAX_IMPORTERS} importers but the owner are
        kept, the latest; the owner's always.
        """
        self.patch(libraries, "MAX_IMPORTERS", 2)
        kept = libraries.Libraries(None)
        kept.wait_for(1, "chime", 100, 1)
        for importer in (2, 3, 4):
            kept.wait_for(1, "chime", 200 + importer, importer)
        kept.wait_for(1, "chime", 101, 1)
        self.assertEqual(sorted(kept.fixed(1, "chime")), [100, 101, 203, 204])
        self.assertEqual(kept.fixed(1, "chime"), [])
