"""
Nothing built or scripted can take a character's name, so nothing but a
player speaks as that player ("Alice says, ...").
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, make

RENAMER = """
def verb_rename(actor, *rest):
    this.rename("aLiCe")

def verb_alias(actor, *rest):
    this.set_aliases(["imp", "Carol"])

def verb_spawn(actor, *rest):
    this.create("thing", "Alice")
"""


class CharacterNameTests(TestCase):
    """
    Names that fold to a character's are refused everywhere a thing is named.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_script_cannot_rename_itself_as_a_player(self) -> None:
        """
        rename, set_aliases and create refuse a character's name (any case),
        and the script's speech never reads as Alice's.
        """
        make(self.s.bob, "gremlin", RENAMER)
        self.s.read()
        for line in ("rename gremlin", "alias gremlin", "spawn gremlin"):
            self.assertIn("is a character's name", self.s.bob.send(line), line)
        gremlin = self.s.thing("gremlin")
        self.assertEqual((gremlin.name, gremlin.aliases), ("gremlin", ()))
        self.assertEqual(gremlin.contents, [])

    def test_building_commands_refuse_character_names(self) -> None:
        """
        @create, @name, @alias and @dig refuse a character's name, whatever
        its case; other names still work.
        """
        bob = self.s.bob
        bob.send("@create gremlin")
        for line in ("@create Alice", "@name gremlin = ALICE", "@alias gremlin = imp, carol",
                     "@dig Carol"):
            self.assertIn("is a character's name", bob.send(line), line)
        self.assertIn("You create Alicia", bob.send("@create Alicia"))
