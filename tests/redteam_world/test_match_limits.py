"""
The index by name of each place, as a hostile builder loads it (issue 9):
it is charged to nobody, so what one thing may make it keep, and what one
name may make it read, are bounded.

  - A thing's names and aliases have at most
    L{world.objects.MAX_NAME_KEYS} keys together, so that moving it writes
    a bounded few records to each place's index (ten aliases of forty
    one-letter words each made a move write hundreds).
  - A name answering through several keys reads at most
    L{world.objects.MAX_ANSWERING} of their entries (C{look p} beside 990
    things sharing ten aliases starting with C{p} loaded 679 objects).
  - A look counts the scripted things it does not name instead of walking
    their numbers.

Measured in objects loaded and records written (ZODB's counters, never a
clock).
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.testing import SimulatedClient, TestWorld
from tests.engine.test_verbs_hints import flat
from tests.redteam_world import test_crowded_rooms as crowded
from tests.redteam_world.test_crowded_rooms import CLUTTER, LISTENER, loaded
from world import containment
from world.objects import MAX_NAME_KEYS, Thing, name_keys
from world.scripts import set_script

#: How many more objects naming beside the pile may load than beside a
#: few things: a deeper B-tree, never the pile.
FEW = 10


def words(count: int, start: int = 0) -> str:
    """
    A name of C{count} different short made-up words (C{zqab zqac ...}).
    """
    letters = "abcdefghijklmnopqrstuvwxyz"
    return " ".join(f"zq{letters[n // 26 % 26]}{letters[n % 26]}"
                    for n in range(start, start + count))


class NameKeysCapTests(TestCase):
    """
    No thing has names with more than L{MAX_NAME_KEYS} keys.
    """

    def world(self) -> tuple[TestWorld, SimulatedClient]:
        world = TestWorld()
        self.addCleanup(world.close)
        alice = world.login("Alice", role="builder")
        alice.send("@create widget")
        return world, alice

    def names(self, world: TestWorld) -> tuple[str, ...]:
        with world.store.turn() as turn:
            widget = next(o for o in turn.root.all() if o.name.startswith("widget"))
            return widget.given_names()

    def test_too_many_words_in_aliases_are_refused(self) -> None:
        """
        C{@alias} with ten aliases of seven words each (99 keys) is refused
        with a clear message, and the widget keeps its names.
        """
        world, alice = self.world()
        aliases = ", ".join(words(7, 7 * n) for n in range(10))
        said = flat(alice.send(f"@alias widget = {aliases}"))
        self.assertIn(f"A thing may have at most {MAX_NAME_KEYS} different words", said)
        self.assertEqual(self.names(world), ("widget",))

    def test_aliases_within_the_cap_are_kept(self) -> None:
        """
        Ten aliases of two words each are well within the cap.
        """
        world, alice = self.world()
        aliases = ", ".join(words(2, 2 * n) for n in range(10))
        said = flat(alice.send(f"@alias widget = {aliases}"))
        self.assertIn("now also answers to", said)
        self.assertEqual(len(self.names(world)), 11)
        self.assertLessEqual(len(name_keys(self.names(world))), MAX_NAME_KEYS)

    def test_a_long_name_beside_many_aliases_is_refused(self) -> None:
        """
        A name of many words is refused when, with the aliases the thing
        has, its keys would pass the cap; the name is kept.
        """
        world, alice = self.world()
        aliases = ", ".join(words(4, 4 * n) for n in range(10))
        self.assertIn("now also answers to", flat(alice.send(f"@alias widget = {aliases}")))
        said = flat(alice.send(f"@name widget = {words(16, 100)}"))
        self.assertIn(f"A thing may have at most {MAX_NAME_KEYS} different words", said)
        self.assertEqual(self.names(world)[0], "widget")

    def test_a_move_at_the_cap_writes_a_bounded_few_records(self) -> None:
        """
        Moving a thing whose names have as many keys as one may, beside
        200 others, writes at most a record for each key in each place,
        besides the few a move writes anyway.
        """
        world = TestWorld()
        self.addCleanup(world.close)
        crowded.pile(world.store, "Town Square", 200)
        with world.store.turn() as turn:
            square = next(o for o in turn.root.all() if o.name == "Town Square")
            market = next(o for o in turn.root.all() if o.name == "Market")
            names = [words(5, 5 * n) for n in range(11)]
            while len(name_keys(names)) > MAX_NAME_KEYS:
                shorter = names[-1].rsplit(" ", 1)[0]
                if shorter == names[-1]:
                    names.pop()
                else:
                    names[-1] = shorter
            full = turn.root.create(Thing, names[0], aliases=tuple(names[1:]), location=square)
            keys = len(name_keys(full.given_names()))
            ids = full.id, square.id, market.id
        self.assertGreater(keys, MAX_NAME_KEYS - 5)
        moves = crowded.MoveWritesTests.committed
        for _ in range(2):
            for to in (ids[2], ids[1]):
                written = moves(self, world, ids[0], to)  # type: ignore[arg-type]
                self.assertLessEqual(written, 5 + 2 * MAX_NAME_KEYS, written)
        with world.store.turn() as turn:
            self.assertEqual(containment.check_invariants(turn.root.all()), [])


class SharedAliasesTests(TestCase):
    """
    A name answering through several keys reads a bounded number of their
    entries, however many things share them.
    """

    def world(self) -> TestWorld:
        return crowded.CrowdedRoomReadsTests.world(self)  # type: ignore[arg-type]

    def crowd(self, clutter: int) -> tuple[TestWorld, SimulatedClient]:
        """
        The small world with C{clutter} things called C{x} and a number
        in the town square, all with the same ten aliases starting with
        C{p}, and Carol there.
        """
        world = self.world()
        carol = world.login("Carol")
        with world.store.turn() as turn:
            room = next(o for o in turn.root.all() if o.name == "Town Square")
            for n in range(clutter):
                turn.root.create(Thing, f"x{n}", location=room,
                                 aliases=tuple(f"p{letter}" for letter in "abcdefghij"))
        carol.send("look")
        world.clock.advance(1)
        carol.send("look")
        return world, carol

    def loads(self, clutter: int, line: str) -> tuple[int, str]:
        world, carol = self.crowd(clutter)
        world.clock.advance(1)
        count = loaded(world.store)
        said = carol.send(line)
        return count(), flat(said)

    def test_a_prefix_of_shared_aliases(self) -> None:
        """
        C{look p} beside 990 things sharing ten aliases that start with
        C{p} says many things answer, loading about as many objects as
        beside three (679 before: every entry of the ten keys).
        """
        few, said = self.loads(3, "look p")
        self.assertIn("Which 'p' do you mean?", said)
        self.assertNotIn("Many things", said)
        many, said = self.loads(CLUTTER, "look p")
        self.assertIn("Many things here answer to it: type more of the name.", said)
        self.assertLess(many, few + FEW, (few, many))

    def test_one_shared_alias_still_asks_which(self) -> None:
        """
        A whole alias (one key) still asks which, counting the rest.
        """
        _, said = self.loads(CLUTTER, "look pa")
        self.assertIn("Which 'pa' do you mean?", said)
        self.assertIn(f"(and {CLUTTER - 5} more)", said)


class ScriptedCountTests(TestCase):
    """
    A look counts the scripted things it does not name.
    """

    def test_a_look_reads_no_more_scripted_numbers_than_it_names(self) -> None:
        """
        Beside nine hundred scripted things, a look names the first
        twenty and counts the rest from the place's count, reading about
        as many objects as beside thirty.
        """
        counts = []
        for many in (30, 900):
            world = crowded.CrowdedRoomReadsTests.world(self)  # type: ignore[arg-type]
            carol = world.login("Carol")
            with world.store.turn() as turn:
                room = next(o for o in turn.root.all() if o.name == "Town Square")
                for n in range(many):
                    bell = turn.root.create(Thing, f"bell {n}", location=room)
                    set_script(bell, LISTENER, ("on_hear",), None)
            carol.send("look")
            world.clock.advance(1)
            count = loaded(world.store)
            with world.store.turn() as turn:
                room = next(o for o in turn.root.all() if o.name == "Town Square")
                shown, _more, scripted = room.contents.listed(20)
                counts.append(count())
                self.assertEqual(len(shown), 20)
                self.assertEqual(scripted, many - 20)
                self.assertEqual(containment.check_invariants([room]), [])
        self.assertLess(counts[1], counts[0] + FEW, counts)
