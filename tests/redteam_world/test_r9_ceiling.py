# -*- test-case-name: tests.redteam_world.test_r9_ceiling -*-
"""
The meters' clock leaves the garbage collector's pauses out (issue 9, round
9), so that nobody can time a full collection into another's turn.
"""

from __future__ import annotations

import gc
from typing import Any

from twisted.internet.task import Clock
from twisted.trial.unittest import TestCase

from engine.scripts import meters
from engine.scripts.meters import Meters
from scripting import clocks


class PauseTests(TestCase):
    """
    The meters' clock stands still while the garbage collector runs.
    """

    def test_a_collection_is_charged_to_nobody(self) -> None:
        """
        A full collection inside a timed block (an attacker's allocations
        brought it on) is not charged to the block's owner; the rest of the
        block is.
        """
        now = [0.0]
        self.patch(meters, "perf_counter", lambda: now[0])

        def forget() -> None:  # (the process's pause-free clock over the fake counter)
            found = clocks._clocks.pop(meters.perf_counter, None)
            if found is not None:
                found.close()

        self.addCleanup(forget)

        def slow(phase: str, info: dict[str, Any]) -> None:
            if phase == "start":
                now[0] += 5.0  # (the collection takes five seconds)

        m = Meters(Clock())
        gc.callbacks.append(slow)
        self.addCleanup(gc.callbacks.remove, slow)
        with m.timing(7):
            now[0] += 0.25
            gc.collect()
        self.assertEqual(m.window(7)[1], 0.25)
        self.assertFalse(m.resting(7))
