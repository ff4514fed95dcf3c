"""
Schema generations: how stored worlds are upgraded, never deleted.

When a change alters what is stored, raise L{world.root.GENERATION} and add a
step here, keyed by the generation it upgrades *from*. Steps run in order, in
the same transaction that opens the world.
"""

from __future__ import annotations

from typing import Any, Callable

#: from-generation → function upgrading a root of that generation by one.
STEPS: dict[int, Callable[[Any], None]] = {}


def upgrade(root: Any, stored: int, target: int) -> None:
    """
    Bring C{root} from generation C{stored} up to C{target}, one step at a time.

    @raise RuntimeError: a step is missing (a programming error).
    """
    while stored < target:
        step = STEPS.get(stored)
        if step is None:
            raise RuntimeError(f"no upgrade step from schema generation {stored}")
        step(root)
        stored += 1
        root.generation = stored
