"""
Sessions as short transcripts: the welcome screen, creating characters,
logging in, take-over, quitting, and the login-time limits.
"""

from __future__ import annotations

from twisted.conch import telnet
from twisted.trial.unittest import TestCase
from zope.interface.verify import verifyObject

from engine.accounts import find_account, verify_password
from engine.interfaces import IDispatcher, IPlayer, ISession, IWelcome
from engine.limits import Limits
from engine.testing import TestWorld
from world.interfaces import IMind


class SessionCase(TestCase):
    def world(self, **kw) -> TestWorld:
        world = TestWorld(**kw)
        self.addCleanup(world.close)
        return world


class WelcomeTests(SessionCase):
    """
    The screen before logging in.
    """

    def test_welcome_screen(self):
        """
        A new connection sees how to connect and create.
        """
        player = self.world().connect()
        text = player.output()
        self.assertIn("connect <name> <password>", text)
        self.assertIn("create <name> <password>", text)

    def test_session_interfaces(self):
        """
        Sessions are both ISession (to protocols) and IMind (to the world).
        """
        player = self.world().connect()
        self.assertTrue(verifyObject(ISession, player.session))
        self.assertTrue(verifyObject(IMind, player.session))
        self.assertTrue(verifyObject(IPlayer, player.session))
        self.assertTrue(verifyObject(IWelcome, player.session.welcome))
        self.assertTrue(verifyObject(IDispatcher, player.session.dispatcher))

    def test_unknown_login_command(self):
        """
        Anything else at the welcome screen gets directions, not silence.
        """
        player = self.world().connect()
        self.assertIn("not logged in", player.send("look"))
        self.assertIn("create <name>", player.send("help"))

    def test_quit_at_welcome(self):
        """
        quit at the welcome screen says goodbye and closes.
        """
        player = self.world().connect()
        self.assertIn("Goodbye", player.send("quit"))
        self.assertFalse(player.connected)

    def test_who_at_welcome(self):
        """
        who works before logging in.
        """
        world = self.world()
        self.assertIn("Nobody", world.connect().send("who"))
        world.login("Alice")
        self.assertIn("Alice", world.connect().send("who"))


class CreateTests(SessionCase):
    """
    Making characters.
    """

    def test_create_puts_character_in_start_room(self):
        """
        create makes a character in the start room and shows it.
        """
        world = self.world()
        player = world.connect()
        text = player.send("create Alice correct horse")
        self.assertIn("Welcome, Alice!", text)
        self.assertIn("Town Square", text)
        with world.store.turn() as turn:
            account = find_account(turn.root, "alice")
            character = turn.root.get(account.character_id)
            self.assertIs(character.location, world.things["square"])
            self.assertTrue(verify_password("correct horse", account.password_hash))
            self.assertNotIn("correct horse", account.password_hash)

    def test_first_account_is_wizard(self):
        """
        The first account on an empty world is a wizard; the next a player.
        """
        world = self.world()
        self.assertIn("wizard", world.connect().send("create Alice correct horse"))
        world.connect().send("create Bob correct horse")
        with world.store.turn() as turn:
            self.assertEqual(find_account(turn.root, "alice").role, "wizard")
            self.assertEqual(find_account(turn.root, "bob").role, "player")

    def test_default_role(self):
        """
        An operator can make new accounts builders by default.
        """
        world = self.world(default_role="builder")
        world.login("Alice")
        world.login("Bob")
        with world.store.turn() as turn:
            self.assertEqual(find_account(turn.root, "bob").role, "builder")

    def test_duplicate_names_any_case(self):
        """
        Names are unique ignoring case.
        """
        world = self.world()
        world.login("Alice")
        text = world.connect().send("create ALICE another pass")
        self.assertIn("already a character called", text)

    def test_name_rules(self):
        """
        Too short, too long, odd characters and reserved names (or names
        that look like them) are refused with the rule; letters with
        accents are letters.
        """
        world = self.world()
        player = world.connect()
        rule = "A name is letters, with a hyphen or apostrophe only between"
        self.assertIn("3 to 20", player.send("create Al correct horse"))
        self.assertIn("3 to 20", player.send("create " + "a" * 21 + " correct horse"))
        for bad in ("Al1ce", "Ann-", "\uff21nna", "Ann\u200bie"):
            said = " ".join(player.send(f"create {bad} correct horse").split())
            self.assertIn(rule, said, bad)
        said = " ".join(player.send("create \u0410nnabel correct horse").split())
        self.assertIn("one alphabet", said)
        self.assertIn("right to left", player.send("create \u05d3\u05e0\u05d4 correct horse"))
        self.assertIn("reserved", player.send("create North correct horse"))
        self.assertIn("reserved", player.send("create ADMIN correct horse"))
        self.assertIn("reserved",  # Greek letters that read NONE
                      player.send("create \u039d\u039f\u039d\u0395 correct horse"))
        self.assertIn("Welcome, Ann-marie", player.send("create ann-marie correct horse"))
        zoe = world.connect()
        self.assertIn("Welcome, Zoë", zoe.send("create zoë correct horse"))
        self.assertIn("You page Zoë: hello", player.send("page Zoe = hello"))
        self.assertIn("Ann-marie pages: hello", zoe.output())
        self.assertIn("Welcome, \u0410\u043d\u043d\u0430",  # one alphabet: Cyrillic
                      world.connect().send("create \u0410\u043d\u043d\u0430 correct horse"))
        said = " ".join(world.connect().send("create Zoe correct horse").split())
        self.assertIn("Zoe looks too much like Zoë", said)
        self.assertIn("Zoë", world.connect().send("connect ZOE correct horse"))

    def test_password_rules(self):
        """
        Short passwords and the name as password are refused.
        """
        player = self.world().connect()
        self.assertIn("at least 8", player.send("create Alice short"))
        self.assertIn("not be your name", player.send("create Alicealice alicealice"))
        self.assertIn("too easy", player.send("create Alice aaaaaaaaaa"))

    def test_create_with_hidden_prompts(self):
        """
        create <name> asks for the password twice with echo off, then echo on.
        """
        world = self.world()
        player = world.connect()
        player.output()
        text = player.send("create Alice")
        self.assertIn("Choose a password", text)
        self.assertIn(telnet.IAC + telnet.WILL + telnet.ECHO, player.raw())
        player.send_raw(telnet.IAC + telnet.DO + telnet.ECHO)
        self.assertIn("again", player.send("correct horse"))
        text = player.send("correct horse")
        self.assertIn("Welcome, Alice!", text)
        self.assertTrue(player.raw().endswith(b"") and
                        telnet.IAC + telnet.WONT + telnet.ECHO in player.raw())

    def test_echo_stays_off_between_the_two_passwords(self):
        """
        The confirmation password is hidden too: echo is not turned back on
        between the two questions (the client would show what is typed
        until it heard the second request), only after the second answer.
        """
        world = self.world()
        player = world.connect()
        player.send("create Alice")
        player.send_raw(telnet.IAC + telnet.DO + telnet.ECHO)
        before = len(player.raw())
        self.assertIn("again", player.send("correct horse"))
        self.assertNotIn(telnet.IAC + telnet.WONT + telnet.ECHO, player.raw()[before:])
        after = len(player.raw())
        self.assertIn("Welcome, Alice!", player.send("correct horse"))
        self.assertIn(telnet.IAC + telnet.WONT + telnet.ECHO, player.raw()[after:])

    def test_create_prompt_mismatch(self):
        """
        Two different passwords create nothing.
        """
        world = self.world()
        player = world.connect()
        player.send("create Alice")
        player.send("correct horse")
        self.assertIn("differ", player.send("correct horsf"))
        with world.store.turn() as turn:
            self.assertIsNone(find_account(turn.root, "Alice"))

    def test_no_start_room_makes_limbo(self):
        """
        On a world with no rooms at all, characters arrive in Limbo.
        """
        world = self.world(build=None)
        self.assertIn("Limbo", world.connect().send("create Alice correct horse"))

    def test_arrival_seen(self):
        """
        Others in the start room see a new character appear.
        """
        world = self.world()
        alice = world.login("Alice")
        world.login("Bob")
        self.assertIn("Bob appears", alice.output())


class ConnectTests(SessionCase):
    """
    Logging in to existing characters.
    """

    def test_connect(self):
        """
        connect with the right password plays the character where it was.
        """
        world = self.world()
        alice = world.login("Alice")
        alice.send("north")
        alice.send("quit")
        text = world.connect().send("connect alice correct horse")
        self.assertIn("Market", text)

    def test_wrong_password(self):
        """
        A wrong password and an unknown name get the same answer.
        """
        world = self.world()
        world.login("Alice").send("quit")
        player = world.connect()
        player.output()
        wrong = player.send("connect Alice wrong password")
        unknown = player.send("connect Nobody wrong password")
        self.assertIn("Either there is no character", wrong)
        self.assertEqual(wrong, unknown)
        self.assertEqual(player.session.state, "login")

    def test_connect_with_hidden_prompt(self):
        """
        connect <name> asks for the password with echo off.
        """
        world = self.world()
        world.login("Alice").send("quit")
        player = world.connect()
        self.assertIn("Password:", player.send("connect Alice"))
        self.assertTrue(player.client.hiding_input)
        self.assertIn("Town Square", player.send("correct horse"))
        self.assertFalse(player.client.hiding_input)

    def test_wake_and_sleep(self):
        """
        Others see a character wake up on connect and fall asleep on quit;
        look shows sleepers.
        """
        world = self.world()
        alice = world.login("Alice")
        bob = world.login("Bob")
        alice.output()
        bob.send("quit")
        self.assertIn("Bob falls asleep.", alice.output())
        self.assertIn("Bob is here, asleep.", alice.send("look"))
        world.connect().send("connect Bob correct horse")
        self.assertIn("Bob wakes up.", alice.output())
        self.assertIn("Bob is here.", alice.send("look"))

    def test_dropped_connection_falls_asleep(self):
        """
        A connection that just drops leaves the character asleep in place.
        """
        world = self.world()
        alice = world.login("Alice")
        bob = world.login("Bob")
        alice.output()
        bob.disconnect()
        self.assertIn("Bob falls asleep.", alice.output())
        self.assertEqual(world.server.playing(), [alice.session])

    def test_takeover(self):
        """
        Logging in to a connected character tells and closes the old
        connection; the new one plays on, and nobody sees it fall asleep.
        """
        world = self.world()
        watcher = world.login("Watcher")
        old = world.login("Alice")
        watcher.output()
        new = world.connect("10.1.1.1")
        text = new.send("connect Alice correct horse")
        self.assertIn("Town Square", text)
        self.assertIn("connected from another place (10.1.1.1)", old.output())
        self.assertFalse(old.connected)
        self.assertNotIn("asleep", watcher.output())
        self.assertIn("You say", new.send("say still here"))
        self.assertIn("Alice says", watcher.output())

    def test_auto_login_lines_kept(self):
        """
        Commands sent right behind the password (client auto-login) run after
        login instead of being lost.
        """
        world = self.world()
        world.login("Alice").send("quit")
        player = world.connect()
        player.send_raw(b"connect Alice correct horse\r\nsay hello\r\n")
        self.assertIn('You say, "hello"', player.output())

    def test_quit(self):
        """
        quit says goodbye and closes.
        """
        world = self.world()
        alice = world.login("Alice")
        self.assertIn("Goodbye, Alice", alice.send("quit"))
        self.assertFalse(alice.connected)
        self.assertEqual(world.server.sessions, set())

    def test_banned_account(self):
        """
        A banned account cannot log in, even with the right password.
        """
        world = self.world()
        world.login("Wiz")
        world.login("Bob").send("quit")
        with world.store.turn() as turn:
            find_account(turn.root, "bob").banned = True
        self.assertIn("banned", world.connect().send("connect Bob correct horse"))


class LoginLimitTests(SessionCase):
    """
    Limits that apply before logging in.
    """

    def test_failed_logins_throttled(self):
        """
        After too many failures from an address, logins are refused with a
        message saying how long to wait; they work again after.
        """
        world = self.world(limits=Limits(failed_logins=3, failed_login_window=60))
        world.login("Alice").send("quit")
        player = world.connect("10.0.0.9")
        for _ in range(3):
            self.assertIn("Either", player.send("connect Alice nope nope"))
        text = player.send("connect Alice correct horse")
        self.assertIn("Too many failed logins", text)
        self.assertIn("Wait", text)
        other = world.connect("10.0.0.10")
        self.assertIn("Town Square", other.send("connect Alice correct horse"))
        world.clock.advance(61)
        other.send("quit")
        self.assertIn("Town Square", player.send("connect Alice correct horse"))

    def test_login_timeout(self):
        """
        A connection that never logs in is closed after the timeout.
        """
        world = self.world(limits=Limits(login_timeout=30))
        idle = world.connect()
        player = world.login("Alice")
        world.clock.advance(29)
        self.assertTrue(idle.connected)
        world.clock.advance(2)
        self.assertIn("too long to log in", idle.output())
        self.assertFalse(idle.connected)
        self.assertTrue(player.connected)

    def test_connections_per_minute(self):
        """
        Too many new connections from one address in a minute are refused
        with a message; other addresses are unaffected; a minute later it
        works again.
        """
        world = self.world(limits=Limits(connections_per_minute=3))
        kept = [world.connect("10.0.0.5") for _ in range(3)]
        self.assertTrue(all(c.connected for c in kept))
        refused = world.connect("10.0.0.5")
        self.assertIn("Too many connections", refused.output())
        self.assertFalse(refused.connected)
        self.assertTrue(world.connect("10.0.0.6").connected)
        world.clock.advance(61)
        self.assertTrue(world.connect("10.0.0.5").connected)

    def test_max_sessions(self):
        """
        Beyond the maximum the server says it is full; a slot frees when
        someone leaves.
        """
        world = self.world(limits=Limits(max_sessions=2, connections_per_minute=100))
        first, second = world.connect(), world.connect()
        full = world.connect()
        self.assertIn("full", full.output())
        self.assertFalse(full.connected)
        first.send("quit")
        self.assertTrue(world.connect().connected)
        self.assertTrue(second.connected)

    def test_creations_per_hour(self):
        """
        One address may create only so many characters an hour.
        """
        world = self.world(limits=Limits(creations_per_hour=2))
        world.login("Alice").send("quit")
        world.login("Bob").send("quit")
        self.assertIn("Too many characters", world.connect().send("create Carol correct horse"))
        world.clock.advance(3601)
        self.assertIn("Welcome, Carol", world.connect().send("create Carol correct horse"))

    def test_site_ban(self):
        """
        A banned address prefix is refused at connect.
        """
        world = self.world()
        wizard = world.login("Wiz")
        wizard.send("@ban site 10.9.")
        refused = world.connect("10.9.8.7")
        self.assertIn("not allowed", refused.output())
        self.assertFalse(refused.connected)
        self.assertTrue(world.connect("10.8.8.7").connected)

    def test_two_hundred_connections(self):
        """
        200 connections at once all get the welcome screen and can all log in
        and talk.
        """
        world = self.world(limits=Limits(connections_per_minute=1000, creations_per_hour=1000,
                                         prelogin_per_address=200))
        clients = [world.connect() for _ in range(200)]
        self.assertTrue(all("create <name>" in c.output() for c in clients))
        for index, client in enumerate(clients):
            client.send(f"create Player{'abcdefghijklmnopqrst'[index // 20]}"
                        f"{'abcdefghijklmnopqrst'[index % 20]} correct horse")
        self.assertEqual(len(world.server.playing()), 200)
        for client in clients:
            client.output()
        clients[0].send("say hello everyone")
        self.assertTrue(all("hello everyone" in c.output() for c in clients[1:]))


class HarnessTests(SessionCase):
    """
    The simulated-client harness itself.
    """

    def test_closed_connection_finishes(self):
        """
        After the server closes a connection, sending does nothing and the
        protocol has been told the connection is gone.
        """
        world = self.world()
        alice = world.login("Alice")
        alice.send("quit")
        self.assertFalse(alice.connected)
        self.assertTrue(alice.protocol.lost)
        self.assertIsNone(alice.session)
        self.assertEqual(alice.send("look"), "")
        self.assertEqual(world.factory.connections, 0)


class PersistenceTests(TestCase):
    """
    What survives closing and reopening the database file.
    """

    def test_reopen(self):
        """
        Account, password, role, inventory, built rooms and where the
        character sleeps all survive a FileStorage close and reopen.
        """
        import os

        path = os.path.join(os.path.abspath(self.mktemp()), "world.fs")
        world = TestWorld(path=path)
        alice = world.login("Alice")
        alice.send("@dig east to Orchard")
        alice.send("@create apple")
        alice.send("east")
        alice.send("quit")
        world.close()

        again = TestWorld(path=path)
        self.addCleanup(again.close)
        player = again.connect()
        self.assertIn("Either", player.send("connect alice wrong password"))
        text = player.send("connect alice correct horse")
        self.assertIn("Orchard", text)
        self.assertIn("an apple", player.send("inventory"))
        self.assertIn("Town Square", player.send("west"))
        self.assertIn("@dig", player.send("help"))  # still the wizard


class LastLoginTests(SessionCase):
    def test_last_address_shown(self):
        """
        Logging in again shows where the account last connected from.
        """
        world = self.world()
        world.login("Alice", address="10.0.0.1").send("quit")
        text = world.connect("10.0.0.2").send("connect alice correct horse")
        self.assertIn("You last connected from 10.0.0.1.", text)

    def test_wizards_see_addresses_in_who(self):
        """
        who shows addresses to wizards only.
        """
        world = self.world()
        wizard = world.login("Wiz", address="10.0.0.7")
        player = world.login("Alice", address="10.0.0.8")
        self.assertIn("10.0.0.8", wizard.send("who"))
        self.assertNotIn("10.0.0.7", player.send("who"))


class PromptTests(TestCase):
    """
    While playing, every answer ends with a prompt that MUD clients can find.
    """

    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)

    def test_prompt_after_login_and_each_command(self) -> None:
        """
        The first look after login and every command's answer end with '> '
        and a go-ahead (no EOR or SGA negotiated).
        """
        alice = self.world.login("Alice")
        self.assertTrue(alice.raw().endswith(b"\r\n> \xff\xf9"))
        alice.send("look")
        self.assertTrue(alice.raw().endswith(b"\r\n> \xff\xf9"))
        alice.send("xyzzy")
        self.assertTrue(alice.raw().endswith(b"\r\n> \xff\xf9"))

    def test_prompt_marked_with_eor_when_negotiated(self) -> None:
        """
        A client that agreed to EOR gets IAC EOR after the prompt instead.
        """
        alice = self.world.login("Alice")
        alice.send_raw(b"\xff\xfd\x19")  # DO EOR
        alice.send("look")
        self.assertTrue(alice.raw().endswith(b"\r\n> \xff\xef"))

    def test_no_prompt_while_a_question_waits(self) -> None:
        """
        Lines typed into the script editor are not answered with the command
        prompt; saving is.
        """
        alice = self.world.login("Alice")
        alice.send("@create bell")
        alice.send("@script bell")
        self.assertNotIn("> ", alice.send("x = 1"))
        self.assertTrue(alice.send(".").endswith("\n> "))

    def test_others_actions_bring_no_prompt(self) -> None:
        """
        What others do arrives as lines without a prompt of its own.
        """
        alice = self.world.login("Alice")
        bob = self.world.login("Bob")
        alice.output()
        bob.send("say hi")
        self.assertEqual(alice.output(), 'Bob says, "hi"\n')


class DialogueTests(SessionCase):
    """
    Questions asked in C{async def} dialogues (Session.question,
    Session.run_dialogue).
    """

    def test_answers_in_order(self):
        """
        Each awaited question gets the next line, and the dialogue goes on
        from there; lines are not run as commands meanwhile.
        """
        world = self.world()
        alice = world.login("Alice")
        heard = []

        async def dialogue():
            heard.append(await alice.session.question("First? "))
            heard.append(await alice.session.question("Second? ", hidden=True))
            alice.session.write("Thanks.")

        alice.session.run_dialogue(dialogue())
        self.assertIn("First?", alice.output())
        alice.send("look")
        self.assertTrue(alice.client.hiding_input)
        self.assertIn("Thanks.", alice.send("secret words"))
        self.assertEqual(heard, ["look", "secret words"])
        self.assertFalse(alice.client.hiding_input)

    def test_closed_connection_ends_dialogue_quietly(self):
        """
        A connection that closes while a question waits ends the dialogue:
        nothing after the question runs, and nothing is logged as an error.
        """
        world = self.world()
        alice = world.login("Alice")
        after = []

        async def dialogue():
            await alice.session.question("Still there? ")
            after.append("ran")

        done = alice.session.run_dialogue(dialogue())
        alice.disconnect()
        self.assertIsNone(self.successResultOf(done))
        self.assertEqual(after, [])

    def test_failure_logged_and_told(self):
        """
        A dialogue that fails unexpectedly is logged, and the player told
        nothing changed.
        """
        world = self.world()
        alice = world.login("Alice")

        async def dialogue():
            await alice.session.question("Go? ")
            raise ZeroDivisionError()

        alice.session.run_dialogue(dialogue())
        self.assertIn("Something went wrong; nothing changed.", alice.send("yes"))
        self.assertEqual(len(self.flushLoggedErrors(ZeroDivisionError)), 1)

    def test_password_dialogue_abandoned(self):
        """
        Closing the connection in the middle of @password changes nothing.
        """
        world = self.world()
        alice = world.login("Alice")
        alice.send("@password")
        alice.send("correct horse")
        alice.disconnect()
        with world.store.turn() as turn:
            stored = find_account(turn.root, "Alice").password_hash
        self.assertTrue(verify_password("correct horse", stored))
