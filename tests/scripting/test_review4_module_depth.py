"""
Recursion through several modules between two depth probes (review 4).

Each module has a countdown of its own, refilled (and the depth probed) when
it runs out: a module holds up to C{REFILL} frames' worth of ticks. A
recursion cycling through many libraries, each refilled once near the top of
the stack, then opened C{REFILL} frames in every one of them before any ran
out: with the stride (C{$least}) ten libraries were enough to reach CPython's
recursion limit before a probe looked (fifty before it), and the task ended
in a C{RecursionError} the script could catch and carry on from.
"""

from __future__ import annotations

from twisted.trial import unittest

from scripting import Budget, Domain

STEP = ("def step(fns, n):\n"
        "    return fns[(n + 1) % len(fns)](fns, n + 1)\n"
        "exports = ('step',)\n")


class ModuleDepthTests(unittest.TestCase):
    """However many modules a recursion goes through, it is aborted on the
    task's depth limit, never on CPython's."""

    def cycle(self, count: int):
        domain = Domain("ann")
        for i in range(count):
            module = domain.load(STEP, name=f"lib{i}", library=True)
            self.assertTrue(module.result.ok, module.result.error)
        source = "".join(f"import lib{i}\n" for i in range(count))
        source += "fns = [" + ", ".join(f"lib{i}.step" for i in range(count)) + "]\n"
        source += ("try:\n    fns[0](fns, 0)\nexcept RecursionError:\n    print('caught')\n"
                   "print('after')\n")
        return domain.run(source, budget=Budget(ticks=10**6, seconds=60.0))

    def assertTooDeep(self, result) -> None:
        self.assertEqual(result.aborted, "calls nested too deeply", result.error)
        self.assertNotIn("RecursionError", result.error)
        self.assertEqual(result.output, "")

    def test_ten_libraries(self) -> None:
        self.assertTooDeep(self.cycle(10))

    def test_fifty_libraries(self) -> None:
        self.assertTooDeep(self.cycle(50))
