"""
Timers of things running another's script (C{@script/use}) when that
script drops their handler (issue 9): saving counts them, each is cancelled
when it fires (nothing could run) rather than failing every period and
suspending the script all of them run, and C{@script/restart} of a thing
running a suspended script starts it again.
"""

from __future__ import annotations

import os

from twisted.internet.task import Clock
from twisted.trial.unittest import TestCase

from engine.commands import script as script_command
from engine.testing import TestWorld
from scripting.facets import timers
from tests.scripts.helpers import Scene, flat, make, script
from world.scripts import script_of

TICKING = """
def on_attach():
    timers.every(10, "tick")
def tick(data):
    pass
def verb_poke(actor, *rest):
    actor.tell("hi")
"""

#: TICKING saved again without its timers' handler.
BARE = """
def verb_poke(actor, *rest):
    actor.tell("hi")
"""

#: Fails on kid only (on top it works).
TOUCHY = """
def verb_poke(actor, *rest):
    if this.name == "kid":
        1 / 0
    actor.tell("hi")
"""


class SharedScriptTimerTests(TestCase):
    """
    Bob's top and kid, which runs top's script.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def share(self, source: str) -> None:
        make(self.s.bob, "top", source)
        self.s.bob.send("@create kid")
        self.s.bob.send("drop kid")
        self.assertIn("kid now runs the script of top", self.s.bob.send("@script/use kid = top"))
        self.s.read()

    def pending(self, name: str) -> list[str]:
        thing = self.s.thing(name)
        with self.s.world.store.turn() as turn:
            return [t.handler for t in timers.timers_on(turn.root, thing)]

    def test_save_counts_their_timers(self) -> None:
        """
        Saving the script without the handler counts the timer of the thing
        running it too, and says which are theirs.
        """
        self.share(TICKING)
        self.assertEqual((self.pending("top"), self.pending("kid")), (["tick"], ["tick"]))
        said = flat(script(self.s.bob, "top", BARE))
        self.assertIn("Note: 2 timers (1 on things running this script) pending for tick, which "
                      "this version no longer has: they are cancelled when they fire.", said)
        self.assertIn("Its 1 timer(s) keep running; the 1 timer(s) of things running it keep "
                      "running", said)

    def test_each_cancelled_when_it_fires(self) -> None:
        """
        Each timer for the dropped handler is cancelled at its first firing,
        its owner told which and why; the script all of them run is not
        suspended, and nobody else hears of it.
        """
        self.share(TICKING)
        script(self.s.bob, "top", BARE)
        self.s.read()
        for _ in range(4):
            self.s.world.clock.advance(10)
        said = flat(self.s.bob.output())
        self.assertIn("fired for tick(data), which the script it runs (top's) no longer has (a "
                      "version saved since it was set has none), so nothing ran; the timer is "
                      "cancelled: define tick(data) and set the timer again.", said)
        self.assertIn("on top fired for tick(data), which its script no longer has", said)
        self.assertEqual(said.count("fired for tick"), 2)
        self.assertNotIn("suspended", said)
        self.assertEqual((self.pending("top"), self.pending("kid")), ([], []))
        self.assertEqual(script_of(self.s.thing("top")).failures, 0)
        self.assertIn("hi", self.s.carol.send("poke kid"))
        self.assertNotIn("tick", self.s.carol.output())

    def test_restart_of_the_thing_running_it(self) -> None:
        """
        The script fails on kid three times (its owner's pokes) and is
        suspended for both; the advice names whose script it is, and
        '@script/restart kid' checks the script again and starts kid: both
        run it again.
        """
        self.share(TOUCHY)
        said = ""
        for _ in range(3):
            told = self.s.bob.send("poke kid")
            self.assertIn("The script on kid (top's) failed", told)
            said += flat(told)
        self.assertIn("The script on kid (top's) failed 3 times in a row and is suspended on "
                      "every thing running it; its owner can edit it (@script top) or restart "
                      "it (@script/restart top).",
                      said)
        self.assertIsNotNone(script_of(self.s.thing("top")).suspended)
        said = flat(self.s.bob.send("@script/restart kid"))
        self.assertIn("Saved the script on top", said)
        self.assertIn("Starting the script on kid afresh", said)
        self.assertIsNone(script_of(self.s.thing("kid")).suspended)
        self.assertIn("hi", self.s.carol.send("poke top"))


#: Counts its starts and sets a timer at each.
COUNTING = """
def on_attach():
    state.set("starts", state.get("starts", 0) + 1)
    timers.every(10, "tick")
def tick(data):
    pass
def verb_poke(actor, *rest):
    if this.name == "kid":
        1 / 0
    actor.tell("starts " + str(state.get("starts", 0)))
def verb_count(actor, *rest):
    actor.tell("starts " + str(state.get("starts", 0)))
"""


class SharedScriptRestartTests(TestCase):
    """
    C{@script/restart} of a script other things run (C{@script/use}) starts
    them afresh too, a bounded number of them, and every notice of its
    suspension names whose script it is.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "top", COUNTING)

    def use(self, name: str) -> None:
        self.s.bob.send(f"@create {name}")
        self.s.bob.send(f"drop {name}")
        self.assertIn(f"{name} now runs the script of top",
                      self.s.bob.send(f"@script/use {name} = top"))

    def pending(self, name: str) -> int:
        thing = self.s.thing(name)
        with self.s.world.store.turn() as turn:
            return len(timers.timers_on(turn.root, thing))

    def test_restart_starts_the_things_running_it(self) -> None:
        """
        Restarting top cancels kid's timers and runs its on_attach again,
        charged to Bob, and says so.
        """
        self.use("kid")
        self.s.read()
        self.assertIn("starts 1", self.s.bob.send("count kid"))
        said = flat(self.s.bob.send("@script/restart top"))
        self.assertIn("Starting the script on top afresh", said)
        self.assertIn("The 1 thing running it started afresh too (timers cancelled, on_attach "
                      "run).", said)
        self.assertIn("starts 2", self.s.bob.send("count kid"))
        self.assertIn("starts 2", self.s.bob.send("count top"))
        self.assertEqual((self.pending("top"), self.pending("kid")), (1, 1))

    def test_restart_after_suspension(self) -> None:
        """
        The script fails on kid three times (Bob's own pokes): suspended
        for both, every notice naming it top's and telling Bob what to
        type; Carol is told whose it is and nothing more. Restarting top
        starts both again.
        """
        self.use("kid")
        self.s.read()
        said = " ".join(flat(self.s.bob.send("poke kid")) for _ in range(3))
        self.assertIn("The script on kid (top's) failed 3 times in a row and is suspended on "
                      "every thing running it; its owner can edit it (@script top) or restart "
                      "it (@script/restart top).", said)
        self.assertIn("The script on kid (top's) has problems, so it does nothing just now; "
                      "its owner must fix it.", flat(self.s.carol.send("count kid")))
        self.assertIn("The script on kid (top's) has problems (it failed 3 times in a row); "
                      "see @script/show top, then edit it (@script top) or restart it "
                      "(@script/restart top).", flat(self.s.bob.send("count kid")))
        self.assertIn("The script on top has problems (it failed 3 times in a row); see "
                      "@script/show top", flat(self.s.bob.send("count top")))
        said = flat(self.s.bob.send("@script/restart top"))
        self.assertIn("Started afresh: its timers were cancelled. The 1 thing running it "
                      "started afresh too", said)
        self.assertIn("starts 2", self.s.carol.send("count kid"))
        self.assertIn("starts 2", self.s.carol.send("poke top"))
        self.assertIsNone(script_of(self.s.thing("kid")).suspended)

    def test_errors_notice_names_whose_script(self) -> None:
        """
        A script saved with errors: its verb on kid tells Bob it is top's
        and to fix it there (kid's own is refused).
        """
        self.use("kid")
        script(self.s.bob, "top", "def verb_count(actor, *rest):\n    x._private\n")
        said = flat(self.s.bob.send("count kid"))
        self.assertIn("The script on kid (top's) has problems (it has errors: line 2, column 5: "
                      "names starting with '_' are private and cannot be used: '_private'); see "
                      "@script/show top, then fix it (@script top).", said)
        said = flat(self.s.bob.send("@script/restart kid"))
        self.assertIn("The script on kid (top's) is suspended (it has errors: line 2, column 5: "
                      "names starting with '_' are private and cannot be used: '_private'); fix "
                      "it and save it first (@script top).", said)

    def test_restart_goes_on_in_batches(self) -> None:
        """
        Of more things running it than a restart starts in one turn, the
        first are started in the command's turn and the rest in turns of
        their own after it (the reactor's next, here at once), each batch
        told to Bob: all are started afresh, each once.
        """
        self.patch(script_command, "USERS_RESTARTED", 2)
        names = [f"kid{n}" for n in range(1, 6)]
        for name in names:
            self.use(name)
        self.s.read()
        said = flat(self.s.bob.send("@script/restart top"))
        self.s.world.clock.advance(0)
        said += flat(self.s.bob.output())
        self.assertIn("The 2 things running it started afresh too (timers cancelled, on_attach "
                      "run). More things run it: they start afresh next, 2 at a time, each "
                      "batch in a turn of its own; you are told as they do.", said)
        self.assertEqual(said.count("2 things more running the script on top started afresh"),
                         1, said)
        self.assertEqual(said.count("1 thing more running the script on top started afresh"),
                         1, said)
        self.assertEqual(said.count("More things run it"), 2, said)
        counts = [self.s.bob.send(f"count {name}") for name in names]
        self.assertEqual(sum("starts 2" in c for c in counts), 5, counts)
        top_id = self.s.thing("top").id
        with self.s.world.store.turn() as turn:
            self.assertIsNone(script_of(turn.root.get(top_id)).restart_next)

    def test_a_save_stops_a_restart_going_on(self) -> None:
        """
        A restart going on through the things running the script goes no
        further once the script is saved again (a new restart starts over).
        """
        self.patch(script_command, "USERS_RESTARTED", 2)
        for name in ("kid1", "kid2", "kid3"):
            self.use(name)
        self.s.read()
        top = self.s.thing("top")
        with self.s.world.store.turn() as turn:
            record = script_of(turn.root.get(top.id))
            version = record.version
            record.restart_next = (1, None)  # (a restart under way, its next batch due)
        script(self.s.bob, "top", COUNTING + "\n# saved again\n")
        script_command._restart_more(self.s.world.server.scripts, top.id, version, 1, None)
        self.assertNotIn("started afresh", flat(self.s.bob.output()))
        counts = [self.s.bob.send(f"count {name}") for name in ("kid1", "kid2", "kid3")]
        self.assertEqual(sum("starts 1" in c for c in counts), 3, counts)

    def test_fixing_it_says_it_runs_again(self) -> None:
        """
        Saving a fix of the script suspended through kid says that it ran
        no more and runs again, and how to start kid afresh with top.
        """
        self.use("kid")
        self.s.read()
        for _ in range(3):
            self.s.bob.send("poke kid")  # (its owner's own failures suspend it)
        said = flat(script(self.s.bob, "top", COUNTING.replace("1 / 0", "pass")))
        self.assertIn("It was suspended (it failed 3 times in a row) and runs again.", said)
        self.assertIn("'@script/restart top' starts it and the things running it afresh "
                      "(cancels their timers, runs on_attach).", said)
        self.assertIn("starts 1", self.s.carol.send("poke kid"))


class RestartAcrossServerRestartTests(TestCase):
    """
    A restart of a script through the things running it, stopped by a
    restart of the server, goes on once the server is up again.
    """

    def setUp(self) -> None:
        self.path = os.path.join(self.mktemp(), "world.fs")
        os.makedirs(os.path.dirname(self.path))
        self.clock = Clock()
        self.patch(script_command, "USERS_RESTARTED", 2)
        world = TestWorld(path=self.path, clock=self.clock)
        self.s = Scene(world)
        make(self.s.bob, "top", COUNTING)
        self.names = [f"kid{n}" for n in range(1, 6)]
        for name in self.names:
            self.s.bob.send(f"@create {name}")
            self.s.bob.send(f"drop {name}")
            self.s.bob.send(f"@script/use {name} = top")
        self.s.read()

    def restart(self, line: str) -> str:
        """
        Bob types C{line}, a restart of top; the server stops before it
        goes on with the next batch (what it meant to do next, in memory,
        dies with it). What he is told.
        """
        going_on = script_command._restart_more
        script_command._restart_more = lambda *args: None  # (lost in the stop)
        try:
            return flat(self.s.bob.send(line))
        finally:
            script_command._restart_more = going_on

    def restart_server(self) -> None:
        """
        The server stops and starts again on the same world.
        """
        self.s.world.close()
        for call in self.clock.getDelayedCalls():
            call.cancel()
        again = TestWorld(path=self.path, clock=self.clock)
        self.addCleanup(again.close)
        self.s = Scene(again)

    def starts(self) -> list[str]:
        return [flat(self.s.bob.send(f"count {name}")) for name in self.names]

    def test_goes_on_after_the_server_restarts(self) -> None:
        """
        Bob restarts top; the server restarts after the first batch: once
        it is up (in the reactor's next turns) the rest of the things
        running top start afresh, each once, and the restart is done.
        """
        self.assertIn("More things run it", self.restart("@script/restart top"))
        self.restart_server()
        for _ in range(5):
            self.clock.advance(0)
        counts = self.starts()
        self.assertEqual(sum("starts 2" in c for c in counts), 5, counts)
        top_id = self.s.thing("top").id
        with self.s.world.store.turn() as turn:
            self.assertIsNone(script_of(turn.root.get(top_id)).restart_next)
            self.assertNotIn(top_id, turn.root.timers.restarts)

    def test_a_save_meanwhile_is_not_undone(self) -> None:
        """
        A restart whose script was saved again before the server stopped
        does not go on after it.
        """
        self.restart("@script/restart top")
        script(self.s.bob, "top", COUNTING + "\n# saved again\n")
        self.restart_server()
        for _ in range(5):
            self.clock.advance(0)
        counts = self.starts()
        self.assertEqual(sum("starts 2" in c for c in counts), 2, counts)
        with self.s.world.store.turn() as turn:
            self.assertFalse(turn.root.timers.restarts)
