# -*- test-case-name: tests.redteam_world.test_r9_strikes_timers -*-
"""
A one-shot timer a refused player's doing set waits until the script
answers her again, as a repeating one does (issue 9). Before, it fell due
while the script refused her and was used up unrun: Bob's trough took
Carol's hay and never ate it (and so anyone whose doing set a timer on
another's thing could have it dropped by getting refused before it fell
due). Now it is postponed, once, to when the refusal ends, then runs;
Bob is told once that her timers wait. And when the refusal goes before
its end (Bob saves the script anew, which forgives her; or room is made
for others' refusals), the timers that waited for it are due at once,
not at the end they were put off to (before, they waited on, up to
L{strikes.REFUSE_SECONDS}, for a refusal that was no more).
"""

from __future__ import annotations

from twisted.internet.task import Clock
from twisted.trial.unittest import TestCase

from engine.scripts import strikes
from engine.scripts.strikes import REFUSE_SECONDS, SUSPEND_AFTER, Strikes
from scripting.facets import timers as _timers
from tests.redteam_world.test_r6_blame_timers import TROUGH
from tests.scripts.helpers import Scene, flat, make, script


class RefusedOneShotTests(TestCase):
    """
    Bob's trough in the town square; Carol feeds it hay, then poison
    three times, all at once: the poisons' timers refuse her, and the
    hay's falls due after.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "trough", TROUGH)
        self.s.bob.send("drop trough")
        for _ in range(SUSPEND_AFTER):
            self.s.carol.send("feed poison to trough")
        self.s.carol.send("feed hay to trough")
        self.s.read()
        self.s.world.clock.advance(5)
        self.refused_at = self.s.world.clock.seconds()

    def digests(self) -> list[_timers.Timer]:
        trough = self.s.thing("trough")
        with self.s.world.store.turn() as turn:
            return [t for t in _timers.timers_on(turn.root, trough) if t.handler == "digest"]

    def count(self) -> str:
        return flat(self.s.bob.send("count trough"))

    def test_waits_for_the_refusal_to_end(self) -> None:
        """
        The hay's timer is kept, due when the refusal ends, not eaten
        meanwhile; Bob is told once.
        """
        told = flat(self.s.bob.output())
        self.assertIn("not answering you", flat(self.s.carol.send("count trough")))
        [timer] = self.digests()
        self.assertEqual(_timers.data_of(timer), "hay")
        self.assertEqual(timer.due, self.refused_at + REFUSE_SECONDS)
        self.assertIn("eaten 0", self.count())
        self.s.world.clock.advance(60)
        told += flat(self.s.bob.output())
        self.assertEqual(told.count("wait until its script answers Carol again"), 1)
        self.assertIn("The timers that Carol's doing set on trough wait until its script "
                      "answers Carol again, in 10 minutes", told)

    def test_runs_when_it_ends(self) -> None:
        """
        Once the refusal ends, the hay is eaten, as her doing, and the
        timer is gone.
        """
        for _ in range(round(REFUSE_SECONDS / 60)):
            self.s.world.clock.advance(60)
        self.s.world.clock.advance(1)
        self.assertIn("eaten 1", self.count())
        self.assertEqual(self.digests(), [])
        self.assertIn("The trough takes hay.", flat(self.s.carol.send("feed hay to trough")))

    def test_saving_anew_releases_it(self) -> None:
        """
        Bob saves the trough anew: Carol is forgiven, and her hay is
        eaten at once, not ten minutes on.
        """
        self.s.world.clock.advance(60)
        self.assertIn("eaten 0", self.count())
        self.assertIn("Saved the script on trough", flat(script(self.s.bob, "trough",
                                                                TROUGH + "# again\n")))
        self.s.world.clock.advance(1)
        self.assertIn("eaten 1", self.count())
        self.assertEqual(self.digests(), [])


BOB = 2
CAROL = 100
VERSION = 1


class ReleasedTests(TestCase):
    """
    L{Strikes.released}: which refusals gone early let their timers go.
    """

    def setUp(self) -> None:
        self.clock = Clock()
        self.strikes = Strikes(self.clock)

    def refuse(self, script: int, player: int, owner: int | None = BOB) -> None:
        for _ in range(SUSPEND_AFTER):
            self.strikes.fail(script, VERSION, player, owner)

    def test_forgiven(self) -> None:
        """
        A refusal forgiven (its script saved anew) releases the timers
        that wait for it, once.
        """
        self.refuse(1, CAROL)
        self.strikes.waits(1, VERSION, CAROL, BOB, 77)
        self.strikes.waits(1, VERSION, CAROL, BOB, 78)
        self.assertEqual(self.strikes.released(), [])
        self.strikes.forgive(1)
        self.assertEqual(sorted(self.strikes.released()), [(77, CAROL), (78, CAROL)])
        self.assertEqual(self.strikes.released(), [])

    def test_ended_releases_nothing(self) -> None:
        """
        A refusal that ended in its time releases nothing (its timers are
        due then anyway).
        """
        self.refuse(1, CAROL)
        self.strikes.waits(1, VERSION, CAROL, BOB, 77)
        self.clock.advance(REFUSE_SECONDS)
        self.strikes.forgive(1)
        self.assertEqual(self.strikes.released(), [])

    def test_dropped_for_room(self) -> None:
        """
        A refusal dropped to make room releases its timers.
        """
        self.patch(strikes, "MAX_STRIKES", 4)  # (2 refusals)
        self.refuse(1, CAROL)
        self.strikes.waits(1, VERSION, CAROL, BOB, 77)
        self.clock.advance(1)
        self.refuse(2, CAROL)
        self.refuse(3, 101)  # (Carol's ending soonest goes)
        self.assertIsNone(self.strikes.refused_until(1, VERSION, CAROL, BOB))
        self.assertEqual(self.strikes.released(), [(77, CAROL)])

    def test_owner_wide_keeps_them(self) -> None:
        """
        Refusals an owner-wide one takes the place of release nothing:
        the timers wait on (they fall due no later, and wait again).
        """
        self.patch(strikes, "PER_OWNER", 1)
        self.refuse(1, CAROL)
        self.strikes.waits(1, VERSION, CAROL, BOB, 77)
        self.refuse(2, CAROL)
        self.assertTrue(self.strikes.owner_wide(CAROL, BOB))
        self.assertEqual(self.strikes.released(), [])
