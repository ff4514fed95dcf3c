"""
Finding by name in a world of a million objects: C{@find} and builders'
lookups by exact name read an index of names kept as objects are made,
renamed and destroyed, never every object of the world; destroying a room
finds the exits into it by an index of exits by where they lead.
"""

from __future__ import annotations

import os

from twisted.trial.unittest import TestCase

from engine.testing import upgraded
from scripting.facets import accounting
from tests.scripts.helpers import Scene, make
from world.objects import Exit, Room, Thing
from world.root import WorldRoot
from world.store import WorldStore


def _no_walk(self: WorldRoot) -> None:
    raise AssertionError("walked every object of the world")


class FindByIndexTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.world.server.scripts.meters.cpu_time = lambda: 0.0
        self.walks = 0
        everything = WorldRoot.all

        def counted(root: WorldRoot) -> object:
            self.walks += 1
            return everything(root)

        self.patch(WorldRoot, "all", counted)

    def send(self, line: str) -> str:
        """
        What Bob is told for C{line}, which must not look through every
        object of the world.
        """
        before = self.walks
        said = self.s.bob.send(line)
        self.assertEqual(self.walks, before, f"{line!r} walked every object of the world")
        return said

    def test_find_reads_the_index_not_the_world(self) -> None:
        """
        @find and @teleport to a room by its exact name never look through
        every object.
        """
        self.s.bob.send("@dig Lantern Hall")
        said = self.send("@find lan")
        self.assertIn("Lantern Hall", said)
        self.assertIn("brass lantern", said)
        self.send("@teleport lantern hall")
        self.assertEqual(self.s.character("Bob").location.name, "Lantern Hall")

    def test_index_follows_create_rename_alias_and_destroy(self) -> None:
        """
        What @find finds follows every change of a name: made, renamed,
        aliased, destroyed.
        """
        bob = self.s.bob
        bob.send("@create pewter mug")
        self.assertIn("pewter mug", self.send("@find mug"))
        bob.send("@name pewter mug = tin cup")
        self.assertIn("Nothing is called", self.send("@find mug"))
        self.assertIn("tin cup", self.send("@find tin c"))
        bob.send("@alias tin cup = goblet")
        self.assertIn("tin cup", self.send("@find gob"))
        bob.send("@destroy tin cup")
        self.assertIn("Nothing is called", self.send("@find tin"))
        self.assertIn("Nothing is called", self.send("@find goblet"))

    def test_a_script_rename_is_indexed_and_a_refused_one_is_not(self) -> None:
        """
        A script's rename is found by its new name; one refused for want of
        storage leaves the old name found.
        """
        make(self.s.bob, "gremlin", """
            def verb_goblin(actor, *rest):
                this.rename("goblin")

            def verb_deepen(actor, *rest):
                try:
                    this.rename("hobgoblin of the deep")
                except Exception as err:
                    actor.tell("refused: %s" % err)
            """)
        self.s.bob.send("goblin gremlin")
        self.assertIn("goblin", self.send("@find gob"))
        owner = self.s.character("Bob").id
        with self.s.world.store.turn() as turn:
            accounting.set_limit(turn.root, owner, "storage",
                                 accounting.usage(turn.root, owner).stored_bytes)
        said = self.s.bob.send("deepen goblin")
        self.assertIn("refused", said)
        self.assertIn("Nothing is called", self.send("@find hobgoblin"))
        self.assertIn("goblin", self.send("@find goblin"))

    def test_find_stops_at_fifty(self) -> None:
        """
        Past fifty matches @find lists fifty and says there are more,
        without counting them all.
        """
        with self.s.world.store.turn() as turn:
            hall = turn.root.create(Room, "Pebble Store")
            for n in range(120):
                turn.root.create(Thing, f"pebble {n}", location=hall)
        said = self.s.alice.send("@find pebble")
        self.assertIn("More than 50 found", said)
        self.assertEqual(said.count("), a "), 50)


class NameIndexUpgradeTests(TestCase):
    def test_a_world_of_generation_8_gets_its_names_indexed(self) -> None:
        """
        A world stored before the index gets one: its objects are found by
        name after the upgrade.
        """
        def old(root: WorldRoot) -> None:
            hall = root.create(Room, "Great Hall")
            root.create(Thing, "silver bell", location=hall, aliases=("chime",))
            root.name_index = None

        store = upgraded(self, 8, old)
        self.assertEqual(store.generation, 9)
        self.assertIsNotNone(store.root.name_index)
        self.patch(WorldRoot, "all", _no_walk)
        found, more = store.root.find_words("chi", 10)
        self.assertEqual(([o.name for o in found], more), (["silver bell"], False))
        self.assertEqual([o.name for o in store.root.named("great hall")], ["Great Hall"])


class DestroyRoomTests(TestCase):
    def open(self) -> WorldStore:
        path = os.path.join(self.mktemp(), "world.fs")
        os.makedirs(os.path.dirname(path))
        return WorldStore(path)

    def test_destroying_a_room_reads_only_the_exits_into_it(self) -> None:
        """
        Destroying a room in a big world loads the exits into it from the
        database, not every object of the world (counted in objects the
        database had to load, not by a clock); the exits into it go too.
        """
        store = self.open()
        with store.turn() as turn:
            root = turn.root
            rooms = [root.create(Room, f"Room {n}") for n in range(40)]
            root.start_room = rooms[0]
            for n, room in enumerate(rooms[1:], 1):
                root.create(Exit, f"way {n}", location=room, destination=rooms[n - 1])
                for k in range(50):
                    root.create(Thing, f"pebble {k}", location=room)
            doomed = root.create(Room, "Doomed")
            ways = [root.create(Exit, "in", location=rooms[n], destination=doomed).id
                    for n in (3, 7)]
            doomed_id = doomed.id
        store.close()
        store = WorldStore(store.path)
        self.addCleanup(store.close)
        cache = store.connection._cache
        with store.turn() as turn:
            before = cache.cache_non_ghost_count
            gone = turn.root.destroy(turn.root.get(doomed_id))
            loaded = cache.cache_non_ghost_count - before
        self.assertEqual(sorted(o.id for o in gone), sorted([*ways, doomed_id]))
        # (and, of each room an exit leaves, the few buckets of its index by
        # name that hold the exit's names: never the pebbles there)
        self.assertLess(loaded, 60, loaded)


class ExitIndexUpgradeTests(TestCase):
    def test_a_world_of_generation_9_gets_its_exits_indexed(self) -> None:
        """
        A world stored before the index of exits by where they lead gets
        one: destroying a room then takes the exits into it.
        """
        made: dict[str, int] = {}

        def old(root: WorldRoot) -> None:
            hall = root.create(Room, "Hall")
            yard = root.create(Room, "Yard")
            root.start_room = hall
            made["door"] = root.create(Exit, "door", location=hall, destination=yard).id
            made["yard"] = yard.id
            root.exits_to = None

        store = upgraded(self, 9, old)
        self.assertEqual(store.generation, 10)
        with store.turn() as turn:
            gone = turn.root.destroy(turn.root.get(made["yard"]))
        self.assertEqual(sorted(o.id for o in gone), sorted([made["door"], made["yard"]]))
