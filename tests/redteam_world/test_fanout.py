"""
Fan-out is shared fairly between owners: one owner parking many cheap
listeners in a room cannot silence another owner's scripts there, nor hide
another owner's verb from the hints, nor keep the places for the owners
who parked first by making the room forget where its turns stood.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator

from twisted.trial.unittest import TestCase

from engine.scripts import fanout
from engine.scripts.fanout import MAX_HANDLERS, fair
from engine.scripts.verbs import MAX_HINTED
from engine.testing import SimulatedClient, TestWorld
from tests.engine.test_verbs_hints import TEAPOT, flat
from tests.redteam_world import test_crowded_rooms as crowded
from tests.redteam_world.test_many_scripts import DEAF, HEARING, scripts
from tests.scripts.helpers import Scene, make
from world.objects import Room

LISTENER = """
def on_hear(actor, text):
    state.set("heard", state.get("heard", 0) + 1)
"""

TRUMPET = """
def on_hear(actor, text):
    here.say("The trumpet echoes: " + text)
"""

#: A thing its owner carries that, juggled, lands in the room and fails:
#: the turn rolls back, and with it the room's record, read again.
JUGGLER = """
def verb_juggle(actor, *rest):
    this.move_to(here)
    raise ValueError("dropped")
"""


class FairFanOutTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.world.server.scripts.meters.cpu_time = lambda: 0.0

    def heard(self, name: str) -> int:
        from scripting.facets import state

        thing = self.s.thing(name)
        with self.s.world.store.turn() as turn:
            return state.get_value(turn.root, thing, "heard", 0)

    def test_parked_listeners_do_not_silence_another_owner(self) -> None:
        """
        Bob parks twice MAX_HANDLERS listeners in the square before Alice
        drops her one; when Carol speaks, Alice's still hears, and Bob's
        take no more than the rest of the places.
        """
        for i in range(2 * MAX_HANDLERS):
            self.s.world.clock.advance(1)  # within the command rate
            make(self.s.bob, f"ear{i}", LISTENER)
        make(self.s.alice, "trumpet", LISTENER)
        self.s.carol.send("say hello")
        self.assertEqual(self.heard("trumpet"), 1)
        bobs = sum(self.heard(f"ear{i}") for i in range(2 * MAX_HANDLERS))
        self.assertEqual(bobs, MAX_HANDLERS - 1)

    def test_fair_order(self) -> None:
        """
        fair() takes each owner's first, then each owner's second, ...,
        gives them in the order they arrived, and reads no more of an
        owner's listeners than it takes.
        """
        arrivals = [[0, 1, 2, 3, 6], [4, 7], [5]]
        read: list[int] = []

        def listening(numbers: list[int]) -> list[Iterator[tuple[int, str]]]:
            def each() -> Iterator[tuple[int, str]]:
                for n in numbers:
                    read.append(n)
                    yield n, f"thing {n}"
            started = each()
            return [itertools.chain((next(started),), started)]

        def chosen(limit: int) -> list[int]:
            del read[:]
            return [n for n, _ in fair([listening(numbers) for numbers in arrivals], limit)]

        self.assertEqual(chosen(4), [0, 1, 4, 5])
        self.assertEqual(chosen(6), [0, 1, 2, 4, 5, 7])
        self.assertNotIn(6, read)
        self.assertEqual(chosen(100), [0, 1, 2, 3, 4, 5, 6, 7])


class TakingTurnsTests(TestCase):
    """
    Forty owners' scripts parked in the square before Alice's: each
    happening, and each line asking which thing answers to a word, starts
    further on among the owners, and nothing a player can do makes the
    square start again from the first.
    """

    def world(self) -> TestWorld:
        return crowded.CrowdedRoomReadsTests.world(self)  # type: ignore[arg-type]

    def parked(self, source: str, owners: int = 40) -> tuple[TestWorld, list[SimulatedClient]]:
        world = self.world()
        players = [world.login(name, role="builder") for name in ("Alice", "Bob", "Carol")]
        scripts(world.store, owners, source, None, alts=True)
        return world, players

    def echoes(self, world: TestWorld, alice: SimulatedClient, carol: SimulatedClient,
               says: int, between: Callable[[], object]) -> list[bool]:
        """
        Whether Alice's trumpet echoed each of Carol's C{says} says, with
        C{between} done before each.
        """
        heard = []
        for n in range(says):
            between()
            world.clock.advance(1)  # (within the command rate)
            alice.output()
            carol.send(f"say hello {n}")
            heard.append(f"The trumpet echoes: hello {n}" in alice.output())
        return heard

    def test_a_rolled_back_turn_does_not_restart_the_turns(self) -> None:
        """
        Bob juggles before each say: his juggler lands in the square and
        fails, so the turn and the square's record roll back. The trumpet
        still echoes within C{ceil(owners / ROTATE)} says, again and again.
        """
        world, (alice, bob, carol) = self.parked(HEARING)
        make(alice, "trumpet", TRUMPET)
        make(bob, "juggler", JUGGLER, drop=False)
        self.assertIn("dropped", bob.send("juggle juggler"))
        self.assertIn("juggler", bob.send("inventory"))
        bound = math.ceil(41 / fanout.ROTATE)
        heard = self.echoes(world, alice, carol, 2 * bound, lambda: bob.send("juggle juggler"))
        self.assertIn(True, heard[:bound], heard)
        self.assertIn(True, heard[bound:], heard)

    def test_an_emptied_cache_does_not_restart_the_turns(self) -> None:
        """
        The object cache letting the square's record go before each say
        (as a busy world's does) does not restart its turns either.
        """
        world, (alice, _, carol) = self.parked(HEARING)
        make(alice, "trumpet", TRUMPET)
        bound = math.ceil(41 / fanout.ROTATE)
        heard = self.echoes(world, alice, carol, 2 * bound,
                            world.store.connection.cacheMinimize)
        self.assertIn(True, heard[:bound], heard)
        self.assertIn(True, heard[bound:], heard)

    def test_owners_parked_first_do_not_hide_a_verb(self) -> None:
        """
        Forty owners' scripts parked first (none answering to C{rub}) do
        not hide Alice's teapot from the hint for ever: Carol's C{rub} names
        it within C{ceil(owners / MAX_HINTED)} tries, and again after.
        """
        world, (alice, _, carol) = self.parked(DEAF)
        make(alice, "teapot", TEAPOT)
        bound = math.ceil(41 / MAX_HINTED)
        named = []
        for _ in range(2 * bound):
            world.clock.advance(1)
            named.append("The teapot here answers to 'rub'" in flat(carol.send("rub")))
        self.assertIn(True, named[:bound], named)
        self.assertIn(True, named[bound:], named)

    def test_happenings_elsewhere_forget_no_crowded_room(self) -> None:
        """
        Only rooms with turns to take are remembered: with room for one,
        happenings in every other room (none crowded) leave the square's
        turns where they were.
        """
        self.patch(fanout, "cursors", fanout.Cursors(size=1))
        world, (alice, _, carol) = self.parked(HEARING)
        make(alice, "trumpet", TRUMPET)
        carol.send("say hello")
        with world.store.turn() as turn:
            rooms = [o for o in turn.root.all() if isinstance(o, Room)]
            square = next(room for room in rooms if room.name == "Town Square")
            before = dict(fanout.cursors.of(square.contents) or {})
            self.assertIn("on_hear", before)
            for room in rooms:
                if room is not square:
                    list(fanout.by_script(room, rotate="on_hear"))
            self.assertEqual(fanout.cursors.of(square.contents), before)
