# -*- test-case-name: tests.redteam_world.test_r7_attack_world_share -*-
"""
A few players cannot put the world's own things to rest for everyone
(issue 9, round 7).

The world's scripts (the default world's door, bell, dog, board, vending
machine, clock) are one owner's, the world's, and shared its one share
of the server like any owner's: what players woke of them rested for
everyone once three players together (no alts needed: three friends
reading the notice board at the command rate, measured at about 1.4 ms a
read) had spent what others may wake; then the iron-bound door opened for
nobody. The world's things are the game's own, woken by every player:
what each player wakes of them is charged to her alone (the pair: past
L{engine.scripts.runtime.PLAYER_PART} of the share, her wakes rest), never
to a share of the world's that everyone else's wakes would wait on; the
world's own timers keep the world's share to themselves.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.testing import TestWorld, timed_blocks_take
from tests.content.test_default_world import DEFAULT
from tests.content.test_scripted import walk
from tests.scripts.helpers import flat

#: What each timed block of the server costs here (seconds).
BLOCK = 0.05


class WorldShareTests(TestCase):
    """
    Three players ring the Drowned Bell's bell until it does nothing for
    them; Dora comes in after.
    """

    def setUp(self) -> None:
        self.world = TestWorld(content=DEFAULT, build=None)
        self.addCleanup(self.world.close)
        timed_blocks_take(self.world, BLOCK)
        self.ringers = [self.world.login(name, address=f"10.0.0.{n}")
                        for n, name in enumerate(("Ann", "Ben", "Cal"), 1)]
        self.dora = self.world.login("Dora", address="10.0.0.9")
        for player in (*self.ringers, self.dora):
            walk(player, "north", "north", "west")
            player.output()

    def ring_until_resting(self, player) -> None:
        for _ in range(200):
            said = flat(player.send("ring bell") + player.output())
            self.world.clock.advance(0.1)
            if "does nothing" in said:
                return
        self.fail("the bell never rested for " + said)

    def test_others_still_ring(self) -> None:
        """
        After three players each spent their part of what the bell's
        owner (the world) may be woken for, Dora's ring still clangs.
        """
        for player in self.ringers:
            self.ring_until_resting(player)
        self.dora.output()
        said = flat(self.dora.send("ring bell"))
        self.assertIn("clangs: DONG!", said)
