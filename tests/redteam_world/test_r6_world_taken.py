# -*- test-case-name: tests.redteam_world.test_r6_world_taken -*-
"""
A thing someone took still counts against its owner's objects quota, and
its owner may destroy it wherever it is (issue 9, round 6). Carol picked up
Dora's things and kept them: nobody but Carol or a wizard could destroy a
thing another character carried, so each counted against Dora's quota for
good, and Carol could pin all of it.

What its owner hands over (gives, sells by script) stays handed over: the
buyer keeps it (the trade scam, sell then destroy, still fails:
L{tests.redteam_world.test_consent3}). What was taken (from the floor, out
of an open box) its owner may destroy, in the taker's hands or anything
they carry, and (since round 7) in another owner's sealed container too.
The one who carried it is told.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.redteam_world.test_consent import carried
from tests.scripts.helpers import Scene, flat, script


class TakenThingTests(TestCase):
    """
    Dora, a player, makes a gem and leaves it on the floor of the square;
    Carol takes it.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.dora = self.s.world.login("Dora")
        self.dora.send("@create gem")
        self.gem = self.s.thing("gem").id
        self.dora.send("drop gem")
        self.s.carol.send("get gem")
        self.s.read()
        self.dora.output()

    def owned(self) -> str:
        quota = flat(self.dora.send("@quota"))
        return quota.split("objects owned: ", 1)[1].split(" of ", 1)[0]

    def test_owner_destroys_what_was_taken(self) -> None:
        """
        Dora's '@destroy #<gem>' destroys the gem in Carol's hands, refunds
        her quota, and tells Carol who destroyed it.
        """
        self.assertEqual(self.owned(), "1")
        self.s.carol.send("north")
        self.s.carol.output()
        said = self.dora.send(f"@destroy #{self.gem}")
        self.assertIn("You destroy gem", said)
        self.assertEqual(carried(self.s, "Carol"), [])
        self.assertEqual(self.owned(), "0")
        heard = flat(self.s.carol.output())
        self.assertIn("gem you carried", heard)
        self.assertIn("Dora", heard)

    def test_in_a_bag_she_carries(self) -> None:
        """
        Put into a pouch Carol carries, the gem is still Dora's to destroy.
        """
        self.s.carol.send("@create container pouch")
        self.s.carol.send("put gem in pouch")
        self.assertIn("You destroy gem", self.dora.send(f"@destroy #{self.gem}"))
        self.assertEqual(carried(self.s, "pouch"), [])

    def test_even_out_of_her_seal(self) -> None:
        """
        Locked in Carol's sealed box, the taken gem is still Dora's to
        destroy: a seal keeps what its owner was handed, not what she took
        (round 7, L{tests.redteam_world.test_r7_seal_taken}).
        """
        self.s.carol.send("@create container box")
        self.s.carol.send("put gem in box")
        self.s.carol.send("@set box/sealed = true")
        said = self.dora.send(f"@destroy #{self.gem}")
        self.assertIn("You destroy gem", said)
        self.assertEqual(carried(self.s, "box"), [])

    def test_owner_script_destroys_what_was_taken(self) -> None:
        """
        A timer Dora's script armed destroys the gem Carol took.
        """
        self.s.carol.send("drop gem")
        self.dora.send("get gem")
        script(self.dora, "gem", """
            def verb_arm(actor, *rest):
                timers.after(5, "vanish")

            def vanish(data):
                this.destroy()
            """)
        self.dora.send("arm gem")
        self.dora.send("drop gem")
        self.s.carol.send("get gem")
        self.assertEqual(carried(self.s, "Carol"), ["gem"])
        self.s.world.clock.advance(6)
        self.assertEqual(carried(self.s, "Carol"), [])

    def test_only_her_own_by_number(self) -> None:
        """
        A player names by number only what she owns: Carol's pouch is not
        Dora's to name, nor to destroy.
        """
        self.s.carol.send("@create container pouch")
        pouch = self.s.thing("pouch").id
        said = self.dora.send(f"@destroy #{pouch}")
        self.assertIn(f"You own no object #{pouch}", said)
        self.assertEqual(carried(self.s, "Carol"), ["gem", "pouch"])


class HandedOverTests(TestCase):
    """
    What Dora hands over stays handed over while it is kept.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.dora = self.s.world.login("Dora")
        self.dora.send("@create gem")
        self.gem = self.s.thing("gem").id
        self.s.read()

    def test_given_stays(self) -> None:
        """
        Given to Carol, the gem is hers to keep: Dora's @destroy is refused.
        """
        self.dora.send("give gem to carol")
        said = self.dora.send(f"@destroy #{self.gem}")
        self.assertNotIn("You destroy", said)
        self.assertIn("Carol", said)
        self.assertEqual(carried(self.s, "Carol"), ["gem"])

    def test_given_inside_a_bag_stays(self) -> None:
        """
        Nor is the gem inside a sack Dora gave her Dora's to destroy.
        """
        self.dora.send("@create container sack")
        self.dora.send("put gem in sack")
        self.dora.send("give sack to carol")
        self.assertEqual(carried(self.s, "sack"), ["gem"])
        self.assertNotIn("You destroy", self.dora.send(f"@destroy #{self.gem}"))
        self.assertEqual(carried(self.s, "sack"), ["gem"])

    def test_given_back_then_taken(self) -> None:
        """
        Given back, then dropped and taken, the gem was taken: Dora may
        destroy it.
        """
        self.dora.send("give gem to carol")
        self.s.carol.send("give gem to dora")
        self.dora.send("drop gem")
        self.s.carol.send("get gem")
        self.assertIn("You destroy gem", self.dora.send(f"@destroy #{self.gem}"))
