"""
The layers stay apart: C{world/} imports nothing from C{engine/},
C{scripting/} or C{twisted.internet}; C{scripting/} imports nothing from
C{engine/}. Checked by parsing every module, so an import inside a function
is caught too.
"""

from __future__ import annotations

import ast
import os

from twisted.trial import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def imported(source: str, package: str) -> list[tuple[int, str]]:
    """
    Every module C{source} imports, with its line, relative imports resolved
    against C{package}.
    """
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            # "from twisted import internet" imports twisted.internet.
            found.extend((node.lineno, f"{module}.{alias.name}") for alias in node.names)
    return found


def forbidden_imports(source: str, package: str, forbidden: tuple[str, ...]) -> list[str]:
    """
    The imports in C{source} of any module in C{forbidden} (or inside it).
    """
    return [f"line {line}: {name}" for line, name in imported(source, package)
            if any(name == f or name.startswith(f + ".") for f in forbidden)]


def violations(package: str, forbidden: tuple[str, ...]) -> list[str]:
    problems = []
    top = os.path.join(ROOT, package)
    for base, _, names in os.walk(top):
        for name in sorted(names):
            if not name.endswith(".py"):
                continue
            path = os.path.join(base, name)
            with open(path, encoding="utf-8") as f:
                source = f.read()
            rel = os.path.relpath(path, ROOT)
            dotted = rel[:-3].replace(os.sep, ".")
            pkg = dotted.rsplit(".", 1)[0]  # the package a module (or __init__) is in
            problems.extend(f"{rel} {v}" for v in forbidden_imports(source, pkg, forbidden))
    return problems


class LayeringTests(unittest.TestCase):
    """
    Dependencies run one way: engine → scripting → world.
    """

    def test_world_imports(self) -> None:
        """
        No module under world/ imports engine, scripting or twisted.internet.
        """
        self.assertTrue(os.path.exists(os.path.join(ROOT, "world", "store.py")))
        self.assertEqual(violations("world", ("engine", "scripting", "twisted.internet")), [])

    def test_scripting_imports(self) -> None:
        """
        No module under scripting/ imports engine.
        """
        self.assertEqual(violations("scripting", ("engine",)), [])


class DetectorTests(unittest.TestCase):
    """
    The import finder catches every spelling of a forbidden import (so the
    tests above can fail).
    """

    def assertCaught(self, source: str, package: str = "world") -> None:
        self.assertTrue(forbidden_imports(source, package,
                                          ("engine", "scripting", "twisted.internet")),
                        source)

    def test_spellings(self) -> None:
        """
        Plain, from, aliased, submodule and in-function imports are caught.
        """
        self.assertCaught("import engine")
        self.assertCaught("import engine.tap as t")
        self.assertCaught("from engine import tap")
        self.assertCaught("from twisted.internet import reactor")
        self.assertCaught("from twisted import internet")
        self.assertCaught("import twisted.internet.task")
        self.assertCaught("def f():\n    from scripting.policy import x\n")

    def test_relative_imports_resolved(self) -> None:
        """
        Relative imports are resolved against the importing package.
        """
        self.assertIn((1, "world.engine"), imported("from ..engine import tap", "world.sub"))
        self.assertIn((1, "world.values"), imported("from .values import x", "world"))

    def test_allowed(self) -> None:
        """
        Imports of permitted modules are not flagged.
        """
        self.assertEqual(forbidden_imports(
            "import twisted.logger\nfrom world import root\nimport enginery\n"
            "from twisted.python import log\nfrom . import values\n",
            "world", ("engine", "scripting", "twisted.internet")), [])
