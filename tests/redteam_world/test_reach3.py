"""
Reach, third round: a builder's @teleport of themselves goes only where
they could go anyway or were let in (their own rooms, rooms marked public,
the start room, a room one open exit away), never behind a locked exit or
into another builder's private room; wizards go anywhere.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, make


def ref(said: str) -> str:
    """
    The C{#id} in what C{@dig} said.
    """
    return said[said.index("(#") + 1:said.index(")", said.index("(#"))]


class SelfTeleportTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.den = ref(self.s.bob.send("@dig Den"))

    def where(self, name: str) -> str:
        room = self.s.character(name).room()
        assert room is not None
        return room.name

    def test_not_into_another_builders_room(self) -> None:
        """
        Alice cannot pop into Bob's Den, by number or by standing beside him.
        """
        said = self.s.alice.send(f"@teleport {self.den}")
        self.assertIn("Den is not open to you", said)
        self.s.bob.send(f"@teleport {self.den}")
        self.assertIn("not open to you", self.s.alice.send("@teleport bob"))
        self.assertEqual(self.where("Alice"), "Town Square")

    def test_public_room(self) -> None:
        """
        Once Bob marks the Den public, Alice may go there.
        """
        self.s.bob.send(f"@teleport {self.den}")
        self.s.bob.send("@set here/public = true")
        self.assertIn("Den", self.s.alice.send(f"@teleport {self.den}"))
        self.assertEqual(self.where("Alice"), "Den")

    def test_not_behind_a_locked_exit(self) -> None:
        """
        The Cellar is two rooms off; the Market behind the locked gate is
        also one open exit north, so Alice may go there; after the north
        exit is locked too, she may not.
        """
        self.assertIn("not open to you", self.s.alice.send("@teleport Cellar"))
        self.assertIn("Market", self.s.alice.send("@teleport Market"))
        self.s.alice.send("@teleport Town Square")
        self.s.set_property("north", "locked")
        self.assertIn("not open to you", self.s.alice.send("@teleport Market"))
        self.assertEqual(self.where("Alice"), "Town Square")

    def test_own_room_and_start_room(self) -> None:
        """
        Her own rooms and the start room are always open to her.
        """
        workshop = ref(self.s.alice.send("@dig Workshop"))
        self.assertIn("Workshop", self.s.alice.send(f"@teleport {workshop}"))
        self.assertIn("Town Square", self.s.alice.send("@teleport Town Square"))

    def test_wizard_goes_anywhere(self) -> None:
        wizard = self.s.world.login("Wendy", role="wizard")
        self.assertIn("Den", wizard.send(f"@teleport {self.den}"))
        self.assertIn("Cellar", wizard.send("@teleport Cellar"))



SPY = """
def on_look(actor):
    state.set("who", actor)

def verb_peek(actor, *rest):
    who = state.get("who")
    this.set_property("seen", [who.name, who.description, who.get_property("mood", "?"),
                               list(who.property_names()), list(who.aliases)])
"""


class KeptCharacterReadTests(TestCase):
    """
    A kept facet of Carol reads her description and properties only while
    she is in the host's room (or is the one acting); her name stays
    public, as everyone who met her knows it.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.carol.send("@describe me = A tall woman in a green cloak.")
        with self.s.world.store.turn() as turn:
            carol = next(o for o in turn.root.all() if o.name == "Carol")
            carol.set_property("mood", "cheerful")
        make(self.s.bob, "mirror", SPY)
        self.s.carol.send("look mirror")
        self.s.read()

    def seen(self) -> object:
        return self.s.thing("mirror").properties.get("seen")

    def test_read_while_beside(self) -> None:
        """
        Beside the mirror, Carol's description and properties are read.
        """
        self.s.bob.send("peek mirror")
        self.assertEqual(self.seen(), ["Carol", "A tall woman in a green cloak.", "cheerful",
                                       ["mood"], []])

    def test_nothing_but_her_name_from_afar(self) -> None:
        """
        Once she walks away, the kept facet gives her name only.
        """
        self.s.carol.send("north")
        self.s.bob.send("peek mirror")
        self.assertEqual(self.seen(), ["Carol", "", "?", [], []])
