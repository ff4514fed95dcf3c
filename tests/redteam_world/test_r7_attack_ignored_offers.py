# -*- test-case-name: tests.redteam_world.test_r7_attack_ignored_offers -*-
"""
A player one ignores cannot offer her a library (issue 9, round 7): his
offer's notice, naming a library he chose the name of, reached Alice
though she ignored Bob, as his pages and mail do not.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, flat


class IgnoredOfferTests(TestCase):

    def test_offer_refused(self) -> None:
        """
        Bob's '@grant Alice = library ...' is refused as his page would be,
        and Alice hears nothing of it.
        """
        s = Scene()
        self.addCleanup(s.world.close)
        s.alice.send("@ignore Bob")
        s.bob.send("@library youareugly")
        for line in ("def hi():", "    return 1", "exports = ['hi']", "."):
            s.bob.send(line)
        s.read()
        said = flat(s.bob.send("@grant Alice = library youareugly"))
        self.assertIn("not accepting", said)
        self.assertNotIn("youareugly", flat(s.alice.output()))

    def test_offer_taken_back_unheard(self) -> None:
        """
        An offer Bob made before Alice ignored him he may still take back,
        but she hears nothing of it; once she no longer ignores him, his
        offer reaches her again.
        """
        s = Scene()
        self.addCleanup(s.world.close)
        s.bob.send("@library youareugly")
        for line in ("def hi():", "    return 1", "exports = ['hi']", "."):
            s.bob.send(line)
        s.bob.send("@grant Alice = library youareugly")
        s.alice.send("@ignore Bob")
        s.read()
        said = flat(s.bob.send("@revoke Alice = library youareugly"))
        self.assertIn("You took back the offer", said)
        self.assertNotIn("youareugly", flat(s.alice.output()))
        s.alice.send("@unignore Bob")
        s.world.clock.advance(4000)
        s.read()
        self.assertIn("Shared your library", flat(s.bob.send("@grant Alice = library youareugly")))
        self.assertIn("Bob offers you the library youareugly", flat(s.alice.output()))
