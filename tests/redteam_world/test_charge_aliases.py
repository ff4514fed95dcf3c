"""
The short names the world adds to a direction exit (C{n} for C{north}) are
stored bytes like any alias: C{@dig} and C{@open} check them against the
builder's quota before building, so a builder can never end a command a few
bytes past it.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from scripting.facets import accounting
from tests.scripts.helpers import Scene


class DirectionAliasChargeTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.world.server.scripts.meters.cpu_time = lambda: 0.0
        bob = self.s.bob
        bob.send("@dig Workshop")
        bob.send(f"@teleport {self.s.thing('Workshop').ref}")
        self.s.read()

    def stored(self) -> int:
        owner = self.s.character("Bob").id
        with self.s.world.store.turn() as turn:
            return accounting.usage(turn.root, owner).stored_bytes

    def leave_room(self, room: int) -> int:
        """
        Give Bob a storage limit leaving C{room} bytes free; the limit.
        """
        owner = self.s.character("Bob").id
        with self.s.world.store.turn() as turn:
            limit = accounting.usage(turn.root, owner).stored_bytes + room
            accounting.set_limit(turn.root, owner, "storage", limit)
        return limit

    def kinds(self) -> list[str]:
        with self.s.world.store.turn() as turn:
            return sorted(o.name for o in turn.root.all() if o.kind in ("room", "exit"))

    def test_dig_counts_the_short_names(self) -> None:
        """
        '@dig north to Kitchen' stores Kitchen, north with n and south with
        s: with room for the names but not the short ones it is refused,
        saying so, and nothing is built (not even a byte short); with room for all it is built and
        charged exactly what it stores, not a byte past the limit.
        """
        stores = len("Kitchenette") + len("north") + len("n") + len("south") + len("s")
        built = self.kinds()
        self.leave_room(stores - 1)
        said = self.s.bob.send("@dig north to Kitchenette")
        self.assertIn("more bytes of storage", said)
        self.assertEqual(self.kinds(), built)
        limit = self.leave_room(stores)
        said = self.s.bob.send("@dig north to Kitchenette")
        self.assertIn("You dig Kitchenette", said)
        self.assertEqual(self.stored(), limit)

    def test_open_counts_the_short_names(self) -> None:
        """
        '@open east to Vault' stores east with e and west with w: refused
        without room for the short names, charged exactly with it.
        """
        self.s.bob.send("@dig Vault")
        cellar = self.s.thing("Vault").ref
        built = self.kinds()
        self.leave_room(len("east") + len("e") + len("west") + len("w") - 1)
        said = self.s.bob.send(f"@open east to {cellar}")
        self.assertIn("more bytes of storage", said)
        self.assertEqual(self.kinds(), built)
        limit = self.leave_room(len("east") + len("e") + len("west") + len("w"))
        said = self.s.bob.send(f"@open east to {cellar}")
        self.assertIn("You open east", said)
        self.assertEqual(self.stored(), limit)

    def test_a_short_direction_counts_both_ways(self) -> None:
        """
        An exit named by its short form ('u') stores 'up' and 'u', and its
        way back 'down' and 'd': all are checked.
        """
        self.s.bob.send("@dig Hayloft")
        loft = self.s.thing("Hayloft").ref
        self.leave_room(len("up") + len("u") + len("down") + len("d") - 1)
        said = self.s.bob.send(f"@open u to {loft}")
        self.assertIn("more bytes of storage", said)
        limit = self.leave_room(len("up") + len("u") + len("down") + len("d"))
        said = self.s.bob.send(f"@open u to {loft}")
        self.assertIn("You open up", said)
        self.assertEqual(self.stored(), limit)
