"""
What one object writes to the database of its own: its record, its
contents, properties and scripts records and its index entries, about a
kilobyte once packed. Its owner pays for it with one of his objects (100
by default), not with stored bytes (only its text is charged there): this
test keeps the kilobyte docs/scripting-in-world.md names true, so that the
object quota bounds what an owner's objects write (at most 2 KiB each).
"""

from __future__ import annotations

import os
import time

from twisted.trial.unittest import TestCase

from engine.testing import TestWorld
from tests.scripts.helpers import Scene, make
from world.store import WorldStore

MAKER = """
def verb_make(actor, dobj, prep, iobj, dobjstr, iobjstr):
    for n in range(int(iobjstr)):
        this.create("thing", "p")
    actor.tell("made")
"""

#: How many objects the measured turn makes.
MANY = 10
#: The most one object may write of its own, once packed.
OBJECT_BYTES = 2048


class ObjectRecordTests(TestCase):
    def setUp(self) -> None:
        path = os.path.join(self.mktemp(), "world.fs")
        os.makedirs(os.path.dirname(path))
        self.s = Scene(TestWorld(store=WorldStore(path)))
        self.addCleanup(self.s.world.close)
        self.s.world.server.scripts.meters.cpu_time = lambda: 0.0
        make(self.s.bob, "maker", MAKER)
        self.s.bob.send("make maker with 0")  # (its script's first run writes some records)

    def kept(self) -> int:
        """
        The database's size once packed: what stays written.
        """
        db = self.s.world.store.db
        db.pack(time.time() + 3600)  # (ZODB stamps transactions with real time)
        return db.getSize()

    def test_an_object_writes_about_a_kilobyte(self) -> None:
        """
        Objects a script makes, or one a builder's @create makes, each
        write more than half a kilobyte and at most OBJECT_BYTES.
        """
        before = self.kept()
        self.s.world.clock.advance(1)
        self.s.bob.send(f"make maker with {MANY}")
        written = self.kept() - before
        self.assertGreater(written, MANY * 512)
        self.assertLessEqual(written, MANY * OBJECT_BYTES)
        before = self.kept()
        self.s.world.clock.advance(1)
        self.s.bob.send("@create box")
        written = self.kept() - before
        self.assertGreater(written, 512)
        self.assertLessEqual(written, OBJECT_BYTES)
