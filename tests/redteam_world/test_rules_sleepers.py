"""
Whispering and giving beside an army of idle characters parked asleep
(issue 9): C{whisper} and C{give} find the one named through the room's
list of its characters, which keeps their names, as C{look} does, not by
reading every sleeper (each whisper beside 2,000 sleepers read them all).
Measured in objects loaded from the database, never a clock.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.testing import TestWorld
from tests.redteam_world import test_sleepers
from tests.redteam_world.test_crowded_rooms import loaded
from tests.redteam_world.test_sleepers import ARMY, FEW
from world.objects import Thing


class WhisperGiveTests(TestCase):
    """
    Carol whispers to Alice, and gives her a pebble, beside ten sleepers
    and beside two thousand, in the town square.
    """

    world = test_sleepers.SleepingArmyTests.world
    square = test_sleepers.SleepingArmyTests.square

    def bounded(self, line: str) -> tuple[str, str]:
        """
        Check that Carol's C{line} loads about as many objects beside
        L{ARMY} sleepers as beside ten (a deeper B-tree of the square's
        list of characters, never the sleepers), with a pebble in her
        hands; return what she was told and what Alice heard beside the
        army.
        """
        counts = []
        said = heard = ""
        for sleepers in (10, ARMY):
            world, alice, carol = self.square(sleepers)
            self.pebble(world)
            world.clock.advance(1)
            alice.output()
            count = loaded(world.store)
            said = carol.send(line)
            counts.append(count())
            heard = alice.output()
        self.assertLess(counts[1], counts[0] + FEW + ARMY // 25, counts)
        return said, heard

    def pebble(self, world: TestWorld) -> None:
        with world.store.turn() as turn:
            carol = next(o for o in turn.root.all() if o.name == "Carol")
            turn.root.create(Thing, "pebble", location=carol)

    def test_whisper(self) -> None:
        said, heard = self.bounded("whisper alice = the vault is open")
        self.assertIn('You whisper to Alice, "the vault is open"', said)
        self.assertIn('Carol whispers to you, "the vault is open"', heard)

    def test_whisper_to_a_sleeper(self) -> None:
        said, _ = self.bounded("whisper sleeper7 = wake up")
        self.assertIn('You whisper to Sleeper7, "wake up"', said)

    def test_whisper_to_nobody(self) -> None:
        said, _ = self.bounded("whisper wombat = hello")
        self.assertIn("You don't see 'wombat' here.", said)

    def test_whisper_to_oneself(self) -> None:
        said, _ = self.bounded("whisper carol = hello")
        self.assertIn("You don't see 'carol' here.", said)

    def test_give(self) -> None:
        said, heard = self.bounded("give pebble to alice")
        self.assertIn("You give the pebble to Alice.", said)
        self.assertIn("Carol gives you a pebble.", heard)

    def test_give_to_nobody(self) -> None:
        said, _ = self.bounded("give pebble to wombat")
        self.assertIn("You don't see 'wombat' here.", said)
