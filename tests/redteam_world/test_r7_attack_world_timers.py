# -*- test-case-name: tests.redteam_world.test_r7_attack_world_timers -*-
"""
The key's holder cannot use up the world's timers (issue 9, round 7).

Each 'open door' of the iron key's holder set the door a new timer to
swing shut a minute later, however many were pending: opening and closing
it twenty times in a few seconds took all twenty timers the world's
scripts may have pending, and until they fired every world script that
sets one failed: the door itself, and the vending machine, which kept the
coin put in it (the failed handler was rolled back, the coin stayed in the
sealed machine, and no timer would ever roll it back out). Now the door
keeps one timer to shut it (a new opening puts it off), and a machine
that cannot set its timer gives the coin straight back.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.testing import TestWorld
from scripting.facets import accounting
from tests.content.test_default_world import DEFAULT
from tests.content.test_scripted import walk
from tests.scripts.helpers import flat


class DoorTimerTests(TestCase):
    """
    Alice holds the iron key in the cellar; Bob is in the fish market.
    """

    def setUp(self) -> None:
        self.world = TestWorld(content=DEFAULT, build=None)
        self.addCleanup(self.world.close)
        self.alice = self.world.login("Alice")
        self.bob = self.world.login("Bob", address="10.0.0.2")
        walk(self.alice, "north", "north", "west", "up")
        self.alice.send("get key from bag")
        walk(self.alice, "down", "down")
        walk(self.bob, "north")
        self.alice.output()
        self.bob.output()

    def slam(self, times: int = 25) -> None:
        for _ in range(times):
            self.world.clock.advance(0.2)
            self.assertIn("groans open", self.alice.send("open door"))
            self.world.clock.advance(0.2)
            self.alice.send("close door")

    def world_timers(self) -> int:
        with self.world.store.turn() as turn:
            return accounting.usage(turn.root, None).timers

    def test_one_timer_for_the_door(self) -> None:
        """
        Twenty-five openings leave the door one timer to shut it.
        """
        before = self.world_timers()
        self.slam()
        self.assertEqual(self.world_timers(), before + 1)

    def test_machine_still_sells(self) -> None:
        """
        After the slamming, Bob's coin still buys whelks.
        """
        self.slam()
        self.bob.send("get shilling")
        said = flat(self.bob.send("put shilling in machine"))
        self.assertIn("drops a paper twist of whelks into its tray for Bob", said)

    def test_shut_a_minute_after_the_last_opening(self) -> None:
        """
        Opened again before it shut, the door shuts a minute after the last
        opening, not the first.
        """
        self.assertIn("groans open", self.alice.send("open door"))
        self.world.clock.advance(30)
        self.alice.send("close door")
        self.assertIn("groans open", self.alice.send("open door"))
        self.world.clock.advance(45)
        self.assertNotIn("swings shut", self.alice.output())
        self.world.clock.advance(16)
        self.assertIn("swings shut", self.alice.output())


class MachineWithoutTimersTests(TestCase):
    """
    The world has no timers left when Bob pays.
    """

    def test_coin_comes_back(self) -> None:
        """
        A machine that cannot set its restock timer sells nothing and gives
        the coin straight back into its tray.
        """
        world = TestWorld(content=DEFAULT, build=None)
        self.addCleanup(world.close)
        bob = world.login("Bob")
        walk(bob, "north")
        with world.store.turn() as turn:
            accounting.set_quota(turn.root, None, timers=accounting.usage(turn.root, None).timers)
        bob.send("get shilling")
        said = flat(bob.send("put shilling in machine"))
        self.assertNotIn("failed", said)
        self.assertIn("shilling", flat(bob.send("look")))
        self.assertIn("You pick up the silver shilling", bob.send("get shilling"))
