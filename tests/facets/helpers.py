"""
A small two-owner world for facet tests.

Alice owns a brass lamp, a box and the study; Bob owns a bell. Both stand in
the hall, which leads north to the garden (nobody's). Alice's secret diary
is in her own inventory. In L{ChessCase}, Alice's channel chess is granted
to her lamp.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from attrs import define
from twisted.trial.unittest import TestCase

from scripting.facets import channels as channel_grants
from scripting.facets.context import acting
from world import channels
from world.objects import Character, Container, Exit, Room, Thing
from world.store import WorldStore


@define
class World:
    store: WorldStore
    hall: Room
    garden: Room
    study: Room
    north: Exit
    alice: Character
    bob: Character
    lamp: Thing
    box: Container
    diary: Thing
    bell: Thing


def build(store: WorldStore) -> World:
    """
    Populate C{store} with the two-owner world.
    """
    with store.turn() as turn:
        root = turn.root
        hall = root.create(Room, "Hall", description="A long hall.")
        garden = root.create(Room, "Garden")
        study = root.create(Room, "Study")
        north = root.create(Exit, "north", location=hall, destination=garden)
        alice = root.create(Character, "Alice", location=hall)
        alice.owner = alice.id
        bob = root.create(Character, "Bob", location=hall)
        bob.owner = bob.id
        study.owner = alice.id
        lamp = root.create(Thing, "brass lamp", location=hall, owner=alice.id,
                           description="A shiny brass lamp.", aliases=("lamp",))
        lamp.set_property("lit", False)
        box = root.create(Container, "box", location=hall, owner=alice.id)
        diary = root.create(Thing, "secret diary", location=alice, owner=alice.id)
        bell = root.create(Thing, "bell", location=hall, owner=bob.id)
    return World(store, hall, garden, study, north, alice, bob, lamp, box, diary, bell)


@contextlib.contextmanager
def task(store: WorldStore, owner: int | None) -> Iterator[Any]:
    """
    One turn in which facets act, charged to C{owner}: what the engine does
    around a script run.
    """
    with store.turn() as turn, acting(store, owner):
        yield turn


class ChessCase(TestCase):
    """
    The two-owner world (C{self.store}, C{self.w}) with Alice's channel
    chess (C{self.chess}), granted to her lamp's scripts as C{chess}
    (C{self.grant}).
    """

    def setUp(self) -> None:
        self.store = WorldStore()
        self.addCleanup(self.store.close)
        self.w = build(self.store)
        with self.store.turn() as turn:
            self.chess = channels.create(turn.root, self.w.alice.id, "chess", "", 0.0)
            self.grant = channel_grants.grant(turn.root, self.w.alice.id, self.w.lamp, "chess",
                                              self.chess)
