"""
Stored facets are charged what they really write: each is a record of its
own in the database, several hundred bytes, not the few bytes of a name.
"""

from __future__ import annotations

import os

from twisted.trial.unittest import TestCase

from engine.testing import TestWorld
from scripting.facets import accounting
from tests.scripts.helpers import Scene, make
from world.store import WorldStore

KEEPER = """
def verb_keep(actor, dobj, prep, iobj, dobjstr, iobjstr):
    what = {"thing": this, "room": here, "person": actor}[iobjstr]
    state.set(iobjstr, [what] * 40)
    actor.tell("kept")

def verb_warm(actor, *rest):
    state.set("warm", 1)
    actor.tell("warm")
"""

#: A keeper for each kind of facet, so that each store writes its own
#: state's records, not another kind's again.
KEEPERS = {"thing": "ant", "room": "bee", "person": "cow"}


class StoredFacetChargeTests(TestCase):
    def setUp(self) -> None:
        path = os.path.join(self.mktemp(), "world.fs")
        os.makedirs(os.path.dirname(path))
        self.s = Scene(TestWorld(store=WorldStore(path)))
        self.addCleanup(self.s.world.close)
        for name in KEEPERS.values():
            make(self.s.bob, name, KEEPER)
            # its state's own records are made once, before a facet is kept
            self.assertIn("warm", self.s.bob.send(f"warm {name}"))
        self.bob_id = self.s.character("Bob").id

    def stored(self) -> int:
        with self.s.world.store.turn() as turn:
            return accounting.usage(turn.root, self.bob_id).stored_bytes

    def test_charged_at_least_what_is_written(self) -> None:
        """
        Storing forty facets (of a thing, a room, a person) is charged at
        least the bytes the database grows by, and not more than twice
        that.
        """
        db = self.s.world.store.db
        for kind in ("thing", "room", "person"):
            before, charged = db.getSize(), self.stored()
            self.s.world.clock.advance(1)
            self.assertIn("kept", self.s.bob.send(f"keep {KEEPERS[kind]} with {kind}"))
            written, cost = db.getSize() - before, self.stored() - charged
            self.assertGreaterEqual(cost, written - 512, kind)  # (the turn's own records)
            self.assertLessEqual(cost, 2 * written, kind)
