"""
Saving a script costs its owner: the server's time checking, compiling and
trying it takes, and the ticks its top level uses, count toward the owner's
CPU share; an owner whose scripts rest cannot save.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.scripts import meters
from tests.scripts.helpers import Scene, make

#: A top level that burns most of a background task's ticks.
BURN = """
n = 0
for i in range(20000):
    n = n + i

def verb_poke(actor, *rest):
    actor.tell("poked")
"""


def flat(text: str) -> str:
    """
    C{text} on one line (the server wraps what it says).
    """
    return " ".join(text.split())


class SavingChargesTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.runtime = self.s.world.server.scripts
        self.bob_id = self.s.character("Bob").id
        self.seconds = [0.0]
        self.runtime.meters.cpu_time = lambda: self.seconds[0]
        self.s.world.store.timer = lambda: 0.0  # commits take no time here

    def test_trial_run_ticks_are_charged(self) -> None:
        """
        Each save's trial run of the top level is charged in ticks to the
        owner; once over the share, saving is refused and nothing changes.
        """
        make(self.s.bob, "furnace", BURN)
        used = self.runtime.meters.recent_ticks(self.bob_id)
        self.assertGreater(used, 20000)
        self.patch(meters, "CPU_TICKS", used * 3)
        for i in range(3):
            self.s.world.clock.advance(1)
            said = flat(self.s.bob.send(f"@script/edit furnace 2 = for i in range({20000 + i}):"))
            if "Nothing was saved" in said:
                break
        self.assertIn("have used their share of the server's time", said)
        self.assertIn("Nothing was saved", said)
        self.assertIn("range(20001)", self.s.bob.send("@script/show furnace"))

    def test_server_time_of_saving_is_charged(self) -> None:
        """
        The server's time a save takes (read from the injected clock: here
        half a second each) counts toward the owner's share: past
        CPU_SECONDS of it, saves are refused until the window passes.
        """
        make(self.s.bob, "furnace", "def verb_poke(actor, *rest):\n    actor.tell('poked')\n")
        self.s.world.clock.advance(meters.CPU_WINDOW)  # a fresh window
        original = self.runtime.analyse
        analysed = []

        def counted(turn, host, source):
            analysed.append(host.id)
            return original(turn, host, source)

        def reading() -> float:
            self.seconds[0] += 0.5  # a timed block reads twice: 0.5 s each
            return self.seconds[0]

        self.runtime.analyse = counted
        self.runtime.meters.cpu_time = reading
        refused = 0
        for i in range(12):
            self.s.world.clock.advance(1)
            said = flat(self.s.bob.send(f"@script/edit furnace 2 =     actor.tell('poked {i}')"))
            refused += "Nothing was saved" in said
        allowed = int(meters.CPU_SECONDS / 0.5) + 1  # the save that crosses the line
        self.assertEqual(len(analysed), allowed)
        self.assertEqual(refused, 12 - allowed)
        self.s.world.clock.advance(meters.CPU_WINDOW)
        self.assertIn("Saved", self.s.bob.send("@script/edit furnace 2 =     actor.tell('again')"))


class RestingRefusalsTests(TestCase):
    """
    While an owner's scripts rest, nothing that compiles and runs their code
    on their behalf runs: saving a library, or the editor's check.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        meters_ = self.s.world.server.scripts.meters
        meters_.seconds(self.s.character("Bob").id, meters.CPU_SECONDS + 1)

    def test_library_save_refused(self) -> None:
        """
        Saving a library while resting is refused; nothing is saved.
        """
        self.s.bob.send("@library tools")
        self.s.bob.send("def hello():")
        self.s.bob.send("    return 1")
        self.s.bob.send('exports = ("hello",)')
        said = flat(self.s.bob.send("."))
        self.assertIn("have used their share of the server's time", said)
        self.assertIn("Nothing was saved", said)

    def test_editor_check_refused(self) -> None:
        """
        The script editor's check compiles and runs the script: refused too.
        """
        self.s.bob.send("@create furnace")
        self.s.bob.send("@script furnace")
        self.s.bob.send("x = 1")
        said = flat(self.s.bob.send(".check"))
        self.assertIn("have used their share of the server's time", said)
