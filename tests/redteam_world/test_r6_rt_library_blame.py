# -*- test-case-name: tests.redteam_world.test_r6_rt_library_blame -*-
"""
A script is not suspended for what another player did to a library it
imports. Carol accepted Bob's library greet, and her bell imports it; Bob
removes it (or saves it broken): each ring of her bell then fails at its
import, and three such failures suspend the bell (its timers with it)
until Carol restarts it, as if the fault were hers. A failure through a
grant or channel someone else revoked is not counted toward suspending the
script that held it (L{engine.scripts.runtime}, C{not_its_own}); a library
another owner took away or broke is the same kind of failure: it is
counted toward the library's owner (the script refuses him for a while),
never toward suspending the script nor toward whoever woke it, and Carol
is told that her import of Bob's library fails, and why. (Found by
redteam, round 6.)
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.scripts.strikes import SUSPEND_AFTER
from tests.scripts.helpers import Scene, make
from tests.scripts.test_libraries import GREET, flat, library, share_bell
from world import libraries
from world.scripts import script_of

CLOCK = """
def on_attach():
    timers.every(60, "tick")

def tick(data):
    import greet
    state["ticks"] = state.get("ticks", 0) + 1

def verb_count(actor, *rest):
    actor.tell("ticks: " + str(state.get("ticks", 0)))
"""


class LibraryRemovedTests(TestCase):
    """
    Carol's bell imports Bob's greet, which she accepted.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        share_bell(self, self.s.bob, self.s.carol, "Bob")

    def rings(self, count: int, who: str = "carol") -> str:
        said = []
        for _ in range(count):
            self.s.world.clock.advance(61)  # (past the spacing of another's library's reloads)
            said.append(getattr(self.s, who).send("ring bell"))
        return flat(" ".join(said))

    def strikes(self, player: str) -> int:
        """
        The failures of the bell counted toward C{player} now.
        """
        bell = self.s.thing("bell")
        record = script_of(bell)
        assert record is not None
        runtime = self.s.world.server.scripts
        return runtime.strikes.failures(bell.id, record.version,
                                        getattr(self.s, player).session.character_id)

    def test_removed_library_does_not_suspend(self) -> None:
        """
        Bob removes greet: three rings of Carol's bell fail, and it is not
        suspended for them.
        """
        self.s.bob.send("@library/remove greet")
        said = self.rings(3)
        self.assertIsNone(script_of(self.s.thing("bell")).suspended)
        self.assertEqual(script_of(self.s.thing("bell")).failures, 0)
        self.assertEqual(self.strikes("bob"), SUSPEND_AFTER)
        self.assertIn("Bob removed the library greet or no longer shares it with you", said)
        self.assertIn("importing Bob's library", said)
        self.assertIn("it is not suspended for that", said)

    def test_unshared_library_does_not_suspend(self) -> None:
        """
        Bob stops sharing greet with Carol: her bell's failures count toward
        Bob, and it answers her again once he shares it again.
        """
        self.s.bob.send("@revoke carol = library greet")
        said = self.rings(3)
        self.assertIsNone(script_of(self.s.thing("bell")).suspended)
        self.assertIn("Bob removed the library greet or no longer shares it with you", said)
        self.assertEqual(self.strikes("bob"), SUSPEND_AFTER)
        self.s.world.clock.advance(61)
        self.s.bob.send("@grant carol = library greet")
        self.s.carol.send("@library/accept bob greet")
        self.assertIn("Hello from greet.", self.s.carol.send("ring bell"))

    def test_others_ringing_not_blamed(self) -> None:
        """
        Alice rings Carol's bell while Bob's greet is gone: her failures are
        Bob's doing, not hers, and the bell does not refuse her.
        """
        self.s.carol.send("drop bell")
        self.s.bob.send("@library/remove greet")
        said = self.rings(4, "alice")
        self.assertNotIn("not answering you", said)
        self.assertEqual(self.strikes("alice"), 0)
        self.assertEqual(self.strikes("bob"), SUSPEND_AFTER)  # (refused: counted no further)
        self.assertIsNone(script_of(self.s.thing("bell")).suspended)

    def test_timers_not_suspended(self) -> None:
        """
        Carol's clock imports greet in its timer: with greet gone, its
        timer fails at every firing and it is not suspended, and it runs
        again once greet is back.
        """
        make(self.s.carol, "clock", CLOCK)
        self.s.world.clock.advance(61)
        self.assertIn("ticks: 1", self.s.carol.send("count clock"))
        self.s.bob.send("@library/remove greet")
        for _ in range(4):
            self.s.world.clock.advance(61)
        self.assertIsNone(script_of(self.s.thing("clock")).suspended)
        self.assertIn("Bob removed the library greet", flat(self.s.carol.output()))
        self.assertIn("ticks: 1", self.s.carol.send("count clock"))
        self.assertIn("it exports hello", library(self.s.bob, "greet", GREET))
        self.s.bob.send("@grant carol = library greet")
        self.s.carol.send("@library/accept bob greet")
        self.s.world.clock.advance(61)
        self.assertIn("ticks: 2", self.s.carol.send("count clock"))

    def test_broken_library_does_not_suspend(self) -> None:
        """
        Bob saves greet broken: three rings of Carol's bell fail, and it is
        not suspended for them.
        """
        library(self.s.bob, "greet", 'exports = ("hello",)\ndef hello(:\n    return 1\n')
        said = self.rings(3)
        self.assertIsNone(script_of(self.s.thing("bell")).suspended)
        self.assertIn("Bob's library greet has problems and cannot be imported", said)
        self.assertEqual(self.strikes("bob"), SUSPEND_AFTER)
        library(self.s.bob, "greet", GREET)
        self.assertIn("Hello from greet.", self.rings(1))

    def test_failing_top_level_does_not_suspend(self) -> None:
        """
        Bob's greet passed its check but its top level fails when Carol's
        copy runs it (as one drawing on chance may): her bell is not
        suspended for it, and she is told the library failed.
        """
        with self.s.world.store.turn() as turn:
            record = libraries.library(turn.root, self.s.bob.session.character_id, "greet")
            record.source = GREET + "\nboom = 1 // 0\n"
            record.version += 1
            self.s.world.server.scripts.library_changed(record.owner, "greet", saved=True)
        said = self.rings(3)
        self.assertIn("ZeroDivisionError", said)
        self.assertIsNone(script_of(self.s.thing("bell")).suspended)
        self.assertEqual(self.strikes("bob"), SUSPEND_AFTER)

    def test_own_import_still_counts(self) -> None:
        """
        A bell whose own code imports nothing it may import is its owner's
        failure: three suspend it, as before.
        """
        make(self.s.carol, "gong", "def verb_hit(actor, *rest):\n    import nothing_here\n")
        for _ in range(3):
            self.s.carol.send("hit gong")
        self.assertIsNotNone(script_of(self.s.thing("gong")).suspended)

    def test_caught_import_error_is_own(self) -> None:
        """
        A script that catches the failing import and then fails of its own
        is blamed for it, not the library's owner.
        """
        make(self.s.carol, "gong", "def verb_hit(actor, *rest):\n    try:\n"
             "        import greet\n    except ImportError:\n        pass\n    1 // 0\n")
        self.s.bob.send("@library/remove greet")
        for _ in range(3):
            self.s.world.clock.advance(61)
            self.s.carol.send("hit gong")
        self.assertIsNotNone(script_of(self.s.thing("gong")).suspended)
