"""
Chat channels as a hostile player makes them: a channel's name and
description are stored bytes of its owner, charged to their stored-bytes
quota like the names and descriptions of their things (a longer
description charges what it adds, a shorter refunds, destroying refunds
all), and so is its history's ceiling (L{world.channels.HISTORY_BYTES});
refused past the quota with nothing changed; and one player owns at most
L{world.channels.MAX_OWNED} channels.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.testing import TestWorld
from scripting.facets import accounting
from world import channels


class ChannelChargeTests(TestCase):
    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)
        self.mallory = self.world.login("Mallory")
        self.mallory.output()
        with self.world.store.turn() as turn:
            self.who = next(a.character_id for a in turn.root.accounts.values()
                            if a.name == "Mallory")

    def send(self, line: str) -> str:
        self.world.clock.advance(1)  # not too fast for the command rate
        return " ".join(self.mallory.send(line).split())

    def stored(self) -> int:
        with self.world.store.turn() as turn:
            return accounting.usage(turn.root, self.who).stored_bytes

    def leave_room(self, room: int) -> None:
        with self.world.store.turn() as turn:
            used = accounting.usage(turn.root, self.who).stored_bytes
            accounting.set_limit(turn.root, self.who, "storage", used + room)

    def description(self, name: str) -> str | None:
        with self.world.store.turn() as turn:
            found = channels.registry(turn.root).get(name)
            return found.description if found is not None else None

    def test_charged_and_refunded(self) -> None:
        """
        Making a channel charges its name and description (UTF-8 bytes)
        and its history's ceiling;
        describing it again charges or refunds the difference; destroying
        it refunds everything.
        """
        before = self.stored()
        self.assertIn("You made the channel chess", self.send("@channel/create chess = Caf\u00e9"))
        history = channels.HISTORY_BYTES
        self.assertEqual(self.stored() - before,
                         len("chess") + len("Caf\u00e9".encode()) + history)
        self.send("@channel/describe chess = " + "d" * 150)
        self.assertEqual(self.stored() - before, len("chess") + 150 + history)
        self.send("@channel/describe chess = short")
        self.assertEqual(self.stored() - before, len("chess") + len("short") + history)
        self.assertIn("You destroyed the channel chess", self.send("@channel/destroy chess"))
        self.assertEqual(self.stored(), before)

    def test_refused_past_the_quota(self) -> None:
        """
        With no room, a new channel is refused (none is made) and a longer
        description is refused (the old one stays), each saying why.
        """
        self.leave_room(len("chess") + len("old") + channels.HISTORY_BYTES)
        self.send("@channel/create chess = old")
        said = self.send("@channel/describe chess = " + "n" * 100)
        self.assertIn("more bytes of storage", said)
        self.assertEqual(self.description("chess"), "old")
        said = self.send("@channel/create draughts = A board game")
        self.assertIn("more bytes of storage", said)
        self.assertIsNone(self.description("draughts"))

    def test_owned_ceiling(self) -> None:
        """
        Past MAX_OWNED channels a new one is refused, saying how to make
        room, and what it would have stored is not charged.
        """
        for n in range(channels.MAX_OWNED):
            self.send(f"@channel/create chan{chr(97 + n)} = " + "x" * 100)
        before = self.stored()
        said = self.send("@channel/create extra = " + "x" * 100)
        self.assertIn(f"You already have {channels.MAX_OWNED} channels", said)
        self.assertIsNone(self.description("extra"))
        self.assertEqual(self.stored(), before)
