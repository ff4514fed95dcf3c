# -*- test-case-name: tests.scripts.test_content_check -*-
"""
Checking builder content's scripts along with the rest of it.

The world's content checker (L{world.content.read}) cannot compile scripts
(it imports nothing from the sandbox); L{check} adds every script's
problems, as C{"path/to/bell.py:3: message"}, so that C{tessera content
check} reports everything at once: the rules of the language, imports of
modules no script can import (content may import the libraries it
declares), libraries' exports, verbs and handlers that could not take
the arguments they are called with, functions defined twice (of which
only the last is used), and names read that nothing defines.
"""

from __future__ import annotations

import scripting
from engine.scripts.names import undefined
from engine.scripts.signatures import declared_misfits, defined_again
from scripting.imports import export_problems, unknown_imports
from world.content import read


def check(directory: str) -> list[str]:
    """
    Every problem in the content folder C{directory}, scripts included.
    """
    content = read(directory)
    problems = list(content.problems)
    libraries = [spec.name for spec in content.libraries]
    files = [(s.path, s.where, False) for s in content.scripts]
    files += [(spec.path, spec.where, True) for spec in content.libraries]
    for path, where, is_library in files:
        try:
            with open(path, encoding="utf-8") as f:
                source = f.read()
        except (OSError, UnicodeDecodeError) as e:
            reason = e.strerror if isinstance(e, OSError) else "not UTF-8 text"
            problems.append(f"{path}:1: cannot read this script: {reason} (named at {where})")
            continue
        found = scripting.check(source) or unknown_imports(source, libraries)
        if is_library and not found:
            found = export_problems(source)
        problems += [f"{path}:{v.line}: {v.reason} (column {v.col + 1})" for v in found]
        if not found and not is_library:  # what saving it would refuse: its verbs' arguments
            problems += [f"{path}:{line}: {said}" for line, said in declared_misfits(source)]
        if not found:  # as saving notes it
            problems += [f"{path}:{line}: {said}" for line, said in defined_again(source)]
        if not found and not is_library:  # as saving notes it (a library has no endowments)
            problems += [f"{path}:{line}: {said}" for line, said in undefined(source)]
    return problems
