"""
Checking a library costs its owner (issue 9, saving): the server's time
checking and compiling its text takes counts toward the owner's CPU share,
also when the check refuses it, as a script's save does.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene


class LibraryCheckChargedTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.runtime = self.s.world.server.scripts
        self.bob_id = self.s.character("Bob").id
        self.seconds = [0.0]

        def reading() -> float:
            self.seconds[0] += 0.5  # a timed block reads twice: 0.5 s each
            return self.seconds[0]

        self.runtime.meters.cpu_time = reading
        self.s.world.store.timer = lambda: 0.0  # commits take no time here

    def test_refused_library_check_is_charged(self) -> None:
        """
        A library the check refuses (it compiles nothing) is charged the
        server's time the check took, to its owner.
        """
        before = self.runtime.meters.window(self.bob_id)[1]
        self.s.bob.send("@library tools")
        self.s.bob.send("x = ().__class__")
        self.s.bob.send('exports = ("x",)')
        said = " ".join(self.s.bob.send(".").split())
        self.assertIn("names starting with '_' are private", said)
        self.assertEqual(self.runtime.meters.window(self.bob_id)[1] - before, 0.5)
