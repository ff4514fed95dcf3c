"""
A hold is charged what it keeps stored: its own record and its entries in
the records that index it (the character's holds and order, its owner's
and its host's indexes), measured here as the database stores them.
"""

from __future__ import annotations

from typing import Any

from ZODB.FileStorage.format import DATA_HDR_LEN
from ZODB.serialize import ObjectWriter

from scripting.facets import holds
from tests.redteam_world.test_hold_charges import Charged
from tests.scripts.helpers import make

#: Things of Bob's Carol looks at, each holding her (a new hold each).
EYES = 7


class HoldBytesTests(Charged):
    def kept(self) -> int:
        """
        The bytes the records of Carol's holds take stored: each record
        pickled, with the storage's header.
        """
        carol_id, bob_id = self.s.character("Carol").id, self.s.character("Bob").id
        with self.s.world.store.turn() as turn:
            root = turn.root
            carol = root.get(carol_id)
            held = getattr(carol, holds.ATTRIBUTE)
            mine = root.holds_by_owner[bob_id]
            records: list[Any] = [held, getattr(carol, holds.ORDER), mine, mine.oldest,
                                  root.holds_by_host, *held.values(),
                                  *getattr(carol, holds.ORDER).values(),
                                  *root.holds_by_host.values()]
            writer = ObjectWriter(carol)
            return sum(len(writer.serialize(r)) + DATA_HDR_LEN for r in records)

    def test_charged_what_it_keeps(self) -> None:
        """
        Each new hold (of a new host, the most it keeps) is charged what its
        records keep stored, and at most 64 bytes more.
        """
        for n in range(EYES + 1):
            make(self.s.bob, f"eye{n}", "def on_look(actor):\n    pass\n")
        self.leave_room("Bob", 1 << 20)  # no hold given up for another
        self.s.carol.send("look eye0")
        kept, charged = self.kept(), self.stored("Bob")
        for n in range(1, EYES + 1):
            self.s.carol.send(f"look eye{n}")
            self.s.world.clock.advance(1)
        each = (self.kept() - kept) / EYES
        self.assertEqual(len(self.holders("Carol")), EYES + 1)
        self.assertEqual((self.stored("Bob") - charged) / EYES, holds.HOLD_BYTES)
        self.assertLessEqual(each, holds.HOLD_BYTES)
        self.assertGreaterEqual(each, holds.HOLD_BYTES - 64)
