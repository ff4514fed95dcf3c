"""
What one move costs beside a crowded room: the bytes its commit writes and
the time it takes, with contents stored as one list per place (worlds before
generation 8) and as L{world.objects.Contents} (a B-tree by arrival), in one
run on one machine.

    python -m bench.moves [--clutter N] [--walks N]

A character walks back and forth between two rooms (each a turn of its own,
committed to a FileStorage), first with a handful of things in each room,
then with C{--clutter} things (default 999, just under the ceiling).
Prints, for each storage, the bytes written per walk and the milliseconds
per walk, and the ratios list / Contents: ratios, not absolute timings, are
what to compare between machines.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

from persistent.list import PersistentList

from world import containment
from world.objects import Character, Room, Thing
from world.store import WorldStore


def walk(clutter: int, walks: int, *, as_list: bool) -> tuple[float, float]:
    """
    Bytes written and seconds taken per walk, on average, with C{clutter}
    things in each of two rooms.
    """
    with tempfile.TemporaryDirectory() as where:
        store = WorldStore(os.path.join(where, "world.fs"))
        try:
            with store.turn() as turn:
                root = turn.root
                rooms = [root.create(Room, name) for name in ("Hall", "Yard")]
                for room in rooms:
                    for n in range(clutter):
                        root.create(Thing, f"pebble {n}", location=room)
                walker = root.create(Character, "Walker", location=rooms[0])
                if as_list:
                    for obj in root.all():
                        obj.contents = PersistentList(obj.contents)
            storage = store.db.storage
            size, began = storage.getSize(), time.perf_counter()
            for n in range(walks):
                with store.turn():
                    containment.move(walker, rooms[(n + 1) % 2])
            seconds = time.perf_counter() - began
            return (storage.getSize() - size) / walks, seconds / walks
        finally:
            store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clutter", type=int, default=containment.MAX_CONTENTS - 1)
    parser.add_argument("--walks", type=int, default=200)
    args = parser.parse_args()
    print(f"{'things per room':>16} {'storage':>9} {'bytes/walk':>11} {'ms/walk':>8}")
    results = {}
    for clutter in (10, args.clutter):
        for as_list in (True, False):
            written, seconds = walk(clutter, args.walks, as_list=as_list)
            results[clutter, as_list] = (written, seconds)
            print(f"{clutter:>16} {'list' if as_list else 'Contents':>9} {written:>11.0f} "
                  f"{seconds * 1000:>8.3f}")
    for clutter in (10, args.clutter):
        (lw, ls), (cw, cs) = results[clutter, True], results[clutter, False]
        print(f"{clutter} things per room, list / Contents: bytes written {lw / cw:.1f}x, "
              f"time {ls / cs:.1f}x")


if __name__ == "__main__":
    main()
