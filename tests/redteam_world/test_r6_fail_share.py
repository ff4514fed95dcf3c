# -*- test-case-name: tests.redteam_world.test_r6_fail_share -*-
"""
One player's heavy use of an owner's things rests her use alone (issue 9;
the hole of L{tests.redteam_world.test_r5_share_by_others}). What a player
wakes of an owner's scripts is charged to him and to the pair (him, her);
past L{engine.scripts.runtime.PLAYER_PART} of what others may wake, only
her wakes of his scripts rest: others still use his things, he uses them,
and his own timers run. Bob owns the mill, Carol keeps it busy, Alice
stands by.
"""

from __future__ import annotations

from twisted.internet.task import Clock
from twisted.trial.unittest import TestCase

from engine.scripts import meters
from engine.scripts.meters import CPU_TICKS, CPU_WINDOW, Meters
from engine.scripts.runtime import OWN_RESERVE, PLAYER_PART
from engine.testing import timed_blocks_take
from tests.redteam_world.test_r5_share_by_others import CRUNCH
from tests.scripts.helpers import Scene, flat, make

MILL = """
def on_attach():
    timers.every(5, "turn")

def turn(data):
    state.set("turns", state.get("turns", 0) + 1)
""" + CRUNCH + """
def verb_turns(actor, *rest):
    actor.tell("Turned " + str(state.get("turns", 0)) + " times.")

def on_hear(actor, text):
    if text == "grind":
        n = 0
        for i in range(28000):
            n += i
        here.emote("grinds for " + actor.name + ".")
"""


class PairShareTests(TestCase):
    """
    Bob's mill in the town square; Carol crunches until her part is spent.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        timed_blocks_take(self.s.world, 0.0)  # (shares counted in ticks)
        make(self.s.bob, "mill", MILL)
        self.s.read()

    def crunch_until_resting(self, line: str = "crunch mill") -> list[str]:
        """
        Carol types C{line} until the mill does nothing for her (at most
        sixty times, half a second apart).
        """
        said = []
        for _ in range(60):
            said.append(flat(self.s.carol.send(line) + self.s.carol.output()))
            self.s.world.clock.advance(0.5)
            if "nothing for you" in said[-1]:
                break
        self.assertIn("nothing for you", said[-1])
        return said

    def test_her_use_rests_for_her(self) -> None:
        """
        After many crunches, Carol is told the mill does nothing for her
        just now, and it runs nothing for her.
        """
        said = self.crunch_until_resting()
        self.assertIn("Crunched for Carol.", said[0])
        self.assertIn("mill does nothing for you just now", said[-1])
        self.assertNotIn("Crunched", said[-1])
        self.assertIn("does nothing for you", flat(self.s.carol.send("crunch mill")))

    def test_others_still_use_it(self) -> None:
        """
        While Carol's use rests, Alice and Bob crunch.
        """
        self.crunch_until_resting()
        self.assertIn("Crunched for Alice.", self.s.alice.send("crunch mill"))
        self.assertIn("Crunched for Bob.", self.s.bob.send("crunch mill"))

    def test_owners_timers_run(self) -> None:
        """
        While Carol's use rests, Bob's own timer goes on turning the mill.
        """
        self.crunch_until_resting()
        before = self.s.bob.send("turns mill")
        self.s.world.clock.advance(10)
        after = self.s.bob.send("turns mill")
        self.assertNotEqual(before, after)
        self.assertIn("does nothing for you", flat(self.s.carol.send("crunch mill")))

    def test_her_rest_ends(self) -> None:
        """
        A window after her last crunch, the mill answers Carol again.
        """
        self.crunch_until_resting()
        self.s.world.clock.advance(CPU_WINDOW)
        self.assertIn("Crunched for Carol.", self.s.carol.send("crunch mill"))

    def test_what_she_wakes_rests_too(self) -> None:
        """
        Her words wake the mill's handler until her part is spent: then
        her 'grind' wakes nothing (she is told), and Alice's still does.
        """
        said = self.crunch_until_resting('say grind')
        self.assertIn("grinds for Carol.", said[0])
        self.assertIn("keeps Bob's scripts so busy that they do nothing for you", said[-1])
        self.s.read()
        self.s.carol.send("say grind")
        self.assertNotIn("grinds", self.s.alice.output())
        self.s.alice.send("say grind")
        self.assertIn("grinds for Alice.", self.s.carol.output())

    def test_spends_at_most_her_part(self) -> None:
        """
        What Carol's crunches charged Bob is at most her part of what
        others may wake, and one crunch more.
        """
        said = self.crunch_until_resting()
        ticks = self.s.world.server.scripts.meters.window(self.s.character("Bob").id)[0]
        part = CPU_TICKS * (1 - OWN_RESERVE) * PLAYER_PART
        self.assertGreater(ticks, part)
        self.assertLess(ticks, part + part / (len(said) - 2))


class PairBoundsTests(TestCase):
    """
    The pairs kept are bounded: at MAX_PAIRS, idle ones go first, then
    the least recently charged.
    """

    def setUp(self) -> None:
        self.clock = Clock()
        self.meters = Meters(self.clock, lambda: 0.0)
        self.patch(meters, "MAX_PAIRS", 100)

    def test_bounded(self) -> None:
        """
        However many players wake an owner's scripts, at most MAX_PAIRS
        pairs are kept.
        """
        for player in range(1000):
            self.meters.ticks(1, 10, player)
        self.assertLessEqual(self.meters.pairs(), 100)

    def test_least_recently_charged_go_when_none_idle(self) -> None:
        """
        With no pair idle, a new one makes the least recently charged go (a
        tenth of them at once), never the one just charged.
        """
        for player in range(100):
            self.meters.ticks(1, 10, player)
        self.meters.ticks(1, CPU_TICKS + 1, 0)  # (charged again: the most recent)
        self.meters.ticks(1, 10, 500)
        self.assertEqual(self.meters.pairs(), 91)
        self.assertTrue(self.meters.pair_resting(1, 0, 1.0))
        self.meters.ticks(1, 10, 1)
        self.assertFalse(self.meters.pair_resting(1, 1, 1.0))

    def test_busy_pair_kept(self) -> None:
        """
        A pair still spending in its window is kept when idle ones can go.
        """
        for player in range(99):
            self.meters.ticks(1, 10, 1000 + player)
        self.clock.advance(CPU_WINDOW)
        self.meters.ticks(1, CPU_TICKS + 1, 7)  # (the 100th, resting)
        self.meters.ticks(1, 10, 9)
        self.assertTrue(self.meters.pair_resting(1, 7, 1.0))
        self.assertEqual(self.meters.pairs(), 2)

    def test_owner_charged_too(self) -> None:
        """
        What a pair is charged, its owner is charged.
        """
        self.meters.ticks(1, 500, 7)
        self.assertEqual(self.meters.window(1)[0], 500)
        self.assertNotIn((1, 7), self.meters.owners())
