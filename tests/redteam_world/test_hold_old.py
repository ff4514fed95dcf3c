"""
Holds made before a hold was charged L{holds.HOLD_BYTES} keep costing
L{holds.OLD_HOLD_BYTES} until they end, and giving one up refunds only
that: an owner whose holds are such old ones is refused a new hold they
cannot pay for even by giving all of them up, and loses none of them.
"""

from __future__ import annotations

from scripting.facets import accounting, holds
from tests.redteam_world.test_hold_charges import WATCHER, Charged
from tests.redteam_world.test_hold_pins import CENSUS
from tests.scripts.helpers import make
from world import generations

#: Bob's things Carol looks at.
EYES = ("census", "elf", "imp", "orc")
#: Bytes charged to Bob besides his holds, so that his share of holds is
#: not what limits them here.
FILLER = 40 * holds.HOLD_BYTES


class OldHoldsTests(Charged):
    """
    Carol is held by three things of Bob's, charged as holds were before
    their bytes were measured.
    """

    def setUp(self) -> None:
        super().setUp()
        for name in EYES[1:]:
            make(self.s.bob, name, WATCHER.replace("imp", name))
        make(self.s.bob, "census", CENSUS)
        self.leave_room("Bob", 1 << 20)
        for name in EYES[1:]:
            self.s.carol.send(f"look {name}")
            self.s.world.clock.advance(1)
        self.s.carol.send("hello census")
        carol, bob = self.s.character("Carol").id, self.s.character("Bob").id
        with self.s.world.store.turn() as turn:
            # As a world of generation 16 stored them: charged 64 each (the
            # class's cost), and Bob's holds not totalled.
            for found in holds.holds_of(turn.root, turn.root.get(carol)):
                accounting.charge_bytes(turn.root, found.owner,
                                        holds.OLD_HOLD_BYTES - holds.HOLD_BYTES)
                del found.cost
            mine = turn.root.holds_by_owner[bob]
            del mine.bytes, mine.pinned_bytes
            turn.root.generation = 16
            generations.upgrade(turn.root, 16, 17)
        self.s.world.server.scripts.attach_content()
        with self.s.world.store.turn() as turn:
            accounting.charge_bytes(turn.root, bob, FILLER)
        self.s.read()

    def test_refunded_what_they_cost(self) -> None:
        before = self.stored("Bob")
        self.s.carol.send("@holders/revoke all")
        self.assertEqual(before - self.stored("Bob"), len(EYES) * holds.OLD_HOLD_BYTES)

    def test_refused_keeps_them(self) -> None:
        """
        Bob has 100 bytes left: giving up his four old holds would free
        256 more, not the 480 a new hold needs. Carol uses his census,
        which looks at Alice too: Alice is refused, and Carol's four holds
        are kept (the census's, handed this turn, among them) and Bob is
        charged nothing.
        """
        self.leave_room("Bob", 100)
        before = self.stored("Bob")
        said = self.s.carol.send("census census")
        self.assertIn("refused: Holding a facet of Alice needs", said)
        self.assertIn("still Carol", said)
        self.assertEqual(self.holders("Carol"), sorted(EYES))
        self.assertEqual(self.holders("Alice"), [])
        self.assertEqual(self.stored("Bob"), before)

    def test_gives_up_enough(self) -> None:
        """
        Bob has 400 bytes left: giving up the two oldest old holds (128
        bytes) pays for Alice's; Carol keeps the newest two.
        """
        self.leave_room("Bob", 400)
        before = self.stored("Bob")
        self.assertIn("the imp sees you", self.s.alice.send("look imp"))
        self.assertEqual(self.holders("Alice"), ["imp"])
        self.assertEqual(self.holders("Carol"), ["census", "orc"])
        self.assertEqual(self.stored("Bob") - before,
                         holds.HOLD_BYTES - 2 * holds.OLD_HOLD_BYTES)

    def test_reported_and_shed_at_what_they_cost(self) -> None:
        """
        Alice looks at Bob's imp too, a new hold: Bob's @holders says his
        things hold five, charged four old holds' 64 bytes and one new
        hold's 480, and shedding them refunds exactly that.
        """
        self.s.alice.send("look imp")
        mixed = len(EYES) * holds.OLD_HOLD_BYTES + holds.HOLD_BYTES
        self.assertIn(f"Your things hold 5 players' facets ({mixed} bytes of your storage)",
                      self.s.bob.send("@holders"))
        before = self.stored("Bob")
        self.assertIn("Your things gave up 5 holds", self.s.bob.send("@holders/shed"))
        self.assertEqual(before - self.stored("Bob"), mixed)
        self.assertNotIn("Your things hold", self.s.bob.send("@holders"))

    def test_share_counts_what_they_cost(self) -> None:
        """
        Bob's storage is cut to 3,600 bytes, a share of 900 for holds:
        less than two new holds (960), but his four old ones (256) and
        Alice's new one fit in it, so none is given up for hers (counted
        as new ones, his share would have been one hold).
        """
        bob = self.s.character("Bob").id
        with self.s.world.store.turn() as turn:
            accounting.charge_bytes(turn.root, bob, -FILLER)
            used = accounting.usage(turn.root, bob).stored_bytes
            self.assertLessEqual(used + holds.HOLD_BYTES, 3600)
            accounting.set_limit(turn.root, bob, "storage", 3600)
        self.assertIn("the imp sees you", self.s.alice.send("look imp"))
        self.assertEqual(self.holders("Carol"), sorted(EYES))
        self.assertEqual(self.holders("Alice"), ["imp"])
        # Two new holds do not fit in it: the elf's gives up all the others.
        self.assertIn("the elf sees you", self.s.alice.send("look elf"))
        self.assertEqual(self.holders("Carol"), [])
        self.assertEqual(self.holders("Alice"), ["elf"])
