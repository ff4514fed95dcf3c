"""docs/scripting.md stays true: its examples compile, and the runnable ones run."""

from __future__ import annotations

import os
import re

from twisted.trial import unittest

from scripting import Domain, check

DOC = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "scripting.md")


def examples() -> list[str]:
    with open(DOC, encoding="utf-8") as f:
        return re.findall(r"```python\n(.*?)```", f.read(), re.DOTALL)


class DocExampleTests(unittest.TestCase):
    """Every Python example in the player documentation is valid sandbox Python."""

    def test_examples_compile(self) -> None:
        """Each example passes the checker."""
        found = examples()
        self.assertGreaterEqual(len(found), 3)
        for source in found:
            self.assertEqual(check(source), [], source)

    def test_examples_run(self) -> None:
        """Each example runs without error (libraries load as libraries)."""
        for source in examples():
            domain = Domain("docs")
            module = domain.load(source, name="example", library="exports" in source)
            self.assertTrue(module.result.ok, module.result.error)

    def test_documented_builtins_match(self) -> None:
        """The builtins listed in the documentation are exactly the real ones."""
        with open(DOC, encoding="utf-8") as f:
            text = f.read()
        section = text.split("## Builtins", 1)[1].split("Differences", 1)[0]
        listed = set(re.findall(r"[A-Za-z_]+", section)) - {"and", "the", "exceptions"}
        real = {k for k in Domain("x").builtins if not k.startswith("_")}
        self.assertEqual(listed, real)
