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

from scripting.facets import state
from tests.redteam_world.charging import WrittenCase
from tests.scripts.helpers import make

KEEPER = """
def verb_keep(actor, dobj, prep, iobj, dobjstr, iobjstr):
    state.set(iobjstr, grants["eye"])
    actor.tell("kept")
"""

#: How many grants each measured batch makes, keeps and revokes.
BATCH = 10


class CellRecordChargeTests(WrittenCase):
    def setUp(self) -> None:
        super().setUp()
        make(self.s.bob, "keeper", KEEPER)
        self.s.bob.send("@create gizmo")
        self.s.bob.send("drop gizmo")

    def cycle(self, key: str, role: str = "view") -> None:
        """
        Grant the keeper a facet of the gizmo, have it keep the facet under
        C{key}, and revoke the grant.
        """
        self.told(f"@grant keeper.eye = {role} gizmo", "Granted")
        self.told(f"keep keeper with {key}", "kept")
        self.s.world.clock.advance(1)
        self.s.bob.send("@revoke keeper.eye")

    def batch(self, role: str) -> None:
        """
        BATCH cycles granting C{role}, each kept under a key of its own.
        """
        for n in range(BATCH):
            self.cycle(f"{role}{n}", role)

    def test_kept_facets_pay_for_their_revoked_grants(self) -> None:
        """
        Granting, keeping the facet and revoking, again and again, is
        charged at least what the database keeps, and not more than twice
        that.
        """
        self.cycle("first")  # the state's own records
        for role in ("view", "control"):
            written, cost = self.written(self.batch, role)
            self.assertPaysFor(cost, written, (role, written, cost))

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
