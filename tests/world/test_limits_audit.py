"""
Limits and refusals in the world layer that each need a test of their own:
plain values, object creation and destruction, and a database holding
something else.
"""

from __future__ import annotations

import os

import transaction
import ZODB
from persistent.mapping import PersistentMapping
from twisted.trial import unittest
from ZODB.FileStorage import FileStorage

from engine.testing import HALL_AND_YARD
from scripting.facets.lifecycle import KEEPER
from world.errors import WorldError
from world.loader import ContentError, check, load
from world.objects import Exit, Room, Thing
from world.root import WorldRoot
from world.store import ROOT_KEY, StoreError, WorldStore
from world.values import MAX_DEPTH, MAX_ITEMS, MAX_STRING, NotPlain, check_plain


def nested(depth):
    value = 0
    for _ in range(depth):
        value = [value]
    return value


class PlainValueLimitTests(unittest.TestCase):
    """
    L{check_plain} at each of its bounds.
    """

    def test_depth(self):
        check_plain(nested(MAX_DEPTH))
        e = self.assertRaises(NotPlain, check_plain, nested(MAX_DEPTH + 1))
        self.assertIn(f"nested more than {MAX_DEPTH} deep", str(e))

    def test_depth_through_dicts(self):
        value = 0
        for _ in range(MAX_DEPTH + 1):
            value = {"k": value}
        self.assertRaises(NotPlain, check_plain, value)

    def test_items(self):
        # The list itself counts as one item.
        self.assertEqual(check_plain(list(range(MAX_ITEMS - 1))), MAX_ITEMS)
        e = self.assertRaises(NotPlain, check_plain, list(range(MAX_ITEMS)))
        self.assertIn(f"more than {MAX_ITEMS} items", str(e))

    def test_items_counted_across_levels(self):
        half = MAX_ITEMS // 2
        value = {"a": [0] * half, "b": [0] * half}
        self.assertRaises(NotPlain, check_plain, value)

    def test_string(self):
        check_plain("s" * MAX_STRING)
        e = self.assertRaises(NotPlain, check_plain, "s" * (MAX_STRING + 1))
        self.assertIn(f"longer than {MAX_STRING}", str(e))
        self.assertRaises(NotPlain, check_plain, ["ok", {"k": "s" * (MAX_STRING + 1)}])

    def test_floats_finite(self):
        check_plain(1.5)
        for bad in (float("inf"), float("-inf"), float("nan")):
            e = self.assertRaises(NotPlain, check_plain, [bad])
            self.assertIn("finite", str(e))

    def test_keys_are_strings(self):
        e = self.assertRaises(NotPlain, check_plain, {1: "one"})
        self.assertIn("keys must be strings", str(e))

    def test_other_types(self):
        class Sneaky(str):
            pass

        for bad in (b"bytes", {1, 2}, object(), Sneaky("x"), 1j):
            e = self.assertRaises(NotPlain, check_plain, bad)
            self.assertIn("is not a plain value", str(e))


class CreateDestroyRefusalTests(unittest.TestCase):
    """
    L{WorldRoot.create} and L{WorldRoot.destroy} refuse without changing
    anything.
    """

    def setUp(self):
        self.root = WorldRoot()
        self.hall = self.root.create(Room, "hall")
        self.root.start_room = self.hall

    def test_non_room_needs_location(self):
        before = (self.root.next_id, len(self.root.objects))
        e = self.assertRaises(WorldError, self.root.create, Thing, "pebble")
        self.assertIn("needs somewhere to be", str(e))
        self.assertEqual((self.root.next_id, len(self.root.objects)), before)

    def test_content_id_taken(self):
        first = self.root.create(Thing, "pebble", location=self.hall, content_id="pebble")
        before = (self.root.next_id, len(self.root.objects), list(self.hall.contents))
        e = self.assertRaises(WorldError, self.root.create, Thing, "stone",
                              location=self.hall, content_id="pebble")
        self.assertIn("already taken", str(e))
        self.assertEqual((self.root.next_id, len(self.root.objects), list(self.hall.contents)),
                         before)
        self.assertIs(self.root.by_content("pebble"), first)

    def test_start_room_not_destroyed(self):
        pebble = self.root.create(Thing, "pebble", location=self.hall)
        e = self.assertRaises(WorldError, self.root.destroy, self.hall)
        self.assertIn("start room", str(e))
        self.assertIs(self.root.get(self.hall.id), self.hall)
        self.assertIs(pebble.location, self.hall)

    def test_nowhere_to_spill(self):
        self.root.start_room = None
        pebble = self.root.create(Thing, "pebble", location=self.hall)
        e = self.assertRaises(WorldError, self.root.destroy, self.hall)
        self.assertIn("nowhere to go", str(e))
        self.assertIs(pebble.location, self.hall)

    def test_destroying_a_room_takes_exits_into_it(self):
        yard = self.root.create(Room, "yard")
        door = self.root.create(Exit, "out", location=self.hall, destination=yard)
        gone = self.root.destroy(yard)
        self.assertIn(door, gone)
        self.assertIsNone(self.root.get(door.id))
        self.assertNotIn(door, list(self.hall.contents))


class ForeignDatabaseTests(unittest.TestCase):
    """
    A FileStorage database that holds something other than a Tessera world
    under Tessera's key is refused and left as it was.
    """

    def test_not_a_world(self):
        path = os.path.join(self.mktemp(), "world.fs")
        os.makedirs(os.path.dirname(path))
        db = ZODB.DB(FileStorage(path))
        with transaction.manager:
            db.open().root()[ROOT_KEY] = PersistentMapping({"mine": 1})
        db.close()
        with open(path, "rb") as f:
            before = f.read()
        e = self.assertRaises(StoreError, WorldStore, path)
        self.assertIn("not a Tessera world", str(e))
        with open(path, "rb") as f:
            self.assertEqual(f.read(), before)
        db = ZODB.DB(FileStorage(path, read_only=True))
        try:
            self.assertEqual(dict(db.open().root()[ROOT_KEY]), {"mine": 1})
        finally:
            db.close()


TOWN = HALL_AND_YARD


class ContentShapeTests(unittest.TestCase):
    """
    Content whose tables have the wrong shape is reported at its file and
    line, and a folder with problems loads nothing.
    """

    def folder(self, **files):
        directory = self.mktemp()
        os.makedirs(directory)
        for name, text in files.items():
            with open(os.path.join(directory, f"{name}.toml"), "w", encoding="utf-8") as f:
                f.write(text)
        return directory

    def test_room_not_a_table(self):
        d = self.folder(town=TOWN, bad="[rooms]\ncellar = 5\n")
        self.assertEqual(check(d),
                         [f"{d}/bad.toml:2: rooms.cellar must be a table, not a whole number"])

    def test_thing_not_a_table(self):
        d = self.folder(town=TOWN, bad='[things]\nlamp = "a lamp"\n')
        self.assertEqual(check(d), [
            f"{d}/bad.toml:2: things.lamp must be a table, not the string 'a lamp'"])

    def test_exit_not_a_room_id_or_table(self):
        d = self.folder(town=TOWN.replace('exits.south = "hall"', "exits.south = 3"))
        problems = check(d)
        self.assertTrue(any("exit 'south' of room 'yard' must be a room id or a table with "
                            "'to', not a whole number" in p for p in problems), problems)

    def test_two_exits_one_direction(self):
        d = self.folder(town=TOWN.replace('exits.north = "yard"',
                                          'exits.north = "yard"\nexits.n = "yard"'))
        problems = check(d)
        self.assertTrue(any("room 'hall' has two exits 'north'" in p for p in problems),
                        problems)

    def test_unreadable_file(self):
        d = self.folder(town=TOWN)
        os.symlink(os.path.join(d, "nowhere"), os.path.join(d, "gone.toml"))
        problems = check(d)
        self.assertEqual(len(problems), 1, problems)
        self.assertTrue(problems[0].startswith(f"{d}/gone.toml:1: cannot read this file"),
                        problems)

    def test_problems_load_nothing(self):
        d = self.folder(town=TOWN.replace('exits.north = "yard"',
                                          'exits.north = "yard"\nexits.n = "yard"'))
        store = WorldStore()
        self.addCleanup(store.close)
        e = self.assertRaises(ContentError, load, store, d, keeper=KEEPER)
        self.assertIn("has two exits", str(e))
        with store.turn() as turn:
            self.assertEqual(list(turn.root.all()), [])
            self.assertIsNone(turn.root.start_room)
