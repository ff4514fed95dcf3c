"""
Upgrading a large stored world: the steps that write every object take a
savepoint after each batch of objects (what they changed goes to the
database's temporary file, not all into memory), and the upgrade stays one
transaction: a step failing after savepoints leaves the stored world as it
was.
"""

from __future__ import annotations

import os

import transaction
from persistent.list import PersistentList
from twisted.trial.unittest import TestCase

import world.root
from engine.testing import upgraded
from world import generations
from world.objects import Contents, Room, Thing
from world.root import WorldRoot
from world.store import StoreError, WorldStore


def _old_world(root: WorldRoot) -> None:
    """
    A world of generation 7: contents as plain lists, and no index of names
    or of exits (those come with generations 9 and 10).
    """
    hall = root.create(Room, "Hall")
    for n in range(20):
        root.create(Thing, f"thing {n}", location=hall)
    for obj in root.all():
        obj.contents = PersistentList(obj.contents)
    root.name_index = None
    root.exits_to = None


class UpgradeBatchTests(TestCase):
    def setUp(self) -> None:
        self.patch(generations, "BATCH", 4)
        self.savepoints = 0
        take = transaction.TransactionManager.savepoint

        def counted(tm: transaction.TransactionManager, optimistic: bool = False) -> object:
            self.savepoints += 1
            return take(tm, optimistic)

        self.patch(transaction.TransactionManager, "savepoint", counted)

    def test_steps_over_every_object_take_savepoints(self) -> None:
        """
        Generation 7 → 8 over 21 objects in batches of 4 takes 5 savepoints,
        and the world is upgraded whole.
        """
        store = upgraded(self, 7, _old_world)
        self.assertEqual(self.savepoints, 5)
        self.assertEqual(store.generation, 8)
        hall = store.root.named("hall")[0]
        self.assertIsInstance(hall.contents, Contents)
        self.assertEqual([o.name for o in hall.contents], [f"thing {n}" for n in range(20)])

    def test_a_step_failing_after_savepoints_changes_nothing(self) -> None:
        """
        A later step that fails after the earlier ones took savepoints
        leaves the stored world at generation 7, contents still lists.
        """
        path = os.path.join(self.mktemp(), "world.fs")
        os.makedirs(os.path.dirname(path))
        store = WorldStore(path)
        with store.turn() as turn:
            _old_world(turn.root)
            turn.root.generation = 7
        store.close()

        def broken(root: WorldRoot) -> None:
            for _ in generations.in_batches(root):
                pass
            raise RuntimeError("step 9 broke")

        self.addCleanup(generations.STEPS.__setitem__, 9, generations.STEPS[9])
        generations.STEPS[9] = broken
        self.patch(world.root, "GENERATION", 10)
        self.assertRaises(StoreError, WorldStore, path)
        self.assertGreater(self.savepoints, 5)
        self.patch(world.root, "GENERATION", 7)
        store = WorldStore(path)
        self.addCleanup(store.close)
        self.assertEqual(store.generation, 7)
        for obj in store.root.all():
            self.assertIsInstance(obj.contents, PersistentList)


class WholeNameUpgradeTests(TestCase):
    def test_a_world_of_generation_10_finds_exact_names(self) -> None:
        """
        A world whose index by name kept only words is indexed again: an
        exact name is found by it after the upgrade.
        """
        made: dict[str, int] = {}

        def old(root: WorldRoot) -> None:
            made["hall"] = root.create(Room, "Lantern Hall").id
            assert root.name_index is not None
            for word in list(root.name_index.by_word.keys()):
                if word.startswith(" "):
                    del root.name_index.by_word[word]

        store = upgraded(self, 10, old)
        self.assertEqual(store.generation, 11)
        self.assertEqual([o.id for o in store.root.named("lantern  HALL")], [made["hall"]])
