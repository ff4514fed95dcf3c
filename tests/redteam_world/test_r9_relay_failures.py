# -*- test-case-name: tests.redteam_world.test_r9_relay_failures -*-
"""
Issue 9 (consent, round 9): her own script's failure report does not
relay the words of a player she ignores.

Carol ignores Bob. Her abacus counts what it is given; her ear repeats
nothing but chokes on what it hears. Bob makes them fail with words of his
choosing, and the error she was told at once ('Bob used your script, and it
failed: ... ValueError: invalid literal ...: <his words>') carried his
words, and his name, to her. Now a failure someone else caused is told
to its owner as said by him (C{said_by}): hidden if she ignores him (kept
for '@script/errors', which she asks for), told as ever otherwise.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.testing import TestWorld
from tests.scripts.helpers import make

ABACUS = """
def verb_count(actor, dobj, prep, iobj, dobjstr, iobjstr):
    actor.tell(str(int(iobjstr)))

def on_hear(actor, text):
    int(text)
"""


class FailureReportTests(TestCase):
    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)
        self.world.login("Wiz", role="wizard")
        self.carol = self.world.login("Carol", role="builder")
        self.bob = self.world.login("Bob")
        self.dana = self.world.login("Dana")
        self.assertIn("Saved", make(self.carol, "abacus", ABACUS))
        self.assertIn("You now ignore Bob", self.carol.send("@ignore bob"))
        for player in (self.carol, self.bob, self.dana):
            player.output()

    def test_verb_failure(self) -> None:
        """Bob's verb fails on his words: not told to her; Dana's is."""
        self.assertIn("failed", self.bob.send("count abacus with you are a fool"))
        self.assertNotIn("a fool", self.carol.output())
        self.dana.send("count abacus with seven")
        told = self.carol.output()
        self.assertIn("Dana used your script, and it failed", told)
        self.assertIn("'seven'", told)

    def test_handler_failure(self) -> None:
        """Bob's say chokes her on_hear: not told to her; Dana's is."""
        self.bob.send("say you are a fool")
        self.assertNotIn("a fool", self.carol.output())
        self.dana.send("say seven")
        self.assertIn("'seven'", self.carol.output())

    def test_kept_for_errors(self) -> None:
        """She can still read what failed when she asks: '@script/errors'."""
        self.bob.send("count abacus with you are a fool")
        self.carol.output()
        self.assertIn("a fool", self.carol.send("@script/errors"))

    def test_wizard_told(self) -> None:
        """A wizard is never ignored: what his doing made fail is told."""
        self.world.set_role("bob", "wizard")
        self.bob.send("count abacus with you are a fool")
        self.assertIn("a fool", self.carol.output())
