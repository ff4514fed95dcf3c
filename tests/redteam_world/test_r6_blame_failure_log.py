# -*- test-case-name: tests.redteam_world.test_r6_blame_failure_log -*-
"""
Recording a script's failure in its owner's log (C{@script/errors}) is paid
for (issue 9). A failed verb or timer is rolled back whole, and its failure
is counted and remembered in a turn of its own, which no script worked in:
what committing it wrote was charged to nobody. It is now charged to the
owner, with the player whose doing the failure was (the pair of
L{engine.scripts.meters}), as the failed run itself is. Each failure is a
small record of its own (L{world.scripts.ScriptFailure}): the log's older
entries are not written again.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, make

BELL = """
def verb_ring(actor, *rest):
    raise ValueError("cracked " * 200)

def verb_arm(actor, *rest):
    timers.after(5, "clang")

def clang(data):
    raise ValueError("cracked " * 200)
"""


class FailureLogChargeTests(TestCase):
    """
    Bob's cracked bell in the town square.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "bell", BELL)
        self.s.bob.send("drop bell")
        self.meters = self.s.world.server.scripts.meters
        self.bob = self.s.bob.session.character_id
        self.carol = self.s.carol.session.character_id

    def pair_written(self) -> int:
        found = self.meters._pairs.get((self.bob, self.carol))
        return 0 if found is None else found.written.expire(self.s.world.clock.seconds())

    def test_verb_failure_record_charged_to_the_pair(self) -> None:
        """
        Carol's failed ring writes its record to Bob's log, charged to Bob
        with her: at most a few KB, not his whole log.
        """
        for _ in range(2):
            self.s.carol.send("ring bell")
        first = self.pair_written()
        self.assertGreater(first, 0)
        self.s.carol.send("ring bell")
        third = self.pair_written() - first
        self.assertGreater(third, 0)
        self.assertLess(third, 4096)
        self.assertGreaterEqual(self.meters.window(self.bob)[2], first + third)

    def test_timer_failure_record_charged(self) -> None:
        """
        A failed timer Carol's ring set is recorded at her cost with Bob's.
        """
        self.s.carol.send("arm bell")
        before = self.pair_written()
        self.s.world.clock.advance(6)
        self.assertGreater(self.pair_written(), before)

    def test_own_failure_record_charged_to_owner(self) -> None:
        """
        Bob's own failed ring is recorded at his own cost.
        """
        before = self.meters.window(self.bob)[2]
        self.s.bob.send("ring bell")
        self.assertGreater(self.meters.window(self.bob)[2], before)
        self.assertEqual(self.pair_written(), 0)
