"""
A crowd cannot shut an owner's thing: players (alts, say) standing in its
room past what its owner can hold make a script that looks at everyone
there refused the newest, but that refusal is not the script's failure and
never suspends it.
"""

from __future__ import annotations

from scripting.facets import accounting, holds
from tests.redteam_world.charging import alt_name
from tests.redteam_world.test_hold_charges import Charged
from tests.scripts.helpers import make
from world.scripts import script_of, set_script

#: Greets whoever looks by naming everyone in the room (no try).
HOST = """
def on_look(actor):
    actor.tell("welcome, " + ", ".join(c.name for c in here.characters))
"""

#: Handles the crowd, then fails on its own.
CLUMSY = """
def on_look(actor):
    try:
        names = [c.name for c in here.characters]
    except Exception:
        pass
    actor.tell(1 / 0)
"""

#: Names everyone in the room through a function of its own, in a
#: comprehension, and a generator (no try).
HELPER = """
def everyone():
    return [c.name for c in here.characters]

def each():
    yield from everyone()

def on_look(actor):
    actor.tell("welcome, " + ", ".join(sorted(each(), key=lambda n: n)))
"""

#: Looks at everyone in the room once, at its top level (no try).
LOOKOUT = """
seen = [c.name for c in here.characters]

def on_look(actor):
    actor.tell("the lookout saw " + str(len(seen)))
"""

#: Keeps the crowd's refusal, then passes a failure of its own off as it.
LAUNDER = """
def on_look(actor):
    saved = None
    try:
        names = [c.name for c in here.characters]
    except Exception as e:
        saved = e
    try:
        actor.tell(1 / 0)
    except Exception:
        if saved is not None:
            raise saved
        raise
"""


class CrowdTests(Charged):
    """
    Bob's share is two holds; three alts stand in the square with his host.
    """

    def setUp(self) -> None:
        super().setUp()
        make(self.s.bob, "host", HOST)
        self.alts = [self.s.world.login(alt_name(n), address=f"10.0.0.{n + 1}")
                     for n in range(3)]
        self.share(2)

    def share(self, players: int) -> None:
        """
        Give Bob storage for his things to hold C{players} players in one turn.
        """
        bob = self.s.character("Bob").id
        with self.s.world.store.turn() as turn:
            accounting.set_limit(turn.root, bob, "storage",
                                 players * holds.HOLD_BYTES * holds.SHARE)
        self.s.read()

    def test_crowd_does_not_suspend(self) -> None:
        """
        Carol looks at the host four times: each time it is refused the
        newest alt, and Bob is told, but it is never suspended, and runs
        again once Bob has room for the crowd.
        """
        for _ in range(4):
            self.s.carol.send("look host")
            self.s.world.clock.advance(1)
        said = self.s.bob.output()
        self.assertIn("Your things cannot hold", said)
        self.assertNotIn("suspended", said)
        self.assertNotIn("does not answer", said)  # (nor refused to Carol)
        self.leave_room("Bob", 1 << 20)  # a wizard gives him room: it still runs
        self.assertIn("welcome", self.s.carol.send("look host"))

    def test_own_failure_still_counts(self) -> None:
        """
        A script that handles the crowd's refusal and then fails on its own
        is counted like any other: after three of Carol's it refuses her.
        """
        make(self.s.bob, "clod", CLUMSY)
        self.s.read()
        for _ in range(3):
            self.s.carol.send("look clod")
            self.s.world.clock.advance(1)
        self.assertIn("does not answer Carol", " ".join(self.s.bob.output().split()))

    def test_crowd_at_top_level_does_not_suspend(self) -> None:
        """
        A script whose top level looks at everyone in the room, saved while
        Bob had room for them all, is refused the newest at each load once
        his share is two again (each call loads it again): not counted, never
        suspended, and it runs once Bob has room for the crowd.
        """
        self.leave_room("Bob", 1 << 20)
        self.assertNotIn("problem", make(self.s.bob, "lookout", LOOKOUT))
        self.share(2)
        for _ in range(4):
            self.s.carol.send("look lookout")
            self.s.world.clock.advance(1)
        said = self.s.bob.output()
        self.assertIn("Your things cannot hold", said)
        self.assertNotIn("suspended", said)
        self.assertNotIn("does not answer", said)  # (nor refused to Carol)
        self.leave_room("Bob", 1 << 20)
        self.assertIn("the lookout saw", self.s.carol.send("look lookout"))

    def test_reraised_refusal_still_counts(self) -> None:
        """
        A script that catches the crowd's refusal, fails on its own, and
        raises the refusal it kept in place of its own error is blamed all
        the same: three of Carol's make it refuse her.
        """
        make(self.s.bob, "washer", LAUNDER)
        self.s.read()
        for _ in range(3):
            self.s.carol.send("look washer")
            self.s.world.clock.advance(1)
        said = self.s.bob.output()
        self.assertIn("Your things cannot hold", said)
        self.assertIn("does not answer Carol", " ".join(said.split()))

    def test_crowd_through_own_functions_does_not_suspend(self) -> None:
        """
        The crowd's refusal passing out through the script's own functions
        (one calling another, a generator that sorted() reads) is still the crowd's:
        none of them handled it.
        """
        make(self.s.bob, "helper", HELPER)
        self.s.read()
        for _ in range(4):
            self.s.carol.send("look helper")
            self.s.world.clock.advance(1)
        said = self.s.bob.output()
        self.assertIn("Your things cannot hold", said)
        self.assertNotIn("suspended", said)
        self.assertNotIn("does not answer", said)  # (nor refused to Carol)

    def test_crowd_at_first_check_does_not_suspend(self) -> None:
        """
        A script stored unchecked (as content files store theirs) whose top
        level looks at everyone in the room is checked at its first use: a
        crowd refused there leaves it unchecked, to be checked at its next
        use, never suspended; once Bob has room it is checked and runs.
        """
        make(self.s.bob, "lookout")
        self.s.bob.send("drop lookout")
        lookout = self.s.thing("lookout").id
        with self.s.world.store.turn() as turn:
            found = turn.root.get(lookout)
            set_script(found, LOOKOUT, None, found.owner)
        for _ in range(4):
            self.s.carol.send("look lookout")
            self.s.world.clock.advance(1)
        said = self.s.bob.output()
        self.assertNotIn("suspended", said)
        self.assertNotIn("does not answer", said)  # (nor refused to Carol)
        with self.s.world.store.turn() as turn:
            record = script_of(turn.root.get(lookout))
            assert record is not None
            self.assertIsNone(record.suspended)
            self.assertIsNone(record.functions)
        self.leave_room("Bob", 1 << 20)
        self.assertIn("the lookout saw", self.s.carol.send("look lookout"))
        with self.s.world.store.turn() as turn:
            record = script_of(turn.root.get(lookout))
            assert record is not None
            self.assertEqual(record.functions, ("on_look",))
