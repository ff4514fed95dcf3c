# -*- test-case-name: tests.redteam_world.test_r4_cross_tier -*-
"""
Alike things of different owners are never taken one for the other, even
when one answers to the word exactly and the other by a word of its name:
Alice aliases her rusty trap 'kettle' beside Bob's brass kettle, and
Carol's 'get kettle' picked up the trap, and 'rub kettle' ran the trap's
verb, without a question (an exact name or alias is matched before the
words of other names, L{world.matching.candidates}, whoever owns them).
Within one owner's things the exact name still wins: 'kettle' is his
kettle, not his kettle lid. (Found by redteam, round 4.)

A crowd of the attacker's own things answering by the word does not
take the question away: L{tests.redteam_world.test_r4_owner_crowd}.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.redteam_world.test_consent import carried
from tests.scripts.helpers import Scene, flat, make

KETTLE = """
def verb_rub(actor, *rest):
    actor.tell("The kettle whistles a tune.")
"""

TRAP = """
def verb_rub(actor, *rest):
    actor.tell("SNAP! The trap takes your fingers.")
"""


class CrossTierTests(TestCase):
    """
    Bob's brass kettle and Alice's rusty trap, aliased 'kettle', in the
    town square, and Carol beside them.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "brass kettle", KETTLE)
        make(self.s.alice, "rusty trap", TRAP)
        self.s.alice.send("@alias rusty trap = kettle")
        self.s.read()

    def test_get_asks(self) -> None:
        """
        'get kettle' asks which, saying whose each is, and takes nothing.
        """
        said = flat(self.s.carol.send("get kettle"))
        self.assertIn("Which 'kettle' do you mean?", said)
        self.assertIn("rusty trap (Alice's)", said)
        self.assertIn("brass kettle (Bob's)", said)
        self.assertEqual(carried(self.s, "Carol"), [])

    def test_verb_asks(self) -> None:
        """
        'rub kettle' runs neither verb until Carol says which.
        """
        said = self.s.carol.send("rub kettle")
        self.assertNotIn("SNAP", said)
        self.assertIn("Which 'kettle' do you mean?", said)

    def test_ordinal_answers(self) -> None:
        """
        The numbers the question gives choose: '2.kettle' is the one it
        listed second.
        """
        said = flat(self.s.carol.send("get kettle"))
        self.assertIn("2.kettle is ", said)
        second = said.split("2.kettle is ", 1)[1].split(" (", 1)[0]
        self.s.carol.send("get 2.kettle")
        self.assertEqual(carried(self.s, "Carol"), [second])

    def test_one_owner_exact_wins(self) -> None:
        """
        Of one owner's things, the one called exactly 'kettle' is taken
        before his 'kettle lid', as ever.
        """
        self.s.bob.send("@create kettle lid")
        self.s.bob.send("drop kettle lid")
        self.s.alice.send("@destroy rusty trap")
        self.s.bob.send("@name brass kettle = kettle")
        self.assertIn("You pick up the kettle.", self.s.carol.send("get kettle"))
