"""
Issue 9: an ignore list is bounded. It holds at most
L{world.ignores.MOST_IGNORED} players, kept as one small tuple on her own
account record (the cap is said when it is hit).
"""

from __future__ import annotations

import pickle

from twisted.trial.unittest import TestCase

from engine.testing import TestWorld
from world import ignores

#: Ids no character has: enough of them fill any list.
FAKE = 1_000_000


class IgnoreBoundTests(TestCase):
    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)
        self.world.login("Wiz", role="wizard")
        self.alice = self.world.login("Alice")
        self.bob = self.world.login("Bob")
        self.alice.output()

    def fill(self, count: int) -> None:
        with self.world.store.turn() as turn:
            turn.root.accounts["alice"].ignoring = tuple(range(FAKE, FAKE + count))

    def test_full_list_refuses_more(self) -> None:
        """The 201st player is refused, saying how to make room; the list is unchanged."""
        self.fill(ignores.MOST_IGNORED)
        said = self.alice.send("@ignore bob")
        self.assertIn(f"You ignore {ignores.MOST_IGNORED} players already", said)
        self.assertIn("'@unignore <player>' makes", said)
        with self.world.store.turn() as turn:
            kept = turn.root.accounts["alice"].ignoring
        self.assertEqual(len(kept), ignores.MOST_IGNORED)

    def test_full_list_still_unignores(self) -> None:
        """With the list full, she can still take one off and then add Bob."""
        self.fill(ignores.MOST_IGNORED - 1)
        self.assertIn("You now ignore Bob", self.alice.send("@ignore bob"))
        self.assertIn("You no longer ignore Bob", self.alice.send("@unignore bob"))

    def test_kept_compactly_on_her_account(self) -> None:
        """A full list is a tuple of ids on her account record, a few kilobytes at most."""
        self.fill(ignores.MOST_IGNORED - 1)
        self.alice.send("@ignore bob")
        with self.world.store.turn() as turn:
            kept = turn.root.accounts["alice"].ignoring
        self.assertIsInstance(kept, tuple)
        self.assertLess(len(pickle.dumps(kept)), 2 * 1024)
