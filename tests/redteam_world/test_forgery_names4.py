# -*- test-case-name: tests.redteam_world.test_forgery_names4 -*-
"""
A name is not the game's notice: no countdown ("Restarting in 5
minutes"), no "Rebooting now", no character's coming or going ("Bob left
the game", "Alice joined"), though "Haunted House", "Left boot" and
"Niagara Falls" are names. The words of a login have one home
(L{world.words}), read by the rules of names and by script verbs alike.
A wizard lists the stored names the rules now refuse with C{@badnames}, a
page at a time.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.commands import admin
from engine.scripts import verbs
from engine.testing import TestWorld
from tests.redteam_world.test_forgery_titles import ListedNameTests, NameRuleCase
from world import names, words
from world.errors import WorldError
from world.objects import Room, Thing

#: Names that read as the game's notices, or other games' ones.
REFUSED = (
    # Countdowns, wherever they stand:
    "Restarting in 5 minutes", "Reboot in 5 minutes", "Maintenance in 10 minutes",
    "Back in a few minutes", "Reboot in 5m", "Update within 10 mins", "Back in a moment",
    "Shutdown in one hour", "Restart in 3O seconds", "Closing in 2 hrs", "Reboot in l5 min",
    # A verb's form in -ing or -ed followed by when, or by a particle ending it:
    "Shutting down now", "Rebooting now", "Restarting soon", "Going down", "Coming back",
    "Crashed again", "Closing shortly",
    # A character's coming or going:
    "Bob left the game", "Alice has connected", "Alice joined", "Bob quit",
    "Bob entered the game", "Dave appears, new to this world", "Carol wakes up",
    "Eve falls asleep", "Fred goes home", "Bob arrives", "Mallory disconnected",
    "Trent exited the server", "Bob arrived here",
    # Speaking for the game:
    "Server going down",
    # Words of a login, from their one home:
    "Enter pwd", "PW", "Newpassword", "Your pw",
)

#: Names builders write, which stay names.
KEPT = (
    "Haunted House", "Writing desk", "Left boot", "The game room", "Reading room",
    "Dining hall in the east wing", "Around the World in 80 Days", "Niagara Falls",
    "Autumn leaves", "Emergency exits", "Bottle returns", "Closing down sale",
    "Going-away party", "Dearly departed", "Rules of the game", "Tea leaves", "Fallen leaves",
    "Sleeping Beauty's bed", "Returned goods shelf", "Inn in the woods", "Inn 5m north",
    "Haunted house in a valley", "Pass in the mountains", "The departed", "Minute hand",
    "Cash register", "Smith & Co.", "Sign-up sheet", "P. W. Botha's desk", "Con artist's den",
    "Five minute walk", "Lost in the moment", "Room 101",
)


class NoticeTests(ListedNameTests, NameRuleCase):
    """
    L{names.check_thing_name} refuses names that read as the game's
    notices and keeps the names builders write.
    """

    refused_names = REFUSED
    kept_names = KEPT

    def test_refusal_says_why(self) -> None:
        """
        A refusal quotes the builder's words that make the notice.
        """
        for name, why in (("Restarting in 5 minutes", "'in 5 minutes'"),
                          ("Bob left the game", "'Bob left the game'"),
                          ("Rebooting now", "'Rebooting now'")):
            error = self.assertRaises(WorldError, self.check, name)
            self.assertIn(why, str(error), name)
            self.assertIn("the game's notice", str(error), name)


class CharacterFirstWordTests(TestCase):
    """
    A name whose first word is a character's (or looks like one) is
    refused whatever follows it, so "Bob left" and "Alice says" cannot
    speak as them; their possessive is a name.
    """

    def test_character_first(self) -> None:
        world = TestWorld()
        self.addCleanup(world.close)
        world.login("Alice")
        world.login("Bob")
        with world.store.turn() as turn:
            for name in ("Bob left", "Alice says", "B0b waves", "|rAlice|n smiles",
                         "Bob, left", "\uff22ob sits down"):
                self.assertRaises(WorldError, names.check_thing_name, turn.root, name)
            for name in ("Alice's lamp", "Bobcat den", "Lamp of Alice"):
                self.assertEqual(names.check_thing_name(turn.root, name), name)


class LoginWordHomeTests(NameRuleCase):
    """
    The words of a login live in L{world.words}: the names of things hold
    none of them, and no script verb is one of them or of the login
    screens' commands.
    """

    #: The words script verbs refused before the tables had one home.
    BEFORE = ("connect", "con", "co", "conn", "create", "cr", "login", "logon", "logout",
              "signin", "signon", "signup", "register", "passwd", "password", "pw", "pwd",
              "newpassword", "passphrase")

    def test_verbs_refuse_what_they_did(self) -> None:
        """
        Every word script verbs refused before is refused still, and their
        typos too.
        """
        self.assertEqual([w for w in self.BEFORE if not verbs.is_login_word(w)], [])
        for typo in ("conect", "pasword", "pasphrase", "newpasword"):
            self.assertTrue(verbs.is_login_word(typo), typo)

    def test_verbs_refuse_every_login_word(self) -> None:
        """
        A word about a login that no name may hold is no script verb either.
        """
        self.assertEqual(
            [w for w in words.LOGIN_WORDS | words.LOGIN_COMMANDS if not verbs.is_login_word(w)],
            [])

    def test_names_refuse_every_login_word(self) -> None:
        """
        Every word of L{words.LOGIN_WORDS} is refused in a name, wherever it
        stands; the commands of login screens are nouns too, and kept.
        """
        self.assertEqual(self.kept(name for word in sorted(words.LOGIN_WORDS)
                                   for name in (word, f"Old {word}", f"{word.capitalize()} box")),
                         [])
        self.assertEqual(self.check("Cash register"), "Cash register")

    def test_one_table(self) -> None:
        """
        The rules of names read the table of L{world.words}: there is no copy.
        """
        self.assertIs(names.LOGIN_WORDS, words.LOGIN_WORDS)
        self.assertEqual(verbs.LOGIN_WORDS, words.LOGIN_WORDS | words.LOGIN_COMMANDS)


class BadNamesCommandTests(TestCase):
    """
    C{@badnames} lists the stored names the rules now refuse, for wizards,
    a page at a time, and renames nothing.
    """

    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)
        self.wizard = self.world.login("Wiz")
        self.alice = self.world.login("Alice")
        self.wizard.output()
        self.alice.output()

    def store(self, *given: str) -> list[int]:
        """
        Store things called C{given} as an older world would hold them,
        past the rules, and their ids.
        """
        with self.world.store.turn() as turn:
            hall = turn.root.create(Room, "Hall")
            return [turn.root.create(Thing, name, location=hall).id for name in given]

    def test_lists_and_renames_nothing(self) -> None:
        forged, _, notice = self.store("Enter your password", "lamp",
                                       "|rRestarting in 5 minutes")
        said = self.wizard.send("@badnames")
        self.assertIn(f"#{forged} is called 'Enter your password'", said)
        self.assertIn(f"#{notice} is called '|rRestarting in 5 minutes'", said)
        self.assertIn("the game's notice", said)
        self.assertNotIn("lamp", said)
        self.assertNotIn("More may follow", said)
        with self.world.store.turn() as turn:
            self.assertEqual(turn.root.objects[forged].name, "Enter your password")

    def test_none(self) -> None:
        self.store("lamp")
        self.assertIn("No stored name is refused.", self.wizard.send("@badnames"))

    def test_wizards_only(self) -> None:
        self.store("Enter your password")
        said = self.alice.send("@badnames")
        self.assertNotIn("Enter your password", said)

    def test_pages(self) -> None:
        """
        A page shows at most L{admin.BADNAMES_SHOWN} names and says where to
        go on; going on from there shows the rest, each name once.
        """
        ids = self.store(*(f"Session {n}" for n in range(admin.BADNAMES_SHOWN + 5)))
        first = self.wizard.send("@badnames")
        self.assertEqual(first.count(" is called "), admin.BADNAMES_SHOWN)
        self.assertIn(f"type '@badnames #{ids[admin.BADNAMES_SHOWN]}'", first)
        rest = self.wizard.send(f"@badnames #{ids[admin.BADNAMES_SHOWN]}")
        self.assertEqual(rest.count(" is called "), 5)
        self.assertIn(f"#{ids[-1]} is called 'Session {len(ids) - 1}'", rest)
        self.assertNotIn("More may follow", rest)

    def test_reads_a_bounded_page(self) -> None:
        """
        A page reads at most L{admin.BADNAMES_READ} objects, whatever it
        finds, and says where to go on.
        """
        self.patch(admin, "BADNAMES_READ", 3)
        self.store("lamp", "lantern", "box", "Session over")
        said = self.wizard.send("@badnames")
        self.assertNotIn("Session over", said)
        self.assertIn("More may follow: type '@badnames #", said)

    def test_bad_argument(self) -> None:
        said = self.wizard.send("@badnames lamp")
        self.assertIn("Type '@badnames' or '@badnames #<number>'", said)
