# -*- test-case-name: tests.redteam_world.test_r9_strikes_timers -*-
"""
A one-shot timer a refused player's doing set waits until the script
answers her again, as a repeating one does (issue 9). Before, it fell due
while the script refused her and was used up unrun: Bob's trough took
Carol's hay and never ate it (and so anyone whose doing set a timer on
another's thing could have it dropped by getting refused before it fell
due). Now it is postponed, once, to when the refusal ends, then runs;
Bob is told once that her timers wait.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.scripts.strikes import REFUSE_SECONDS, SUSPEND_AFTER
from scripting.facets import timers as _timers
from tests.redteam_world.test_r6_blame_timers import TROUGH
from tests.scripts.helpers import Scene, flat, make


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
