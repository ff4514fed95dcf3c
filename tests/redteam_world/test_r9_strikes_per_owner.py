# -*- test-case-name: tests.redteam_world.test_r9_strikes_per_owner -*-
"""
One owner's many scripts refusing one player keep one refusal, not one
each (issue 9). Before, a hostile owner whose hundreds of scripts each
failed three times for Carol kept hundreds of refusals of her, and with
his alts as players too, a few dozen accounts filled the server's table
of refusals (L{strikes.MAX_STRIKES}). Now past L{strikes.PER_OWNER} of one
owner's scripts refusing a player apart, one refusal covers her for every
script of his, for L{strikes.REFUSE_SECONDS} from then; no other owner's
script refuses her for it (a player refused by many owners' scripts is
refused by those alone: alts cannot frame her everywhere). Constants
patched small where it helps.
"""

from __future__ import annotations

from twisted.internet.task import Clock
from twisted.trial.unittest import TestCase

from engine.scripts import strikes
from engine.scripts.strikes import REFUSE_SECONDS, SUSPEND_AFTER, Strikes
from tests.scripts.helpers import Scene, flat, make

COUNTER = 1  # Bob's counter (the holder's id)
BOB = 2
MALLORY = 9  # a hostile owner
CAROL = 100
VERSION = 1


class PerOwnerTests(TestCase):
    """
    L{Strikes} with Mallory's many scripts (from 500) failing for Carol.
    """

    def setUp(self) -> None:
        self.clock = Clock()
        self.strikes = Strikes(self.clock)
        self.patch(strikes, "PER_OWNER", 2)

    def refuse(self, script: int, player: int, owner: int | None) -> str | None:
        for _ in range(SUSPEND_AFTER):
            how = self.strikes.fail(script, VERSION, player, owner)
        return how

    def test_one_record_for_an_owner(self) -> None:
        """
        Twenty of Mallory's scripts failing for Carol keep one refusal,
        covering every script of his, none of Bob's.
        """
        for n in range(20):
            self.refuse(500 + n, CAROL, MALLORY)
        self.assertEqual(len(self.strikes), 1)
        self.assertTrue(self.strikes.owner_wide(CAROL, MALLORY))
        self.assertFalse(self.strikes.owner_wide(CAROL, BOB))
        self.assertEqual(self.strikes.refused_until(12345, VERSION, CAROL, MALLORY),
                         REFUSE_SECONDS)
        self.assertIsNone(self.strikes.refused_until(COUNTER, VERSION, CAROL, BOB))
        self.assertIsNone(self.strikes.refused_until(12345, VERSION, CAROL, None))
        self.assertEqual(self.strikes.failures(12345, VERSION, CAROL, MALLORY), SUSPEND_AFTER)
        self.assertIsNone(self.strikes.fail(12345, VERSION, CAROL, MALLORY))
        self.assertEqual(self.refuse(COUNTER, CAROL, BOB), strikes.IN_A_ROW)

    def test_below_the_cap_apart(self) -> None:
        """
        Up to PER_OWNER of his scripts refuse her apart: his others still
        answer her.
        """
        for n in range(strikes.PER_OWNER):
            self.refuse(500 + n, CAROL, MALLORY)
        self.assertFalse(self.strikes.owner_wide(CAROL, MALLORY))
        self.assertIsNone(self.strikes.refused_until(599, VERSION, CAROL, MALLORY))
        self.assertEqual(len(self.strikes), strikes.PER_OWNER)

    def test_not_cut_short(self) -> None:
        """
        Carol refused by Bob's counter, then by more of Bob's scripts: the
        counter refuses her at least as long as it did.
        """
        self.refuse(COUNTER, CAROL, BOB)
        until = self.strikes.refused_until(COUNTER, VERSION, CAROL, BOB)
        for n in range(strikes.PER_OWNER * 3):
            self.clock.advance(1)
            self.refuse(500 + n, CAROL, BOB)
            found = self.strikes.refused_until(COUNTER, VERSION, CAROL, BOB)
            self.assertIsNotNone(found)
            self.assertGreaterEqual(found, until)

    def test_saving_does_not_end_it(self) -> None:
        """
        Saving one of his scripts (forgive) does not end a refusal
        covering them all; it ends in REFUSE_SECONDS.
        """
        for n in range(strikes.PER_OWNER + 1):
            self.refuse(500 + n, CAROL, MALLORY)
        self.strikes.forgive(500)
        self.assertIsNotNone(self.strikes.refused_until(500, VERSION, CAROL, MALLORY))
        self.clock.advance(REFUSE_SECONDS)
        self.assertIsNone(self.strikes.refused_until(500, VERSION, CAROL, MALLORY))
        self.assertFalse(self.strikes.owner_wide(CAROL, MALLORY))
        self.assertEqual(self.strikes.failures(500, VERSION, CAROL, MALLORY), 0)

    def test_world_scripts_never_covered(self) -> None:
        """
        The world's own scripts (no owner) refusing her keep a refusal
        each: none covers every world script.
        """
        for n in range(strikes.PER_OWNER + 2):
            self.refuse(500 + n, CAROL, None)
        self.assertEqual(len(self.strikes), strikes.PER_OWNER + 2)
        self.assertIsNone(self.strikes.refused_until(599, VERSION, CAROL, None))

    def test_many_owners_do_not_refuse_her_everywhere(self) -> None:
        """
        Framing: a hundred alts, each with scripts failing for Carol past
        PER_OWNER, make their own scripts refuse her, not Bob's counter.
        """
        for alt in range(100):
            for n in range(strikes.PER_OWNER + 1):
                self.refuse(10_000 + 100 * alt + n, CAROL, 1000 + alt)
        self.assertEqual(len(self.strikes), 100)
        self.assertIsNone(self.strikes.refused_until(COUNTER, VERSION, CAROL, BOB))
        self.assertIsNone(self.strikes.refused_until(COUNTER, VERSION, CAROL, None))
        self.assertEqual(self.strikes.failures(COUNTER, VERSION, CAROL, BOB), 0)


FRAGILE = ("def verb_note(actor, *rest):\n"
           "    if actor.name == 'Carol':\n"
           "        1 / 0\n"
           "    actor.tell('Noted.')\n")
WORKING = "def verb_tap(actor, *rest):\n    actor.tell('Tapped.')\n"


class OwnerWideToldTests(TestCase):
    """
    In play: Bob's pads fail for Carol (PER_OWNER patched to 1).
    """

    def test_told_his_scripts_refuse_her(self) -> None:
        """
        Past PER_OWNER of Bob's scripts refusing Carol, his drum (which
        never failed) refuses her, saying so; Alice's notebook and
        Alice's use of the drum go on; Bob is told.
        """
        self.patch(strikes, "PER_OWNER", 1)
        s = Scene()
        self.addCleanup(s.world.close)
        make(s.bob, "pad", FRAGILE)
        make(s.bob, "slate", FRAGILE.replace("note", "mark"))
        make(s.bob, "drum", WORKING)
        make(s.alice, "notebook", FRAGILE.replace("note", "jot").replace("'Carol'", "'Zed'"))
        s.read()
        self.assertIn("Tapped.", flat(s.carol.send("tap drum")))
        for _ in range(SUSPEND_AFTER):
            said = flat(s.carol.send("note pad"))
        self.assertIn("it failed 3 times for you lately", said)
        for _ in range(SUSPEND_AFTER):
            said = flat(s.carol.send("mark slate"))
        self.assertIn("so many of its owner's scripts failed 3 times for you lately that "
                      "none of them answers you", said)
        self.assertIn("none of them answers Carol for 10 minutes", flat(s.bob.output()))
        said = flat(s.carol.send("tap drum"))
        self.assertNotIn("Tapped.", said)
        self.assertIn("The script on drum is not answering you for now: so many of its "
                      "owner's scripts failed 3 times for you lately", said)
        self.assertIn("Noted.", flat(s.carol.send("jot notebook")))
        self.assertIn("Tapped.", flat(s.alice.send("tap drum")))
