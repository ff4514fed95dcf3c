# -*- test-case-name: tests.redteam_world.test_r6_rt_account_walks -*-
"""
Commands any player may type read a bounded part of the world, however
many accounts it has. Three read every account, uncharged (they are not
building commands): '@mail <a name no one has> = hi' compared the name
with every account's (difflib, for its "did you mean"), and '@channel'
and '@channel/who pub' counted the public channel's members by reading
every account. An account's typo cost the server a walk of all accounts
and a string comparison with each; alts typing them, a stall. Measured in
records loaded from the database (never a clock). (Found by redteam,
round 6.)
"""

from __future__ import annotations

from engine.accounts import Account, fold
from engine.testing import TestWorld
from tests.redteam_world.charging import ChargeCase
from world import mail, names
from world.objects import Character, Room


def add_accounts(world: TestWorld, first: int, count: int) -> None:
    """
    C{count} more accounts, each with its character (asleep, in a dormitory),
    named by number in letters (names hold no digits).
    """
    letters = "abcdefghijklmnopqrstuvwxyz"
    with world.store.turn() as turn:
        root = turn.root
        dorm = root.create(Room, f"Dormitory {first}")
        for n in range(first, first + count):
            name = "Sleeper" + "".join(letters[(n // 26 ** i) % 26] for i in range(3))
            character = root.create(Character, name, location=dorm)
            account = Account(name, "!", "player", character.id, 0.0)
            root.accounts[fold(name)] = account
            names.register_character(root, name)


class AccountWalkTests(ChargeCase):
    """
    Mallory, in a world of 300 sleeping accounts, then 1,500.
    """

    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)
        self.mallory = self.world.login("Mallory")
        self.mallory.output()

    def grows(self, line: str) -> tuple[int, int, str]:
        """
        The records C{line} loads among 300 accounts and among 1,500, and
        what it said the second time.
        """
        add_accounts(self.world, 0, 300)
        few, _ = self.loads(self.mallory, line)
        add_accounts(self.world, 300, 1200)
        many, said = self.loads(self.mallory, line)
        return few, many, said

    def test_mail_to_no_one(self) -> None:
        """
        Mail to a name no account has is refused, reading about as many
        records among 1,500 accounts as among 300.
        """
        few, many, said = self.grows("@mail Zyxwvut = hi/there")
        self.assertIn("There is no character called 'Zyxwvut'", said)
        self.assertLess(many, few + 50, (few, many))

    def test_channel_list(self) -> None:
        """
        '@channel' lists the channels, with how many are on pub, reading
        about as many records among 1,500 accounts as among 300.
        """
        few, many, said = self.grows("@channel")
        self.assertIn("pub", said)
        self.assertLess(many, few + 50, (few, many))

    def test_channel_who(self) -> None:
        """
        '@channel/who pub' reads about as many records among 1,500
        accounts as among 300.
        """
        few, many, said = self.grows("@channel/who pub")
        self.assertIn("Members:", said)
        self.assertLess(many, few + 50, (few, many))


class ManyRecipientsTests(ChargeCase):
    """
    Mallory names hundreds of accounts in one '@mail': at most
    L{world.mail.MAX_RECIPIENTS} may be named, and no more are looked up
    than that (each name named was looked up, and compared with every one
    found before it, before the count was checked).
    """

    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)
        self.mallory = self.world.login("Mallory")
        self.mallory.output()
        add_accounts(self.world, 0, 600)

    def names(self, count: int) -> str:
        with self.world.store.turn() as turn:
            return " ".join(a.name for a in list(turn.root.accounts.values())[:count]
                            if a.name != "Mallory")

    def test_refused_reading_a_few(self) -> None:
        """
        Naming 50 or 500 accounts is refused for naming too many, reading
        about as many records either way.
        """
        few, said = self.loads(self.mallory, f"@mail {self.names(50)} = hi/there")
        self.assertIn(f"at most {mail.MAX_RECIPIENTS} characters", said)
        many, said = self.loads(self.mallory, f"@mail {self.names(500)} = hi/there")
        self.assertIn(f"at most {mail.MAX_RECIPIENTS} characters", said)
        self.assertLess(many, few + 50, (few, many))
