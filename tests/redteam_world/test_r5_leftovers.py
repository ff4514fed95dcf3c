# -*- test-case-name: tests.redteam_world.test_r5_leftovers -*-
"""
Leftovers of the red-team pass (issue 9, hostile builders and players).

A few accounts piling junk into the start room up to the ceiling of things
per place (L{world.containment.MAX_CONTENTS}) must not stop a builder
destroying her own room: what the room held spilled into the start room,
and a full start room refused it, so the room could not be destroyed at
all. Now characters still go to the start room (which does not count
them), a thing the full start room cannot take goes back into its owner's
hands, and only what no one can take is refused, naming the full room.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.testing import TestWorld
from tests.redteam_world.test_sealed import sealed_slot
from tests.scripts.helpers import flat, script
from world import containment
from world.objects import Room, Thing


def named(root, name: str):
    return next(o for o in root.all() if o.name == name)


class DestroyIntoAFullStartRoomTests(TestCase):
    """
    Bob's workshop, with his anvil and Alice's pebble in it and Alice
    standing there; the Town Square (the start room) full to the ceiling.
    """

    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)
        self.bob = self.world.login("Bob", role="builder")
        self.alice = self.world.login("Alice")
        with self.world.store.turn() as turn:
            root = turn.root
            bob, alice = named(root, "Bob"), named(root, "Alice")
            shop = root.create(Room, "Workshop", owner=bob.id)
            self.shop = shop.id
            root.create(Thing, "anvil", location=shop, owner=bob.id)
            root.create(Thing, "pebble", location=shop, owner=alice.id)
            containment.move(alice, shop)
            containment.move(bob, named(root, "Market"))
            square = root.start_room
            for n in range(containment.MAX_CONTENTS - square.contents.count_things()):
                root.create(Thing, f"junk {n}", location=square)
            self.assertEqual(square.contents.count_things(), containment.MAX_CONTENTS)
        self.alice.output()
        self.bob.output()

    def where(self, name: str) -> str | None:
        with self.world.store.turn() as turn:
            found = [o for o in turn.root.all() if o.name == name]
            return found[0].location.name if found else None

    def test_destroyed_past_the_ceiling(self) -> None:
        """
        The workshop is destroyed: Alice goes to the start room, the anvil
        into Bob's hands and the pebble into Alice's, and the start room
        holds no more things than the ceiling.
        """
        said = self.bob.send(f"@destroy #{self.shop}")
        self.assertIn("You destroy Workshop", said)
        self.assertEqual(self.where("Alice"), "Town Square")
        self.assertEqual(self.where("anvil"), "Bob")
        self.assertEqual(self.where("pebble"), "Alice")
        with self.world.store.turn() as turn:
            self.assertIsNone(turn.root.get(self.shop))
            self.assertEqual(turn.root.start_room.contents.count_things(),
                             containment.MAX_CONTENTS)
            self.assertEqual(containment.check_invariants(list(turn.root.all())), [])

    def test_what_no_one_can_take_is_refused(self) -> None:
        """
        A thing the world owns (no one's hands to go back to) cannot go
        into the full start room: the destroy is refused, naming the full
        room, and nothing has changed.
        """
        with self.world.store.turn() as turn:
            turn.root.create(Thing, "statue", location=turn.root.get(self.shop))
        said = self.bob.send(f"@destroy #{self.shop}")
        self.assertIn("Town Square cannot hold any more things", said)
        self.assertNotIn("You destroy", said)
        self.assertEqual(self.where("Alice"), "Workshop")
        self.assertEqual(self.where("anvil"), "Workshop")
        self.assertEqual(self.where("statue"), "Workshop")

    def test_players_still_held_to_the_ceiling(self) -> None:
        """
        The ceiling holds for players: Alice cannot drop her pebble in the
        full start room.
        """
        self.alice.send("get pebble")
        with self.world.store.turn() as turn:
            containment.move(named(turn.root, "Alice"), turn.root.start_room)
        said = self.alice.send("drop pebble")
        self.assertIn("cannot hold any more things", said)
        self.assertEqual(self.where("pebble"), "Alice")



#: A sealed slot's script that puts out what it is told to.
EJECTOR = """
def eject(actor, thing):
    try:
        this.put_out(thing)
    except Exception as e:
        actor.tell("refused: " + str(e))
        return
    actor.tell("put out")

def verb_empty(actor, *rest):
    for thing in this.contents:
        eject(actor, thing)

def verb_eject(actor, dobj, *rest):
    eject(actor, dobj)
"""


class PutOutTests(TestCase):
    """
    A container's control facet puts out what is directly inside it (as
    its owner may take it out by hand and drop it), under the world's
    rules: the vending machine gives back junk with it.
    """

    def setUp(self) -> None:
        self.s = sealed_slot(self)
        self.assertIn("saved", flat(script(self.s.bob, "slot", EJECTOR)).lower())
        self.s.alice.send("@create gem")
        self.s.alice.send("put gem in slot")
        self.s.read()

    def where(self, name: str) -> str:
        return self.s.thing(name).location.name

    def test_owner_script_puts_out_of_its_seal(self) -> None:
        """
        Bob's slot's script puts Alice's gem out of his sealed slot into
        the room, where Alice picks it up.
        """
        self.assertIn("put out", self.s.alice.send("empty slot"))
        self.assertEqual(self.where("gem"), "Town Square")
        self.assertIn("You pick up the gem", self.s.alice.send("get gem"))

    def test_only_what_is_inside(self) -> None:
        """
        The brass lantern lying in the square is not in the slot: nothing
        moves.
        """
        said = flat(self.s.alice.send("eject lantern with slot"))
        self.assertIn("refused: brass lantern is not in slot", said)
        self.assertEqual(self.where("brass lantern"), "Town Square")
