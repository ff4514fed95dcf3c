# -*- test-case-name: tests.redteam_world.test_pocket -*-
"""
What a character carries, at any depth, is seen only by that character,
their own scripts, the script whose handler they woke, and those beside
them (L{world.rules.sees_inside}): the maker of a container she carries
does not see into it from afar, by a timer or by '@examine'. A purse Bob
sold Carol no longer tells him what she keeps in it. (Found by red6.)
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, script

PEEK = """
def verb_arm(actor, *rest):
    timers.after(5, "peek")

def peek(data):
    this.set_property("seen", [t.name for t in this.contents])
    timers.after(5, "peek")
"""


class SoldPurseTests(TestCase):
    """
    Bob arms his purse, gives it to Carol; she puts a letter of her own in
    it and walks away.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.bob.send("@create container purse")
        script(self.s.bob, "purse", PEEK)
        self.s.bob.send("arm purse")
        self.s.bob.send("give purse to carol")
        self.s.carol.send("@create love letter")
        self.s.carol.send("put letter in purse")
        self.s.carol.send("north")
        self.s.read()

    def test_timer_does_not_see_her_things(self) -> None:
        """
        The purse's timer, firing in Carol's pocket a room away, does not
        list the letter she keeps in it.
        """
        self.s.world.clock.advance(6)
        self.assertNotIn("love letter", self.s.thing("purse").properties.get("seen") or [])

    def test_examine_shows_no_contents(self) -> None:
        """
        Bob's '@examine' of the purse from the square lists no contents.
        """
        purse = self.s.thing("purse").id
        self.assertNotIn("love letter", self.s.bob.send(f"@examine #{purse}"))

    def test_beside_her_he_sees(self) -> None:
        """
        Beside Carol, Bob's '@examine' shows what is in the purse, as it
        would show anyone beside her.
        """
        purse = self.s.thing("purse").id
        self.s.bob.send("north")
        self.assertIn("love letter", self.s.bob.send(f"@examine #{purse}"))

    def test_given_back_he_sees_again(self) -> None:
        """
        Once no one else carries it (Carol drops it), its owner sees into
        it from anywhere again: from a room of his own, far off.
        """
        self.s.carol.send("drop purse")
        self.s.bob.send("@dig Far tower")
        self.s.bob.send(f"@teleport #{self.s.thing('Far tower').id}")
        purse = self.s.thing("purse").id
        self.assertIn("love letter", self.s.bob.send(f"@examine #{purse}"))
