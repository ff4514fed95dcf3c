"""
A script whose grant of a player cannot be held when it loads fails, and
three failures in a row suspend it (the owner's), or make it refuse the
player who woke it (another's); but only the owner's own overspend
counts (issue 9). When the players standing by were handed all the holds
its owner may make in one turn, the refusal is the crowd's doing: a player
talking beside Bob's things must not be able to suspend his robot.
"""

from __future__ import annotations

from engine.scripts.runtime import SUSPEND_AFTER
from scripting.facets import holds
from tests.redteam_world.test_hold_charges import Charged
from tests.scripts.helpers import flat, make
from world.scripts import script_of

#: A listener: hearing Alice hands it her (a hold of her, charged to Bob).
EAR = """
def on_hear(actor, text):
    pass
"""

#: Bob's robot, granted a view of Carol: its load holds her.
ROBOT = """
def on_hear(actor, text):
    grants["eye"].name
"""


class CrowdRefusedGrantTests(Charged):
    """
    Bob's imp and robot listen in the square; the robot is granted a view
    of Carol, not yet held.
    """

    def setUp(self) -> None:
        super().setUp()
        make(self.s.bob, "imp", EAR)
        make(self.s.bob, "robot", ROBOT)
        self.assertIn("Granted", self.s.bob.send("@grant robot.eye = view Carol"))
        self.s.read()

    def failures(self) -> tuple[int, str | None]:
        """
        The robot's failures counted in a row, its owner's and Alice's (whose
        words wake it: counted toward her alone), and why it is suspended.
        """
        robot = self.s.thing("robot").id
        alice = self.s.character("Alice").id
        strikes = self.s.world.server.scripts.strikes
        with self.s.world.store.turn() as turn:
            record = script_of(turn.root.get(robot))
            return (record.failures + strikes.failures(robot, record.version, alice),
                    record.suspended)

    def test_a_crowd_cannot_suspend_it(self) -> None:
        """
        Bob has room for one hold: Alice's saying something hands the imp
        her first, so the robot's load cannot hold Carol without giving
        that up, and is refused; however often she talks, it is not
        counted, and the robot is not suspended.
        """
        self.leave_room("Bob", holds.HOLD_BYTES)
        for _ in range(SUSPEND_AFTER + 1):
            self.s.alice.send("say hello")
        self.assertIn("Your things cannot hold Carol too", flat(self.s.bob.output()))
        self.assertEqual(self.failures(), (0, None))

    def test_the_owners_own_overspend_counts(self) -> None:
        """
        With no room at all and nothing to give up (Bob's own storage is
        spent), the robot's load is refused each time, and counted (toward
        Alice, whose words woke it): after three in a row it refuses her,
        as any failing script.
        """
        self.s.bob.send("@script/clear imp")
        self.leave_room("Bob", 0)
        for _ in range(SUSPEND_AFTER):
            self.s.alice.send("say hello")
        told = flat(self.s.bob.output())
        self.assertIn(f"Holding a facet of Carol needs {holds.HOLD_BYTES} bytes", told)
        self.assertIn("so it does not answer Alice", told)
        self.assertEqual(self.failures(), (SUSPEND_AFTER, None))
