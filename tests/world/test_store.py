"""
Tests for L{world.store}: turns commit or roll back whole, the world
survives a real close and reopen, and every way the database can be
unusable is one clear L{StoreError} that leaves the file untouched.
"""

from __future__ import annotations

import importlib
import os

from twisted.internet import task
from twisted.trial import unittest
from zope.interface import implementer

import world.root
from world import generations
from world.containment import check_invariants, move
from world.events import Event
from world.interfaces import IMind
from world.objects import Character, Container, Exit, Room, Thing
from world.registries import GrantRegistry, TimerRegistry
from world.store import FILESTORAGE_MAGIC, StoreError, WorldStore


@implementer(IMind)
class RecordingMind:
    """
    A mind that remembers what it perceived, and whether a turn was open.
    """

    def __init__(self, store: WorldStore) -> None:
        self.store = store
        self.events: list[Event] = []
        self.during_turn: list[bool] = []

    def perceive(self, event: Event) -> None:
        self.events.append(event)
        self.during_turn.append(self.store.current_turn is not None)


class Boom(Exception):
    """
    Raised to end a turn in failure.
    """


def build(store: WorldStore) -> None:
    """
    A small world: two rooms linked both ways, a character holding a bag
    with a coin in it, an account, a start room.
    """
    with store.turn() as turn:
        root = turn.root
        hall = root.create(Room, "Hall", description="A hall.", content_id="hall")
        yard = root.create(Room, "Yard", description="A yard.")
        root.create(Exit, "north", location=hall, destination=yard)
        root.create(Exit, "south", location=yard, destination=hall)
        ann = root.create(Character, "Ann", location=hall)
        bag = root.create(Container, "bag", location=ann)
        coin = root.create(Thing, "coin", aliases=("money",), location=bag)
        coin.set_property("value", 3)
        coin.set_property("history", {"found": ["cave", 1]})
        root.accounts["ann"] = {"character": ann.id, "hash": "x"}
        root.start_room = hall


class TurnTests(unittest.TestCase):
    """
    A turn is one transaction: committed whole, or rolled back whole.
    """

    def setUp(self) -> None:
        self.store = WorldStore()
        self.addCleanup(self.store.close)
        build(self.store)
        self.root = self.store.root
        self.ann = self.root.get(5)
        self.mind = RecordingMind(self.store)
        self.store.minds[self.ann.id] = self.mind

    def test_events_after_commit(self) -> None:
        """
        Events told during a turn reach minds once, after the commit.
        """
        with self.store.turn() as turn:
            turn.tell(self.ann, Event("system", "hello"))
            turn.tell_room(self.ann.location, Event("say", "hi all"))
            self.assertEqual(self.mind.events, [])
        self.assertEqual([e.text for e in self.mind.events], ["hello", "hi all"])
        self.assertEqual(self.mind.during_turn, [False, False])

    def test_rollback_restores_memory(self) -> None:
        """
        A turn that raises leaves no trace in memory: attributes, contents,
        properties, new objects and the next id are as they were, and no event
        is delivered.
        """
        hall, yard = self.root.get(1), self.root.get(2)
        coin, bag = self.root.get(7), self.root.get(6)
        next_id = self.root.next_id
        with self.assertRaises(Boom), self.store.turn() as turn:
            hall.description = "Changed."
            coin.set_property("value", 99)
            move(coin, yard)
            turn.root.create(Thing, "ghost", location=hall)
            turn.root.start_room = yard
            turn.root.accounts["bob"] = {}
            turn.tell(self.ann, Event("system", "never"))
            raise Boom()
        self.assertEqual(hall.description, "A hall.")
        self.assertEqual(coin.properties["value"], 3)
        self.assertIs(coin.location, bag)
        self.assertEqual([o.name for o in yard.contents], ["south"])
        self.assertEqual(self.root.next_id, next_id)
        self.assertEqual([o.name for o in self.root.all()],
                         ["Hall", "Yard", "north", "south", "Ann", "bag", "coin"])
        self.assertIs(self.root.start_room, hall)
        self.assertNotIn("bob", self.root.accounts)
        self.assertEqual(self.mind.events, [])
        self.assertEqual(check_invariants(self.root.all()), [])

    def test_turns_do_not_nest(self) -> None:
        """
        Opening a turn inside a turn is a programming error, and the outer
        turn still rolls back.
        """
        hall = self.root.get(1)
        with self.assertRaises(RuntimeError), self.store.turn():
            hall.name = "Changed"
            with self.store.turn():
                pass
        self.assertEqual(hall.name, "Hall")


class FileStoreTests(unittest.TestCase):
    """
    The world on disk: a real FileStorage in a temporary directory.
    """

    def setUp(self) -> None:
        self.directory = self.mktemp()
        os.makedirs(self.directory)
        self.path = os.path.join(self.directory, "world.fs")

    def open(self, **kw) -> WorldStore:
        store = WorldStore(self.path, **kw)
        self.addCleanup(store.close)
        return store

    def test_round_trip(self) -> None:
        """
        Objects, containment, properties, accounts and the start room survive
        closing and reopening the file.
        """
        store = self.open()
        build(store)
        store.close()
        root = self.open().root
        hall, yard = root.get(1), root.get(2)
        ann, bag, coin = root.get(5), root.get(6), root.get(7)
        self.assertEqual((hall.name, hall.description), ("Hall", "A hall."))
        self.assertEqual([e.destination for e in hall.exits()], [yard])
        self.assertIs(ann.location, hall)
        self.assertIs(bag.location, ann)
        self.assertIs(coin.location, bag)
        self.assertEqual(coin.aliases, ("money",))
        self.assertEqual(dict(coin.properties),
                         {"value": 3, "history": {"found": ["cave", 1]}})
        self.assertEqual(root.accounts["ann"], {"character": 5, "hash": "x"})
        self.assertIs(root.start_room, hall)
        self.assertIs(root.by_content("hall"), hall)
        self.assertEqual(root.next_id, 8)
        self.assertEqual(check_invariants(root.all()), [])

    def test_rollback_leaves_nothing_on_disk(self) -> None:
        """
        A rolled-back turn writes nothing: after reopening, the world is as
        the last committed turn left it.
        """
        store = self.open()
        build(store)
        size = os.path.getsize(self.path)
        with self.assertRaises(Boom), store.turn() as turn:
            hall = turn.root.get(1)
            hall.description = "Changed."
            turn.root.create(Thing, "ghost", location=hall)
            move(turn.root.get(7), hall)
            raise Boom()
        self.assertEqual(os.path.getsize(self.path), size)
        store.close()
        root = self.open().root
        self.assertEqual(root.get(1).description, "A hall.")
        self.assertIs(root.get(7).location, root.get(6))
        self.assertIsNone(root.get(8))
        self.assertEqual(root.next_id, 8)

    def test_pack(self) -> None:
        """
        Packing drops old revisions (the file shrinks) and keeps the world.
        """
        store = self.open()
        build(store)
        for n in range(20):
            with store.turn() as turn:
                turn.root.get(1).description = f"Revision {n}. " * 50
        before = os.path.getsize(self.path)
        store.pack()
        self.assertLess(os.path.getsize(self.path), before)
        store.close()
        self.assertEqual(self.open().root.get(1).description, "Revision 19. " * 50)

    def assertRefused(self, fragment: str, **kw) -> StoreError:
        """
        Opening the database fails with a one-line L{StoreError} containing
        C{fragment}.
        """
        e = self.assertRaises(StoreError, WorldStore, self.path, **kw)
        self.assertIn(fragment, str(e))
        self.assertNotIn("\n", str(e))
        return e

    def test_locked(self) -> None:
        """
        A database another store has open is refused as in use, and the open
        one goes on working.
        """
        store = self.open()
        build(store)
        self.assertRefused("in use by another process")
        with store.turn() as turn:
            turn.root.get(1).name = "Still here"
        self.assertEqual(store.root.get(1).name, "Still here")

    def test_unwritable_directory(self) -> None:
        """
        A path whose folder cannot be made (a file is in the way) is refused.
        """
        blocker = os.path.join(self.directory, "file")
        with open(blocker, "w") as f:
            f.write("x")
        self.path = os.path.join(blocker, "world.fs")
        self.assertRefused("cannot create")
        with open(blocker) as f:
            self.assertEqual(f.read(), "x")

    def test_read_only_file(self) -> None:
        """
        A database file the server may not write is refused before it is
        opened. (Simulated: the tests may run as root, who may write
        anything.)
        """
        store = self.open()
        build(store)
        store.close()
        real_access = os.access
        target = os.path.abspath(self.path)
        self.patch(os, "access", lambda path, mode: (
            False if os.path.abspath(path) == target and mode == os.W_OK
            else real_access(path, mode)))
        self.assertRefused("permission denied")

    def test_directory_path(self) -> None:
        """
        A path naming a folder is refused.
        """
        self.path = self.directory
        self.assertRefused("is a directory")

    def test_missing_when_not_creating(self) -> None:
        """
        With create=False, a missing database is refused and not made.
        """
        self.assertRefused("there is no database", create=False)
        self.assertFalse(os.path.exists(self.path))

    def test_corrupt(self) -> None:
        """
        A file that is not a database is refused and left byte for byte as
        it was; trying again gives the same answer (no lock is left held).
        """
        garbage = b"this is not a database\n" * 100
        with open(self.path, "wb") as f:
            f.write(garbage)
        self.assertRefused("not a Tessera database")
        self.assertRefused("not a Tessera database")
        with open(self.path, "rb") as f:
            self.assertEqual(f.read(), garbage)

    def test_damaged(self) -> None:
        """
        A file that starts like a database but is damaged is refused, left
        as it was, and not left locked.
        """
        damaged = FILESTORAGE_MAGIC + b"\x00\x01" * 200
        with open(self.path, "wb") as f:
            f.write(damaged)
        self.assertRefused("is damaged")
        self.assertRefused("is damaged")
        with open(self.path, "rb") as f:
            self.assertEqual(f.read(), damaged)

    def test_torn_last_turn(self) -> None:
        """
        A turn half-written when the process died (a torn tail) is dropped on
        reopening, and every turn committed before it is kept.
        """
        store = self.open()
        build(store)
        committed = os.path.getsize(self.path)
        with store.turn() as turn:
            turn.root.get(1).name = "Torn"
        written = os.path.getsize(self.path)
        store.close()
        with open(self.path, "r+b") as f:
            f.truncate(committed + (written - committed) // 2)
        root = self.open().root
        self.assertEqual(root.get(1).name, "Hall")
        self.assertIs(root.get(7).location, root.get(6))

    def test_newer_generation(self) -> None:
        """
        A database written by a newer schema generation is refused, unchanged.
        """
        store = self.open()
        build(store)
        with store.turn() as turn:
            turn.root.generation = world.root.GENERATION + 1
        store.close()
        with open(self.path, "rb") as f:
            before = f.read()
        e = self.assertRefused("written by a newer Tessera")
        self.assertIn(f"generation {world.root.GENERATION + 1}", str(e))
        with open(self.path, "rb") as f:
            self.assertEqual(f.read(), before)

    def test_upgrade_step(self) -> None:
        """
        Opening a database of an older generation runs the registered steps
        in order, once, and stores the new generation.
        """
        store = self.open()
        build(store)
        store.close()
        old = world.root.GENERATION
        ran: list[int] = []

        def step(root) -> None:
            ran.append(root.generation)
            for obj in root.all():
                if isinstance(obj, Room):
                    obj.weather = "fog"

        self.patch(world.root, "GENERATION", old + 1)
        self.patch(generations, "STEPS", {old: step})
        store = self.open()
        self.assertEqual(ran, [old])
        self.assertEqual(store.generation, old + 1)
        self.assertEqual(store.root.get(1).weather, "fog")
        store.close()
        store = self.open()
        self.assertEqual(ran, [old])
        self.assertEqual(store.root.get(2).weather, "fog")

    def test_generation_1_gets_script_trees(self) -> None:
        """
        A generation 1 world (scripts' trees attached only once needed) is
        upgraded to declare all four: those it had are kept, the others made.
        """
        store = self.open()
        build(store)
        with store.turn() as turn:
            root = turn.root
            for name in ("grants", "timers", "script_state"):
                delattr(root, name)
            root.accounting[5] = "an owner's account"
            root.generation = 1
        store.close()
        self.patch(world.root, "GENERATION", 2)  # this step alone; later ones test themselves
        store = self.open()
        root = store.root
        self.assertEqual(store.generation, 2)
        self.assertIsInstance(root.grants, GrantRegistry)
        self.assertIsInstance(root.timers, TimerRegistry)
        self.assertEqual(len(root.script_state), 0)
        self.assertEqual(dict(root.accounting), {5: "an owner's account"})
        self.assertEqual(root.get(1).name, "Hall")

    def test_generation_3_gets_libraries(self) -> None:
        """
        A generation 3 world gets the tree of players' libraries, keeping
        everything else.
        """
        from world.libraries import LibraryRegistry

        store = self.open()
        build(store)
        with store.turn() as turn:
            del turn.root.libraries
            turn.root.accounting[5] = "an owner's account"
            turn.root.generation = 3
        store.close()
        self.patch(world.root, "GENERATION", 4)  # this step alone; later ones test themselves
        store = self.open()
        self.assertEqual(store.generation, 4)
        self.assertIsInstance(store.root.libraries, LibraryRegistry)
        self.assertEqual(dict(store.root.accounting), {5: "an owner's account"})

    def test_new_root_declares_script_trees(self) -> None:
        """
        A new world has every tree scripts keep, with nothing in them.
        """
        root = self.open().root
        for name in world.root.SCRIPT_TREES:
            self.assertIn(name, root.__dict__)
        self.assertEqual(len(root.grants.live), 0)

    def test_failed_upgrade(self) -> None:
        """
        An upgrade step that fails is one clear error, and the database is
        left exactly as it was.
        """
        store = self.open()
        build(store)
        store.close()
        with open(self.path, "rb") as f:
            before = f.read()
        old = world.root.GENERATION

        def step(root) -> None:
            root.get(1).name = "half-upgraded"
            raise ValueError("no weather table")

        self.patch(world.root, "GENERATION", old + 1)
        self.patch(generations, "STEPS", {old: step})
        self.assertRefused("no weather table")
        with open(self.path, "rb") as f:
            self.assertEqual(f.read(), before)

    def test_missing_step(self) -> None:
        """
        A generation with no upgrade step is refused, not half-opened.
        """
        store = self.open()
        build(store)
        store.close()
        self.patch(world.root, "GENERATION", world.root.GENERATION + 1)
        self.patch(generations, "STEPS", {})
        self.assertRefused("no upgrade step")


class CacheSizeTests(unittest.TestCase):
    """
    The object cache is sized for a world, not ZODB's 400 records.
    """

    def test_default(self) -> None:
        """
        A store keeps DEFAULT_CACHE_SIZE records by default.
        """
        from world.store import DEFAULT_CACHE_SIZE

        store = WorldStore(None)
        self.addCleanup(store.close)
        self.assertGreaterEqual(DEFAULT_CACHE_SIZE, 100_000)
        self.assertEqual(store.db.getCacheSize(), DEFAULT_CACHE_SIZE)

    def test_chosen(self) -> None:
        """
        The size asked for is the connection's: a turn that touches more
        records than it holds keeps no more than that in memory after it.
        """
        store = WorldStore(self.mktemp(), cache_size=50)
        self.addCleanup(store.close)
        with store.turn() as turn:
            room = turn.root.create(Room, "Hall")
            for i in range(100):
                turn.root.create(Thing, f"stone {i}", location=room)
        self.assertEqual(store.connection._cache.cache_size, 50)
        store.connection.cacheGC()
        self.assertLessEqual(store.connection._cache.ringlen(), 60)


class SyncInBatchesTests(unittest.TestCase):
    """
    A server's store writes each turn to the file at once and puts every turn
    of a reactor turn on the disk with one C{fsync}.
    """

    def setUp(self) -> None:
        directory = self.mktemp()
        os.makedirs(directory)
        self.path = os.path.join(directory, "world.fs")
        self.fsyncs: list[int] = []

        def counting(fd: int) -> None:
            self.fsyncs.append(fd)
            real(fd)

        real = os.fsync
        self.patch(os, "fsync", counting)
        # The module, not the class of the same name its package exports.
        self.patch(importlib.import_module("ZODB.FileStorage.FileStorage"), "fsync", counting)
        self.store = WorldStore(self.path)
        self.addCleanup(self.store.close)
        with self.store.turn() as turn:
            self.room = turn.root.create(Room, "Hall")
        self.clock = task.Clock()

    def batched(self) -> None:
        self.store.sync_in_batches(lambda sync: self.clock.callLater(0, sync))

    def change(self, count: int) -> None:
        for i in range(count):
            with self.store.turn() as turn:
                turn.root.create(Thing, f"stone {i}", location=self.room)

    def test_every_turn_by_default(self) -> None:
        """
        Without batches, each turn that changes something is on the disk
        when it ends.
        """
        del self.fsyncs[:]
        self.change(3)
        self.assertEqual(len(self.fsyncs), 3)

    def test_one_fsync_per_reactor_turn(self) -> None:
        """
        Turns committed in one reactor turn share one fsync, made once the
        reactor turn is over; the next reactor turn's turns get their own.
        """
        self.batched()
        del self.fsyncs[:]
        self.change(5)
        self.assertEqual(self.fsyncs, [])
        self.clock.advance(0)
        self.assertEqual(len(self.fsyncs), 1)
        self.change(2)
        self.clock.advance(0)
        self.assertEqual(len(self.fsyncs), 2)

    def test_turn_that_changes_nothing(self) -> None:
        """
        A turn that only reads asks for no fsync.
        """
        self.batched()
        del self.fsyncs[:]
        with self.store.turn() as turn:
            turn.root.get(self.room.id)
        self.assertEqual(self.clock.getDelayedCalls(), [])
        self.clock.advance(0)
        self.assertEqual(self.fsyncs, [])

    def test_written_before_the_fsync(self) -> None:
        """
        A turn is in the file as soon as it ends, before its fsync: a copy of
        the file as the operating system has it then (what a server killed
        with kill -9 leaves) opens with the turn in it.
        """
        self.batched()
        del self.fsyncs[:]
        self.change(3)
        self.assertEqual(self.fsyncs, [])
        copy = self.path + ".copy"
        with open(self.path, "rb") as f, open(copy, "wb") as g:
            g.write(f.read())
        reopened = WorldStore(copy, create=False)
        self.addCleanup(reopened.close)
        names = sorted(o.name for o in reopened.root.get(self.room.id).contents)
        self.assertEqual(names, ["stone 0", "stone 1", "stone 2"])

    def test_close_syncs(self) -> None:
        """
        Closing the store puts the turns not yet synced on the disk.
        """
        self.batched()
        del self.fsyncs[:]
        self.change(2)
        self.store.close()
        self.assertEqual(len(self.fsyncs), 1)
        self.clock.advance(0)
        self.assertEqual(len(self.fsyncs), 1)

    def test_memory_world(self) -> None:
        """
        A world in memory has no disk: batching it changes nothing.
        """
        store = WorldStore(None)
        self.addCleanup(store.close)
        store.sync_in_batches(lambda sync: self.clock.callLater(0, sync))
        with store.turn() as turn:
            turn.root.create(Room, "Hall")
        self.assertEqual(self.clock.getDelayedCalls(), [])
