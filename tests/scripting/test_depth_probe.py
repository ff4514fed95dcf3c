"""The depth probe (L{Task._too_deep}) first looks for a frame where the task began (issue 11
§3): on a stack with more than a few frames under the task's start it raises nothing while
the stack is shallow (raising and catching C{ValueError} was most of a refill's cost), and
at every height it answers as counting the frames does."""

from __future__ import annotations

import random
import sys
import threading
from collections.abc import Callable
from types import FrameType

from twisted.trial import unittest

from scripting import task as task_module
from scripting.task import DEEP, DEEPER, MID, NEAR, REFILL, Budget, Task

HEIGHTS = range(1, 150)


def expected_window(base: FrameType) -> int:
    """The window a probe made from the caller's frame should find: the frames above
    C{base} (where the task began), counted one by one, the probe's own included."""
    above = 1  # the probe's own frame
    frame: FrameType | None = sys._getframe(1)
    while frame is not None and frame is not base:
        above += 1
        frame = frame.f_back
    assert frame is base
    return REFILL if above <= DEEP else MID if above <= DEEPER else NEAR


def at_height(n: int, then: Callable[[], object]) -> object:
    """Call C{then} from C{n} frames above this one."""
    if n <= 0:
        return then()
    return at_height(n - 1, then)


class DepthProbeTests(unittest.TestCase):
    def probe_everywhere(self, under: int, heights: list[int]) -> tuple[list, int]:
        """Enter a task C{under} frames above this one, probe at every height, and return
        the mismatches (height, window found, window expected) and how many probes raised
        C{ValueError} inside the probe while the stack was shallow."""
        mismatches: list = []
        raised = [0]
        real = sys._getframe

        def counting(depth: int = 0) -> FrameType:
            try:
                return real(depth + 1)
            except ValueError:
                raised[0] += 1
                raise

        def run() -> None:
            task = Task(Budget(depth=60), "m")
            base = sys._getframe(0)
            with task:
                for height in heights:
                    def probe(height: int = height) -> None:
                        want = expected_window(base)
                        before = raised[0]
                        self.patch(task_module, "_getframe", counting)
                        self.patch(sys, "_getframe", counting)
                        try:
                            task._too_deep()
                        finally:
                            sys._getframe = real
                            task_module._getframe = real
                        if task.window != want:
                            mismatches.append((height, task.window, want))
                        if want == REFILL and height > 4:
                            raised.append(raised[0] - before)
                    at_height(height, probe)

        at_height(under, run)
        return mismatches, sum(raised[1:])

    def test_same_answer_on_a_deep_stack(self) -> None:
        """Entered 60 frames above this test's (already deep) stack: the same window as
        counting at every height, and no ValueError while shallow."""
        mismatches, raised = self.probe_everywhere(60, list(HEIGHTS))
        self.assertEqual(mismatches, [])
        self.assertEqual(raised, 0)

    def test_same_answer_in_any_order(self) -> None:
        """Heights in a random order (the probe starts where the last one found the
        task's start): the same window as counting, on a deep stack and a shallow one."""
        heights = list(HEIGHTS) * 2
        random.Random(7).shuffle(heights)
        mismatches, _ = self.probe_everywhere(60, heights)
        self.assertEqual(mismatches, [])
        out: list = []
        thread = threading.Thread(target=lambda: out.append(self.probe_everywhere(0, heights)))
        thread.start()
        thread.join()
        self.assertEqual(out[0][0], [])

    def test_same_answer_on_a_shallow_stack(self) -> None:
        """In a thread of its own (a stack a few frames deep under the task): the same
        window as counting at every height."""
        out: list = []
        thread = threading.Thread(
            target=lambda: out.append(self.probe_everywhere(0, list(HEIGHTS))))
        thread.start()
        thread.join()
        ((mismatches, _raised),) = out
        self.assertEqual(mismatches, [])
