"""
Channels a world stored before their history was charged: schema
generation 16 has the engine charge every player's channel, once, at
start (L{world.root.WorldRoot.recount_channels}), what it stores and has
not been charged (its name, its description and its history's ceiling,
L{world.channels.HISTORY_BYTES}), whatever the owner's quota: an owner
already over it is charged anyway and may store nothing more until they
free room, but loses nothing, and a wizard describing their channel
later no longer charges them all of it at once.
"""

from __future__ import annotations

from typing import Any

from twisted.trial.unittest import TestCase

from engine.accounts import CHEAP, Account, hash_password
from engine.testing import TestWorld, small_world, upgraded
from scripting.facets import accounting
from world import channels, names
from world.objects import Character


class StoredChannelChargeTests(TestCase):
    def setUp(self) -> None:
        self.ids: dict[str, int] = {}

        def old(root: Any) -> None:
            small_world(root)
            for name, role in (("Mallory", "player"), ("Alice", "player"), ("Wiz", "wizard")):
                who = root.create(Character, name, location=root.start_room)
                who.owner = who.id
                root.accounts[name.lower()] = Account(
                    name, hash_password("correct horse", CHEAP), role, who.id, 0.0)
                names.register_character(root, name)
                self.ids[name] = who.id
            # Stored before channels were charged at all: nothing charged.
            channels.create(root, self.ids["Mallory"], "chess", "Chess", 0.0)
            # Described after channels were charged, before their history was.
            go = channels.create(root, self.ids["Alice"], "go", "Go", 0.0)
            go.charged = len("go") + len("Go")
            accounting.charge_bytes(root, self.ids["Alice"], go.charged)
            # Mallory has used all but 100 bytes of her storage.
            accounting.set_limit(root, self.ids["Mallory"], "storage", 100)

        self.store = upgraded(self, 15, old)
        self.world = TestWorld(store=self.store)
        self.addCleanup(self.world.close)

    def stored(self, name: str) -> int:
        with self.world.store.turn() as turn:
            return accounting.usage(turn.root, self.ids[name]).stored_bytes

    def send(self, player: Any, line: str) -> str:
        self.world.clock.advance(1)  # not too fast for the command rate
        return " ".join(player.send(line).split())

    def test_upgrade_charges_every_players_channel_once(self) -> None:
        """
        After the upgrade and start, each player's channel is charged what
        it stores (the part not charged before), the world's channel
        nothing, and starting again charges nothing more.
        """
        self.assertEqual(self.store.generation, 16)
        self.assertEqual(self.stored("Mallory"),
                         len("chess") + len("Chess") + channels.HISTORY_BYTES)
        self.assertEqual(self.stored("Alice"), len("go") + len("Go") + channels.HISTORY_BYTES)
        with self.world.store.turn() as turn:
            self.assertFalse(turn.root.recount_channels)
            public = channels.registry(turn.root).get(channels.DEFAULT)
            assert public is not None and public.owner is None
            self.assertEqual(public.charged, 0)
        self.world.server.scripts.attach_content()  # as a restart does
        self.assertEqual(self.stored("Alice"), len("go") + len("Go") + channels.HISTORY_BYTES)

    def test_owner_over_quota(self) -> None:
        """
        Mallory, charged past her quota by the upgrade, keeps her channel
        and may still talk on it and shrink it, but may not grow it (nor
        store anything more) until she frees room; destroying it refunds
        exactly what it was charged. A wizard describing it charges her
        only what the description grew by.
        """
        charged = len("chess") + len("Chess") + channels.HISTORY_BYTES
        self.assertGreater(self.stored("Mallory"), 100)
        mallory = self.world.login("Mallory")
        wizard = self.world.login("Wiz")
        self.assertIn("[chess] Mallory: hello", self.send(mallory, "chess hello"))
        self.assertIn("more bytes of storage",
                      self.send(mallory, "@channel/describe chess = Chess, slowly"))
        self.send(wizard, "@channel/describe chess = Chess!")
        self.assertEqual(self.stored("Mallory"), charged + 1)
        self.send(mallory, "@channel/describe chess = C")
        self.assertEqual(self.stored("Mallory"), charged - len("Chess") + 1)
        self.assertIn("You destroyed the channel chess",
                      self.send(mallory, "@channel/destroy chess"))
        self.assertEqual(self.stored("Mallory"), 0)
