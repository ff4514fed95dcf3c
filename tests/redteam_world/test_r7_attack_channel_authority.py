# -*- test-case-name: tests.redteam_world.test_r7_attack_channel_authority -*-
"""
A player's channel is not called by a name starting with a word that
speaks for the game (issue 9, round 7): a thing's name may not start with
one ("System notice"), but a channel called 'systemnews' or 'staffchat'
was a player's to make, and each of its lines starts '[systemnews] '.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, flat


class ChannelAuthorityPrefixTests(TestCase):

    def test_starts_with_authority(self) -> None:
        """
        'staffchat', 'systemnews' and 'adminhelp' are refused to a player.
        """
        s = Scene()
        self.addCleanup(s.world.close)
        for name in ("staffchat", "systemnews", "adminhelp"):
            said = flat(s.bob.send(f"@channel/create {name}"))
            self.assertIn("speaks for the game", said)
            self.assertNotIn("You made the channel", said)

    def test_as_thing_names_read_it(self) -> None:
        """
        Read as a thing's name is (digits as the letters they stand for),
        after 'the', and at the end of the name too ('mudadmins'); names
        with none of these words are made; a wizard makes 'staffchat'.
        """
        s = Scene()
        self.addCleanup(s.world.close)
        for name in ("st4ffchat", "sy5temnews", "thestaff", "mudadmins", "gamewizards",
                     "r00tnotice"):
            s.world.clock.advance(1)
            said = flat(s.bob.send(f"@channel/create {name}"))
            self.assertIn("speaks for the game", said, name)
        for name in ("chess", "thespians", "gossip"):
            s.world.clock.advance(1)
            said = flat(s.bob.send(f"@channel/create {name}"))
            self.assertIn(f"You made the channel {name}", said)
        s.world.set_role("Alice", "wizard")
        self.assertIn("You made the channel staffchat",
                      flat(s.alice.send("@channel/create staffchat")))
