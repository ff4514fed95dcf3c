"""
Tests for L{world.matching}: names, aliases, prefixes and ordinals.
"""

from __future__ import annotations

from twisted.trial import unittest

from world.errors import Ambiguous, NoMatch
from world.matching import candidates, match
from world.objects import Container, Room, Thing
from world.root import WorldRoot


class MatchTests(unittest.TestCase):
    """
    L{match} finds what players mean, or says why it cannot.
    """

    def setUp(self) -> None:
        root = WorldRoot()
        self.room = root.create(Room, "hall")
        self.lantern = root.create(Thing, "brass lantern", aliases=("lamp",),
                                   location=self.room)
        self.lamp_post = root.create(Thing, "lamp post", location=self.room)
        self.coins = [root.create(Thing, "old coin", aliases=("coin",), location=self.room)
                      for _ in range(3)]
        self.shilling = root.create(Thing, "silver shilling", aliases=("coin",),
                                    location=self.room)
        self.bag = root.create(Container, "canvas bag", location=self.room)
        self.bar = root.create(Thing, "bar", location=self.room)
        self.barrel = root.create(Thing, "barrel", location=self.room)
        self.here = list(self.room.contents)

    def test_lookalike_last(self) -> None:
        """
        A name typed without its accents, or in look-alike letters, finds
        the thing when nothing answers otherwise: 'cafe' finds the café, and
        'Zoe' the character Zoë.
        """
        root = WorldRoot()
        room = root.create(Room, "hall")
        cafe = root.create(Thing, "caf\u00e9 sign", location=room)
        cab = root.create(Thing, "cab", location=room)
        self.assertIs(match("cafe sign", [cafe, cab]), cafe)
        self.assertIs(match("caf", [cafe, cab]), cafe)  # prefixes as before
        self.assertRaises(NoMatch, match, "cafes", [cafe, cab])

    def test_exact_name(self) -> None:
        """
        The whole name matches, ignoring case and surrounding space.
        """
        self.assertIs(match("  Canvas BAG ", self.here), self.bag)

    def test_exact_beats_prefix(self) -> None:
        """
        An exact name wins over names it is a prefix of: "bar" is the bar,
        not the barrel.
        """
        self.assertIs(match("bar", self.here), self.bar)
        self.assertIs(match("barr", self.here), self.barrel)

    def test_alias_exact(self) -> None:
        """
        An exact alias beats a prefix of another name: "lamp" is the lantern
        (alias), not the lamp post (prefix).
        """
        self.assertIs(match("lamp", self.here), self.lantern)

    def test_word_prefix(self) -> None:
        """
        A prefix of any word of a name matches: "lan" finds the brass lantern,
        "can" the canvas bag.
        """
        self.assertIs(match("lan", self.here), self.lantern)
        self.assertIs(match("can", self.here), self.bag)

    def test_ordinal(self) -> None:
        """
        "2.coin" is the second thing answering to coin, in listed order.
        """
        self.assertIs(match("2.coin", self.here), self.coins[1])
        self.assertIs(match("4.coin", self.here), self.shilling)

    def test_ordinal_too_big(self) -> None:
        """
        An ordinal beyond the matches says how many there are.
        """
        e = self.assertRaises(NoMatch, match, "9.coin", self.here, what="here")
        self.assertEqual(str(e), "There are only 4 of 'coin' here.")

    def test_ordinal_zero(self) -> None:
        """
        "0.coin" is refused with how to count.
        """
        e = self.assertRaises(NoMatch, match, "0.coin", self.here)
        self.assertEqual(str(e), "Counting starts at 1: say 1.coin for the first.")

    def test_ambiguous(self) -> None:
        """
        Different objects answering to one name raise L{Ambiguous}, naming
        them and how to choose.
        """
        e = self.assertRaises(Ambiguous, match, "coin", self.here)
        self.assertEqual(
            str(e),
            "Which 'coin' do you mean? 1.coin is old coin; 2.coin is old coin; 3.coin is "
            "old coin; 4.coin is silver shilling.",
        )
        self.assertEqual(e.candidates, [*self.coins, self.shilling])

    def test_different_owners_are_not_interchangeable(self) -> None:
        """
        Alike coins of different owners are asked about, saying whose each
        is; alike coins of one owner are not.
        """
        self.coins[1].owner = 7
        e = self.assertRaises(Ambiguous, match, "old coin", self.here,
                              whose=lambda owner: "Bob's" if owner == 7 else "the world's")
        self.assertEqual(
            str(e),
            "Which 'old coin' do you mean? 1.old coin is old coin (the world's); "
            "2.old coin is old coin (Bob's); 3.old coin is old coin (the world's).",
        )
        self.assertIs(match("2.old coin", self.here), self.coins[1])
        self.coins[0].owner = self.coins[2].owner = 7
        self.assertIs(match("old coin", self.here), self.coins[0])

    def test_identical_are_interchangeable(self) -> None:
        """
        Several identical objects are not ambiguous: the first is taken.
        """
        self.assertIs(match("old coin", self.here), self.coins[0])

    def test_no_match(self) -> None:
        """
        Nothing matching raises L{NoMatch} naming what was looked for.
        """
        e = self.assertRaises(NoMatch, match, "sword", self.here, what="here")
        self.assertEqual(str(e), "You don't see 'sword' here.")

    def test_empty_query(self) -> None:
        """
        An empty query matches nothing.
        """
        self.assertEqual(candidates("   ", self.here), [])
        self.assertRaises(NoMatch, match, "", self.here)
