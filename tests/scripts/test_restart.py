"""
Scripts, their state, timers and grants survive a restart (FileStorage
closed and opened again); a revoked grant stays revoked.
"""

from __future__ import annotations

import os

from twisted.internet.task import Clock
from twisted.trial.unittest import TestCase

from engine.testing import TestWorld
from tests.scripts.helpers import Scene, make


class RestartTests(TestCase):
    """
    Everything a script relies on is in the world database.
    """

    def setUp(self) -> None:
        self.path = os.path.join(self.mktemp(), "world.fs")
        os.makedirs(os.path.dirname(self.path))
        self.clock = Clock()

    def restart(self, world: TestWorld) -> TestWorld:
        world.close()
        again = TestWorld(path=self.path, clock=self.clock)
        self.addCleanup(again.close)
        return again

    def test_everything_survives(self) -> None:
        """
        After a restart: the script still runs, its state is kept, its
        repeating timer goes on firing, its grant still works, and a grant
        revoked before the restart is still dead.
        """
        first = TestWorld(path=self.path, clock=self.clock)
        s = Scene(first)
        s.alice.send("@create brass lamp")
        s.alice.send("drop brass lamp")
        s.alice.send("@create old lamp")
        s.alice.send("drop old lamp")
        make(s.alice, "keeper", """
            def verb_count(actor, *rest):
                state.set("n", state.get("n", 0) + 1)
                actor.tell("count " + str(state.get("n")))

            def verb_wind(actor, *rest):
                timers.every(60, "tick")
                state.set("old", grants["old"])

            def verb_shine(actor, *rest):
                grants["lamp"].rename("shining lamp")

            def verb_dust(actor, *rest):
                state.get("old").rename("dusty lamp")

            def tick(data):
                here.emote("ticks")
            """)
        s.alice.send("@grant keeper.lamp = control brass lamp")
        s.alice.send("@grant keeper.old = control old lamp")
        s.carol.send("count keeper")
        s.carol.send("wind keeper")
        s.alice.send("@revoke keeper.old")
        self.clock.advance(60)
        self.assertIn("keeper ticks", s.bob.output())

        world = self.restart(first)
        s = Scene(world)
        self.assertIn("count 2", s.carol.send("count keeper"))
        self.clock.advance(60)
        self.assertIn("keeper ticks", s.bob.output())
        s.carol.send("shine keeper")
        self.assertEqual(s.thing("shining lamp").kind, "thing")
        said = s.alice.send("dust keeper")
        self.assertIn("revoked", said)
        self.assertEqual(s.thing("old lamp").name, "old lamp")
        self.assertIn("keeper.lamp", s.alice.send("@grants"))
        self.assertNotIn("keeper.old", s.alice.send("@grants"))

    def test_timers_overdue_at_start_fire_once(self) -> None:
        """
        A timer that fell due while the server was down fires once at start
        (a repeating one does not fire a burst).
        """
        first = TestWorld(path=self.path, clock=self.clock)
        s = Scene(first)
        make(s.alice, "cuckoo", """
            def verb_wind(actor, *rest):
                timers.every(10, "tick")
            def tick(data):
                state.set("n", state.get("n", 0) + 1)
            """)
        s.carol.send("wind cuckoo")
        first.close()
        self.clock.advance(1000)
        again = TestWorld(path=self.path, clock=self.clock)
        self.addCleanup(again.close)
        self.clock.advance(0)  # the scheduler's first call, at once
        from scripting.facets import state

        with again.store.turn() as turn:
            host = next(o for o in turn.root.all() if o.name == "cuckoo")
            self.assertEqual(state.get_value(turn.root, host, "n"), 1)
