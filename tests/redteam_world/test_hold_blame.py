"""
A facet a script kept dies when its hold goes (given up for newer
visitors, shed by the owner, revoked by the player held), and the script
sees the error (it may handle it). Its first failure through a facet
someone else killed is not its own: it is not counted toward suspending
it, or alts flooding an owner's holds, or a player revoking, could stop any
thing that keeps a facet of her at once; the owner is told. Later failures
through the same dead facet count (the script was told and did not handle
it), as do failures through a facet its owner killed himself (shed, his own
grant revoked, his own grant's target destroyed): or a script could blame
any failure of its own on a dead facet (C{except: state.get("ghost").name})
and never be suspended. The failures here are caused by players who are not
the scripts' owner (Alice, Carol), so they count toward them alone: three
make the script refuse that player (L{engine.scripts.strikes}), never
suspend it for everyone.
"""

from __future__ import annotations

from scripting.facets import holds
from tests.redteam_world.charging import pass_by
from tests.redteam_world.test_hold_charges import Charged
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

def assert_failures(case: Charged, failures: int, name: str, by: str = "Alice") -> None:
    """
    The script on C{name} has failed C{failures} times in a row (counted)
    through what C{by} (not its owner) did, and refuses C{by} if that is
    three or more; it is never suspended.
    """
    runtime = case.s.world.server.scripts
    with case.s.world.store.turn() as turn:
        host = next(o for o in turn.root.all() if o.name == name)
        player = next(o for o in turn.root.all() if o.name == by)
        record = script_of(host)
        case.assertEqual(runtime.strikes.failures(host.id, record.version, player.id), failures)
        case.assertEqual(runtime.refuses(host, player.id) is not None, failures >= 3)
        case.assertEqual(record.failures, 0)
        case.assertIsNone(record.suspended)


#: Keeps its first visitor, then blames every failure of its own on her
#: facet once it is dead.
LAUNDER = """
def on_look(actor):
    if not state.get("seen"):
        state.set("seen", True)
        state.set("ghost", actor)

def verb_poke(actor, *rest):
    try:
        raise ValueError("my own bug")
    except BaseException:
        state.get("ghost").name
"""

#: The same, failing at every look but the first.
LAUNDER_LOOK = """
def on_look(actor):
    if not state.get("seen"):
        state.set("seen", True)
        state.set("ghost", actor)
        return
    try:
        raise ValueError("my own bug")
    except BaseException:
        state.get("ghost").name
"""

#: Keeps the Revoked its dead facet raised, and raises it later in place of
#: an error of its own.
KEEP_AND_RAISE = """
def on_look(actor):
    if not state.get("seen"):
        state.set("seen", True)
        state.set("ghost", actor)

def verb_poke(actor, *rest):
    saved = None
    try:
        state.get("ghost").name
    except Revoked as e:
        saved = e
    try:
        actor.tell(1 / 0)
    except Exception:
        raise saved
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
        pass_by(self.s.world, "look usher", self.ALTS)
        self.assertEqual(self.holders("Carol"), [])
        self.s.read()

    def looks(self, times: int = 5) -> list[str]:
        said = []
        for _ in range(times):
            said.append(self.s.alice.send("look usher"))
            self.s.world.clock.advance(1)
        return said

    def assertFailures(self, failures: int, name: str = "usher", by: str = "Alice") -> None:
        assert_failures(self, failures, name, by)

    def assertNotSuspended(self) -> None:
        self.assertNotIn("suspended", self.s.bob.output())
        self.assertFailures(0)

    def test_given_up_first_failure_not_counted(self) -> None:
        """
        Carol's facet, given up for alts', fails the usher at the next
        look, which is not counted; Bob is told. The looks after count: the
        script saw the error and did not handle it, and three suspend it.
        """
        self.flood()
        said = self.looks(1)
        self.assertNotIn("the usher bows", said[-1])
        told = self.s.bob.output()
        self.assertEqual(told.count("Your things' holds were full"), 1, told)
        self.assertNotSuspended()
        self.looks(2)
        self.assertFailures(2)
        self.looks(1)
        self.assertFailures(3)

    def test_revoked_by_player_first_failure_not_counted(self) -> None:
        """
        Carol revoking what the usher holds of her does not count its next
        failure; the ones after count.
        """
        self.assertIn("revoke", self.s.carol.send("@holders/revoke all").lower())
        self.looks(1)
        self.assertNotSuspended()
        self.looks(3)
        self.assertFailures(3)

    def test_shed_counts(self) -> None:
        """
        Bob shedding his things' holds is his own doing: the usher failing
        through the facet it lost counts from the first failure.
        """
        self.s.bob.send("@holders/shed")
        self.looks(1)
        self.assertFailures(1)
        self.looks(2)
        self.assertFailures(3)

    def test_laundering_through_shed_counts(self) -> None:
        """
        A script blaming a failure of its own on a facet its owner shed
        (C{except: state.get("ghost").name}) refuses Carol after three of
        hers.
        """
        make(self.s.bob, "washer", LAUNDER)
        self.s.carol.send("look washer")
        self.s.read()
        self.s.bob.send("@holders/shed")
        for _ in range(3):
            self.assertNotIn("my own bug", self.s.carol.send("poke washer"))
            self.s.world.clock.advance(1)
        self.assertFailures(3, "washer", "Carol")
        self.assertIn("not answering you for now", self.s.carol.send("poke washer"))

    def test_laundering_through_revoked_counts(self) -> None:
        """
        Laundering through a facet Carol revoked (someone else's doing)
        excuses the first failure only: three more of Alice's make it
        refuse her, on the verb path (each failure in a turn of its own).
        """
        make(self.s.bob, "washer", LAUNDER)
        self.s.carol.send("look washer")
        self.s.carol.send("@holders/revoke all")
        self.s.read()
        self.s.alice.send("poke washer")
        self.assertFailures(0, "washer")
        for _ in range(3):
            self.s.alice.send("poke washer")
            self.s.world.clock.advance(1)
        self.assertFailures(3, "washer")
        self.assertIn("not answering you for now", self.s.alice.send("poke washer"))

    def test_laundering_handlers_count(self) -> None:
        """
        The same in event handlers (each failure rolled back to a
        savepoint, in a turn that commits): the first failure through
        Carol's revoked facet is excused, the rest count.
        """
        make(self.s.bob, "washer", LAUNDER_LOOK)
        self.s.carol.send("look washer")
        self.s.carol.send("@holders/revoke all")
        self.s.read()
        self.s.alice.send("look washer")
        self.assertFailures(0, "washer")
        for _ in range(3):
            self.s.alice.send("look washer")
            self.s.world.clock.advance(1)
        self.assertFailures(3, "washer")

    def test_kept_revoked_raised_later_counts(self) -> None:
        """
        A script that handles the Revoked of a facet Carol revoked, fails
        on its own, and raises the Revoked it kept in place of its own
        error is blamed from the first failure: it was told, and handled it.
        """
        make(self.s.bob, "washer", KEEP_AND_RAISE)
        self.s.carol.send("look washer")
        self.s.carol.send("@holders/revoke all")
        self.s.read()
        self.s.alice.send("poke washer")
        self.assertFailures(1, "washer")
        for _ in range(2):
            self.s.alice.send("poke washer")
            self.s.world.clock.advance(1)
        self.assertFailures(3, "washer")

    def test_told_again_after_success(self) -> None:
        """
        Once the usher works again, a new loss is told again.
        """
        self.flood()
        self.looks(2)
        self.s.bob.output()
        self.assertIn("forgotten", self.s.bob.send("forget usher"))
        self.leave_room("Bob", 1 << 16)  # room to keep Carol again, whatever the flood left
        self.s.carol.send("look usher")
        self.assertIn("the usher bows", self.s.alice.send("look usher"))
        self.s.read()
        self.s.carol.send("@holders/revoke all")
        self.looks(1)
        self.assertEqual(self.s.bob.output().count("revoked what your script held"), 1)

    def test_own_failures_still_count(self) -> None:
        """
        A failure of the script's own still counts: three of Carol's make
        it refuse her.
        """
        for _ in range(3):
            self.s.carol.send("poke usher")
        self.assertIn("not answering you for now", self.s.carol.send("poke usher"))

    def test_forged_revoked_still_counts(self) -> None:
        """
        A script raising a Revoked of its own is blamed for it.
        """
        make(self.s.bob, "imp", 'def verb_poke(actor, *rest):\n    raise Revoked("mine")\n')
        for _ in range(3):
            self.s.carol.send("poke imp")
        self.assertIn("not answering you for now", self.s.carol.send("poke imp"))

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
        self.assertIn("not answering you for now", self.s.carol.send("poke imp"))
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

    def assertFailures(self, failures: int, name: str = "keeper") -> None:
        assert_failures(self, failures, name)

    def sees(self, times: int, name: str = "keeper", what: str = "vase") -> None:
        """
        Alice uses C{name}'s kept facet C{times} times, and it fails.
        """
        for _ in range(times):
            self.assertNotIn("sees " + what, self.s.alice.send("see " + name))

    def test_target_destroyed_first_failure_not_counted(self) -> None:
        """
        Carol destroying her vase kills the grant: not the keeper's doing,
        so its next failure is not counted; the ones after are.
        """
        self.s.carol.send("@destroy vase")
        self.sees(1)
        self.assertFailures(0)
        self.sees(3)
        self.assertFailures(3)

    def test_own_target_destroyed_counts(self) -> None:
        """
        Bob destroying the target of his own grant is his doing: the
        keeper failing through it counts from the first failure.
        """
        self.s.bob.send("@create urn")
        self.s.bob.send("drop urn")
        make(self.s.bob, "urnkeeper", KEEPER.replace('"vase"', '"urn"'))
        self.s.bob.send("@grant urnkeeper.urn = view urn")
        self.assertIn("kept", self.s.bob.send("keep urnkeeper"))
        self.assertIn("sees urn", self.s.alice.send("see urnkeeper"))
        self.assertIn("destroy", self.s.bob.send("@destroy urn"))
        self.sees(1, "urnkeeper", "urn")
        self.assertFailures(1, "urnkeeper")

    def test_own_revoke_still_counts(self) -> None:
        """
        Bob revoking his own grant is his doing: using it still counts.
        """
        self.s.bob.send("@revoke keeper.vase")
        for _ in range(3):
            self.s.alice.send("see keeper")
        self.assertIn("not answering you for now", self.s.alice.send("see keeper"))

    def test_player_revoking_her_grant_does_not_suspend(self) -> None:
        """
        Carol revoking (@holders/revoke) the grant Bob made of her is her
        doing, not the keeper's: the first failure using the facet it kept
        is not counted (toward Alice, who used it), the ones after are.
        """
        make(self.s.bob, "watcher", KEEPER.replace('"vase"', '"carol"'))
        self.s.bob.send("@grant watcher.carol = view Carol")
        self.assertIn("kept", self.s.bob.send("keep watcher"))
        self.assertIn("sees Carol", self.s.alice.send("see watcher"))
        self.assertIn("Revoked", self.s.carol.send("@holders/revoke all"))
        self.sees(1, "watcher", "Carol")
        self.assertFailures(0, "watcher")
        self.sees(3, "watcher", "Carol")
        self.assertFailures(3, "watcher")

    def test_wizard_revoking_anothers_grant_does_not_suspend(self) -> None:
        """
        A wizard revoking (@revoke) Bob's grant is the wizard's doing, not
        the keeper's: using the facet it kept never suspends it, by number
        or by name.
        """
        self.s.world.set_role("Alice", "wizard")
        self.assertIn("Revoked", self.s.alice.send("@revoke keeper.vase"))
        self.sees(1)
        self.assertFailures(0)
        self.s.bob.send("@grant keeper.vase = view vase")
        self.assertIn("kept", self.s.bob.send("keep keeper"))
        live = [line for line in self.s.bob.send("@grants keeper").splitlines()
                if "keeper.vase" in line and "revoked" not in line]
        self.assertIn("Revoked", self.s.alice.send("@revoke " + live[0].split(":")[0].strip()))
        self.sees(1)
        self.assertFailures(0)
