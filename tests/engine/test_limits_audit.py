"""
Limits and refusals in the engine that each need a test of their own: every
limit at the edge refuses with a clear message and changes nothing.
"""

from __future__ import annotations

import json

from twisted.internet.defer import Deferred
from twisted.trial.unittest import TestCase

from engine.accounts import (
    NAME_MAX,
    NAME_MIN,
    PASSWORD_MAX,
    PASSWORD_MIN,
    check_name,
    check_password,
    find_account,
)
from engine.commands.building import MAX_DESCRIPTION, MAX_NAME
from engine.commands.talk import MAX_SPEECH
from engine.limits import Limits
from engine.session import MAX_PENDING
from engine.testing import TestWorld
from world.errors import WorldError


def squash(text):
    """
    C{text} without the line wrapping the server adds.
    """
    return "".join(text.split())


class AccountRuleTests(TestCase):
    """
    Name and password rules, at their exact bounds.
    """

    def test_name_length_bounds(self):
        self.assertEqual(check_name("a" * NAME_MIN), "A" + "a" * (NAME_MIN - 1))
        self.assertEqual(check_name("a" * NAME_MAX), "A" + "a" * (NAME_MAX - 1))
        for bad in ("a" * (NAME_MIN - 1), "a" * (NAME_MAX + 1)):
            e = self.assertRaises(WorldError, check_name, bad)
            self.assertIn(f"{NAME_MIN} to {NAME_MAX} letters long", str(e))

    def test_name_reserved_any_case(self):
        for bad in ("North", "WIZARD", "someone"):
            e = self.assertRaises(WorldError, check_name, bad)
            self.assertIn("is reserved", str(e))

    def test_name_punctuation_only_between_letters(self):
        self.assertEqual(check_name("o'neil"), "O'neil")
        self.assertEqual(check_name("Ann-Marie"), "Ann-Marie")
        for bad in ("Ann--Marie", "Ann-", "-Ann", "Al1ce", "Ali'"):
            e = self.assertRaises(WorldError, check_name, bad)
            self.assertIn("A name is letters, with a hyphen or apostrophe only between", str(e))

    def test_password_length_bounds(self):
        check_password("abc" + "d" * (PASSWORD_MIN - 3))
        check_password("abc" + "d" * (PASSWORD_MAX - 3))
        e = self.assertRaises(WorldError, check_password, "abcdefg"[:PASSWORD_MIN - 1])
        self.assertIn(f"at least {PASSWORD_MIN}", str(e))
        e = self.assertRaises(WorldError, check_password, "abc" + "d" * (PASSWORD_MAX - 2))
        self.assertIn(f"at most {PASSWORD_MAX}", str(e))

    def test_password_not_name_and_not_trivial(self):
        e = self.assertRaises(WorldError, check_password, "ALICEBOBx"[:8], "alicebob")
        self.assertIn("must not be your name", str(e))
        e = self.assertRaises(WorldError, check_password, "abababab")
        self.assertIn("too easy to guess", str(e))
        check_password("abcabcab")


class CreationRefusalTests(TestCase):
    """
    A refused name or password at 'create' makes no account.
    """

    def setUp(self):
        self.world = TestWorld()
        self.addCleanup(self.world.close)

    def assertNoAccount(self, name):
        with self.world.store.turn() as turn:
            self.assertIsNone(find_account(turn.root, name))

    def test_short_password_refused(self):
        player = self.world.connect()
        player.output()
        text = player.send("create Alice abc")
        self.assertIn(f"at least {PASSWORD_MIN}", text)
        self.assertNoAccount("Alice")
        self.assertNotIn("Welcome, Alice", player.send("look"))

    def test_long_password_refused(self):
        player = self.world.connect()
        player.output()
        text = player.send("create Alice " + "abc" * 100)
        self.assertIn(f"at most {PASSWORD_MAX}", text)
        self.assertNoAccount("Alice")

    def test_reserved_name_refused(self):
        player = self.world.connect()
        player.output()
        self.assertIn("is reserved", player.send("create Wizard correct horse"))
        self.assertNoAccount("Wizard")

    def test_password_same_as_name_refused(self):
        player = self.world.connect()
        player.output()
        self.assertIn("must not be your name", player.send("create Alicebob alicebob"))
        self.assertNoAccount("Alicebob")


class CommandCase(TestCase):
    def setUp(self):
        # Lines long enough to carry a value past check_plain's item limit.
        self.world = TestWorld(limits=Limits(max_line=100_000))
        self.addCleanup(self.world.close)
        self.wizard = self.world.login("Wiz")
        self.alice = self.world.login("Alice", role="builder")
        self.bob = self.world.login("Bob")
        for player in (self.wizard, self.alice, self.bob):
            player.output()

    def thing(self, key):
        with self.world.store.turn() as turn:
            return turn.root.get(self.world.things[key].id)


class SpeechLimitTests(CommandCase):
    def test_say_at_and_over_limit(self):
        text = self.alice.send("say " + "y" * (MAX_SPEECH + 1))
        self.assertIn(f"keep it under {MAX_SPEECH}", text)
        self.assertNotIn("yyyy", self.bob.output())
        self.alice.send("say " + "y" * MAX_SPEECH)
        self.assertIn("y" * MAX_SPEECH, squash(self.bob.output()))

    def test_emote_over_limit(self):
        self.assertIn("too long to emote", self.alice.send("emote " + "y" * (MAX_SPEECH + 1)))
        self.assertNotIn("yyyy", self.bob.output())

    def test_empty_say(self):
        self.assertIn("Say what?", self.alice.send("say   "))

    def test_page_and_whisper_over_limit(self):
        long = "y" * (MAX_SPEECH + 1)
        self.assertIn(f"keep it under {MAX_SPEECH}", self.alice.send("page bob = " + long))
        self.assertIn(f"keep it under {MAX_SPEECH}", self.alice.send("whisper bob = " + long))
        self.assertNotIn("yyyy", self.bob.output())
        self.alice.send("page bob = " + "y" * MAX_SPEECH)
        self.assertIn("y" * MAX_SPEECH, squash(self.bob.output()))

    def test_page_usage_and_self(self):
        self.assertIn("to whom, and what?", self.alice.send("page bob"))
        self.assertIn("Talking to yourself?", self.alice.send("page alice = hi"))


class BuildingLimitTests(CommandCase):
    def test_description_limit(self):
        before = self.thing("lantern").description
        text = self.alice.send("@describe me = " + "d" * (MAX_DESCRIPTION + 1))
        self.assertIn(f"at most {MAX_DESCRIPTION}", text)
        self.alice.send("@describe me = " + "d" * MAX_DESCRIPTION)
        self.assertIn("d" * MAX_DESCRIPTION, squash(self.bob.send("look alice")))
        self.assertEqual(self.thing("lantern").description, before)

    def test_create_name_limit(self):
        text = self.alice.send("@create " + "n" * (MAX_NAME + 1))
        self.assertIn(f"at most {MAX_NAME}", text)
        self.assertIn("Nothing is called", self.alice.send("@find " + "n" * 20))
        self.alice.send("@create " + "n" * MAX_NAME)
        self.assertIn("n" * MAX_NAME, squash(self.alice.send("inventory")))

    def test_create_name_may_not_hold_hash_or_equals(self):
        self.assertIn("may not start with #", self.alice.send("@create #5"))
        self.assertIn("contain =", self.alice.send("@create a=b"))
        self.assertIn("Nothing is called", self.alice.send("@find a=b"))
        self.assertIn("Nothing is called", self.alice.send("@find #5"))

    def test_characters_keep_names(self):
        self.assertIn("keep the names", self.alice.send("@name me = Zed"))
        self.assertIn("Alice", self.bob.send("look alice"))

    def test_characters_not_destroyed(self):
        self.assertIn("Characters cannot be destroyed", self.wizard.send("@destroy alice"))
        self.assertTrue(self.alice.connected)

    def test_property_name_rules(self):
        for spec in ("me/" + "k" * 65, "me/bad key", "me/", "me/a.b"):
            text = self.alice.send(f"@set {spec} = 1")
            self.assertIn("up to 64 long", text, spec)
        self.assertIn("Name the property", self.alice.send("@set me = 1"))
        text = self.alice.send("@set me/" + "k" * 64 + " = 1")
        self.assertIn("k" * 64 + "=1", squash(text))

    def test_property_value_must_be_plain_and_bounded(self):
        deep = "[" * 30 + "]" * 30
        self.assertIn("can't be stored", self.alice.send(f"@set me/deep = {deep}"))
        self.assertIn("has no property", self.alice.send("@unset me/deep"))
        big = json.dumps(list(range(10_001)))
        self.assertIn("can't be stored", self.alice.send(f"@set me/big = {big}"))
        self.assertIn("has no property", self.alice.send("@unset me/big"))

    def test_open_refusals(self):
        text = self.alice.send(f"@open sideways to #{self.world.things['lantern'].id}")
        self.assertIn("is not a room", text)
        text = self.alice.send("@open loop to here")
        self.assertIn("to itself leads nowhere", text)
        self.assertIn("Nothing is called", self.alice.send("@find sideways"))
        self.assertIn("Nothing is called", self.alice.send("@find loop"))

    def test_rooms_cannot_be_teleported(self):
        market, square = self.world.things["market"].id, self.world.things["square"].id
        text = self.wizard.send(f"@teleport #{market} = #{square}")
        self.assertIn("Rooms stay where", text)


class AdminRefusalTests(CommandCase):
    def test_wizards_cannot_be_banned(self):
        self.world.set_role("Alice", "wizard")
        self.assertIn("Wizards cannot be banned", self.wizard.send("@ban alice"))
        self.assertTrue(self.alice.connected)

    def test_unban_not_banned(self):
        self.assertIn("is not banned", self.wizard.send("@unban bob"))

    def test_boot_self_and_absent(self):
        self.assertIn("Use 'quit' to leave", self.wizard.send("@boot wiz"))
        self.assertTrue(self.wizard.connected)
        self.bob.disconnect()
        self.assertIn("is not connected", self.wizard.send("@boot bob"))

    def test_unknown_account(self):
        self.assertIn("no account called", self.wizard.send("@boot nobodyhere"))


class HeldPortal:
    """
    A portal that holds every login until released, as a slow password
    check would.
    """

    def __init__(self, real):
        self.real = real
        self.held = []

    def login(self, *args):
        d = Deferred()
        self.held.append((args, d))
        return d

    def release(self):
        held, self.held = self.held, []
        for args, d in held:
            self.real.login(*args).chainDeferred(d)


class PendingLinesTests(TestCase):
    """
    Lines typed while the password is being checked are kept, at most
    MAX_PENDING of them, and run once logged in.
    """

    def test_at_most_max_pending_kept(self):
        world = TestWorld()
        self.addCleanup(world.close)
        world.login("Wiz")
        world.login("Alice").disconnect()
        bob = world.login("Bob")
        bob.output()
        accounts = world.server.accounts
        portal = accounts.portal = HeldPortal(accounts.portal)
        alice = world.connect()
        alice.output()
        alice.send("connect Alice correct horse")
        self.assertEqual(alice.session.state, "checking")
        for n in range(1, MAX_PENDING + 6):
            alice.send(f"say line {n}.")
        self.assertNotIn("line", bob.output())
        portal.release()
        self.assertEqual(alice.session.state, "playing")
        world.clock.advance(0)  # the reactor turns: the kept lines run, one a turn
        heard = bob.output()
        for n in range(1, MAX_PENDING + 1):
            self.assertIn(f'Alice says, "line {n}."', heard)
        self.assertNotIn(f'"line {MAX_PENDING + 1}."', heard)


class MoreRefusalTests(CommandCase):
    def test_players_cannot_use_numbers(self):
        lantern = self.world.things["lantern"].id
        self.assertIn("Only builders refer to things by number.",
                      self.bob.send(f"look #{lantern}"))
        self.assertIn("brass lantern", self.alice.send(f"look #{lantern}"))

    def test_give_and_put_usage(self):
        self.assertIn("Give what to whom?", self.bob.send("give lantern"))
        self.assertIn("Put what where?", self.bob.send("put lantern"))

    def test_newpassword_rules_keep_old_password(self):
        text = self.wizard.send("@newpassword bob = abc")
        self.assertIn(f"at least {PASSWORD_MIN}", text)
        self.assertIn("Type '@newpassword <name> = <password>'.",
                      self.wizard.send("@newpassword bob ="))
        self.bob.disconnect()
        again = self.world.connect()
        again.output()
        self.assertIn("Welcome back, Bob", again.send("connect Bob correct horse"))

    def test_ban_site_usage(self):
        self.assertIn("Type '@ban site <address>'.", self.wizard.send("@ban site"))
        self.assertIn("Banned sites: none.", self.wizard.send("@ban"))
