"""
Red-team review of where a crowded room's turns stand
(L{engine.scripts.fanout.Cursors}): they are remembered for the last
L{engine.scripts.fanout.MAX_ROTATING_PLACES} places with turns to take, and
"walking through empty rooms, or rooms of few owners, forgets no crowded
one". Each test tries to have the square forget its turns from rooms a
player can find or make cheaply.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.scripts import fanout
from engine.scripts.verbs import MAX_HINTED
from engine.testing import SimulatedClient, TestWorld
from tests.redteam_world import test_fanout
from tests.redteam_world.test_fanout import TRUMPET
from tests.redteam_world.test_many_scripts import HEARING
from tests.scripts.helpers import flat, make
from world.objects import Room


def tool(n: int) -> str:
    """
    A script of its own for the C{n}th thing Bob carries.
    """
    return f"def verb_tap{n}(actor, *rest):\n    actor.tell('tap {n}')\n"


class ForgottenTurnsTests(TestCase):
    carried = MAX_HINTED - 1
    def world(self) -> TestWorld:
        return test_fanout.TakingTurnsTests.world(self)  # type: ignore[arg-type]

    def square_turns(self, world: TestWorld) -> dict[str, int]:
        with world.store.turn() as turn:
            square = next(o for o in turn.root.all()
                          if isinstance(o, Room) and o.name == "Town Square")
            return dict(fanout.cursors.of(square.contents) or {})

    def crowded(self) -> tuple[TestWorld, list[SimulatedClient]]:
        """
        The square crowded with forty owners' listeners and Alice's
        trumpet, where Carol said something: its turns are remembered, in
        room for one place (as the last of MAX_ROTATING_PLACES would be).
        """
        self.patch(fanout, "cursors", fanout.Cursors(size=1))
        world, players = test_fanout.TakingTurnsTests.parked(self, HEARING)  # type: ignore[arg-type]
        alice, _, carol = players
        make(alice, "trumpet", TRUMPET)
        carol.send("say hello")
        self.assertIn("on_hear", self.square_turns(world))
        return world, players

    def test_a_room_of_two_owners_forgets_no_crowded_one(self) -> None:
        """
        Bob, carrying a scripted thing for each place but one that a hint
        reads, types a word nothing answers to in a room where only he and
        Alice keep a script: that room takes turns one owner at a time, and
        is remembered in the square's place. Its two owners are few, and
        the square must keep its turns.
        """
        world, (alice, bob, carol) = self.crowded()
        before = self.square_turns(world)
        for n in range(self.carried):
            world.clock.advance(1)  # (within the command rate)
            make(bob, f"tool{n}", tool(n), drop=False)
        for player, name in ((alice, "bell"), (bob, "gong")):
            world.clock.advance(1)
            player.send("north")
            make(player, name, tool(99))
        world.clock.advance(1)
        said = flat(bob.send("xyzzy"))
        self.assertIn("xyzzy", said)
        self.assertEqual(self.square_turns(world).get("on_hear"), before["on_hear"],
                         "the square forgot where its turns stood")

    def test_happenings_in_a_room_of_two_owners(self) -> None:
        """
        Bob and Alice each keep a listener in the room north of the square
        and Bob talks there: a happening there takes its turns ROTATE
        owners at a time, so that room has none to take and the square
        keeps its turns.
        """
        world, (alice, bob, _carol) = self.crowded()
        before = self.square_turns(world)
        for player, name in ((alice, "bell"), (bob, "gong")):
            world.clock.advance(1)
            player.send("north")
            make(player, name, HEARING)
        world.clock.advance(1)
        bob.send("say hello")
        self.assertEqual(self.square_turns(world).get("on_hear"), before["on_hear"])
