# -*- test-case-name: tests.redteam_world.test_r9_relay_accept -*-
"""
Issue 9 (consent, round 9): '@library/accept' of an offer from a player
she ignores is refused.

Alice offered Carol her library greet; Carol then ignored Alice. The offer
is no longer listed to Carol (round 7), but naming it,
'@library/accept alice greet', still accepted it, and told Alice so: a
player she ignores got his code into her scripts' imports, and a line to
her. Now it is refused, saying that she ignores Alice and that
'@unignore alice' comes first (the explicit confirmation); it says the
same whether or not Alice offered a library of that name. A wizard's
offer is accepted (wizards are never ignored).
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, flat
from tests.scripts.test_libraries import offer
from world.ignores import account_of
from world.libraries import accepted


class IgnoredAcceptTests(TestCase):
    """
    Alice wrote greet and offered it to Carol, who then ignored her.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        offer(self, self.s.alice, "carol")
        self.assertIn("You now ignore Alice", self.s.carol.send("@ignore Alice"))
        self.s.read()

    def accepted(self) -> bool:
        alice = self.s.character("Alice").id
        carol = self.s.character("Carol").id
        with self.s.world.store.turn() as turn:
            return bool(accepted(turn.root, alice, "greet", carol))

    def test_refused(self) -> None:
        """Naming it accepts nothing, tells Alice nothing, and says how to accept it."""
        said = flat(self.s.carol.send("@library/accept alice greet"))
        self.assertIn("You ignore Alice", said)
        self.assertIn("@unignore Alice", said)
        self.assertNotIn("You accept", said)
        self.assertFalse(self.accepted())
        self.assertNotIn("accepted", self.s.alice.output())

    def test_same_for_no_offer(self) -> None:
        """An offer she did not make is refused in the same words: nothing of hers is told."""
        self.assertEqual(
            flat(self.s.carol.send("@library/accept alice greet")).replace("greet", "X"),
            flat(self.s.carol.send("@library/accept alice nosuch")).replace("nosuch", "X"))

    def test_after_unignore(self) -> None:
        """'@unignore alice', then the same command accepts it."""
        self.s.carol.send("@unignore alice")
        self.assertIn("You accept Alice's library greet", flat(
            self.s.carol.send("@library/accept alice greet")))
        self.assertTrue(self.accepted())

    def test_wizard_accepted(self) -> None:
        """Alice made a wizard (never ignored): her offer is accepted."""
        alice = self.s.character("Alice").id
        with self.s.world.store.turn() as turn:
            account_of(turn.root, turn.root.get(alice)).role = "wizard"
        self.assertIn("You accept Alice's library greet", flat(
            self.s.carol.send("@library/accept alice greet")))
        self.assertTrue(self.accepted())
