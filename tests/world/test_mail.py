"""
Tests for L{world.mail}: mailboxes, their numbering and their bounds.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from world import mail
from world.errors import WorldError
from world.store import WorldStore


class MailboxTests(TestCase):
    def setUp(self) -> None:
        self.store = WorldStore()
        self.addCleanup(self.store.close)

    def send(self, root, to: int = 7, subject: str = "Hi", body: str = "Hello.") -> mail.Message:
        return mail.deliver(root, to, "Bob", 5, "Alice", ("Bob",), subject, body, 1.0)

    def test_deliver_read_delete(self) -> None:
        """Messages are numbered; reading and deleting keep the unread count."""
        with self.store.turn() as turn:
            root = turn.root
            self.assertIsNone(mail.mailbox(root, 7))
            first, second = self.send(root), self.send(root, subject="Again")
            box = mail.mailbox(root, 7)
            self.assertEqual((first.number, second.number, box.unread, len(box)), (1, 2, 2, 2))
            mail.mark_read(box, first, 0.0)
            mail.mark_read(box, first, 0.0)
            self.assertEqual(box.unread, 1)
            mail.delete(box, second)
            self.assertEqual((box.unread, len(box)), (0, 1))
            self.assertEqual(self.send(root).number, 3)
            with self.assertRaises(WorldError):
                mail.get(box, 2)
            for message in list(box.messages.values()):
                mail.delete(box, message)
            self.assertEqual(self.send(root).number, 1)  # an empty box starts again

    def test_bounds(self) -> None:
        """Subjects, bodies and mailboxes are bounded; text is cleaned."""
        self.assertEqual(mail.check_subject(" Hi\tthere\n "), "Hi there")
        self.assertEqual(mail.check_body("one\r\ntwo\x1b[2J\n\n"), "one\ntwo")
        for check, bad in [(mail.check_subject, ""), (mail.check_subject, "x" * 81),
                           (mail.check_body, " \n "), (mail.check_body, "x" * 4001),
                           (mail.check_body, "x\n" * 61)]:
            with self.assertRaises(WorldError):
                check(bad)
        self.patch(mail, "MAX_MESSAGES", 2)
        with self.store.turn() as turn:
            self.send(turn.root)
            self.send(turn.root)
            with self.assertRaises(WorldError) as caught:
                self.send(turn.root)
            self.assertIn("Bob's mailbox is full", str(caught.exception))
