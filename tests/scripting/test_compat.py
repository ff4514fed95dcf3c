"""The compatibility corpus runs in the sandbox exactly as in plain CPython (rule 46)."""

from __future__ import annotations

import contextlib
import io

from twisted.trial import unittest

from scripting import Budget, Domain
from tests.scripting.corpus_compat import COMPAT

BIG = Budget(ticks=2_000_000, seconds=30.0)


def plain(source: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, "<plain>", "exec"), {"__name__": "plain"})  # noqa: S102 - the oracle
    return out.getvalue()


class CompatibilityTests(unittest.TestCase):
    """Ordinary scripts keep working."""

    def test_corpus_size(self) -> None:
        """At least 50 ordinary scripts are covered."""
        self.assertGreaterEqual(len(COMPAT), 50)

    def test_output_equals_plain_cpython(self) -> None:
        """Every case prints exactly what plain CPython prints."""
        failures = []
        for case in COMPAT:
            expected = plain(case.source)
            result = Domain("compat").run(case.source, name=case.name, budget=BIG)
            if not result.ok or result.output != expected:
                failures.append(f"--- {case.name}\nerror: {result.error}\n"
                                f"got:      {result.output!r}\nexpected: {expected!r}")
        self.assertEqual(failures, [], "\n".join(failures))
