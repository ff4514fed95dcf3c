# -*- test-case-name: tests.bench.test_server_bench -*-
"""
Tessera worlds for the server benchmark, made through the engine's own
modules (the content loader, the account records, the world's rules).

  - L{write_content}: a content folder: a dormitory (the start room), pairs
    of rooms joined north and south (one pair holds "one room" runs, the
    others spread runs), and an aviary full of scripted parrots that squawk
    whenever someone speaks there.
  - L{seed}: a world file with that content and N bench accounts (builders,
    so they can C{@teleport} to where a run wants them), asleep in the
    dormitory. Their passwords are hashed at the tests' cheap scrypt cost:
    the benchmark measures commands, not password hashing.
  - L{world_size}: worlds of 10^4 .. 10^6 objects: how long opening takes,
    the memory it holds, and what a commit costs.

    python -m bench.server.tessera_world seed DB CONTENT COUNT NAMES
    python -m bench.server.tessera_world size DB OBJECTS
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time

PARROT = '''\
# A bench parrot: it answers every line said in its room.


def on_hear(actor, text):
    here.emote("squawks.")
'''


#: Rooms the bench players sleep in between runs, a few in each: a move into
#: a room rewrites its list of contents, so one dormitory for thousands
#: would make every setup and teardown slow.
DORMS = 100


def bench_name(index: int) -> str:
    """
    The C{index}th bench character's name: letters only (C{Botaaaa},
    C{Botaaab}, ...), as account names must be.
    """
    letters = []
    for _ in range(4):
        index, digit = divmod(index, 26)
        letters.append(chr(ord("a") + digit))
    return "Bot" + "".join(reversed(letters))


def write_content(folder: str, pairs: int, parrots: int) -> None:
    """
    Write the bench content folder: C{pairs} pairs of rooms and an aviary
    with C{parrots} scripted parrots (and a quiet twin of it without them).
    """
    os.makedirs(folder, exist_ok=True)
    lines = ['area = "Bench"', ""]
    for i in range(DORMS):
        lines += [f"[rooms.dorm-{i}]", f'name = "Dormitory {i}"',
                  *(["start = true"] if i == 0 else []),
                  'description = "Where bench players sleep between runs."', ""]
    for i in range(pairs):
        lines += [f"[rooms.hall-{i}]", f'name = "Hall {i}"',
                  'description = "A plain hall for measuring."',
                  f'exits = {{ north = "yard-{i}" }}', "",
                  f"[rooms.yard-{i}]", f'name = "Yard {i}"',
                  'description = "A plain yard for measuring."',
                  f'exits = {{ south = "hall-{i}" }}', ""]
    for room in ("aviary", "quiet"):
        lines += [f"[rooms.{room}]", f'name = "{room.capitalize()}"',
                  'description = "A room to talk in."', ""]
    for i in range(parrots):
        lines += [f"[things.parrot-{i}]", f'name = "parrot {i}"', 'location = "aviary"',
                  'description = "A green parrot with opinions."',
                  'script = "parrot.py"', ""]
    with open(os.path.join(folder, "bench.toml"), "w") as f:
        f.write("\n".join(lines))
    with open(os.path.join(folder, "parrot.py"), "w") as f:
        f.write(PARROT)


def seed(db: str, content: str, count: int, names: str) -> dict[str, int]:
    """
    Make the world C{db} from C{content} with C{count} bench accounts, write
    their names and passwords to C{names}, and return the rooms' ids by
    content id.
    """
    from engine.accounts import CHEAP, Account, fold, hash_password
    from scripting.facets.lifecycle import KEEPER
    from world.loader import load
    from world.objects import Character, Room
    from world.store import WorldStore

    store = WorldStore(db)
    try:
        load(store, content, keeper=KEEPER)
        password = "benchmark-pass"
        hashed = hash_password(password, CHEAP)
        with store.turn() as turn:
            root = turn.root
            dorms = [root.by_content_id[f"dorm-{i}"] for i in range(DORMS)]
            for i in range(count):
                dorm = dorms[i % DORMS]
                name = bench_name(i)
                if fold(name) in root.accounts:
                    continue
                character = root.create(Character, name, location=dorm,
                                        description=f"{name} is here to measure.")
                character.owner = character.id
                character.home = dorm
                root.accounts[fold(name)] = Account(name, hashed, "builder", character.id,
                                                    time.time())
        rooms = {}
        for cid in list(store.root.by_content_id.keys()):
            obj = store.root.by_content_id[cid]
            if isinstance(obj, Room):
                rooms[cid] = obj.id
    finally:
        store.close()
    with open(names, "w") as f:
        for i in range(count):
            f.write(f"{bench_name(i)} {password}\n")
    return rooms


def rss() -> int:
    """
    This process's resident memory now, in bytes.
    """
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def world_size(db: str, objects: int, batch: int = 20000) -> dict[str, float]:
    """
    Build (if needed) a world of C{objects} things spread over rooms of a
    hundred, then measure: opening it, the memory open, one small commit
    (p50 and max of 50), and a turn that reads 1,000 objects at random.
    """
    import random

    from scripting.facets import accounting
    from world.objects import Room, Thing
    from world.store import WorldStore

    built = 0.0
    if not os.path.exists(db):
        started = time.perf_counter()
        store = WorldStore(db)
        made = 0
        while made < objects:
            with store.turn() as turn:
                root = turn.root
                room = None
                for _ in range(min(batch, objects - made)):
                    obj: Thing
                    if made % 100 == 0:
                        room = obj = root.create(Room, f"Room {made // 100}")
                    else:
                        obj = root.create(Thing, f"stone {made}", location=room)
                    obj.charged = True
                    made += 1
            store.connection.cacheMinimize()
        with store.turn() as turn:
            # The world's objects counted (each made above was marked), as in
            # a world the engine made: otherwise the first server on it would
            # count them all while starting (a world from before counting).
            accounting.account(turn.root, None).objects = made
        store.close()
        built = time.perf_counter() - started
    before = rss()
    started = time.perf_counter()
    store = WorldStore(db)
    opened = time.perf_counter() - started
    held = rss() - before
    commits = []
    try:
        for i in range(50):
            started = time.perf_counter()
            with store.turn() as turn:
                turn.root.settings["bench"] = i
            commits.append(time.perf_counter() - started)
        ids = list(range(1, objects + 1))
        random.Random(1).shuffle(ids)
        started = time.perf_counter()
        with store.turn() as turn:
            for oid in ids[:1000]:
                found = turn.root.get(oid)
                if found is not None:
                    found.name  # noqa: B018  (loads it)
        cold = time.perf_counter() - started
    finally:
        store.close()
    commits.sort()
    return {"objects": objects, "build_s": round(built, 1), "open_s": round(opened, 3),
            "open_rss_mb": round(held / 2**20, 1), "file_mb": round(os.path.getsize(db) / 2**20, 1),
            "commit_p50_ms": round(commits[len(commits) // 2] * 1000, 2),
            "commit_max_ms": round(commits[-1] * 1000, 2),
            "read_1000_cold_ms": round(cold * 1000, 1),
            "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def main(argv: list[str]) -> int:
    if argv[:1] == ["seed"]:
        db, content, count, names = argv[1], argv[2], int(argv[3]), argv[4]
        print(json.dumps(seed(db, content, count, names)))
        return 0
    if argv[:1] == ["size"]:
        print(json.dumps(world_size(argv[1], int(argv[2]))))
        return 0
    if argv[:1] == ["content"]:
        write_content(argv[1], int(argv[2]), int(argv[3]))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
