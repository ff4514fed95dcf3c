# -*- test-case-name: tests.redteam_world.test_r9_fair_pet -*-
"""
Issue 9, round 9: Biscuit is everyone's dog in turn.

The first player to pet Biscuit kept him for good: he followed her
everywhere, and everyone else got a polite sniff for ever. Now he goes
with whoever pets him when he is free for a walk (content/world/pet.py's
WALK), then trots home to the harbour wall and waits for the next; the
friend he just left cannot have him again for a while (REST), so the next
turn is someone else's.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.testing import TestWorld
from tests.content.test_default_world import DEFAULT

#: content/world/pet.py's walk and rest, in seconds.
WALK = 900
REST = 600


class BiscuitTurnTests(TestCase):
    """
    Alice and Bob on the harbour wall, where Biscuit waits.
    """

    def setUp(self) -> None:
        self.world = TestWorld(content=DEFAULT, build=None)
        self.addCleanup(self.world.close)
        self.alice = self.world.login("Alice")
        self.bob = self.world.login("Bob")
        self.alice.output()

    def test_he_goes_home_after_a_walk(self) -> None:
        """
        Alice walks him to the market; a walk later he trots home, and
        Bob, at the harbour, can have him.
        """
        self.assertIn("decides he is Alice's dog now", self.alice.send("pet dog"))
        self.alice.send("north")
        self.assertIn("Biscuit", self.alice.send("look"))
        self.bob.send("north")
        self.assertIn("looks round for Alice", self.bob.send("pet dog"))
        self.bob.send("south")
        self.world.clock.advance(WALK + 1)
        self.assertIn("trots off home", self.alice.output())
        self.assertNotIn("Biscuit", self.alice.send("look"))
        self.assertIn("Biscuit", self.bob.send("look"))
        self.assertIn("decides he is Bob's dog now", self.bob.send("pet dog"))
        self.bob.send("east")
        self.assertIn("Biscuit", self.bob.send("look"))

    def test_not_the_same_friend_at_once(self) -> None:
        """
        Home from Alice's walk, he waits for someone else: Alice's pet is
        declined until REST is over; Bob's is not.
        """
        self.alice.send("pet dog")
        self.world.clock.advance(WALK + 1)
        self.assertIn("waits for someone else", self.alice.send("pet dog"))
        self.world.clock.advance(REST + 1)
        self.assertIn("decides he is Alice's dog now", self.alice.send("pet dog"))

    def test_another_turns_up_first(self) -> None:
        """After Alice's walk, Bob pets him first: Bob's dog now."""
        self.alice.send("pet dog")
        self.world.clock.advance(WALK + 1)
        self.assertIn("decides he is Bob's dog now", self.bob.send("pet dog"))
        self.assertIn("looks round for Bob", self.alice.send("pet dog"))

    def test_a_cut_short_walk_does_not_shorten_the_next(self) -> None:
        """
        Alice revokes him halfway through her walk; Bob takes him; when
        Alice's walk would have ended, he is still Bob's.
        """
        self.alice.send("pet dog")
        self.world.clock.advance(WALK // 2)
        self.alice.send("@holders/revoke all")
        self.assertIn("decides he is Bob's dog now", self.bob.send("pet dog"))
        self.world.clock.advance(WALK // 2 + 10)
        self.assertIn("looks round for Bob", self.alice.send("pet dog"))
        self.world.clock.advance(WALK // 2)
        self.assertIn("decides he is Alice's dog now", self.alice.send("pet dog"))

    def test_revoking_makes_no_endless_walk(self) -> None:
        """
        Alice revokes and pets him again at once, to start a fresh walk:
        her walk is over, and she rests like any friend he has left.
        """
        self.alice.send("pet dog")
        self.alice.send("@holders/revoke all")
        self.assertIn("waits for someone else", self.alice.send("pet dog"))
        self.assertIn("decides he is Bob's dog now", self.bob.send("pet dog"))
