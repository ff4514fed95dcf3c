"""
How generation1.fs was made: a world of schema generation 1 (properties in
one mapping per object), written by Tessera as of commit 075ff88. Run with
that version's tree first on the path:

    git archive 075ff88 | tar -x -C /tmp/gen1
    PYTHONPATH=/tmp/gen1 python tests/world/data/make_generation1.py generation1.fs

Kept so that every later schema generation is tested against a real old
database, not one imitated with today's code.
"""
import sys

from world.objects import Exit, Room, Thing
from world.store import WorldStore

path = sys.argv[1]
store = WorldStore(path)
with store.turn() as turn:
    root = turn.root
    hall = root.create(Room, "Hall", owner=None)
    root.start_room = hall
    lamp = root.create(Thing, "lamp", location=hall, owner=7)
    lamp.set_property("lit", True)
    lamp.set_property("notes", ["a", {"b": 2}])
    lamp.set_property("big", "x" * 9000)   # bigger than properties may be today
    door = root.create(Exit, "north", location=hall, destination=hall)
    door.set_property("locked", True)
    assert root.generation == 1
store.close()
