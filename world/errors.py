# -*- test-case-name: tests.world.test_containment,tests.world.test_limits_audit -*-
"""
The one error family the world raises for rule violations.

Each carries a message fit to show the player who caused it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class WorldError(Exception):
    """
    A world rule said no. The message is for the player.
    """


class MoveError(WorldError):
    """
    A move would break containment: a cycle, an exit outside a room, a room
    inside something, or a destination that holds nothing.
    """


class NoMatch(WorldError):
    """
    Nothing answers to that name.
    """


class Ambiguous(WorldError):
    """
    More than one thing answers to that name.

    @ivar candidates: the objects that matched, in order (a list, or
        L{world.matching.Answering}, which reads each as it is wanted).
    """

    def __init__(self, message: str, candidates: Sequence[Any]) -> None:
        super().__init__(message)
        self.candidates = candidates
