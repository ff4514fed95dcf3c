"""
An army of idle characters parked asleep in one room (issue 9): a hostile
player logs out two thousand alts in the town square, and every C{say}
there, every arrival, every name looked for there must not read all of
them, nor work out each one's names again. Measured in objects loaded from
the database (ZODB's counter, never a clock), with the cache emptied first.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.commands.basic import MAX_LISTED
from engine.testing import SimulatedClient, TestWorld, upgraded
from tests.redteam_world import test_crowded_rooms as crowded
from tests.redteam_world.test_crowded_rooms import LISTENER, loaded
from world import containment, objects
from world.objects import Character, Room, Thing
from world.root import WorldRoot
from world.scripts import set_script
from world.store import WorldStore

#: Characters parked asleep in the crowded square.
ARMY = 2000

#: How many more objects a command beside the army may load than beside
#: ten sleepers: a deeper B-tree, never the sleepers.
FEW = 20


def park(store: WorldStore, count: int) -> None:
    """
    Leave C{count} characters asleep in the town square (no mind: nobody
    plays them).
    """
    with store.turn() as turn:
        square = next(o for o in turn.root.all() if o.name == "Town Square")
        for n in range(count):
            turn.root.create(Character, f"Sleeper{n}", location=square)


class SleepingArmyTests(TestCase):
    def world(self) -> TestWorld:
        return crowded.CrowdedRoomReadsTests.world(self)  # type: ignore[arg-type]

    def square(self, sleepers: int) -> tuple[TestWorld, SimulatedClient, SimulatedClient]:
        """
        The small world with C{sleepers} characters asleep in the town
        square, and Alice and Carol awake there.
        """
        world = self.world()
        alice = world.login("Alice")
        carol = world.login("Carol")
        park(world.store, sleepers)
        for line in ("say warm up", "look", "look wombat", "look sleeper1"):
            world.clock.advance(1)  # (within the command rate)
            carol.send(line)
        alice.output()
        return world, alice, carol

    def loads(self, sleepers: int, line: str) -> tuple[int, str, str]:
        """
        The objects Carol's C{line} loads beside C{sleepers} sleeping
        characters, what she was told and what Alice heard.
        """
        world, alice, carol = self.square(sleepers)
        world.clock.advance(1)
        count = loaded(world.store)
        said = carol.send(line)
        return count(), said, alice.output()

    def test_a_say_reads_only_the_awake(self) -> None:
        """
        A say beside two thousand sleepers loads about as many objects as
        beside ten (it read every sleeper before), and Alice, awake there,
        hears it.
        """
        few, _, heard = self.loads(10, "say hello")
        self.assertIn('Carol says, "hello"', heard)
        many, _, heard = self.loads(ARMY, "say hello")
        self.assertIn('Carol says, "hello"', heard)
        self.assertLess(many, few + FEW, (few, many))

    def test_walking_in_reads_only_the_awake(self) -> None:
        """
        Walking into the square past two thousand sleepers (and looking
        round, as arriving does) reads no sleeper past the first
        L{MAX_LISTED} the look names (2,161 objects before): only the
        buckets of the square's list of what is there (dozens of
        references each), to find its things among them. Alice sees
        Carol arrive.
        """
        counts = []
        for sleepers in (10, ARMY):
            world, alice, carol = self.square(sleepers)
            carol.send("north")
            world.clock.advance(1)
            alice.output()
            count = loaded(world.store)
            carol.send("south")
            counts.append(count())
            self.assertIn("Carol arrives", alice.output())
        self.assertLess(counts[1], counts[0] + FEW + MAX_LISTED + ARMY // 25, counts)

    def test_a_look_names_the_first_sleepers_and_counts_the_rest(self) -> None:
        """
        A look round the square names Alice, awake, and the first
        L{MAX_LISTED} sleepers, and counts the others.
        """
        _, said, _ = self.loads(ARMY, "look")
        self.assertIn("Alice is here.", said)
        self.assertIn("Sleeper0 is here, asleep.", said)
        self.assertIn(f"Sleeper{MAX_LISTED - 1} is here, asleep.", said)
        self.assertNotIn(f"Sleeper{MAX_LISTED} is here", said)
        self.assertIn(f"{ARMY - MAX_LISTED:,} others are here, asleep.", said)
        _, said, _ = self.loads(3, "look")
        self.assertIn("Alice is here.\nSleeper0 is here, asleep.", said)
        self.assertNotIn("others are here", said)

    def test_a_sleeper_is_named_and_asleep(self) -> None:
        """
        A sleeper is still there to be looked at, and is asleep.
        """
        _, said, _ = self.loads(ARMY, "look sleeper1999")
        self.assertIn("Sleeper1999 is asleep.", said)

    def test_an_unknown_name_works_out_no_sleepers_names(self) -> None:
        """
        Looking for a name nobody answers to beside two thousand sleepers
        works out the look-alike keys of the name looked for, not each
        sleeper's again: those are kept on each character when it is named
        or moves.
        """
        world, _, carol = self.square(ARMY)
        worked: list[str] = []
        real = objects.keys

        def counted(name: str) -> frozenset[str]:
            worked.append(name)
            return real(name)

        self.patch(objects, "keys", counted)
        world.clock.advance(1)
        said = carol.send("look wombat")
        self.assertIn("You don't see 'wombat'", said)
        self.assertLess(len(worked), 10, worked[:20])

    def test_an_unknown_name_reads_no_sleeper(self) -> None:
        """
        Looking for a name nobody answers to beside two thousand sleepers
        reads the buckets of the square's list of its characters, which
        keeps their names, not the sleepers (2,083 objects before).
        """
        few, said, _ = self.loads(10, "look wombat")
        self.assertIn("You don't see 'wombat'", said)
        many, said, _ = self.loads(ARMY, "look wombat")
        self.assertIn("You don't see 'wombat'", said)
        self.assertLess(many, few + FEW + ARMY // 25, (few, many))

    def test_keys_are_kept_on_the_character(self) -> None:
        """
        A character keeps the look-alike keys of its names, made when it
        arrives somewhere.
        """
        world, _, _ = self.square(1)
        with world.store.turn() as turn:
            sleeper = next(o for o in turn.root.all() if o.name == "Sleeper0")
            self.assertEqual(objects.character_names(sleeper),
                             (("sleeper0",), objects.keys("sleeper0")))
            self.assertIsNotNone(sleeper.names_kept)


class StoredBeforeTests(TestCase):
    """
    A world stored before places counted their scripted things and kept
    their characters' names, and characters kept their names' keys
    (generation 20) is upgraded, or sorted when first needed.
    """

    def test_upgrade_counts_and_keeps(self) -> None:
        made: dict[str, int] = {}

        def old(root: WorldRoot) -> None:
            hall = root.create(Room, "Hall")
            root.start_room = hall
            made["hall"] = hall.id
            sleeper = root.create(Character, "Sleeper", location=hall)
            made["sleeper"] = sleeper.id
            bell = root.create(Thing, "bell", location=hall)
            set_script(bell, LISTENER, ("on_hear",), None)
            root.create(Thing, "pebble", location=hall)
            for obj in root.all():  # as generation 20 stored them
                people = obj.contents._people
                for key, entry in [] if people is None else list(people.items()):
                    people[key] = entry[0]
                obj.contents.__dict__.pop("_scripted_things", None)
                obj.contents.__dict__.pop("_listing_kept", None)
                obj.contents._p_changed = True
                obj.__dict__.pop("names_kept", None)
                obj._p_changed = True

        store = upgraded(self, 20, old)
        self.assertEqual(store.generation, 21)
        hall = store.root.get(made["hall"])
        self.assertEqual(hall.contents.__dict__["_scripted_things"], 1)
        self.assertEqual(store.root.get(made["sleeper"]).names_kept[2], ("sleeper",))
        self.assertEqual(list(hall.contents.characters()), [store.root.get(made["sleeper"])])
        self.assertEqual(containment.check_invariants(store.root.all()), [])

    def test_contents_not_upgraded_are_counted_when_first_needed(self) -> None:
        root = WorldRoot()
        hall = root.create(Room, "Hall")
        bell = root.create(Thing, "bell", location=hall)
        set_script(bell, LISTENER, ("on_hear",), None)
        carol = root.create(Character, "Carol", location=hall)
        for name in ("_scripted_things", "_listing_kept"):  # as generation 20 stored it
            hall.contents.__dict__.pop(name, None)
        hall.contents._people[carol.arrival] = carol
        self.assertEqual(hall.contents.listed(20), ([bell], 0, 0))
        self.assertEqual(list(hall.contents.characters()), [carol])
        self.assertEqual(containment.check_invariants(root.all()), [])
