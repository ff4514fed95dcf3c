"""
Every hold of a player that another owner's script is handed costs that
owner, whatever made it, and has a ceiling: an owner with no room left to
pay is refused (the script is not handed her), never served free.
"""

from __future__ import annotations

from typing import Any

from twisted.trial.unittest import TestCase

from scripting.facets import accounting, grants, holds
from tests.scripts.helpers import Scene, make
from world import generations

WATCHER = """
def on_look(actor):
    actor.tell("the imp sees you")
"""

ROBOT = """
def verb_peek(actor, *rest):
    actor.tell("sees " + grants["eye"].name)
"""


class Charged(TestCase):
    """
    What a Scene needs to read and set an owner's stored bytes.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def stored(self, name: str) -> int:
        who = self.s.character(name).id
        with self.s.world.store.turn() as turn:
            return accounting.usage(turn.root, who).stored_bytes

    def leave_room(self, name: str, room: int) -> None:
        """
        Give C{name} a storage limit leaving C{room} bytes free.
        """
        who = self.s.character(name).id
        with self.s.world.store.turn() as turn:
            used = accounting.usage(turn.root, who).stored_bytes
            accounting.set_limit(turn.root, who, "storage", used + room)

    def holders(self, name: str) -> list[str]:
        """
        The names of the hosts holding C{name}, as its holds say.
        """
        who = self.s.character(name).id
        with self.s.world.store.turn() as turn:
            me = turn.root.get(who)
            return sorted(h.host.name for h in holds.holds_of(turn.root, me))


class GrantHoldTests(Charged):
    """
    A grant of a player (C{@grant robot.eye = view Carol}) is held like any
    facet of her handed to Bob's script: charged to Bob, refunded when it
    goes, and refused when Bob cannot pay.
    """

    def setUp(self) -> None:
        super().setUp()
        make(self.s.bob, "robot", ROBOT)
        self.s.read()

    def test_charged_and_refunded(self) -> None:
        before = self.stored("Bob")
        self.assertIn("Granted", self.s.bob.send("@grant robot.eye = view Carol"))
        self.assertIn("sees Carol", self.s.bob.send("peek robot"))
        self.assertEqual(self.stored("Bob") - before, holds.HOLD_BYTES + grants.GRANT_BYTES)
        self.s.carol.send("@holders/revoke all")
        self.assertEqual(self.stored("Bob"), before)

    def test_refused_without_room(self) -> None:
        """
        Bob has fewer than L{holds.HOLD_BYTES} left and no hold of Carol to
        give up: his robot is not handed her, and he is told why; nothing
        is charged, nothing held.
        """
        self.s.bob.send("@grant robot.eye = view Carol")
        self.leave_room("Bob", holds.HOLD_BYTES - 1)
        before = self.stored("Bob")
        said = self.s.bob.send("peek robot")
        self.assertNotIn("sees Carol", said)
        self.assertIn(f"Holding a facet of Carol needs {holds.HOLD_BYTES} bytes of storage", said)
        self.assertEqual(self.stored("Bob"), before)
        self.assertEqual(self.holders("Carol"), [])

    def test_room_again(self) -> None:
        """
        Given room again, the robot is handed her (and charged).
        """
        self.s.bob.send("@grant robot.eye = view Carol")
        self.leave_room("Bob", 0)
        self.assertNotIn("sees Carol", self.s.bob.send("peek robot"))
        self.leave_room("Bob", holds.HOLD_BYTES)
        self.assertIn("sees Carol", self.s.bob.send("peek robot"))
        self.assertEqual(self.holders("Carol"), ["robot"])


class NoRoomTests(Charged):
    """
    An owner whose stored bytes are all used (or whose limit is 0) pays for
    a new hold of Carol by losing their oldest hold of her; with none, the
    handler is not handed her at all.
    """

    def setUp(self) -> None:
        super().setUp()
        make(self.s.bob, "imp", WATCHER)
        make(self.s.bob, "elf", WATCHER.replace("imp", "elf"))
        self.s.read()

    def test_refused(self) -> None:
        self.leave_room("Bob", 0)
        before = self.stored("Bob")
        said = self.s.carol.send("look imp")
        self.assertIn("imp", said)  # her look stands
        self.assertNotIn("the imp sees you", said)
        self.assertIn(f"Holding a facet of Carol needs {holds.HOLD_BYTES} bytes",
                      self.s.bob.output())
        self.assertEqual(self.stored("Bob"), before)
        self.assertEqual(self.holders("Carol"), [])

    def test_limit_zero(self) -> None:
        """
        A limit of 0 (a wizard's C{@quota Bob = storage 0}) holds nothing
        free either.
        """
        bob = self.s.character("Bob").id
        with self.s.world.store.turn() as turn:
            accounting.set_limit(turn.root, bob, "storage", 0)
        self.assertNotIn("the imp sees you", self.s.carol.send("look imp"))
        self.assertEqual(self.holders("Carol"), [])

    def test_oldest_pays(self) -> None:
        """
        With a charged hold of her, Bob gives it up for the new one: still
        one hold, still paid.
        """
        self.assertIn("the imp sees you", self.s.carol.send("look imp"))
        self.leave_room("Bob", 0)
        before = self.stored("Bob")
        self.assertIn("the elf sees you", self.s.carol.send("look elf"))
        self.assertEqual(self.holders("Carol"), ["elf"])
        self.assertEqual(self.stored("Bob"), before)

    def test_revoke_refunds(self) -> None:
        """
        L{holds.revoke} takes the root it refunds in: there is no way to
        revoke a hold and keep its charge.
        """
        before = self.stored("Bob")
        self.s.carol.send("look imp")
        carol = self.s.character("Carol").id
        with self.s.world.store.turn() as turn:
            me = turn.root.get(carol)
            (found,) = holds.holds_of(turn.root, me)
            self.assertRaises(TypeError, holds.revoke, me, found)  # type: ignore[call-arg]
            holds.revoke(me, found, turn.root)
        self.assertEqual(self.stored("Bob"), before)


class StoredHoldsTests(Charged):
    """
    Holds a world stored before every hold was charged and counted (from
    generation 12 and before) are brought in once, at start after the
    upgrade: each is charged to its owner (what holds cost then,
    L{holds.OLD_HOLD_BYTES}) and listed toward the ceiling;
    one past the ceiling, or that its owner cannot pay for, is revoked.
    """

    def setUp(self) -> None:
        super().setUp()
        self.patch(holds, "MAX_PER_OWNER", 2)
        for name in ("imp", "elf", "orc"):
            make(self.s.bob, name, WATCHER.replace("imp", name))
        self.s.read()
        self.before = self.stored("Bob")
        for name in ("imp", "elf"):
            self.s.carol.send(f"look {name}")
        self.s.carol.send("look orc")  # the imp's hold goes: two
        self.age()

    def age(self) -> None:
        """
        Make Carol's holds as a world of generation 12 stored them: not
        listed toward the ceiling, charged to nobody; and hold her through
        all three hosts (as the world did not bound them).
        """
        carol = self.s.character("Carol").id
        with self.s.world.store.turn() as turn:
            me = turn.root.get(carol)
            held = getattr(me, holds.ATTRIBUTE)
            imp = next(o for o in turn.root.all() if o.name == "imp")
            held[imp.id] = holds.Hold(imp, imp.owner)
            for found in held.values():
                if found.charged:
                    accounting.charge_bytes(turn.root, found.owner, -found.cost)
                    del found.charged
                    del found.cost
            delattr(me, holds.ORDER)
            turn.root.generation = 12
        self.assertEqual(self.stored("Bob"), self.before)
        self.assertEqual(self.holders("Carol"), ["elf", "imp", "orc"])

    def upgrade(self) -> None:
        with self.s.world.store.turn() as turn:
            generations.upgrade(turn.root, 12, 13)
        self.s.world.server.scripts.attach_content()

    def order(self) -> Any:
        carol = self.s.character("Carol").id
        with self.s.world.store.turn() as turn:
            me = turn.root.get(carol)
            return {k: list(v) for k, v in getattr(me, holds.ORDER).items()}

    def test_counted_and_charged(self) -> None:
        self.upgrade()
        self.assertEqual(len(self.holders("Carol")), 2)
        self.assertEqual(self.stored("Bob") - self.before, 2 * holds.OLD_HOLD_BYTES)
        self.assertEqual([len(v) for v in self.order().values()], [2])
        self.s.carol.send("@holders/revoke all")
        self.assertEqual(self.stored("Bob"), self.before)

    def test_once(self) -> None:
        """
        A second start counts nothing again.
        """
        self.upgrade()
        self.s.world.server.scripts.attach_content()
        self.assertEqual(self.stored("Bob") - self.before, 2 * holds.OLD_HOLD_BYTES)

    def test_unpaid_revoked(self) -> None:
        """
        Bob has room for one: the other old holds are revoked, not kept
        free.
        """
        self.leave_room("Bob", holds.OLD_HOLD_BYTES)
        self.upgrade()
        self.assertEqual(len(self.holders("Carol")), 1)
        self.assertEqual(self.stored("Bob") - self.before, holds.OLD_HOLD_BYTES)
