"""
Tests for L{world.properties}: one record per property, limits, and the
schema generation that moves older worlds to it.
"""

from __future__ import annotations

import os
import shutil

from twisted.trial.unittest import TestCase

from world.objects import Room, Thing
from world.properties import (
    MAX_PROPERTIES,
    MAX_PROPERTY_BYTES,
    Properties,
    PropertyError,
    measure,
)
from world.root import GENERATION
from world.store import WorldStore
from world.values import charged_size

DATA = os.path.join(os.path.dirname(__file__), "data")


class PropertiesTests(TestCase):
    def setUp(self) -> None:
        self.store = WorldStore(None)
        self.addCleanup(self.store.close)
        with self.store.turn() as turn:
            room = turn.root.create(Room, "Hall")
            self.thing = turn.root.create(Thing, "lamp", location=room)

    def written(self, change) -> int:
        """
        The bytes the turn running C{change(thing)} writes to the database.
        """
        before = self.store.db.getSize()
        with self.store.turn():
            change(self.thing)
        return self.store.db.getSize() - before

    def test_one_change_writes_one_small_record(self) -> None:
        """
        With sixty big properties on an object, changing one writes about
        that one value, not all of them.
        """
        big = "x" * (MAX_PROPERTY_BYTES - 100)

        def fill(thing: Thing) -> None:
            for i in range(60):
                thing.set_property(f"p{i}", big)

        self.assertGreater(self.written(fill), 60 * len(big))
        self.assertLess(self.written(lambda t: t.set_property("p30", "small")), 2048)
        self.assertLess(self.written(lambda t: t.set_property("p31", big)),
                        len(big) + 2048)
        self.assertLess(self.written(lambda t: t.properties.pop("p32")), 4096)

    def test_key_cap(self) -> None:
        """
        An object takes at most MAX_PROPERTIES keys; changing one of them is
        still allowed at the cap, and nothing changes on a refusal.
        """
        with self.store.turn():
            for i in range(MAX_PROPERTIES):
                self.thing.set_property(f"k{i}", i)
            self.thing.set_property("k0", "changed")
            e = self.assertRaises(PropertyError, self.thing.set_property, "one-more", 1)
        self.assertIn(f"more than {MAX_PROPERTIES} properties", str(e))
        self.assertNotIn("one-more", self.thing.properties)
        self.assertEqual(len(self.thing.properties), MAX_PROPERTIES)

    def test_value_cap_and_sizes(self) -> None:
        """
        A value over MAX_PROPERTY_BYTES as canonical JSON is refused; sizes
        and totals follow every change.
        """
        props = Properties()
        self.assertRaises(PropertyError, props.set, "k", "x" * MAX_PROPERTY_BYTES)
        self.assertRaises(PropertyError, props.set, "k", {1: 2})
        self.assertRaises(PropertyError, props.set, "", 1)
        props.set("a", [1, 2], charged=7)
        props.set("b", {"z": "é"})
        self.assertEqual(props.bytes, measure("a", [1, 2]) + measure("b", {"z": "é"}))
        self.assertEqual(measure("b", {"z": "é"}), 1 + charged_size({"z": "é"}))
        self.assertEqual(charged_size({"z": "é"}), 8 + 11 + 12)  # a dict and two texts' pickles
        self.assertEqual(props.charged, 7)
        self.assertEqual(props.pop("a"), [1, 2])
        self.assertEqual(props.charged, 0)
        self.assertEqual(props.pop("a", None), None)
        self.assertEqual(list(props), ["b"])
        self.assertEqual(dict(props.items()), {"b": {"z": "é"}})


class GenerationThreeTests(TestCase):
    def test_upgrade_a_generation_one_world(self) -> None:
        """
        A database written by generation 1 (properties in one mapping per
        object; generation 3 moved them) opens upgraded: every property kept, in records of its own,
        charged to nobody, even the one bigger than properties may be now.
        """
        path = os.path.join(self.mktemp(), "old.fs")
        os.makedirs(os.path.dirname(path))
        shutil.copy(os.path.join(DATA, "generation1.fs"), path)
        store = WorldStore(path)
        self.addCleanup(store.close)
        self.assertEqual(store.generation, GENERATION)
        self.assertGreaterEqual(GENERATION, 3)
        with store.turn() as turn:
            lamp = next(o for o in turn.root.all() if o.name == "lamp")
            door = next(o for o in turn.root.all() if o.name == "north")
            self.assertIs(type(lamp.properties), Properties)
            self.assertEqual(lamp.properties["lit"], True)
            self.assertEqual(lamp.properties["notes"], ["a", {"b": 2}])
            self.assertEqual(len(lamp.properties["big"]), 9000)
            self.assertEqual(lamp.properties.charged, 0)
            self.assertEqual(door.properties.get("locked"), True)
            lamp.set_property("lit", False)
        store.close()
        again = WorldStore(path)
        self.addCleanup(again.close)
        with again.turn() as turn:
            lamp = next(o for o in turn.root.all() if o.name == "lamp")
            self.assertEqual(lamp.properties["lit"], False)
            self.assertEqual(sorted(lamp.properties), ["big", "lit", "notes"])
