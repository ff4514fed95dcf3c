"""
One docstring style across the code: Twisted's epytext (C{code},
L{link}, B{bold}, C{@param}/C{@return}/C{@raise} fields), as the engine has
always written it. Every module, and every public class and function at a
module's top level, says what it is for.
"""

from __future__ import annotations

import ast
import re

from twisted.trial import unittest

from tests.test_imports import modules

#: Markdown markup that epytext writes otherwise: `code` and **bold**.
MARKDOWN = re.compile(r"(?<![`\w])`[^`\n]+`(?![`\w])|\*\*[^\s*][^*\n]*?[^\s*]\*\*")


def docstrings(tree: ast.Module) -> list[tuple[int, str]]:
    """
    Every docstring in C{tree} (the module's, its classes' and functions'),
    with its line.
    """
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            text = ast.get_docstring(node, clean=False)
            if text is not None:
                found.append((getattr(node, "lineno", 1), text))
    return found


def problems_in(source: str) -> list[str]:
    """
    What breaks the docstring rules in C{source}.
    """
    tree = ast.parse(source)
    problems = []
    if ast.get_docstring(tree) is None:
        problems.append("no module docstring")
    for node in tree.body:
        if (isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                and not node.name.startswith("_") and ast.get_docstring(node) is None):
            problems.append(f"line {node.lineno}: {node.name} has no docstring")
    problems.extend(f"line {line}: Markdown markup {MARKDOWN.search(text).group(0)!r}"
                    for line, text in docstrings(tree) if MARKDOWN.search(text))
    return problems


class DocstringTests(unittest.TestCase):
    """
    The code documents itself one way.
    """

    def test_one_style(self) -> None:
        """
        Modules of engine/, world/ and scripting/ have docstrings (and so do
        their public top-level classes and functions), all in epytext.
        """
        problems = []
        for module, path in sorted(modules("engine", "world", "scripting").items()):
            with open(path, encoding="utf-8") as f:
                problems.extend(f"{module} {p}" for p in problems_in(f.read()))
        self.assertEqual(problems, [])

    def test_detector(self) -> None:
        """
        Missing docstrings and Markdown markup are found; epytext is not.
        """
        self.assertEqual(problems_in('"""M."""\ndef f():\n    """C{x} and L{y}."""\n'), [])
        self.assertEqual(len(problems_in("def f():\n    pass\n")), 2)
        self.assertEqual(len(problems_in('"""Uses `code`."""\n')), 1)
        self.assertEqual(len(problems_in('"""M."""\nclass A:\n    """**Bold**."""\n')), 1)
        self.assertEqual(problems_in('"""M."""\ndef _private():\n    pass\n'), [])
