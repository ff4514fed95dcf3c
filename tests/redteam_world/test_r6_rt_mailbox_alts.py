# -*- test-case-name: tests.redteam_world.test_r6_rt_mailbox_alts -*-
"""
A mailbox is shared fairly between those who write to it, alts or not.
One account may leave at most L{world.mail.MAX_FROM_ONE} messages in
another's mailbox, but five accounts (one attacker's alts, made in a
minute) filled Bob's mailbox to L{world.mail.MAX_MESSAGES} while he was
away, and every message his friends wrote him bounced ("Bob's mailbox is
full") until he came back and deleted the junk. Now a message to a full
mailbox makes room by dropping the oldest unread message of the writer
who has the most there, if that is more than its own writer would have
(refunding that writer, who is told): those who wrote the most give way
first.
(Found by redteam, round 6.)
"""

from __future__ import annotations

from tests.redteam_world.charging import ChargeCase, alt_name
from world import mail


class AltsFillMailboxTests(ChargeCase):
    """
    Five of Mallory's alts each write to Bob, away, as much as one may.
    """

    def setUp(self) -> None:
        self.mail_scene()
        self.alice = self.world.login("Alice")
        self.bob.disconnect()
        self.alts = [self.world.login(alt_name(n), address=f"10.0.0.{n + 1}")
                     for n in range(mail.MAX_MESSAGES // mail.MAX_FROM_ONE)]
        for alt in self.alts:
            for n in range(mail.MAX_FROM_ONE):
                self.assertIn("Sent to Bob", self.send(alt, f"@mail bob = Junk {n}/Buy now"))
        self.assertEqual(self.count("Bob"), mail.MAX_MESSAGES)

    def test_friend_still_reaches_him(self) -> None:
        """
        Alice's message reaches Bob's full mailbox; one alt's oldest junk
        (the alt that began writing last) gives way for it, and that alt is
        refunded what it stored.
        """
        last = len(self.alts) - 1
        before = self.stored(alt_name(last))
        said = self.send(self.alice, "@mail bob = Lunch?/Tomorrow at noon")
        self.assertIn("Sent to Bob", said)
        self.assertEqual(self.count("Bob"), mail.MAX_MESSAGES)
        bob = self.character_id("Bob")
        with self.world.store.turn() as turn:
            box = mail.mailbox(turn.root, bob)
            subjects = [m.subject for m in box.messages.values()]
        self.assertIn("Lunch?", subjects)
        self.assertEqual(subjects.count("Junk 0"), mail.MAX_MESSAGES // mail.MAX_FROM_ONE - 1)
        self.assertLess(self.stored(alt_name(last)), before)
        self.assertIn("Your unread message to Bob (Junk 0) was dropped",
                      " ".join(self.alts[last].output().split()))

    def test_heaviest_writer_refused_still(self) -> None:
        """
        An alt writing yet again is still refused (it has its share), and
        nothing of the others gives way for it.
        """
        said = self.send(self.alts[0], "@mail bob = More/Buy now")
        self.assertIn(f"already holds {mail.MAX_FROM_ONE} messages from you", said)
        self.assertEqual(self.count("Bob"), mail.MAX_MESSAGES)
