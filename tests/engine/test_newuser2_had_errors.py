"""
Fixing a script that was saved with errors (never run, never suspended for
failing) says it had errors and runs now, not that it "was suspended and
runs again"; one suspended for failing is still told it was suspended.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, flat, make, script

GOOD = "def verb_ring(actor, *rest):\n    actor.tell('ding')\n"


class HadErrorsTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_fixed_errors(self) -> None:
        """
        A script saved with an error, then fixed: it had errors, and runs
        now.
        """
        said = flat(make(self.s.alice, "bell", "def verb_ring(actor, *rest):\n"
                         "    x = this._secret\n"))
        self.assertIn("will not run until they are fixed", said)
        said = flat(script(self.s.alice, "bell", GOOD))
        self.assertIn("It had errors (line 2, column 9: names starting with '_' are private "
                      "and cannot be used: '_secret'); it runs now.", said)
        self.assertNotIn("suspended", said)
        self.assertIn("ding", self.s.carol.send("ring bell"))

    def test_failed_and_suspended(self) -> None:
        """
        A script suspended for failing again and again is told it was
        suspended, and runs again.
        """
        make(self.s.alice, "bell", "def verb_ring(actor, *rest):\n    1 / 0\n")
        for _ in range(3):
            self.s.alice.send("ring bell")
        self.assertIn("suspended", flat(self.s.alice.send("@script/show bell")))
        said = flat(script(self.s.alice, "bell", GOOD))
        self.assertIn("It was suspended (it failed 3 times in a row) and runs again.", said)
