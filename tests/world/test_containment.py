"""
Tests for L{world.containment}: the invariants hold under any sequence of
moves, and a refused move changes nothing.
"""

from __future__ import annotations

from BTrees.LOBTree import LOBTree
from hypothesis import given, settings
from hypothesis import strategies as st
from twisted.trial import unittest

from world.containment import check_invariants, move
from world.errors import MoveError, WorldError
from world.objects import Character, Container, Exit, Room, Thing, holds_script
from world.root import WorldRoot
from world.scripts import MAIN, PARENT, ScriptRecord, clear_script, set_parent, set_script


def small_world() -> tuple[WorldRoot, list[Thing]]:
    """
    Two rooms with an exit each way, two characters, two bags, a box and
    three plain things, all in the first room.
    """
    root = WorldRoot()
    hall = root.create(Room, "hall")
    yard = root.create(Room, "yard")
    root.create(Exit, "north", location=hall, destination=yard)
    root.create(Exit, "south", location=yard, destination=hall)
    for name in ("ann", "bob"):
        root.create(Character, name, location=hall)
    for name in ("red bag", "blue bag", "box"):
        root.create(Container, name, location=hall)
    for name in ("coin", "stone", "key"):
        root.create(Thing, name, location=hall)
    return root, list(root.all())


def expected_refusal(obj: Thing, destination: Thing) -> bool:
    """
    Whether the rules say moving C{obj} into C{destination} must be refused,
    worked out independently of L{move}.
    """
    if isinstance(obj, Room):
        return True
    if isinstance(obj, Exit) and not isinstance(destination, Room):
        return True
    if not isinstance(destination, (Room, Character, Container)):
        return True
    chain = []
    here: Thing | None = destination
    while here is not None:
        chain.append(here)
        here = here.location
    return any(x is obj for x in chain)


def places(objects: list[Thing]) -> list:
    return [(o.location, list(o.contents)) for o in objects]


class MoveSequenceTests(unittest.TestCase):
    """
    Random move sequences never break containment.
    """

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=40))
    def test_invariants_hold_after_every_move(self, moves: list[tuple[int, int]]) -> None:
        """
        After each move (done or refused) every invariant holds; a move is
        refused exactly when the rules say so, and a refused move changes
        nothing.
        """
        _root, objects = small_world()
        self.assertEqual(check_invariants(objects), [])
        for a, b in moves:
            obj, destination = objects[a], objects[b]
            before = places(objects)
            refuse = expected_refusal(obj, destination)
            try:
                move(obj, destination)
            except MoveError:
                self.assertTrue(refuse, f"{obj!r} into {destination!r} was refused")
                self.assertEqual(places(objects), before)
            else:
                self.assertFalse(refuse, f"{obj!r} into {destination!r} was allowed")
                self.assertIs(obj.location, destination)
            self.assertEqual(check_invariants(objects), [])


#: What L{ScriptedSequenceTests} does: move a to b, script a, clear a's
#: script, have a run b's, destroy a.
OPERATIONS = st.lists(st.tuples(st.sampled_from(["move", "script", "clear", "parent", "destroy"]),
                                st.integers(0, 11), st.integers(0, 11)), max_size=40)


class ScriptedSequenceTests(unittest.TestCase):
    """
    Random sequences of moves, scripts given and taken away, parents and
    destroying never leave a place keeping the wrong characters or
    scripted things apart.
    """

    @settings(max_examples=200, deadline=None)
    @given(OPERATIONS)
    def test_places_keep_characters_and_scripted_things(
            self, operations: list[tuple[str, int, int]]) -> None:
        """
        After each operation (done or refused) every place keeps exactly its
        characters and the things in it that hold a script, in the order
        they arrived, and counts its things (L{check_invariants}).
        """
        root, objects = small_world()
        root.start_room = objects[0]
        for what, a, b in operations:
            obj, other = objects[a], objects[b]
            if obj.location is None and not isinstance(obj, Room):
                continue  # destroyed
            try:
                if what == "move":
                    move(obj, other)
                elif what == "script":
                    set_script(obj, "def on_hear(actor, text):\n    pass\n", ("on_hear",), None)
                elif what == "clear":
                    clear_script(obj)
                elif what == "parent":
                    set_parent(obj, other)
                elif what == "destroy" and obj is not root.start_room:
                    root.destroy(obj)
            except (MoveError, ValueError, WorldError):
                pass
            self.assertEqual(check_invariants(root.all()), [])
        for place in root.all():
            self.assertEqual(list(place.contents.scripted()),
                             [o for o in place.contents if holds_script(o)])
            parent = place.scripts.get(PARENT)  # (a destroyed one's things let it go)
            self.assertTrue(parent is None or root.get(parent.id) is parent, place)


class CheckInvariantsTests(unittest.TestCase):
    """
    L{check_invariants} notices each kind of broken graph (so the property
    test above could fail).
    """

    def setUp(self) -> None:
        self.root, self.objects = small_world()
        self.hall = self.objects[0]
        self.bag = next(o for o in self.objects if o.name == "red bag")
        self.coin = next(o for o in self.objects if o.name == "coin")

    def test_listed_twice(self) -> None:
        """
        An object listed twice in its place's contents is reported.
        """
        self.hall.contents.append(self.coin)
        self.assertIn("appears 2 times", " ".join(check_invariants(self.objects)))

    def test_nowhere(self) -> None:
        """
        A non-room with no location is reported.
        """
        self.hall.contents.remove(self.coin)
        self.coin.location = None
        self.assertIn("is nowhere", " ".join(check_invariants(self.objects)))

    def test_cycle(self) -> None:
        """
        Two containers inside each other are reported as a cycle.
        """
        blue = next(o for o in self.objects if o.name == "blue bag")
        move(blue, self.bag)
        self.hall.contents.remove(self.bag)
        self.bag.location = blue
        blue.contents.append(self.bag)
        self.assertIn("cycle", " ".join(check_invariants(self.objects)))

    def test_exit_outside_room(self) -> None:
        """
        An exit found inside a container is reported.
        """
        exit_ = next(o for o in self.objects if isinstance(o, Exit))
        self.hall.contents.remove(exit_)
        self.bag.contents.append(exit_)
        exit_.location = self.bag
        self.assertIn("not a room", " ".join(check_invariants(self.objects)))

    def test_contents_disagree(self) -> None:
        """
        An object listed in a place it does not say it is in is reported.
        """
        self.bag.contents.append(self.coin)
        self.assertIn("is listed in", " ".join(check_invariants(self.objects)))

    def test_scripted_not_kept(self) -> None:
        """
        A thing given a script without telling its place (not through
        L{world.scripts}) is reported.
        """
        self.coin.scripts[MAIN] = ScriptRecord("pass", (), None)
        self.assertIn("as its scripted things", " ".join(check_invariants(self.objects)))

    def test_scripted_not_grouped(self) -> None:
        """
        A thing made to run another script without telling its place (not
        through L{world.scripts}) is reported: its place keeps it with the
        things running the script it ran.
        """
        stone = next(o for o in self.objects if o.name == "stone")
        for obj in (self.coin, stone):
            set_script(obj, "pass", (), None)
        child = self.root.create(Thing, "pebble", location=self.hall)
        set_parent(child, self.coin)
        self.assertEqual(check_invariants([*self.objects, child]), [])
        child.scripts[PARENT] = stone
        self.assertIn("by script", " ".join(check_invariants([*self.objects, child])))

    def test_group_of_one_misfiled(self) -> None:
        """
        A script only one thing in a place runs is kept by that thing's
        number alone, which L{check_invariants} reads as it reads a group's
        tree: the number of a thing running another script is reported.
        """
        stone = next(o for o in self.objects if o.name == "stone")
        for obj in (self.coin, stone):
            set_script(obj, "pass", (), None)
        groups = self.hall.contents._groups
        assert groups is not None
        self.assertEqual((groups[self.coin.id], groups[stone.id]),
                         (self.coin.arrival, stone.arrival))
        self.assertEqual(check_invariants(self.objects), [])
        groups[self.coin.id] = stone.arrival
        self.assertIn("by script", " ".join(check_invariants(self.objects)))

    def test_scripted_stored_ungrouped(self) -> None:
        """
        Contents stored keeping their scripted things apart but not by
        script (schema generation 15 before they were) are sorted again
        when first needed, and let go of the list they kept.
        """
        set_script(self.coin, "pass", (), None)
        contents = self.coin.location.contents
        contents._scripted = LOBTree({self.coin.arrival: self.coin})
        contents._groups = contents._group_of = None
        self.assertEqual([list(group.values()) for _, group in contents.script_groups()],
                         [[self.coin]])
        self.assertNotIn("_scripted", contents.__dict__)
        self.assertEqual(check_invariants(self.objects), [])

    def test_script_users_not_kept(self) -> None:
        """
        A thing made to run another's script, or to stop, without telling
        that one (not through L{world.scripts}) is reported.
        """
        stone = next(o for o in self.objects if o.name == "stone")
        set_script(self.coin, "pass", (), None)
        set_parent(stone, self.coin)
        self.assertEqual(check_invariants(self.objects), [])
        del stone.scripts[PARENT]
        self.assertIn("as running its script", " ".join(check_invariants(self.objects)))
        stone.scripts[PARENT] = self.coin
        self.coin.script_users = None
        self.assertIn("which does not keep it", " ".join(check_invariants(self.objects)))

    def test_characters_not_kept(self) -> None:
        """
        Characters a place does not keep apart are reported, and so is a
        count of things that is not what it holds.
        """
        self.hall.contents._people = None
        found = " ".join(check_invariants(self.objects))
        self.assertIn("as its characters", found)
        self.hall.contents._people_count = 0
        self.assertIn("counts 9 things, not 7", " ".join(check_invariants(self.objects)))

    def test_thing_holding(self) -> None:
        """
        Something inside an object that cannot hold things is reported.
        """
        stone = next(o for o in self.objects if o.name == "stone")
        self.hall.contents.remove(stone)
        self.coin.contents.append(stone)
        stone.location = self.coin
        self.assertIn("cannot hold", " ".join(check_invariants(self.objects)))


class CreateTests(unittest.TestCase):
    """
    L{WorldRoot.create} and L{WorldRoot.destroy} keep the registry and the
    containment graph in step.
    """

    def test_refused_location_registers_nothing(self) -> None:
        """
        Creating a thing inside a non-container fails and leaves no object
        and no used id behind.
        """
        root, objects = small_world()
        coin = next(o for o in objects if o.name == "coin")
        next_id = root.next_id
        self.assertRaises(MoveError, root.create, Thing, "pebble", location=coin)
        self.assertEqual(root.next_id, next_id)
        self.assertEqual(len(list(root.all())), len(objects))
        self.assertEqual(check_invariants(root.all()), [])

    def test_content_id_taken(self) -> None:
        """
        Two objects cannot share a content id.
        """
        root = WorldRoot()
        root.create(Room, "hall", content_id="hall")
        self.assertRaises(WorldError, root.create, Room, "hall 2", content_id="hall")
        self.assertEqual(len(list(root.all())), 1)

    def test_destroy_spills_contents(self) -> None:
        """
        Destroying a bag puts what was in it where the bag was, and exits
        into a destroyed room go with it.
        """
        root, objects = small_world()
        hall, yard = objects[0], objects[1]
        bag = next(o for o in objects if o.name == "red bag")
        coin = next(o for o in objects if o.name == "coin")
        move(coin, bag)
        root.destroy(bag)
        self.assertIs(coin.location, hall)
        root.start_room = hall
        root.destroy(yard)
        self.assertEqual([o.name for o in hall.contents if isinstance(o, Exit)], [])
        self.assertEqual(check_invariants(root.all()), [])
