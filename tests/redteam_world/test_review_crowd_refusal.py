"""
Red-team review of refusals counted as the crowd's doing
(L{scripting.facets.errors.CrowdRefused}): a hold refused because its
owner's things were handed, earlier in the turn, all the players he may
hold is not counted toward suspending the script. Each test tries to have
an owner's own overspend pass for that: his script's own grants, more
than his storage can hold, handed to it one after the other in its load.
"""

from __future__ import annotations

from engine.scripts.runtime import SUSPEND_AFTER
from scripting.facets import holds
from tests.redteam_world.test_hold_charges import Charged
from tests.scripts.helpers import flat, make

#: Bob's robot, granted views of Carol and of Alice: its load holds both.
ROBOT = """
def on_hear(actor, text):
    grants["eye"].name
    grants["ear"].name
"""


class OwnGrantsTests(Charged):
    def setUp(self) -> None:
        super().setUp()
        make(self.s.bob, "robot", ROBOT)
        self.assertIn("Granted", self.s.bob.send("@grant robot.eye = view Carol"))
        self.assertIn("Granted", self.s.bob.send("@grant robot.ear = view Alice"))
        self.s.read()

    def test_own_grants_past_his_storage_count(self) -> None:
        """
        Bob has room for one hold and grants his robot two players: its
        load holds the first and cannot hold the second but by giving up
        the first, handed to it that very turn. Nobody but Bob chose that:
        the refusal is his overspend, not the crowd's. Each load refused
        counts, toward Carol, whose words woke it: after three in a row it
        refuses her (its owner told), as any script that cannot load.
        """
        self.leave_room("Bob", holds.HOLD_BYTES)
        said = ""
        for n in range(SUSPEND_AFTER + 1):
            self.s.world.clock.advance(1)
            self.s.carol.send(f"say hello {n}")
            said += flat(self.s.bob.output())
        self.assertNotIn("cannot hold", said)  # (not the crowd's refusal)
        self.assertIn("so it does not answer Carol", said)


#: Bob's spinner: it runs out of its budget, then in its finally looks at
#: everyone in the room, more players than Bob can hold.
SPINNER = """
def on_hear(actor, text):
    try:
        while True:
            pass
    finally:
        here.characters
"""


class LaunderedAbortTests(Charged):
    def setUp(self) -> None:
        super().setUp()
        make(self.s.bob, "spinner", SPINNER)
        self.s.read()

    def test_an_abort_ending_in_a_crowd_refusal_counts(self) -> None:
        """
        Bob has room for one hold; his spinner runs out of its budget each
        time it hears something and, in a finally, looks at Alice and Carol
        both, which he cannot hold: if that refusal were what ended it, it
        would pass for the crowd's doing and never be counted. It is
        counted (toward Carol, whose words woke it): after three in a row
        it refuses her.
        """
        self.s.world.server.scripts.meters.cpu_time = lambda: 0.0
        self.leave_room("Bob", holds.HOLD_BYTES)
        said = ""
        for n in range(SUSPEND_AFTER + 1):
            self.s.world.clock.advance(61)
            self.s.carol.send(f"say hello {n}")
            said += flat(self.s.bob.output())
        self.assertIn("so it does not answer Carol", said)
