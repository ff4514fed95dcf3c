# -*- test-case-name: tests.scripts.test_content_check -*-
"""
Checking builder content's scripts along with the rest of it.

The world's content checker (L{world.content.read}) cannot compile scripts
(it imports nothing from the sandbox); L{check} adds every script's
problems, as C{"path/to/bell.py:3: message"}, so that C{tessera content
check} reports everything at once: the rules of the language, imports of
modules no script can import (content may import the libraries it
declares), libraries' exports, verbs and handlers that could not take
the arguments they are called with; and, as notes that refuse nothing
(saving a script in the game only notes them too), functions defined twice
(of which only the last is used), names read that nothing defines (in a
library too, whose names are its builtins alone), and changes made in
place to a copy read from the state
(L{engine.scripts.copies}).
"""

from __future__ import annotations

from attrs import define

import scripting
from engine.scripts.copies import changed_copies
from engine.scripts.names import undefined
from engine.scripts.signatures import declared_misfits, defined_again
from scripting.imports import export_problems, unknown_imports
from world.content import read


@define
class Report:
    """
    What checking a content folder found.

    @ivar errors: what would stop the content loading or a script running,
        as C{"path:line: message"}.
    @ivar notes: what is likely a mistake but refuses nothing (a function
        defined twice, a name nothing defines), the same way.
    """

    errors: list[str]
    notes: list[str]


def check(directory: str) -> list[str]:
    """
    Every problem in the content folder C{directory}, scripts included:
    errors and notes together, file by file (L{report} tells them apart).
    """
    return [said for said, _ in _findings(directory)]


def report(directory: str) -> Report:
    """
    The errors and the notes of the content folder C{directory}.
    """
    found = _findings(directory)
    return Report([said for said, note in found if not note],
                  [said for said, note in found if note])


def _findings(directory: str) -> list[tuple[str, bool]]:
    # Each problem, and whether it is only a note, in the order of the files.
    content = read(directory)
    problems = [(p, False) for p in content.problems]
    libraries = [spec.name for spec in content.libraries]
    files = [(s.path, s.where, False) for s in content.scripts]
    files += [(spec.path, spec.where, True) for spec in content.libraries]
    for path, where, is_library in files:
        try:
            with open(path, encoding="utf-8") as f:
                source = f.read()
        except (OSError, UnicodeDecodeError) as e:
            reason = e.strerror if isinstance(e, OSError) else "not UTF-8 text"
            problems.append((f"{path}:1: cannot read this script: {reason} (named at {where})",
                             False))
            continue
        found = scripting.check(source) or unknown_imports(source, libraries)
        if is_library and not found:
            found = export_problems(source)
        problems += [(f"{path}:{v.line}: {v.reason} (column {v.col + 1})", False)
                     for v in found]
        if not found and not is_library:  # what saving it would refuse: its verbs' arguments
            problems += [(f"{path}:{line}: {said}", False)
                         for line, said in declared_misfits(source)]
        if not found:  # as saving notes it
            problems += [(f"{path}:{line}: {said}", True)
                         for line, said in defined_again(source)]
        if not found:  # as saving notes it (a library's names: its builtins alone)
            problems += [(f"{path}:{line}: {said}", True)
                         for line, said in undefined(source, library=is_library)]
        if not found and not is_library:  # (a library has no state to copy from)
            problems += [(f"{path}:{line}: {said}", True)
                         for line, said in changed_copies(source)]
    return problems
