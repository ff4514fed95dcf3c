"""
Red-team review of C{@script/restart} going on through the things running
a script in later turns (L{engine.commands.script._restart_batch}): each
test tries to have a batch run after its owner took the script away,
start a thing that no longer runs it, multiply by restarting again and
again, or be set off by another player at the owner's cost.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.commands import script as script_command
from engine.scripts import meters
from tests.engine.test_timer_users import COUNTING
from tests.scripts.helpers import Scene, flat, make
from world.scripts import script_of


class RestartBatchTests(TestCase):
    def setUp(self) -> None:
        self.patch(script_command, "USERS_RESTARTED", 2)
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "top", COUNTING)
        self.kids = [f"kid{n}" for n in range(1, 6)]
        for name in self.kids:
            self.s.bob.send(f"@create {name}")
            self.s.bob.send(f"drop {name}")
            self.assertIn(f"{name} now runs the script of top",
                          self.s.bob.send(f"@script/use {name} = top"))
        self.s.read()

    def starts(self) -> list[str]:
        return [flat(self.s.bob.send(f"count {name}")) for name in self.kids]

    def pending_calls(self) -> int:
        return sum(1 for call in self.s.world.clock.getDelayedCalls()
                   if call.func is script_command._restart_more)

    def rest_bob(self) -> None:
        """
        Spend Bob's share: what a restart would start waits for his rest.
        """
        runtime = self.s.world.server.scripts
        bob = self.s.character("Bob").id
        runtime.meters.ticks(bob, meters.CPU_TICKS)
        self.assertTrue(runtime.resting(bob))

    def test_no_batch_after_the_script_is_removed(self) -> None:
        """
        Bob restarts top while his scripts rest (the things running it are
        to start when the rest ends), then removes its script: when the
        rest ends nothing starts afresh with a script they no longer run,
        and nothing is left to run.
        """
        self.rest_bob()
        said = flat(self.s.bob.send("@script/restart top"))
        self.assertIn("when your scripts' rest ends", said)
        self.assertEqual(self.pending_calls(), 1)
        self.assertIn("Removed the script", self.s.bob.send("@script/clear top"))
        self.s.world.clock.advance(meters.CPU_WINDOW + 1)
        self.assertNotIn("more running the script on top", flat(self.s.bob.output()))
        self.assertEqual(self.pending_calls(), 0)
        self.assertIsNone(script_of(self.s.thing("top")))

    def test_no_batch_after_the_thing_is_destroyed(self) -> None:
        """
        Bob restarts top while his scripts rest, then destroys top: when
        the rest ends nothing of it runs.
        """
        self.rest_bob()
        self.s.bob.send("@script/restart top")
        self.assertEqual(self.pending_calls(), 1)
        self.assertIn("destroy", self.s.bob.send("@destroy top").lower())
        self.s.world.clock.advance(meters.CPU_WINDOW + 1)
        self.assertNotIn("started afresh", flat(self.s.bob.output()))
        self.assertEqual(self.pending_calls(), 0)

    def test_a_thing_moved_to_another_script_is_not_started(self) -> None:
        """
        A thing Bob sets running another script between batches is not
        started afresh by the restart of top going on.
        """
        make(self.s.bob, "other", COUNTING.replace("starts", "others"))
        self.s.bob.send("@script/restart top")
        self.assertIn("kid5 now runs the script of other",
                      self.s.bob.send("@script/use kid5 = other"))
        before = flat(self.s.bob.send("count kid5"))
        self.s.world.clock.advance(0)
        self.s.world.clock.advance(0)
        self.assertEqual(flat(self.s.bob.send("count kid5")), before)

    def test_restarts_in_a_row_do_not_multiply(self) -> None:
        """
        Bob restarts top five times in a row: only the last restart goes
        on after another began, each thing is started afresh at most once
        per restart, and when it is done nothing is left to run.
        """
        for _ in range(5):
            self.s.bob.send("@script/restart top")
        for _ in range(10):
            self.s.world.clock.advance(0)
        counts = [int(said.split("starts ")[1].split()[0]) for said in self.starts()]
        self.assertTrue(all(2 <= n <= 6 for n in counts), counts)
        self.assertIsNone(script_of(self.s.thing("top")).restart_next)
        self.assertEqual(self.pending_calls(), 0)

    def test_another_player_cannot_restart(self) -> None:
        """
        Carol cannot restart Bob's script (at his cost) nor have its batch
        go on: nothing of his starts afresh.
        """
        said = flat(self.s.carol.send("@script/restart top"))
        self.assertNotIn("afresh", said)
        self.s.world.clock.advance(0)
        self.assertTrue(all("starts 1" in c for c in self.starts()), self.starts())
