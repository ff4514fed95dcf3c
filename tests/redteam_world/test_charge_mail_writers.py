"""
A mailbox full of other writers' mail costs a writer little: each mailbox
indexes its messages by writer (L{world.mail.Mailbox.by_writer}), so that
sending to it (which checks the writer has fewer than
L{world.mail.MAX_FROM_ONE} there) and reviewing or retracting one's
messages in it read that writer's few, not every message. Mailboxes a
world stored before are indexed by the upgrade to generation 18, or the
first time they are needed.
"""

from __future__ import annotations

from typing import Any

from engine.testing import small_world, upgraded
from tests.redteam_world.charging import ChargeCase
from world import mail
from world.objects import Character

#: The most records a command reading one writer's mail may load: the
#: mailbox, its index's buckets, the writer's numbers and their messages,
#: with what every command loads (the account, the character, its room).
FEW = 20 + mail.MAX_FROM_ONE // 4


class MailWriterIndexTests(ChargeCase):
    def setUp(self) -> None:
        self.mail_scene()
        self.bob_id = self.character_id("Bob")
        self.mallory_id = self.character_id("Mallory")
        others = mail.MAX_MESSAGES - 6  # room for Mallory's few and one more
        with self.world.store.turn() as turn:
            for n in range(others):  # from many writers, a few each
                writer = self.mallory_id + 1000 + n // 5
                mail.deliver(turn.root, self.bob_id, "Bob", writer, "Someone", ("Bob",),
                             f"note {n}", "x" * 500, self.world.clock.seconds())
        for n in range(3):
            self.send(self.mallory, f"@mail bob = Mine {n}/Hello")

    def test_send_and_review_read_few(self) -> None:
        """
        Sending to a mailbox of almost a hundred messages, and reviewing,
        then retracting, one's own there, each load a few records, not the
        mailbox's messages.
        """
        loads, said = self.loads(self.mallory, "@mail bob = Mine 3/Hello")
        self.assertIn("sent", said.lower())
        self.assertLess(loads, FEW)
        loads, said = self.loads(self.mallory, "@mail/review bob")
        self.assertIn("Mine 0", said)
        self.assertIn("Mine 3", said)
        self.assertNotIn("note", said)
        self.assertLess(loads, FEW)
        loads, said = self.loads(self.mallory, "@mail/retract bob = 1")
        self.assertIn("You took back 1 message.", said)
        self.assertLess(loads, FEW)
        said = self.send(self.mallory, "@mail/review bob")
        self.assertNotIn("Mine 0", said)
        self.assertIn("Mine 1", said)

    def test_most_from_one_writer(self) -> None:
        """
        The index keeps the rule: a mailbox holds at most MAX_FROM_ONE
        messages of one writer; once Bob deletes one of hers, or she takes
        one back, Mallory may send one more.
        """
        with self.world.store.turn() as turn:
            box = mail.mailbox(turn.root, self.bob_id)
            assert box is not None
            for number in [n for n, m in box.messages.items() if m.sender != self.mallory_id]:
                mail.delete(box, box.messages[number])
        for n in range(3, mail.MAX_FROM_ONE):
            self.send(self.mallory, f"@mail bob = Mine {n}/Hello")
        said = self.send(self.mallory, "@mail bob = One more/Hello")
        self.assertIn(f"already holds {mail.MAX_FROM_ONE} messages from you", said)
        self.assertIn("You took back 1 message.", self.send(self.mallory, "@mail/retract bob = 2"))
        self.assertNotIn("already holds", self.send(self.mallory, "@mail bob = One more/Hello"))
        self.assertIn("already holds", self.send(self.mallory, "@mail bob = Too many/Hello"))
        with self.world.store.turn() as turn:
            box = mail.mailbox(turn.root, self.bob_id)
            assert box is not None
            first = mail.sent_by(box, self.mallory_id)[0].number
        self.assertIn("Deleted 1 message.", self.send(self.bob, f"@mail/delete {first}"))
        self.assertNotIn("already holds", self.send(self.mallory, "@mail bob = Again/Hello"))
        self.assertEqual(self.count("Bob"), mail.MAX_FROM_ONE)

    def test_a_mailbox_stored_before(self) -> None:
        """
        A mailbox stored with no index (the upgrade missed it) is indexed
        the first time it is needed, and keeps every rule after.
        """
        with self.world.store.turn() as turn:
            box = mail.mailbox(turn.root, self.bob_id)
            assert box is not None
            del box.by_writer  # as a mailbox stored before kept one
        said = self.send(self.mallory, "@mail/review bob")
        self.assertIn("Mine 2", said)
        self.assertNotIn("note", said)
        loads, said = self.loads(self.mallory, "@mail bob = Mine 3/Hello")
        self.assertLess(loads, FEW)
        with self.world.store.turn() as turn:
            box = mail.mailbox(turn.root, self.bob_id)
            assert box is not None and box.by_writer is not None
            self.assertEqual(list(box.by_writer[self.mallory_id]),
                             [n for n, m in box.messages.items() if m.sender == self.mallory_id])


class MailWriterUpgradeTests(ChargeCase):
    def test_upgrade_indexes_every_mailbox(self) -> None:
        """
        Generation 18 indexes the mailboxes a world stored before by
        writer: each writer's numbers, oldest first; sending and reviewing
        work on them after.
        """
        ids: dict[str, int] = {}

        def old(root: Any) -> None:
            small_world(root)
            for name in ("Ann", "Cat"):
                who = root.create(Character, name, location=root.start_room)
                ids[name] = who.id
            for n in range(6):
                writer = ids["Ann"] if n % 2 else ids["Cat"]
                mail.deliver(root, ids["Cat"] + 1 + n // 3, "Someone", writer, "W", ("S",),
                             f"note {n}", "body", 0.0)
            for box in root.mail.values():
                del box.by_writer  # as generation 17 stored them

        store = upgraded(self, 17, old)
        self.assertEqual(store.generation, 18)
        with store.turn() as turn:
            boxes = list(turn.root.mail.values())
            self.assertEqual(len(boxes), 2)
            for box in boxes:
                self.assertIn("by_writer", box.__dict__)
                for writer in (ids["Ann"], ids["Cat"]):
                    self.assertEqual(
                        list(box.by_writer[writer]),
                        [n for n, m in box.messages.items() if m.sender == writer])
                    self.assertEqual([m.subject for m in mail.sent_by(box, writer)],
                                     [m.subject for m in box.messages.values()
                                      if m.sender == writer])
