"""
Properties as a hostile owner uses them: every byte charged to the owner's
storage quota (what each record writes too), a cap on keys per object, and
one change writing one small record.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from scripting.facets import accounting, properties
from tests.scripts.helpers import Scene, make
from world.properties import MAX_PROPERTIES, measure


def stored(key: str, value: object) -> int:
    """
    What C{key} holding C{value} is charged.
    """
    return properties.stored(key, measure(key, value))


class PropertyChargeTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.world.server.scripts.meters.cpu_time = lambda: 0.0

    def stored(self, name: str) -> int:
        owner = self.s.character(name).id
        with self.s.world.store.turn() as turn:
            return accounting.usage(turn.root, owner).stored_bytes

    def test_keys_per_object_are_capped(self) -> None:
        """
        A script cannot give one object more than MAX_PROPERTIES keys; the
        refusal says why.
        """
        make(self.s.bob, "gremlin", """
            def verb_fill(actor, *rest):
                n = 0
                for i in range(1000):
                    try:
                        this.set_property("k" + str(i), i)
                        n = n + 1
                    except Exception as err:
                        actor.tell("stopped at %d: %s" % (n, err))
                        return
            """)
        said = self.s.bob.send("fill gremlin")
        self.assertIn(f"stopped at {MAX_PROPERTIES}: That would be more than "
                      f"{MAX_PROPERTIES} properties", said)
        self.assertEqual(len(self.s.thing("gremlin").properties), MAX_PROPERTIES)

    def test_property_bytes_count_against_the_storage_quota(self) -> None:
        """
        Properties set by a script are charged to the owner's stored bytes;
        spread over many objects they stop at the quota, with nothing
        stored past it; unsetting refunds exactly.
        """
        make(self.s.bob, "gremlin", """
            def verb_fill(actor, *rest):
                made = [this] + [this.create("thing", "pebble") for i in range(20)]
                n = 0
                for thing in made:
                    for i in range(MAX):
                        try:
                            thing.set_property("k" + str(i), "x" * 4000)
                            n = n + 1
                        except Exception as err:
                            actor.tell("stored %d: %s" % (n, err))
                            return
                actor.tell("stored all %d" % n)

            def verb_empty(actor, *rest):
                this.unset_property("k0")
                actor.tell("emptied")
            """.replace("MAX", str(MAX_PROPERTIES)))
        self.assertEqual(self.stored("Bob"), self.s.thing("gremlin").text_charged)
        said = self.s.bob.send("fill gremlin")
        self.assertIn("more bytes of storage", said)
        quota = accounting.DEFAULT_STORED_BYTES
        used = self.stored("Bob")
        self.assertLessEqual(used, quota)
        self.assertGreater(used, quota - stored("k10", "x" * 4000))
        bob = self.s.character("Bob").id
        with self.s.world.store.turn() as turn:
            total = sum(o.properties.charged + o.text_charged  # (names and script are text)
                        for o in turn.root.all() if o.owner == bob)
        self.assertEqual(total, used)
        self.s.bob.send("empty gremlin")
        self.assertEqual(self.stored("Bob"), used - stored("k0", "x" * 4000))

    def test_set_unset_and_destroy_charge_and_refund_exactly(self) -> None:
        """
        @set charges the thing's owner, @unset refunds, @destroy refunds
        what is left; a builder's @set past the quota is refused and
        changes nothing.
        """
        bob = self.s.bob
        bob.send("@create box")
        name = len("box")  # its name is stored text, charged too
        bob.send('@set box/label = "hello"')
        self.assertEqual(self.stored("Bob"), name + stored("label", "hello"))
        bob.send('@set box/colour = "red"')
        bob.send("@unset box/label")
        self.assertEqual(self.stored("Bob"), name + stored("colour", "red"))
        owner = self.s.character("Bob").id
        with self.s.world.store.turn() as turn:
            accounting.set_limit(turn.root, owner, "storage", 400)
        said = bob.send("@set box/big = " + "y" * 200)
        self.assertIn("more bytes of storage", said)
        self.assertNotIn("big", self.s.thing("box").properties)
        bob.send("@destroy box")
        self.assertEqual(self.stored("Bob"), 0)
