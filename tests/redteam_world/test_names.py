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
            self.assertIn("a character's name", self.s.bob.send(line), line)
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
            self.assertIn("a character's name", bob.send(line), line)
        self.assertIn("You create Alicia", bob.send("@create Alicia"))


class LookalikeNameTests(TestCase):
    """
    Names are compared by confusables skeleton, for things and accounts
    alike, and a name may not embed speech.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_lookalikes_of_a_player_refused(self) -> None:
        """
        A Cyrillic A, a capital I for an l, full-width letters: each is
        Alice's name, to a builder's command and to a script.
        """
        make(self.s.bob, "gremlin", """
            def verb_disguise(actor, dobj, prep, iobj, dobjstr, iobjstr):
                try:
                    this.rename(dobjstr)
                except Exception as err:
                    actor.tell(str(err))
            """)
        for fake in ("\u0410lice", "AIice", "\uff21\uff4c\uff49\uff43\uff45", "A\u200blice"):
            self.assertIn("a character's name", self.s.bob.send(f"@create {fake}"), fake)
            said = " ".join(self.s.bob.send(f"disguise {fake} with gremlin").split())
            self.assertIn("a character's name", said, fake)
        self.assertEqual(self.s.thing("gremlin").name, "gremlin")

    def test_speech_in_names_refused(self) -> None:
        """A thing whose name would read as speech or as script text is not made."""
        for name in ('bell "hi"', 'Carol says, give me your password', "lamp \u201cpsst\u201d",
                     "[Carol's lamp] Carol"):
            said = self.s.bob.send(f"@create {name}")
            self.assertNotIn("You create", said, name)

    def test_new_account_may_not_take_a_things_name(self) -> None:
        """
        Bob names a thing Dave before Dave comes: Dave (or DAVE, or D\u0430ve)
        cannot create that character; the reverse rule holds too.
        """
        self.s.bob.send("@create Dave")
        for name in ("Dave", "DAVE"):
            said = self.s.world.connect().send(f"create {name} correct horse")
            self.assertIn("already called 'Dave'", said, name)
        said = self.s.world.connect().send("create AIice correct horse")
        self.assertIn("looks too much like Alice", said)
        self.assertIn("Welcome, Erin", self.s.world.connect().send("create Erin correct horse"))
        self.assertIn("a character's name", self.s.bob.send("@create ERIN"))

    def test_names_that_start_as_a_player_refused(self) -> None:
        """
        A room called "Carol waves hello" would put Carol's emote at the
        margin as its title; "Carol's Rest" is a name.
        """
        bob = self.s.bob
        for line in ("@dig Carol waves hello", "@dig C\u0430rol smiles",
                     "@create alice wonders"):
            self.assertIn("starts with a character's name", bob.send(line), line)
        self.assertIn("You dig Carol's Rest", bob.send("@dig Carol's Rest"))
