# -*- test-case-name: tests.redteam_world.test_r4_login_composer -*-
"""
A password typed at the wrong prompt reaches nobody through what a player
is writing: in the mail composer (which echoes nothing) '@password old
new' or 'connect Carol hunter2' was taken as a line of the message and
sent to its reader; in the editor of a library she shares, as a line its
grantees read with '@library/show'. Such a line (its first word a login
or password word, L{world.words.is_login_line}: after an '@', or before
the writer's own name) is not added; the writer is told where she is.
Ordinary lines starting with the same words stay lines. (Found by
redteam, round 4.)
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, flat


class ComposerTests(TestCase):
    """
    Carol writes to Bob and, forgetting she is in the composer, types her
    password lines.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_mail_keeps_no_password(self) -> None:
        """
        '@password ...', '@password' alone and 'connect Carol ...' are not
        added to the message, and she is told so; the rest is sent.
        """
        carol = self.s.carol
        carol.send("@mail Bob = hello")
        carol.send("Hi Bob")
        said = flat(carol.send("@password hunter2 newsecret"))
        self.assertIn("not added", said)
        carol.send("@password")
        carol.send("connect Carol hunter2")
        carol.send("Connect the pipes tomorrow, Carol")
        carol.send(".")
        self.s.bob.output()
        read = self.s.bob.send("@mail 1")
        self.assertIn("Hi Bob", read)
        self.assertIn("Connect the pipes tomorrow", read)
        self.assertNotIn("hunter2", read)
        self.assertNotIn("@password", read)

    def test_shared_library_keeps_no_password(self) -> None:
        """
        In the editor of a library Carol shares with Bob, 'connect Carol
        hunter2' is not added: Bob's '@library/show' never reads it.
        """
        carol = self.s.carol
        carol.send("@library tools")
        carol.send("X = 1")
        carol.send('exports = ("X",)')
        self.assertIn("not added", flat(carol.send("connect Carol hunter2")))
        carol.send(".")
        carol.send("@grant Bob = library tools")
        shown = self.s.bob.send("@library/show tools")
        self.assertIn("X = 1", shown)
        self.assertNotIn("hunter2", shown)

    def test_lines(self) -> None:
        """
        What counts as a login line, for a writer called Carol.
        """
        from world.words import is_login_line

        for line in ("@password a b", "@password", "@pasword a b", "@newpassword Bob x",
                     "connect Carol pw", "co carol pw", "create Carol pw", "@connect x"):
            self.assertTrue(is_login_line(line, "Carol"), line)
        for line in ("Connect the pipes", "connect Bob's pipes", "password", "Create a room",
                     "", "@mail", "login page is down"):
            self.assertFalse(is_login_line(line, "Carol"), line)
