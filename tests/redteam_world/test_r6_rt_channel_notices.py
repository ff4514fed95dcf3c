# -*- test-case-name: tests.redteam_world.test_r6_rt_channel_notices -*-
"""
A channel's owner moderates those on his channel, not the whole world.
'@channel/ban chess = carol' and '@channel/unban chess = carol' told Carol,
in the game's own voice and naming nobody, that she was banned from a
channel she had never joined, and then that she no longer was: Bob, typing
the two in turn, put as many of these lines on any player's screen as his
command rate allows, and she could do nothing about it (she cannot leave
what she is not on). Now a ban tells only someone it took off the channel,
and an unban only someone it puts back on one (the world's public
channels); a player who was never on it is not told. (Found by redteam,
round 6.)
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene


class NoticeSpamTests(TestCase):
    """
    Bob owns the channel chess; Carol never joined it.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.assertIn("You made the channel chess", self.s.bob.send("@channel/create chess"))
        self.s.read()

    def test_never_on_it_not_told(self) -> None:
        """
        Bob bans and unbans Carol five times: Carol is told nothing, and
        the ban still holds her off it.
        """
        for _ in range(5):
            self.s.world.clock.advance(1)
            self.assertIn("banned from chess", self.s.bob.send("@channel/ban chess = carol"))
            self.s.world.clock.advance(1)
            self.assertIn("may join it again", self.s.bob.send("@channel/unban chess = carol"))
        told = self.s.carol.output()
        self.assertNotIn("banned", told)
        self.assertNotIn("chess", told)
        self.s.bob.send("@channel/ban chess = carol")
        self.assertIn("You are banned from chess", self.s.carol.send("@channel/join chess"))

    def test_member_told(self) -> None:
        """
        Carol on chess is told when Bob bans her (it took her off it).
        """
        self.s.carol.send("@channel/join chess")
        self.s.read()
        self.s.bob.send("@channel/ban chess = carol")
        self.assertIn("You were banned from the channel chess", self.s.carol.output())

    def test_public_channel_unban_told(self) -> None:
        """
        A wizard's unban puts Carol back on pub: she is told.
        """
        self.s.world.set_role("Bob", "wizard")
        self.s.bob.send("@channel/ban pub = carol")
        self.assertIn("You were banned from the channel pub", self.s.carol.output())
        self.s.bob.send("@channel/unban pub = carol")
        self.assertIn("no longer banned from the channel pub", self.s.carol.output())
