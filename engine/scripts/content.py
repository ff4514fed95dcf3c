# -*- test-case-name: tests.scripts.test_content_check -*-
"""
Checking builder content's scripts along with the rest of it.

The world's content checker (L{world.content.read}) cannot compile scripts
(it imports nothing from the sandbox); L{check} adds every script's
problems, as C{"path/to/bell.py:3: message"}, so that C{tessera content
check} reports everything at once: the rules of the language, and imports
of modules no script can import.
"""

from __future__ import annotations

import scripting
from scripting.imports import unknown_imports
from world.content import read


def check(directory: str) -> list[str]:
    """
    Every problem in the content folder C{directory}, scripts included.
    """
    content = read(directory)
    problems = list(content.problems)
    for script in content.scripts:
        try:
            with open(script.path, encoding="utf-8") as f:
                source = f.read()
        except (OSError, UnicodeDecodeError) as e:
            reason = e.strerror if isinstance(e, OSError) else "not UTF-8 text"
            problems.append(f"{script.path}:1: cannot read this script: {reason} "
                            f"(named at {script.where})")
            continue
        found = scripting.check(source) or unknown_imports(source)
        problems += [f"{script.path}:{v.line}: {v.reason} (column {v.col + 1})" for v in found]
    return problems
