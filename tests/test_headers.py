"""
Every module names the tests that cover it, on its first line, as Twisted's
modules do (C{# -*- test-case-name: tests.engine.test_session -*-}): editors
and C{trial --testmodule} run them.
"""

from __future__ import annotations

import os
import re

from twisted.trial import unittest

from tests.test_imports import modules
from tests.test_layering import ROOT

HEADER = re.compile(r"# -\*- test-case-name: ([\w.]+(?:,[\w.]+)*) -\*-$")


def named_tests(path: str) -> list[str] | None:
    """
    The test modules or packages the first line of C{path} names, or None
    if it has no header.
    """
    with open(path, encoding="utf-8") as f:
        found = HEADER.match(f.readline().rstrip("\n"))
    return found.group(1).split(",") if found else None


def exists(dotted: str) -> bool:
    """
    Whether C{dotted} is a module or package of the repository.
    """
    base = os.path.join(ROOT, *dotted.split("."))
    return os.path.isfile(base + ".py") or os.path.isfile(os.path.join(base, "__init__.py"))


class HeaderTests(unittest.TestCase):
    """
    Modules point at their tests.
    """

    def test_every_module_names_its_tests(self) -> None:
        """
        Every module in engine/, world/ and scripting/ begins with a
        test-case-name line whose tests exist.
        """
        problems = []
        found = modules("engine", "world", "scripting")
        self.assertGreater(len(found), 80)
        for module, path in sorted(found.items()):
            names = named_tests(path)
            if names is None:
                problems.append(f"{module}: no test-case-name line")
                continue
            problems.extend(f"{module}: {name} does not exist"
                            for name in names if not name.startswith("tests.")
                            or not exists(name))
        self.assertEqual(problems, [])

    def test_detector(self) -> None:
        """
        The header is recognised only in its exact form.
        """
        self.assertTrue(HEADER.match("# -*- test-case-name: tests.a.test_b,tests.c -*-"))
        self.assertFalse(HEADER.match("# test-case-name: tests.a"))
        self.assertFalse(HEADER.match("# -*- test-case-name: tests.a, tests.b -*-"))
