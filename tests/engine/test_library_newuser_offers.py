"""
Removing a library tells those it was offered to (played as a new player;
see L{tests.engine.test_library_newuser}).
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, flat
from tests.scripts.test_libraries import library, offer


class RemovedOfferTests(TestCase):
    """
    Alice offers greet to Carol, who has not accepted it; Alice removes it.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        offer(self, self.s.alice, "carol")
        self.s.read()

    def test_told_once(self) -> None:
        """
        Carol is told the offer is gone with the library; saving and
        offering it again waits, as after taking an offer back, so that she
        is not told again and again.
        """
        self.s.alice.send("@library/remove greet")
        said = flat(self.s.carol.output())
        self.assertIn("Alice removed the library greet, offered to you and not accepted: "
                      "there is nothing to accept now.", said)
        self.assertEqual(said.count("removed the library greet"), 1)
        from tests.scripts.test_libraries import GREET
        library(self.s.alice, "greet", GREET)
        said = flat(self.s.alice.send("@grant carol = library greet"))
        self.assertIn("(or took back an offer, or removed a library offered to them); you may "
                      "share one with them again in", said)
        self.assertEqual("", flat(self.s.carol.output()))

    def test_ignoring_not_told(self) -> None:
        """
        Carol, ignoring Alice since the offer, is not told.
        """
        self.s.carol.send("@ignore alice")
        self.s.read()
        self.s.alice.send("@library/remove greet")
        self.assertNotIn("greet", self.s.carol.output())
