"""
Checking builder content's scripts along with the rest of it.

The world's content checker (L{world.loader.check}) cannot compile scripts
(it imports nothing from the sandbox); L{check} adds every script's
problems, as C{"path/to/bell.py:3: message"}, so that C{tessera content
check} reports everything at once.
"""

from __future__ import annotations

import os

import scripting
from world.content import RoomSpec, ThingSpec, read


def check(directory: str) -> list[str]:
    """
    Every problem in the content folder C{directory}, scripts included.
    """
    content = read(directory)
    problems = list(content.problems)
    seen: set[str] = set()
    specs: list[RoomSpec | ThingSpec] = [*content.rooms, *content.things]
    for spec in specs:
        if spec.script is None:
            continue
        path = os.path.join(os.path.dirname(spec.where.path), spec.script)
        if path in seen:
            continue
        seen.add(path)
        with open(path, encoding="utf-8") as f:
            source = f.read()
        problems += [f"{path}:{v.line}: {v.reason} (column {v.col + 1})"
                     for v in scripting.check(source)]
    return problems
