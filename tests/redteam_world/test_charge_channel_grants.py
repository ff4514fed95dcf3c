"""
Channel grants are indexed by their owner and their channel
(L{world.channels.ChannelRegistry.grants_by_owner},
L{world.channels.ChannelRegistry.grants_by_channel}) as they are made,
charged to their maker with the grant, and by the upgrade to generation 20
in a world stored before: a player listing their grants (C{@grants}), or
destroying a channel, reads their few, not every channel grant in the
world, however many an attacker made.
"""

from __future__ import annotations

from engine.testing import TestWorld
from scripting.facets import accounting
from scripting.facets import channels as channel_grants
from tests.redteam_world.charging import ChargeCase
from world import channels, generations
from world.objects import Room, Thing

#: How many channel grants Mallory's things hold.
MANY = 200


class ChannelGrantIndexTests(ChargeCase):
    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)
        self.mallory = self.world.login("Mallory", role="builder")
        self.alice = self.world.login("Alice", role="builder")
        for player in (self.mallory, self.alice):
            player.send("@channel/create " + ("spam" if player is self.mallory else "chess"))
        self.alice.send("@create gremlin")
        self.assertIn("Granted: c1", self.alice.send("@grant gremlin.chess = channel chess"))
        with self.world.store.turn() as turn:
            ids = {a.name: a.character_id for a in turn.root.accounts.values()}
            spam = channels.find(turn.root, "spam")
            den = turn.root.create(Room, "Den", owner=ids["Mallory"])
            accounting.set_limit(turn.root, ids["Mallory"], "storage", 10 ** 6)  # (grants cost)
            for n in range(MANY):
                host = turn.root.create(Thing, f"imp{n}", location=den, owner=ids["Mallory"])
                channel_grants.grant(turn.root, ids["Mallory"], host, "spam", spam)
        for player in (self.mallory, self.alice):
            player.output()

    def test_listing_reads_ones_own(self) -> None:
        """
        Alice's '@grants' lists her one grant, loading a few records, not
        Mallory's two hundred.
        """
        loads, said = self.loads(self.alice, "@grants")
        self.assertIn("c1: gremlin.chess = channel chess", said)
        self.assertNotIn("imp", said)
        self.assertLess(loads, 30)
        said = self.mallory.send("@grants")
        self.assertEqual(said.count("= channel spam"), MANY)

    def test_destroying_reads_its_own(self) -> None:
        """
        Alice destroys her channel: its grant is revoked, loading a few
        records; Mallory's stay.
        """
        loads, said = self.loads(self.alice, "@channel/destroy chess")
        self.assertIn("You destroyed the channel chess", said)
        self.assertLess(loads, 40)
        self.assertIn("No grants", self.alice.send("@grants"))
        self.assertEqual(self.mallory.send("@grants").count("= channel spam"), MANY)
        self.mallory.send("@channel/destroy spam")
        self.assertNotIn("channel spam", self.mallory.send("@grants"))

    def test_a_registry_stored_before(self) -> None:
        """
        A registry stored with no indexes gets them at the upgrade to
        generation 20, the same as those kept as grants are made, never in
        a player's turn (which would read every grant in the world and
        write the indexes at her expense).
        """
        with self.world.store.turn() as turn:
            reg = channels.registry(turn.root)
            kept = [{k: list(v) for k, v in tree.items()} for tree in reg.grant_indexes()]
            del reg.grants_by_owner, reg.grants_by_channel  # as stored before
            self.assertRaises(RuntimeError, reg.grant_indexes)
            turn.root.generation = 19
            generations.upgrade(turn.root, 19, 20)
            self.assertEqual([{k: list(v) for k, v in tree.items()}
                              for tree in reg.grant_indexes()], kept)
            self.assertEqual(turn.root.generation, 20)
        self.assertIn("c1: gremlin.chess", self.alice.send("@grants"))
        self.alice.send("@grant gremlin.more = channel chess")
        self.assertIn("You destroyed", self.alice.send("@channel/destroy chess"))
        loads, said = self.loads(self.alice, "@grants")
        self.assertIn("No grants", said)
        self.assertLess(loads, 30)
        self.assertEqual(self.mallory.send("@grants").count("= channel spam"), MANY)
