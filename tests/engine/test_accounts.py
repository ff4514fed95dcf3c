"""
Accounts, password hashing and the twisted.cred pieces.
"""

from __future__ import annotations

from twisted.cred.checkers import ICredentialsChecker
from twisted.cred.credentials import UsernamePassword
from twisted.cred.error import UnauthorizedLogin
from twisted.cred.portal import IRealm
from twisted.trial.unittest import TestCase
from zope.interface.verify import verifyObject

from engine.accounts import (
    CHEAP,
    check_name,
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
