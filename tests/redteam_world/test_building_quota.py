"""
Building commands and grants count against their owner like everything a
script makes: @dig and @open within the object quota, @destroy refunding
only what was counted, and a ceiling on the grants one thing may hold.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from scripting.facets import accounting, grants
from tests.scripts.helpers import Scene, make
from world.objects import Thing


def flat(text: str) -> str:
    return " ".join(text.split())


class BuildingQuotaTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.bob_id = self.s.character("Bob").id
        with self.s.world.store.turn() as turn:
            accounting.set_limit(turn.root, self.bob_id, "objects", 5)

    def counted(self) -> int:
        with self.s.world.store.turn() as turn:
            return accounting.usage(turn.root, self.bob_id).objects

    def owned(self) -> int:
        with self.s.world.store.turn() as turn:
            return sum(1 for o in turn.root.all()
                       if o.owner == self.bob_id and o.kind != "character")

    def test_dig_and_open_count_against_the_quota(self) -> None:
        """
        With a quota of 5, rooms and exits from @dig and @open stop at 5
        objects owned; a dig that would need more than is left makes
        nothing at all.
        """
        bob = self.s.bob
        self.assertIn("You dig Attic", bob.send("@dig Attic"))
        bob.send("@teleport Attic")
        self.assertIn("You dig Loft", bob.send("@dig north to Loft"))  # 3 more: 4
        said = flat(bob.send("@dig east to Garret"))  # needs 3, 1 left
        self.assertIn("That needs 3 more objects, but you have 4 of your limit of 5", said)
        self.assertEqual((self.owned(), self.counted()), (4, 4))
        said = flat(bob.send("@open west to Loft"))  # a one-way exit? west/east: needs 2
        self.assertIn("That needs 2 more objects", said)
        self.assertIn("You open portal", bob.send("@open portal to Loft"))
        self.assertEqual((self.owned(), self.counted()), (5, 5))
        for _ in range(20):
            bob.send("@dig Cupboard")
        self.assertEqual((self.owned(), self.counted()), (5, 5))

    def test_destroy_refunds_only_what_was_counted(self) -> None:
        """
        Destroying something that never counted against Bob (made for him
        by the world, as content or an older world would) refunds nothing,
        so it cannot make room for more than his quota.
        """
        with self.s.world.store.turn() as turn:
            square = turn.root.start_room
            for i in range(5):
                turn.root.create(Thing, f"gift{i}", location=square, owner=self.bob_id)
        self.s.bob.send("@create token")
        self.assertEqual(self.counted(), 1)
        for i in range(5):
            self.assertIn("You destroy", self.s.bob.send(f"@destroy gift{i}"))
        self.assertEqual(self.counted(), 1)
        for i in range(10):
            self.s.bob.send(f"@create spare{i}")
        self.assertEqual((self.owned(), self.counted()), (5, 5))
        self.s.bob.send("@destroy spare0")
        self.assertEqual((self.owned(), self.counted()), (4, 4))

    def test_dig_then_destroy_balances(self) -> None:
        """
        What @dig counted, @destroy of the room refunds: the room and both
        exits (the one leading into it goes with it).
        """
        bob = self.s.bob
        bob.send("@dig Attic")
        bob.send("@teleport Attic")
        bob.send("@dig north to Loft")
        self.assertEqual(self.counted(), 4)
        self.assertIn("You destroy", bob.send("@destroy Loft"))
        self.assertEqual((self.owned(), self.counted()), (1, 1))


class GrantCeilingTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_grants_per_host_are_capped(self) -> None:
        """
        One thing holds at most MAX_GRANTS_PER_HOST grants; the next is
        refused with a reason, and revoking one makes room again.
        """
        make(self.s.bob, "robot", "def verb_go(actor, *rest):\n    pass\n")
        self.s.bob.send("@create torchlight")
        for i in range(grants.MAX_GRANTS_PER_HOST):
            self.s.world.clock.advance(1)  # within the command rate
            self.assertIn("Granted", self.s.bob.send(f"@grant robot.g{i} = view torchlight"))
        said = flat(self.s.bob.send("@grant robot.extra = view torchlight"))
        self.assertIn(f"already holds {grants.MAX_GRANTS_PER_HOST} grants", said)
        self.s.bob.send("@revoke robot.g0")
        self.assertIn("Granted", self.s.bob.send("@grant robot.extra = view torchlight"))

    def test_destroy_revokes_grants_of_and_to_it(self) -> None:
        """
        Destroying an object revokes the grants of it (found through the
        index by target) and leaves the others.
        """
        make(self.s.bob, "robot", "def verb_go(actor, *rest):\n    pass\n")
        self.s.bob.send("@create beacon")
        self.s.bob.send("@create candle")
        self.s.bob.send("@grant robot.light = view beacon")
        self.s.bob.send("@grant robot.candle = view candle")
        self.assertIn("You destroy", self.s.bob.send("@destroy beacon"))
        robot = self.s.thing("robot")
        with self.s.world.store.turn() as turn:
            self.assertEqual([g.name for g in grants.grants_on(turn.root, robot)], ["candle"])
            self.assertEqual(len(turn.root.grants.by_target), 1)


class GrantIndexTests(TestCase):
    def test_involving_walks_no_other_grant(self) -> None:
        """
        The grants involving an object are found by its id in the indexes,
        never by looking through every live grant.
        """
        from types import SimpleNamespace

        from world.registries import GrantRegistry

        reg = GrantRegistry()
        things = [SimpleNamespace(id=i) for i in range(10)]
        for n in range(200):
            reg.add(SimpleNamespace(id=n + 1, owner=1, host=things[n % 3], name=f"g{n}",
                                    target=things[3 + n % 7]))

        class NoWalk(dict):
            def values(self):
                raise AssertionError("walked every grant")

        reg.live = NoWalk(reg.live.items())
        self.assertEqual({g.id for g in reg.involving(things[4].id)},
                         {n + 1 for n in range(200) if 3 + n % 7 == 4})
        self.assertEqual(len(reg.involving(things[0].id)), 67)


class GenerationFiveTests(TestCase):
    def test_older_world_counts_what_builders_made(self) -> None:
        """
        A generation 4 world, where @dig made rooms nobody counted and grants
        had no index by target, opens with every owner's objects counted
        again at start and its grants indexed.
        """
        import os

        from engine.testing import TestWorld
        from scripting.facets.grants import grant
        from world.objects import Room
        from world.store import WorldStore

        path = os.path.join(self.mktemp(), "world.fs")
        os.makedirs(os.path.dirname(path))
        store = WorldStore(path)
        with store.turn() as turn:
            root = turn.root
            hall = root.create(Room, "Hall")
            root.start_room = hall
            rooms = [root.create(Room, f"Room {i}", owner=7) for i in range(26)]
            lamp = root.create(Thing, "lamp", location=rooms[0], owner=7)
            host = root.create(Thing, "robot", location=rooms[0], owner=7)
            accounting.account(root, 7).objects = 5  # what @create had counted
            made = grant(root, 7, host, "lamp", lamp, "control")
            del root.grants.by_target  # a registry from before the index
            root.generation = 4
        store.close()
        world = TestWorld(store=WorldStore(path), build=None)
        self.addCleanup(world.close)
        with world.store.turn() as turn:
            root = turn.root
            self.assertEqual(accounting.usage(root, 7).objects, 28)
            self.assertTrue(all(o.charged for o in root.all() if o.owner == 7))
            self.assertFalse(root.recount_objects)
            self.assertEqual(list(root.grants.by_target.get(lamp.id, ())), [made.id])
