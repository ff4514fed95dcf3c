# -*- test-case-name: tests.redteam_world.test_r7_attack_mailbox_ties -*-
"""
A flood of alts' mail makes room from the flood, not from the friend who
wrote first (issue 9, round 7).

Alice wrote Bob, away, as many messages as one may (a long trip's worth);
four of Mallory's alts then filled the rest of his mailbox with as many
each. A fifth alt's junk made room by dropping one of Alice's: ties
between the writers with the most went to the lowest character id, the
oldest account, so a flood of new accounts had their elders' mail dropped,
one message per junk, while the flood kept theirs. Now among writers with
as many messages, the one who began writing there last gives way first
(with more alts, each writer still keeps as many as the rest: those who
wrote the most give way first, L{test_r6_rt_mailbox_alts}).
"""

from __future__ import annotations

from tests.redteam_world.charging import ChargeCase, alt_name
from world import mail


class FloodAfterFriendTests(ChargeCase):
    """
    Alice's messages, then four alts', fill Bob's mailbox.
    """

    def setUp(self) -> None:
        self.mail_scene()
        self.alice = self.world.login("Alice")
        self.bob.disconnect()
        for n in range(mail.MAX_FROM_ONE):
            self.assertIn("Sent to Bob", self.send(self.alice, f"@mail bob = Trip {n}/Day {n}"))
        writers = mail.MAX_MESSAGES // mail.MAX_FROM_ONE
        self.alts = [self.world.login(alt_name(n), address=f"10.0.0.{n + 1}")
                     for n in range(writers)]
        for alt in self.alts[:writers - 1]:
            for n in range(mail.MAX_FROM_ONE):
                self.assertIn("Sent to Bob", self.send(alt, f"@mail bob = Junk {n}/Buy now"))
        self.assertEqual(self.count("Bob"), mail.MAX_MESSAGES)

    def subjects(self) -> list[str]:
        bob = self.character_id("Bob")
        with self.world.store.turn() as turn:
            return [m.subject for m in mail.mailbox(turn.root, bob).messages.values()]

    def test_flood_gives_way(self) -> None:
        """
        The fifth alt's four messages drop one of each of the four alts',
        never Alice's, who wrote as many.
        """
        for n in range(mail.MAX_MESSAGES // mail.MAX_FROM_ONE - 1):
            self.assertIn("Sent to Bob", self.send(self.alts[-1], f"@mail bob = More {n}/Buy"))
        subjects = self.subjects()
        self.assertEqual(sum(s.startswith("Trip") for s in subjects), mail.MAX_FROM_ONE)
        self.assertIn("Trip 0", subjects)
