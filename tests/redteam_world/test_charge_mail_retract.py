"""
Mail as a hostile reader keeps it: no reader holds a part of a writer's
stored-bytes quota for long. Until a message is read its writer may take
it back (C{@mail/retract}, listed by C{@mail/review}), which refunds it; a
read message expires L{world.mail.READ_LIFETIME} after it was first read,
refunding its writer, unless its reader keeps it (C{@mail/keep}), which
moves its charge to the reader's own quota (refused, keeping nothing, past
it). A mailbox sheds its expired mail whenever it is used: by its reader,
by mail sent to it, or by a writer reviewing it.
"""

from __future__ import annotations

from tests.redteam_world.charging import ChargeCase
from world import mail


class MailRetractTests(ChargeCase):
    def setUp(self) -> None:
        self.mail_scene()
        self.size = len("Hi") + len("Buy now")

    def test_retract_unread(self) -> None:
        """
        Mallory reviews her messages in Bob's mailbox, numbered 1, 2, ...
        among hers only, and takes back one Bob has not read: it is gone
        from his mailbox (and his count of new mail), and refunded.
        """
        before = self.stored("Mallory")
        self.send(self.bob, "@mail bob = Note to self/keep")  # not Mallory's: not hers to see
        self.send(self.mallory, "@mail bob = Hi/Buy now")
        self.send(self.mallory, "@mail bob = Again/Buy now")
        said = self.send(self.mallory, "@mail/review bob")
        self.assertIn("1 ", said)
        self.assertIn("unread Hi", said)
        self.assertIn("unread Again", said)
        self.assertNotIn("Note to self", said)
        self.assertIn("You took back 1 message.", self.send(self.mallory, "@mail/retract bob = 1"))
        self.assertEqual(self.stored("Mallory") - before, len("Again") + len("Buy now"))
        self.assertEqual(self.count("Bob"), 2)
        listed = self.send(self.bob, "@mail").partition("Your mail")[2]
        self.assertIn("2 new of 2", listed)
        self.assertNotIn(" Hi", listed)
        self.assertIn("You took back 1 message.",
                      self.send(self.mallory, "@mail/retract bob = all"))
        self.assertEqual(self.stored("Mallory"), before)
        self.assertIn("holds no message of yours", self.send(self.mallory, "@mail/review bob"))
        self.assertIn("no such message", self.send(self.mallory, "@mail/retract bob = 1"))

    def test_read_mail_is_not_retracted(self) -> None:
        """
        Once Bob has read a message it stays his to delete: Mallory's
        retract says so and changes nothing.
        """
        self.send(self.mallory, "@mail bob = Hi/Buy now")
        self.send(self.bob, "@mail 1")
        charged = self.stored("Mallory")
        said = self.send(self.mallory, "@mail/retract bob = 1")
        self.assertIn("You took back nothing; 1 already read or kept by Bob", said)
        self.assertEqual((self.count("Bob"), self.stored("Mallory")), (1, charged))
        self.assertIn("Buy now", self.send(self.bob, "@mail 1"))

    def test_read_mail_expires(self) -> None:
        """
        A read message stays READ_LIFETIME after it was first read
        (reading it again does not extend that), then is gone from the
        mailbox the next time it is used, refunding its writer; Bob is
        told. Unread mail never expires.
        """
        before = self.stored("Mallory")
        self.send(self.mallory, "@mail bob = Hi/Buy now")
        self.send(self.mallory, "@mail bob = Unread/Buy now")
        self.send(self.bob, "@mail 1")
        self.world.clock.advance(mail.READ_LIFETIME - 100)
        self.send(self.bob, "@mail 1")
        self.assertIn("read (expires", self.send(self.mallory, "@mail/review bob"))
        self.world.clock.advance(100)
        said = self.send(self.bob, "@mail")
        self.assertIn("1 read message older than 30 days expired", said)
        self.assertIn("Unread", said)
        self.assertEqual(self.count("Bob"), 1)
        self.assertEqual(self.stored("Mallory") - before, len("Unread") + len("Buy now"))

    def test_a_reader_cannot_hold_a_writers_quota(self) -> None:
        """
        Bob reads all MAX_FROM_ONE messages Mallory may leave him and never
        deletes one: READ_LIFETIME later, Mallory's own review of his
        mailbox (or her next message to it) gives her quota back, and she
        may write to him again as much as before.
        """
        before = self.stored("Mallory")
        for n in range(mail.MAX_FROM_ONE):
            self.send(self.mallory, f"@mail bob = Spam {n:02}/" + "y" * 1000)
        self.assertIn("already holds", self.send(self.mallory, "@mail bob = More/y"))
        self.send(self.bob, f"@mail/read {mail.MAX_FROM_ONE}")
        for n in range(1, mail.MAX_FROM_ONE):
            self.send(self.bob, f"@mail {n}")
        self.assertEqual(self.stored("Mallory") - before,
                         mail.MAX_FROM_ONE * (len("Spam 00") + 1000))
        self.world.clock.advance(mail.READ_LIFETIME)
        self.assertIn("holds no message of yours", self.send(self.mallory, "@mail/review bob"))
        self.assertEqual((self.stored("Mallory"), self.count("Bob")), (before, 0))
        self.assertIn("Sent to Bob", self.send(self.mallory, "@mail bob = Hi/Buy now"))

    def test_kept_mail_is_the_readers(self) -> None:
        """
        Bob keeping a message moves its charge from Mallory to him: it
        never expires, Mallory cannot take it back, and Bob deleting it
        refunds him.
        """
        mallory, bob = self.stored("Mallory"), self.stored("Bob")
        self.send(self.mallory, "@mail bob = Hi/Buy now")
        self.assertIn("You keep 1 message for good", self.send(self.bob, "@mail/keep 1"))
        self.assertEqual((self.stored("Mallory") - mallory, self.stored("Bob") - bob),
                         (0, self.size))
        self.send(self.bob, "@mail/keep 1")  # already kept: charged once
        self.assertEqual(self.stored("Bob") - bob, self.size)
        self.assertIn("1 already read or kept by Bob",
                      self.send(self.mallory, "@mail/retract bob = 1"))
        self.world.clock.advance(2 * mail.READ_LIFETIME)
        self.assertIn("\n  +  1", self.bob.send("@mail"))
        self.assertIn("kept", self.send(self.mallory, "@mail/review bob"))
        self.send(self.bob, "@mail/delete 1")
        self.assertEqual((self.stored("Mallory"), self.stored("Bob")), (mallory, bob))

    def test_keeping_past_the_readers_quota(self) -> None:
        """
        Bob with no room for a message is refused keeping it, told why:
        nothing is kept, and it stays its writer's (and expires as read
        mail does).
        """
        self.send(self.mallory, "@mail bob = Hi/Buy now")
        self.send(self.mallory, "@mail bob = Again/Buy now")
        charged = self.stored("Mallory")
        self.leave_room("Bob", self.size)
        said = self.send(self.bob, "@mail/keep all")
        self.assertIn("more bytes of storage", said)
        self.assertIn("Nothing was kept", said)
        self.assertEqual(self.stored("Mallory"), charged)
        self.assertNotIn("\n  +", self.bob.send("@mail"))
        self.assertIn("You keep 1 message", self.send(self.bob, "@mail/keep 1"))
        self.assertEqual(self.stored("Mallory"), charged - self.size)

    def test_read_before_the_time_was_kept(self) -> None:
        """
        A message read in a world stored before the time of reading was
        kept gets its time when its mailbox is next used: it expires
        READ_LIFETIME after that, never at once.
        """
        self.send(self.mallory, "@mail bob = Hi/Buy now")
        self.send(self.bob, "@mail 1")
        who = self.character_id("Bob")
        with self.world.store.turn() as turn:
            box = mail.mailbox(turn.root, who)
            assert box is not None
            del box.messages[1].read_at  # as a world stored before kept it
        self.world.clock.advance(2 * mail.READ_LIFETIME)
        self.assertNotIn("expired", self.send(self.bob, "@mail"))
        self.assertEqual(self.count("Bob"), 1)
        self.world.clock.advance(mail.READ_LIFETIME)
        self.assertIn("expired", self.send(self.bob, "@mail"))
        self.assertEqual(self.count("Bob"), 0)
