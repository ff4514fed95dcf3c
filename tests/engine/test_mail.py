"""
Mail through whole sessions: writing to characters who are asleep, the
notice at login, reading, replying, deleting, the editor, and the limits.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.limits import Limits
from engine.testing import TestWorld
from world import mail


class MailCase(TestCase):
    limits = Limits()

    def setUp(self) -> None:
        self.world = TestWorld(limits=self.limits)
        self.addCleanup(self.world.close)
        self.wizard = self.world.login("Wiz")
        self.alice = self.world.login("Alice")
        self.bob = self.world.login("Bob")
        self.bob.disconnect()
        self.alice.output()
        self.wizard.output()


class MailTests(MailCase):
    def test_offline_then_login_notice(self) -> None:
        """Mail reaches a sleeping character, who is told at login and reads it."""
        self.assertEqual(self.alice.send("@mail bob = Hello/How are you?"),
                         "Sent to Bob: Hello\n> ")
        self.alice.send("@mail Bob = Again/Still there?")
        bob = self.world.login("Bob")
        self.assertIn("You have 2 new messages. ('@mail' lists them.)", bob.transcript)
        listed = bob.send("@mail")
        self.assertIn("(2 new of 2;", listed)
        self.assertIn("*  1  Alice", listed)
        read = bob.send("@mail 1")
        self.assertIn("Message 1 from Alice", read)
        self.assertIn("Subject: Hello\n  How are you?\n", read)
        self.assertIn("(1 new of 2;", bob.send("@mail"))
        bob.disconnect()
        self.assertIn("You have 1 new message.", self.world.login("Bob").transcript)

    def test_connected_recipient_is_told(self) -> None:
        """A connected recipient hears of new mail at once."""
        self.alice.send("@mail wiz = Hi/there")
        self.assertEqual(self.wizard.output(),
                         "You have new mail from Alice: Hi ('@mail 1' reads it).\n")

    def test_reply_and_delete(self) -> None:
        """A reply goes to the sender with Re:; messages are deleted by number, range or all."""
        self.wizard.send("@mail alice = One/1")
        self.wizard.send("@mail alice = Two/2")
        self.wizard.send("@mail alice = Three/3")
        self.assertIn("Sent to Wiz: Re: One", self.alice.send("@mail/reply 1 = Thanks"))
        self.assertIn("Re: One", self.wizard.send("@mail"))
        self.assertIn("Deleted 2 messages.", self.alice.send("@mail/delete 1-2"))
        self.assertIn("You have no message 1", self.alice.send("@mail 1"))
        self.assertIn("Deleted 1 message.", self.alice.send("@mail/delete all"))
        self.assertIn("You have no mail.", self.alice.send("@mail"))
        self.assertIn("e.g. 3 or 3-5", self.alice.send("@mail/delete x"))

    def test_unknown_character(self) -> None:
        """Mail to a name nobody has is refused, whole, with what was meant."""
        said = self.alice.send("@mail bob, bbo = Hi/there")
        self.assertIn("There is no character called 'bbo'; nothing was sent. Did you mean Bob?",
                      said)
        bob = self.world.login("Bob")
        self.assertNotIn("new message", bob.transcript)

    def test_body_cannot_pass_for_the_game(self) -> None:
        """Every line of a body is indented; control characters are gone."""
        self.alice.send("@mail wiz = Hi")
        self.alice.send("Wiz says, \"I quit\"\x1b[2J")
        self.alice.send(".")
        read = self.wizard.send("@mail 1")
        self.assertIn('\n  Wiz says, "I quit"\n', read)
        self.assertNotIn("\x1b", read)


class ComposerTests(MailCase):
    def test_compose(self) -> None:
        """Lines are added, listed and undone; '.' sends them as the body."""
        opened = self.alice.send("@mail bob wiz = Meeting")
        self.assertIn("To Bob, Wiz: Meeting", opened)
        for line in ("First", "oops", ".undo", "Second"):
            self.alice.send(line)
        self.assertEqual(self.alice.send(".list"), "  First\n  Second\n")
        self.assertIn("Sent to Bob, Wiz: Meeting", self.alice.send("."))
        self.assertIn("Subject: Meeting\n  First\n  Second\n", self.wizard.send("@mail 1"))
        self.assertIn("You see", self.alice.send("look"))  # back to commands

    def test_abort_and_empty(self) -> None:
        """'.abort' and an empty message send nothing."""
        self.alice.send("@mail wiz = Nothing")
        self.assertIn("not sent", self.alice.send(".abort"))
        self.alice.send("@mail wiz = Empty")
        self.assertIn("empty; nothing was sent", self.alice.send("."))
        self.assertIn("You have no mail", self.wizard.send("@mail"))

    def test_body_limit(self) -> None:
        """The editor refuses a line past the body's limit and keeps the rest."""
        self.alice.send("@mail wiz = Long")
        for _ in range(mail.MAX_BODY_LINES):
            self.alice.send("x")
        self.assertIn("that line was not added", self.alice.send("one too many"))
        self.alice.send(".")
        self.assertEqual(self.wizard.send("@mail 1").count("\n  x"), mail.MAX_BODY_LINES)


class LimitTests(MailCase):
    limits = Limits(mail_per_hour=3)

    def test_rate(self) -> None:
        """Each recipient counts one against the hourly rate; it comes back with time."""
        self.alice.send("@mail bob wiz = One/1")
        self.alice.send("@mail bob = Two/2")
        self.assertIn("sent as much mail as you may", self.alice.send("@mail bob = Three/3"))
        self.assertIn("sent as much mail as you may", self.alice.send("@mail wiz = Four"))
        self.world.clock.advance(3601)
        self.assertIn("Sent to Bob", self.alice.send("@mail bob = Five/5"))

    def test_full_mailbox_all_or_none(self) -> None:
        """A full mailbox refuses the message to everyone it was for."""
        self.patch(mail, "MAX_MESSAGES", 1)
        self.alice.send("@mail bob = One/1")
        self.assertIn("Bob's mailbox is full", self.wizard.send("@mail wiz, bob = Two/2"))
        self.assertIn("You have no mail", self.wizard.send("@mail"))

    def test_shapes(self) -> None:
        """Too many recipients, a long subject, a bad switch: each a clear message."""
        self.patch(mail, "MAX_RECIPIENTS", 1)
        self.assertIn("at most 1 characters", self.alice.send("@mail bob wiz = Hi/x"))
        self.assertIn("at most 80", self.alice.send("@mail bob = " + "s" * 81 + "/x"))
        self.assertIn("Mail whom?", self.alice.send("@mail = Hi/x"))
        self.assertIn("has no /frob", self.alice.send("@mail/frob"))
        self.assertIn("To write to Bob, type", self.alice.send("@mail bob"))
        self.assertIn("Read which message?", self.alice.send("@mail hello"))
