# -*- test-case-name: tests.redteam_world.test_r7_seal_taken -*-
"""
Issue 9: a thing someone took from its owner cannot be held hostage in a
seal. Carol took Dora's things and locked them in her own sealed box:
they counted against Dora's objects quota for good, and Dora could
neither take them back nor destroy them (a seal held against all but its
owner).

Now the owner may destroy what was *taken* from him (from the floor, out of
an open box) wherever it is, in another owner's seal too, by command or by
his script; the seal's owner is told. What he put into another's seal
himself (a payment, a deposit, in person or by his own script, or paid
out of his hands through a verb he typed) was handed over, as what he
gives is: it stays, and so does what is inside a container of his he
handed over. One home for the rule: L{world.rules.check_sealed} and
L{world.rules.handed_over}, for commands and scripts alike. A world stored
before keeps what was in another owner's seal as handed over (the
upgrade to generation 23).
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.testing import upgraded
from tests.redteam_world.test_consent import carried
from tests.scripts.helpers import Scene, flat, script
from world.objects import Character, Container, Room, Thing


class TakenIntoASealTests(TestCase):
    """
    Dora, a player, makes a gem and a pearl and leaves them on the floor of
    the square; Carol takes them into her sealed box.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.dora = self.s.world.login("Dora")
        self.dora.send("@create gem")
        self.dora.send("@create pearl")
        self.gem = self.s.thing("gem").id
        self.dora.send("drop gem")
        self.dora.send("drop pearl")
        self.s.carol.send("@create container box")
        self.s.carol.send("@set box/sealed = true")  # (not once it holds Dora's gem)
        self.s.carol.send("get gem")
        self.s.carol.send("put gem in box")
        self.s.read()
        self.dora.output()

    def owned(self) -> str:
        quota = flat(self.dora.send("@quota"))
        return quota.split("objects owned: ", 1)[1].split(" of ", 1)[0]

    def test_owner_destroys_it_in_her_seal(self) -> None:
        """
        Dora's '@destroy #<gem>' destroys it in the box Carol carries,
        refunds her quota, and Carol is told who did.
        """
        self.assertEqual(self.owned(), "2")
        said = self.dora.send(f"@destroy #{self.gem}")
        self.assertIn("You destroy gem", said)
        self.assertEqual(carried(self.s, "box"), [])
        self.assertEqual(self.owned(), "1")
        heard = flat(self.s.carol.output())
        self.assertIn("The gem you carried vanishes: its owner, Dora, destroyed it.", heard)
        self.assertNotIn("in the box", heard)  # (told once)

    def test_in_a_seal_on_the_floor(self) -> None:
        """
        Left on the floor elsewhere, the box still cannot keep the gem from
        Dora; Carol, its owner, is told (she is not beside it).
        """
        self.s.carol.send("drop box")
        self.s.carol.send("north")
        self.s.carol.output()
        self.assertIn("You destroy gem", self.dora.send(f"@destroy #{self.gem}"))
        self.assertEqual(carried(self.s, "box"), [])
        self.assertIn("The gem in the box was destroyed by Dora, its owner",
                      flat(self.s.carol.output()))

    def test_in_a_seal_inside_a_seal(self) -> None:
        """At any depth: the box inside Carol's sealed chest."""
        self.s.carol.send("@create container chest")
        self.s.carol.send("put box in chest")
        self.s.carol.send("@set chest/sealed = true")
        self.assertIn("You destroy gem", self.dora.send(f"@destroy #{self.gem}"))
        self.assertEqual(carried(self.s, "box"), [])

    def test_owner_script_destroys_it(self) -> None:
        """The pearl's own timer (Dora's script) destroys it in Carol's seal."""
        self.dora.send("get pearl")
        script(self.dora, "pearl", """
            def verb_arm(actor, *rest):
                timers.after(5, "vanish")

            def vanish(data):
                this.destroy()
            """)
        self.dora.send("arm pearl")
        self.dora.send("drop pearl")
        self.s.carol.send("get pearl")
        self.s.carol.send("put pearl in box")
        self.assertEqual(sorted(carried(self.s, "box")), ["gem", "pearl"])
        self.s.world.clock.advance(6)
        self.assertEqual(carried(self.s, "box"), ["gem"])

    def test_still_not_taken_out(self) -> None:
        """The seal still lets nothing out to Dora: she cannot take it back, only destroy it."""
        self.s.carol.send("drop box")
        self.assertNotIn("You take", self.dora.send("get gem from box"))
        self.assertEqual(carried(self.s, "box"), ["gem"])

    def test_nobody_else(self) -> None:
        """Alice, who owns neither gem nor box, names it by number in vain."""
        said = self.s.alice.send(f"@destroy #{self.gem}")
        self.assertNotIn("You destroy", said)
        self.assertEqual(carried(self.s, "box"), ["gem"])


class HandedIntoASealTests(TestCase):
    """
    What Dora put into Carol's seal herself stays: a payment, a deposit.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.dora = self.s.world.login("Dora")
        self.s.carol.send("@create container box")
        self.s.carol.send("drop box")
        self.s.carol.send("@set box/sealed = true")
        self.dora.send("@create gem")
        self.gem = self.s.thing("gem").id
        self.s.read()

    def test_put_in_by_her(self) -> None:
        """'put gem in box': her '@destroy' is refused, as taking it out is."""
        self.dora.send("put gem in box")
        said = self.dora.send(f"@destroy #{self.gem}")
        self.assertIn("won't let go", said)
        self.assertEqual(carried(self.s, "box"), ["gem"])

    def test_inside_her_pouch(self) -> None:
        """Nor what is inside a pouch of hers she put in: it went in with the pouch."""
        self.dora.send("@create container pouch")
        self.dora.send("put gem in pouch")
        self.dora.send("put pouch in box")
        self.assertEqual(carried(self.s, "box"), ["pouch"])
        self.assertIn("won't let go", self.dora.send(f"@destroy #{self.gem}"))
        self.assertEqual(carried(self.s, "pouch"), ["gem"])

    def test_put_in_by_her_script(self) -> None:
        """
        The gem's own verb (Dora's script) puts it in the box: handed over,
        it stays, and its script cannot destroy it there either.
        """
        script(self.dora, "gem", """
            def verb_stash(actor, dobj, prep, iobj, dobjstr, iobjstr):
                this.move_to(iobj)

            def verb_arm(actor, *rest):
                timers.after(5, "vanish")

            def vanish(data):
                this.destroy()
            """)
        self.dora.send("arm gem")
        self.dora.send("stash gem in box")
        self.assertEqual(carried(self.s, "box"), ["gem"])
        self.assertIn("won't let go", self.dora.send(f"@destroy #{self.gem}"))
        self.s.world.clock.advance(6)
        self.assertEqual(carried(self.s, "box"), ["gem"])

    def test_taken_back_out_then_taken(self) -> None:
        """
        Carol takes it out and drops it; Dora picks it up: hers again, not
        handed over. Carol takes it into the box: Dora may destroy it.
        """
        self.dora.send("put gem in box")
        self.s.carol.send("get gem from box")
        self.s.carol.send("drop gem")
        self.dora.send("get gem")
        self.dora.send("drop gem")
        self.s.carol.send("get gem")
        self.s.carol.send("put gem in box")
        self.assertIn("You destroy gem", self.dora.send(f"@destroy #{self.gem}"))


class TakenInAnothersGiftTests(TestCase):
    """
    What Carol took of Dora's and handed on inside a bag of her own is
    still Dora's taken thing: a bag Carol gave Alice does not make Dora's
    gem in it handed over by Dora.
    """

    def test_in_a_bag_carol_gave(self) -> None:
        s = Scene()
        self.addCleanup(s.world.close)
        dora = s.world.login("Dora")
        dora.send("@create gem")
        gem = s.thing("gem").id
        dora.send("drop gem")
        s.carol.send("@create container sack")
        s.carol.send("get gem")
        s.carol.send("put gem in sack")
        s.carol.send("give sack to alice")
        self.assertEqual(carried(s, "Alice"), ["sack"])
        self.assertIn("You destroy gem", dora.send(f"@destroy #{gem}"))
        self.assertEqual(carried(s, "sack"), [])


class UpgradeTests(TestCase):
    def test_generation_22_keeps_what_was_in_anothers_seal(self) -> None:
        """
        Upgrading from generation 22: a thing in another owner's seal (at
        any depth) is marked handed over (it stays, as it did); one in its
        owner's own seal, or in no seal, is not.
        """
        ids = {}

        def build(root) -> None:  # type: ignore[no-untyped-def]
            room = root.create(Room, "Vault")
            carol = root.create(Character, "Carol", location=room)
            dora = root.create(Character, "Dora", location=room)
            box = root.create(Container, "box", location=room, owner=carol.id)
            box.properties["sealed"] = True
            inner = root.create(Container, "inner", location=box, owner=carol.id)
            own = root.create(Container, "own", location=dora, owner=dora.id)
            own.properties["sealed"] = True
            for name, where in (("coin", box), ("deep", inner), ("mine", own), ("loose", room)):
                ids[name] = root.create(Thing, name, location=where, owner=dora.id).id

        store = upgraded(self, 22, build)
        with store.turn() as turn:
            flags = {name: turn.root.get(i).handed_over for name, i in ids.items()}
        self.assertEqual(flags, {"coin": True, "deep": True, "mine": False, "loose": False})
