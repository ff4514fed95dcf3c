"""
The world's derived indexes (objects by the words of their names, exits by
where they lead, each thing's place in its container's contents) agree with
a full scan of the world after any sequence of making, renaming, aliasing,
moving and destroying, including turns that fail and are rolled back.
"""

from __future__ import annotations

import random

from twisted.trial.unittest import TestCase

from world import containment, names, rules
from world.errors import WorldError
from world.objects import Character, Container, Exit, Room, Thing
from world.registries import NameIndex, name_words
from world.root import WorldRoot
from world.store import WorldStore

WORDS = ("red", "lamp", "old", "box", "oak", "door", "brass", "key", "north", "gate")


class Failed(Exception):
    """
    A turn that goes wrong after changing the world.
    """


def _scan_names(root: WorldRoot) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for obj in root.all():
        for word in name_words(obj.names()):
            found.setdefault(word, set()).add(obj.id)
    return found


def _scan_looks(root: WorldRoot) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for obj in root.all():
        if not isinstance(obj, Character):
            for look in names.thing_looks(obj.given_names()):
                found.setdefault(look, set()).add(obj.id)
    return found


def _scan_exits(root: WorldRoot) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {}
    for obj in root.all():
        if isinstance(obj, Exit) and obj.destination is not None:
            found.setdefault(obj.destination.id, set()).add(obj.id)
    return found


class IndexAgreementTests(TestCase):
    def setUp(self) -> None:
        self.store = WorldStore(None)
        self.addCleanup(self.store.close)

    def check(self, root: WorldRoot, step: int) -> None:
        assert root.name_index is not None and root.exits_to is not None
        indexed = {word: set(ids) for word, ids in root.name_index.by_word.items()}
        self.assertEqual(indexed, _scan_names(root), f"names, after step {step}")
        assert root.name_index.by_look is not None
        looks = {look: set(ids) for look, ids in root.name_index.by_look.items()}
        self.assertEqual(looks, _scan_looks(root), f"look-alike keys, after step {step}")
        exits = {room: set(ids) for room, ids in root.exits_to.items()}
        self.assertEqual(exits, _scan_exits(root), f"exits, after step {step}")
        held: dict[int, list[Thing]] = {}
        for obj in root.all():
            if obj.location is not None:
                held.setdefault(obj.location.id, []).append(obj)
        for obj in root.all():
            contents = obj.contents
            self.assertEqual(len(contents), len(held.get(obj.id, [])), f"step {step}")
            self.assertEqual(set(map(id, contents)), set(map(id, held.get(obj.id, []))))
            for item in contents:
                self.assertIs(contents._items[item.arrival], item, f"step {step}")
        self.assertEqual(containment.check_invariants(root.all()), [])

    def operate(self, rng: random.Random, root: WorldRoot) -> None:
        objects = list(root.all())
        rooms = [o for o in objects if isinstance(o, Room)]
        things = [o for o in objects if type(o) in (Thing, Container)]
        choice = rng.randrange(7)
        name = " ".join(rng.sample(WORDS, rng.randint(1, 2)))
        if choice == 0 or not things:
            cls = rng.choice((Thing, Container))
            root.create(cls, name, location=rng.choice(rooms))
        elif choice == 1:
            here, there = rng.choice(rooms), rng.choice(rooms)
            root.create(Exit, name, location=here, destination=there)
        elif choice == 2:
            root.create(Room, name)
        elif choice == 3:
            target = rng.choice([o for o in objects if o is not root.start_room])
            rules.rename(root, target, name)
        elif choice == 4:
            target = rng.choice(things + [o for o in objects if isinstance(o, Exit)])
            rules.set_aliases(root, target, rng.sample(WORDS, rng.randint(0, 3)))
        elif choice == 5:
            places = rooms + [o for o in things if isinstance(o, Container)]
            thing = rng.choice(things)
            try:
                containment.move(thing, rng.choice(places))
            except containment.MoveError:
                pass
        else:
            target = rng.choice([o for o in objects if o is not root.start_room])
            root.destroy(target)

    def test_indexes_agree_with_a_full_scan(self) -> None:
        """
        After 400 random operations, a fifth of them in turns that fail, every
        index says what a look through every object says.
        """
        rng = random.Random(20261206)
        with self.store.turn() as turn:
            turn.root.start_room = turn.root.create(Room, "start")
        for step in range(400):
            fails = rng.random() < 0.2
            try:
                with self.store.turn() as turn:
                    for _ in range(rng.randint(1, 3)):
                        try:
                            self.operate(rng, turn.root)
                        except WorldError:
                            pass  # (a name the rules refuse: nothing changed)
                    if fails:
                        raise Failed()
            except Failed:
                pass
            with self.store.turn() as turn:
                self.check(turn.root, step)


class CountedIds:
    """
    The ids of one word of the index, counting how many were read.
    """

    def __init__(self, ids: range) -> None:
        self.ids = ids
        self.read = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        for each in self.ids:
            self.read += 1
            yield each

    def __len__(self) -> int:
        return len(self.ids)


class CommonWordTests(TestCase):
    """
    A word nearly every object's name holds ('a', 'the') costs a lookup by
    name no more than what it returns.
    """

    def test_find_reads_at_most_its_limit_of_a_common_word(self) -> None:
        """
        Finding by the start of a word that 100,000 objects hold reads a
        few more ids than it returns, not all 100,000.
        """
        index = NameIndex()
        common = CountedIds(range(1, 100_001))
        index.by_word["a"] = common
        found, more = index.starting("a", 5)
        self.assertEqual((found, more), ([1, 2, 3, 4, 5], True))
        self.assertLessEqual(common.read, 6)

    def test_an_exact_name_reads_only_what_is_so_called(self) -> None:
        """
        Looking up the exact name 'a' (a builder's @teleport) reads the
        objects called 'a', not every object with 'a' in its name.
        """
        store = WorldStore(None)
        self.addCleanup(store.close)
        with store.turn() as turn:
            root = turn.root
            hall = root.create(Room, "a hall")
            for n in range(50):
                root.create(Thing, f"a thing {n}", location=hall)
            called = root.create(Room, "A")
            loads: list[int] = []
            tree = root.objects
            root.objects = _Counting(tree, loads)
            try:
                found = root.named("a")
            finally:
                root.objects = tree
            self.assertEqual(found, [called])
            self.assertLessEqual(len(loads), 1)


class _Counting:
    """
    The tree of objects by id, counting the objects read from it by id.
    """

    def __init__(self, tree: object, loads: list[int]) -> None:
        self.tree = tree
        self.loads = loads

    def get(self, key: int, default: object = None) -> object:
        self.loads.append(key)
        return self.tree.get(key, default)  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self.tree, name)


class EmptyContentsTests(TestCase):
    def test_what_never_held_anything_stores_no_tree(self) -> None:
        """
        An exit, or a thing nothing was ever put into, keeps no B-tree for
        its contents (one record fewer each, in a world of a million); the
        first arrival makes it.
        """
        store = WorldStore(None)
        self.addCleanup(store.close)
        with store.turn() as turn:
            hall = turn.root.create(Room, "hall")
            box = turn.root.create(Container, "box", location=hall)
            way = turn.root.create(Exit, "north", location=hall, destination=hall)
        with store.turn() as turn:
            self.assertIsNone(box.contents._items)
            self.assertIsNone(way.contents._items)
            self.assertEqual((list(box.contents), len(box.contents)), ([], 0))
            self.assertNotIn(way, box.contents)
            self.assertRaises(ValueError, box.contents.remove, way)
            containment.move(turn.root.create(Thing, "key", location=hall), box)
            self.assertIsNotNone(box.contents._items)
            self.assertEqual([o.name for o in box.contents], ["key"])
