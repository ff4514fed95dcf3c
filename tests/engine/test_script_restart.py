"""
A script suspended for failing three times in a row is started again by
C{@script/restart}, as its owner is told to (issue 9: a new scripter's
script suspended after a loop, saved again unchanged, stayed suspended).
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.scripts.runtime import SUSPEND_AFTER
from tests.scripts.helpers import Scene, make
from world.scripts import script_of


def flat(text: str) -> str:
    """
    C{text} with its lines joined and its spaces single (messages wrap).
    """
    return " ".join(text.split())


class RestartSuspendedTests(TestCase):
    """
    C{@script/restart} checks a script suspended for its failures again and
    starts it; one with errors is checked again and refused while
    they are still there.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_restart_lifts_a_suspension_for_failures(self) -> None:
        """
        After three failures in a row (its owner's own), C{@script/restart}
        saves the script again (checked and charged as a save) and it runs.
        """
        make(self.s.alice, "teapot", """
            def verb_tip(actor, *rest):
                if not state.get("warm", False):
                    1 / 0
                actor.tell("poured")
            def verb_warm(actor, *rest):
                state.set("warm", True)
            """)
        said = " ".join(flat(self.s.alice.send("tip teapot")) for _ in range(SUSPEND_AFTER))
        self.assertIn("failed 3 times", script_of(self.s.thing("teapot")).suspended)
        self.assertIn("suspended; its owner can edit it (@script teapot) or restart it "
                      "(@script/restart teapot)", said)
        said = flat(self.s.alice.send("@script/restart teapot"))
        self.assertIn("Saved the script on teapot (6 lines); it defines verb_tip, verb_warm. "
                      "It was suspended (it failed 3 times in a row) and runs again. Started "
                      "afresh", said)
        record = script_of(self.s.thing("teapot"))
        self.assertIsNone(record.suspended)
        self.assertEqual(record.failures, 0)
        self.s.carol.send("warm teapot")
        self.assertIn("poured", self.s.carol.send("tip teapot"))

    def test_restart_of_a_script_with_errors_refused(self) -> None:
        """
        A script suspended for its errors is checked again, and while they
        are still there it is not restarted: it must be fixed.
        """
        make(self.s.alice, "teapot", "def verb_tip(actor, *rest):\n    x._private\n")
        said = flat(self.s.alice.send("@script/restart teapot"))
        self.assertIn("is suspended (it has errors: line 2, column 5: names starting with '_' "
                      "are private and cannot be used: '_private'); fix it and save it first",
                      said)

    def test_unchanged_save_of_a_suspended_script_points_to_restart(self) -> None:
        """
        Saving a script suspended for its failures without changing it
        saves nothing, and says that C{@script/restart} starts it again.
        """
        make(self.s.alice, "teapot", "def verb_tip(actor, *rest):\n    1 / 0\n")
        for _ in range(SUSPEND_AFTER):
            self.s.alice.send("tip teapot")  # (its owner's own failures suspend it)
        self.s.alice.output()
        self.s.alice.send("@script teapot")
        said = flat(self.s.alice.send("."))
        self.assertIn("No changes; nothing was saved. The script on teapot stays suspended "
                      "(it failed 3 times in a row); '@script/restart teapot' starts it "
                      "again.", said)
        self.assertIsNotNone(script_of(self.s.thing("teapot")).suspended)
