"""
Finding the read mail past its time, which every C{@mail} does first,
reads no message while none can be due: a mailbox keeps the earliest time
one of its read messages expires (L{world.mail.Mailbox.next_expiry}), so
that a full mailbox costs each command a few loads, not a hundred; once
that time comes, the messages due expire as before, and a mailbox a world
stored before that is looked through once.
"""

from __future__ import annotations

from typing import Any

from twisted.trial.unittest import TestCase

from engine.testing import TestWorld
from tests.redteam_world.charging import loaded
from world import mail


class MailExpiryLoadTests(TestCase):
    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)
        self.bob = self.world.login("Bob")
        self.alice = self.world.login("Alice")
        with self.world.store.turn() as turn:
            ids = {a.name: a.character_id for a in turn.root.accounts.values()}
        self.bob_id = ids["Bob"]
        with self.world.store.turn() as turn:
            for n in range(mail.MAX_MESSAGES):  # from five writers, 20 each
                writer = ids["Alice"] + 1000 + n // mail.MAX_FROM_ONE
                mail.deliver(turn.root, self.bob_id, "Bob", writer, "Alice", ("Bob",),
                             f"note {n}", "x" * 200, self.world.clock.seconds())
        self.bob.output()

    def send(self, player: Any, line: str) -> str:
        self.world.clock.advance(1)  # not too fast for the command rate
        return " ".join(player.send(line).split())

    def loads(self, line: str) -> tuple[int, str]:
        """
        The records Bob's C{line} loads from the database (none kept in
        memory before it), and what it said.
        """
        return loaded(self.world, lambda: self.send(self.bob, line))

    def count(self) -> int:
        with self.world.store.turn() as turn:
            box = mail.mailbox(turn.root, self.bob_id)
            return len(box) if box is not None else 0

    def test_nothing_due_reads_no_message(self) -> None:
        """
        With a full mailbox and one message read, reading another loads a
        few records, not the hundred messages; 30 days after the first
        reading it expires (the check reads them then), and the next
        command reads few again.
        """
        self.send(self.bob, "@mail 1")
        loads, said = self.loads("@mail 2")
        self.assertIn("Subject: note 1", said)
        self.assertLess(loads, 20)
        self.world.clock.advance(mail.READ_LIFETIME)
        loads, said = self.loads("@mail 3")
        self.assertIn("expired from your mailbox", said)
        self.assertGreaterEqual(loads, mail.MAX_MESSAGES - 2)  # it did look
        self.assertEqual(self.count(), mail.MAX_MESSAGES - 2)
        loads, said = self.loads("@mail 4")
        self.assertIn("Subject: note 3", said)
        self.assertNotIn("expired", said)
        self.assertLess(loads, 20)
        self.world.clock.advance(mail.READ_LIFETIME)
        self.send(self.bob, "@mail 5")
        self.assertEqual(self.count(), mail.MAX_MESSAGES - 4)

    def test_kept_and_deleted_messages(self) -> None:
        """
        A message kept, or deleted, after it was read leaves the time early:
        the check then reads the mailbox once, expires nothing, and reads
        nothing again until the next message can be due.
        """
        self.send(self.bob, "@mail 1")
        self.send(self.bob, "@mail/keep 1")
        self.send(self.bob, "@mail 2")
        self.send(self.bob, "@mail/delete 2")
        self.world.clock.advance(mail.READ_LIFETIME)
        loads, said = self.loads("@mail 3")
        self.assertNotIn("expired", said)
        self.assertGreaterEqual(loads, mail.MAX_MESSAGES - 2)
        loads, said = self.loads("@mail 4")
        self.assertLess(loads, 20)
        self.assertEqual(self.count(), mail.MAX_MESSAGES - 1)

    def test_a_mailbox_stored_before(self) -> None:
        """
        A mailbox a world stored before it kept the time (a read message
        long past its time, maybe read before that was kept) is looked
        through at its next command, and its mail past its time expires.
        """
        with self.world.store.turn() as turn:
            box = mail.mailbox(turn.root, self.bob_id)
            assert box is not None
            old = box.messages[1]
            old.read, old.read_at = True, self.world.clock.seconds() - mail.READ_LIFETIME
            box.unread -= 1
            del box.next_expiry  # as a mailbox stored before kept none
        said = self.send(self.bob, "@mail 2")
        self.assertIn("1 read message older than", said)
        self.assertEqual(self.count(), mail.MAX_MESSAGES - 1)
