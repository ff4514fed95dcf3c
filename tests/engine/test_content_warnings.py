"""
C{tessera content check} has two channels: errors (what would stop the
content loading or a script running) fail the check; notes (a function
defined twice, a name nothing defines), which saving in the game only notes
too, are printed as warnings and leave the check passing.
"""

from __future__ import annotations

import io
import os
import sys

from twisted.trial.unittest import TestCase

from engine import cli
from engine.scripts.content import check, report
from tests.scripts.helpers import content_folder

HALL = ('[rooms.hall]\nname = "Hall"\ndescription = "A hall. It is long."\n'
        'start = true\nscript = "hall.py"\n')

TWICE = ("def on_hear(actor, text):\n    pass\n"
         "def on_hear(actor, text):\n    actor.tell(text)\n")


class ContentWarningTests(TestCase):
    """
    Notes warn; errors fail.
    """

    def folder(self, source: str, toml: str = HALL) -> str:
        directory = os.path.abspath(self.mktemp())
        return content_folder(directory, {"hall.toml": toml, "hall.py": source})

    def run_cli(self, *argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        self.patch(sys, "stdout", out)
        self.patch(sys, "stderr", err)
        return cli.main(list(argv)), out.getvalue(), err.getvalue()

    def test_notes_warn_and_pass(self) -> None:
        """
        A function defined twice and a name nothing defines are printed as
        warnings, and the check exits 0 saying how many.
        """
        directory = self.folder(TWICE + "def verb_ring(actor, *rest):\n    chme()\n")
        where = os.path.join(directory, "hall.py")
        status, out, err = self.run_cli("content", "check", directory)
        self.assertEqual((status, out), (0, f"{directory}: no problems, 2 warning(s)\n"))
        self.assertEqual(err.splitlines(), [
            f"warning: {where}:3: on_hear is defined twice (lines 1 and 3): the second one is "
            "used",
            f"warning: {where}:6: chme is not defined"])

    def test_errors_fail_with_warnings_counted(self) -> None:
        """
        An error fails the check (exit 1); errors come first, then the
        warnings, then the count of each.
        """
        directory = self.folder(TWICE, HALL.replace('description = "A hall. It is long."\n', ""))
        where = os.path.join(directory, "hall.py")
        status, out, err = self.run_cli("content", "check", directory)
        self.assertEqual((status, out), (1, ""))
        self.assertEqual(err.splitlines(), [
            f"{directory}/hall.toml:1: [rooms.hall] has no 'description' (it needs a "
            "non-empty string)",
            f"warning: {where}:3: on_hear is defined twice (lines 1 and 3): the second one is "
            "used",
            "1 problem(s) found, 1 warning(s)"])

    def test_script_error_fails(self) -> None:
        """
        A script that does not compile is an error, not a warning.
        """
        directory = self.folder("def on_hear(actor, text)\n    pass\n")
        status, _out, err = self.run_cli("content", "check", directory)
        self.assertEqual(status, 1)
        self.assertNotIn("warning:", err)
        self.assertTrue(err.endswith("1 problem(s) found\n"), err)

    def test_clean_says_no_warnings(self) -> None:
        """
        A clean folder passes with no warning counted.
        """
        directory = self.folder("def on_hear(actor, text):\n    actor.tell(text)\n")
        self.assertEqual(self.run_cli("content", "check", directory),
                         (0, f"{directory}: no problems\n", ""))

    def test_report_splits_what_check_lists(self) -> None:
        """
        L{report}'s errors and notes are together what L{check} lists.
        """
        directory = self.folder(TWICE + "x = y\n",
                                HALL.replace('description = "A hall. It is long."\n', ""))
        found = report(directory)
        self.assertEqual(len(found.errors), 1)
        self.assertEqual(len(found.notes), 2)
        self.assertEqual(sorted(check(directory)), sorted(found.errors + found.notes))
