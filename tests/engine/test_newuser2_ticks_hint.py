"""
A script that runs out of ticks tells its owner what that most often means
(a loop that never ends) and how many ticks a verb, or a timer or handler,
may run; whoever else typed the verb is not told the hint.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

import scripting
from tests.scripts.helpers import Scene, flat, make

LOOP = "def verb_spin(actor, *rest):\n    while True:\n        pass\n"


class TicksHintTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.alice, "top", LOOP)
        self.s.read()

    def test_owner_told(self) -> None:
        """
        Its owner, typing the verb, is told it ran out of ticks and the
        hint, with the real budgets.
        """
        said = flat(self.s.alice.send("spin top"))
        self.assertIn("ran out of ticks", said)
        verb = f"{scripting.Budget().ticks:,}"
        other = f"{scripting.Budget.background().ticks:,}"
        self.assertIn(f"A loop that never ends? A verb may run {verb} ticks, a timer or "
                      f"handler {other}.", said)

    def test_others_not_hinted(self) -> None:
        """
        Carol typing it is told it failed, without the owner's hint.
        """
        said = flat(self.s.carol.send("spin top"))
        self.assertIn("The script on top", said)
        self.assertNotIn("loop that never ends", said)
