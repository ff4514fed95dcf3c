# -*- test-case-name: tests.redteam_world.test_r7_attack_revoked_lists -*-
"""
One player's revocation breaks nobody else's use of a script (issue 9,
round 7).

Alice's guestbook keeps a facet of everyone who signs it in a list in its
state. Dora signed it, then revoked what it held of her (@holders/revoke,
her right): the list now held a dead facet, which could not be stored
again, so every later signing failed, for everyone: three failures through
Carol made it refuse Carol for ten minutes, and three of Alice's own
suspended it. A revoked facet is now stored as it is, dead: it comes back
dead (any use of it says it was revoked) and the rest of the value is
stored.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, flat, make

GUESTBOOK = """
def verb_sign(actor, *rest):
    state["guests"] = state.get("guests", []) + [actor]
    actor.tell("Signed: " + str(len(state["guests"])) + " guests.")

def verb_count(actor, *rest):
    alive = 0
    for guest in state.get("guests", []):
        try:
            guest.name
            alive += 1
        except Exception:
            pass
    actor.tell(str(alive) + " of " + str(len(state.get("guests", []))) + " known.")
"""


class RevokedListTests(TestCase):
    """
    Dora signs Alice's guestbook, then revokes what it holds of her.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.alice, "guestbook", GUESTBOOK)
        self.dora = self.s.world.login("Dora", address="10.0.0.5")
        self.assertIn("Signed: 1 guests.", self.dora.send("sign guestbook"))
        self.dora.send("@holders/revoke all")
        self.s.read()

    def test_others_still_sign(self) -> None:
        """
        Carol signs, three times over, and Alice too: nothing fails, and
        nobody is refused.
        """
        for n in range(3):
            self.assertIn(f"Signed: {n + 2} guests.", flat(self.s.carol.send("sign guestbook")))
        self.assertIn("Signed: 5 guests.", flat(self.s.alice.send("sign guestbook")))
        self.assertNotIn("failed", flat(self.s.alice.output()))

    def test_stays_dead(self) -> None:
        """
        Dora's facet, stored again, is still dead: the book knows the other
        guests, not her.
        """
        self.s.carol.send("sign guestbook")
        self.assertIn("1 of 2 known.", self.s.carol.send("count guestbook"))
