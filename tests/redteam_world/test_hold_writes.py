"""
A new hold writes small records however many holds its character has: a
player held by the things of thousands of owners must not make every new
hold of her rewrite a record listing them all. Measured in bytes written
to the database (a counter, never a clock).
"""

from __future__ import annotations

import os

from BTrees.IOBTree import IOBTree
from persistent.mapping import PersistentMapping
from twisted.trial.unittest import TestCase

from scripting.facets import holds
from tests.redteam_world.test_hold_charges import ROBOT, WATCHER
from tests.scripts.helpers import Scene, make
from world import generations
from world.objects import Character, Room, Thing
from world.store import WorldStore

#: The holds on the crowded player: one thing each of so many owners.
MANY = 2000
#: Owners' ids start past every object's, as players' would.
FIRST_OWNER = 100_000


class HoldWriteTests(TestCase):
    def written_by_one_hold(self, others: int) -> int:
        """
        The bytes the turn making one new hold of Carol writes (a commit to
        a FileStorage), when things of C{others} other owners hold her.
        """
        path = os.path.join(self.mktemp(), "world.fs")
        os.makedirs(os.path.dirname(path))
        store = WorldStore(path)
        self.addCleanup(store.close)
        with store.turn() as turn:
            root = turn.root
            hall = root.create(Room, "Hall")
            carol = root.create(Character, "Carol", location=hall)
            rooms = [root.create(Room, f"Gallery {n}") for n in range(others // 500 + 1)]
            hosts = [root.create(Thing, f"eye {n}", location=rooms[n // 500],
                                 owner=FIRST_OWNER + n)
                     for n in range(others + 1)]
            for host in hosts[:others]:
                holds.hold(carol, host, root)
        size = store.db.storage.getSize()
        with store.turn() as turn:
            self.assertIsNotNone(holds.hold(turn.root.get(carol.id),
                                            turn.root.get(hosts[-1].id), turn.root))
        return store.db.storage.getSize() - size

    def test_one_hold_beside_thousands_writes_as_much_as_beside_ten(self) -> None:
        """
        Making one hold of Carol when 2,000 owners' things hold her writes
        about what it writes when 10 do (the record listing her holders by
        owner was rewritten whole: some 40 KB).
        """
        few = self.written_by_one_hold(10)
        many = self.written_by_one_hold(MANY)
        self.assertLess(many, 2 * few + 4096, (few, many))


class StoredOrderTests(TestCase):
    """
    A world of generation 16 listed the holds on each character by owner in
    one mapping, and kept no total of what each owner's holds cost: the
    upgrade has the next start make each a tree, keeping every list as it
    was, and total each owner's holds.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        for name in ("imp", "elf"):
            make(self.s.bob, name, WATCHER.replace("imp", name))
        make(self.s.alice, "orc", WATCHER.replace("imp", "orc"))
        for name in ("imp", "elf", "orc"):
            self.s.carol.send(f"look {name}")
            self.s.world.clock.advance(1)
        make(self.s.bob, "robot", ROBOT)
        self.s.bob.send("@grant robot.eye = view Carol")
        self.assertIn("sees Carol", self.s.bob.send("peek robot"))  # pinned
        self.carol = self.s.character("Carol").id
        self.owners = {name: self.s.character(name).id for name in ("Alice", "Bob")}
        with self.s.world.store.turn() as turn:
            carol = turn.root.get(self.carol)
            order = getattr(carol, holds.ORDER)
            self.lists = {owner: list(listed) for owner, listed in order.items()}
            setattr(carol, holds.ORDER, PersistentMapping(order.items()))
            for mine in turn.root.holds_by_owner.values():
                del mine.bytes, mine.pinned_bytes  # not kept before generation 17
            turn.root.generation = 16
        self.s.read()

    def test_upgraded_at_start(self) -> None:
        """
        After the upgrade and a start, Carol's holds are listed in a tree,
        as they were; a fourth thing holding her is listed after Bob's two,
        and revoking them all leaves no list on her.
        """
        with self.s.world.store.turn() as turn:
            generations.upgrade(turn.root, 16, 17)
        self.s.world.server.scripts.attach_content()
        with self.s.world.store.turn() as turn:
            self.assertFalse(turn.root.recount_holds)
            order = getattr(turn.root.get(self.carol), holds.ORDER)
            self.assertIsInstance(order, IOBTree)
            self.assertEqual({owner: list(listed) for owner, listed in order.items()},
                             self.lists)
        # What each owner's holds cost is totalled, the pinned one too.
        self.assertIn(f"hold 3 players' facets ({3 * holds.HOLD_BYTES} bytes",
                      self.s.bob.send("@holders"))
        self.assertIn(f"hold 1 player's facet ({holds.HOLD_BYTES} bytes",
                      self.s.alice.send("@holders"))
        make(self.s.bob, "ant", WATCHER.replace("imp", "ant"))
        self.assertIn("the ant sees you", self.s.carol.send("look ant"))
        ant, bob = self.s.thing("ant").id, self.owners["Bob"]
        with self.s.world.store.turn() as turn:
            order = getattr(turn.root.get(self.carol), holds.ORDER)
            self.assertEqual(list(order[bob]), [*self.lists[bob], ant])
        self.assertIn("Revoked", self.s.carol.send("@holders/revoke all"))
        with self.s.world.store.turn() as turn:
            order = getattr(turn.root.get(self.carol), holds.ORDER)
            self.assertEqual(list(order.items()), [])
