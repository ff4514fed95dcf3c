"""
Issue 9: what a player's channel keeps about others is bounded: it bans at
most L{world.channels.MAX_BANNED} characters and mutes at most
L{world.channels.MAX_MUTED} members (the cap is said when it is hit); the
world's channels, kept by wizards, are not capped.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.testing import TestWorld
from world import channels

#: Ids no character has: enough of them fill any list.
FAKE = 1_000_000


class ChannelListBoundTests(TestCase):
    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)
        self.wizard = self.world.login("Wiz", role="wizard")
        self.alice = self.world.login("Alice")
        self.bob = self.world.login("Bob")
        self.alice.send("@channel/create chess")
        self.bob.send("@channel/join chess")
        self.alice.output()

    def fill(self, name: str, which: str, count: int) -> None:
        with self.world.store.turn() as turn:
            getattr(channels.find(turn.root, name), which).update(range(FAKE, FAKE + count))

    def test_ban_list_capped(self) -> None:
        """A player's channel that bans 200 refuses the next ban, and says so."""
        self.fill("chess", "banned", channels.MAX_BANNED)
        said = self.alice.send("@channel/ban chess = bob")
        self.assertIn(f"chess bans {channels.MAX_BANNED} characters already", said)
        self.assertIn("You join chess.", self.world.login("Carol").send("@channel/join chess"))
        with self.world.store.turn() as turn:
            self.assertEqual(len(channels.find(turn.root, "chess").banned), channels.MAX_BANNED)

    def test_mute_list_capped(self) -> None:
        """A player's channel that mutes 200 refuses the next mute, and says so."""
        self.fill("chess", "muted", channels.MAX_MUTED)
        said = self.alice.send("@channel/mute chess = bob")
        self.assertIn(f"chess mutes {channels.MAX_MUTED} members already", said)
        self.assertNotIn("You are muted", self.bob.send("chess hello"))

    def test_world_channel_kept_by_wizards(self) -> None:
        """The world's pub, kept by wizards, is not capped: a wizard can always ban."""
        self.fill("pub", "banned", channels.MAX_BANNED)
        self.assertIn("Bob is banned from pub", self.wizard.send("@channel/ban pub = bob"))
