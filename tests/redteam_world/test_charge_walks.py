"""
Commands that anyone may type find what they need through indexes: a
hostile owner who fills the world with grants (32 on each of their things)
does not make every other player's C{@holders} walk them all, on the
server's time rather than the hostile owner's.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from twisted.trial.unittest import TestCase

from engine.commands import consent
from scripting.facets import grants
from tests.scripts.helpers import Scene, make


class _NoWalk:
    """
    A registry's live grants that refuse to be walked: found only by id.
    """

    def __init__(self, live: Any) -> None:
        self._live = live

    def __getitem__(self, key: int) -> Any:
        return self._live[key]

    def get(self, key: int, default: Any = None) -> Any:
        return self._live.get(key, default)

    def values(self) -> Any:
        raise AssertionError("walked every live grant in the world")

    items = keys = __iter__ = values


class HoldersWalkTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "robot", """
            def verb_peek(actor, *rest):
                actor.tell("sees " + grants["eye"].name)
            """)
        self.s.bob.send("@grant robot.eye = view Carol")
        real = grants.registry

        def guarded(root: Any) -> Any:
            reg = real(root)
            return SimpleNamespace(live=_NoWalk(reg.live), by_target=reg.by_target,
                                   involving=reg.involving, by_host=reg.by_host,
                                   by_owner=reg.by_owner)

        self.patch(grants, "registry", guarded)

    def test_holders_finds_grants_of_me_by_index(self) -> None:
        """
        @holders lists the grants of the player from the index by target,
        never by looking through every live grant.
        """
        listed = self.s.carol.send("@holders")
        self.assertNotIn("walked every", listed)
        self.assertIn("robot, Bob's: granted view of you as 'eye'", listed)
        self.assertIs(consent.grants, grants)

    def test_grants_of_target(self) -> None:
        """grants_of_target returns the live grants of one target, in id order."""
        carol_id = self.s.character("Carol").id
        with self.s.world.store.turn() as turn:
            carol = turn.root.get(carol_id)
            found = grants.grants_of_target(turn.root, carol)
            self.assertEqual([g.name for g in found], ["eye"])
