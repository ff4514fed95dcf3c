"""
Tests for L{world.rules}: the game's rules, checked before anything changes,
the same for every agent, returning what to tell.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from twisted.trial import unittest

from world import rules
from world.containment import check_invariants
from world.errors import WorldError
from world.objects import Character, Container, Exit, Room, Thing
from world.root import WorldRoot


class Town:
    """
    A hall and a yard (north, and a locked east door to a vault), Ann and
    Bob in the hall, Bob carrying a sealed purse of his own with a coin of
    Ann's in it, a box on the floor.
    """

    def __init__(self) -> None:
        self.root = root = WorldRoot()
        self.hall = root.create(Room, "hall")
        self.yard = root.create(Room, "yard")
        self.vault = root.create(Room, "vault")
        self.north = root.create(Exit, "north", location=self.hall, destination=self.yard)
        root.create(Exit, "south", location=self.yard, destination=self.hall)
        self.east = root.create(Exit, "east", location=self.hall, destination=self.vault)
        self.east.set_property("locked", True)
        self.ann = root.create(Character, "Ann", location=self.hall)
        self.ann.owner = self.ann.id
        self.bob = root.create(Character, "Bob", location=self.hall)
        self.bob.owner = self.bob.id
        self.purse = root.create(Container, "purse", location=self.bob, owner=self.bob.id)
        self.purse.set_property("sealed", True)
        self.coin = root.create(Thing, "coin", location=self.purse, owner=self.ann.id)
        self.box = root.create(Container, "box", location=self.hall, owner=self.ann.id)
        self.stone = root.create(Thing, "stone", location=self.hall, owner=self.ann.id)


class HolderTests(unittest.TestCase):
    def test_holder(self) -> None:
        """
        The holder of a place is the character carrying it, however deeply.
        """
        t = Town()
        self.assertIs(rules.holder(t.coin.location), t.bob)
        self.assertIs(rules.holder(t.bob), t.bob)
        self.assertIsNone(rules.holder(t.box))
        self.assertIsNone(rules.holder(t.hall))


class HandedOverTests(unittest.TestCase):
    """
    What its owner hands into another's keeping stays handed over; what
    was taken is still its owner's to destroy (L{rules.handed_over}).
    """

    def test_taken_then_destroyed_by_its_owner(self) -> None:
        """
        Bob picks up Ann's stone: Ann (in person) may destroy it in his
        hands.
        """
        t = Town()
        rules.move(t.stone, t.bob, rules.player(t.bob))
        self.assertFalse(rules.handed_over(t.stone, t.bob))
        gone, _ = rules.destroy(t.root, t.stone, rules.player(t.ann))
        self.assertEqual(gone, [t.stone])

    def test_given_stays(self) -> None:
        """
        Ann gives Bob her stone: her destroy of it is refused.
        """
        t = Town()
        rules.move(t.stone, t.ann, rules.player(t.ann))
        rules.give(t.stone, t.bob, rules.player(t.ann))
        self.assertTrue(rules.handed_over(t.stone, t.bob))
        self.assertRaises(WorldError, rules.destroy, t.root, t.stone, rules.player(t.ann))

    def test_the_worlds_handed_over_too(self) -> None:
        """
        A thing of the world's that a content script (the world's agent)
        put into Bob's hands at his request stays his, even from the world.
        """
        t = Town()
        lamp = t.root.create(Thing, "lamp", location=t.hall)
        world = rules.Agent(owner=None, person=t.bob.id)
        rules.move(lamp, t.bob, world)
        self.assertTrue(rules.handed_over(lamp, t.bob))
        self.assertRaises(WorldError, rules.destroy, t.root, lamp, rules.Agent(owner=None))


class ConsentTests(unittest.TestCase):
    def test_nobody_else_fills_hands(self) -> None:
        """
        Ann, her scripts, the world's scripts and a wizard all fail to put
        a thing into Bob's hands; nothing moves.
        """
        t = Town()
        for agent in (rules.player(t.ann), rules.Agent(owner=t.ann.id), rules.Agent(None),
                      rules.player(t.ann, wizard=True)):
            with self.assertRaises(WorldError):
                rules.move(t.stone, t.bob, agent)
            self.assertIs(t.stone.location, t.hall)

    def test_person_and_own_scripts_may(self) -> None:
        """
        Bob in person, or Bob's own scripts, or a script running a verb Bob
        typed, may put things in his hands.
        """
        for agent in ("person", "own", "asked"):
            t = Town()
            acting = {"person": rules.player(t.bob), "own": rules.Agent(owner=t.bob.id),
                      "asked": rules.Agent(owner=t.ann.id, person=t.bob.id)}[agent]
            rules.move(t.stone, t.bob, acting)
            self.assertIs(t.stone.location, t.bob, agent)

    def test_give_needs_the_giver_in_person(self) -> None:
        """
        give hands a carried thing to someone beside the giver; a script
        cannot give.
        """
        t = Town()
        rules.move(t.stone, t.ann, rules.player(t.ann))
        with self.assertRaises(WorldError):
            rules.give(t.stone, t.bob, rules.Agent(owner=t.ann.id))
        rules.give(t.stone, t.bob, rules.player(t.ann))
        self.assertIs(t.stone.location, t.bob)

    def test_nothing_made_in_anothers_hands(self) -> None:
        t = Town()
        with self.assertRaises(WorldError):
            rules.create(t.root, Thing, "spam", t.purse, rules.Agent(owner=t.ann.id),
                         owner=t.ann.id)
        self.assertEqual([o.name for o in t.purse.contents], ["coin"])


class SealedTests(unittest.TestCase):
    def test_sealed_keeps_others_things(self) -> None:
        """
        Ann's coin in Bob's sealed purse cannot leave it by Ann's authority,
        even with Bob acting (the purse's seal is his, the coin hers: Bob
        may empty his own purse).
        """
        t = Town()
        with self.assertRaises(WorldError):
            rules.move(t.coin, t.hall, rules.Agent(owner=t.ann.id, person=t.bob.id))
        rules.move(t.coin, t.hall, rules.player(t.bob))
        self.assertIs(t.coin.location, t.hall)

    def test_moving_deeper_inside_is_not_leaving(self) -> None:
        t = Town()
        inner = t.root.create(Container, "pouch", location=t.purse, owner=t.bob.id)
        rules.move(t.coin, inner, rules.Agent(owner=t.ann.id, person=t.bob.id))
        self.assertIs(t.coin.location, inner)


class ReachTests(unittest.TestCase):
    def test_locked_exit_stops_reach_and_walking(self) -> None:
        t = Town()
        self.assertTrue(rules.within_reach(t.stone, t.yard))
        self.assertFalse(rules.within_reach(t.stone, t.vault))
        with self.assertRaises(WorldError) as e:
            rules.walk(t.ann, t.east, rules.player(t.ann))
        self.assertEqual(str(e.exception), "The east is locked.")
        self.assertIs(t.ann.location, t.hall)

    def test_walk_tells_both_rooms(self) -> None:
        t = Town()
        where, told = rules.walk(t.ann, t.north, rules.player(t.ann))
        self.assertIs(where, t.yard)
        self.assertEqual([(x.room, x.event.text) for x in told],
                         [(t.hall, "Ann leaves north."),
                          (t.yard, "Ann arrives from the south.")])
        self.assertTrue(all(x.exclude == (t.ann.id,) for x in told))

    def test_teleport_reach(self) -> None:
        """
        A builder sends their things only to places they own or the room they
        stand in.
        """
        t = Town()
        ann = rules.player(t.ann)
        with self.assertRaises(WorldError):
            rules.teleport(t.stone, t.yard, ann, t.hall)
        rules.teleport(t.stone, t.box, ann, t.hall)
        self.assertIs(t.stone.location, t.box)
        t.yard.owner = t.ann.id
        rules.teleport(t.stone, t.yard, ann, t.hall)
        self.assertIs(t.stone.location, t.yard)


class RefusalChangesNothingTests(unittest.TestCase):
    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11), st.integers(0, 4)),
                    max_size=25))
    def test_any_moves(self, steps: list[tuple[int, int, int]]) -> None:
        """
        Under any sequence of moves by any agent, invariants hold, and a
        refused move changes nothing.
        """
        t = Town()
        objects = list(t.root.all())
        agents = [rules.player(t.ann), rules.player(t.bob), rules.Agent(owner=t.ann.id),
                  rules.Agent(None), rules.player(t.ann, wizard=True)]
        for o, d, a in steps:
            obj, dest, agent = objects[o % len(objects)], objects[d % len(objects)], agents[a]
            before = {x.id: x.location for x in objects}
            try:
                rules.move(obj, dest, agent)
            except WorldError:
                self.assertEqual(before, {x.id: x.location for x in objects})
            self.assertEqual(check_invariants(objects), [])
