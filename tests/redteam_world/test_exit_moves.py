# -*- test-case-name: tests.redteam_world.test_exit_moves -*-
"""
A script cannot move an exit, not even its owner's, with a control facet
of it: an exit's facets have no C{move_to} (nor any other way to move it),
so a way out of a room is made or moved only by its builder's commands.
Behind that, L{world.rules.check_move}, which every move goes through,
moves an exit only for whoever controls it, only into a room they control,
and never into anyone's hands or any container, whoever asks: a script's
owner on their own authority (a timer), or at a player's request (a verb
she typed). (The rule let anyone's agent move another builder's exit into
a room of their own; no facet offered it, so nothing could.)
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, make
from world import rules
from world.errors import WorldError

LEVER = """
def verb_pull(actor, dobj, prep, iobj, dobjstr, iobjstr):
    door = grants["door"]
    if iobjstr == "me":
        place = actor
    else:
        place = grants[iobjstr]
    try:
        door.move_to(place)
        actor.tell("moved")
    except Exception as err:
        actor.tell("refused: " + str(err))

def verb_shove(actor, dobj, prep, iobj, dobjstr, iobjstr):
    grants["box"].move_to(grants[iobjstr])
    actor.tell("moved")

def verb_heave(actor, dobj, prep, iobj, dobjstr, iobjstr):
    try:
        grants["door"].teleport(grants[iobjstr])
        actor.tell("moved")
    except Exception as err:
        actor.tell("refused: " + str(err))
"""


class ScriptMovesExitTests(TestCase):
    """
    Bob, a builder, digs Shop, Back room and Attic, opens 'east' from Shop
    to Back room, and hands his lever's script a control facet of 'east',
    of Attic (his), of Town Square (the world's) and of a box of his. The
    lever lies in Shop; Carol stands there.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        bob = self.s.bob
        make(bob, "lever", LEVER, drop=False)
        self.assertIn("Granted", bob.send("@grant lever.square = view here"))  # Town Square
        bob.send("@create container box")
        bob.send("@dig Shop")
        bob.send(f"@teleport #{self.ref('Shop')}")
        bob.send("@dig Back room")
        bob.send("@dig Attic")
        bob.send("@open east to Back room")
        for grant in ("lever.door = control east", f"lever.attic = control #{self.ref('Attic')}",
                      "lever.box = control box"):
            self.assertIn("Granted", bob.send(f"@grant {grant}"))
        bob.send("drop lever")
        bob.send("drop box")
        self.exit = next(e for e in self.s.thing("Shop").exits() if e.name == "east").id
        self.s.world.set_role("Carol", "wizard")  # to walk to Shop by id...
        self.s.carol.send(f"@teleport #{self.ref('Shop')}")
        self.s.world.set_role("Carol", "player")  # ...then a player again
        self.s.read()

    def ref(self, name: str) -> int:
        return self.s.thing(name).id

    def where(self) -> str:
        """
        The name of the place the exit is in now.
        """
        with self.s.world.store.turn() as turn:
            exit = turn.root.get(self.exit)
            return exit.location.name

    def refused(self, said: str, method: str = "move_to") -> None:
        """
        The script was told its facet of the exit has no C{method}.
        """
        self.assertIn(f"refused: '{method}' is not available on this object",
                      " ".join(said.split()))
        self.assertNotIn("moved", said)

    def test_a_thing_moves(self) -> None:
        """
        The lever's script may move Bob's box into Attic (so the refusals
        below are the exit's, not the script's).
        """
        self.assertIn("moved", self.s.bob.send("shove lever with attic"))
        self.assertEqual([t.name for t in self.s.thing("Attic").things()], ["box"])

    def test_not_into_a_room_of_its_owner(self) -> None:
        """
        Not even into Attic, a room Bob owns and his script holds a control
        facet of: exits have no move_to.
        """
        self.refused(self.s.bob.send("pull lever with attic"))
        self.assertEqual(self.where(), "Shop")

    def test_not_into_a_room_it_does_not_control(self) -> None:
        """
        Nor into Town Square, the world's, through a view of it.
        """
        self.refused(self.s.bob.send("pull lever with square"))
        self.assertEqual(self.where(), "Shop")
        self.assertEqual(sorted(e.name for e in self.s.thing("Town Square").exits()),
                         ["gate", "north"])

    def test_not_into_hands(self) -> None:
        """
        Nor into Carol's hands when she pulls the lever, nor Bob's when he
        does, nor into his box.
        """
        for player, where in ((self.s.carol, "me"), (self.s.bob, "me"), (self.s.bob, "box")):
            self.refused(player.send(f"pull lever with {where}"))
            self.assertEqual(self.where(), "Shop")
        self.assertNotIn("east", self.s.carol.send("inventory"))

    def test_no_other_way(self) -> None:
        """
        A 'teleport' is no way either: the facet has none.
        """
        for where in ("attic", "square"):
            self.refused(self.s.bob.send(f"heave lever with {where}"), "teleport")
            self.assertEqual(self.where(), "Shop")

    def test_walkers_still_go_where_it_led(self) -> None:
        """
        After every attempt, 'east' still leads Carol from Shop to Back room.
        """
        for where in ("attic", "square", "me", "box"):
            self.s.bob.send(f"pull lever with {where}")
        self.assertIn("Back room", self.s.carol.send("east"))


class _Undo(Exception):
    """
    Raised to roll a test's turn back.
    """


class ExitRuleTests(TestCase):
    """
    The world's rule under any facet: L{world.rules.move} of Bob's exit,
    as a script of his would ask it, on his authority alone (a timer) or
    at Carol's request (a verb she typed, naming it).
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        bob = self.s.bob
        bob.send("@create container box")
        bob.send("drop box")
        bob.send("@dig Shop")
        bob.send(f"@teleport #{self.s.thing('Shop').id}")
        bob.send("@dig Back room")
        bob.send("@dig Attic")
        bob.send("@open east to Back room")
        self.s.read()

    def exit_id(self, room: str = "Shop", name: str = "east") -> int:
        return next(e for e in self.s.thing(room).exits() if e.name == name).id

    def attempt(self, place: str, room: str = "Shop", name: str = "east") -> list[str]:
        """
        What moving exit C{name} of C{room} (Bob's 'east') into the object
        called C{place} raised, or C{"moved to <room>"}: for Bob's script on
        his own authority (a timer), then at Carol's request (a verb she
        typed, naming the exit). Each attempt's turn is rolled back.
        """
        bob, carol = self.s.character("Bob").id, self.s.character("Carol").id
        exit_id = self.exit_id(room, name)
        agents = [rules.Agent(owner=bob),
                  rules.Agent(owner=bob, person=carol, acted_on=frozenset({exit_id}))]
        results = []
        for agent in agents:
            try:
                with self.s.world.store.turn() as turn:
                    exit = turn.root.get(exit_id)
                    dest = next(o for o in turn.root.all() if o.name == place)
                    rules.move(exit, dest, agent)
                    results.append(f"moved to {exit.location.name}")
                    raise _Undo()
            except WorldError as e:
                results.append(str(e))
            except _Undo:
                pass
        return results

    def test_into_a_room_its_owner_controls(self) -> None:
        """
        Into Attic, Bob's: allowed by the rule (were a facet to ask).
        """
        self.assertEqual(self.attempt("Attic"), ["moved to Attic"] * 2)

    def test_not_into_a_room_he_does_not_control(self) -> None:
        """
        Into Town Square (the world's): refused, with the words @teleport
        and @open use.
        """
        for said in self.attempt("Town Square"):
            self.assertIn("You don't own Town Square, so you can't open a way out of it.", said)
        self.assertEqual(sorted(e.name for e in self.s.thing("Town Square").exits()),
                         ["gate", "north"])

    def test_not_into_hands_or_containers(self) -> None:
        """
        Into Carol's hands: refused (a timer has not her consent; at her
        request, exits belong to rooms); into Bob's hands or his box:
        refused, exits belong to rooms.
        """
        to_carol = self.attempt("Carol")
        self.assertIn("Carol has not asked for", to_carol[0])
        self.assertIn("exits belong to rooms", to_carol[1])
        for place in ("Bob", "box"):
            for said in self.attempt(place):
                self.assertIn("exits belong to rooms", said)
        exit_id = self.exit_id()
        with self.s.world.store.turn() as turn:
            self.assertEqual(turn.root.get(exit_id).location.name, "Shop")

    def test_not_anothers_exit(self) -> None:
        """
        Nor may his script move Alice's exit out of her room into his
        Attic: a way out of her room is hers, to make and to keep.
        """
        self.s.alice.send("@dig Hall")
        self.s.alice.send(f"@teleport #{self.s.thing('Hall').id}")
        self.s.alice.send("@dig Vault")
        self.s.alice.send("@open west to Vault")
        for said in self.attempt("Attic", "Hall", "west"):
            self.assertIn("The west is not yours: a way out of a room is its builder's to move.",
                          said)
        self.assertEqual([e.name for e in self.s.thing("Hall").exits()], ["west"])
        self.assertEqual(list(self.s.thing("Attic").exits()), [])
