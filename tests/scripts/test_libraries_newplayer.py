"""
Libraries played as a new player plays them (found by playing it over
telnet, session of 2026-12-07): each message says what is so and what to
type next. Alice writes greet and offers it to Carol; Carol's bell imports
it.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, flat, make
from tests.scripts.test_libraries import BELL, GREET, library, offer
from world.scripts import script_of


class NewPlayerLibraryTests(TestCase):
    """
    Alice has written greet and offered it to Carol.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        offer(self, self.s.alice, "carol")
        self.s.read()

    def test_import_before_accepting(self) -> None:
        """
        A script importing a library offered and not accepted yet is told
        of the offer and how to accept it, not that there is no such module.
        """
        said = flat(make(self.s.carol, "bell", BELL))
        self.assertIn("no module named 'greet': Alice offers you the library greet and you "
                      "have not accepted it: '@library/accept Alice greet' lets your scripts "
                      "import it", said)
        self.assertNotIn("scripts may import: json", said)

    def test_import_after_withdrawn_and_offered_again(self) -> None:
        """
        Shared, accepted, withdrawn and offered again: the bell's failure
        says the offer waits, not that Alice no longer shares it, and is
        still not counted toward suspending the bell.
        """
        self.s.carol.send("@library/accept alice greet")
        make(self.s.carol, "bell", BELL)
        self.assertIn("Hello from greet.", self.s.carol.send("ring bell"))
        self.s.alice.send("@revoke carol = library greet")
        self.s.world.clock.advance(61)
        self.s.alice.send("@grant carol = library greet")
        self.s.read()
        said = flat(self.s.carol.send("ring bell"))
        self.assertIn("Alice offers you the library greet and you have not accepted it: "
                      "'@library/accept Alice greet'", said)
        self.assertNotIn("no longer shares", said)
        self.assertIn("not counted toward suspending your script", said)

    def test_granted_again_while_offered(self) -> None:
        """
        Granting again what Carol has not accepted yet says it waits for her.
        """
        said = flat(self.s.alice.send("@grant carol = library greet"))
        self.assertIn("Your library greet is offered to Carol already; Carol's scripts may "
                      "import it once Carol accepts it", said)
        self.s.carol.send("@library/accept alice greet")
        said = flat(self.s.alice.send("@grant carol = library greet"))
        self.assertIn("Your library greet is shared with Carol already.", said)

    def test_accept_over_own_library(self) -> None:
        """
        Accepting a library called as one of her own tells Carol hers is
        what 'import greet' finds, and how to remove it: not to refuse
        herself.
        """
        library(self.s.carol, "greet", GREET)
        said = flat(self.s.carol.send("@library/accept alice greet"))
        self.assertIn("You have a library called greet of your own, and 'import greet' finds "
                      "yours: '@library/remove greet' removes it", said)
        self.assertNotIn("yours library", said)
        self.assertNotIn("@revoke Carol", said)

    def test_accept_over_anothers(self) -> None:
        """
        Accepting a second library of a name says whose Carol's scripts
        import now, and how to refuse it.
        """
        library(self.s.bob, "greet", GREET)
        self.s.bob.send("@grant carol = library greet")
        self.s.carol.send("@library/accept bob greet")
        said = flat(self.s.carol.send("@library/accept alice greet"))
        self.assertIn("Your scripts import Bob's library greet already; refuse it first "
                      "('@revoke Bob = library greet')", said)

    def test_switch_without_name(self) -> None:
        """
        A switch typed without a name shows that switch in its example.
        """
        self.assertIn("Name the library, e.g. '@library/show greetings'.",
                      flat(self.s.carol.send("@library/show")))
        self.assertIn("Name the library, e.g. '@library/remove greetings'.",
                      flat(self.s.carol.send("@library/remove")))

    def test_withdrawn_share_is_told(self) -> None:
        """
        Alice stopping a share Carol accepted tells Carol, with what it
        means for her scripts.
        """
        self.s.carol.send("@library/accept alice greet")
        self.s.read()
        self.s.alice.send("@revoke carol = library greet")
        said = flat(self.s.carol.output())
        self.assertIn("Alice no longer shares the library greet with you: your scripts that "
                      "import it fail until they no longer do", said)

    def test_withdrawn_offer_is_told(self) -> None:
        """
        Alice taking back an offer tells Carol.
        """
        self.s.alice.send("@revoke carol = library greet")
        self.assertIn("Alice took back the offer of the library greet.",
                      flat(self.s.carol.output()))

    def test_refusal_is_told(self) -> None:
        """
        Carol refusing a share she accepted, or an offer, tells Alice, as
        accepting does.
        """
        self.s.carol.send("@library/accept alice greet")
        self.s.read()
        self.s.carol.send("@revoke alice = library greet")
        self.assertIn("Carol refused your library greet: their scripts no longer import it.",
                      flat(self.s.alice.output()))
        self.s.world.clock.advance(61)
        self.s.alice.send("@grant carol = library greet")
        self.s.read()
        self.s.carol.send("@revoke alice = library greet")
        self.assertIn("Carol refused your offer of the library greet.",
                      flat(self.s.alice.output()))

    def test_removed_is_told(self) -> None:
        """
        Alice removing greet, which Carol accepted, tells Carol.
        """
        self.s.carol.send("@library/accept alice greet")
        self.s.read()
        self.s.alice.send("@library/remove greet")
        self.assertIn("Alice removed the library greet, which you accepted: your scripts that "
                      "import it fail until they no longer do.", flat(self.s.carol.output()))

    def test_removed_before_loaded_is_blamed_on_owner(self) -> None:
        """
        Alice removes greet before Carol's bell ever loaded it: its failing
        imports say Alice removed it and do not suspend the bell.
        """
        self.s.carol.send("@library/accept alice greet")
        make(self.s.carol, "bell", BELL)
        self.s.alice.send("@library/remove greet")
        said = []
        for _ in range(3):
            self.s.world.clock.advance(61)
            said.append(flat(self.s.carol.send("ring bell")))
        self.assertIn("Alice removed the library greet or no longer shares it with you",
                      said[-1])
        self.assertIsNone(script_of(self.s.thing("bell")).suspended)

    def test_accept_naming_only_the_player(self) -> None:
        """
        '@library/accept alice' names what Alice offers and the whole
        command to type; '@library/accept' alone lists the offers too.
        """
        said = flat(self.s.carol.send("@library/accept alice"))
        self.assertIn("Alice offers you: greet. Type '@library/accept Alice greet'", said)
        said = flat(self.s.carol.send("@library/accept"))
        self.assertIn("Shared with you, not accepted yet: greet (Alice's).", said)
        self.assertIn("'@library/accept <player> <library>'", said)
        said = flat(self.s.carol.send("@library/accept bob"))
        self.assertIn("Bob offers you no library", said)
        self.assertIn("You have no library offers.", flat(self.s.bob.send("@library/accept")))

    def test_accept_names_scripts_waiting(self) -> None:
        """
        Carol's bell, saved importing greet before she accepted it, is
        suspended for errors: accepting greet names it and how to start it.
        """
        make(self.s.carol, "bell", BELL)
        said = flat(self.s.carol.send("@library/accept alice greet"))
        self.assertIn("Your scripts saved while they could not import it are still "
                      "suspended: bell; '@script/restart <thing>' checks and starts each.", said)
        self.s.carol.send("@script/restart bell")
        self.assertIn("Hello from greet.", self.s.carol.send("ring bell"))
