"""
Hostile scripts on real objects: every case of the sandbox's
denial-of-service corpus (tests/scripting/test_dos.py), attached to Bob's
thing as a verb and as a handler, is stopped within its own budget, and the
other players' commands complete in the same (simulated) moment.
"""

from __future__ import annotations

import textwrap

from twisted.trial.unittest import TestCase

from engine.limits import Limits
from engine.scripts.runtime import CPU_WINDOW
from scripting import Budget
from tests.scripting.test_dos import DOS, MAY_COMPLETE
from tests.scripts.helpers import Scene, make, script

BUDGET = Budget(ticks=50_000, seconds=2.0)


class HostileScriptTests(TestCase):
    """
    No hostile script delays anyone beyond its own budget.
    """

    def setUp(self) -> None:
        # Many commands at one instant: lift the per-session command rate.
        self.s = Scene(limits=Limits(command_rate=1e9, command_burst=10**9))
        self.addCleanup(self.s.world.close)
        runtime = self.s.world.server.scripts
        runtime.foreground = runtime.background = BUDGET
        self.results: list = []
        real = runtime.call

        def recording(*args, **kw):
            result = real(*args, **kw)
            if result is not None:
                self.results.append(result)
            return result

        runtime.call = recording
        make(self.s.bob, "gremlin", None)

    def check(self, name: str, problems: list[str]) -> None:
        if not self.results:
            problems.append(f"{name}: did not run")
            return
        result = self.results[-1]
        if result.ok and name not in MAY_COMPLETE:
            problems.append(f"{name}: completed")
        if result.ticks > BUDGET.ticks:
            problems.append(f"{name}: used {result.ticks} ticks")

    def test_corpus_as_verbs(self) -> None:
        """
        Carol types a hostile verb; it is stopped within its budget, the
        world is unchanged, and Alice's next command completes at the same
        clock time.
        """
        problems: list[str] = []
        for name, source in DOS.items():
            self.s.world.clock.advance(CPU_WINDOW)  # a fresh share of time for each case
            body = textwrap.indent(source, "    ")
            saved = script(self.s.bob, "gremlin",
                           "def verb_attack(actor, *rest):\n    this.set_property('won', 1)\n"
                           + body)
            if "it defines verb_attack" not in saved:
                problems.append(f"{name}: not saved: {saved}")
                continue
            self.results.clear()
            started = self.s.world.clock.seconds()
            self.s.carol.send("attack gremlin")
            self.check(name, problems)
            if "brass lantern" not in self.s.alice.send("look lantern"):
                problems.append(f"{name}: Alice's command did not complete")
            if self.s.world.clock.seconds() != started:
                problems.append(f"{name}: time passed")
            gremlin = self.s.thing("gremlin")
            with self.s.world.store.turn():
                if gremlin.properties.pop("won", None) and name not in MAY_COMPLETE:
                    problems.append(f"{name}: its change survived")
        self.assertEqual(problems, [], "\n".join(problems))

    def test_corpus_as_handlers(self) -> None:
        """
        Alice speaks in a room where Bob's thing runs a hostile on_hear:
        her words reach Carol every time, and the handler is stopped within
        its budget.
        """
        problems: list[str] = []
        for name, source in DOS.items():
            self.s.world.clock.advance(CPU_WINDOW)
            body = textwrap.indent(source, "    ")
            saved = script(self.s.bob, "gremlin", "def on_hear(actor, text):\n" + body)
            if "it defines on_hear" not in saved:
                problems.append(f"{name}: not saved: {saved}")
                continue
            self.results.clear()
            self.s.carol.output()
            self.s.alice.send(f"say {name}")
            self.check(name, problems)
            if f'Alice says, "{name}"' not in " ".join(self.s.carol.output().split()):
                problems.append(f"{name}: Carol did not hear Alice")
        self.assertEqual(problems, [], "\n".join(problems))
