"""
An owner whose timer waits is told the real reason (issue 9): his own
share spent, the server's ceiling holding him, or the player whose doing
set the timer held for the ceiling or resting for what she wakes of his
scripts; not always "your scripts rest".
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.scripts import meters
from tests.engine.test_timer_rest import DOOR
from tests.scripts.helpers import Scene, flat, make


class WaitReasonTests(TestCase):
    """
    Bob's door relocks ten seconds after it is opened; when its timer
    falls due, one reason or another holds it back.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "door", DOOR)
        self.clock = self.s.world.clock
        self.clock.advance(meters.CPU_WINDOW)
        self.runtime = self.s.world.server.scripts
        self.bob_id = self.s.character("Bob").id
        self.carol_id = self.s.character("Carol").id
        self.s.read()

    def hold(self, name: str, account: int, seconds: float = 30) -> None:
        """
        Make C{name} (a method of the meters or of the runtime) say that
        C{account} (or the pair ending with it) waits C{seconds} more.
        """
        target = self.runtime if name == "pair_rests_until" else self.runtime.meters
        real = getattr(target, name)

        def held(*args, **kwargs):
            who = args[1] if name == "pair_rests_until" else args[0]
            if who == account:
                return self.clock.seconds() + seconds
            return real(*args, **kwargs)
        self.patch(target, name, held)

    def told_bob(self, opener) -> str:
        self.assertIn("opened", opener.send("open door"))
        self.s.bob.output()
        self.clock.advance(10)
        self.assertNotIn("clicks shut", self.s.carol.output())
        return flat(self.s.bob.output())

    def test_cause_held_for_the_ceiling(self) -> None:
        """
        Carol opened the door, and she is held for the server's ceiling:
        Bob is told it is her doing, not that his scripts rest.
        """
        self.hold("held_until", self.carol_id)
        said = self.told_bob(self.s.carol)
        self.assertIn("The server's scripts are busy, and Carol, whose doing set this timer, "
                      "took more than her part of its time (not you), so your timers wait: "
                      "'relock' on door", said)
        self.assertNotIn("Your scripts rest", said)

    def test_owner_held_for_the_ceiling(self) -> None:
        """
        Bob opened it himself, and he is held for the server's ceiling.
        """
        self.hold("held_until", self.bob_id)
        said = self.told_bob(self.s.bob)
        self.assertIn("The server's scripts are busy, and yours took more than their part "
                      "of its time (@quota), so your timers wait: 'relock' on door", said)
        self.assertIn("in 30 seconds", said)
        self.assertNotIn("Your scripts rest", said)

    def test_cause_resting_for_what_she_wakes(self) -> None:
        """
        What Carol wakes of Bob's scripts rests (her part of them spent).
        """
        self.hold("pair_rests_until", self.carol_id)
        said = self.told_bob(self.s.carol)
        self.assertIn("What Carol does keeps your scripts so busy that what her doing set "
                      "rests for now (only what she sets off), so your timers wait: 'relock' "
                      "on door", said)
        self.assertNotIn("Your scripts rest", said)

    def test_each_reason_told_once_a_window(self) -> None:
        """
        Told once for a reason within a window, however many timers wait
        for it; told again for another.
        """
        self.hold("held_until", self.carol_id, 300)
        said = self.told_bob(self.s.carol)
        self.assertEqual(said.count("timers wait"), 1, said)
        said = self.told_bob(self.s.carol)
        self.assertEqual(said.count("timers wait"), 0, said)
        self.hold("held_until", self.bob_id, 300)
        said = self.told_bob(self.s.bob)
        self.assertEqual(said.count("timers wait"), 1, said)
        self.assertIn("yours took more", said)
