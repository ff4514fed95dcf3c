# -*- test-case-name: tests.redteam_world.test_r7_ignore_wizards -*-
"""
Issue 9: a wizard cannot be ignored, also one made a wizard after she
ignored him, at once: whether the player whose words would be hidden is a
wizard is asked when they would be hidden (L{engine.session.Session.perceive}),
not remembered from her login. Made a player again, he is hidden again.
"""

from __future__ import annotations

from typing import Any

from twisted.trial.unittest import TestCase

from engine.testing import TestWorld
from tests.redteam_world.test_r7_ignore_history import FourPlayers
from tests.scripts.helpers import make
from world import ignores


class WizardMadeLaterTests(FourPlayers):
    def setUp(self) -> None:
        super().setUp()
        self.carol.send("@ignore bob")
        self.bob.send("say before")
        self.read()

    def test_made_a_wizard_by_role(self) -> None:
        """'@role bob = wizard': his says, channel lines and pages reach her, in this session."""
        self.assertIn("Bob is now a wizard", self.wizard.send("@role bob = wizard"))
        self.bob.send("say hear me")
        self.bob.send("pub on the channel")
        self.assertIn("You page Carol", self.bob.send("page carol = a notice"))
        heard = self.carol.output()
        self.assertIn('Bob says, "hear me"', heard)
        self.assertIn("[pub] Bob: on the channel", heard)
        self.assertIn("Bob pages: a notice", heard)

    def test_made_a_wizard_in_the_store(self) -> None:
        """A role changed by any turn (not '@role') is read too."""
        self.world.set_role("bob", "wizard")
        self.bob.send("say hear me")
        self.assertIn('Bob says, "hear me"', self.carol.output())

    def test_his_scripts_too(self) -> None:
        """What his scripted thing sends reaches her once he is a wizard."""
        make(self.bob, "gremlin", "def verb_poke(actor, *rest):\n    here.say('squeak')\n")
        self.dana.send("poke gremlin")
        self.assertNotIn("squeak", self.carol.output())
        self.wizard.send("@role bob = wizard")
        self.read()
        self.dana.send("poke gremlin")
        self.assertIn("squeak", self.carol.output())

    def test_a_player_again(self) -> None:
        """Made a wizard, then a player again: he is hidden again, still in her list."""
        self.wizard.send("@role bob = wizard")
        self.bob.send("say as a wizard")
        self.assertIn("as a wizard", self.carol.output())
        self.wizard.send("@role bob = player")
        self.read()
        self.bob.send("say as a player")
        self.assertNotIn("as a player", self.carol.output())
        self.assertIn('Bob says, "as a player"', self.dana.output())
        self.assertIn("You ignore Bob", self.carol.send("@ignore"))

    def test_others_stay_hidden(self) -> None:
        """Another player she ignores stays hidden while Bob is a wizard."""
        self.carol.send("@ignore dana")
        self.wizard.send("@role bob = wizard")
        self.read()
        self.dana.send("say still hidden")
        self.bob.send("say shown")
        heard = self.carol.output()
        self.assertNotIn("still hidden", heard)
        self.assertIn('Bob says, "shown"', heard)


class AskedOnceTests(TestCase):
    """
    Whether a player she ignores is a wizard is read in a turn once, and
    again only after a commit changed his account: a flood of his lines
    costs her session a look-up each, not a turn each.
    """

    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)
        self.wizard = self.world.login("Wiz", role="wizard")
        self.bob = self.world.login("Bob")
        self.carol = self.world.login("Carol")
        self.carol.send("@ignore bob")
        for player in (self.wizard, self.bob, self.carol):
            player.output()
        self.asked: list[int] = []
        self.opened: list[None] = []
        wizards = ignores.Wizards(self.world.store)

        def asked(character_id: int) -> bool:
            turns = self.turns()
            wizard = wizards(character_id)
            self.asked.append(self.turns() - turns)
            return wizard

        session = self.world.store.minds[self.character("Carol")]
        session._wizard = asked  # type: ignore[attr-defined]

    def character(self, name: str) -> int:
        with self.world.store.turn() as turn:
            return int(turn.root.accounts[name.lower()].character_id)

    def turns(self) -> int:
        # The turns the store began since the test did.
        return len(self.opened)

    def test_read_again_only_once_changed(self) -> None:
        """Five lines: one turn reads his role; '@role' changes it: one more, then none."""
        store = self.world.store
        turn = store.turn

        def counted() -> Any:
            self.opened.append(None)
            return turn()

        store.turn = counted  # type: ignore[method-assign]
        for n in range(5):
            self.bob.send(f"say line {n}")
        self.assertEqual(self.asked, [1, 0, 0, 0, 0])
        self.assertNotIn("line", self.carol.output())
        self.wizard.send("@role bob = wizard")
        del self.asked[:]
        for n in range(5):
            self.bob.send(f"say wizard line {n}")
        self.assertEqual(self.asked, [1, 0, 0, 0, 0])
        self.assertIn('Bob says, "wizard line 4"', self.carol.output())
