"""
The keeper of another's thing is told once that it now runs its owner's
script (L{engine.commands.script.tell_keeper}), not each time he sets it
again, and not at all if she ignores him: he cannot use her keeping of his
thing to speak to her, under a name he chooses.
"""

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, flat, script

TOLD = "runs a script of Bob's"


class RiderToldTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        s = self.s
        s.bob.send("@create ring")
        self.ring = s.thing("ring").id
        s.bob.send("drop ring")
        s.carol.send("get ring")
        s.bob.send("@create bell")
        script(s.bob, "bell", "def on_look(actor):\n    pass\n")
        s.bob.send("north")
        s.read()

    def flip(self, times: int) -> str:
        s = self.s
        for _ in range(times):
            s.bob.send(f"@script/use #{self.ring} = bell")
            s.bob.send(f"@script/clear #{self.ring}")
        return flat(s.carol.output())

    def test_told_once_per_keeping(self) -> None:
        """
        Set and cleared five times, the ring is told of once; once it has
        left her and come back, she is told again.
        """
        self.assertEqual(self.flip(5).count(TOLD), 1)
        s = self.s
        s.carol.send("drop ring")
        s.carol.send("get ring")
        s.read()
        self.assertEqual(self.flip(3).count(TOLD), 1)

    def test_not_told_when_ignoring(self) -> None:
        """
        She ignores Bob: she is not told at all.
        """
        self.assertIn("You now ignore Bob", flat(self.s.carol.send("@ignore bob")))
        self.s.read()
        self.assertEqual(self.flip(5).count(TOLD), 0)
        self.assertEqual(self.s.thing("ring").location, self.s.character("Carol"))
