"""
A facet kept in script state keeps the records of the revocation cells it
dies with (a grant's, a channel grant's, a hold's): they stay written for
as long as the state keeps it, revoked or not. Their owners are refunded
when a grant is revoked or a hold let go, so the state that keeps them
pays for them: else an attacker granting, storing the facet and revoking,
again and again, would keep a grant's record written for each, paid by
nobody.
"""

from __future__ import annotations

import os
import time

from twisted.trial.unittest import TestCase

from engine.testing import TestWorld
from scripting.facets import accounting, state
from tests.scripts.helpers import Scene, make
from world.store import WorldStore

KEEPER = """
def verb_keep(actor, dobj, prep, iobj, dobjstr, iobjstr):
    state.set(iobjstr, grants["eye"])
    actor.tell("kept")
"""

#: How many grants each measured batch makes, keeps and revokes.
BATCH = 10


class CellRecordChargeTests(TestCase):
    def setUp(self) -> None:
        path = os.path.join(self.mktemp(), "world.fs")
        os.makedirs(os.path.dirname(path))
        self.s = Scene(TestWorld(store=WorldStore(path)))
        self.addCleanup(self.s.world.close)
        self.s.world.server.scripts.meters.cpu_time = lambda: 0.0
        self.bob_id = self.s.character("Bob").id
        make(self.s.bob, "keeper", KEEPER)
        self.s.bob.send("@create gizmo")
        self.s.bob.send("drop gizmo")

    def stored(self) -> int:
        with self.s.world.store.turn() as turn:
            return accounting.usage(turn.root, self.bob_id).stored_bytes

    def kept(self) -> int:
        """
        The database's size once packed: what stays written.
        """
        db = self.s.world.store.db
        db.pack(time.time() + 3600)  # (ZODB stamps transactions with real time)
        return db.getSize()

    def cycle(self, key: str, role: str = "view") -> None:
        """
        Grant the keeper a facet of the gizmo, have it keep the facet under
        C{key}, and revoke the grant.
        """
        bob = self.s.bob
        self.s.world.clock.advance(1)
        self.assertIn("Granted", bob.send(f"@grant keeper.eye = {role} gizmo"))
        self.s.world.clock.advance(1)
        self.assertIn("kept", bob.send(f"keep keeper with {key}"))
        self.s.world.clock.advance(1)
        bob.send("@revoke keeper.eye")

    def test_kept_facets_pay_for_their_revoked_grants(self) -> None:
        """
        Granting, keeping the facet and revoking, again and again, is
        charged at least what the database keeps, and not more than twice
        that.
        """
        self.cycle("first")  # the state's own records
        for role in ("view", "control"):
            before, charged = self.kept(), self.stored()
            for n in range(BATCH):
                self.cycle(f"{role}{n}", role)
            written, cost = self.kept() - before, self.stored() - charged
            self.assertGreaterEqual(cost, written, (role, written, cost))
            self.assertLessEqual(cost, 2 * written, (role, written, cost))

    def test_deleting_the_facet_refunds_the_record(self) -> None:
        """
        Deleting the kept facet refunds what it was charged, its grant's
        record with it: Bob is back where he was before the grant.
        """
        self.cycle("first")
        start = self.stored()
        self.cycle("eye")
        self.assertGreater(self.stored() - start, state.CELL_BYTES)
        with self.s.world.store.turn() as turn:
            keeper = next(o for o in turn.root.all() if o.name == "keeper")
            state.delete_value(turn.root, keeper, "eye")
        self.assertEqual(self.stored(), start)
