"""
Walks over much of the world are not done on the server's time: a hostile
owner who fills the world with grants (32 on each of their things) does not
make every other player's C{@holders} walk them all (it uses an index), and
the building commands that do walk the world are charged to the builder's
share of the server's time, and refused once it is spent.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from twisted.trial.unittest import TestCase

from engine.commands import consent
from engine.commands.base import Context
from engine.scripts import meters
from engine.testing import timed_blocks_take
from scripting.facets import grants
from tests.redteam_world.charging import until_refused
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


class BuildingShareTests(TestCase):
    """
    Building commands may walk the whole world (C{@find}, and C{@examine},
    C{@teleport} or C{@open} naming something not in reach): the server's
    time they take is charged to the builder's share, as a script's is, and
    while the builder's share is spent they are refused cheaply.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.runtime = self.s.world.server.scripts
        self.s.world.clock.advance(meters.CPU_WINDOW)  # a fresh window
        self.bob = self.s.character("Bob").id
        self.walked = 0
        timed_blocks_take(self.s.world, 0.25)
        real = Context.find_anywhere

        def counted(ctx: Context, query: str) -> Any:
            self.walked += 1
            return real(ctx, query)

        self.patch(Context, "find_anywhere", counted)
        self.s.read()

    def test_finds_charged_then_refused(self) -> None:
        """
        Bob's @finds count against his share of the server's time; once it
        is spent, @find and @examine are refused, saying why, without
        walking; Carol's look is unaffected; after the window he may again.
        """
        said, finds = until_refused(self.s.bob, "@find zzz")
        self.assertIn("share of the server's time", said)
        self.assertLessEqual(finds, round(meters.CPU_SECONDS / 0.25) + 2)
        seconds = self.runtime.meters.window(self.bob)[1]
        self.assertGreater(seconds, meters.CPU_SECONDS)
        walked = self.walked
        self.assertIn("share of the server's time", self.s.bob.send("@examine zzz"))
        self.assertEqual(self.walked, walked)  # refused before walking anything
        self.assertIn("Town Square", self.s.carol.send("look"))
        self.s.world.clock.advance(meters.CPU_WINDOW + 1)
        self.assertIn("Nothing is called anything like", self.s.bob.send("@find zzz"))

    def test_nested_timing_is_not_charged_twice(self) -> None:
        """
        A block timed inside another (a script run inside a command) is
        charged once: the inner owner its part, the outer the rest.
        """
        m = self.runtime.meters
        self.s.world.clock.advance(meters.CPU_WINDOW + 1)
        with m.timing(self.bob):
            with m.timing(self.bob):
                pass
            with m.timing(7):
                pass
        # The outer block took 1.25 s (six readings), 0.25 s of it in each inner one.
        self.assertEqual(m.window(self.bob)[1], 1.0)
        self.assertEqual(m.window(7)[1], 0.25)

