"""
Red-team review of where a crowded room's turns stand
(L{engine.scripts.fanout.Cursors}): they are remembered for the last
L{engine.scripts.fanout.MAX_ROTATING_PLACES} places with turns to take, and
"walking through empty rooms, or rooms of few owners, forgets no crowded
one". Each test tries to have the square forget its turns from rooms a
player can find or make cheaply.
"""

from __future__ import annotations

import math
import textwrap

from twisted.trial.unittest import TestCase

from engine.scripts import fanout
from engine.scripts.verbs import HINTS, MAX_HINTED
from engine.testing import SimulatedClient, TestWorld
from tests.redteam_world import test_fanout
from tests.redteam_world.test_fanout import TRUMPET
from tests.redteam_world.test_many_scripts import HEARING
from tests.scripts.helpers import flat, make
from world.objects import Room, Thing
from world.scripts import set_script


def tool(n: int) -> str:
    """
    A script of its own for the C{n}th thing Bob carries.
    """
    return f"def verb_tap{n}(actor, *rest):\n    actor.tell('tap {n}')\n"


#: A script answering to C{rub} (its owner's own, in the room north).
RUBBED = """
def verb_rub(actor, *rest):
    actor.tell("The kettle warms.")
"""


def park_north(world: TestWorld, owners: int) -> None:
    """
    Put a thing of each of C{owners} owners in the room north of the
    square, each running a script of its own that answers to nothing
    typed, and a last one answering to C{rub}, of yet another owner.
    """
    with world.store.turn() as turn:
        north = next(o for o in turn.root.all()
                     if isinstance(o, Room) and o.name != "Town Square")
        for n in range(owners):
            last = n == owners - 1
            thing = turn.root.create(Thing, "kettle" if last else f"drum {n}", location=north,
                                     owner=2_000_000 + n)
            set_script(thing, textwrap.dedent(RUBBED if last else tool(n)),
                       ("verb_rub",) if last else (f"verb_tap{n}",), None)


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
        world, (alice, bob, _carol) = self.crowded()
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

    def north_turns(self, world: TestWorld) -> tuple[dict[str, int], dict[str, int] | None]:
        """
        The turns remembered for the room north of the square, by the
        engine and on its record.
        """
        with world.store.turn() as turn:
            north = next(o for o in turn.root.all()
                         if isinstance(o, Room) and o.name != "Town Square")
            return (dict(fanout.cursors.of(north.contents) or {}),
                    getattr(north.contents, "_v_cursors", None))

    def carrying(self, world: TestWorld, player: SimulatedClient) -> None:
        """
        C{player} carries a scripted thing for each place but one that a
        hint reads, and goes north.
        """
        for n in range(self.carried):
            world.clock.advance(1)  # (within the command rate)
            make(player, f"tool{n}", tool(n), drop=False)
        world.clock.advance(1)
        player.send("north")

    def test_carried_things_make_no_quiet_room_take_turns(self) -> None:
        """
        In a room of as many owners of scripts as a hint reads, Bob,
        carrying scripted things that leave one place for the room's, is
        hinted only what its first owner keeps there, line after line
        (Carol, carrying none, is hinted all of it), and the room takes no
        turns in hints: his carried things shrink what is
        read, never whether the room is crowded. (Its happenings, which
        wake one owner fewer, take theirs.)
        """
        world = self.world()
        bob = world.login("Bob", role="builder")
        park_north(world, MAX_HINTED)
        self.carrying(world, bob)
        for _ in range(2 * MAX_HINTED):
            world.clock.advance(1)
            self.assertIn("xyzzy", flat(bob.send("xyzzy")))
            self.assertNotIn("answers to 'rub'", flat(bob.send("rub")))
        self.assertNotIn(HINTS, self.north_turns(world)[0])
        self.assertIsNone(self.north_turns(world)[1])
        carol = world.login("Carol")
        carol.send("north")
        world.clock.advance(1)
        self.assertIn("The kettle here answers to 'rub'", flat(carol.send("rub")))
        self.assertNotIn(HINTS, self.north_turns(world)[0])
        self.assertIsNone(self.north_turns(world)[1])

    def test_carried_things_leave_a_crowded_room_its_turns(self) -> None:
        """
        In a room of one owner more than a hint reads, the room is crowded
        whatever Bob carries: his hints take turns through its owners one
        at a time, and the kettle, its last owner's, is named within as
        many lines as there are owners, and again after.
        """
        world = self.world()
        bob = world.login("Bob", role="builder")
        park_north(world, MAX_HINTED + 1)
        self.carrying(world, bob)
        bound = math.ceil((MAX_HINTED + 1) / (MAX_HINTED - self.carried))
        named = []
        for _ in range(2 * bound):
            world.clock.advance(1)
            named.append("The kettle here answers to 'rub'" in flat(bob.send("rub")))
        self.assertIn(True, named[:bound], named)
        self.assertIn(True, named[bound:], named)
        self.assertIn(HINTS, self.north_turns(world)[0])
