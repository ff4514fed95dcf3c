"""
A thing's name is what players read it as: nothing invisible in it, so two
names that look the same are the same name (and matching asks which one).
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, make

#: Names a hostile builder would use to make a thing that looks like another
#: (or like nothing): each holds a character nobody can see or that changes
#: how the text around it is laid out.
INVISIBLE = {
    "zero-width space": "gre\u200bmlin",
    "zero-width joiner": "gre\u200dmlin",
    "word joiner": "gre\u2060mlin",
    "soft hyphen": "gre\u00admlin",
    "right-to-left override": "lamp\u202e",
    "right-to-left isolate": "\u2067lamp",
    "left-to-right mark": "lamp\u200e",
    "Hangul filler (a letter nobody sees)": "\u3164lamp",
    "half-width Hangul filler": "\uffa0lamp",
    "braille blank": "\u2800lamp",
    "combining grapheme joiner": "la\u034fmp",
    "variation selector on a letter": "la\ufe00mp",
    "mark on nothing": "\u0301lamp",
    "stacked marks": "la" + "\u0301" * 5 + "mp",
    "private use": "lamp\ue000",
    "unassigned": "lamp\U000e0080",
    "tag characters": "lamp\U000e0041",
}

SCRIPTED = """
def verb_rename(actor, dobj, prep, iobj, dobjstr, iobjstr):
    try:
        this.rename(iobjstr)
        actor.tell("renamed")
    except Exception as err:
        actor.tell(str(err))

def verb_spawn(actor, dobj, prep, iobj, dobjstr, iobjstr):
    try:
        this.create("thing", iobjstr)
        actor.tell("spawned")
    except Exception as err:
        actor.tell(str(err))

def verb_nick(actor, dobj, prep, iobj, dobjstr, iobjstr):
    try:
        this.set_aliases([iobjstr])
        actor.tell("nicked")
    except Exception as err:
        actor.tell(str(err))
"""


class InvisibleNameTests(TestCase):
    """
    Names are an allowlist of visible characters (letters with at most two
    marks each, digits, punctuation, symbols, single spaces), checked on
    their NFKC form, for builders' commands and scripts alike.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def names(self) -> set[str]:
        with self.s.world.store.turn() as turn:
            return {obj.name for obj in turn.root.all()} | {
                alias for obj in turn.root.all() for alias in obj.aliases}

    def test_building_commands_refuse_invisible_characters(self) -> None:
        """
        @create, @name, @alias, @dig (rooms and exits) and @open refuse every name holding a
        character nobody sees; nothing is made or renamed.
        """
        bob = self.s.bob
        bob.send("@create stone")
        before = self.names()
        for why, name in INVISIBLE.items():
            for line in (f"@create {name}", f"@name stone = {name}",
                         f"@alias stone = {name}", f"@dig {name}", f"@open {name} to #1",
                         f"@dig {name}/up to Cellar"):
                self.s.world.clock.advance(1)  # within the command rate
                said = " ".join(bob.send(line).split())
                self.assertIn("cannot be seen", said, f"{why}: {line!r}")
        self.assertEqual(self.names(), before)

    def test_scripts_cannot_take_invisible_names(self) -> None:
        """
        rename, create and set_aliases never leave an invisible character in
        a name (scripts' text loses control and format characters first, and
        what is left is checked as builders' names are).
        """
        make(self.s.bob, "imp", SCRIPTED)
        self.s.read()
        imp = self.s.thing("imp").id
        unseen = {ch for name in INVISIBLE.values() for ch in name if not ch.isascii()}
        unseen.discard("\u0301")
        tried = 0
        for name in INVISIBLE.values():
            for verb in ("rename", "spawn", "nick"):
                self.s.world.clock.advance(1)  # within the command rate
                said = self.s.bob.send(f"{verb} imp to {name}")
                tried += "[Bob's imp]" in said
                for made in self.names():
                    self.assertEqual(set(made) & unseen, set(), repr(made))
                    self.assertNotIn("\u0301" * 3, made)
                with self.s.world.store.turn() as turn:  # the imp answers to its name again
                    found = turn.root.get(imp)
                    old = found.given_names()
                    found.name, found.aliases = "imp", ()
                    turn.root.renamed(found, old)  # (the indexes of names)
        self.assertEqual(tried, 3 * len(INVISIBLE))

    def test_names_are_stored_in_their_plain_form(self) -> None:
        """
        Full-width letters, ligatures and odd spaces are stored as what they
        look like, so they match and compare as that: "ｌａｍｐ" is a lamp.
        """
        bob = self.s.bob
        self.assertIn("You create lamp", bob.send("@create \uff4c\uff41\uff4d\uff50"))
        self.assertIn("You create fish box", bob.send("@create \ufb01sh\u3000box"))
        self.assertIn("You drop the lamp", bob.send("drop lamp"))

    def test_plain_form_obeys_the_naming_rules(self) -> None:
        """
        A name whose plain form would start with # (naming things by
        number) or hold = is refused, as the plain name is.
        """
        bob = self.s.bob
        for name in ("\uff031", "a\uff1db", "\ufe5f2"):
            said = " ".join(bob.send(f"@create {name}").split())
            self.assertNotIn("You create", said, name)
        self.assertIn("may not start with # or contain =", " ".join(
            bob.send("@create a\uff1db").split()))

    def test_visible_names_still_work(self) -> None:
        """
        Accents, other alphabets, Thai and Devanagari marks, symbols and
        punctuation are all names.
        """
        bob = self.s.bob
        for name in ("Zoë's café", "чайник", "ร้านค้า", "क्षेत्र", "箱", "star ★",
                     "cup (chipped)", "lamp #2", "Ệ-lamp"):
            self.assertIn("You create", bob.send(f"@create {name}"), name)


class ShownNameTests(TestCase):
    """
    A name is checked as players read it: colour markup taken out, and
    starting with a letter or a digit (never a bracket, which would read as
    a script's mark).
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_markup_cannot_hide_a_players_name(self) -> None:
        """
        |nAlice, Al|nice and |rAl|nice read "Alice": refused, by building
        commands and scripts; a room cannot read "Carol waves hello".
        """
        bob = self.s.bob
        bob.send("@create stone")
        make(bob, "imp", SCRIPTED)
        for name in ("|nAlice", "Al|nice", "|rAl|nice|n", "|[100Carol"):
            for line in (f"@create {name}", f"@name stone = {name}", f"@alias stone = {name}",
                         f"rename imp to {name}", f"spawn imp to {name}"):
                self.s.world.clock.advance(1)  # within the command rate
                said = " ".join(bob.send(line).split())
                self.assertIn("character's name", said, line)
        self.s.world.clock.advance(1)
        said = " ".join(bob.send("@dig |nCarol waves hello").split())
        self.assertIn("starts with a character's name", said)
        self.assertEqual({self.s.thing("stone").name, self.s.thing("imp").name},
                         {"stone", "imp"})

    def test_new_account_cannot_take_a_coloured_things_name(self) -> None:
        """
        A thing called |rDave|n reads "Dave": Dave cannot be created after
        it, as after a thing called Dave.
        """
        self.s.bob.send("@create |rDave|n")
        said = " ".join(self.s.world.connect().send("create Dave correct horse").split())
        self.assertIn("already called", said)

    def test_names_start_with_a_letter_or_digit(self) -> None:
        """
        Brackets of every kind (and other punctuation) cannot start a name,
        markup or not: a room titled 【Carol's imp】 would read as her
        script's line.
        """
        bob = self.s.bob
        for name in ("\u3010Carol's imp\u3011 waves", "\u27e6Carol's imp\u27e7 imp",
                     "(Carol's imp) imp", "|[Carol's imp] imp", "||[Carol's imp]",
                     "|r[Carol's imp]", "\u00abimp\u00bb", "'imp", "* imp", "-> imp"):
            self.s.world.clock.advance(1)
            said = " ".join(bob.send(f"@create {name}").split())
            self.assertIn("start with a letter or a digit", said, name)
        for name in ("2 cups", "|rred|n door", "Élan"):
            self.s.world.clock.advance(1)
            self.assertIn("You create", bob.send(f"@create {name}"), name)
