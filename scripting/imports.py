# -*- test-case-name: tests.scripts.test_content_check,tests.scripts.test_libraries -*-
"""What a script imports, read from its text without running it.

A script's imports are resolved when they run (C{Domain.import_module}); an import inside a
function that is never called, or in a script that has not run yet, would fail only later.
C{unknown_imports} lists them ahead of time, for C{tessera content check} and for saving a
script, against the names the script will be able to import.
"""

from __future__ import annotations

import ast
from collections.abc import Collection

from scripting.facades import FACADE_MAKERS
from scripting.validate import Violation

#: The tamed modules every script may import.
STANDARD_MODULES: frozenset[str] = frozenset(FACADE_MAKERS)


def imported_names(source: str) -> list[tuple[str, int, int]]:
    """
    Every module C{source} imports, with its line and column, in order
    (C{import a, b} gives two). Empty if the text does not parse.
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno, node.col_offset) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.module, node.lineno, node.col_offset))
    return sorted(found, key=lambda x: (x[1], x[2]))


def unknown_imports(source: str, libraries: Collection[str] = ()) -> list[Violation]:
    """
    The imports in C{source} of modules that are neither a standard one
    (L{STANDARD_MODULES}) nor one of C{libraries}, each as a L{Violation}
    saying what can be imported.
    """
    known = STANDARD_MODULES | set(libraries)
    shown = ", ".join(sorted(STANDARD_MODULES))
    if libraries:
        shown += ", and the libraries " + ", ".join(sorted(libraries))
    return [Violation(line, col, f"no module named {name!r} (scripts may import: {shown})")
            for name, line, col in imported_names(source) if name not in known]


def export_problems(source: str) -> list[Violation]:
    """
    What is wrong with a library's C{exports}, read from its text: there must
    be one top-level C{exports = (...)} of names (strings) that its top level
    defines. (The engine checks the same by running it when a player saves
    one; this is for content, checked without running anything.)
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    defined: set[str] = set()
    declared: ast.Assign | None = None
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            defined |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                defined |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
            if (isinstance(node, ast.Assign) and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Name) and node.targets[0].id == "exports"):
                declared = node
    if declared is None:
        return [Violation(1, 0, 'a library lists the names it shares: exports = ("hello",)')]
    value = declared.value
    if not (isinstance(value, (ast.Tuple, ast.List)) and value.elts and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in value.elts)):
        return [Violation(declared.lineno, declared.col_offset,
                          "exports must be a tuple of names, written out: "
                          'exports = ("hello", "COLOURS")')]
    names = [e.value for e in value.elts]  # type: ignore[attr-defined]
    missing = [n for n in names if n not in defined]
    if missing:
        return [Violation(declared.lineno, declared.col_offset,
                          f"exports names the library does not define: {', '.join(missing)}")]
    return []
