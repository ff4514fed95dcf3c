# -*- test-case-name: tests.redteam_world.test_forgery_names_limits -*-
"""
The edges of the commands that show players' words back: what a hostile
player types to C{@badnames}, C{@mail/delete} and C{@mail/retract} gets a
clear answer and changes nothing, a channel's history holds its ceiling
whatever one line is, and the rules of names cost a bounded number of
steps whatever name is given.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

from twisted.trial.unittest import TestCase

from engine.commands import admin
from engine.limits import Limits
from engine.testing import TestWorld
from tests.redteam_world.charging import ChargeCase
from world import channels, mail, names
from world.errors import WorldError
from world.objects import Room, Thing
from world.rules import MAX_ALIASES, MAX_NAME


class BadNamesArgumentTests(TestCase):
    """
    C{@badnames #<number>} takes any number a wizard types: digits that are
    no ASCII digits, or a number past every object's, get a clear answer.
    """

    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)
        self.wizard = self.world.login("Wiz")
        self.wizard.output()

    def test_other_digits(self) -> None:
        said = self.wizard.send("@badnames #\u00b2")
        self.assertIn("Type '@badnames' or '@badnames #<number>'", said)
        said = self.wizard.send("@badnames #\u0663")
        self.assertIn("Type '@badnames' or '@badnames #<number>'", said)

    def test_page_of_aliases(self) -> None:
        """
        A page shows at most L{admin.BADNAMES_SHOWN} names, however many
        refused aliases each thing has, and an object's names together: the
        next page goes on from the object that did not fit.
        """
        with self.world.store.turn() as turn:
            hall = turn.root.create(Room, "Hall")
            ids = [turn.root.create(
                Thing, f"Session {n}", location=hall,
                aliases=tuple(f"Session {n}{a}" for a in "abcdefghij")).id for n in range(3)]
        self.assertGreaterEqual(admin.BADNAMES_SHOWN, MAX_ALIASES + 1)
        first = self.wizard.send("@badnames")
        self.assertEqual(first.count(" is called "), 11)
        self.assertIn(f"type '@badnames #{ids[1]}'", first)
        second = self.wizard.send(f"@badnames #{ids[1]}")
        self.assertEqual(second.count(" is called "), 11)
        self.assertIn(f"#{ids[1]} is called 'Session 1j'", second)

    def test_names_shown_as_written(self) -> None:
        """
        A stored name holding colour markup, terminal escapes or a
        right-to-left override is shown to the wizard quoted and inert:
        none of them reaches the wizard's screen as what it does.
        """
        with self.world.store.turn() as turn:
            hall = turn.root.create(Room, "Hall")
            turn.root.create(Thing, "|rSession\x1b[2J\u202eover\r\nThe server", location=hall)
        said = self.wizard.send("@badnames")
        self.assertIn("is called '|rSession\\x1b[2J\\u202eover\\r\\nThe server'", said)
        for raw in ("\x1b", "\u202e", "\r"):
            self.assertNotIn(raw, said)

    def test_huge_number(self) -> None:
        said = self.wizard.send("@badnames #" + "9" * 30)
        self.assertIn("No stored name is refused from #" + "9" * 30 + ".", said)


class MailNumberTests(TestCase):
    """
    Numbers of messages a player types, backwards, zero, huge or 'all' of
    none, get a clear answer and delete or take back nothing.
    """

    def setUp(self) -> None:
        self.world = TestWorld(limits=Limits(mail_per_hour=1000))
        self.addCleanup(self.world.close)
        self.mallory = self.world.login("Mallory")
        self.bob = self.world.login("Bob")
        self.mallory.output()
        self.bob.output()

    def test_delete_numbers(self) -> None:
        self.assertIn("no such message", self.bob.send("@mail/delete all"))
        self.mallory.send("@mail bob = Hi/There")
        self.assertIn("Give the first number, then the last", self.bob.send("@mail/delete 5-2"))
        self.assertIn("no such message", self.bob.send("@mail/delete 0"))
        self.assertIn("no such message", self.bob.send("@mail/delete " + "9" * 30))
        self.assertIn("Give the first number, then the last",
                      self.bob.send("@mail/delete 1-" + "9" * 30))
        self.assertIn("Say which message", self.bob.send("@mail/delete \u00b2"))
        self.assertIn("You have no message", self.bob.send("@mail " + "9" * 30))
        self.assertIn("1 new of 1", self.bob.send("@mail"))

    def test_retract_numbers(self) -> None:
        self.assertIn("no such message", self.mallory.send("@mail/retract bob = all"))
        self.mallory.send("@mail bob = Hi/There")
        for given in ("5-2", "1-" + "9" * 30):
            self.assertIn("Give the first number, then the last",
                          self.mallory.send(f"@mail/retract bob = {given}"))
        for given in ("0", "9" * 30, "2"):
            self.assertIn("no such message", self.mallory.send(f"@mail/retract bob = {given}"))
        self.assertIn("Type '@mail/retract <name> = <n>'", self.mallory.send("@mail/retract bob"))
        self.assertIn("1 new of 1", self.bob.send("@mail"))


class FullMailboxTests(ChargeCase):
    """
    Mail to a full mailbox is refused with a clear answer, reaches none of
    its recipients and charges its writer nothing.
    """

    def setUp(self) -> None:
        self.world = TestWorld(limits=Limits(mail_per_hour=1000))
        self.addCleanup(self.world.close)
        self.carol = self.world.login("Carol")
        for name in ("Alice", "Bob"):
            self.world.login(name).output()
        self.carol.output()
        bob = self.character_id("Bob")
        with self.world.store.turn() as turn:
            for n in range(mail.MAX_MESSAGES):  # from five writers, 20 each
                mail.deliver(turn.root, bob, "Bob", 10_000 + n // mail.MAX_FROM_ONE, "Zed",
                             ("Bob",), f"note {n}", "x", self.world.clock.seconds())

    def test_refused(self) -> None:
        before = self.stored("Carol")
        said = self.send(self.carol, "@mail alice bob = Hi/There")
        self.assertIn(f"Bob's mailbox is full ({mail.MAX_MESSAGES} messages)", said)
        self.assertEqual(self.stored("Carol"), before)
        self.assertEqual(self.count("Alice"), 0)
        self.assertEqual(self.count("Bob"), mail.MAX_MESSAGES)


class ChannelHistoryTests(TestCase):
    """
    A channel's history holds at most L{channels.HISTORY_BYTES}, and the
    bytes it counts are the bytes of the lines it holds, however it was
    talked on.
    """

    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)
        self.alice = self.world.login("Alice")
        self.alice.output()

    def history(self) -> tuple[int, int | None, int]:
        # Its lines, the bytes it counts, and the bytes those lines store.
        with self.world.store.turn() as turn:
            channel = channels.find(turn.root, "pub")
            assert channel is not None
            lines = list(channel.history.values())
            return (len(lines), channel.history_bytes,
                    sum(channels.line_size(s, o) for _, s, o in lines))

    def test_one_line_past_the_ceiling(self) -> None:
        """
        One line bigger than the whole ceiling is told, and kept by no
        history: the history is empty rather than over its ceiling.
        """
        self.alice.send("pub hello")
        with self.world.store.turn() as turn:
            channel = channels.find(turn.root, "pub")
            assert channel is not None
            channels.post(turn, channel, "x" * (channels.HISTORY_BYTES + 1), 0.0, (),
                          talker="Alice")
        self.assertEqual(self.history(), (0, 0, 0))

    def test_counted_bytes_stay_true(self) -> None:
        """
        Lines of every size, multi-byte ones too, past both ceilings: the
        count is the lines' bytes, within the ceiling.
        """
        for n in range(150):
            self.alice.send("pub " + "\u00e9\u2603" * (n % 40) + str(n))
        count, counted, true = self.history()
        self.assertEqual(counted, true)
        self.assertLessEqual(true, channels.HISTORY_BYTES)
        self.assertLessEqual(count, channels.HISTORY)


def _steps(call: Callable[[], Any]) -> int:
    """
    How many Python function calls C{call} makes (C calls included), a
    measure of its work that no machine's load changes.
    """
    count = 0

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        call()
    except WorldError:
        pass
    finally:
        sys.setprofile(None)
    return count


class NameCostTests(TestCase):
    """
    A hostile name costs the rules of names a bounded number of steps: a
    name past L{MAX_NAME} is refused at the edge before any rule reads it,
    and the rules read any name in steps that grow with its length, not
    its square.
    """

    #: Names made to make the rules read long: many initials ("A. A. ..."),
    #: words split to join, countdown words, presence words, commas.
    SHAPES = ("A. ", "p a ", "in 5 ", "Bob left ", "a, ", "x", "Pass-word ", "3O ")

    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)
        self.alice = self.world.login("Alice")
        self.alice.output()

    def test_refused_at_the_edge(self) -> None:
        for shape in self.SHAPES:
            name = (shape * 1000)[:1000].strip()
            said = self.alice.send(f"@create {name}")
            self.assertIn(f"at most {MAX_NAME} characters", said)

    def test_bounded(self) -> None:
        """
        L{names.check_thing_name} refuses a 1,000-character name of any
        shape in a few steps, before any rule reads it, and reads the
        costliest names of L{MAX_NAME} characters (many full stops: "A. A.
        A. ...", each followed by a reading of the rest) in at most 50,000
        steps; a 1,000-character one read by the rules would take millions.
        """
        with self.world.store.turn() as turn:
            root = turn.root
            names.check_thing_name(root, "warm the caches")
            for shape in self.SHAPES:
                long = (shape * 1000)[:1000].strip()
                longest = (shape * 100)[:MAX_NAME].strip()
                self.assertLessEqual(_steps(lambda n=long: names.check_thing_name(root, n)), 50,
                                     shape)
                self.assertLessEqual(_steps(lambda n=longest: names.check_thing_name(root, n)),
                                     50_000, shape)
