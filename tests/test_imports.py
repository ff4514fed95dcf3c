"""
How the modules import each other: no import cycle in C{engine/}, and no
import inside a function unless a comment says why.

Imports are read from the parsed source (nothing is imported), counting
those under C{if TYPE_CHECKING:} too: a cycle that only type hints close is
still a cycle, only hidden. The import of a package that Python makes before
one of its submodules is not counted as an edge (a package's C{__init__} may
gather its modules, as C{engine.commands} does with its table).
"""

from __future__ import annotations

import ast
import os

from twisted.trial import unittest

from tests.test_layering import ROOT, imported

#: Cycles waiting for a change in progress, each with the reason. The test
#: fails if one of them is gone (then delete it here) or if any other exists.
PENDING_CYCLES: dict[frozenset[str], str] = {}


def modules(*packages: str) -> dict[str, str]:
    """
    Dotted module name → path, for every module under C{packages}.
    """
    found = {}
    for package in packages:
        for base, _, names in os.walk(os.path.join(ROOT, package)):
            for name in sorted(names):
                if name.endswith(".py"):
                    path = os.path.join(base, name)
                    dotted = os.path.relpath(path, ROOT)[:-3].replace(os.sep, ".")
                    found[dotted.removesuffix(".__init__")] = path
    return found


def _package_of(module: str, path: str) -> str:
    return module if path.endswith("__init__.py") else module.rpartition(".")[0]


def import_graph(found: dict[str, str]) -> dict[str, set[str]]:
    """
    Module → the modules among C{found} it imports (a name imported from a
    module counts as that module, unless it is a submodule itself).
    """
    graph: dict[str, set[str]] = {}
    for module, path in found.items():
        with open(path, encoding="utf-8") as f:
            source = f.read()
        targets = set()
        for _, name in imported(source, _package_of(module, path)):
            while name and name not in found:
                name = name.rpartition(".")[0]
            if name and name != module:
                targets.add(name)
        graph[module] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """
    The strongly connected groups of more than one module (Tarjan's
    algorithm, without recursion).
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[frozenset[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            for target in edges:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph.get(target, ())))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(frozenset(group))
    return groups


def unexplained_local_imports(source: str) -> list[int]:
    """
    The lines of imports inside a function (or class) body that have no
    comment on their own line or on the line just above.
    """
    lines = source.splitlines()
    tree = ast.parse(source)
    found = []
    for scope in ast.walk(tree):
        if not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for node in ast.walk(scope):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            here = lines[node.lineno - 1]
            above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
            if "#" not in here and not above.startswith("#"):
                found.append(node.lineno)
    return sorted(set(found))


class ImportCycleTests(unittest.TestCase):
    """
    The engine's modules import each other in one direction only.
    """

    def test_engine_has_no_cycle(self) -> None:
        """
        No group of modules under engine/ imports each other in a circle.
        """
        found = cycles(import_graph(modules("engine")))
        self.assertGreater(len(modules("engine")), 30)
        unexpected = [sorted(c) for c in found if c not in PENDING_CYCLES]
        self.assertEqual(unexpected, [])

    def test_pending_cycles_still_exist(self) -> None:
        """
        Every cycle waiting for a change still exists (once it is gone, its
        entry must go too, so that it cannot come back unnoticed).
        """
        found = set(cycles(import_graph(modules("engine"))))
        self.assertEqual([sorted(c) for c in PENDING_CYCLES if c not in found], [])


class LocalImportTests(unittest.TestCase):
    """
    Imports sit at the top of modules, where a reader looks for them.
    """

    def test_no_unexplained_local_import(self) -> None:
        """
        No module in engine/, world/ or scripting/ imports inside a function
        without a comment saying why.
        """
        problems = []
        for module, path in sorted(modules("engine", "world", "scripting").items()):
            with open(path, encoding="utf-8") as f:
                source = f.read()
            problems.extend(f"{module} line {line}"
                            for line in unexplained_local_imports(source))
        self.assertEqual(problems, [])


class DetectorTests(unittest.TestCase):
    """
    The detectors find what they look for (so the tests above can fail).
    """

    def test_cycle_found(self) -> None:
        """
        A circle of three is found; a chain and a self-import are not cycles.
        """
        graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a", "d"}, "e": set()}
        self.assertEqual(cycles(graph), [frozenset({"a", "b", "c"})])
        self.assertEqual(cycles({"a": {"b"}, "b": {"c"}, "c": set()}), [])

    def test_two_cycles(self) -> None:
        """
        Separate circles are reported separately.
        """
        graph = {"a": {"b"}, "b": {"a", "c"}, "c": {"d"}, "d": {"c"}}
        self.assertEqual(set(cycles(graph)), {frozenset("ab"), frozenset("cd")})

    def test_type_checking_imports_count(self) -> None:
        """
        An import under TYPE_CHECKING is an edge like any other.
        """
        source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from engine import x\n"
        self.assertIn((3, "engine.x"), imported(source, "engine"))

    def test_local_imports(self) -> None:
        """
        An import in a function is flagged unless a comment explains it.
        """
        self.assertEqual(unexplained_local_imports(
            "import os\n\ndef f():\n    import sys\n"), [4])
        self.assertEqual(unexplained_local_imports(
            "def f():\n    # the reactor only when asked\n    import sys\n"), [])
        self.assertEqual(unexplained_local_imports(
            "def f():\n    import sys  # POSIX only\n"), [])
        self.assertEqual(unexplained_local_imports(
            "class C:\n    def m(self):\n        from a import b\n"), [3])
