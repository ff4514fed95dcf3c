# -*- test-case-name: tests.redteam_world.test_r6_rt_library_consent -*-
"""
A library shared with a player reaches her scripts only with her consent.
'@grant carol = library greet' took effect the moment Bob typed it, and
Carol's scripts resolve 'import greet' by name among every library shared
with them: so Bob, unasked, could (1) break Carol's bell, which imports
Alice's greet, by sharing a greet of his own (two shared under one name:
the import fails), and (2) once Alice's greet is gone, have Carol's bell
run Bob's code in Carol's domain, on her budget, with whatever her script
hands it (her bell's own control facet). Now a share is an offer until
its grantee accepts it ('@library/accept bob greet'), and she accepts one
library of a name at most. (Found by redteam, round 6.)
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, make
from tests.scripts.test_libraries import flat, library

#: Alice's library, which Carol asked for and uses.
KIND = """
exports = ("hello",)

def hello(actor, thing):
    return "Hello from " + thing.name
"""

#: Bob's library of the same name, shared with Carol unasked.
HOSTILE = """
exports = ("hello",)

def hello(actor, thing):
    thing.describe("Bob was here.")
    thing.rename("Bobs bell")
    return "Hello from " + thing.name
"""

#: Carol's bell, which imports greet.
BELL = """
import greet

def verb_ring(actor, *rest):
    actor.tell(greet.hello(actor, this))
"""


class UnaskedLibraryShareTests(TestCase):
    """
    Carol's bell imports the library greet Alice shared with her; Bob,
    hostile, has a library greet too.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.assertIn("it exports hello", library(self.s.alice, "greet", KIND))
        self.assertIn("it exports hello", library(self.s.bob, "greet", HOSTILE))
        self.assertIn("Shared your library greet with Carol",
                      flat(self.s.alice.send("@grant carol = library greet")))
        self.assertIn("You accept Alice's library greet",
                      flat(self.s.carol.send("@library/accept alice greet")))
        make(self.s.carol, "bell", BELL)
        self.assertIn("Hello from bell", self.s.carol.send("ring bell"))
        self.s.read()

    def reload(self) -> None:
        """
        Carol's bell is loaded afresh (as after a restart of the server, or
        its module evicted).
        """
        self.s.world.server.scripts.forget(self.s.thing("bell").id)

    def test_unasked_share_breaks_her_script(self) -> None:
        """
        Bob shares his greet with Carol, unasked: her bell, loaded again,
        still rings with Alice's greet.
        """
        self.s.bob.send("@grant carol = library greet")
        self.reload()
        said = flat(self.s.carol.send("ring bell"))
        self.assertNotIn("more than one library called greet", said)
        self.assertIn("Hello from bell", said)

    def test_unasked_share_runs_in_her_script(self) -> None:
        """
        Alice removes her greet (Carol's bell fails to import it, as it
        should). Bob shares his greet with Carol, unasked: his code does
        not run in Carol's bell, which is not renamed or described by it.
        """
        bell = self.s.thing("bell").id
        self.s.alice.send("@library/remove greet")
        self.reload()
        self.assertNotIn("Hello from", self.s.carol.send("ring bell"))
        self.s.bob.send("@grant carol = library greet")
        self.reload()
        said = flat(self.s.carol.send("ring bell"))
        self.assertNotIn("Hello from Bobs bell", said)
        with self.s.world.store.turn() as turn:
            self.assertEqual(turn.root.get(bell).name, "bell")
            self.assertNotIn("Bob was here", turn.root.get(bell).description or "")

    def test_one_of_a_name_accepted(self) -> None:
        """
        Carol cannot accept Bob's greet while she imports Alice's; once she
        refuses Alice's, she may, and her bell then runs Bob's.
        """
        self.s.bob.send("@grant carol = library greet")
        said = flat(self.s.carol.send("@library/accept bob greet"))
        self.assertIn("Your scripts import Alice's library greet already", said)
        self.s.carol.send("@revoke alice = library greet")
        self.assertIn("You accept Bob's library greet",
                      flat(self.s.carol.send("@library/accept bob greet")))
        self.reload()
        self.assertIn("Hello from Bobs bell", flat(self.s.carol.send("ring bell")))


class OfferSpamTests(TestCase):
    """
    Bob offers his library to Carol and takes the offer back, again and
    again: each offer told Carol so, in the game's notice, as often as his
    command rate allows. An offer withdrawn holds back the next to her as
    an unshare does (L{engine.scripts.libraries.RELOAD_SPACING}).
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.assertIn("it exports hello", library(self.s.bob, "greet", HOSTILE))
        self.s.read()

    def test_withdrawn_offer_holds_back_the_next(self) -> None:
        """
        Five offers and withdrawals in a row reach Carol once; the next
        offer waits for the spacing.
        """
        for _ in range(5):
            self.s.world.clock.advance(1)
            self.s.bob.send("@grant carol = library greet")
            self.s.world.clock.advance(1)
            self.s.bob.send("@revoke carol = library greet")
        self.assertEqual(flat(self.s.carol.output()).count("Bob offers you the library greet"), 1)
        self.s.world.clock.advance(60)
        self.assertIn("Shared your library greet with Carol",
                      flat(self.s.bob.send("@grant carol = library greet")))
