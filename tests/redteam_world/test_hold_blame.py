"""
A facet a script kept dies when its hold goes (given up for newer
visitors, shed by the owner, revoked by the player held), and the script
sees the error (it may handle it). Its failures through such a facet are
not its own: they never suspend it, or alts flooding an owner's holds, or
a player revoking, could stop any thing that keeps a facet of her until
its owner edits it; and the owner is told once, not at every use.
"""

from __future__ import annotations

from scripting.facets import holds
from tests.redteam_world.test_hold_charges import Charged
from tests.redteam_world.test_hold_flood import alt_name
from tests.scripts.helpers import make
from world.scripts import script_of

#: Keeps its first visitor and tells her when Alice comes, without try.
USHER = """
def on_look(actor):
    if not state.get("seen"):
        state.set("seen", True)
        state.set("first", actor)
        return
    if actor.name == "Alice":
        state.get("first").tell("Alice looks at the usher")
    actor.tell("the usher bows")

def verb_poke(actor, *rest):
    raise ValueError("broken")

def verb_forget(actor, *rest):
    state.set("first", None)
    state.set("seen", False)
    actor.tell("forgotten")
"""

class BlameTests(Charged):
    """
    Carol is the usher's first visitor; Bob's holds then lose her facet.
    """

    ALTS = 10

    def setUp(self) -> None:
        super().setUp()
        make(self.s.bob, "usher", USHER)
        self.s.carol.send("look usher")
        self.assertIn("the usher bows", self.s.alice.send("look usher"))
        self.assertIn("Alice looks", self.s.carol.output())
        self.s.read()

    def flood(self) -> None:
        """
        Alts look at the usher until Carol's hold is given up for theirs.
        """
        self.leave_room("Bob", 2 * holds.HOLD_BYTES)
        for n in range(self.ALTS):
            alt = self.s.world.login(alt_name(n), address=f"10.0.0.{n + 1}")
            alt.send("look usher")
            alt.disconnect()
            self.s.world.clock.advance(1)
        self.assertEqual(self.holders("Carol"), [])
        self.s.read()

    def looks(self, times: int = 5) -> list[str]:
        said = []
        for _ in range(times):
            said.append(self.s.alice.send("look usher"))
            self.s.world.clock.advance(1)
        return said

    def assertNotSuspended(self) -> None:
        self.assertNotIn("suspended", self.s.bob.output())
        with self.s.world.store.turn() as turn:
            usher = next(o for o in turn.root.all() if o.name == "usher")
            record = script_of(usher)
            self.assertIsNone(record.suspended)
            self.assertEqual(record.failures, 0)

    def test_given_up_does_not_suspend(self) -> None:
        """
        Carol's facet, given up for alts', fails the usher at every look,
        and never suspends it; the script saw the error, Bob is told once.
        """
        self.flood()
        said = self.looks()
        self.assertNotIn("the usher bows", said[-1])
        told = self.s.bob.output()
        self.assertEqual(told.count("Your things' holds were full"), 1, told)
        self.assertNotIn("suspended", told)
        self.assertNotSuspended()

    def test_revoked_by_player_does_not_suspend(self) -> None:
        """
        Carol revoking what the usher holds of her does not suspend it.
        """
        self.assertIn("revoke", self.s.carol.send("@holders/revoke all").lower())
        self.looks()
        self.assertNotSuspended()

    def test_shed_does_not_suspend(self) -> None:
        """
        Bob shedding his things' holds does not suspend the usher either.
        """
        self.s.bob.send("@holders/shed")
        self.looks()
        self.assertNotSuspended()

    def test_told_again_after_success(self) -> None:
        """
        Once the usher works again, a new loss is told again.
        """
        self.flood()
        self.looks(2)
        self.s.bob.output()
        self.assertIn("forgotten", self.s.bob.send("forget usher"))
        self.leave_room("Bob", 1024)  # room to keep Carol again, whatever the flood left
        self.s.carol.send("look usher")
        self.assertIn("the usher bows", self.s.alice.send("look usher"))
        self.s.read()
        self.s.carol.send("@holders/revoke all")
        self.looks(2)
        self.assertEqual(self.s.bob.output().count("revoked what your script held"), 1)

    def test_own_failures_still_suspend(self) -> None:
        """
        A failure of the script's own still counts: three suspend it.
        """
        for _ in range(3):
            self.s.carol.send("poke usher")
        self.assertIn("does nothing just now", self.s.carol.send("poke usher"))

    def test_forged_revoked_still_counts(self) -> None:
        """
        A script raising a Revoked of its own is blamed for it.
        """
        make(self.s.bob, "imp", 'def verb_poke(actor, *rest):\n    raise Revoked("mine")\n')
        for _ in range(3):
            self.s.carol.send("poke imp")
        self.assertIn("does nothing just now", self.s.carol.send("poke imp"))

    def test_marker_out_of_reach(self) -> None:
        """
        A script cannot mark a Revoked of its own as someone else's doing:
        the marker's name is out of its reach, so it is still blamed.
        """
        said = make(self.s.bob, "imp", """
def verb_poke(actor, *rest):
    err = Revoked("mine")
    setattr(err, "_not_its_own", True)
    raise err
""")
        self.assertNotIn("rror", said)
        for _ in range(3):
            self.s.carol.send("poke imp")
        self.assertIn("does nothing just now", self.s.carol.send("poke imp"))
        self.assertIn("are private and cannot be used", make(self.s.bob, "elf", """
def verb_poke(actor, *rest):
    err = Revoked("mine")
    err._not_its_own = True
    raise err
"""))


#: Keeps the vase it was granted, and looks at it without try.
KEEPER = """
def verb_keep(actor, *rest):
    state.set("vase", grants["vase"])
    actor.tell("kept")

def verb_see(actor, *rest):
    actor.tell("sees " + state.get("vase").name)
"""


class GrantBlameTests(Charged):
    """
    Bob grants his keeper a view of Carol's vase, and it keeps it in state.
    """

    def setUp(self) -> None:
        super().setUp()
        self.s.carol.send("@create vase")
        self.s.carol.send("drop vase")
        make(self.s.bob, "keeper", KEEPER)
        self.s.bob.send("@grant keeper.vase = view vase")
        self.assertIn("kept", self.s.bob.send("keep keeper"))
        self.assertIn("sees vase", self.s.alice.send("see keeper"))
        self.s.read()

    def test_target_destroyed_does_not_suspend(self) -> None:
        """
        Carol destroying her vase kills the grant: not the keeper's doing.
        """
        self.s.carol.send("@destroy vase")
        for _ in range(4):
            said = self.s.alice.send("see keeper")
            self.assertNotIn("sees vase", said)
            self.assertNotIn("does nothing just now", said)

    def test_own_revoke_still_counts(self) -> None:
        """
        Bob revoking his own grant is his doing: using it still counts.
        """
        self.s.bob.send("@revoke keeper.vase")
        for _ in range(3):
            self.s.alice.send("see keeper")
        self.assertIn("does nothing just now", self.s.alice.send("see keeper"))

    def test_player_revoking_her_grant_does_not_suspend(self) -> None:
        """
        Carol revoking (@holders/revoke) the grant Bob made of her is her
        doing, not the keeper's: using the facet it kept never suspends it.
        """
        make(self.s.bob, "watcher", KEEPER.replace('"vase"', '"carol"'))
        self.s.bob.send("@grant watcher.carol = view Carol")
        self.assertIn("kept", self.s.bob.send("keep watcher"))
        self.assertIn("sees Carol", self.s.alice.send("see watcher"))
        self.assertIn("Revoked", self.s.carol.send("@holders/revoke all"))
        for _ in range(4):
            said = self.s.alice.send("see watcher")
            self.assertNotIn("sees Carol", said)
            self.assertNotIn("does nothing just now", said)

    def test_wizard_revoking_anothers_grant_does_not_suspend(self) -> None:
        """
        A wizard revoking (@revoke) Bob's grant is the wizard's doing, not
        the keeper's: using the facet it kept never suspends it, by number
        or by name.
        """
        self.s.world.set_role("Alice", "wizard")
        self.assertIn("Revoked", self.s.alice.send("@revoke keeper.vase"))
        for _ in range(4):
            said = self.s.alice.send("see keeper")
            self.assertNotIn("sees vase", said)
            self.assertNotIn("does nothing just now", said)
        self.s.bob.send("@grant keeper.vase = view vase")
        self.assertIn("kept", self.s.bob.send("keep keeper"))
        live = [line for line in self.s.bob.send("@grants keeper").splitlines()
                if "keeper.vase" in line and "revoked" not in line]
        self.assertIn("Revoked", self.s.alice.send("@revoke " + live[0].split(":")[0].strip()))
        for _ in range(4):
            said = self.s.alice.send("see keeper")
            self.assertNotIn("sees vase", said)
            self.assertNotIn("does nothing just now", said)
