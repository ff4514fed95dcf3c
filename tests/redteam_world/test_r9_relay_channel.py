# -*- test-case-name: tests.redteam_world.test_r9_relay_channel -*-
"""
Issue 9 (consent, round 9): a script relaying a player's words onto a
channel says whose they are, and whoever ignores him is shown neither the
line nor, later, the line in the channel's history.

Alice's crier repeats on her channel what it hears in the square, with
C{said_by=actor}. Carol, on the channel, ignores Bob.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.testing import TestWorld
from tests.scripts.helpers import make

CRIER = """
def on_hear(actor, text):
    grants["news"].say(actor.name + " said: " + text, said_by=actor)
"""


class ChannelRelayTests(TestCase):
    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)
        self.wizard = self.world.login("Wiz", role="wizard")
        self.alice = self.world.login("Alice", role="builder")
        self.bob = self.world.login("Bob")
        self.carol = self.world.login("Carol")
        self.dana = self.world.login("Dana")
        self.alice.send("@channel/create news")
        for player in (self.carol, self.dana):
            player.send("@channel/join news")
        self.assertIn("Saved", make(self.alice, "crier", CRIER))
        self.assertIn("Granted", self.alice.send("@grant crier.news = channel news"))
        self.assertIn("You now ignore Bob", self.carol.send("@ignore bob"))
        self.read()

    def read(self) -> None:
        for player in (self.wizard, self.alice, self.bob, self.carol, self.dana):
            player.output()

    def test_line_hidden(self) -> None:
        """Bob's words relayed on news: hidden from Carol, shown to Dana, marked as the crier's."""
        self.bob.send("say fire sale")
        self.assertIn("[Alice's crier] [news] crier: Bob said: fire sale", self.dana.output())
        self.assertNotIn("fire sale", self.carol.output())

    def test_history_hidden(self) -> None:
        """The line is left out of the history she reads, kept in Dana's."""
        self.bob.send("say fire sale")
        self.dana.send("say all quiet")
        self.read()
        shown = self.carol.send("@channel/history news")
        self.assertNotIn("fire sale", shown)
        self.assertIn("Dana said: all quiet", shown)
        self.assertIn("Bob said: fire sale", self.dana.send("@channel/history news"))

    def test_wizard_history(self) -> None:
        """Bob made a wizard: the relayed line is in her history again."""
        self.bob.send("say fire sale")
        self.wizard.send("@role bob = wizard")
        self.assertIn("Bob said: fire sale", self.carol.send("@channel/history news"))
