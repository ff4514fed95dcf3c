"""
The server benchmark's load generator reads telnet and counts round trips
correctly (L{bench.server.load}); its bench worlds are what the runs expect
(L{bench.server.tessera_world}). Nothing here is timed.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import time

from twisted.trial import unittest

from bench.server import load, tessera_world
from bench.server.__main__ import render
from world.store import WorldStore


class TelnetTests(unittest.TestCase):
    """
    The client side of telnet: text, prompt markers and answers.
    """

    def setUp(self) -> None:
        self.markers: list[bytes] = []
        self.telnet = load.Telnet(lambda: self.markers.append(self.telnet.take_text()))

    def test_text_and_markers(self) -> None:
        """
        Text up to each GA or EOR is handed over at the marker; a doubled IAC
        is one 255 byte of text.
        """
        self.telnet.feed(b"You say, \"hi\"\r\n> \xff\xf9x\xff\xffy\xff\xef")
        self.assertEqual(self.markers, [b"You say, \"hi\"\r\n> ", b"x\xffy"])

    def test_sequences_split_across_reads(self) -> None:
        """
        A marker, a negotiation or a subnegotiation cut between two reads is
        understood all the same.
        """
        answers = self.telnet.feed(b"ab\xff") + self.telnet.feed(b"\xf9cd\xff\xfb")
        answers += self.telnet.feed(b"\x19\xff\xfa\x18") + self.telnet.feed(b"\x01\xff\xf0")
        self.assertEqual(self.markers, [b"ab"])
        self.assertEqual(answers, b"\xff\xfd\x19\xff\xfa\x18\x00MUDLET 4.17.2\xff\xf0")

    def test_negotiation(self) -> None:
        """
        EOR and TTYPE are agreed to, everything else refused, each answered
        once only (no negotiation loops).
        """
        answers = self.telnet.feed(b"\xff\xfb\x19\xff\xfb\x03\xff\xfd\x18\xff\xfd\x1f")
        self.assertEqual(answers, b"\xff\xfd\x19\xff\xfe\x03\xff\xfb\x18\xff\xfc\x1f")
        self.assertEqual(self.telnet.feed(b"\xff\xfb\x19\xff\xfb\x03"), b"")

    def test_terminal_types_cycle(self) -> None:
        """
        TTYPE SEND is answered with Mudlet's name, then its terminal, then
        MTTS, which repeats.
        """
        send = b"\xff\xfa\x18\x01\xff\xf0"
        names = [self.telnet.feed(send)[4:-2] for _ in range(4)]
        self.assertEqual(names, [*load.TERMINALS, load.TERMINALS[-1]])


class StatsTests(unittest.TestCase):
    """
    Percentiles and the summary.
    """

    def test_percentile(self) -> None:
        """
        Nearest rank: the 50th of 1..10 is 5, the 99th is 10; none is NaN.
        """
        values = [float(v) for v in range(1, 11)]
        self.assertEqual(load.percentile(values, 0.5), 5.0)
        self.assertEqual(load.percentile(values, 0.99), 10.0)
        self.assertTrue(math.isnan(load.percentile([], 0.5)))

    def test_report(self) -> None:
        """
        The summary gives commands a second and milliseconds.
        """
        stats = load.Stats()
        stats.latencies = [0.001, 0.002, 0.003, 0.004]
        stats.errors = 1
        report = stats.report(2.0, {"workload": "look"})
        self.assertEqual((report["commands"], report["per_second"], report["p50"],
                          report["max"], report["errors"], report["workload"]),
                         (4, 2.0, 2.0, 4.0, 1, "look"))


class ReportTests(unittest.TestCase):
    """
    The markdown report.
    """

    def test_names_its_command(self) -> None:
        """
        The report gives the command that made it, with its arguments, so
        that a table pasted into the docs says how to run it again.
        """
        given = render({"date": "now", "machine": "here", "argv": ["--parts", "world"]},
                       argparse.Namespace(think=5.0))
        plain = render({"date": "now", "machine": "here", "argv": []},
                       argparse.Namespace(think=5.0))
        self.assertIn('`make bench-server ARGS="--parts world"`', given)
        self.assertIn("`make bench-server`.", plain)


class WindowTests(unittest.TestCase):
    """
    What the measured window counts.
    """

    def test_answer_in_window_counts_whenever_sent(self) -> None:
        """
        An answer that arrives in the window counts, though its command was
        sent before the window opened (round trips near the window's length
        would otherwise go uncounted).
        """
        run = load.Run(load.parse(["--port", "1", "--names", "-"]))
        stats = load.Stats()

        class Slow:
            index = 0
            closed = False

            def next_line(self, workload: str) -> tuple[str, None]:
                return "look", None

            async def command(self, line: str, timeout: float) -> bytes:
                # The window opens while this command waits for its answer.
                run.measuring = stats
                run.window_end = time.monotonic() + 60
                run.stopping = True
                return b"You see a hall."

        asyncio.run(run.drive(Slow(), "look"))  # type: ignore[arg-type]
        self.assertEqual((len(stats.latencies), stats.errors), (1, 0))


class WorldTests(unittest.TestCase):
    """
    The bench world: content, accounts and dormitories.
    """

    def test_names(self) -> None:
        """
        Bench names are distinct and letters only (as account names must be).
        """
        names = [tessera_world.bench_name(i) for i in range(3000)]
        self.assertEqual(len(set(names)), 3000)
        self.assertTrue(all(name.isalpha() for name in names))

    def test_seed(self) -> None:
        """
        Seeding makes the rooms, the parrots and builder accounts spread over
        the dormitories, and writes their names.
        """
        folder = self.mktemp()
        os.makedirs(folder)
        content = os.path.join(folder, "content")
        tessera_world.write_content(content, pairs=2, parrots=3)
        db = os.path.join(folder, "world.fs")
        names = os.path.join(folder, "names.txt")
        rooms = tessera_world.seed(db, content, 5, names)
        self.assertTrue({"hall-0", "yard-1", "aviary", "quiet", "dorm-0"} <= set(rooms))
        store = WorldStore(db)
        self.addCleanup(store.close)
        root = store.root
        self.assertEqual(len([a for a in root.accounts.values() if a.role == "builder"]), 5)
        parrots = [o for o in root.get(rooms["aviary"]).contents if o.name.startswith("parrot")]
        self.assertEqual(len(parrots), 3)
        first = root.accounts[tessera_world.bench_name(0).lower()]
        second = root.accounts[tessera_world.bench_name(1).lower()]
        self.assertEqual(root.get(first.character_id).location.id, rooms["dorm-0"])
        self.assertEqual(root.get(second.character_id).location.id, rooms["dorm-1"])
        with open(names) as f:
            self.assertEqual(len(f.read().split("\n")), 6)
