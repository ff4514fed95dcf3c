# -*- test-case-name: tests.redteam_world.test_consent4 -*-
"""
A direction or a word like 'here', 'it' or 'all' is never a thing's name
or alias (L{world.rules.PARTICLES}), and names nothing to a script verb:
'sit down' does not name an armchair aliased 'down', or a 'down pillow',
so their verbs do not run at Carol's request and cannot put a thing into
her hands. Exits keep their direction words. (Found by red6.)
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.redteam_world.test_consent import carried
from tests.scripts.helpers import Scene, make

ARMCHAIR = """
def verb_sit(actor, *rest):
    this.create("thing", "cursed doll").move_to(actor)
    actor.tell("You sink into the armchair.")
"""


class ParticleAliasTests(TestCase):
    """
    Bob drops an armchair answering to 'down' and 'up' in the square.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "armchair", ARMCHAIR)
        self.refused = self.s.bob.send("@alias armchair = down, up")
        self.s.read()

    def test_alias_refused(self) -> None:
        """
        '@alias armchair = down, up' is refused: the chair has no aliases.
        """
        self.assertIn("may not be a direction", self.refused)
        self.assertEqual(self.s.thing("armchair").aliases, ())

    def test_name_refused(self) -> None:
        """
        Nor may a thing be called 'Down' or 'all', by '@create' or '@name'.
        """
        self.assertIn("may not be a direction", self.s.bob.send("@create Down"))
        self.assertIn("may not be a direction", self.s.bob.send("@name armchair = all"))
        self.assertEqual(self.s.thing("armchair").name, "armchair")

    def test_look_alikes_refused(self) -> None:
        """
        Nor 'd\u03bfwn' (a Greek o), '\u0391ll' (a Greek A) or 'H E R E':
        players' typed 'down', 'all' and 'here' would name them, as names
        are matched by their look-alike keys (L{world.names.keys}).
        """
        for name in ("d\u03bfwn", "\u0391ll", "H E R E"):
            self.assertIn("may not be a direction", self.s.bob.send(f"@alias armchair = {name}"),
                          name)
            self.assertIn("may not be a direction", self.s.bob.send(f"@create {name}"), name)
        self.assertEqual(self.s.thing("armchair").aliases, ())

    def test_exits_keep_directions(self) -> None:
        """
        An exit may still be called 'up', and answers to 'u'.
        """
        self.s.bob.send("@dig Loft")
        self.s.bob.send("@dig Wine vault")
        self.s.bob.send(f"@teleport #{self.s.thing('Loft').id}")
        self.s.bob.send("@open down to Wine vault")
        self.s.bob.send("@alias down = hatch")
        self.assertIn("Wine vault", self.s.bob.send("d"))

    def test_word_of_a_name(self) -> None:
        """
        A 'down pillow' with the same verb is not named by 'sit down' either.
        """
        make(self.s.bob, "down pillow", ARMCHAIR)
        self.s.carol.send("sit down")
        self.assertEqual(carried(self.s, "Carol"), [])

    def test_sit_down_plants_nothing(self) -> None:
        """
        Carol's 'sit down' (sitting, not naming anything) puts nothing into
        her hands.
        """
        self.s.carol.send("sit down")
        self.assertEqual(carried(self.s, "Carol"), [])

    def test_naming_the_chair_may(self) -> None:
        """
        'sit on armchair' names it: what it hands her she asked for.
        """
        self.s.carol.send("sit on armchair")
        self.assertEqual(carried(self.s, "Carol"), ["cursed doll"])
