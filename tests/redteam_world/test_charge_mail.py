"""
A mailbox is shared fairly between those who write to it: one hostile
account cannot fill another player's mailbox so that her friends' mail
bounces.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.limits import Limits
from engine.testing import TestWorld
from world import mail


class MailboxShareTests(TestCase):
    def setUp(self) -> None:
        # The hourly rate is not what this is about: a patient spammer gets there.
        self.world = TestWorld(limits=Limits(mail_per_hour=1000))
        self.addCleanup(self.world.close)
        self.mallory = self.world.login("Mallory")
        self.alice = self.world.login("Alice")
        self.bob = self.world.login("Bob")
        self.bob.disconnect()

    def send(self, player, line: str) -> str:
        self.world.clock.advance(1)  # not too fast for the command rate
        return player.send(line)

    def test_one_sender_cannot_fill_a_mailbox(self) -> None:
        """
        Past MAX_FROM_ONE messages in Bob's mailbox, Mallory's next one is
        refused (saying why, nothing delivered); Alice still reaches him.
        """
        for n in range(mail.MAX_FROM_ONE):
            self.assertIn("Sent to Bob", self.send(self.mallory, f"@mail bob = Spam {n}/Buy now"))
        for n in range(5):
            said = self.send(self.mallory, f"@mail bob = More {n}/Buy now")
            self.assertIn(f"already holds {mail.MAX_FROM_ONE} messages from you", said)
        self.assertIn("Sent to Bob", self.alice.send("@mail bob = Lunch?/Tomorrow at noon"))
        bob = self.world.login("Bob")
        self.assertIn(f"({mail.MAX_FROM_ONE + 1} new of {mail.MAX_FROM_ONE + 1};",
                      bob.send("@mail"))

    def test_reading_and_deleting_make_room_again(self) -> None:
        """
        Once Bob deletes Mallory's messages, Mallory may write again: the
        share counts what the mailbox holds, not what was ever sent.
        """
        for n in range(mail.MAX_FROM_ONE):
            self.send(self.mallory, f"@mail bob = Note {n}/Hi")
        self.assertIn("already holds", self.mallory.send("@mail bob = One more/Hi"))
        bob = self.world.login("Bob")
        self.assertIn("Deleted 1 message.", bob.send("@mail/delete 1"))
        self.assertIn("Sent to Bob", self.mallory.send("@mail bob = One more/Hi"))
