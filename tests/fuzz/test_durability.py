"""
Durability (issue 14): C{kill -9} the server while several players, each a
process of its own, change the world as fast as it answers; restart it on
the same file database; every change a player saw acknowledged is there,
and nothing a player never sent is. A torn last transaction (the server
killed between writing a transaction and marking it complete, or in the
middle of writing it) is cut off at the restart with a clear log line and
kept beside the database as C{world.fs.tr0}.

The short form runs in C{make test}; C{make fuzz} (C{TESSERA_FUZZ=long})
runs twenty rounds and prints the figures docs/reliability.md records.
"""

from __future__ import annotations

import os
import random
import struct
import subprocess
import sys
import threading
import time

from twisted.trial.unittest import TestCase

from engine.accounts import find_account
from tests.fuzz.durability import SLOTS, key
from tests.fuzz.harness import ROOT, Player, Server
from tests.fuzz.test_front_door import LONG, report
from world.containment import check_invariants
from world.store import WorldStore

ROUNDS = 20 if LONG else 3
CLIENTS = 4
#: Limits lifted so that each player changes the world as fast as it can
#: (what is tested is the database, not the limits).
FAST = ("--command-rate", "100000", "--command-burst", "100000",
        "--connections-per-minute", "100000", "--creations-per-hour", "100000")


class Client:
    """
    One player process (L{tests.fuzz.durability}) and what it printed.
    """

    def __init__(self, port: int, name: str, start: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.fuzz.durability", str(port), name, str(start)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.strip())
            self.ready.set()
        self.ready.set()

    def acknowledged(self) -> list[int]:
        """
        Wait for the player to end; the turns it saw acknowledged.
        """
        self.process.wait(120)
        self.reader.join(30)
        return [int(line) for line in self.lines if line.isdigit()]


def characters(path: str, names: list[str]) -> tuple[dict[str, dict[str, object]], list]:
    """
    Open the database at C{path} (as a restarted server would) and return
    each player's properties, and the world's containment problems.
    """
    store = WorldStore(path, create=False)
    try:
        with store.turn() as turn:
            found = {}
            for name in names:
                account = find_account(turn.root, name)
                assert account is not None, name
                character = turn.root.get(account.character_id)
                found[name] = dict(character.properties.items())
            problems = check_invariants(turn.root.all())
    finally:
        store.close()
    return found, problems


def lost(properties: dict[str, object], last: int | None) -> list[int]:
    """
    The acknowledged turns (all up to C{last}) whose change is not in
    C{properties}: each of the last SLOTS acknowledged values must be there
    (or the turn after C{last}, in flight when the server died, in its
    slot), and no value past that turn.
    """
    if last is None:
        return [n for n in (properties.get(key(i)) for i in range(SLOTS))
                if isinstance(n, int) and n > 0]
    missing = []
    for number in range(max(0, last - SLOTS + 1), last + 1):
        allowed = {number}
        if key(number) == key(last + 1):
            allowed.add(last + 1)  # committed, but killed before it was answered
        if properties.get(key(number)) not in allowed:
            missing.append(number)
    return missing


class KillTests(TestCase):
    """
    C{kill -9} under load, again and again.
    """

    timeout = 3600 if LONG else 300

    def database(self) -> str:
        directory = os.path.abspath(self.mktemp())  # the server runs elsewhere
        os.makedirs(directory)
        return os.path.join(directory, "world.fs")

    def test_kill_under_load(self):
        """
        ROUNDS times: CLIENTS player processes change the world as fast as
        the server answers; after a random 0.5 to 3 seconds the server is
        killed with SIGKILL and restarted on the same file. It starts
        without a traceback, every acknowledged change is there, no change
        beyond the one in flight is, and containment is whole.
        """
        path = self.database()
        names = [f"Keeper{'abcdefgh'[i]}" for i in range(CLIENTS)]
        last: dict[str, int | None] = dict.fromkeys(names)
        rng = random.Random(14)
        acknowledged = in_flight_kept = cut = 0
        for _round in range(ROUNDS):
            server = Server(*FAST, db=path)
            port = server.start()
            self.addCleanup(server.kill)
            self.assertEqual(server.problems(), [])
            clients = {name: Client(port, name, 0 if last[name] is None else last[name] + 1)
                       for name in names}
            for client in clients.values():
                self.assertTrue(client.ready.wait(120), client.lines)
            time.sleep(rng.uniform(0.5, 3.0))
            server.kill()
            for name, client in clients.items():
                numbers = client.acknowledged()
                self.assertFalse([line for line in client.lines if line.startswith("refused")])
                if numbers:
                    expected = 0 if last[name] is None else last[name] + 1
                    self.assertEqual(numbers, list(range(expected, numbers[-1] + 1)))
                    last[name] = numbers[-1]
                    acknowledged += len(numbers)
            # The restart, as an operator would: it recovers the file.
            restarted = Server(*FAST, db=path)
            restarted.start()
            self.assertEqual(restarted.stop(), 0, restarted.log)
            self.assertEqual(restarted.problems(), [])
            cut += sum("was incomplete" in line for line in restarted.lines)
            found, problems = characters(path, names)
            self.assertEqual(problems, [])
            for name in names:
                self.assertEqual(lost(found[name], last[name]), [], (name, last[name]))
                after = last[name]
                if after is not None and found[name].get(key(after + 1)) == after + 1:
                    in_flight_kept += 1
        report("kill -9", {"rounds": ROUNDS, "players": CLIENTS,
                           "acknowledged turns": acknowledged, "turns lost": 0,
                           "in-flight turns that had committed": in_flight_kept,
                           "torn tails cut at restart": cut})
        self.assertGreater(acknowledged, ROUNDS * CLIENTS)

    def torn(self, tear) -> tuple[Server, str, dict[str, object]]:
        """
        One player makes changes, the last one C{torn}; the server is
        killed; C{tear(path, start, length)} damages the last transaction
        (at C{start}, C{length} bytes with its header); the server is
        restarted. Return it (stopped), the database path and the player's
        properties after.
        """
        path = self.database()
        server = Server(*FAST, db=path)
        port = server.start()
        self.addCleanup(server.kill)
        player = Player(port)
        player.create("Torn")
        for number in range(5):
            player.command(f"@set me/{key(number)} = {number}")
        self.assertIn(b"torn = 1", player.command("@set me/torn = 1"))
        player.close()
        server.kill()
        with open(path, "rb") as f:
            f.seek(-8, os.SEEK_END)
            length = struct.unpack(">Q", f.read(8))[0]
            size = f.seek(0, os.SEEK_END)
        start = size - length - 8
        tear(path, start, length)
        restarted = Server(*FAST, db=path)
        restarted.start()
        self.assertEqual(restarted.stop(), 0, restarted.log)
        self.assertEqual(restarted.problems(), [])
        found, problems = characters(path, ["Torn"])
        self.assertEqual(problems, [])
        return restarted, path, found["Torn"]

    def assert_cut(self, restarted: Server, path: str, properties: dict[str, object],
                   kept: bytes) -> None:
        self.assertNotIn("torn", properties)
        self.assertEqual([properties.get(key(n)) for n in range(5)], list(range(5)))
        message = [line for line in restarted.lines if "was incomplete" in line]
        self.assertEqual(len(message), 1, restarted.log)
        self.assertIn(f"kept in {path}.tr0", message[0])
        self.assertIn("every transaction before it is intact", message[0])
        with open(path + ".tr0", "rb") as f:
            self.assertEqual(f.read(), kept)

    def test_unfinished_transaction_cut(self):
        """
        A transaction written whole but never marked complete (the server
        killed between the two, which leaves its status C{c}) is cut off at
        the restart, kept in world.fs.tr0, and logged; its change is not in
        the world, every change before it is.
        """
        kept = []

        def unfinish(path, start, length):
            with open(path, "r+b") as f:
                f.seek(start + 16)  # the status byte of the transaction header
                f.write(b"c")
                f.seek(start)
                kept.append(f.read())

        restarted, path, properties = self.torn(unfinish)
        self.assert_cut(restarted, path, properties, kept[0])

    def test_half_written_transaction_cut(self):
        """
        A transaction the server was killed in the middle of writing (the
        file ends inside it) is cut off at the restart, kept in
        world.fs.tr0, and logged; its change is not in the world, every
        change before it is.
        """
        kept = []

        def half(path, start, length):
            with open(path, "r+b") as f:
                f.truncate(start + length // 2)
                f.seek(start)
                kept.append(f.read())

        restarted, path, properties = self.torn(half)
        self.assert_cut(restarted, path, properties, kept[0])
