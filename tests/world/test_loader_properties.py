"""
Property test for L{world.loader}: any interleaving of builders editing
content, players changing the world and reloads keeps the world consistent,
keeps what play changed unless the builder changed the same field, and leaves
every reload after the first a no-op.
"""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st
from twisted.trial import unittest

from scripting.facets.lifecycle import KEEPER
from world.containment import check_invariants, move
from world.loader import LoadReport, load
from world.objects import Character, Thing
from world.store import WorldStore

ROOMS = ("r0", "r1", "r2")
THINGS = ("box", "t0", "t1", "t2")
PLACES = (*ROOMS, "box")

operations = st.lists(st.one_of(
    st.tuples(st.just("describe"), st.sampled_from(ROOMS + THINGS), st.integers(0, 3)),
    st.tuples(st.just("relocate"), st.sampled_from(THINGS[1:]), st.sampled_from(PLACES)),
    st.tuples(st.just("relocate"), st.just("box"), st.sampled_from(ROOMS)),
    st.tuples(st.just("set"), st.sampled_from(THINGS), st.integers(0, 3)),
    st.tuples(st.just("play-move"), st.sampled_from(THINGS[1:]),
              st.sampled_from((*PLACES, "ann"))),
    st.tuples(st.just("play-set"), st.sampled_from(THINGS), st.integers(10, 13)),
    st.tuples(st.just("reload")),
), max_size=25)


class Model:
    """
    What content says, and what the live world should look like.
    """

    def __init__(self) -> None:
        self.description = dict.fromkeys(ROOMS + THINGS, 0)
        self.location = {"box": "r0", "t0": "r0", "t1": "box", "t2": "r1"}
        self.value = dict.fromkeys(THINGS, 0)
        # Content as last loaded, and the live world as it should be.
        self.loaded_location = dict(self.location)
        self.loaded_value = dict(self.value)
        self.live_location = dict(self.location)
        self.live_value = dict(self.value)

    def toml(self) -> str:
        lines = []
        for n, room in enumerate(ROOMS):
            lines += [f"[rooms.{room}]", f'name = "Room {n}"',
                      f'description = "Room {n}, version {self.description[room]}."']
            if room == "r0":
                lines.append("start = true")
            lines.append(f"[rooms.{room}.exits]")
            if n > 0:
                lines.append(f'west = "{ROOMS[n - 1]}"')
            if n < len(ROOMS) - 1:
                lines.append(f'east = "{ROOMS[n + 1]}"')
        for thing in THINGS:
            lines += [f"[things.{thing}]", f'name = "{thing}"',
                      f'description = "The {thing}, version {self.description[thing]}."',
                      f'location = "{self.location[thing]}"',
                      f"properties = {{ value = {self.value[thing]} }}"]
            if thing == "box":
                lines.append('kind = "container"')
        return "\n".join(lines) + "\n"

    def reloaded(self) -> None:
        for cid in THINGS:
            if self.location[cid] != self.loaded_location[cid]:
                self.live_location[cid] = self.location[cid]
            if self.value[cid] != self.loaded_value[cid]:
                self.live_value[cid] = self.value[cid]
        self.loaded_location = dict(self.location)
        self.loaded_value = dict(self.value)


class LoaderPropertyTests(unittest.TestCase):
    """
    Reloading content into a world being played in.
    """

    @settings(max_examples=60, deadline=None)
    @given(operations)
    def test_edits_play_and_reloads(self, ops: list[tuple]) -> None:
        """
        After every reload: the invariants hold, live state is what the
        three-way rule says, the player's own things are untouched, and
        loading again changes nothing.
        """
        directory = self.mktemp()
        os.makedirs(directory)
        path = os.path.join(directory, "world.toml")
        model = Model()
        store = WorldStore()
        self.addCleanup(store.close)

        def reload() -> None:
            with open(path, "w") as f:
                f.write(model.toml())
            load(store, directory, keeper=KEEPER)
            model.reloaded()
            self.check(store, model, ann, pebble, directory)

        with open(path, "w") as f:
            f.write(model.toml())
        load(store, directory, keeper=KEEPER)
        root = store.root
        with store.turn() as turn:
            ann = turn.root.create(Character, "Ann", location=root.by_content("r0"))
            pebble = turn.root.create(Thing, "pebble", description="Ann's.", owner=ann.id,
                                      location=ann)
        for op in ops:
            kind = op[0]
            if kind == "describe":
                model.description[op[1]] = op[2]
            elif kind == "relocate":
                model.location[op[1]] = op[2]
            elif kind == "set":
                model.value[op[1]] = op[2]
            elif kind == "play-move":
                destination = ann if op[2] == "ann" else root.by_content(op[2])
                with store.turn():
                    move(root.by_content(op[1]), destination)
                model.live_location[op[1]] = op[2]
            elif kind == "play-set":
                with store.turn():
                    root.by_content(op[1]).set_property("value", op[2])
                model.live_value[op[1]] = op[2]
            else:
                reload()
        reload()

    def check(self, store: WorldStore, model: Model, ann: Thing, pebble: Thing,
              directory: str) -> None:
        root = store.root
        self.assertEqual(check_invariants(root.all()), [])
        for cid in ROOMS + THINGS:
            obj = root.by_content(cid)
            self.assertIn(f"version {model.description[cid]}.", obj.description)
        for cid in THINGS:
            obj = root.by_content(cid)
            where = model.live_location[cid]
            self.assertIs(obj.location, ann if where == "ann" else root.by_content(where), cid)
            self.assertEqual(obj.properties["value"], model.live_value[cid], cid)
        self.assertIs(pebble.location, ann)
        self.assertEqual((pebble.description, pebble.content_id), ("Ann's.", None))
        self.assertIs(ann.location, root.by_content("r0"))
        count = len(ROOMS) + len(THINGS) + 2 * (len(ROOMS) - 1)
        self.assertEqual(load(store, directory, keeper=KEEPER), LoadReport(unchanged=count))
