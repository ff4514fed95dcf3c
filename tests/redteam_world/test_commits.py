"""
What committing a turn costs is charged to the owners whose scripts worked
in it: the server's time the commit takes and the bytes it writes count
toward their share, so scripts that rewrite much of the world on every
timer or verb rest like scripts that burn ticks.
"""

from __future__ import annotations

import os

from twisted.trial.unittest import TestCase

from engine.scripts import meters, runtime
from engine.testing import TestWorld
from tests.scripts.helpers import Scene, make
from world.store import WorldStore

#: Each scribble rewrites ten descriptions of 4000 characters: about 40 KB
#: written for a few hundred ticks.
SCRIBBLER = """
def verb_scribble(actor, *rest):
    pages = state.get("pages")
    if pages is None:
        pages = [this.create("thing", "page") for i in range(10)]
        state.set("pages", pages)
    n = state.get("n", 0) + 1
    state.set("n", n)
    for page in pages:
        page.describe(str(n) * 4000)
    actor.tell("scribbled %d" % n)
"""


class CommitChargeTests(TestCase):
    def setUp(self) -> None:
        path = os.path.join(self.mktemp(), "world.fs")
        os.makedirs(os.path.dirname(path))
        self.s = Scene(TestWorld(store=WorldStore(path)))
        self.addCleanup(self.s.world.close)
        self.runtime = self.s.world.server.scripts
        self.runtime.meters.cpu_time = lambda: 0.0  # no script takes the server any time
        make(self.s.bob, "scribbler", SCRIBBLER)
        self.s.world.clock.advance(meters.CPU_WINDOW)  # a fresh window
        self.bob_id = self.s.character("Bob").id

    def test_bytes_written_count_toward_the_share(self) -> None:
        """
        The bytes each scribble's turn writes are charged to Bob, and to
        Bob with Carol, whose verb it is: past WRITE_BYTES in a window
        (past three quarters of it for what others wake, the rest being his
        timers', L{runtime.OWN_RESERVE}; and past half of that for what one
        player wakes, L{runtime.PLAYER_PART}) Carol's use of his scripts
        rests, though it used few ticks and no time; Alice's still runs.
        """
        self.patch(meters, "WRITE_BYTES", 200_000)
        self.s.world.store.timer = lambda: 0.0
        said = ""
        runs = 0
        while runs < 20 and "does nothing for you just now" not in said:
            self.s.world.clock.advance(1)
            said = self.s.carol.send("scribble scribbler")
            runs += 1
        self.assertIn("does nothing for you just now", said)
        shown = " ".join(self.s.bob.send("@quota").split())
        self.assertRegex(shown, r"this minute: \d+ of \d+ ticks, 0.00 of 3 s of the server's "
                                r"time, [1-9]\d* of 195 KiB written")
        ticks, _seconds, written = self.runtime.meters.window(self.bob_id)
        self.assertGreater(written,
                           200_000 * (1 - runtime.OWN_RESERVE) * runtime.PLAYER_PART)
        self.assertLess(ticks, meters.CPU_TICKS // 10)
        self.assertLess(runs, 10)
        self.assertIn("scribbled", self.s.alice.send("scribble scribbler"))

    def test_commit_time_counts_toward_the_share(self) -> None:
        """
        The server's time committing takes (a second each here, read from
        the injected timer) is charged to the owner whose script worked in
        the turn, and to him with the player whose verb it ran: after
        CPU_SECONDS of it (three quarters of that, for what others wake, and
        half of those for what one player wakes) Carol's use of his scripts
        rests; Alice's still runs.
        """
        readings = [0.0]

        def timer() -> float:
            readings[0] += 1.0  # every commit takes a second (two readings)
            return readings[0]

        self.s.world.store.timer = timer
        runs = 0
        for _ in range(10):
            self.s.world.clock.advance(1)
            if "scribbled" in self.s.carol.send("scribble scribbler"):
                runs += 1
        self.assertEqual(runs, int(meters.CPU_SECONDS * (1 - runtime.OWN_RESERVE)
                                   * runtime.PLAYER_PART) + 1)
        self.assertIn("scribbled", self.s.alice.send("scribble scribbler"))

    def test_a_turn_is_split_between_its_workers(self) -> None:
        """
        Two owners' scripts in one turn share what committing it cost, by
        the ticks each used.
        """
        from world.store import Turn

        turn = Turn(None)
        turn.workers = {1: 300, 2: 100}
        turn.written, turn.commit_seconds = 4000, 2.0
        self.runtime.charge_commit(turn)
        self.assertEqual(self.runtime.meters.window(1)[1:], (1.5, 3000))
        self.assertEqual(self.runtime.meters.window(2)[1:], (0.5, 1000))
