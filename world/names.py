# -*- test-case-name: tests.world -*-
"""
Names that belong to characters.

Accounts are stored under the folded form of their name (L{fold}); a thing,
room or exit may not take a name (or alias) that folds to a character's, so
that nothing a builder makes or a script renames can speak as a player
("Alice says, ...").
"""

from __future__ import annotations

import unicodedata
from typing import Any

from world.errors import WorldError


def fold(name: str) -> str:
    """
    The key a character's account name is stored and compared under:
    NFKC-normalised, case-folded, without surrounding space.
    """
    return unicodedata.normalize("NFKC", name).casefold().strip()


def is_character_name(root: Any, name: str) -> bool:
    """
    Whether C{name} is (folded) the name of a character in the world
    C{root}. Answers only yes or no: it hands out no object.
    """
    return fold(name) in root.accounts


def refusal(name: str) -> str:
    """
    What to tell someone who tried to give a thing a character's name.
    """
    return f"{name!r} is a character's name; things, rooms and exits cannot take it."


def check_thing_name(root: Any, name: str) -> str:
    """
    C{name}, if a thing, room or exit may take it as its name or an alias.

    @raise WorldError: it is a character's name.
    """
    if is_character_name(root, name):
        raise WorldError(refusal(name))
    return name
