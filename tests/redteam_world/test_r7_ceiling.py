"""
A ceiling on the server's time all owners' scripts take together: each
owner may take L{meters.CPU_SECONDS} a minute, but twenty alts each taking
that kept a core busy. Past L{meters.SERVER_SECONDS} in the window, owners
who took more than an equal part of it rest, the heaviest first; those who
took less (the honest players) go on; the world's own scripts are the
game's and are not held to it.
"""

from __future__ import annotations

from twisted.internet.task import Clock
from twisted.trial.unittest import TestCase

from engine.scripts import meters
from engine.scripts.meters import Meters
from tests.scripts.helpers import Scene, make


class CeilingTests(TestCase):
    """
    L{Meters.resting} once the server's scripts are over the ceiling.
    """

    def setUp(self) -> None:
        self.clock = Clock()
        self.meters = Meters(self.clock, lambda: 0.0)

    def spend(self, owners: range, seconds: float) -> None:
        for owner in owners:
            self.meters.seconds(owner, seconds)

    def test_alts_under_their_own_share_rest_together(self) -> None:
        """
        Twenty owners each under his own share but over the ceiling
        together: all rest (each took more than an equal part), while an
        owner who took little goes on.
        """
        each = meters.CPU_SECONDS * 0.9
        self.assertGreater(20 * each, meters.SERVER_SECONDS)
        self.spend(range(100, 120), each)
        self.meters.seconds(7, 0.05)
        self.assertTrue(self.meters.server_busy())
        self.assertEqual([o for o in range(100, 120) if not self.meters.resting(o)], [])
        self.assertFalse(self.meters.resting(7))

    def test_no_ceiling_below_it(self) -> None:
        """
        Under the ceiling only each owner's own share counts.
        """
        each = meters.CPU_SECONDS * 0.9
        count = int(meters.SERVER_SECONDS // each)
        self.spend(range(100, 100 + count), each)
        self.assertFalse(self.meters.server_busy())
        self.assertFalse(any(self.meters.resting(o) for o in range(100, 100 + count)))

    def test_heaviest_rest_first(self) -> None:
        """
        Over the ceiling, an owner who took less than an equal part goes
        on, one who took more rests.
        """
        self.spend(range(100, 110), meters.CPU_SECONDS * 0.95)
        self.spend(range(200, 230), 0.01)
        self.meters.seconds(300, meters.SERVER_SECONDS)  # (his own share past too)
        self.assertTrue(self.meters.server_busy())
        part = self.meters.fair_seconds()
        self.assertLess(0.01, part)
        self.assertLess(part, meters.CPU_SECONDS * 0.95)
        self.assertTrue(all(self.meters.resting(o) for o in range(100, 110)))
        self.assertFalse(any(self.meters.resting(o) for o in range(200, 230)))

    def test_until_the_window_passes(self) -> None:
        self.spend(range(100, 120), meters.CPU_SECONDS * 0.9)
        self.assertTrue(self.meters.resting(100))
        until = self.meters.rests_until(100)
        self.assertIsNotNone(until)
        self.clock.advance(meters.CPU_WINDOW)
        self.assertFalse(self.meters.server_busy())
        self.assertFalse(self.meters.resting(100))

    def test_world_not_held(self) -> None:
        """
        The world's own scripts (owner None) are the game's: the ceiling
        does not rest them; what they take counts toward it.
        """
        self.spend(range(100, 120), meters.CPU_SECONDS * 0.9)
        self.meters.seconds(None, meters.CPU_SECONDS * 0.9)
        self.assertTrue(self.meters.server_busy())
        self.assertFalse(self.meters.resting(None))
        self.assertTrue(self.meters.resting(100))

    def test_players_wakes_of_the_world_count(self) -> None:
        """
        What players wake of the world's scripts, charged to their pairs
        alone, is still the server's time.
        """
        for player in range(100, 120):
            self.meters.seconds(None, meters.CPU_SECONDS * 0.9, player)
        self.assertTrue(self.meters.server_busy())

    def test_a_new_owner_is_counted_at_once(self) -> None:
        """
        The equal part is recounted when an owner first spends, even
        within the same second.
        """
        self.spend(range(100, 120), meters.CPU_SECONDS * 0.9)
        before = self.meters.fair_seconds()
        self.spend(range(200, 220), 0.001)
        self.assertLess(self.meters.fair_seconds(), before)


BUSY = """
def ping(data):
    timers.after(1, "ping")

timers.after(1, "ping")

def verb_poke(actor, *rest):
    actor.tell("poked")
"""


class ServerTests(TestCase):
    """
    Through the harness: an owner whose timers take more than an equal
    part of a busy server rests, and @quota says why; a light owner's verb
    still answers.
    """

    def test_quota_says_the_server_is_busy(self) -> None:
        s = Scene()
        self.addCleanup(s.world.close)
        make(s.alice, "drum", BUSY)
        make(s.bob, "bell", BUSY.replace("poked", "rung"))
        s.read()
        runtime = s.world.server.scripts
        alice, bob = s.character("Alice").id, s.character("Bob").id
        for owner in range(1000, 1020):
            runtime.meters.seconds(owner, meters.CPU_SECONDS * 0.9)
        runtime.meters.seconds(alice, meters.CPU_SECONDS * 0.9)
        self.assertTrue(runtime.resting(alice, own=True))
        self.assertFalse(runtime.resting(bob, own=True))
        said = s.alice.send("@quota")
        self.assertIn("The server's scripts are busy", said)
        self.assertIn("resting", said)
        self.assertIn("rung", s.carol.send("poke bell"))
        self.assertNotIn("poked", s.carol.send("poke drum"))
