"""
What one object writes to the database of its own: its record, its
contents, properties and scripts records and its index entries, about a
kilobyte once packed. Its owner pays for it with one of his objects (100
by default), not with stored bytes (only its text is charged there): this
test keeps the kilobyte docs/scripting-in-world.md names true, so that the
object quota bounds what an owner's objects write (at most 2 KiB each).
"""

from __future__ import annotations

from tests.redteam_world.charging import WrittenCase
from tests.scripts.helpers import make

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


class ObjectRecordTests(WrittenCase):
    def setUp(self) -> None:
        super().setUp()
        make(self.s.bob, "maker", MAKER)
        self.s.bob.send("make maker with 0")  # (its script's first run writes some records)

    def made(self, line: str) -> int:
        """
        What the database keeps for what Bob's C{line} makes.
        """
        before = self.kept()
        self.s.world.clock.advance(1)
        self.s.bob.send(line)
        return self.kept() - before

    def test_an_object_writes_about_a_kilobyte(self) -> None:
        """
        Objects a script makes, or one a builder's @create makes, each
        write more than half a kilobyte and at most OBJECT_BYTES.
        """
        written = self.made(f"make maker with {MANY}")
        self.assertGreater(written, MANY * 512)
        self.assertLessEqual(written, MANY * OBJECT_BYTES)
        written = self.made("@create box")
        self.assertGreater(written, 512)
        self.assertLessEqual(written, OBJECT_BYTES)
