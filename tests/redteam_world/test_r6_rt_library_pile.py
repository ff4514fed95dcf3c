# -*- test-case-name: tests.redteam_world.test_r6_rt_library_pile -*-
"""
Libraries others share with a player, unasked, cannot make her scripts
read them all. Carol's 'import greet' looked among the libraries shared
with her by reading every one of them (L{world.libraries.shared_with}:
each library's record, its whole source with it) and then kept those
called greet: ten accounts sharing their ten libraries each with her made
every load of each of her scripts read a hundred records (of up to a
script's length each), on her budget or nobody's. Sharing needs no
consent and there is no ceiling on the libraries shared with one player,
so alts grow that without end. Now an import reads the names shared with
her and only the records of the libraries it names
(L{world.libraries.importable}). Measured in records loaded from the
database (never a clock). (Found by redteam, round 6.)
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.redteam_world.charging import loaded
from tests.scripts.helpers import Scene
from tests.scripts.test_libraries import share_bell
from world import libraries
from world.objects import Character, Room

#: What each alt's library holds (a long one).
FILLER = 'exports = ("x",)\nx = 1\n' + "# " + "z" * 2000 + "\n"


class SharedPileTests(TestCase):
    """
    Carol's bell imports the library greet Alice shared with her; alts
    share their libraries with Carol, unasked.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        share_bell(self, self.s.alice, self.s.carol, "Alice")
        self.carol = self.s.thing("Carol").id
        self.bell = self.s.thing("bell").id
        self.alts = 0

    def pile(self, count: int) -> None:
        """
        C{count} more alts (sleeping in a room of their own) each share ten
        libraries with Carol, as '@grant carol = library <name>' does.
        """
        with self.s.world.store.turn() as turn:
            root = turn.root
            dorm = root.create(Room, f"Dormitory {self.alts}")
            for n in range(self.alts, self.alts + count):
                alt = root.create(Character, f"Alt{chr(97 + n // 26)}{chr(97 + n % 26)}",
                                  location=dorm)
                for k in range(10):
                    name = f"lib{k}"
                    libraries.set_library(root, alt.id, name, FILLER, alt.id)
                    libraries.share(root, alt.id, name, self.carol)
        self.alts += count

    def ring(self) -> tuple[int, str]:
        """
        The records Carol's 'ring bell' loads, her bell loaded afresh (as
        after a restart), and what she was told.
        """
        self.s.world.server.scripts.forget(self.bell)
        self.s.world.clock.advance(1)
        return loaded(self.s.world, lambda: self.s.carol.send("ring bell"))

    def test_import_reads_what_it_imports(self) -> None:
        """
        Carol's bell, loaded afresh, rings reading about as many records
        with a hundred libraries shared with her as with ten.
        """
        self.pile(1)
        few, said = self.ring()
        self.assertIn("Hello from greet.", said)
        self.pile(9)
        many, said = self.ring()
        self.assertIn("Hello from greet.", said)
        self.assertLess(many, few + 20, (few, many))
