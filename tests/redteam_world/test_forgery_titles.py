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
)

#: Names a builder writes, which stay allowed.
ORDINARY = (
    "The Kitchen", "the general store", "Library", "Wizards' Tower", "ship's bell",
    "An Attic Room", "Gull Point", "brass lantern", "The Chapel of St Brannoc",
    "Mr. Smith's shop", "north", "iron-bound door", "Biscuit", "notice board",
    "The Smugglers' Passage", "water-stained note", "old coin", "café", "Café Zoë",
    "The wizard's tower", "The Wizard's Library", "System's end", "Server's Rest Inn",
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

    def test_every_game_line_start_refused(self) -> None:
        """
        Every word that starts a line of the game's strings (read from its
        sources), followed by more words, is refused as the start of a
        name; only "The", which starts the game's lines about things as it
        starts their names, is kept.
        """
        starts = line_starts()
        self.assertIn("Your", starts)
        allowed = []
        for word in starts:
            try:
                self.check(f"{word} password has expired")
            except WorldError:
                continue
            allowed.append(word)
        self.assertEqual(allowed, ["The"])

    def test_every_game_line_after_the_refused(self) -> None:
        """
        Every word the game's strings (read from its sources) put after a
        "The" that starts a line is refused after "The" at the start of a
        name (L{names.AFTER_THE}), but for the few that start ordinary names
        (L{KEPT_AFTER_THE}): this fails when a new message starts "The"
        and a new word, to be added to one or the other.
        """
        after = {found.group(1): path for line, path in game_lines()
                 if (found := _AFTER_THE.match(line)) is not None}
        self.assertIn("script", after)
        allowed = []
        for word in sorted(after):
            try:
                self.check(f"The {word} has expired")
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


#: A word the game's lines put after a "The" that starts them ("The script
#: on Biscuit failed").
_AFTER_THE = re.compile(r"The ([a-z]{3,})\b(?!')")

#: Words after "The" in the game's lines that start ordinary names too ("The
#: Last Inn", "The Two Towers"): what follows them in the game's lines ("The
#: last 20 messages", "The two new passwords differ") does not read as the
#: game's workings.
KEPT_AFTER_THE = frozenset({"folded", "last", "two"})

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
    ("Mr. Welcome back", "has 'Welcome' after a full stop"),
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
