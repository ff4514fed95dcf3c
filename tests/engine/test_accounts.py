"""
Accounts, password hashing and the twisted.cred pieces.
"""

from __future__ import annotations

from twisted.cred.checkers import ICredentialsChecker
from twisted.cred.credentials import UsernamePassword
from twisted.cred.error import UnauthorizedLogin
from twisted.cred.portal import IRealm
from twisted.internet import defer
from twisted.trial.unittest import TestCase
from zope.interface.verify import verifyObject

from engine.accounts import (
    CHEAP,
    check_name,
    find_account,
    fold,
    hash_password,
    role_at_least,
    verify_password,
)
from engine.login import AccountChecker, CreatedChecker, IAvatar, JustCreated, Realm
from engine.testing import TestWorld
from world.errors import WorldError


class PasswordTests(TestCase):
    def test_hash_format(self):
        """
        Hashes are scrypt with their parameters and a fresh salt each time.
        """
        first, second = hash_password("s3cret pass", CHEAP), hash_password("s3cret pass", CHEAP)
        self.assertTrue(first.startswith("scrypt$16$1$1$"))
        self.assertNotEqual(first, second)
        self.assertNotIn("s3cret", first)

    def test_verify(self):
        """
        The right password verifies; a wrong one or a mangled hash does not.
        """
        stored = hash_password("s3cret pass", CHEAP)
        self.assertTrue(verify_password("s3cret pass", stored))
        self.assertFalse(verify_password("s3cret pasS", stored))
        self.assertFalse(verify_password("s3cret pass", "scrypt$x$1$1$AA$AA"))
        self.assertFalse(verify_password("s3cret pass", "md5$whatever"))
        self.assertFalse(verify_password("s3cret pass", ""))

    def test_default_cost_is_memory_hard(self):
        """
        The default cost uses at least 16 MiB.
        """
        stored = hash_password("s3cret pass")
        _, n, r, p, _, _ = stored.split("$")
        self.assertGreaterEqual(128 * int(n) * int(r) * int(p), 16 * 1024 * 1024)
        self.assertTrue(verify_password("s3cret pass", stored))


class NameTests(TestCase):
    def test_fold(self):
        """
        Names compare case-insensitively (and Unicode-normalised).
        """
        self.assertEqual(fold("ALICE"), fold("alice"))
        self.assertEqual(fold("Stra\u00dfe"), fold("STRASSE"))

    def test_check_name_capitalises(self):
        """
        Names are shown with a capital first letter.
        """
        self.assertEqual(check_name("alice"), "Alice")
        self.assertRaises(WorldError, check_name, "me")
        self.assertRaises(WorldError, check_name, "Bob Smith")

    def test_roles(self):
        """
        Roles are ordered player < builder < wizard.
        """
        self.assertTrue(role_at_least("wizard", "builder"))
        self.assertFalse(role_at_least("player", "builder"))


class CredTests(TestCase):
    def setUp(self):
        self.world = TestWorld()
        self.addCleanup(self.world.close)
        self.world.login("Alice").send("quit")

    def test_interfaces(self):
        """
        The realm and checkers provide their twisted.cred interfaces.
        """
        accounts = self.world.server.accounts
        self.assertTrue(verifyObject(IRealm, Realm(accounts)))
        self.assertTrue(verifyObject(ICredentialsChecker, AccountChecker(accounts)))
        self.assertTrue(verifyObject(ICredentialsChecker, CreatedChecker()))

    def test_checker(self):
        """
        The checker accepts the right password (any case of name) only.
        """
        checker = AccountChecker(self.world.server.accounts)
        d = checker.requestAvatarId(UsernamePassword(b"ALICE", b"correct horse"))
        self.assertEqual(self.successResultOf(d), "alice")
        d = checker.requestAvatarId(UsernamePassword(b"alice", b"wrong"))
        self.failureResultOf(d, UnauthorizedLogin)
        d = checker.requestAvatarId(UsernamePassword(b"nobody", b"correct horse"))
        self.failureResultOf(d, UnauthorizedLogin)

    def test_portal_login(self):
        """
        Logging in through the portal gives an avatar for the character and a
        logout that unregisters the mind.
        """

        class Mind:
            address = "127.0.0.1"

            def perceive(self, event):
                pass

        mind = Mind()
        d = self.world.server.accounts.portal.login(JustCreated("alice"), mind, IAvatar)
        interface, avatar, logout = self.successResultOf(d)
        self.assertIs(interface, IAvatar)
        self.assertTrue(verifyObject(IAvatar, avatar))
        self.assertEqual(avatar.name, "Alice")
        self.assertIs(self.world.store.minds[avatar.character_id], mind)
        logout()
        self.assertNotIn(avatar.character_id, self.world.store.minds)


class AccountServiceTests(TestCase):
    """
    The one place accounts are made, checked and changed.
    """

    def setUp(self):
        self.world = TestWorld()
        self.addCleanup(self.world.close)
        self.accounts = self.world.server.accounts

    def mind(self, address="192.0.2.7"):
        class Mind:
            def perceive(self, event):
                pass

        mind = Mind()
        mind.address = address
        return mind

    def stored_hash(self, name):
        with self.world.store.turn() as turn:
            return find_account(turn.root, name).password_hash

    def create(self, name="Alice", password="correct horse", stay=False):
        created = self.successResultOf(defer.ensureDeferred(
            self.accounts.create(name, password, self.mind())))
        if not stay:
            created.login[2]()  # log out
        return created

    def test_first_is_wizard(self):
        """
        The first account is a wizard, the next gets the default role; both
        are logged in to characters in the start room.
        """
        first, second = self.create("Alice"), self.create("Bob", stay=True)
        self.assertEqual((first.role, second.role), ("wizard", "player"))
        _, avatar, logout = second.login
        self.assertEqual(avatar.name, "Bob")
        self.assertIn(avatar.character_id, self.world.store.minds)
        with self.world.store.turn() as turn:
            self.assertIs(turn.root.get(avatar.character_id).location, turn.root.start_room)
        logout()

    def test_create_refuses_taken_and_weak(self):
        """
        A taken name or a weak password stores nothing.
        """
        self.create("Alice")
        taken = defer.ensureDeferred(self.accounts.create("ALICE", "other horse", self.mind()))
        self.assertIn("took the name", str(self.failureResultOf(taken, WorldError).value))
        weak = defer.ensureDeferred(self.accounts.create("Bob", "aaaaaaaa", self.mind()))
        self.failureResultOf(weak, WorldError)
        self.assertFalse(self.accounts.taken("bob"))

    def test_create_no_longer_wanted(self):
        """
        If the connection went away during the hash, nothing is stored.
        """
        d = defer.ensureDeferred(self.accounts.create("Alice", "correct horse", self.mind(),
                                                      still_wanted=lambda: False))
        self.failureResultOf(d, UnauthorizedLogin)
        self.assertFalse(self.accounts.taken("Alice"))

    def test_failed_login_counted(self):
        """
        A wrong password counts against the address; a right one does not.
        """
        self.create("Alice")
        mind = self.mind("198.51.100.9")
        self.failureResultOf(self.accounts.login("Alice", "wrong horse", mind),
                             UnauthorizedLogin)
        self.assertEqual(self.accounts.failed_logins.count("198.51.100.9"), 1)
        _, _, logout = self.successResultOf(self.accounts.login("alice", "correct horse", mind))
        logout()
        self.assertEqual(self.accounts.failed_logins.count("198.51.100.9"), 1)

    def test_change_password(self):
        """
        The current password must be right (a wrong one counts as a failed
        login) and the new one must follow the rules.
        """
        self.create("Alice")
        wrong = defer.ensureDeferred(
            self.accounts.change_password("alice", "wrong horse", "new horse 1", "192.0.2.1"))
        self.failureResultOf(wrong, WorldError)
        self.assertEqual(self.accounts.failed_logins.count("192.0.2.1"), 1)
        weak = defer.ensureDeferred(
            self.accounts.change_password("alice", "correct horse", "alice", "192.0.2.1"))
        self.failureResultOf(weak, WorldError)
        self.assertTrue(verify_password("correct horse", self.stored_hash("Alice")))
        ok = defer.ensureDeferred(
            self.accounts.change_password("alice", "correct horse", "new horse 1", "192.0.2.1"))
        self.successResultOf(ok)
        self.assertTrue(verify_password("new horse 1", self.stored_hash("Alice")))

    def test_set_password(self):
        """
        A wizard's reset needs no old password.
        """
        self.create("Alice")
        self.successResultOf(defer.ensureDeferred(
            self.accounts.set_password("alice", "brand new pw")))
        self.assertTrue(verify_password("brand new pw", self.stored_hash("Alice")))

    def test_ban_rules(self):
        """
        Nobody bans themselves or a wizard; a ban and its lifting toggle
        the record, and lifting a ban that is not there is refused.
        """
        self.create("Alice")
        self.create("Bob")
        with self.world.store.turn() as turn:
            alice, bob = find_account(turn.root, "Alice"), find_account(turn.root, "Bob")
            self.assertRaises(WorldError, self.accounts.ban, alice, alice)
            self.assertRaises(WorldError, self.accounts.ban, alice, bob)  # a wizard
            self.accounts.ban(bob, alice)
            self.assertTrue(bob.banned)
            self.accounts.unban(bob)
            self.assertFalse(bob.banned)
            self.assertRaises(WorldError, self.accounts.unban, bob)

    def test_roles(self):
        """
        Roles are checked, and the last wizard stays one.
        """
        self.create("Alice")
        self.create("Bob")
        with self.world.store.turn() as turn:
            alice, bob = find_account(turn.root, "Alice"), find_account(turn.root, "Bob")
            self.assertRaises(WorldError, self.accounts.set_role, turn.root, bob, "god")
            self.assertRaises(WorldError, self.accounts.set_role, turn.root, alice, "player")
            self.assertEqual(self.accounts.set_role(turn.root, bob, "wizard"), "player")
            self.assertEqual(self.accounts.set_role(turn.root, alice, "builder"), "wizard")
