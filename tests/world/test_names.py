"""
Tests for L{world.names}: names compared by confusables skeleton, names
that embed speech or marks, and accounts and things refused each other's
names by the same comparison.
"""

from __future__ import annotations

import unicodedata

from twisted.trial import unittest

from engine.accounts import Account
from engine.testing import upgraded
from world import confusables, names
from world.errors import WorldError
from world.objects import Character, Room, Thing
from world.root import WorldRoot

#: Each pair looks alike on a screen.
ALIKE = [
    ("Alice", "alice"), ("Alice", "ALICE"), ("Alice", "\u0410lice"),  # Cyrillic A
    ("Alice", "AIice"), ("Alice", "A1ice"), ("Alice", "\uff21\uff4c\uff49\uff43\uff45"),
    ("Alice", "A\u200blice"), ("Alice", "A.lice"), ("Mary", "Rnary"), ("Bob", "B0b"),
    ("Ann-Marie", "AnnMarie"),
]
#: Each pair does not.
UNLIKE = [("Alice", "Alicia"), ("Bob", "Rob"), ("Ann", "Anne"), ("Carol", "Coral")]


class KeysTests(unittest.TestCase):
    def test_alike(self) -> None:
        """
        Case, look-alike letters of other scripts, full width, invisible
        characters and punctuation between letters do not make a new name.
        """
        for a, b in ALIKE:
            self.assertTrue(names.keys(a) & names.keys(b), (a, b))

    def test_unlike(self) -> None:
        """Names that differ on a screen keep different keys."""
        for a, b in UNLIKE:
            self.assertFalse(names.keys(a) & names.keys(b), (a, b))


class SkeletonTests(unittest.TestCase):
    def test_skeletons(self) -> None:
        """The table gives UTS #39 skeletons: look-alike letters, ignorables dropped."""
        self.assertEqual(confusables.skeleton("\u0410lice"), "Alice")
        self.assertEqual(confusables.skeleton("AIice"), "Alice")
        self.assertEqual(confusables.skeleton("A\u200blice"), "Alice")
        self.assertEqual(confusables.skeleton("m"), "rn")
        self.assertEqual(confusables.skeleton("Zo\u00eb"), "Zoe\u0308")
        self.assertEqual(confusables.skeleton("p1ain"), "plain")

    def test_table_is_current(self) -> None:
        """
        The table knows every character this Python does: when a Python
        with a newer Unicode is supported, C{make confusables} is due.
        """
        def version(text: str) -> tuple[int, ...]:
            return tuple(int(part) for part in text.split("."))[:2]

        self.assertGreaterEqual(version(confusables.unicode_version()),
                                version(unicodedata.unidata_version))


class CharacterNameTests(unittest.TestCase):
    def test_letters_of_one_alphabet(self) -> None:
        """Accented letters, and letters of any one left-to-right alphabet, make names."""
        for name, shown in (("zoë", "Zoë"), ("Zoe\u0308", "Zoë"), ("o'neil", "O'neil"),
                            ("Nguy\u1ec5n", "Nguy\u1ec5n"), ("\u0430\u043d\u043d\u0430",
                                                            "\u0410\u043d\u043d\u0430"),
                            ("\u5c71\u7530\u3055\u3093", "\u5c71\u7530\u3055\u3093")):
            self.assertEqual(names.check_character_name(name), shown, name)

    def test_refused(self) -> None:
        """Mixed alphabets, styled forms, right-to-left letters, stray marks and symbols."""
        for bad in ("\u0410lice", "\uff21lice", "\U0001d400lice", "\u05d3\u05e0\u05d4",
                    "Al\u200bice", "\u0301Al", "Ali\u0301\u0301\u0301\u0301", "Al1ce", "A--b",
                    "Ann-", "Al\u02bcice", "Al ice"):
            self.assertRaises(WorldError, names.check_character_name, bad)


class World:
    def __init__(self) -> None:
        self.root = root = WorldRoot()
        self.hall = root.create(Room, "hall")
        root.accounts["alice"] = type("A", (), {"name": "Alice"})()
        names.register_character(root, "Alice")
        self.ghost = root.create(Thing, "Biscuit", location=self.hall, aliases=("dog",))


class ThingNameTests(unittest.TestCase):
    def test_character_lookalikes_refused(self) -> None:
        """A thing cannot take a name that looks like a character's."""
        w = World()
        for _, lookalike in ALIKE[:8]:
            self.assertRaises(WorldError, names.check_thing_name, w.root, lookalike)
        self.assertEqual(names.check_thing_name(w.root, "Alicia"), "Alicia")

    def test_speech_refused(self) -> None:
        """Quotation marks and a speech verb before a comma are refused; plain words are not."""
        w = World()
        for name in ('lamp "hi"', "lamp \u201chi\u201d", "Bob says, hi", "Bob SAYS: hi",
                     "bell whispers to you, psst", "lamp \uff02hi\uff02"):
            self.assertRaises(WorldError, names.check_thing_name, w.root, name)
        for name in ("ship's bell", "sayings book", "pages of a book", "rock 'n' roll"):
            self.assertEqual(names.check_thing_name(w.root, name), name)

    def test_leading_character_name_refused(self) -> None:
        """
        A name that starts with a character's name as a word would start a
        line as that player ("Alice waves.", "Alice pages: hi"); a possessive
        is a thing's name.
        """
        w = World()
        for name in ("Alice waves", "AIice pages: come", "alice, hi", "Alice"):
            self.assertRaises(WorldError, names.check_thing_name, w.root, name)
        for name in ("Alice's lamp", "Alicia waves", "the Alice"):
            self.assertEqual(names.check_thing_name(w.root, name), name)

    def test_marks_refused(self) -> None:
        """No name starts with the bracket that marks script text, in any form."""
        w = World()
        for name in ("[Bob's gremlin] x", " [pub] x", "\uff3bgremlin"):
            self.assertRaises(WorldError, names.check_thing_name, w.root, name)
        self.assertEqual(names.check_thing_name(w.root, "gremlin [broken]"), "gremlin [broken]")


class AccountNameTests(unittest.TestCase):
    def test_lookalike_of_a_character(self) -> None:
        """A new account cannot look like an existing character's name."""
        w = World()
        self.assertIn("looks too much like Alice", names.account_refusal(w.root, "AIice"))
        self.assertIn("already a character called Alice",
                      names.account_refusal(w.root, "alice"))

    def test_name_of_a_thing(self) -> None:
        """
        A new account may not take a thing's name or alias (or a look-alike),
        as a thing may not take a character's.
        """
        w = World()
        for name in ("Biscuit", "Biscu\u0456t", "Dog"):
            self.assertIn("already called", names.account_refusal(w.root, name), name)
        w.root.create(Room, "Dave waves hello")
        self.assertIn("would read as Dave doing something", names.account_refusal(w.root, "Dave"))
        w.root.create(Room, "Erin's Rest")
        self.assertIsNone(names.account_refusal(w.root, "Erin"))
        self.assertIsNone(names.account_refusal(w.root, "Carol"))

    def test_index_rebuilt_when_its_keys_change(self) -> None:
        """
        An index made with other keys (another confusables table, or other
        L{names.keys}) is made again before it is used.
        """
        w = World()
        w.root.character_names_stamp = "0/1.0"
        del w.root.character_names["alice"]
        self.assertTrue(names.is_character_name(w.root, "AIice"))
        self.assertEqual(w.root.character_names_stamp, names._stamp())


class GenerationTests(unittest.TestCase):
    def test_generation_6_indexes_character_names(self) -> None:
        """
        A generation 6 world gets its characters' look-alike index: a thing
        can no longer be named like a character made before the upgrade.
        """
        def build(root: WorldRoot) -> None:
            hall = root.create(Room, "Hall")
            alice = root.create(Character, "Alice", location=hall)
            root.accounts["alice"] = Account("Alice", "x", "player", alice.id, 0.0)
            del root.character_names, root.character_names_stamp
        store = upgraded(self, 6, build)  # this step alone; later ones test themselves
        self.assertEqual(store.generation, 7)
        self.assertEqual(dict(store.root.character_names), {"alice": "alice"})
        with store.turn() as turn:
            self.assertRaises(WorldError, names.check_thing_name, turn.root, "AIice")
