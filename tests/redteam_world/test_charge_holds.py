"""
A world stored before every hold was charged (generation 12) with many
holds: the start after the upgrade to generation 13 brings them in by one
walk (L{scripting.facets.holds.count_stored}, while
L{world.root.WorldRoot.recount_holds} is set), charging each live hold to
its owner once, and clears the flag, so that no later start walks them
again or charges anything twice.
"""

from __future__ import annotations

from typing import Any

from BTrees.IOBTree import IOBTree
from twisted.trial.unittest import TestCase

from scripting.facets import accounting, holds
from tests.scripts.helpers import Scene
from world import generations
from world.objects import Character, Thing

#: Characters held, and hosts of Bob's and Alice's holding each of them.
CHARACTERS = 30
HOSTS = 12


class StoredHoldsOnceTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.walks = 0
        real = holds.count_stored

        def counted(root: Any, characters: Any) -> None:
            self.walks += 1
            real(root, characters)

        self.patch(holds, "count_stored", counted)
        self.owners = {name: self.s.character(name).id for name in ("Alice", "Bob")}
        square = self.s.character("Carol").location.id
        with self.s.world.store.turn() as turn:
            here = turn.root.get(square)
            held = [turn.root.create(Character, f"Sleeper {chr(65 + n // 26)}{chr(97 + n % 26)}",
                                     location=here) for n in range(CHARACTERS)]
            for owner in self.owners.values():
                for n in range(HOSTS):
                    host = turn.root.create(Thing, f"watcher {owner} {n}", location=here,
                                            owner=owner)
                    for character in held:
                        # As generation 12 stored them: not listed, charged to nobody.
                        found = getattr(character, holds.ATTRIBUTE, None)
                        if found is None:
                            found = IOBTree()
                            setattr(character, holds.ATTRIBUTE, found)
                        found[host.id] = holds.Hold(host, owner)
            turn.root.generation = 12
        self.before = self.stored()

    def stored(self) -> dict[str, int]:
        with self.s.world.store.turn() as turn:
            return {name: accounting.usage(turn.root, who).stored_bytes
                    for name, who in self.owners.items()}

    def start(self) -> None:
        self.s.world.server.scripts.attach_content()

    def test_one_walk_then_none(self) -> None:
        """
        The upgrade sets the flag; the next start walks the stored holds
        once, charging each owner one hold's bytes for each character each
        of their hosts holds, and clears the flag; later starts walk
        nothing and charge nothing more.
        """
        with self.s.world.store.turn() as turn:
            generations.upgrade(turn.root, 12, 13)
            self.assertTrue(turn.root.recount_holds)
        self.start()
        self.assertEqual(self.walks, 1)
        with self.s.world.store.turn() as turn:
            self.assertFalse(turn.root.recount_holds)
        charged = {name: self.stored()[name] - self.before[name] for name in self.owners}
        each = CHARACTERS * HOSTS * holds.OLD_HOLD_BYTES  # what holds cost then
        self.assertEqual(charged, dict.fromkeys(self.owners, each))
        for _ in range(2):
            self.start()
        self.assertEqual(self.walks, 1)
        self.assertEqual({name: self.stored()[name] - self.before[name] for name in self.owners},
                         charged)

    def test_every_hold_listed_once(self) -> None:
        """
        After the walk, every character lists each host of each owner
        once, toward that owner's ceiling.
        """
        with self.s.world.store.turn() as turn:
            generations.upgrade(turn.root, 12, 13)
        self.start()
        with self.s.world.store.turn() as turn:
            sleepers = [o for o in turn.root.all() if o.name.startswith("Sleeper ")]
            self.assertEqual(len(sleepers), CHARACTERS)
            for sleeper in sleepers:
                order = getattr(sleeper, holds.ORDER)
                self.assertEqual(sorted(order), sorted(self.owners.values()))
                for listed in order.values():
                    self.assertEqual(len(listed), HOSTS)
                    self.assertEqual(len(set(listed)), HOSTS)
