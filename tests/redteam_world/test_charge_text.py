"""
Text an owner stores (names, other names, descriptions, scripts, libraries)
as a hostile owner uses it: every byte charged to his stored-bytes quota,
refunded when it shrinks or goes, and refused past the quota with nothing
lost, through building commands and facets alike.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from scripting.facets import accounting
from tests.scripts.helpers import Scene, make, script
from world.libraries import library
from world.scripts import script_of


class TextChargeTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.world.server.scripts.meters.cpu_time = lambda: 0.0

    def stored(self, name: str = "Bob") -> int:
        owner = self.s.character(name).id
        with self.s.world.store.turn() as turn:
            return accounting.usage(turn.root, owner).stored_bytes

    def limit(self, quota: int, name: str = "Bob") -> None:
        owner = self.s.character(name).id
        with self.s.world.store.turn() as turn:
            accounting.set_limit(turn.root, owner, "storage", quota)

    def test_building_commands_charge_and_refund_text(self) -> None:
        """
        @create charges the name, @describe, @name and @alias charge what
        they add and refund what they take away, @destroy refunds the rest.
        """
        bob = self.s.bob
        bob.send("@create box")
        self.assertEqual(self.stored(), len("box"))
        bob.send("@describe box = " + "d" * 1000)
        self.assertEqual(self.stored(), 3 + 1000)
        bob.send("@name box = crate")
        bob.send("@alias crate = chest, trunk")
        self.assertEqual(self.stored(), len("crate") + 1000 + len("chest") + len("trunk"))
        bob.send("@describe crate = short")
        self.assertEqual(self.stored(), len("crate") + 5 + 10)
        bob.send("@destroy crate")
        self.assertEqual(self.stored(), 0)

    def test_descriptions_stop_at_the_quota_and_lose_nothing(self) -> None:
        """
        Describing many things with long text stops at the quota: the
        refusal says so, and the description it refused is the old one.
        """
        bob = self.s.bob
        self.limit(3000)
        for n in range(3):
            bob.send(f"@create stone{n}")
        bob.send("@describe stone0 = first words")
        bob.send("@describe stone1 = " + "x" * 2000)
        said = bob.send("@describe stone2 = " + "y" * 2000)
        self.assertIn("more bytes of storage", said)
        self.assertEqual(self.s.thing("stone2").description, "")
        said = bob.send("@describe stone0 = " + "z" * 2000)
        self.assertIn("more bytes of storage", said)
        self.assertEqual(self.s.thing("stone0").description, "first words")
        self.assertLessEqual(self.stored(), 3000)

    def test_a_script_cannot_bloat_text_past_the_quota(self) -> None:
        """
        A script renaming, describing and aliasing the things it makes is
        charged for all of it; past the quota each call raises, the text
        stays as it was even if the script catches the error, and
        destroying the things refunds everything.
        """
        self.limit(8000)
        make(self.s.bob, "gremlin", """
            def verb_bloat(actor, *rest):
                made = []
                n = 0
                try:
                    for i in range(100):
                        thing = this.create("thing", "pebble")
                        made.append(thing)
                        thing.describe("d" * 3000)
                        n = n + 1
                except Exception as err:
                    actor.tell("described %d: %s" % (n, err))
                last = made[-1]
                try:
                    last.rename("p" * 60)
                except Exception as err:
                    actor.tell("rename: %s" % err)
                try:
                    last.set_aliases(["a" * 60, "b" * 60])
                except Exception as err:
                    actor.tell("aliases: %s" % err)
                for thing in made:
                    thing.destroy()
                actor.tell("destroyed %d" % len(made))
            """)
        base = self.stored()
        said = self.s.bob.send("bloat gremlin")
        self.assertIn("more bytes of storage", said)
        self.assertIn("destroyed", said)
        self.assertEqual(self.stored(), base)

    def test_facet_text_over_quota_keeps_the_old_text(self) -> None:
        """
        A script that catches the refusal finds the old text still there.
        """
        make(self.s.bob, "gremlin", """
            def verb_grow(actor, *rest):
                try:
                    this.describe("q" * 3000)
                except Exception as err:
                    actor.tell("refused: %s" % err)
                try:
                    this.rename("r" * 60)
                except Exception as err:
                    actor.tell("refused name: %s" % err)
            """)
        self.s.bob.send("@describe gremlin = calm")
        self.limit(self.stored() + 10)
        said = self.s.bob.send("grow gremlin")
        self.assertIn("refused: That needs", said)
        self.assertIn("refused name: That needs", said)
        gremlin = self.s.thing("gremlin")
        self.assertEqual(gremlin.description, "calm")

    def test_script_source_is_charged(self) -> None:
        """
        Saving a script charges its source; saving a shorter one refunds
        the difference; a save past the quota is refused and the old
        script stays; clearing refunds it.
        """
        bob = self.s.bob
        bob.send("@create bell")
        self.assertEqual(self.stored(), 4)
        long = "x = 1\n" + "# " + "c" * 3000
        script(bob, "bell", long)
        self.assertEqual(self.stored(), 4 + len(long))
        script(bob, "bell", "x = 2")
        self.assertEqual(self.stored(), 4 + len("x = 2"))
        self.limit(1000)
        said = script(bob, "bell", long)
        self.assertIn("more bytes of storage", said)
        record = script_of(self.s.thing("bell"))
        assert record is not None
        self.assertEqual(record.source, "x = 2")
        self.assertIn("abandoned", bob.send(".abort"))  # the editor kept the text
        bob.send("@script/clear bell")
        self.assertEqual(self.stored(), 4)

    def test_library_source_is_charged(self) -> None:
        """
        A library's source is charged to its owner; saving it again
        charges only the difference, past the quota it is refused and the
        old version stays; removing it refunds.
        """
        bob = self.s.bob
        source = 'exports = ("hello",)\n\ndef hello():\n    return "hi"'
        bob.send("@library greet")
        for line in source.split("\n"):
            bob.send(line)
        bob.send(".")
        self.assertEqual(self.stored(), len(source))
        self.limit(len(source) + 100)
        bob.send("@library greet")
        bob.send("# " + "c" * 500)
        said = bob.send(".")
        self.assertIn("more bytes of storage", said)
        owner = self.s.character("Bob").id
        with self.s.world.store.turn() as turn:
            record = library(turn.root, owner, "greet")
            assert record is not None
            self.assertEqual(record.source, source)
        self.assertIn("abandoned", bob.send(".abort"))  # the editor kept the text
        bob.send("@library/remove greet")
        self.assertEqual(self.stored(), 0)

    def test_a_character_pays_for_describing_himself(self) -> None:
        """
        A character's own description is charged to its player.
        """
        self.s.carol.send("@describe me = " + "t" * 500)
        self.assertEqual(self.stored("Carol"), 500 - len("Carol looks like a new arrival."))
