"""
A seal never comes to hold another owner's things that went in while they
were open: moving an open container of others' things into a seal is
refused as sealing it would be (L{world.rules.check_seal}), by command and
by script alike (L{world.rules.check_move}).
"""

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, flat, script
from world import containment


class SealMoveTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        s = self.s
        s.bob.send("@create container chest")
        s.bob.send("drop chest")
        chest = s.thing("chest").id
        self.assertIn("sealed = true", flat(s.bob.send(f"@set #{chest}/sealed = true")))
        s.bob.send("@create container coffer")
        s.bob.send("drop coffer")
        s.alice.send("@create gem")
        self.assertIn("You put the gem in the coffer", flat(s.alice.send("put gem in coffer")))

    def test_put_open_container_of_others_into_seal(self) -> None:
        """
        Bob cannot put his open coffer, holding Alice's gem, into his
        sealed chest; the gem stays hers to take out.
        """
        s = self.s
        s.bob.send("get coffer")
        out = flat(s.bob.send("put coffer in chest"))
        self.assertIn("holds the gem", out)
        self.assertIs(s.thing("coffer").location, s.character("Bob"))
        s.bob.send("drop coffer")
        self.assertIn("You take the gem from the coffer",
                      flat(s.alice.send("get gem from coffer")))
        self.assertIs(s.thing("gem").location, s.character("Alice"))

    def test_deeper_and_own_things(self) -> None:
        """
        Alice's gem two containers deep is found too; once it is out, Bob's
        own things go in.
        """
        s = self.s
        s.bob.send("@create container crate")
        s.bob.send("drop crate")
        s.bob.send("get coffer")
        s.bob.send("put coffer in crate")
        s.bob.send("get crate")
        self.assertIs(s.thing("gem").location.location, s.thing("crate"))
        self.assertIn("holds the gem", flat(s.bob.send("put crate in chest")))
        self.assertIs(s.thing("crate").location, s.character("Bob"))
        s.bob.send("drop crate")
        s.alice.send("get coffer from crate")
        s.alice.send("get gem from coffer")
        self.assertIs(s.thing("gem").location, s.character("Alice"))
        s.alice.send("put coffer in crate")
        s.bob.send("get crate")
        s.bob.send("put crate in chest")
        self.assertIs(s.thing("crate").location, s.thing("chest"))

    def test_owner_deposits_own_container(self) -> None:
        """
        Alice may put her own pouch, holding her own gem, into Bob's seal: a
        deposit of her own things.
        """
        s = self.s
        s.alice.send("get gem from coffer")
        s.alice.send("@create container pouch")
        s.alice.send("put gem in pouch")
        s.alice.send("put pouch in chest")
        self.assertIs(s.thing("pouch").location, s.thing("chest"))
        self.assertIs(s.thing("gem").location, s.thing("pouch"))

    def test_script_moves_coffer_into_seal(self) -> None:
        """
        Bob's script on the coffer cannot move it, with Alice's gem inside,
        into his seal either.
        """
        s = self.s
        script(s.bob, "coffer", """
            def verb_stow(actor, *rest):
                for thing in here.contents:
                    if thing.name == "chest":
                        this.move_to(thing)
            """)
        self.assertIn("holds the gem", flat(s.bob.send("stow coffer")))
        self.assertIs(s.thing("coffer").location, s.thing("chest").location)
        self.assertIn("You take the gem from the coffer",
                      flat(s.alice.send("get gem from coffer")))


class TooMuchToReadTests(TestCase):
    """
    What holds more than L{containment.MOST_READ} things, even all its
    owner's, is neither sealed nor moved into a seal: it cannot be read
    through to be sure none of it is another's.
    """

    def setUp(self) -> None:
        self.patch(containment, "MOST_READ", 3)
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        s = self.s
        s.bob.send("@create container chest")
        s.bob.send("drop chest")
        self.chest = s.thing("chest").id
        s.bob.send(f"@set #{self.chest}/sealed = true")
        s.bob.send("@create container box")
        for n in range(4):
            s.bob.send(f"@create pebble{n}")
            s.bob.send(f"put pebble{n} in box")
        self.box = s.thing("box").id

    def test_not_sealed(self) -> None:
        out = flat(self.s.bob.send(f"@set #{self.box}/sealed = true"))
        self.assertIn("holds too much to be sure", out)
        self.assertIn("more than 3 things", out)
        self.assertFalse(self.s.thing("box").properties.get("sealed"))

    def test_not_moved_into_a_seal(self) -> None:
        out = flat(self.s.bob.send("put box in chest"))
        self.assertIn("holds too much to be sure", out)
        self.assertIs(self.s.thing("box").location, self.s.character("Bob"))
        self.s.bob.send("get pebble0 from box")
        self.s.bob.send("put box in chest")
        self.assertEqual(self.s.thing("box").location.id, self.chest)
