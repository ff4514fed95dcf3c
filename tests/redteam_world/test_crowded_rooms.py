"""
A room as a hostile builder crowds it (issues 9 and 11): piling a thousand
cheap unscripted things into a room must not make every walk in, every
C{say} there and every script it wakes read all of them. Measured in
objects loaded from the database (ZODB's counter, never a clock), with the
cache emptied first so that every object read is counted.

And the things a room keeps apart as scripted (which a happening there
wakes) stay exactly those that hold a script, however they came and went:
commands, scripts, teleports, destroying, loading content again.
"""

from __future__ import annotations

import os
import re
from typing import Any

from twisted.trial.unittest import TestCase

from engine.commands.basic import MAX_LISTED
from engine.testing import HALL_AND_YARD, TestWorld, upgraded
from tests.scripts.helpers import Scene, make, script
from world import containment
from world.objects import Character, Contents, Exit, Room, Thing, holds_script, name_keys
from world.root import WorldRoot
from world.scripts import clear_script, set_parent, set_script
from world.store import WorldStore

LISTENER = """
def on_hear(actor, text):
    state.set("heard", state.get("heard", 0) + 1)
"""

#: Things piled in the crowded room: one short of the ceiling with the
#: small world's own.
CLUTTER = containment.MAX_CONTENTS - 10


def loaded(store: WorldStore) -> Any:
    """
    Empty C{store}'s cache and start counting loads: returns a function
    giving the objects loaded since.
    """
    store.connection.cacheMinimize()
    store.connection.getTransferCounts(clear=True)
    return lambda: store.connection.getTransferCounts()[0]


def run_by(store: WorldStore, name: str, count: int) -> None:
    """
    Put C{count} things in the town square running the script of the thing
    called C{name} (C{@script/use}), its owner's, called C{name} and a number.
    """
    with store.turn() as turn:
        square = next(o for o in turn.root.all() if o.name == "Town Square")
        parent = next(o for o in turn.root.all() if o.name == name)
        for n in range(count):
            child = turn.root.create(Thing, f"{name} {n}", location=square, owner=parent.owner)
            set_parent(child, parent)


def pile(store: WorldStore, room_name: str, count: int) -> None:
    """
    Drop C{count} plain unscripted pebbles in the room called C{room_name}.
    """
    with store.turn() as turn:
        room = next(o for o in turn.root.all() if o.name == room_name)
        for n in range(count):
            turn.root.create(Thing, f"pebble {n}", location=room)


class CrowdedRoomReadsTests(TestCase):
    def world(self) -> TestWorld:
        path = os.path.join(self.mktemp(), "world.fs")
        os.makedirs(os.path.dirname(path))
        world = TestWorld(path=path)
        self.addCleanup(world.close)
        world.server.scripts.meters.cpu_time = lambda: 0.0
        return world

    def say_loads(self, clutter: int) -> tuple[int, str]:
        """
        The objects one C{say} in the town square loads, with C{clutter}
        unscripted things and one scripted listener there, and what the
        listener heard.
        """
        world = self.world()
        alice = world.login("Alice", role="builder")
        carol = world.login("Carol")
        make(alice, "trumpet", """
            def on_hear(actor, text):
                here.say("The trumpet echoes: " + text)
        """)
        pile(world.store, "Town Square", clutter)
        carol.send("say warm up")  # (the first command loads its own code's objects)
        alice.output()
        count = loaded(world.store)
        carol.send("say hello")
        return count(), alice.output()

    def test_a_say_beside_a_thousand_things_reads_only_a_few(self) -> None:
        """
        A say in a room holding nearly a thousand unscripted things loads
        about as many objects as one in a room holding ten (it loaded every
        one of them: three thousand loads before), and the scripted
        listener there still hears it.
        """
        few, heard = self.say_loads(10)
        self.assertIn("The trumpet echoes: hello", heard)
        many, heard = self.say_loads(CLUTTER)
        self.assertIn("The trumpet echoes: hello", heard)
        self.assertLess(many, few + 20, (few, many))

    def leave_loads(self, clutter: int) -> int:
        """
        The objects walking north out of the town square loads, with
        C{clutter} unscripted things there.
        """
        world = self.world()
        carol = world.login("Carol")
        pile(world.store, "Town Square", clutter)
        count = loaded(world.store)
        said = carol.send("north")
        self.assertIn("Market", said)
        return count()

    def test_walking_out_of_a_crowded_room_reads_only_a_few(self) -> None:
        """
        Finding the way out of a room holding nearly a thousand things
        loads about as many objects as out of a room of ten (looking for
        its exits among them read every bucket of what it holds).
        """
        few, many = self.leave_loads(10), self.leave_loads(CLUTTER)
        self.assertLess(many, few + 5, (few, many))

    def drop_loads(self, clutter: int | None) -> tuple[int, str]:
        """
        The objects a drop of the lantern in the town square loads, with
        C{clutter} more unscripted things there (None: as many as make it
        full), and what the drop said.
        """
        world = self.world()
        carol = world.login("Carol")
        carol.send("get lantern")
        if clutter is None:
            with world.store.turn() as turn:
                room = next(o for o in turn.root.all() if o.name == "Town Square")
                clutter = containment.MAX_CONTENTS - room.contents.count_things()
        pile(world.store, "Town Square", clutter)
        count = loaded(world.store)
        said = carol.send("drop lantern")
        return count(), said

    def test_a_drop_in_a_full_room_reads_only_a_few(self) -> None:
        """
        Dropping a thing in a room at the ceiling of things is refused
        (it is full) after loading about as many objects as a drop in a
        room of ten (counting what it holds read every bucket of it).
        """
        few, said = self.drop_loads(10)
        self.assertIn("You drop the brass lantern.", said)
        full, said = self.drop_loads(None)
        self.assertIn("cannot hold any more things", said)
        self.assertLess(full, few + 5, (few, full))

    def test_a_move_into_a_full_place_reads_none_of_its_things(self) -> None:
        """
        L{containment.move} into a place at the ceiling reads none of what
        it holds (counting them read every bucket of it) to refuse a thing
        and let a character in, nor of its index by name (characters are
        not in it: L{world.objects.Contents.answering}).
        """
        path = os.path.join(self.mktemp(), "world.fs")
        os.makedirs(os.path.dirname(path))
        store = WorldStore(path)
        self.addCleanup(store.close)
        with store.turn() as turn:
            hall = turn.root.create(Room, "Hall")
            yard = turn.root.create(Room, "Yard")
            turn.root.start_room = hall
            for n in range(containment.MAX_CONTENTS):
                turn.root.create(Thing, f"pebble {n}", location=hall)
            stone = turn.root.create(Thing, "stone", location=yard)
            walker = turn.root.create(Character, "Walker", location=yard)
        for obj in (stone, walker):
            with store.turn():
                count = loaded(store)
                try:
                    containment.move(obj, hall)
                except containment.MoveError:
                    self.assertIs(obj, stone)
                else:
                    self.assertIs(obj, walker)
                self.assertLess(count(), 10, obj)
                self.assertTrue(all(pebble._p_changed is None  # (never read: a ghost)
                                    for pebble in list(hall.contents._items.values())[:-1]))


class CrowdedListingTests(TestCase):
    """
    Looking around a room a builder piled (or walking in, which shows it),
    or at a bag or a person holding a pile, lists the first few things and
    counts the rest: it reads those few, not the pile.
    """

    def world(self) -> TestWorld:
        return CrowdedRoomReadsTests.world(self)  # type: ignore[arg-type]

    def look_loads(self, clutter: int, line: str = "look", where: str = "Town Square",
                   first: str = "look", scripted: int = 0) -> tuple[int, str]:
        """
        The objects Carol's C{line} loads with C{clutter} unscripted things
        piled in the place called C{where}, then C{scripted} things
        holding a listening script (C{"bell 0"} and on), after she did
        C{first}, and what she saw.
        """
        world = self.world()
        carol = world.login("Carol")
        if where == "Town Square":
            pile(world.store, where, clutter)
        else:
            with world.store.turn() as turn:
                place = next(o for o in turn.root.all() if o.name == where)
                for n in range(clutter):
                    turn.root.create(Thing, f"pebble {n}", location=place)
        with world.store.turn() as turn:
            place = next(o for o in turn.root.all() if o.name == where)
            for n in range(scripted):
                bell = turn.root.create(Thing, f"bell {n}", location=place)
                set_script(bell, LISTENER, ("on_hear",), None)
        carol.send("look")  # (the first look loads its own code's objects)
        carol.send(first)
        count = loaded(world.store)
        said = carol.send(line)
        return count(), " ".join(said.split())  # (as one line, however wrapped)

    def test_looking_around_a_crowded_room_reads_only_a_few(self) -> None:
        """
        A look around a room holding nearly a thousand things loads about
        as many objects as one around a room of ten (it loaded every one:
        about a thousand loads before), shows the first few and counts the
        rest.
        """
        few, said = self.look_loads(10)
        self.assertIn("pebble 9", said)
        self.assertNotIn("other thing", said)
        many, said = self.look_loads(CLUTTER)
        self.assertIn("brass lantern", said)
        shown = MAX_LISTED - 3  # (the square's lantern, bag and fountain come first)
        self.assertIn(f"pebble {shown - 1} ", said)
        self.assertNotIn(f"pebble {shown} ", said)
        self.assertIn(f" and {CLUTTER - shown:,} other things.", said)
        self.assertLess(many, few + MAX_LISTED + 5, (few, many))

    def test_walking_into_a_crowded_room_reads_only_a_few(self) -> None:
        """
        Walking into a room holding nearly a thousand things shows it
        after reading about as many objects as walking into one of ten.
        """
        few, said = self.look_loads(10, "south", first="north")
        self.assertIn("pebble 9", said)
        many, said = self.look_loads(CLUTTER, "south", first="north")
        self.assertIn("other things.", said)
        self.assertLess(many, few + MAX_LISTED + 5, (few, many))

    def test_looking_at_a_full_bag_reads_only_a_few(self) -> None:
        """
        Looking at a bag holding nearly a thousand things lists the first
        few, counts the rest, and reads about as many objects as a look at
        a bag of ten.
        """
        few, said = self.look_loads(10, "look bag", where="canvas bag")
        self.assertIn("pebble 9.", said)
        many, said = self.look_loads(CLUTTER, "look bag", where="canvas bag")
        self.assertIn(f"a pebble {MAX_LISTED - 1} and {CLUTTER - MAX_LISTED:,} other things.",
                      said)
        self.assertLess(many, few + MAX_LISTED + 5, (few, many))

    def test_what_is_not_listed_is_counted_as_one_or_many(self) -> None:
        """
        A bag of exactly L{MAX_LISTED} things lists every one and counts
        none; one more is counted as "1 other thing", two more as "2 other
        things".
        """
        _, said = self.look_loads(MAX_LISTED, "look bag", where="canvas bag")
        self.assertIn(f"pebble {MAX_LISTED - 1}.", said)
        self.assertNotIn("other thing", said)
        _, said = self.look_loads(MAX_LISTED + 1, "look bag", where="canvas bag")
        self.assertIn(f"a pebble {MAX_LISTED - 1} and 1 other thing.", said)
        _, said = self.look_loads(MAX_LISTED + 2, "look bag", where="canvas bag")
        self.assertIn(f"a pebble {MAX_LISTED - 1} and 2 other things.", said)


    def test_a_pile_hides_no_scripted_thing(self) -> None:
        """
        A look around a room holding nearly a thousand pebbles and then
        three scripted things (which hear what is said there) names all
        three, after the first pebbles, and counts the other pebbles; it
        loads about as many objects as a look around a room of ten
        pebbles and three such things (before, it named the first twenty
        things and the three were among the thousand counted).
        """
        few, said = self.look_loads(10, scripted=3)
        said = re.sub(r" \(#\d+\)", "", said)  # (Carol's look shows ids)
        self.assertIn("pebble 9, a bell 0, a bell 1 and a bell 2.", said)
        many, said = self.look_loads(CLUTTER - 3, scripted=3)
        said = re.sub(r" \(#\d+\)", "", said)
        shown = MAX_LISTED - 6  # (the lantern, bag and fountain, and the bells)
        self.assertIn(f"a pebble {shown - 1}, a bell 0, a bell 1, a bell 2 and "
                      f"{CLUTTER - 3 - shown:,} other things.", said)
        self.assertNotIn(f"pebble {shown},", said)
        self.assertLess(many, few + MAX_LISTED + 5, (few, many))

    def test_scripted_things_past_the_listing_are_counted_apart(self) -> None:
        """
        A bag holding more scripted things than a look names names only
        scripted ones and says how many of those it counts are scripted:
        all of them, or some of them beside pebbles; and the look reads
        about as many objects as at a bag of a few scripted things.
        """
        few, said = self.look_loads(3, "look bag", where="canvas bag", scripted=3)
        self.assertIn("It holds a pebble 0, a pebble 1, a pebble 2, a bell 0, a bell 1 and "
                      "a bell 2.", said)
        _, said = self.look_loads(0, "look bag", where="canvas bag", scripted=MAX_LISTED + 1)
        self.assertIn(f"a bell {MAX_LISTED - 1} and 1 other scripted thing.", said)
        many, said = self.look_loads(CLUTTER - 500, "look bag", where="canvas bag",
                                     scripted=500)
        self.assertNotIn("pebble", said)
        self.assertIn(f"a bell {MAX_LISTED - 1} and {CLUTTER - MAX_LISTED:,} other things, "
                      f"{500 - MAX_LISTED:,} of them scripted.", said)
        self.assertLess(many, few + MAX_LISTED + 10, (few, many))


class ScriptedPileReadsTests(TestCase):
    """
    C{@script/use} stores no script, so a builder may make up to the
    ceiling of things in a room all run one parent's script: a happening
    there reads, of each script, only as many of the things running it as
    could be woken, and a destroyed parent's things leave the scripted
    things.
    """

    def world(self) -> TestWorld:
        return CrowdedRoomReadsTests.world(self)  # type: ignore[arg-type]

    def say_loads(self, children: int, source: str,
                  destroyed: bool = False) -> tuple[int, str, list[str]]:
        """
        The objects Carol's C{say} in the town square loads with Alice's
        trumpet there and C{children} things of Bob's running his kite's
        script C{source} (with C{destroyed}, the kite destroyed first);
        what Alice heard, and the names of the square's scripted things.
        """
        world = self.world()
        alice = world.login("Alice", role="builder")
        bob = world.login("Bob", role="builder")
        carol = world.login("Carol")
        make(alice, "trumpet", """
            def on_hear(actor, text):
                here.say("The trumpet echoes: " + text)
        """)
        make(bob, "kite", source)
        run_by(world.store, "kite", children)
        if destroyed:
            bob.send("@destroy kite")
        carol.send("say warm up")
        alice.output()
        count = loaded(world.store)
        carol.send("say hello")
        loads = count()
        with world.store.turn() as turn:
            self.assertEqual(containment.check_invariants(turn.root.all()), [])
            square = next(o for o in turn.root.all() if o.name == "Town Square")
            names = [o.name for o in square.contents.scripted()]
        return loads, alice.output(), names

    def assertReadsOnlyAFew(self, source: str) -> None:
        """
        A say beside L{CLUTTER} things running C{source} loads about as many
        objects as beside ten, and Alice's trumpet hears it both times.
        """
        few, heard, _ = self.say_loads(10, source)
        self.assertIn("The trumpet echoes: hello", heard)
        many, heard, _ = self.say_loads(CLUTTER, source)
        self.assertIn("The trumpet echoes: hello", heard)
        self.assertLess(many, few + 10, (few, many))

    def test_a_say_beside_a_pile_not_listening_reads_only_a_few(self) -> None:
        """
        A say beside nearly a thousand things running a script that does
        not listen loads about as many objects as beside ten (it loaded
        every one of them before).
        """
        deaf = """
            def on_look(actor):
                pass
        """
        self.assertReadsOnlyAFew(deaf)

    def test_a_say_beside_a_listening_pile_reads_only_a_few(self) -> None:
        """
        A say beside nearly a thousand things running a script that listens
        wakes at most L{fanout.MAX_HANDLERS} of them (the trumpet of
        another owner among them), loading about as many objects as beside
        ten.
        """
        hearing = """
            def on_hear(actor, text):
                state.set("heard", 1)
        """
        self.assertReadsOnlyAFew(hearing)

    def test_a_destroyed_parents_things_leave_the_scripted_things(self) -> None:
        """
        Destroying the thing whose script a pile runs takes the pile out
        of the room's scripted things: a say there reads none of it.
        """
        deaf = """
            def on_look(actor):
                pass
        """
        few, heard, names = self.say_loads(10, deaf, destroyed=True)
        self.assertEqual(names, ["trumpet"])
        many, heard, names = self.say_loads(CLUTTER, deaf, destroyed=True)
        self.assertEqual(names, ["trumpet"])
        self.assertIn("The trumpet echoes: hello", heard)
        self.assertLess(many, few + 10, (few, many))


class ScriptedListenersTests(TestCase):
    """
    What a room keeps as its scripted things follows every way a thing
    gains or loses a script, and comes or goes.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.world.server.scripts.meters.cpu_time = lambda: 0.0

    def kept(self) -> None:
        """
        Every place keeps exactly its characters and the things in it that
        hold a script, in order.
        """
        with self.s.world.store.turn() as turn:
            self.assertEqual(containment.check_invariants(turn.root.all()), [])

    def scripted_in(self, room: str) -> list[str]:
        with self.s.world.store.turn() as turn:
            place = next(o for o in turn.root.all() if o.name == room)
            return [o.name for o in place.contents.scripted()]

    def heard(self, name: str) -> int:
        from scripting.facets import state

        thing = self.s.thing(name)
        with self.s.world.store.turn() as turn:
            return state.get_value(turn.root, thing, "heard", 0)

    def test_commands_keep_the_scripted_things(self) -> None:
        """
        Scripting a thing, clearing its script, carrying it away, dropping
        it again, teleporting it, giving it a parent and destroying it each
        keep the room's scripted things true, and the room's scripted things
        are what hear a say there (a thing whose parent is destroyed runs
        no script and leaves them).
        """
        alice = self.s.alice
        make(alice, "ear", LISTENER)
        make(alice, "rock")
        self.assertEqual(self.scripted_in("Town Square"), ["ear"])
        self.s.carol.send("say one")
        self.assertEqual(self.heard("ear"), 1)
        said = alice.send("get ear")
        self.assertEqual(self.scripted_in("Town Square"), [], said)
        self.assertEqual(self.scripted_in("Alice"), ["ear"])
        self.s.carol.send("say two")
        self.assertEqual(self.heard("ear"), 1)  # carried things do not hear
        alice.send("drop ear")
        self.s.carol.send("say three")
        self.assertEqual(self.heard("ear"), 2)
        self.kept()
        self.s.world.set_role("Alice", "wizard")  # (who may send it anywhere)
        said = alice.send("@teleport ear = Market")
        self.assertEqual(self.scripted_in("Town Square"), [], said)
        self.assertEqual(self.scripted_in("Market"), ["ear"])
        said = alice.send(f"@teleport #{self.s.thing('ear').id} = Town Square")
        self.assertEqual(self.scripted_in("Town Square"), ["ear"], said)
        said = alice.send("@script/clear ear")
        self.assertEqual(self.scripted_in("Town Square"), [], said)
        self.kept()
        script(alice, "rock", LISTENER)
        self.assertEqual(self.scripted_in("Town Square"), ["rock"])
        said = alice.send("@script/use ear = rock")
        self.assertEqual(self.scripted_in("Town Square"), ["rock", "ear"], said)
        self.s.carol.send("say four")
        self.assertEqual((self.heard("rock"), self.heard("ear")), (1, 3))
        self.kept()
        alice.send("@destroy rock")
        self.assertEqual(self.scripted_in("Town Square"), [])  # its parent is gone: no script
        self.s.carol.send("say five")
        self.assertEqual(self.heard("ear"), 3)
        self.kept()

    def test_scripts_keep_the_scripted_things(self) -> None:
        """
        A script that moves its own scripted thing, or another of its
        owner's, into and out of a room, and one that destroys itself, keep
        the rooms' scripted things true.
        """
        alice = self.s.alice
        make(alice, "ear", LISTENER)
        make(alice, "mover", """
            def verb_shift(actor, *rest):
                this.move_to(actor)
            def verb_settle(actor, *rest):
                this.move_to(here)
            def verb_vanish(actor, *rest):
                this.destroy()
        """)
        self.assertEqual(self.scripted_in("Town Square"), ["ear", "mover"])
        said = alice.send("shift mover")
        self.assertEqual(self.scripted_in("Alice"), ["mover"], said)
        self.assertEqual(self.scripted_in("Town Square"), ["ear"])
        said = alice.send("settle mover")
        self.assertEqual(self.scripted_in("Town Square"), ["ear", "mover"], said)
        self.kept()
        said = alice.send("vanish mover")
        self.assertEqual(self.scripted_in("Town Square"), ["ear"], said)
        self.kept()

    def test_a_refused_script_keeps_the_room_as_it_was(self) -> None:
        """
        A script save refused for want of room (its text over its owner's
        stored bytes) leaves the room's scripted things as they were.
        """
        alice = self.s.alice
        make(alice, "rock")
        alice.send("@create ear")
        alice.send("drop ear")
        said = script(alice, "ear", "x = '" + "y" * 60_000 + "'\n" + LISTENER)
        self.kept()
        here = self.scripted_in("Town Square")
        ear = self.s.thing("ear")
        with self.s.world.store.turn():
            self.assertEqual(holds_script(ear), "ear" in here, said)

    def test_a_failed_verb_keeps_the_scripted_things_as_they_were(self) -> None:
        """
        A verb that carries its own scripted thing off and then fails is
        undone whole: the room keeps it among its scripted things and it
        hears a say there.
        """
        alice = self.s.alice
        make(alice, "mover", LISTENER + """
def verb_shift(actor, *rest):
    this.move_to(actor)
    1 / 0
""")
        said = alice.send("shift mover")
        self.assertIn("ZeroDivisionError", said)
        self.assertEqual(self.scripted_in("Town Square"), ["mover"])
        self.assertEqual(self.scripted_in("Alice"), [])
        self.kept()
        self.s.carol.send("say one")
        self.assertEqual(self.heard("mover"), 1)

    def test_a_destroyed_bag_spills_its_scripted_things(self) -> None:
        """
        Destroying a bag holding a scripted thing and a thing running its
        script spills both into the room among its scripted things, where
        they hear a say.
        """
        alice = self.s.alice
        make(alice, "ear", LISTENER)
        make(alice, "rock")
        alice.send("@script/use rock = ear")
        with self.s.world.store.turn() as turn:
            square = next(o for o in turn.root.all() if o.name == "Town Square")
            bag = turn.root.create(Thing, "sack", location=square, owner=square.owner)
            bag.container = True
            for name in ("ear", "rock"):
                containment.move(next(o for o in turn.root.all() if o.name == name), bag)
        self.assertEqual(self.scripted_in("Town Square"), [])
        self.assertEqual(self.scripted_in("sack"), ["ear", "rock"])
        with self.s.world.store.turn() as turn:
            turn.root.destroy(next(o for o in turn.root.all() if o.name == "sack"))
        self.assertEqual(self.scripted_in("Town Square"), ["ear", "rock"])
        self.kept()
        self.s.carol.send("say one")
        self.assertEqual((self.heard("ear"), self.heard("rock")), (1, 1))

    def test_a_parent_that_loses_its_script_keeps_the_count(self) -> None:
        """
        A thing running another's script stays among the scripted things
        (it names a parent) while that parent's script is cleared, given
        a parent of its own, and destroyed; then it leaves them, and the
        room's count of things follows every step.
        """
        alice = self.s.alice
        make(alice, "ear", LISTENER)
        make(alice, "rock", LISTENER)
        make(alice, "stone", LISTENER)
        alice.send("@script/use ear = rock")
        alice.send("@script/clear rock")
        self.assertEqual(self.scripted_in("Town Square"), ["ear", "stone"])
        self.kept()
        alice.send("@script/use rock = stone")
        self.assertEqual(self.scripted_in("Town Square"), ["ear", "rock", "stone"])
        self.s.carol.send("say one")
        self.assertEqual([self.heard(n) for n in ("ear", "rock", "stone")], [0, 1, 1])
        self.kept()
        alice.send("@destroy rock")
        self.assertEqual(self.scripted_in("Town Square"), ["stone"])
        self.kept()
        alice.send("@destroy stone")
        self.assertEqual(self.scripted_in("Town Square"), [])
        self.kept()

    def test_no_one_joins_anothers_script(self) -> None:
        """
        Bob cannot make his thing run Alice's script (C{@script/use} is
        for one owner's things), so his things never share the place of
        hers among the few of each script a happening reads.
        """
        make(self.s.alice, "ear", LISTENER)
        make(self.s.bob, "rock")
        said = self.s.bob.send(f"@script/use rock = #{self.s.thing('ear').id}")
        self.assertEqual(self.scripted_in("Town Square"), ["ear"], said)
        self.kept()


class MoveWritesTests(TestCase):
    """
    A move writes a few records however many things its places hold:
    counted as the records the turn changed (ZODB's, never a clock).
    """

    def test_a_move_writes_a_few_records(self) -> None:
        """
        Moving an unscripted thing out of a piled room and back changes 5
        records each way (the thing, both contents and a bucket of each),
        and a scripted one at most 12 (its script's group in each place,
        and the place's scripts by owner); and each place's index by name
        (L{world.objects.Contents.answering}) writes at most one bucket
        for each key of the thing's names (L{world.objects.name_keys}) in
        each place, however many others are there.
        """
        world = TestWorld()
        self.addCleanup(world.close)
        pile(world.store, "Town Square", 200)
        with world.store.turn() as turn:
            square = next(o for o in turn.root.all() if o.name == "Town Square")
            market = next(o for o in turn.root.all() if o.name == "Market")
            plain = turn.root.create(Thing, "plain", location=square)
            scripted = turn.root.create(Thing, "scripted", location=square)
            set_script(scripted, LISTENER, ("on_hear",), None)
            ids = plain.id, scripted.id, square.id, market.id

        def writes(moved: int, to: int) -> int:
            with world.store.turn() as turn:
                containment.move(turn.root.objects[moved], turn.root.objects[to])
                return len(turn.root._p_jar._registered_objects)

        indexed = 2 * len(name_keys(("plain",)))  # (two keys: "plain" and " plain")
        for written in (writes(ids[0], ids[3]), writes(ids[0], ids[2])):
            self.assertLessEqual(written, 5 + indexed)
        for written in (writes(ids[1], ids[3]), writes(ids[1], ids[2])):
            self.assertLessEqual(written, 12 + indexed)


    def test_a_character_walks_writing_no_index_by_name(self) -> None:
        """
        A character walking between a piled room and another stores 7
        records each way, as before places kept what is there by name
        (itself, both contents and a bucket of each of their lists of
        everything and of characters): characters are not in the index
        by name (L{world.objects.Contents.answering} reads them), so that
        what players do most writes nothing more however many things or
        characters are there.
        """
        world = TestWorld()
        self.addCleanup(world.close)
        pile(world.store, "Town Square", 200)
        with world.store.turn() as turn:
            square = next(o for o in turn.root.all() if o.name == "Town Square")
            market = next(o for o in turn.root.all() if o.name == "Market")
            walkers = [turn.root.create(Character, f"Walker{n}", location=square).id
                       for n in range(20)]
            ids = square.id, market.id
        for walker in walkers * 2:
            self.assertEqual([self.committed(world, walker, ids[1]),
                              self.committed(world, walker, ids[0])], [7, 7])
        with world.store.turn() as turn:
            self.assertEqual(containment.check_invariants(turn.root.all()), [])

    def committed(self, world: TestWorld, moved: int, to: int) -> int:
        """
        How many records the turn moving the object C{moved} into the
        object C{to} stored, new ones included (read back from the
        storage, not counted as the turn went).
        """
        with world.store.turn() as turn:
            containment.move(turn.root.objects[moved], turn.root.objects[to])
        last = world.store.db.lastTransaction()
        return len(list(next(iter(world.store.db.storage.iterator(last, last)))))

    def test_a_thing_alone_running_its_script_moves_without_a_new_tree(self) -> None:
        """
        Moving the only thing running its script in and out of a place
        stores 11 records each way, the unscripted thing's 5 and each
        place's three small lists of scripts (by arrival, by script and by
        owner; each made a new B-tree for that thing's group of one and
        wrote the one it left: 13); a second
        thing arriving to run the same script makes the tree, and every
        step keeps the world true.
        """
        world = TestWorld()
        self.addCleanup(world.close)
        pile(world.store, "Town Square", 200)
        with world.store.turn() as turn:
            square = next(o for o in turn.root.all() if o.name == "Town Square")
            market = next(o for o in turn.root.all() if o.name == "Market")
            plain = turn.root.create(Thing, "plain", location=square)
            bell = turn.root.create(Thing, "bell", location=square)
            set_script(bell, LISTENER, ("on_hear",), None)
            attic = turn.root.create(Room, "Attic")
            clapper = turn.root.create(Thing, "clapper", location=attic, owner=bell.owner)
            set_parent(clapper, bell)
            ids = plain.id, bell.id, square.id, market.id, clapper.id

        def groups(place: int) -> list[list[str]]:
            with world.store.turn() as turn:
                self.assertEqual(containment.check_invariants(turn.root.all()), [])
                contents = turn.root.objects[place].contents
                return [[o.name for o in group.values()] for _, group in contents.script_groups()]

        for _ in range(2):
            # (each plus 4 for the two places' indexes by name: the bucket
            # of each of its names' two keys in each, "plain" and " plain",
            # counts beside entries; a walking character writes none)
            self.assertEqual([self.committed(world, ids[0], ids[3]),
                              self.committed(world, ids[0], ids[2])], [5 + 4, 5 + 4])
            self.assertEqual([self.committed(world, ids[1], ids[3]),
                              self.committed(world, ids[1], ids[2])], [11 + 4, 11 + 4])
        self.assertEqual(groups(ids[2]), [["bell"]])
        self.assertEqual(groups(ids[3]), [])
        self.committed(world, ids[4], ids[2])
        self.assertEqual(groups(ids[2]), [["bell", "clapper"]])
        self.assertEqual(groups(ids[3]), [])
        self.committed(world, ids[1], ids[3])
        self.assertEqual(groups(ids[2]), [["clapper"]])
        self.assertEqual(groups(ids[3]), [["bell"]])

    def test_a_group_of_one_stored_as_a_tree_still_works(self) -> None:
        """
        A place that keeps a thing alone running its script in a B-tree of
        its own (as every place did before) reads it, wakes it, and moves
        it out and in again, keeping the world true.
        """
        from BTrees.LOBTree import LOBTree

        world = TestWorld()
        self.addCleanup(world.close)
        with world.store.turn() as turn:
            square = next(o for o in turn.root.all() if o.name == "Town Square")
            market = next(o for o in turn.root.all() if o.name == "Market")
            bell = turn.root.create(Thing, "bell", location=square)
            set_script(bell, LISTENER, ("on_hear",), None)
            groups = square.contents._groups
            groups[bell.id] = LOBTree({bell.arrival: bell})  # (as stored before)
            ids = bell.id, square.id, market.id
        with world.store.turn() as turn:
            contents = turn.root.objects[ids[1]].contents
            self.assertEqual([list(group.values()) for _, group in contents.script_groups()],
                             [[turn.root.objects[ids[0]]]])
            self.assertEqual(containment.check_invariants(turn.root.all()), [])
        for to in (ids[2], ids[1]):
            self.committed(world, ids[0], to)
            with world.store.turn() as turn:
                self.assertEqual(containment.check_invariants(turn.root.all()), [])
                self.assertEqual([o.name for o in turn.root.objects[to].contents.scripted()],
                                 ["bell"])


class DestroyedInTurnTests(TestCase):
    """
    A turn records the objects destroyed in it for the server to forget;
    a savepoint's rollback takes out those it brought back.
    """

    def test_a_rollback_takes_back_what_it_undid(self) -> None:
        world = TestWorld()
        self.addCleanup(world.close)
        with world.store.turn() as turn:
            square = next(o for o in turn.root.all() if o.name == "Town Square")
            kept = turn.root.create(Thing, "kept", location=square).id
            undone = turn.root.create(Thing, "undone", location=square).id
            gone = turn.root.create(Thing, "gone", location=square).id
        with world.store.turn() as turn:
            turn.root.destroy(turn.root.objects[gone])
            point = turn.savepoint()
            turn.root.destroy(turn.root.objects[undone])
            self.assertEqual(turn.destroyed, [gone, undone])
            point.rollback()
            self.assertEqual(turn.destroyed, [gone])
            self.assertIsNotNone(turn.root.get(undone))
            self.assertEqual(containment.check_invariants(turn.root.all()), [])
        with world.store.turn() as turn:
            self.assertIsNotNone(turn.root.get(kept))
            self.assertIsNotNone(turn.root.get(undone))
            self.assertIsNone(turn.root.get(gone))



#: Content for L{ReloadedContentTests}, then content changing it.
CONTENT = HALL_AND_YARD + '''
[things.bell]
name = "bell"
description = "A bell."
location = "hall"
script = "ear.py"

[things.drum]
name = "drum"
description = "A drum."
location = "hall"
script = "ear.py"

[things.horn]
name = "horn"
description = "A horn."
location = "yard"
'''
CHANGED = HALL_AND_YARD + '''
[things.bell]
name = "bell"
description = "A bell."
location = "yard"

[things.horn]
name = "horn"
description = "A horn."
location = "hall"
script = "ear.py"
'''


class ReloadedContentTests(TestCase):
    def test_content_loaded_again_keeps_the_scripted_things(self) -> None:
        """
        Loading content again that moves a scripted thing and takes its
        script away, and scripts another, keeps every place's scripted
        things true (a thing the content no longer names stays as it was).
        """
        from scripting.facets.lifecycle import KEEPER
        from world.loader import load

        folder = self.mktemp()
        os.makedirs(folder)

        def write(text: str) -> None:
            with open(os.path.join(folder, "world.toml"), "w") as f:
                f.write(text)

        with open(os.path.join(folder, "ear.py"), "w") as f:
            f.write(LISTENER)
        write(CONTENT)
        world = TestWorld(build=None, content=folder)
        self.addCleanup(world.close)

        def scripted() -> dict[str, list[str]]:
            with world.store.turn() as turn:
                self.assertEqual(containment.check_invariants(turn.root.all()), [])
                return {o.name: [t.name for t in o.contents.scripted()]
                        for o in turn.root.all() if isinstance(o, Room)}

        self.assertEqual(scripted(), {"Hall": ["bell", "drum"], "Yard": []})
        write(CHANGED)
        load(world.store, folder, keeper=KEEPER)
        self.assertEqual(scripted(), {"Hall": ["drum", "horn"], "Yard": []})


class UpgradeTests(TestCase):
    def test_a_world_of_generation_14_keeps_characters_and_scripts_apart(self) -> None:
        """
        A world stored before places kept their characters, exits and
        scripted things apart is upgraded: each place keeps them, and moves
        work after.
        """
        made: dict[str, int] = {}

        def old(root: WorldRoot) -> None:
            hall = root.create(Room, "Hall")
            root.start_room = hall
            made["hall"] = hall.id
            for name in "ab":
                root.create(Thing, name, location=hall)
            bell = root.create(Thing, "bell", location=hall)
            set_script(bell, "def on_hear(actor, text):\n    pass\n", ("on_hear",), None)
            walker = root.create(Character, "Walker", location=hall)
            made["walker"] = walker.id
            yard = root.create(Room, "Yard")
            made["yard"] = yard.id
            north = root.create(Exit, "north", location=hall, destination=yard)
            set_script(north, "def on_leave(actor):\n    pass\n", ("on_leave",), None)
            for obj in root.all():  # as generation 14 stored them
                contents = obj.contents
                for name in ("_people", "_exits", "_scripted", "_people_count", "_groups",
                             "_group_of"):
                    contents.__dict__.pop(name, None)
                contents._p_changed = True

        store = upgraded(self, 14, old)
        self.assertEqual(store.generation, 15)
        hall = store.root.get(made["hall"])
        self.assertEqual(hall.contents.__dict__["_people_count"], 1)
        self.assertEqual([o.name for o in hall.contents.scripted()], ["bell", "north"])
        self.assertEqual([o.name for o in hall.contents.characters()], ["Walker"])
        self.assertEqual([o.name for o in hall.exits()], ["north"])
        self.assertEqual(hall.contents.count_things(), 4)
        with store.turn() as turn:
            containment.move(turn.root.get(made["walker"]), turn.root.get(made["yard"]))
            self.assertEqual(containment.check_invariants(turn.root.all()), [])

    def test_contents_not_upgraded_are_sorted_when_first_needed(self) -> None:
        """
        Contents the upgrade did not sort (a place stored without the
        counts) sort themselves the first time they are asked.
        """
        root = WorldRoot()
        hall = root.create(Room, "Hall")
        bell = root.create(Thing, "bell", location=hall)
        root.create(Character, "Walker", location=hall)
        set_script(bell, "pass\n", (), None)
        old = Contents()
        old._items = hall.contents._items
        old._next, old._count = hall.contents._next, hall.contents._count
        for name in ("_people_count", "_names_made_by"):  # (as generation 14 stored it)
            del old.__dict__[name]
        hall.contents = old
        self.assertEqual(old.count_things(), 1)
        self.assertEqual([o.name for o in old.scripted()], ["bell"])
        self.assertEqual(containment.check_invariants(root.all()), [])
        clear_script(bell)
        self.assertEqual(list(old.scripted()), [])
        self.assertEqual(containment.check_invariants(root.all()), [])
