"""
A player's C{@examine} of their own things as a hostile player uses it: on
a full container with the most properties it reads what it shows (the
container, its contents, its properties) and nothing else of the world,
however big the world is; and the server's time it takes is charged to the
player's share, as a builder's C{@examine} is, and refused while that
share is spent.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.scripts import meters
from engine.testing import timed_blocks_take
from tests.redteam_world.charging import loaded, until_refused
from tests.scripts.helpers import Scene
from world.objects import Container, Room, Thing
from world.properties import MAX_PROPERTIES

#: Things in Carol's chest.
INSIDE = 200


class ExamineReadsTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.world.server.scripts.meters.cpu_time = lambda: 0.0
        carol = self.s.character("Carol").id
        with self.s.world.store.turn() as turn:
            me = turn.root.get(carol)
            chest = turn.root.create(Container, "chest", location=me, owner=carol)
            for n in range(MAX_PROPERTIES):
                chest.set_property(f"key{n}", "v" * 100)
            for n in range(INSIDE):
                pebble = turn.root.create(Thing, f"pebble{n}", location=chest, owner=carol)
                pebble.set_property("weight", n)
        self.s.read()

    def grow_world(self, count: int) -> None:
        """
        Add C{count} things of the world's in far rooms.
        """
        with self.s.world.store.turn() as turn:
            for n in range(count):
                if n % 500 == 0:
                    far = turn.root.create(Room, f"Far Hall {n}")
                turn.root.create(Thing, f"stone{n}", location=far)

    def examine_loads(self) -> tuple[int, str]:
        """
        The objects Carol's '@examine chest' loads from the database (none
        kept in memory before it), and what it said.
        """
        return loaded(self.s.world, lambda: self.s.carol.send("@examine chest"))

    def test_reads_what_it_shows(self) -> None:
        """
        '@examine chest' shows all that is inside and every property, and
        reads the objects it shows (each thing inside, each property) and a
        few more (the actor, the room, indexes): a world ten times bigger
        makes it read no more.
        """
        loads, said = self.examine_loads()
        self.assertIn(f"pebble{INSIDE - 1}", said)
        self.assertIn(f"key{MAX_PROPERTIES - 1} = ", said)
        self.assertGreaterEqual(loads, INSIDE + MAX_PROPERTIES)  # it did read them
        self.assertLessEqual(loads, INSIDE + MAX_PROPERTIES + 50)
        self.grow_world(10 * INSIDE)
        bigger, said = self.examine_loads()
        self.assertIn(f"pebble{INSIDE - 1}", said)
        self.assertLessEqual(bigger, loads + 5)


class ExamineShareTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.runtime = self.s.world.server.scripts
        self.s.world.clock.advance(meters.CPU_WINDOW)  # a fresh window
        timed_blocks_take(self.s.world, 0.25)
        carol = self.carol = self.s.character("Carol").id
        with self.s.world.store.turn() as turn:
            me = turn.root.get(carol)
            turn.root.create(Container, "chest", location=me, owner=carol)
        self.s.read()

    def test_charged_then_refused(self) -> None:
        """
        Carol's '@examine' of her own chest counts against her share of the
        server's time; once it is spent it is refused, saying why, while
        'look' and examining someone else's thing still work; after the
        window she may again.
        """
        said, examined = until_refused(self.s.carol, "@examine chest")
        self.assertIn("share of the server's time", said)
        self.assertLessEqual(examined, round(meters.CPU_SECONDS / 0.25) + 2)
        self.assertGreater(self.runtime.meters.window(self.carol)[1], meters.CPU_SECONDS)
        self.assertIn("Town Square", self.s.carol.send("look"))
        self.assertIn("Bob", self.s.carol.send("@examine bob"))
        self.s.world.clock.advance(meters.CPU_WINDOW + 1)
        self.assertIn("chest (#", self.s.carol.send("@examine chest"))
