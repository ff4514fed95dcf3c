"""
What the red team's tests of charges ask a world: a character's stored
bytes, how much room is left them, how much mail waits for them, a
command sent at the pace a player may send them, one sent until their
share of the server's time is spent, alts passing by one after another,
the records a command loads, and what a world stored in a file keeps for
what it charges.
"""

from __future__ import annotations

import os
import string
import time
from collections.abc import Callable
from typing import Any

from twisted.trial.unittest import TestCase

from engine.limits import Limits
from engine.testing import TestWorld
from scripting.facets import accounting
from tests.scripts.helpers import Scene
from world import mail
from world.store import WorldStore


def until_refused(player: Any, line: str, most: int = 20) -> tuple[str, int]:
    """
    Send C{line} as C{player} until it is refused for their share of the
    server's time, at most C{most} times: what they were told last, and
    how many times it was sent.
    """
    said = ""
    sent = 0
    while sent < most and "share of the server's time" not in said:
        said = player.send(line)
        sent += 1
    return said, sent


def alt_name(n: int) -> str:
    """
    The name of the C{n}th alt (names hold no digits).
    """
    letters = string.ascii_lowercase
    return "Alt" + letters[n // 26] + letters[n % 26]


def pass_by(world: TestWorld, line: str, alts: int) -> list[str]:
    """
    C{alts} new players (one attacker's alts, each from an address of its
    own) log in one after another, send C{line} once and leave, a second
    apart (within a script's output rate): what each was told.
    """
    said = []
    for n in range(alts):
        alt = world.login(alt_name(n), address=f"10.0.{n // 200}.{n % 200 + 1}")
        said.append(alt.send(line))
        alt.disconnect()
        world.clock.advance(1)
    return said


def loaded(world: TestWorld, act: Callable[[], str]) -> tuple[int, str]:
    """
    The records C{act} loads from C{world}'s database (none kept in memory
    before it), and what it returns (what a player was told).
    """
    connection = world.store.connection
    connection.cacheMinimize()
    connection.getTransferCounts(True)
    said = act()
    return connection.getTransferCounts()[0], said


class ChargeCase(TestCase):
    """
    A test of what a world charges its characters; C{setUp} makes
    C{self.world} (a L{TestWorld}) and logs its players in.
    """

    world: TestWorld

    def mail_scene(self) -> None:
        """
        Make C{self.world}, whose hourly mail rate is no limit (a patient
        spammer gets there), with Mallory and Bob logged in
        (C{self.mallory}, C{self.bob}), shown nothing yet.
        """
        self.world = TestWorld(limits=Limits(mail_per_hour=1000))
        self.addCleanup(self.world.close)
        self.mallory = self.world.login("Mallory")
        self.bob = self.world.login("Bob")
        for player in (self.mallory, self.bob):
            player.output()

    def send(self, player: Any, line: str) -> str:
        """
        What C{player} is told after sending C{line} a second after their
        last command, its runs of white space made one space.
        """
        self.world.clock.advance(1)  # not too fast for the command rate
        return " ".join(player.send(line).split())

    def loads(self, player: Any, line: str) -> tuple[int, str]:
        """
        The records C{player}'s C{line}, sent a second after their last
        command, loads from the database (none kept in memory before it),
        and what it said, its runs of white space made one space.
        """
        self.world.clock.advance(1)
        return loaded(self.world, lambda: " ".join(player.send(line).split()))

    def character_id(self, name: str) -> int:
        """
        The id of the character of the account called C{name}.
        """
        with self.world.store.turn() as turn:
            return next(a.character_id for a in turn.root.accounts.values() if a.name == name)

    def stored(self, name: str) -> int:
        """
        The bytes charged to C{name}'s stored-bytes quota.
        """
        who = self.character_id(name)
        with self.world.store.turn() as turn:
            return accounting.usage(turn.root, who).stored_bytes

    def leave_room(self, name: str, room: int) -> None:
        """
        Set C{name}'s storage quota to leave them C{room} bytes more than
        they store now.
        """
        who = self.character_id(name)
        with self.world.store.turn() as turn:
            used = accounting.usage(turn.root, who).stored_bytes
            accounting.set_limit(turn.root, who, "storage", used + room)

    def count(self, name: str) -> int:
        """
        How many messages C{name}'s mailbox holds (none without a mailbox).
        """
        who = self.character_id(name)
        with self.world.store.turn() as turn:
            box = mail.mailbox(turn.root, who)
            return len(box) if box is not None else 0


class WrittenCase(TestCase):
    """
    A test of what a world stored in a file writes against what it charges
    Bob: C{setUp} makes C{self.s}, a L{Scene} in such a world, and
    C{self.bob_id}, Bob's character's id.

    @cvar timeless: whether the world's scripts take none of the server's
        time (their turns are never refused for it).
    """

    timeless = True
    s: Scene
    bob_id: int

    def setUp(self) -> None:
        path = os.path.join(self.mktemp(), "world.fs")
        os.makedirs(os.path.dirname(path))
        self.s = Scene(TestWorld(store=WorldStore(path)))
        self.addCleanup(self.s.world.close)
        if self.timeless:
            self.s.world.server.scripts.meters.cpu_time = lambda: 0.0
        self.bob_id = self.s.character("Bob").id

    def stored(self) -> int:
        """
        The bytes charged to Bob's stored-bytes quota.
        """
        with self.s.world.store.turn() as turn:
            return accounting.usage(turn.root, self.bob_id).stored_bytes

    def kept(self) -> int:
        """
        The database's size once packed: what stays written, without the
        turns' own records.
        """
        db = self.s.world.store.db
        db.pack(time.time() + 3600)  # (ZODB stamps transactions with real time)
        return db.getSize()

    def told(self, line: str, expected: str) -> None:
        """
        Bob sends C{line} a second after his last command, and is told
        C{expected}.
        """
        self.s.world.clock.advance(1)
        self.assertIn(expected, self.s.bob.send(line))

    def written(self, act: Callable[..., object], *args: object) -> tuple[int, int]:
        """
        Call C{act} with C{args}: what the database keeps for what it did,
        and what Bob is charged for it.
        """
        before, charged = self.kept(), self.stored()
        act(*args)
        return self.kept() - before, self.stored() - charged

    def assertPaysFor(self, cost: int, written: int, case: object) -> None:
        """
        C{cost} is at least C{written}, and not more than twice that;
        C{case} says which case failed.
        """
        self.assertGreaterEqual(cost, written, case)
        self.assertLessEqual(cost, 2 * written, case)
