"""
Mail as a hostile writer uses it: every message stored in a mailbox is
charged to its writer's stored-bytes quota (its subject and body, once for
each mailbox it lands in) until its reader deletes it, so an account that
writes much mail cannot grow the database past what it may store. A
message past the quota, or to a full mailbox, is refused with a message
saying why, delivered to nobody, and a message typed in the editor is kept
to send again: no mail is lost silently.
"""

from __future__ import annotations

from typing import Any

from engine.limits import Limits
from engine.testing import TestWorld
from tests.redteam_world.charging import ChargeCase
from world import mail


class MailChargeTests(ChargeCase):
    def setUp(self) -> None:
        self.world = TestWorld(limits=Limits(mail_per_hour=1000, creations_per_hour=20))
        self.addCleanup(self.world.close)
        self.mallory = self.world.login("Mallory")
        self.alice = self.world.login("Alice")
        self.bob = self.world.login("Bob")
        for player in (self.mallory, self.alice, self.bob):
            player.output()

    def send(self, player: Any, line: str) -> str:
        """
        What C{player} is told after sending C{line} a second after their
        last command, as it was written.
        """
        self.world.clock.advance(1)  # not too fast for the command rate
        return player.send(line)

    def test_charged_to_the_writer_per_mailbox(self) -> None:
        """
        A message to two characters is charged to its writer twice (its
        subject and body in UTF-8 bytes, once in each mailbox); each reader
        deleting it refunds their copy, and the readers pay nothing.
        """
        before = self.stored("Mallory")
        subject, body = "Caf\u00e9", "Buy now \u2014 cheap"
        size = len(subject.encode()) + len(body.encode())
        self.assertIn("Sent to Alice, Bob", self.send(self.mallory,
                                                      f"@mail alice bob = {subject}/{body}"))
        self.assertEqual(self.stored("Mallory") - before, 2 * size)
        self.assertEqual(self.stored("Alice"), 0)
        self.assertIn("Deleted 1 message.", self.send(self.alice, "@mail/delete 1"))
        self.assertEqual(self.stored("Mallory") - before, size)
        self.assertIn("Deleted 1 message.", self.send(self.bob, "@mail/delete all"))
        self.assertEqual(self.stored("Mallory"), before)

    def test_past_the_quota_reaches_nobody(self) -> None:
        """
        A writer with room for one copy but not two is refused, saying so;
        neither reader gets it, and it does not count against the hourly
        rate.
        """
        body = "x" * 1000
        self.leave_room("Mallory", len("Hi") + len(body) + 10)
        said = self.send(self.mallory, f"@mail alice bob = Hi/{body}")
        self.assertIn("more bytes of storage", said)
        self.assertIn("Nothing was sent", said)
        self.assertEqual((self.count("Alice"), self.count("Bob")), (0, 0))
        self.assertEqual(self.world.server.mail_sent.count(
            str(self.character_id("Mallory"))), 0)
        self.assertIn("Sent to Alice", self.send(self.mallory, f"@mail alice = Hi/{body}"))

    def test_many_writes_stop_at_the_quota(self) -> None:
        """
        However many characters Mallory writes to, what her mail stores in
        all mailboxes together stays within her quota.
        """
        quota = 20_000
        self.leave_room("Mallory", quota)
        start = self.stored("Mallory")
        names = ["Dora", "Edna", "Fiona", "Gwen", "Hilda", "Irene", "Julia", "Katie"]
        for name in names:
            self.world.login(name).disconnect()
        refused = 0
        for name in names:
            for n in range(mail.MAX_FROM_ONE):
                said = self.send(self.mallory, f"@mail {name} = Spam {n:02}/{'y' * 3900}")
                refused += "more bytes of storage" in " ".join(said.split())
        self.assertGreater(refused, 0)
        self.assertLessEqual(self.stored("Mallory") - start, quota)
        stored = sum(self.count(name) for name in names)
        self.assertGreater(stored, 0)
        self.assertEqual(stored, (self.stored("Mallory") - start) // (len("Spam 00") + 3900))

    def test_full_mailbox_keeps_the_typed_message(self) -> None:
        """
        A message typed in the editor to a full mailbox is refused, saying
        the mailbox is full, and kept: once there is room, '.' sends it.
        """
        self.patch(mail, "MAX_MESSAGES", 1)
        self.send(self.mallory, "@mail bob = First/1")
        self.send(self.alice, "@mail bob = Lunch?")
        self.alice.send("Tomorrow at noon,")
        self.alice.send("by the quay.")
        said = self.alice.send(".")
        self.assertIn("Bob's mailbox is full", said)
        self.assertIn("kept", said)
        self.assertEqual(self.alice.send(".list"), "  Tomorrow at noon,\n  by the quay.\n")
        self.send(self.bob, "@mail/delete 1")
        self.assertIn("Sent to Bob: Lunch?", self.alice.send("."))
        self.assertIn("Tomorrow at noon,\n  by the quay.", self.send(self.bob, "@mail 1"))
        self.assertIn("You see", self.alice.send("look"))  # back to commands

    def test_abort_after_a_refusal(self) -> None:
        """
        After a refusal '.abort' gives the kept message up, and nothing is
        sent or charged.
        """
        before = self.stored("Alice")
        self.leave_room("Alice", 5)
        self.send(self.alice, "@mail bob = Essay")
        self.alice.send("z" * 500)
        self.assertIn("more bytes of storage", self.alice.send("."))
        self.assertIn("not sent", self.alice.send(".abort"))
        self.assertEqual((self.count("Bob"), self.stored("Alice")), (0, before))
