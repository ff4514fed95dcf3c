"""
Choosing an account's name in a world of a million objects: the login
screen asks whether a new name looks like the name of a thing, room or
exit (or the first word of one), and anyone may ask it. It reads the index
of names by look-alike key and only the objects it names, never every
object of the world; and it refuses exactly what looking through every
object refused.
"""

from __future__ import annotations

import contextlib
import os
import random
from typing import Any

from twisted.trial.unittest import TestCase

from engine.testing import upgraded
from world import names, rules
from world.errors import WorldError
from world.objects import Character, Exit, Room, Thing
from world.phrases import without_markup
from world.root import WorldRoot
from world.store import WorldStore

#: Names of things, rooms and exits: look-alikes of one another, several
#: words (the first of which refuses a name too), markup, capital I.
THING_NAMES = (
    "Biscuit", "Biscu\u0456t", "dog", "Dave waves hello", "Erin's Rest", "|rRuby|n lamp",
    "AIice", "old Oak door", "B0b the bell", "Mary", "north", "Zoë's cart", "the Hall",
    "K\u0430te", "Rnary Gate", "ink well",
)
#: Names asked for.
ASKED = (
    "Alice", "Biscuit", "Dog", "Dave", "Erin", "Ruby", "Bob", "Mary", "Kate", "Oak",
    "Old", "The", "North", "Zoe", "Zoë", "Ink", "Inkwell", "Carol", "Hall", "Gate",
)


def _walk_refusal(root: Any, name: str) -> str | None:
    """
    What L{names.account_refusal} answered when it looked through every
    object of the world (the code as it was, kept to compare).
    """
    like = names.character_like(root, name)
    if like is not None:
        shown = root.accounts[like].name if like in root.accounts else like
        if names.fold(shown) == names.fold(name):
            return (f"There is already a character called {shown}. "
                    f"If it is yours, type 'connect {shown} <password>'.")
        return f"{name} looks too much like {shown}, who already plays here; choose another name."
    mine = names.keys(name)
    for obj in root.all():
        if obj.kind == "character":
            continue
        for other in map(without_markup, (obj.name, *obj.aliases)):
            if mine & names.keys(other):
                return (f"Something in this world is already called {other!r}, and a "
                        "character may not share a name with a thing; choose another name.")
            first = names._first_word(other)
            if first is not None and mine & names.keys(first):
                return (f"Something in this world is called {other!r}, which would read as "
                        f"{name} doing something; choose another name.")
    return None


def _no_walk(self: WorldRoot) -> None:
    raise AssertionError("walked every object of the world")


class AccountRefusalReadsTests(TestCase):
    def open(self) -> WorldStore:
        path = os.path.join(self.mktemp(), "world.fs")
        os.makedirs(os.path.dirname(path))
        return WorldStore(path)

    def test_a_refusal_reads_only_the_objects_so_named(self) -> None:
        """
        In a world of 4,000 objects, asking whether a name is free (free,
        taken by a thing, or by a name's first word) loads only a few
        objects from the database (counted in objects loaded, not by a
        clock), and never looks through every object.
        """
        store = self.open()
        with store.turn() as turn:
            root = turn.root
            rooms = [root.create(Room, f"Room {n}") for n in range(40)]
            root.start_room = rooms[0]
            for n, room in enumerate(rooms):
                for k in range(100):
                    root.create(Thing, f"a pebble {n} {k}", location=room)
            root.create(Thing, "Biscuit", location=rooms[7], aliases=("dog",))
            root.create(Room, "Dave waves hello")
        store.close()
        store = WorldStore(store.path)
        self.addCleanup(store.close)
        self.patch(WorldRoot, "all", _no_walk)
        cache = store.connection._cache
        for asked, said in (("Carol", None), ("A", "would read as A"), ("D0g", "already called"),
                            ("Dave", "would read as Dave"), ("Pebble", None)):
            with store.turn() as turn:
                before = cache.cache_non_ghost_count
                refused = names.account_refusal(turn.root, asked)
                loaded = cache.cache_non_ghost_count - before
            if said is None:
                self.assertIsNone(refused, asked)
            else:
                self.assertIn(said, refused or "", asked)
            self.assertLess(loaded, 30, (asked, loaded))


class SameRefusalsTests(TestCase):
    def test_refusals_are_what_looking_through_every_object_refused(self) -> None:
        """
        After random makes, renames, aliasings and destroys (through the
        world's rules, as builders and scripts change names), every name
        asked is refused, with the same words, exactly when looking through
        every object refused it.
        """
        rng = random.Random(12)
        store = WorldStore(None)
        self.addCleanup(store.close)
        with store.turn() as turn:
            root = turn.root
            hall = root.create(Room, "Hall of Names")
            root.start_room = hall
            root.create(Character, "Quentin", location=hall)
        for step in range(300):
            with contextlib.suppress(WorldError), store.turn() as turn:
                root = turn.root
                objects = [o for o in root.all() if o is not root.start_room
                           and not isinstance(o, Character)]
                choice = rng.randrange(5)
                name = rng.choice(THING_NAMES)
                if choice <= 1 or not objects:
                    cls = rng.choice((Thing, Room, Exit))
                    where = None if cls is Room else root.start_room
                    kw = {"destination": root.start_room} if cls is Exit else {}
                    root.create(cls, name, location=where, **kw)
                elif choice == 2:
                    rules.rename(root, rng.choice(objects), name)
                elif choice == 3:
                    rules.set_aliases(root, rng.choice(objects), rng.sample(THING_NAMES, 2))
                else:
                    root.destroy(rng.choice(objects))
            if step % 30 == 29:
                with store.turn() as turn:
                    for asked in ASKED:
                        self.assertEqual(names.account_refusal(turn.root, asked),
                                         _walk_refusal(turn.root, asked), (step, asked))

    def test_a_refused_thing_name_is_refused_to_an_account(self) -> None:
        """
        The refusals of L{tests.world.test_names} hold when answered from
        the index: a thing's name, alias or look-alike, and a name's first
        word; not a possessive, nor a free name.
        """
        root = WorldRoot()
        hall = root.create(Room, "hall")
        root.create(Thing, "Biscuit", location=hall, aliases=("dog",))
        root.create(Room, "Dave waves hello")
        root.create(Room, "Erin's Rest")
        self.patch(WorldRoot, "all", _no_walk)
        for name in ("Biscuit", "Biscu\u0456t", "Dog", "D0G"):
            self.assertIn("already called", names.account_refusal(root, name), name)
        self.assertIn("would read as Dave doing something", names.account_refusal(root, "Dave"))
        self.assertIsNone(names.account_refusal(root, "Erin"))
        self.assertIsNone(names.account_refusal(root, "Carol"))


class LookIndexUpgradeTests(TestCase):
    def test_a_world_of_generation_11_gets_its_look_alikes_indexed(self) -> None:
        """
        A world stored before the index by look-alike key gets one: a thing
        made before the upgrade refuses its look-alike to a new account,
        without a look through every object.
        """
        def old(root: WorldRoot) -> None:
            hall = root.create(Room, "Great Hall")
            root.start_room = hall
            root.create(Thing, "silver Bell", location=hall, aliases=("chime",))
            assert root.name_index is not None
            del root.name_index.by_look, root.name_index.looks_made_by

        store = upgraded(self, 11, old)
        self.assertEqual(store.generation, 12)
        self.patch(WorldRoot, "all", _no_walk)
        with store.turn() as turn:
            self.assertIn("would read as", names.account_refusal(turn.root, "Silver") or "")
            self.assertIn("already called", names.account_refusal(turn.root, "Chime") or "")

    def test_keys_made_otherwise_are_made_again_on_opening(self) -> None:
        """
        Look-alike keys stamped by other keys (another confusables table)
        are made again when the world is opened, not at the login screen.
        """
        path = os.path.join(self.mktemp(), "world.fs")
        os.makedirs(os.path.dirname(path))
        store = WorldStore(path)
        with store.turn() as turn:
            hall = turn.root.create(Room, "Hall")
            turn.root.start_room = hall
            turn.root.create(Thing, "Biscuit", location=hall)
            index = turn.root.name_index
            assert index is not None and index.by_look is not None
            index.looks_made_by = "0/1.0"
            index.by_look.clear()
        store.close()
        store = WorldStore(path)
        self.addCleanup(store.close)
        index = store.root.name_index
        assert index is not None
        self.assertEqual(index.looks_made_by, names.keys_stamp())
        self.patch(WorldRoot, "all", _no_walk)
        with store.turn() as turn:
            self.assertIn("already called", names.account_refusal(turn.root, "Biscuit") or "")
