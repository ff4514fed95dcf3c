# -*- test-case-name: tests.redteam_world.test_r5_builder_sight -*-
"""
A builder's commands see players no further than her scripts do. A kept
facet of Carol stops saying where she is once she walks away
(L{world.rules.in_sight}); but Alice, a builder, typing '@find carol' or
'@examine #15' every few seconds, followed Carol from room to room (into
private rooms, behind locked doors), and '@find diary' or '@examine #16'
named who carried Carol's diary. Where a character is, and where what a
character carries is, a builder is told only as her scripts would be:
beside them (a wizard, anywhere). (Found by redteam, round 5.)
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene


class BuilderSightTests(TestCase):
    """
    Carol makes a diary and walks north, away from Alice (a builder).
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.carol.send("@create diary")
        self.carol = self.s.thing("Carol").ref
        self.diary = self.s.thing("diary").ref
        self.s.carol.send("north")
        self.s.read()

    def test_find_does_not_follow_her(self) -> None:
        said = self.s.alice.send("@find carol")
        self.assertIn(f"Carol ({self.carol}), a character", said)
        self.assertNotIn("Market", said)

    def test_find_does_not_name_who_carries(self) -> None:
        said = self.s.alice.send("@find diary")
        self.assertIn(f"diary ({self.diary}), a thing", said)
        self.assertNotIn("Carol", said)

    def test_examine_does_not_follow_her(self) -> None:
        said = self.s.alice.send(f"@examine {self.carol}")
        self.assertIn("Location: out of your sight", said)
        self.assertNotIn("Market", said)
        said = self.s.alice.send(f"@examine {self.diary}")
        self.assertNotIn("Carol", said.split("Owner:")[1].split("\n", 1)[1])

    def test_beside_her(self) -> None:
        """
        Beside Carol, Alice is told where she and her diary are.
        """
        self.s.alice.send("north")
        self.assertIn("a character in Market", self.s.alice.send("@find carol"))
        self.assertIn(f"a thing in Carol ({self.carol})", self.s.alice.send("@find diary"))
        self.assertIn("Location: Market", self.s.alice.send(f"@examine {self.carol}"))

    def test_wizard_anywhere(self) -> None:
        self.s.world.set_role("Alice", "wizard")
        self.assertIn("a character in Market", self.s.alice.send("@find carol"))
        self.assertIn("Location: Market", self.s.alice.send(f"@examine {self.carol}"))

    def test_own_and_unheld_things_anywhere(self) -> None:
        """
        What no character carries is found where it is, as before: the
        town's lantern, and Alice's own lamp left in the market.
        """
        self.s.alice.send("@create lamp")
        self.s.alice.send("north")
        self.s.alice.send("drop lamp")
        self.s.alice.send("south")
        self.assertIn("a thing in Market", self.s.alice.send("@find lamp"))
        self.assertIn("in Town Square", self.s.alice.send("@find lantern"))


class TeleportToPlayerTests(TestCase):
    """
    Bob is in his own Den (no exits); Alice, a builder, tries to go to him.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.bob.send("@dig Den")
        self.s.bob.send(f"@teleport {self.s.thing('Den').ref}")
        self.s.read()

    def test_refusal_does_not_name_his_room(self) -> None:
        """
        '@teleport me = bob' is refused without naming the room he is in.
        """
        said = self.s.alice.send("@teleport me = bob")
        self.assertIn("Bob is somewhere not open to you", said)
        self.assertNotIn("Den", said)
        self.assertEqual(self.s.thing("Alice").location.name, "Town Square")

    def test_to_him_in_a_public_room(self) -> None:
        """
        In a room marked public, she goes to him, as before.
        """
        self.s.bob.send("@set here/public = true")
        self.s.alice.send("@teleport me = bob")
        self.assertEqual(self.s.thing("Alice").location.name, "Den")
