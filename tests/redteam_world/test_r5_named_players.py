# -*- test-case-name: tests.redteam_world.test_r5_named_players -*-
"""
A player's whole name names her and nobody else. Carol, hostile, made the
account Alicent: while Alice was elsewhere or away, Bob's 'whisper alice =
the code is 1234', 'page alice = ...' and 'give gem to alice' went to
Alicent, whose name starts with the name Bob typed (a name is matched as a
prefix when nothing answers to it exactly). Bob learnt it only once she had
read it. The name of a character is hers: typed whole (or in look-alike
letters, as accounts are found), it reaches her or nobody. (Found by
redteam, round 5.)
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene


class NamedPlayerTests(TestCase):
    """
    Alice, Bob and Carol in the town square; Alicent, hostile, there too.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.alicent = self.s.world.login("Alicent")
        self.s.read()
        self.alicent.output()

    def test_whisper_to_one_not_here(self) -> None:
        """
        Alice has walked north: Bob's whisper to her finds nobody, and
        Alicent reads none of it.
        """
        self.s.alice.send("north")
        self.alicent.output()
        said = self.s.bob.send("whisper alice = the code is 1234")
        self.assertIn("You don't see 'alice' here", said)
        self.assertNotIn("1234", self.alicent.output())

    def test_page_to_one_away(self) -> None:
        """
        Alice has gone: Bob's page to her finds nobody connected, and
        Alicent reads none of it.
        """
        self.s.alice.disconnect()
        self.alicent.output()
        said = self.s.bob.send("page alice = my password is hunter2")
        self.assertIn("Nobody called 'alice' is connected", said)
        self.assertNotIn("hunter2", self.alicent.output())

    def test_give_to_one_not_here(self) -> None:
        """
        Bob's gem, given to Alice who walked north, stays in his hands.
        """
        self.s.bob.send("@create gem")
        self.s.alice.send("north")
        said = self.s.bob.send("give gem to alice")
        self.assertIn("You don't see 'alice' here", said)
        self.assertEqual(self.s.thing("gem").location.name, "Bob")

    def test_whole_names_still_reach(self) -> None:
        """
        Typed whole, each name reaches its player, Alice's while Alicent is
        there too.
        """
        self.assertIn("You page Alice:", self.s.bob.send("page alice = hi"))
        self.assertIn("You page Alicent:", self.s.bob.send("page alicent = hi"))
        self.assertIn('You whisper to Alice, "hi"', self.s.bob.send("whisper alice = hi"))

    def test_short_names_reach_nobody(self) -> None:
        """
        A short form no character is called reaches nobody, not the one it
        starts: 'page alicen' asks whether Alicent was meant (round 6).
        """
        said = self.s.bob.send("page alicen = hi")
        self.assertIn("Did you mean Alicent?", said)
        self.assertNotIn("hi", self.alicent.output())

    def test_teleport_to_a_whole_name_finds_her(self) -> None:
        """
        Bob's '@teleport me = alice' while Alice is north and Alicent
        stands beside him: the name is Alice's, so it is to Alice (where
        he may go: the open street north) that he goes, not to Alicent.
        """
        self.s.alice.send("north")
        self.s.bob.send("@teleport me = alice")
        self.assertIn("Alice", self.s.bob.send("look"))
        self.assertNotIn("Alicent", self.s.bob.send("look"))

    def test_a_wizards_quota_of_a_whole_name_is_hers(self) -> None:
        """
        A wizard's '@quota alice = objects 7' while Alicent stands beside
        him and Alice is away, north, sets Alice's limit, not Alicent's.
        """
        wiz = self.s.world.login("Wanda", role="wizard")
        self.s.alice.send("north")
        self.s.alice.disconnect()
        wiz.send("@quota alice = objects 7")
        hers = wiz.send("@quota alice")
        self.assertIn("Scripts of Alice:", hers)
        self.assertIn("objects owned: 0 of 7", hers)
        self.assertNotIn("of 7", wiz.send("@quota alicent"))
