"""
Tests for L{world.phrases}: the articles the game puts before names.
"""

from twisted.trial.unittest import TestCase

from world.phrases import a, the


class ArticleTests(TestCase):
    """
    L{a} puts an indefinite article only before names that lack one.
    """

    def test_plain(self) -> None:
        """
        A common name gets "a", or "an" before a vowel.
        """
        self.assertEqual(a("lamp"), "a lamp")
        self.assertEqual(a("apple"), "an apple")

    def test_digit(self) -> None:
        """
        A name starting with a digit already says how many: no article, so
        a player carries "2 coins", not "a 2 coins".
        """
        self.assertEqual(a("2 coins"), "2 coins")
        self.assertEqual(a("12th key"), "12th key")

    def test_count_word(self) -> None:
        """
        A name starting with a count word gets no article either.
        """
        self.assertEqual(a("two coins"), "two coins")
        self.assertEqual(a("several pebbles"), "several pebbles")
        # A word that only begins like a count is an ordinary name.
        self.assertEqual(a("onion"), "an onion")
        self.assertEqual(a("tenor horn"), "a tenor horn")

    def test_article(self) -> None:
        """
        A name that has an article, or is a proper name, is left alone.
        """
        self.assertEqual(a("the Crown"), "the Crown")
        self.assertEqual(a("some bread"), "some bread")
        self.assertEqual(a("Bob"), "Bob")
        self.assertEqual(the("lamp"), "the lamp")
