# -*- test-case-name: tests.redteam_world.test_r9_seal_recall -*-
"""
Issue 9, round 9: what was taken from its owner and sealed away is hers to
have back, not only to destroy.

Carol took Dora's gem from the floor and sealed it in her box: Dora could
destroy it (so it held no quota hostage) but never have it back. Now
'@recall #<gem>' brings a thing of hers she did not hand over back into
her hands, from another's seal (at any depth, carried or lying anywhere),
from another's hands, from a room she cannot reach; whoever carried it and
the seal's owner are told. What she handed over (gave, or put into
another's seal herself: a payment, a deposit) stays where it is: a seal
still keeps what was handed to it. One rule: L{world.rules.recall}.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.redteam_world.test_consent import carried
from tests.redteam_world.test_r7_seal_taken import DoraBesideASeal
from tests.scripts.helpers import Scene, flat, script


class RecallTests(TestCase):
    """
    Dora, a player, makes a gem and drops it; Carol takes it into her
    sealed box.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.dora = self.s.world.login("Dora")
        self.dora.send("@create gem")
        self.gem = self.s.thing("gem").id
        self.dora.send("drop gem")
        self.s.carol.send("@create container box")
        self.s.carol.send("@set box/sealed = true")
        self.s.carol.send("get gem")
        self.s.carol.send("put gem in box")
        self.assertEqual(carried(self.s, "box"), ["gem"])
        self.s.read()
        self.dora.output()

    def test_back_from_the_seal_she_carries(self) -> None:
        """
        '@recall #<gem>' takes it out of the sealed box Carol carries, into
        Dora's hands; Carol is told once who did.
        """
        said = self.dora.send(f"@recall #{self.gem}")
        self.assertIn("The gem comes back into your hands", said)
        self.assertEqual(carried(self.s, "box"), [])
        self.assertEqual(carried(self.s, "Dora"), ["gem"])
        heard = flat(self.s.carol.output())
        self.assertIn("The gem you carried vanishes: its owner, Dora, recalled it.", heard)
        self.assertNotIn("in the box was recalled", heard)

    def test_back_from_a_seal_elsewhere(self) -> None:
        """
        The box left on the floor of another room: the gem still comes
        back, and Carol, the box's owner, is told.
        """
        self.s.carol.send("drop box")
        self.s.carol.send("north")
        self.s.carol.output()
        self.dora.send("north")  # (the box is not beside her)
        self.assertIn("comes back into your hands", self.dora.send(f"@recall #{self.gem}"))
        self.assertEqual(carried(self.s, "box"), [])
        self.assertIn("The gem in the box was recalled by Dora, its owner",
                      flat(self.s.carol.output()))

    def test_at_any_depth(self) -> None:
        """The box inside Carol's sealed chest: the gem comes back."""
        self.s.carol.send("@create container chest")
        self.s.carol.send("put box in chest")
        self.s.carol.send("@set chest/sealed = true")
        self.assertIn("comes back into your hands", self.dora.send(f"@recall #{self.gem}"))
        self.assertEqual(carried(self.s, "box"), [])
        self.assertEqual(carried(self.s, "Dora"), ["gem"])

    def test_from_her_hands(self) -> None:
        """Carol takes it out of her own box and holds it: it still comes back."""
        self.s.carol.send("get gem from box")
        self.assertEqual(carried(self.s, "Carol"), ["box", "gem"])
        self.assertIn("comes back into your hands", self.dora.send(f"@recall #{self.gem}"))
        self.assertEqual(carried(self.s, "Carol"), ["box"])
        self.assertIn("its owner, Dora, recalled it", flat(self.s.carol.output()))

    def test_by_name(self) -> None:
        """
        '@recall gem' finds her gem wherever it is (a player cannot @find);
        Alice's gem of the same name is not hers, and not taken.
        """
        self.s.alice.send("@create gem")
        self.assertIn("comes back into your hands", self.dora.send("@recall gem"))
        self.assertEqual(carried(self.s, "Dora"), ["gem"])
        self.assertEqual(carried(self.s, "Alice"), ["gem"])

    def test_by_name_asks_which(self) -> None:
        """Two of hers answer: she is shown their numbers, and nothing moves."""
        self.dora.send("@create gem")
        said = flat(self.dora.send("@recall gem"))
        self.assertIn("Which? Yours called that: gem (#", said)
        self.assertEqual(carried(self.s, "box"), ["gem"])

    def test_not_a_person(self) -> None:
        """Her own character is no thing to recall."""
        said = self.dora.send(f"@recall #{self.s.thing('Dora').id}")
        self.assertIn("is not a thing to carry", said)

    def test_not_hers(self) -> None:
        """Alice, who owns neither gem nor box, names it by number in vain."""
        said = self.s.alice.send(f"@recall #{self.gem}")
        self.assertNotIn("comes back", said)
        self.assertEqual(carried(self.s, "box"), ["gem"])

    def test_the_box_is_not_hers_either(self) -> None:
        """Dora cannot recall Carol's box (nor empty it so)."""
        box = self.s.thing("box").id
        self.assertIn("You own no object", self.dora.send(f"@recall #{box}"))
        self.assertEqual(carried(self.s, "box"), ["gem"])

    def test_not_a_full_container(self) -> None:
        """
        A pouch of Dora's Carol sealed away with Carol's own coin in it
        stays: recalling it would take Carol's coin out of her seal.
        """
        self.dora.send("@create container pouch")
        pouch = self.s.thing("pouch").id
        self.dora.send("drop pouch")
        self.s.carol.send("get pouch")
        self.s.carol.send("@create coin")
        self.s.carol.send("put coin in pouch")
        self.s.carol.send("put pouch in box")
        said = self.dora.send(f"@recall #{pouch}")
        self.assertIn("holds something", said)
        self.assertEqual(sorted(carried(self.s, "box")), ["gem", "pouch"])
        self.assertEqual(carried(self.s, "pouch"), ["coin"])

    def test_script_in_the_seal_hears_it_leave(self) -> None:
        """The box's script (Carol's) hears on_leave, as for any move out."""
        script(self.s.carol, "box", """
            def on_leave(actor, thing, dest):
                here.say("lost " + thing.name)
            """)
        self.s.carol.send("drop box")
        self.s.read()
        self.dora.send(f"@recall #{self.gem}")
        self.assertIn("lost gem", flat(self.s.alice.output()))


class HandedOverStaysTests(DoraBesideASeal):
    """
    What Dora handed over stays where she put it: a seal keeps a payment.
    """

    def test_put_in_by_her(self) -> None:
        """'put gem in box' (a payment): '@recall' is refused; the gem stays."""
        self.dora.send("put gem in box")
        said = self.dora.send(f"@recall #{self.gem}")
        self.assertIn("You handed the gem over", said)
        self.assertEqual(carried(self.s, "box"), ["gem"])
        self.assertEqual(carried(self.s, "Dora"), [])

    def test_inside_her_pouch(self) -> None:
        """Nor what went in inside a pouch of hers she put in."""
        self.dora.send("@create container pouch")
        self.dora.send("put gem in pouch")
        self.dora.send("put pouch in box")
        self.assertIn("You handed the gem over", self.dora.send(f"@recall #{self.gem}"))
        self.assertEqual(carried(self.s, "pouch"), ["gem"])

    def test_given(self) -> None:
        """Given to Carol, who sealed it away: hers to keep."""
        self.dora.send("give gem to carol")
        self.s.carol.send("get box")
        self.s.carol.send("put gem in box")
        self.assertIn("You handed the gem over", self.dora.send(f"@recall #{self.gem}"))
        self.assertEqual(carried(self.s, "box"), ["gem"])

    def test_already_hers(self) -> None:
        """In her own hands: nothing to do, said so."""
        self.assertIn("You already carry the gem", self.dora.send(f"@recall #{self.gem}"))


class SoldStaysTests(TestCase):
    """
    What Dora sold stays sold: recall makes no scam of a sale. A sale through
    a tray (her script puts the goods out where the buyer picks them up)
    left the goods merely 'taken', and a gift inside a bag was handed over
    only while in the bag: '@recall' would have given her the payment and
    the goods back.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.dora = self.s.world.login("Dora")
        self.dora.send("@create gem")
        self.gem = self.s.thing("gem").id
        self.s.read()

    def test_sold_through_a_tray(self) -> None:
        """
        Her stall's verb (her script) puts the gem out into the square for
        Carol, who takes it home in her sealed box: no recall.
        """
        self.dora.send("@create container stall")
        script(self.dora, "stall", """
            def verb_buy(actor, dobj, prep, iobj, dobjstr, iobjstr):
                for thing in this.contents:
                    this.put_out(thing)
            """)
        self.dora.send("put gem in stall")
        self.dora.send("drop stall")
        self.s.carol.send("buy stall")
        self.assertIn("You pick up the gem", self.s.carol.send("get gem"))
        self.s.carol.send("@create container box")
        self.s.carol.send("@set box/sealed = true")
        self.s.carol.send("put gem in box")
        self.s.carol.send("drop box")
        said = self.dora.send(f"@recall #{self.gem}")
        self.assertIn("put the gem out for anyone to take", said)
        self.assertEqual(carried(self.s, "box"), ["gem"])

    def test_given_in_a_bag(self) -> None:
        """
        Given to Carol in a purse, the gem taken out of it is still given:
        neither recalled nor destroyed from under her.
        """
        self.dora.send("@create container purse")
        self.dora.send("put gem in purse")
        self.dora.send("give purse to carol")
        self.s.carol.send("get gem from purse")
        self.assertEqual(sorted(carried(self.s, "Carol")), ["gem", "purse"])
        self.assertIn("You handed the gem over", self.dora.send(f"@recall #{self.gem}"))
        self.assertIn("theirs to keep", self.dora.send(f"@destroy #{self.gem}"))
        self.assertEqual(sorted(carried(self.s, "Carol")), ["gem", "purse"])

    def test_no_laundering_through_her_gift(self) -> None:
        """
        Carol puts Dora's gem, which she took, into a purse Dora gave her,
        and takes it out again: it was not in the purse when Dora gave it,
        so it is still taken, and Dora recalls it.
        """
        self.dora.send("@create container purse")
        self.dora.send("give purse to carol")
        self.dora.send("drop gem")
        self.s.carol.send("get gem")
        self.s.carol.send("put gem in purse")
        self.s.carol.send("get gem from purse")
        self.assertIn("comes back into your hands", self.dora.send(f"@recall #{self.gem}"))

    def test_back_in_her_hands_it_is_hers_again(self) -> None:
        """
        Carol gives the bought gem back; Dora drops it; Carol takes it and
        seals it away: now it is taken, and Dora recalls it.
        """
        self.dora.send("give gem to carol")
        self.s.carol.send("give gem to dora")
        self.dora.send("drop gem")
        self.s.carol.send("get gem")
        self.assertIn("comes back into your hands", self.dora.send(f"@recall #{self.gem}"))
