# -*- test-case-name: tests.redteam_world.test_r6_world_refunds -*-
"""
What a world's upgrade finds due back to its owners is refunded by the
engine at start, not by the world (issue 9, round 6): generation 22's
step, taking away characters' other names, wrote the sandbox's accounts
from L{world.generations}, which imports nothing of the sandbox. It notes
the refund on the root (L{world.root.WorldRoot.refunds_due}); the server
settles it as it starts.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.testing import TestWorld, upgraded
from scripting.facets import accounting
from world.objects import Character, Room


class RefundAtStartTests(TestCase):
    def test_server_start_refunds(self) -> None:
        """
        Alice's other name 'mod', charged to her, is refunded once the
        server starts on the upgraded world, and nothing stays due.
        """
        made: dict[str, int] = {}

        def old(root) -> None:
            hall = root.create(Room, "Hall")
            root.start_room = hall
            alice = root.create(Character, "Alice", location=hall, aliases=("mod",))
            alice.owner = alice.id
            alice.text_charged, alice.text_charged_to = len("Alicemod"), alice.id
            accounting.charge_bytes(root, alice.id, len("Alicemod"))
            made["alice"] = alice.id

        store = upgraded(self, 21, old)
        self.assertEqual(store.root.refunds_due, ((made["alice"], len("mod")),))
        world = TestWorld(store=store)
        self.addCleanup(world.close)
        self.assertEqual(store.root.refunds_due, ())
        self.assertEqual(accounting.usage(store.root, made["alice"]).stored_bytes, len("Alice"))
