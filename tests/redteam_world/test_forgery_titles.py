"""
Names builders give rooms, things and exits, and the messages they set on
them, cannot read as the game's own lines: a room called "Your password has
expired. Type 'password' to change it." would be shown alone at the margin
as its title, a thing's name starts the game's lines about it ("The lamp
won't budge."), and an exit's C{locked_message} is what a walker is told.

The rule, the same as for characters' names: a name does not start with a
word the game starts its lines with (nor with a word that speaks for the
game: C{System}, C{Server}, C{Wizard}), and it is one phrase, not
sentences (no C{:}, C{;}, C{!} or C{?} inside it). A builder's message is
shown after the name of what it is about (C{The gate: ...}): the name
passes the rule, so the line cannot start as the game's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from twisted.trial.unittest import TestCase

from engine.testing import TestWorld
from tests.redteam_world.test_forgery_accounts import game_lines, line_starts
from tests.redteam_world.test_forgery_names import SCRIPTED
from tests.scripts.helpers import Scene, make
from world import names
from world.errors import WorldError

#: Names that read as the game's (or a moderator's) lines.
FORGERIES = (
    "Your password has expired. Type 'password' to change it.",
    "your password has expired",
    "Welcome back, type password to continue",
    "Shutting down in 5 minutes",
    "Connected players: 3",
    "System notice",
    "SERVER restarting",
    "Wizard announcement",
    "Sorry, that password is wrong",
    "Type password now",
    "Attention: your account expires",
    "Notice; the server restarts",
    "Warning! Type password",
    "Lost? Type password",
    "Ｙｏｕｒ password has expired",
    "|rYour|n password has expired",
    "The server's shutting down in 5 minutes",
    "System\u2019s shutting down, type password",
    "The script's still running, type password",
    # Invented, in none of the game's lines or the rules' tables:
    "Th3 server is going down", "5erver shutting down", "Sy$tem maintenance tonight",
    "@dm1n notice", "Server room", "The script's failed on your lamp", "The server's been reset",
    "The last 20 lines on public", "Th3 l4st 5 lines on public", "The two passwords match",
    "W3lcome back Alice", "Welcome to Tessera 2", "Shutting the server off", "Saving your work",
    "There are 3 new messages", "There's a parcel for you", "Nothing has changed",
    "Nothing's changed", "Y0u have new mail", "Your account will be deleted", "You're banned",
    "Password will expire soon", "Library is closing now", "Mail has arrived", "Deleted 4 objects",
    "Goodbye, see you soon", "Type password now", "Choose password", "New message from Alice",
    "Still editing the lamp", "Connected to the server", "Nobody can hear that",
    "Something went wrong", "Library won't open today",
)

#: Names a builder writes, which stay allowed.
ORDINARY = (
    "The Kitchen", "the general store", "Library", "Wizards' Tower", "ship's bell",
    "An Attic Room", "Gull Point", "brass lantern", "The Chapel of St Brannoc",
    "Mr. Smith's shop", "north", "iron-bound door", "Biscuit", "notice board",
    "The Smugglers' Passage", "water-stained note", "old coin", "café", "Café Zoë",
    "The wizard's tower", "The Wizard's Library", "System's end", "Server's Rest Inn",
    # Names that start with a game word and carry on as a noun phrase:
    "Welcome mat", "New Street", "ship's bell!", "Welcome Inn", "Library annex", "Top floor",
    "Still Water Pond", "Mail room", "Message board", "Message in a bottle", "Top of the stairs",
    "Library of Alexandria", "Public house", "Shared kitchen", "General store", "Name tag",
    "Line dance hall", "Writing desk", "Looking glass", "Playing cards", "Talking parrot",
    "New building", "Current affairs desk", "Only child's room", "Type-writer",
    "Drop zone", "Note from the captain", "Colour wheel", "Motion sensor", "Deleted scenes reel",
    "The Last Inn", "The Two Towers", "The Wizard's Building", "Editor's desk",
)

class NameRuleCase(TestCase):
    """
    A world, and L{check} to ask it whether a thing may take a name.
    """

    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)

    def check(self, name: str) -> str:
        """
        C{name} as a thing may take it (L{names.check_thing_name}).
        """
        with self.world.store.turn() as turn:
            return names.check_thing_name(turn.root, name)

    def kept(self, candidates: Iterable[str]) -> list[str]:
        """
        The names of C{candidates} that L{check} does not refuse, in order:
        a test of names that must be refused expects none.
        """
        kept = []
        for name in candidates:
            try:
                self.check(name)
            except WorldError:
                continue
            kept.append(name)
        return kept

    def refused(self, candidates: Iterable[str]) -> dict[str, str]:
        """
        Each name of C{candidates} that L{check} refuses, with its refusal: a
        test of names that must be kept expects none. A kept name must come
        back as it was written.
        """
        refused = {}
        for name in candidates:
            try:
                self.assertEqual(self.check(name), name)
            except WorldError as error:
                refused[name] = str(error)
        return refused


class ListedNameTests:
    """
    The tests of a L{NameRuleCase} given its names: each of its
    C{refused_names} is refused, each of its C{kept_names} kept as written.
    """

    refused_names: tuple[str, ...]
    kept_names: tuple[str, ...]

    def test_refused(self: Any) -> None:
        """
        Each name of C{refused_names} is refused.
        """
        self.assertEqual(self.kept(self.refused_names), [])

    def test_kept(self: Any) -> None:
        """
        Each name of C{kept_names} is a name.
        """
        self.assertEqual(self.refused(self.kept_names), {})


class TitleNameTests(NameRuleCase):
    """
    L{names.check_thing_name} refuses names that read as the game's lines
    and keeps the ones builders write.
    """

    def test_forgeries_refused(self) -> None:
        """
        Each forged system line is refused as a name.
        """
        for name in FORGERIES:
            self.assertRaises(WorldError, self.check, name)

    def test_ordinary_names_kept(self) -> None:
        """
        Names of rooms and things as builders write them stay allowed,
        including ones that start with a game word alone (Library) or its
        possessive, and ones that start with "the".
        """
        for name in ORDINARY:
            self.assertEqual(self.check(name), name)

    def test_every_game_line_start_kept_before_a_noun(self) -> None:
        """
        Every word that starts a line of the game's strings (read from its
        sources) starts a name when a noun follows it ("Welcome mat", "New
        Street"), but for the words that speak for the game, to the player
        or of their login ("Wizards lantern", "Your lantern", "Password
        lantern"), which no name starts with; and every one followed by a
        word that carries on a sentence ("Welcome is ...") is refused.
        (Before, every such word followed by more was refused, and builders
        lost "Welcome mat".)
        """
        starts = line_starts()
        self.assertIn("Welcome", starts)
        refused, kept = [], []
        for word in starts:
            try:
                self.check(f"{word} lantern")
            except WorldError:
                refused.append(word)
            if word != "The":
                try:
                    self.check(f"{word} is shut")
                except WorldError:
                    continue
                kept.append(word)
        speaks = {w for w in starts
                  if w.casefold() in names.AUTHORITY | names.READER | names.LOGIN_WORDS}
        self.assertEqual(set(refused), speaks)
        self.assertEqual(kept, [])

    def test_every_game_line_opening_refused(self) -> None:
        """
        Every opening of the game's lines (its first word and the next, or
        the comma after it; read from its sources) is refused as the start
        of a name (L{names.GAME_OPENINGS}, L{names.SENTENCE_WORDS}): this
        fails when a new message starts with a new opening, to be added.
        """
        openings = {found.group(0) for line, _ in game_lines()
                    if (found := _OPENING.match(line)) is not None
                    and not found.group(0).startswith("The ")}
        self.assertIn("Welcome,", openings)
        allowed = []
        for opening in sorted(openings):
            try:
                self.check(f"{opening} lantern")
            except WorldError:
                continue
            allowed.append(opening)
        self.assertEqual(allowed, [])

    def test_every_game_line_after_the_refused(self) -> None:
        """
        Every word the game's strings (read from its sources) put after a
        "The" that starts a line is refused after "The" at the start of a
        name followed by a noun (L{names.AFTER_THE}), but for the few that
        start ordinary names (L{KEPT_AFTER_THE}): this fails when a new
        message starts "The" and a new word, to be added to one or the other.
        ("The {word} has expired" is refused whatever the word: "has" makes
        a name a sentence.)
        """
        after = {found.group(1): path for line, path in game_lines()
                 if (found := _AFTER_THE.match(line)) is not None}
        self.assertIn("script", after)
        allowed = []
        for word in sorted(after):
            try:
                self.check(f"The {word} lantern")
            except WorldError:
                continue
            allowed.append(word)
        self.assertEqual(allowed, sorted(KEPT_AFTER_THE & set(after)), after)

    def test_refusals_say_why(self) -> None:
        """
        Each rule's refusal names what broke it, for the builder to fix.
        """
        for name, why in REFUSALS:
            with self.assertRaises(WorldError, msg=name) as caught:
                self.check(name)
            self.assertIn(why, str(caught.exception), name)

    def test_every_allowed_punctuation_kept(self) -> None:
        """
        A name may hold each mark of L{names.NAME_PUNCTUATION}.
        """
        for mark in sorted(names.NAME_PUNCTUATION):
            name = f"Rock{mark}Roll"
            self.assertEqual(self.check(name), name)
        self.assertEqual(self.check("Mr. Smith's (old) shop, no.3/4 & #2 [b-side]_x"),
                         "Mr. Smith's (old) shop, no.3/4 & #2 [b-side]_x")


#: The opening of a game line: its first word and the next, or the comma
#: after it.
_OPENING = re.compile(r"[A-Z][a-z]{2,}\b(?!')(?:,|\s+(?:[A-Za-z]+|\d+))")

#: A word the game's lines put after a "The" that starts them ("The script
#: on Biscuit failed").
_AFTER_THE = re.compile(r"The ([a-z]{3,})\b(?!')")

#: Words after "The" in the game's lines that start ordinary names too ("The
#: Last Inn", "The Two Towers", "The Game Room", "The Message Board"): what
#: follows them in the game's lines ("The last 20 messages", "The two new
#: passwords differ", "The message is empty") is refused by
#: L{names.GAME_OPENINGS} or as a sentence, not by the word itself.
KEPT_AFTER_THE = frozenset({"folded", "last", "two"} | names.NOUNS_AFTER_THE)

#: A name each rule refuses, and what its refusal says.
REFUSALS = (
    ("Your password has expired", "starts with 'Your', as the game's own lines start"),
    ("System", "starts with 'System'"),
    ("The server restarts now", "starts with 'The server'"),
    ("Y\u0358our password", "starts with 'Your'"),
    ("Lost? Type password", "a name is one phrase, and its punctuation is only"),
    ("Attention\ua789 type password", "(or a character that looks like it)"),
    ("Fresh bread. Hot pies", "reads as sentences ('bread.' ends one"),
    ("Fresh bread\ua60e Hot pies", "reads as sentences ('bread\ua60e' ends one"),
    ("Mr. Smith. Welcome back", "('Smith.' ends one"),
    ("Mr. Welcome back", "has 'Welcome back' after a full stop"),
    ("Th3 server is going down", "starts with 'Th3 server'"),
    ("The script's failed on your lamp", "starts with \"The script's failed\""),
    ("box \u05d0", "written right to left"),
    ("[Bob's imp] waves", "does not start with a letter or a digit"),
)


class TitleCommandTests(TestCase):
    """
    Every way a builder or a script names something follows the rule.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_builders_commands(self) -> None:
        """
        @dig, @open, @create, @name and @alias refuse a forged name and
        make nothing called it.
        """
        bob = self.s.bob
        forged = "Your password has expired. Type 'password' now."
        dug = bob.send("@dig Workshop")
        bob.send("@teleport " + dug[dug.index("(#") + 1:dug.index(")", dug.index("(#"))])
        bob.send("@create lamp")
        for command in (f"@dig {forged}", f"@dig north to {forged}", f"@create {forged}",
                        f"@open {forged}/out to #1", f"@name lamp = {forged}",
                        f"@alias lamp = {forged}", f"@name here = {forged}"):
            said = bob.send(command)
            self.assertIn("starts with", said, command)
        with self.s.world.store.turn() as turn:
            self.assertEqual([o for o in turn.root.all() if o.name.startswith("Your")], [])

    def test_scripts(self) -> None:
        """
        A script's rename, create and set_aliases follow the same rule.
        """
        make(self.s.bob, "imp", SCRIPTED)
        for verb in ("rename", "spawn", "nick"):
            said = self.s.bob.send(f"{verb} imp with Your password has expired")
            self.assertIn("starts with 'Your'", said, verb)
        self.assertIn("renamed", self.s.bob.send("rename imp with The Kitchen imp"))


class BuildersMessageTests(TestCase):
    """
    A builder's C{locked_message} and C{fixed_message} are shown after the
    name of the exit or thing they are about.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_fixed_message_attributed(self) -> None:
        """
        Taking a player's fixed thing shows its message after its name.
        """
        bob = self.s.bob
        bob.send("@create anvil")
        bob.send("drop anvil")
        bob.send("@set anvil/fixed = true")
        bob.send("@set anvil/fixed_message = Your password has expired.")
        self.s.read()
        said = self.s.alice.send("get anvil")
        self.assertEqual(said.split("\n")[0], "The anvil: Your password has expired.")

    def test_locked_message_attributed(self) -> None:
        """
        Walking into a player's locked exit shows its message after the
        exit's name.
        """
        bob = self.s.bob
        dug = bob.send("@dig Workshop")
        workshop = dug[dug.index("(#") + 1:dug.index(")", dug.index("(#"))]
        bob.send(f"@teleport {workshop}")
        bob.send("@dig gate/out to Closet")
        bob.send("@set gate/locked = true")
        bob.send("@set gate/locked_message = Your password has expired.")
        self.assertEqual(bob.send("gate").split("\n")[0], "The gate: Your password has expired.")

    def test_content_messages_are_the_games(self) -> None:
        """
        The world's own content (no owner) speaks in the game's voice: its
        messages are shown as they are.
        """
        self.s.bob.send("@create anvil")
        self.s.bob.send("drop anvil")
        with self.s.world.store.turn() as turn:
            anvil = next(o for o in turn.root.all() if o.name == "anvil")
            anvil.owner = None
            anvil.set_property("fixed", True)
            anvil.set_property("fixed_message", "It is bolted to the floor.")
        self.s.read()
        self.assertEqual(self.s.alice.send("get anvil").split("\n")[0],
                         "It is bolted to the floor.")
