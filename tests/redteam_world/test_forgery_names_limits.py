# -*- test-case-name: tests.redteam_world.test_forgery_names_limits -*-
"""
The edges of the commands that show players' words back: what a hostile
player types to C{@badnames}, C{@mail/delete} and C{@mail/retract} gets a
clear answer and changes nothing, a channel's history holds its ceiling
whatever one line is, and the rules of names cost a bounded number of
steps whatever name is given.
"""

from __future__ import annotations

import re
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
        self.said: list[str] = []

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

    def test_page_of_costly_names(self) -> None:
        """
        A page checks at most L{admin.BADNAMES_CHECKED} names against the
        rules, however many objects it may read: a builder's quota of
        things, each with a name and ten aliases the rules accept but read
        slowest ("A. A. A. ..."), is read over several pages, each in a
        bounded number of checks and steps, and every page says where the
        next goes on until none is left.
        """
        letters = "ABCDEFGHJKMNOPQRSTUVWXYZ"  # (not "I. I. ...": "I" starts a sentence)
        with self.world.store.turn() as turn:
            hall = turn.root.create(Room, "Hall")
            for n in range(100):
                turn.root.create(Thing, ("A. " * 27)[:MAX_NAME].strip(), location=hall,
                                 aliases=tuple(((letters[(n + a) % len(letters)] + ". ") * 27)[
                                     :MAX_NAME].strip() for a in range(MAX_ALIASES)))
        self.assertGreaterEqual(admin.BADNAMES_CHECKED, MAX_ALIASES + 1)
        self.wizard.send("look")  # warm the caches
        checks = _steps(lambda: self.said.append(self.wizard.send("@badnames")),
                        names.check_thing_name)
        self.assertLessEqual(checks, admin.BADNAMES_CHECKED)
        self.assertGreater(checks, admin.BADNAMES_CHECKED - MAX_ALIASES - 1)
        start, pages = 0, 1
        while True:
            said = self.said[-1]
            self.assertIn("No stored name is refused", said)
            after = re.search(r"type '@badnames #(\d+)'", said)
            if after is None:
                break
            with self.world.store.turn() as turn:
                read = turn.root.objects.values(min=start, max=int(after.group(1)),
                                                excludemax=True)
                checked = sum(1 + len(obj.aliases) for obj in read
                              if obj.kind != "character")
            self.assertLessEqual(checked, admin.BADNAMES_CHECKED)
            start = int(after.group(1))
            self.said.append(self.wizard.send(f"@badnames #{start}"))
            pages += 1
        self.assertEqual(pages, -(-100 * (MAX_ALIASES + 1) // admin.BADNAMES_CHECKED))

    def test_checked_names_bound_a_page(self) -> None:
        """
        L{names.refusals_from} checks at most C{checking} names, but always
        one object's names, all of them, so every page goes on.
        """
        with self.world.store.turn() as turn:
            hall = turn.root.create(Room, "Hall")
            ids = [turn.root.create(Thing, f"Session {n}", location=hall,
                                    aliases=(f"lamp {n}", f"Session {n}b")).id
                   for n in range(3)]
            found, after = names.refusals_from(turn.root, ids[0], None, None, checking=1)
            self.assertEqual([ref for ref, _, _ in found], [ids[0], ids[0]])
            self.assertEqual(after, ids[1])
            found, after = names.refusals_from(turn.root, ids[0], None, None, checking=6)
            self.assertEqual(len(found), 4)
            self.assertEqual(after, ids[2])
            found, after = names.refusals_from(turn.root, ids[2], None, None, checking=6)
            self.assertEqual(len(found), 2)
            self.assertIsNone(after)

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
            for n in range(mail.MAX_MESSAGES):  # from five writers, 20 each, read by Bob
                # (read: none gives way for a new writer, mail.make_room)
                message = mail.deliver(turn.root, bob, "Bob", 10_000 + n // mail.MAX_FROM_ONE,
                                       "Zed", ("Bob",), f"note {n}", "x",
                                       self.world.clock.seconds())
                mail.mark_read(mail.mailbox(turn.root, bob), message, self.world.clock.seconds())

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
                    sum(channels.line_size(s, o) for _, s, o, *_ in lines))

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


def _steps(call: Callable[[], Any], of: Callable[..., Any] | None = None) -> int:
    """
    How many Python function calls C{call} makes (C calls included), a
    measure of its work that no machine's load changes; or, given C{of},
    how many times it calls that function.
    """
    count = 0
    code = None if of is None else of.__code__

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal count
        if event in ("call", "c_call") and (code is None or (frame.f_code is code
                                                             and event == "call")):
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

    #: Names made to make the rules read long: many initials ("A. A. ...",
    #: "K. L. ...") or abbreviations ("No. No. ..."), each a full stop
    #: followed by more words, words split to join, countdown words,
    #: presence words, commas.
    SHAPES = ("A. ", "K. L. ", "No. ", "Mr. ", "A.B ", "K.", "p a ", "X Y ", "in 5 ",
              "Bob left ", "a, ", "x", "Pass-word ", "3O ", "the ", "He-Man ", ". ")

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
        A. ...", each followed by a reading of what follows) in at most
        12,000 steps, some 150 a character; before the rules read a few
        words after each full stop, "A. A. ..." took 22,000.
        """
        with self.world.store.turn() as turn:
            root = turn.root
            names.check_thing_name(root, "warm the caches")
            for shape in self.SHAPES:
                long = (shape * 1000)[:1000].strip()
                longest = (shape * 100)[:MAX_NAME].strip()
                names.check_thing_name(root, "warm the caches")
                self.assertLessEqual(_steps(lambda n=long: names.check_thing_name(root, n)), 50,
                                     shape)
                _steps(lambda n=longest: names.check_thing_name(root, n))
                self.assertLessEqual(_steps(lambda n=longest: names.check_thing_name(root, n)),
                                     12_000, shape)

    def test_linear(self) -> None:
        """
        The rules read a name in steps that grow with its length, not its
        square: a name of any shape twice as long takes at most a little
        over twice the steps (the square would take four times).
        """
        with self.world.store.turn() as turn:
            root = turn.root

            def steps(name: str) -> int:
                _steps(lambda: names.check_thing_name(root, name))  # its caches warm
                return _steps(lambda: names.check_thing_name(root, name))

            for shape in self.SHAPES:
                half = steps((shape * 100)[:MAX_NAME // 2].strip())
                whole = steps((shape * 100)[:MAX_NAME].strip())
                self.assertLessEqual(whole, 2.1 * half, shape)
