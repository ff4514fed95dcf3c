"""
Reach, attacked again by a builder who has read the source: an exit opened
into someone else's room walks round their locked door, and a view of a
container kept in a script's state looks into it from anywhere.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.redteam_world.test_consent import carried
from tests.scripts.helpers import Scene, make
from world import rules
from world.errors import WorldError
from world.objects import Exit


def ref_in(said: str) -> str:
    """
    The first C{#id} that C{said} shows in brackets.
    """
    start = said.index("(#") + 1
    return said[start:said.index(")", start)]


class OpenIntoOthersRoomsTests(TestCase):
    """
    @open makes an exit only into a room its builder controls: a one-way
    exit into Alice's vault would lead round the locked door she keeps.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.vault = ref_in(self.s.alice.send("@dig Vault"))
        self.den = ref_in(self.s.bob.send("@dig Den"))
        self.s.bob.send(f"@teleport {self.den}")
        self.s.read()

    def test_one_way_exit_into_anothers_room(self) -> None:
        """
        Bob may not open a portal from his own den into Alice's vault, so
        nobody walks in through it.
        """
        said = self.s.bob.send(f"@open portal to {self.vault}")
        self.assertIn("You don't own Vault", said)
        self.assertNotIn("You open", said)
        self.assertIn("Huh?", self.s.bob.send("portal"))

    def test_the_rule_is_the_worlds(self) -> None:
        """
        The rule is in L{world.rules.create}, not only in the command: no
        caller makes an exit into a room its agent does not control.
        """
        with self.s.world.store.turn() as turn:
            den = turn.root.get(int(self.den[1:]))
            vault = turn.root.get(int(self.vault[1:]))
            bob = rules.Agent(owner=den.owner, person=den.owner)
            with self.assertRaises(WorldError):
                rules.create(turn.root, Exit, "portal", den, bob, owner=den.owner,
                             destination=vault)
            self.assertEqual([e.name for e in den.exits()], [])

    def test_one_way_exit_into_own_room(self) -> None:
        """
        Into a room of one's own, a one-way exit is fine.
        """
        loft = ref_in(self.s.bob.send("@dig Loft"))
        self.assertIn("You open portal to Loft", self.s.bob.send(f"@open portal to {loft}"))
        self.assertIn("Loft", self.s.bob.send("portal"))


SPY = """
def verb_mark(actor, *rest):
    for t in here.contents:
        if t.name == "chest":
            state.set("chest", t)
            actor.tell("marked")

def verb_peer(actor, *rest):
    chest = state.get("chest")
    actor.tell("inside: " + ",".join([t.name for t in chest.contents]) + ".")
"""


class ContainerSightTests(TestCase):
    """
    A view of a container kept in state sees inside it only while it is in
    view of the script's object, as a room is: not two rooms off, not behind
    a locked exit.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.alice.send("@create container chest")
        self.s.alice.send("@create ruby")
        self.s.alice.send("put ruby in chest")
        self.s.alice.send("drop chest")
        make(self.s.bob, "spyglass", SPY)
        self.assertIn("marked", self.s.bob.send("mark spyglass"))
        self.s.read()

    def test_in_view(self) -> None:
        self.assertIn("inside: ruby.", self.s.bob.send("peer spyglass"))

    def test_carried_two_rooms_off(self) -> None:
        """
        Alice carries the chest to the cellar, two rooms away, and leaves it
        there: the spyglass sees nothing inside it.
        """
        self.s.alice.send("get chest")
        self.s.alice.send("north")
        self.s.alice.send("down")
        self.s.alice.send("drop chest")
        self.assertEqual(carried(self.s, "chest"), ["ruby"])
        self.assertIn("inside: .", self.s.bob.send("peer spyglass"))

    def test_builder_id_sees_into_nothing_far(self) -> None:
        """
        A builder's #id names the chest (and the room it is in) from
        anywhere, but look, examine and @examine show nothing inside.
        """
        chest = f"#{self.s.thing('chest').id}"
        self.s.alice.send("get chest")
        self.s.alice.send("north")
        self.s.alice.send("down")
        self.s.alice.send("drop chest")
        cellar = f"#{self.s.thing('Cellar').id}"
        self.s.read()
        for line in (f"look {chest}", f"examine {chest}", f"@examine {chest}",
                     f"examine {cellar}", f"@examine {cellar}"):
            said = self.s.bob.send(line)
            self.assertIn("chest" if chest in line else "Cellar", said)
            self.assertNotIn("ruby", said, line)
            self.assertNotIn("Alice is here", said, line)
        self.assertIn("It holds a ruby", self.s.alice.send("look chest"))

    def test_behind_a_locked_exit(self) -> None:
        """
        One room off, but the way there is locked: nothing is seen.
        """
        self.s.alice.send("get chest")
        self.s.alice.send("north")
        self.s.alice.send("drop chest")
        self.assertIn("inside: ruby.", self.s.bob.send("peer spyglass"))
        self.s.lock_exits("Town Square")
        self.assertIn("inside: .", self.s.bob.send("peer spyglass"))
