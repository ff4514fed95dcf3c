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
            for found in holds.holds_of(turn.root, turn.root.get(carol)):
                accounting.charge_bytes(turn.root, found.owner,
                                        holds.OLD_HOLD_BYTES - holds.HOLD_BYTES)
                found.cost = holds.OLD_HOLD_BYTES
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
