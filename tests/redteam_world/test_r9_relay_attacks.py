# -*- test-case-name: tests.redteam_world.test_r9_relay_attacks -*-
"""
Issue 9 (consent, round 9): attacks on C{said_by} itself.

C{said_by} may only ever keep a line from more readers, and only the
caller's own line: an ignored player cannot get his script's text shown to
her by naming someone else, nor can a script hide anything but what it
sends, whatever facet it names (one revoked, its own host's owner's, a
wizard's).
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, make

NAMER = """
def verb_poke(actor, *rest):
    actor.tell("poked, as said by you", said_by=actor)
    here.say("said, as said by you", said_by=actor)
"""


class CannotUnhideTests(TestCase):
    """
    Carol ignores Bob; Bob's thing names Dana (or Carol herself) as whose
    words its lines are.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.dana = self.s.world.login("Dana")
        self.assertIn("Saved", make(self.s.bob, "namer", NAMER))
        self.s.carol.send("@ignore bob")
        self.s.read()
        self.dana.output()

    def test_naming_another_does_not_unhide(self) -> None:
        """Dana pokes it: its lines said_by Dana are still his script's, hidden from Carol."""
        said = self.dana.send("poke namer")
        self.assertIn("[Bob's namer] poked, as said by you", said)
        self.assertNotIn("as said by you", self.s.carol.output())

    def test_naming_her_does_not_unhide(self) -> None:
        """Carol pokes it: lines said_by Carol herself are still hidden from her."""
        self.assertNotIn("as said by you", self.s.carol.send("poke namer"))
        self.assertIn("[Bob's namer] namer says", self.dana.output())

    def test_naming_a_wizard_does_not_unhide(self) -> None:
        """A wizard pokes it: lines said_by a wizard are still hidden from her."""
        wizard = self.s.world.login("Wiz", role="wizard")
        self.s.read()
        wizard.send("poke namer")
        self.assertNotIn("as said by you", self.s.carol.output())
