"""
A wrong current password at C{@password} is a failed login: it is logged
in the one line of failed logins (the server's words and the address,
never what was typed) and counted against its address's
C{--failed-logins}; past that, C{@password} is refused before any
password is read, as a login is, so that a player who walked away from a
logged-in terminal cannot have their current password guessed there.
"""

from __future__ import annotations

from twisted.logger import formatEvent
from twisted.trial.unittest import TestCase

from engine.limits import Limits
from engine.testing import TestWorld
from tests.engine.test_refusals import Logged


class PasswordFailureTests(TestCase):
    def setUp(self) -> None:
        self.world = TestWorld(limits=Limits(failed_logins=3, failed_login_window=60))
        self.addCleanup(self.world.close)
        self.logged = Logged(self)

    def failures(self) -> list[str]:
        """
        The lines of failed logins logged so far, as the log writes them.
        """
        return [formatEvent(e) for e in self.logged.events if e.get("what") == "login(s)"]

    def test_wrong_current_password_logged(self) -> None:
        """
        A wrong current password at C{@password} is one failed login in the
        log, from the player's address, for the server's reason; neither
        password typed is in the log.
        """
        alice = self.world.login("Alice", address="10.70.0.1")
        self.assertIn("not your current password",
                      alice.send("@password guessone9 newsecret77"))
        self.world.server.flush_logs()
        lines = self.failures()
        self.assertEqual(len(lines), 1, lines)
        self.assertIn("failed 1 login(s) (the last from 10.70.0.1): wrong current password "
                      "at @password (1)", lines[0])
        everything = " ".join(formatEvent(e) or "" for e in self.logged.events)
        self.assertNotIn("guessone9", everything)
        self.assertNotIn("newsecret77", everything)

    def test_throttled_like_a_login(self) -> None:
        """
        Past C{--failed-logins} wrong current passwords from one address,
        C{@password} is refused before a password is read, even the right
        one, and so is logging in from there; the refusal is logged as a
        throttled login. After the window it works again.
        """
        alice = self.world.login("Alice", "rightpass1", address="10.70.0.2")
        for n in range(3):
            self.assertIn("not your current password",
                          alice.send(f"@password guess{n}guess newsecret77"))
        refused = alice.send("@password rightpass1 newsecret77")
        self.assertIn("Too many failed logins from your address", refused)
        self.assertNotIn("has been changed", refused)
        self.assertIn("Too many failed logins",
                      self.world.connect("10.70.0.2").send("connect Alice rightpass1"))
        self.world.server.flush_logs()
        self.assertIn("too many failed logins from one address", " ".join(self.failures()))
        self.world.clock.advance(61)
        self.assertIn("has been changed", alice.send("@password rightpass1 newsecret77"))
