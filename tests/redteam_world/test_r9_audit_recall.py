# -*- test-case-name: tests.redteam_world.test_r9_audit_recall -*-
"""
Audit of round 9's '@recall': a sale through a tray stays a sale however
the tray is laid out. The seller's script that puts the goods out into a
tray of her own on the floor left them merely 'taken' (L{Thing.offered}
is marked only for a room or another's container): she kept the payment and
recalled the goods.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.redteam_world.test_consent import carried
from tests.scripts.helpers import Scene, script


class SoldIntoHerOwnCounterTests(TestCase):

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.dora = self.s.world.login("Dora")
        self.s.read()

    def test_sold_into_her_own_tray(self) -> None:
        """
        Her sealed stall's verb (her script) makes the gem and puts it into
        a tray of hers on the square's floor, where Carol picks it up and
        takes it home sealed: Dora may not recall it.
        """
        self.dora.send("@create container stall")
        script(self.dora, "stall", """
            def verb_buy(actor, dobj, prep, iobj, dobjstr, iobjstr):
                tray = this.create("container", "tray")
                this.put_out(tray)
                gem = this.create("thing", "gem")
                gem.move_to(tray)
            """)
        self.dora.send("@set stall/sealed = true")
        self.dora.send("drop stall")
        self.s.carol.send("buy stall")
        self.assertEqual(carried(self.s, "tray"), ["gem"])
        gem = self.s.thing("gem").id
        self.assertIn("You take the gem from the tray", self.s.carol.send("get gem from tray"))
        self.s.carol.send("@create container box")
        self.s.carol.send("@set box/sealed = true")
        self.s.carol.send("put gem in box")
        self.s.carol.send("drop box")
        said = self.dora.send(f"@recall #{gem}")
        self.assertIn("put the gem out for anyone to take", said)
        self.assertEqual(carried(self.s, "box"), ["gem"])

    def test_sold_by_unsealing_her_stall(self) -> None:
        """
        Her stall's verb (her script) unseals the stall for Carol to take the
        gem out: the gem was put out for anyone to take as surely as if the
        script had moved it; Dora may not recall it.
        """
        self.dora.send("@create gem")
        gem = self.s.thing("gem").id
        self.dora.send("@create container stall")
        script(self.dora, "stall", """
            def verb_buy(actor, dobj, prep, iobj, dobjstr, iobjstr):
                this.unset_property("sealed")
            """)
        self.dora.send("put gem in stall")
        self.dora.send("@set stall/sealed = true")
        self.dora.send("drop stall")
        self.assertIn("won't let go", self.s.carol.send("get gem from stall"))
        self.s.carol.send("buy stall")
        self.assertIn("You take the gem from the stall",
                      self.s.carol.send("get gem from stall"))
        said = self.dora.send(f"@recall #{gem}")
        self.assertIn("put the gem out for anyone to take", said)
        self.assertEqual(carried(self.s, "Carol"), ["gem"])

    def test_unsealed_in_person_is_recalled(self) -> None:
        """
        Dora unsealing her stall herself offers nothing (as dropping it in
        person does not): a gem Carol takes from it is recalled.
        """
        self.dora.send("@create gem")
        gem = self.s.thing("gem").id
        self.dora.send("@create container stall")
        self.dora.send("put gem in stall")
        self.dora.send("@set stall/sealed = true")
        self.dora.send("drop stall")
        self.dora.send("@set stall/sealed = false")
        self.s.carol.send("get gem from stall")
        self.assertEqual(carried(self.s, "Carol"), ["gem"])
        self.assertIn("comes back into your hands", self.dora.send(f"@recall #{gem}"))


class DepositStaysTests(TestCase):
    """
    What Dora puts herself into another's container is a deposit, sealed or
    not when she puts it there: Carol's pawn box, open for customers to put
    their pledge in, sealed once she pays for it. Marked handed over only
    if the box was sealed already, the pledge was recalled once paid for.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.dora = self.s.world.login("Dora")
        self.s.carol.send("@create container pawnbox")
        self.s.carol.send("drop pawnbox")
        self.dora.send("@create gem")
        self.gem = self.s.thing("gem").id
        self.s.read()

    def test_pledge_into_her_open_box(self) -> None:
        """Dora pledges the gem; Carol seals the box: '@recall' is refused."""
        self.dora.send("put gem in pawnbox")
        self.s.carol.send("@set pawnbox/sealed = true")
        said = self.dora.send(f"@recall #{self.gem}")
        self.assertIn("You handed the gem over", said)
        self.assertEqual(carried(self.s, "pawnbox"), ["gem"])
        self.assertEqual(carried(self.s, "Dora"), [])

    def test_taken_out_by_her_is_hers_again(self) -> None:
        """Taken back out of the open box by Dora herself: hers again, recalled once
        taken from her floor."""
        self.dora.send("put gem in pawnbox")
        self.dora.send("get gem from pawnbox")
        self.dora.send("drop gem")
        self.s.carol.send("get gem")
        self.assertIn("comes back into your hands", self.dora.send(f"@recall #{self.gem}"))


class SoldBySpillingTests(TestCase):
    """
    Her script destroying her sealed stall, so that the gem falls out for
    Carol to take, put it out as surely as moving it out: not recalled.
    """

    def test_sold_by_destroying_her_stall(self) -> None:
        s = Scene()
        self.addCleanup(s.world.close)
        dora = s.world.login("Dora")
        dora.send("@create gem")
        gem = s.thing("gem").id
        dora.send("@create container stall")
        script(dora, "stall", """
            def verb_buy(actor, dobj, prep, iobj, dobjstr, iobjstr):
                this.destroy()
            """)
        dora.send("put gem in stall")
        dora.send("@set stall/sealed = true")
        dora.send("drop stall")
        s.carol.send("buy stall")
        self.assertIn("You pick up the gem", s.carol.send("get gem"))
        said = dora.send(f"@recall #{gem}")
        self.assertIn("put the gem out for anyone to take", said)
        self.assertEqual(carried(s, "Carol"), ["gem"])
