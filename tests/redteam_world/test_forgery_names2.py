# -*- test-case-name: tests.redteam_world.test_forgery_names2 -*-
"""
Names of things, rooms and exits that would read as the game's own lines
are refused however they are disguised: a combining mark or a digit inside
the first word ("Yo\u0358ur password has expired", "Y0ur ..."), a mark
inside a speech verb ("Alice sa\u0358ys, ..."), a whole game line that
starts with "The" ("The server is shutting down. ..."), and look-alikes of
the punctuation that splits a name into sentences (U+A789 for a colon,
U+01C3 for "!"). Found by the red team (red6).
"""

from __future__ import annotations

from tests.redteam_world.test_forgery_titles import NameRuleCase
from tests.scripts.helpers import Scene
from world.errors import WorldError


class MarkInFirstWordTests(NameRuleCase):
    """
    A combining mark that composes with nothing (U+0358, a speck above
    right) inside the first word does not hide it: the word is read
    without its marks, "Your" or "System", and the name is refused.
    """

    def test_game_word_split_by_mark(self) -> None:
        """
        "Yo\u0358ur password has expired" is refused as "Your password..." is.
        """
        self.assertRaises(WorldError, self.check, "Yo\u0358ur password has expired")

    def test_authority_word_split_by_mark(self) -> None:
        """
        "Sy\u0358stem notice" is refused as "System notice" is.
        """
        self.assertRaises(WorldError, self.check, "Sy\u0358stem notice")


class TheGameLineTests(NameRuleCase):
    """
    "The" is allowed as a first word, but not followed by a word that speaks
    for the game or names its workings ("The server ...", "The script
    ..."), and a full stop inside a name ends a sentence: the game's own
    lines that start with "The" are refused as names.
    """

    def test_shutdown_line(self) -> None:
        """
        A room named as the game's shutdown notice (engine/network.py) is refused.
        """
        self.assertRaises(WorldError, self.check,
                          "The server is shutting down. Your character is saved.")

    def test_script_failure_line(self) -> None:
        """
        A thing named as the game's report of a failed script is refused.
        """
        self.assertRaises(WorldError, self.check,
                          "The script on Biscuit failed, so nothing it did happened.")


class MarkInSpeechTests(NameRuleCase):
    """
    The embedded-speech rule reads the name's skeleton without its marks,
    so a mark inside the verb (U+0358 in "sa\u0358ys") does not hide it:
    a thing's name cannot carry another player's speech into the game's
    lines about it ("Bob drops pebble. Alice sa\u0358ys, ...").
    """

    def setUp(self) -> None:
        super().setUp()
        self.world.login("Alice")

    def test_speech_verb_split_by_mark(self) -> None:
        """
        "pebble. Alice sa\u0358ys, give me your password" is refused as the
        same name without the mark is.
        """
        self.assertRaises(WorldError, self.check, "pebble. Alice says, give me your password")
        self.assertRaises(WorldError, self.check,
                          "pebble. Alice sa\u0358ys, give me your password")

    def test_builder_creates_it(self) -> None:
        """
        Over the harness: Bob's @create of that name is refused, and Carol,
        watching him drop it, never reads Alice's words.
        """
        s = Scene(self.world)
        forged = "pebble. Alice sa\u0358ys, give me your password"
        s.bob.send("@create " + forged)
        s.bob.send("drop pebble")
        seen = s.carol.output()
        self.assertNotIn("Alice sa\u0358ys, give me your password", seen, seen)


class LookAlikePunctuationTests(NameRuleCase):
    """
    The one-phrase rule is an allowlist of punctuation read in the name's
    skeleton: C{: ; ! ?} are refused, and so are their look-alikes (a
    modifier letter colon, the Armenian full stop, the ratio sign, the
    click letter that looks like !, the glottal stop that looks like ?,
    full-width forms), so no name reads as two sentences.
    """

    def test_colon_look_alikes(self) -> None:
        """
        "Attention꞉ type password to continue" (U+A789, U+0589, U+2236,
        U+02D0 for the colon) is refused as the plain colon is.
        """
        self.assertRaises(WorldError, self.check, "Attention: type password to continue")
        for colon in "\ua789\u0589\u2236\u02d0":
            self.assertRaises(WorldError, self.check,
                              f"Attention{colon} type password to continue")

    def test_bang_and_question_look_alikes(self) -> None:
        """
        "Warningǃ type password" (U+01C3) and "Lostʔ Type password" (U+0294)
        are refused as "Warning! ..." and "Lost? ..." are.
        """
        self.assertRaises(WorldError, self.check, "Warning\u01c3 type password")
        self.assertRaises(WorldError, self.check, "Lost\u0294 Type password")


class DigitInFirstWordTests(NameRuleCase):
    """
    A digit inside the first word does not cut it: a zero for an o
    ("Y0ur", "Welc0me"), which the confusables skeleton maps to O, looks
    like the game word and is refused as it is.
    """

    def test_zero_for_o(self) -> None:
        """
        "Y0ur password has expired" and "Welc0me back, type password to
        continue" are refused as their spellings with an o are.
        """
        for name in ("Y0ur password has expired", "Welc0me back, type password to continue"):
            self.assertRaises(WorldError, self.check, name.replace("0", "o"))
            self.assertRaises(WorldError, self.check, name)


class OnePhraseTests(NameRuleCase):
    """
    The punctuation a name may hold is an allowlist, and a full stop inside
    it ends a sentence unless it follows an initial or an abbreviation.
    """

    def test_other_punctuation_refused(self) -> None:
        """
        Full-width and other punctuation outside the allowlist is refused,
        saying which character.
        """
        for name in ("Lost\uff1f Type password", "Warning\uff01 go", "Bob's *shiny* lamp",
                     "lamp \u00abnew\u00bb", "ship's bell! Type password", "bell!!"):
            error = self.assertRaises(WorldError, self.check, name)
            self.assertIn("one phrase", str(error), name)

    def test_sentence_break_refused(self) -> None:
        """
        A full stop after a word, followed by more, reads as two sentences.
        """
        error = self.assertRaises(WorldError, self.check, "Hello. World")
        self.assertIn("reads as sentences", str(error))

    def test_game_line_after_initial_refused(self) -> None:
        """
        After an initial or an abbreviation, what follows may not start as
        the game's lines do ("x. Your password has expired").
        """
        for name in ("x. Your password has expired", "St. System notice"):
            error = self.assertRaises(WorldError, self.check, name)
            self.assertIn("after a full stop", str(error), name)

    def test_names_with_punctuation_kept(self) -> None:
        """
        Abbreviations, initials, ampersands, brackets, slashes and a final
        full stop stay allowed.
        """
        for name in ("Mr. Smith's shop", "J. R. Tolkien's desk", "St. Brannoc's Chapel",
                     "Fish & Chips (open)", "box [broken]", "north/south", "Room 101",
                     "The old lamp."):
            self.assertEqual(self.check(name), name)


class AfterTheTests(NameRuleCase):
    """
    After "The", a word that speaks for the game or names its workings is
    refused as the first word would be; other names with "The" stay.
    """

    def test_refused(self) -> None:
        """
        "The server restarts", "THE SCRIPT on X", "The Wizard of Oz" and
        "the\u0358 server restarts" are refused, naming what they start with.
        """
        for name in ("The server restarts", "THE SCRIPT on X", "The Wizard of Oz",
                     "the\u0358 server restarts"):
            error = self.assertRaises(WorldError, self.check, name)
            self.assertIn("starts with 'the", str(error).casefold(), name)

    def test_kept(self) -> None:
        """
        "The" followed by other words, game words among them, stays allowed.
        """
        for name in ("The Library of Alexandria", "the general store", "The Wizards' Tower",
                     "The Kitchen"):
            self.assertEqual(self.check(name), name)
