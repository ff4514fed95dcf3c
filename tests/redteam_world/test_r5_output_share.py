# -*- test-case-name: tests.redteam_world.test_r5_output_share -*-
"""
One player cannot silence a thing for everyone else by making it talk to
her. What a script sends is held to its owner's output rate (5 messages a
second, 40 at once), so that no owner's scripts flood the server; but the
rate was the owner's alone, whoever made the script talk: Carol, typing
'recite' (twenty-one lines told to her) two or three times, spent it all,
and Bob's bell answered nobody else -- Alice's 'ring bell' showed nothing at
all, and nobody was told why. The world's own content shares one owner, so
two readings of a long notice board silenced every content script (doors,
bells, vending machines) for every player. What a player's own command or
action wakes is held to a rate of its own, hers with that owner. (Found by
redteam, round 5.)
"""

from __future__ import annotations

import os

from twisted.internet.task import Clock
from twisted.trial.unittest import TestCase

from engine.scripts import meters
from engine.testing import TestWorld
from tests.scripts.helpers import Scene, content_folder, make

BELL = """
def verb_recite(actor, *rest):
    for n in range(21):
        actor.tell("Verse " + str(n))

def verb_ring(actor, *rest):
    actor.tell("The bell rings for " + actor.name + ".")

def on_look(actor):
    for n in range(21):
        actor.tell("Engraving " + str(n))
"""

HALL = ('[rooms.hall]\nname = "Hall"\ndescription = "A hall."\nstart = true\n'
        'script = "hall.py"\n')


class OwnersBellTests(TestCase):
    """
    Bob's bell in the town square; Carol makes it talk to her, a lot.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "bell", BELL)
        self.s.read()

    def test_verbs_of_another(self) -> None:
        """
        Carol's three recitals leave Bob's bell answering Alice.
        """
        for _ in range(3):
            self.s.carol.send("recite bell")
        self.assertIn("The bell rings for Alice.", self.s.alice.send("ring bell"))

    def test_handlers_of_another(self) -> None:
        """
        Nor do Carol's three looks at the bell (its on_look telling her
        twenty-one lines) silence it for Alice.
        """
        for _ in range(3):
            self.s.carol.send("look bell")
        self.assertIn("Engraving 20", self.s.alice.send("look bell"))

    def test_one_player_still_held(self) -> None:
        """
        Carol herself is still held to the rate: her third recital shows
        fewer than its twenty-one verses.
        """
        said = [self.s.carol.send("recite bell") for _ in range(3)]
        self.assertIn("Verse 20", said[0])
        self.assertNotIn("Verse 20", said[2])


class WorldContentTests(TestCase):
    """
    The world's own hall answers 'recite' and 'chime' (its content, owned by
    nobody).
    """

    def setUp(self) -> None:
        directory = content_folder(os.path.abspath(self.mktemp()), {
            "hall.toml": HALL,
            "hall.py": BELL.replace("verb_ring", "verb_chime"),
        })
        self.world = TestWorld(content=directory, build=None)
        self.addCleanup(self.world.close)
        self.alice = self.world.login("Alice")
        self.carol = self.world.login("Carol")
        self.alice.output()

    def test_content_answers_everyone(self) -> None:
        """
        Carol's three recitals leave the hall answering Alice's 'chime'.
        """
        for _ in range(3):
            self.carol.send("recite")
        self.assertIn("The bell rings for Alice.", self.alice.send("chime"))


class RatesKeptTests(TestCase):
    """
    The rates kept for owners with players are bounded: full ones (as good
    as new) are forgotten once there are L{meters.MAX_RATES}.
    """

    def test_full_rates_forgotten(self) -> None:
        self.patch(meters, "MAX_RATES", 10)
        clock = Clock()
        kept = meters.Meters(clock)
        for player in range(30):
            self.assertTrue(kept.send((1, player)))
            clock.advance(1)  # each is full again a second on
        self.assertLessEqual(len(kept._output), 10)
        for _ in range(meters.OUTPUT_BURST):
            kept.send((1, 99))
        self.assertFalse(kept.send((1, 99)))  # the one in use is kept, and spent
