"""
What passers-by cannot take from an owner by filling their holds: a grant's
hold (the owner's deliberate act) is never given up for a newer visitor's,
so alts cannot break a granted thing nor get it suspended; and one call
that looks at more players than the owner's share allows is refused the
newest, never robbed of the facets it was handed earlier in that turn.
"""

from __future__ import annotations

from scripting.facets import accounting, grants, holds
from tests.redteam_world.test_hold_charges import ROBOT, Charged
from tests.redteam_world.test_hold_flood import DOORMAN, DoormanCase, holds_count
from tests.scripts.helpers import make


class GrantFloodTests(DoormanCase):
    """
    Bob grants his robot a view of Carol, Carol looks at his doorman, then
    sixty alts walk past the doorman with Bob's holds full: the robot's eye stays alive, it is never
    suspended, and Bob still pays for it.
    """

    def setUp(self) -> None:
        super().setUp()
        make(self.s.bob, "robot", ROBOT)
        make(self.s.bob, "doorman", DOORMAN)
        self.assertIn("Granted", self.s.bob.send("@grant robot.eye = view Carol"))
        self.assertIn("sees Carol", self.s.bob.send("peek robot"))
        self.assertIn("the doorman greets you", self.s.carol.send("look doorman"))
        self.s.read()

    def test_grant_survives_flood(self) -> None:
        """
        After the flood the robot still sees Carol, however often Bob peeks
        (three failures in a row would suspend it), and her hold is listed.
        """
        self.leave_room("Bob", 8 * holds.HOLD_BYTES)
        self.flood()
        for _ in range(4):
            said = self.s.bob.send("peek robot")
            self.assertIn("sees Carol", said)
            self.assertNotIn("suspended", said)
        self.assertEqual(self.holders("Carol"), ["robot"])

    def test_pinned_outside_the_share(self) -> None:
        """
        The grant's hold is still charged to Bob, but does not take a place
        among the holds passers-by share: they still get the whole share.
        """
        charged = self.flood_a_share(40)
        self.assertEqual(holds_count(self, "Bob"), 41)
        self.assertEqual(charged, 39 * holds.HOLD_BYTES)

    def test_shed_keeps_grants(self) -> None:
        """
        C{@holders/shed} gives up what passers-by left, not what Bob
        granted: the robot still sees Carol.
        """
        self.assertIn("gave up 1 hold ", self.s.bob.send("@holders/shed"))
        self.assertIn("sees Carol", self.s.bob.send("peek robot"))

    def test_revoked_grant_unpins(self) -> None:
        """
        Once Bob revokes the grant its hold is an ordinary one again: the
        next visitor past Bob's share takes its place.
        """
        self.s.bob.send("@revoke robot.eye")
        bob = self.s.character("Bob").id
        with self.s.world.store.turn() as turn:
            used = accounting.usage(turn.root, bob).stored_bytes
            accounting.set_limit(turn.root, bob, "storage", used + 8 * holds.HOLD_BYTES)
        self.flood()
        self.assertEqual(self.holders("Carol"), [])

    def test_carol_still_revokes(self) -> None:
        """
        A pinned hold is Bob's to keep, not Carol's to suffer: she revokes
        it, and Bob is refunded (the grant's bytes too).
        """
        before = self.stored("Bob")
        self.s.carol.send("@holders/revoke all")
        self.assertEqual(self.holders("Carol"), [])
        self.assertEqual(self.stored("Bob"),
                         before - 2 * holds.HOLD_BYTES - grants.GRANT_BYTES)
        self.assertEqual(holds_count(self, "Bob"), 0)


#: Looks at everyone in the room in one call, then speaks to its user.
CENSUS = """
def verb_census(actor, *rest):
    try:
        names = [c.name for c in here.characters]
        actor.tell("counted " + str(len(names)))
    except Exception as err:
        actor.tell("refused: " + str(err))
    actor.tell("still " + actor.name)

def verb_hello(actor, *rest):
    actor.tell("hello " + actor.name)
"""


class OneCallTests(Charged):
    """
    Bob's share is two holds. Carol uses his census (her facet is handed to
    it), which then looks at Alice and Dave too in the same call: Dave, the
    newest, is refused with a clear error, and Carol's facet, handed
    earlier in the turn, stays alive.
    """

    def test_newest_refused(self) -> None:
        make(self.s.bob, "census", CENSUS)
        self.s.world.login("Dave")
        self.s.read()
        bob = self.s.character("Bob").id
        with self.s.world.store.turn() as turn:
            accounting.set_limit(turn.root, bob, "storage", 2 * holds.HOLD_BYTES * holds.SHARE)
        said = self.s.carol.send("census census")
        self.assertIn("refused: Your things cannot hold Dave too", said)
        self.assertIn("in one turn", said)
        self.assertIn("still Carol", said)
        self.assertEqual(holds_count(self, "Bob"), 2)
        self.assertEqual(self.holders("Carol"), ["census"])

    def test_next_turn_takes_the_oldest(self) -> None:
        """
        The refusal lasts only the turn: in the next, a newcomer takes the
        oldest hold's place (Carol's) as ever.
        """
        make(self.s.bob, "census", CENSUS)
        dave = self.s.world.login("Dave")
        self.s.read()
        bob = self.s.character("Bob").id
        with self.s.world.store.turn() as turn:
            accounting.set_limit(turn.root, bob, "storage", 2 * holds.HOLD_BYTES * holds.SHARE)
        self.s.carol.send("census census")
        self.assertIn("hello Dave", dave.send("hello census"))
        self.assertEqual(holds_count(self, "Bob"), 2)
        self.assertEqual(self.holders("Carol"), [])
