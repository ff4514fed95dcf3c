"""
Holds are the newest visitors' places, never a lock: players passing by an
owner's scripted things (alt accounts, say) cannot fill the owner's storage
nor shut the things to newcomers. An owner's holds take at most a share of
their storage; past it, or with no room left, a new hold gives up the
owner's oldest hold of anyone (its facets die, its bytes come back). A
destroyed host's holds are refunded at once, and an owner can give up all
their things' holds.
"""

from __future__ import annotations

from typing import Any

from scripting.facets import accounting, holds
from tests.redteam_world.charging import alt_name, pass_by
from tests.redteam_world.test_hold_charges import WATCHER, Charged
from tests.scripts.helpers import make
from world import generations

#: Remembers the first visitor, greets every one, and lets its owner store a
#: note and check on the first visitor.
DOORMAN = """
def on_look(actor):
    if not state.get("seen"):
        state.set("seen", True)
        state.set("first", actor)
    actor.tell("the doorman greets you")

def verb_note(actor, *rest):
    state.set("note", "x" * 1500)
    actor.tell("noted")

def verb_ping(actor, *rest):
    try:
        first = state.get("first")
        first.tell("ping")
        actor.tell("pinged " + first.name)
    except Exception as err:
        actor.tell("lost: " + str(err))
"""


class DoormanCase(Charged):
    """
    A test of alts flooding Bob's doorman (its script L{DOORMAN}).
    """

    ALTS = 60

    def flood(self) -> None:
        """
        ALTS alts look at the doorman one after another, each greeted.
        """
        for n, said in enumerate(pass_by(self.s.world, "look doorman", self.ALTS)):
            self.assertIn("the doorman greets you", said, n)

    def flood_a_share(self, share: int) -> int:
        """
        Give Bob the storage whose share for holds is C{share} holds, and
        flood: what Bob is charged for the flood.
        """
        bob = self.s.character("Bob").id
        with self.s.world.store.turn() as turn:
            accounting.set_limit(turn.root, bob, "storage",
                                 share * holds.HOLD_BYTES * holds.SHARE)
        before = self.stored("Bob")
        self.flood()
        return self.stored("Bob") - before


class FloodTests(DoormanCase):
    """
    Sixty alts look at Bob's doorman, after Carol: each is greeted, Bob's
    storage never fills with holds, his own script state can still be
    written, and Carol's hold is given up for them, really dead.
    """

    def setUp(self) -> None:
        super().setUp()
        make(self.s.bob, "doorman", DOORMAN)
        self.assertIn("the doorman greets you", self.s.carol.send("look doorman"))
        self.s.read()

    def test_full_owner_serves_newcomers(self) -> None:
        """
        Bob has room for eight more holds and no more: the sixtieth alt is
        still greeted, and Bob's holds never take more than that room.
        """
        self.leave_room("Bob", 8 * holds.HOLD_BYTES)
        before = self.stored("Bob")
        self.flood()
        self.assertLessEqual(self.stored("Bob"), before + 8 * holds.HOLD_BYTES)
        self.assertEqual(self.holders("Carol"), [])
        self.assertEqual(self.holders(alt_name(0)), [])
        self.assertEqual(self.holders(alt_name(self.ALTS - 1)), ["doorman"])

    def test_given_up_hold_is_dead(self) -> None:
        """
        Carol's hold was given up: the facet of her the doorman kept in its
        state is revoked, and pings no one.
        """
        self.assertIn("pinged Carol", self.s.bob.send("ping doorman"))
        self.s.read()
        self.leave_room("Bob", 8 * holds.HOLD_BYTES)
        self.flood()
        said = self.s.bob.send("ping doorman")
        self.assertIn("lost: Your things' holds were full", said)
        self.assertNotIn("ping", self.s.carol.output())

    def test_holds_take_a_share(self) -> None:
        """
        Bob's holds take at most a quarter of his storage: past that each
        newcomer takes the oldest's place, and Bob's state has the rest.
        """
        charged = self.flood_a_share(40)
        self.assertEqual(holds_count(self, "Bob"), 40)
        self.assertEqual(charged, 39 * holds.HOLD_BYTES)
        self.assertIn("noted", self.s.bob.send("note doorman"))

    def test_state_still_written(self) -> None:
        """
        Bob has room for as many holds as there are alts, which would fill
        his storage: after the flood his script can still store what it
        needs, as holds took only their share.
        """
        self.leave_room("Bob", self.ALTS * holds.HOLD_BYTES)
        self.flood()
        self.assertIn("noted", self.s.bob.send("note doorman"))


class RefusalTests(Charged):
    """
    A visitor whom the owner cannot pay to hold is not the script's
    failure: however many are refused, the script is not suspended (else
    three alts could stop anyone's full thing until its owner edits it).
    """

    def setUp(self) -> None:
        super().setUp()
        make(self.s.bob, "imp", WATCHER + """
def verb_poke(actor, *rest):
    actor.tell("the imp squeaks")
""")
        self.s.read()

    def test_refusals_do_not_suspend(self) -> None:
        self.leave_room("Bob", 0)
        for _ in range(5):
            self.assertNotIn("the imp sees you", self.s.carol.send("look imp"))
        said = self.s.bob.output()
        self.assertNotIn("suspended", said)
        self.assertNotIn("does not answer", said)  # (nor refused to Carol)
        self.leave_room("Bob", holds.HOLD_BYTES)
        self.assertIn("the imp sees you", self.s.carol.send("look imp"))

    def test_verb_refusals_do_not_suspend(self) -> None:
        """
        A verb whose owner cannot pay to be handed its user fails for her
        (nothing it would do happens), but is not suspended for it.
        """
        self.leave_room("Bob", 0)
        for _ in range(5):
            said = self.s.carol.send("poke imp")
            self.assertNotIn("the imp squeaks", said)
            self.assertNotIn("suspended", said)
            self.assertNotIn("not answering you", said)
        self.leave_room("Bob", holds.HOLD_BYTES)
        self.assertIn("the imp squeaks", self.s.carol.send("poke imp"))

    def test_own_failures_still_count(self) -> None:
        """
        The script's own failures still count: three in a row of Carol's
        make it refuse her (three of Bob's own would suspend it).
        """
        make(self.s.bob, "gnome", """
def verb_poke(actor, *rest):
    raise ValueError("broken")
""")
        for _ in range(3):
            self.s.carol.send("poke gnome")
        self.assertIn("not answering you for now", self.s.carol.send("poke gnome"))


class DestroyTests(Charged):
    """
    Destroying a host refunds its holds at once (by the index of holds by
    host), before the held player ever lists them.
    """

    def test_destroy_refunds(self) -> None:
        before = self.stored("Bob")
        make(self.s.bob, "imp", WATCHER)
        self.s.carol.send("look imp")
        self.s.alice.send("look imp")
        self.assertIn("destroy", self.s.bob.send("@destroy imp").lower())
        self.assertEqual(self.stored("Bob"), before)
        self.assertEqual(holds_count(self, "Bob"), 0)
        self.assertEqual(self.holders("Carol"), [])

    def test_destroyed_character_refunds(self) -> None:
        """
        A character destroyed (by a wizard) takes the holds others' things
        had of her with her.
        """
        make(self.s.bob, "imp", WATCHER)
        before = self.stored("Bob")
        self.s.carol.send("look imp")
        carol = self.s.character("Carol").id
        with self.s.world.store.turn() as turn:
            holds.forget_host(turn.root, turn.root.get(carol))
        self.assertEqual(self.stored("Bob"), before)
        self.assertEqual(holds_count(self, "Bob"), 0)


class ShedTests(Charged):
    """
    An owner sees how many holds their things keep, and gives them all up.
    """

    def test_shed(self) -> None:
        make(self.s.bob, "imp", WATCHER)
        before = self.stored("Bob")
        self.s.carol.send("look imp")
        self.s.alice.send("look imp")
        self.assertIn(f"Your things hold 2 players' facets ({2 * holds.HOLD_BYTES} bytes of your "
                      "storage)",
                      self.s.bob.send("@holders"))
        self.assertIn("Your things gave up 2 holds", self.s.bob.send("@holders/shed"))
        self.assertEqual(self.stored("Bob"), before)
        self.assertEqual(self.holders("Carol"), [])
        self.assertIn("the imp sees you", self.s.carol.send("look imp"))


def holds_count(case: Charged, name: str) -> int:
    who = case.s.character(name).id
    with case.s.world.store.turn() as turn:
        return holds.holds_by(turn.root, who)[0]


class IndexUpgradeTests(Charged):
    """
    Holds a world of generation 13 stored (charged, but not indexed by
    owner nor host) are indexed once at start: destroying their host then
    refunds them, and the owner gives up the oldest of them first.
    """

    def setUp(self) -> None:
        super().setUp()
        make(self.s.bob, "imp", WATCHER)
        make(self.s.bob, "elf", WATCHER.replace("imp", "elf"))
        self.s.read()
        self.s.carol.send("look imp")
        self.s.alice.send("look elf")
        self.age()

    def age(self) -> None:
        with self.s.world.store.turn() as turn:
            root: Any = turn.root
            for tree in (root.holds_by_owner, root.holds_by_host):
                tree.clear()
            for obj in root.all():
                for found in getattr(obj, holds.ATTRIBUTE, {}).values():
                    del found.character
                    del found.number
            del root.holds_by_owner
            del root.holds_by_host
            root.generation = 13

    def upgrade(self) -> None:
        with self.s.world.store.turn() as turn:
            generations.upgrade(turn.root, 13, 14)
        self.s.world.server.scripts.attach_content()

    def test_indexed(self) -> None:
        self.upgrade()
        self.assertEqual(holds_count(self, "Bob"), 2)
        before = self.stored("Bob")
        self.s.bob.send("@destroy imp")
        self.assertLess(self.stored("Bob"), before - holds.HOLD_BYTES + 1)
        self.assertEqual(holds_count(self, "Bob"), 1)
        self.assertEqual(self.holders("Carol"), [])
        self.assertEqual(self.holders("Alice"), ["elf"])

    def test_once(self) -> None:
        self.upgrade()
        before = self.stored("Bob")
        self.s.world.server.scripts.attach_content()
        self.assertEqual(self.stored("Bob"), before)
        self.assertEqual(holds_count(self, "Bob"), 2)
