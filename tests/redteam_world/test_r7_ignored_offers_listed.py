# -*- test-case-name: tests.redteam_world.test_r7_ignored_offers_listed -*-
"""
Offers of libraries from a player she ignores are not listed to her
(issue 9, round 7): an offer Alice made before Carol ignored her was
still named to Carol ('@library/accept', '@library', '@library/show', a
script's "not accepted yet" import error), with the library's name
Alice chose. Now every text shown to Carol leaves out offers from owners
she ignores, as their pages are, but a wizard's (never ignored).
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, flat, make
from tests.scripts.test_libraries import BELL, offer
from world.ignores import account_of


class IgnoredOffersListedTests(TestCase):
    """
    Alice wrote greet and offered it to Carol, who then ignored her.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        offer(self, self.s.alice, "carol")
        self.s.carol.send("@ignore Alice")
        self.s.read()

    def shown(self) -> list[str]:
        carol = self.s.carol
        return [flat(carol.send("@library/accept")), flat(carol.send("@library/accept alice")),
                flat(carol.send("@library")), flat(carol.send("@library/show greet")),
                flat(make(carol, "bell", BELL))]

    def test_not_listed(self) -> None:
        """
        No text shown to Carol names Alice's offer.
        """
        shown = self.shown()
        for said in shown:
            self.assertNotIn("greet (Alice's)", said)
            self.assertNotIn("Alice offers you:", said)
            self.assertNotIn("Alice offers you the library", said)
            self.assertNotIn("Library greet", said)
        said = shown
        self.assertIn("You have no library offers", said[0])
        self.assertIn("Alice offers you no library", said[1])
        self.assertIn("no module named 'greet'", said[4])

    def test_wizard_listed(self) -> None:
        """
        Once Alice is a wizard (never ignored), her offer is listed again.
        """
        alice = self.s.character("Alice").id
        with self.s.world.store.turn() as turn:
            account_of(turn.root, turn.root.get(alice)).role = "wizard"
        said = self.shown()
        self.assertIn("greet (Alice's)", said[0])
        self.assertIn("Alice offers you: greet", said[1])
        self.assertIn("greet (Alice's)", said[2])
        self.assertIn("Library greet", said[3])
        self.assertIn("Alice offers you the library greet", said[4])

    def test_unignored_listed(self) -> None:
        """
        Once Carol no longer ignores Alice, the offer is listed again.
        """
        self.s.carol.send("@unignore Alice")
        self.assertIn("greet (Alice's)", self.shown()[0])
