# -*- test-case-name: tests.redteam_world.test_r4_character_aliases -*-
"""
A character answers only to the name it was created with: a player cannot
give her character other names (C{@alias me = ...}), as she cannot rename
it. An alias would take a short form of another player's name ('ali' for
Alice) or a word others use for the staff ('helper', 'mod'), so that
'page ali = my new password is ...', 'page mod = ...' and 'whisper ali
= ...' went to her instead: an exact alias is matched before another
character's name starting with the word, and a word no other character
answers to reaches her alone. (Found by redteam, round 4.)
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene


class CharacterAliasTests(TestCase):
    """
    Carol, hostile, tries to answer to Alice's short name and to 'mod'.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_alias_refused(self) -> None:
        """
        '@alias me = ali, mod' is refused, with the reason, and changes
        nothing.
        """
        said = self.s.carol.send("@alias me = ali, mod")
        self.assertIn("Characters keep the names they were created with", said)
        self.assertEqual(self.s.thing("Carol").aliases, ())

    def test_page_reaches_nobody_short(self) -> None:
        """
        Bob's 'page ali = ...' and 'whisper ali = ...' reach neither Carol,
        whatever Carol typed before, nor Alice, whose whole name it is not:
        Bob is asked whether he meant Alice (round 6).
        """
        self.s.carol.send("@alias me = ali")
        self.s.read()
        self.assertIn("Did you mean Alice?", self.s.bob.send("page ali = the code is 1234"))
        self.assertIn("Did you mean Alice?", self.s.bob.send("whisper ali = the code is 1234"))
        self.assertNotIn("1234", self.s.carol.output())
        self.assertNotIn("1234", self.s.alice.output())

    def test_page_mod_reaches_nobody(self) -> None:
        """
        'page mod = ...' reaches nobody called mod, and Carol reads
        none of it.
        """
        self.s.carol.send("@alias me = mod")
        self.s.read()
        self.assertIn("There is no player called 'mod'",
                      self.s.bob.send("page mod = my password is hunter2"))
        self.assertNotIn("hunter2", self.s.carol.output())
