# -*- test-case-name: tests.redteam_world.test_r9_relay_wizards -*-
"""
Issue 9 (consent, round 9): a wizard demoted by another connection to the
database is ignored again at once.

Whether a player she ignores is a wizard is kept by her session with his
account's serial (L{world.ignores.Wizards}), and read again once a commit
changed the account. A commit made through another ZODB connection (an
operator's tool, a second server on the same database) only invalidates
the account in the server's connection when its next turn begins, and an
invalidated record keeps its old C{_p_serial} (a ghost is not reloaded to
be asked it): the kept answer stood, and the demoted player kept
reaching her. Now an account that is a ghost is read again.
"""

from __future__ import annotations

import transaction

from tests.redteam_world.test_r7_ignore_history import FourPlayers
from tests.scripts.helpers import make
from world import ignores
from world.store import ROOT_KEY


class OtherConnectionTests(FourPlayers):
    """
    Carol ignores Bob and Dana; Bob was made a wizard after.
    """

    def setUp(self) -> None:
        super().setUp()
        self.assertIn("You now ignore Dana", self.carol.send("@ignore dana"))
        self.assertIn("You now ignore Bob", self.carol.send("@ignore bob"))
        self.assertIn("Bob is now a wizard", self.wizard.send("@role bob = wizard"))
        self.read()

    def role_elsewhere(self, name: str, role: str) -> None:
        """Set C{name}'s role through a second connection to the same database."""
        manager = transaction.TransactionManager(explicit=True)
        connection = self.world.store.db.open(manager)
        try:
            with manager:
                root = connection.root()[ROOT_KEY]
                root.accounts[name].role = role
        finally:
            connection.close()

    def test_demoted_elsewhere(self) -> None:
        """Heard as a wizard; demoted through another connection: his next say is hidden."""
        self.bob.send("say as a wizard")
        self.assertIn('Bob says, "as a wizard"', self.carol.output())
        self.role_elsewhere("bob", "player")
        self.bob.send("say as a player")
        self.assertNotIn("as a player", self.carol.output())
        self.assertIn('Bob says, "as a player"', self.dana.output())

    def test_promoted_elsewhere(self) -> None:
        """Dana, hidden, is made a wizard through another connection: her next say is heard."""
        self.dana.send("say hidden")
        self.assertNotIn("hidden", self.carol.output())
        self.role_elsewhere("dana", "wizard")
        self.dana.send("say heard")
        self.assertIn('Dana says, "heard"', self.carol.output())

    def test_his_script_demoted_elsewhere(self) -> None:
        """What his scripted thing sends is hidden at once too."""
        make(self.bob, "gremlin", "def verb_poke(actor, *rest):\n    here.say('squeak')\n")
        self.dana.send("poke gremlin")
        self.assertIn("squeak", self.carol.output())
        self.role_elsewhere("bob", "player")
        self.dana.send("poke gremlin")
        self.assertNotIn("squeak", self.carol.output())


class KeptAnswerTests(FourPlayers):
    """
    L{ignores.Wizards} itself, outside any session.
    """

    def test_ghost_read_again(self) -> None:
        """A kept answer whose account was invalidated (a ghost) is read again."""
        with self.world.store.turn() as turn:
            bob = int(turn.root.accounts["bob"].character_id)
            turn.root.accounts["bob"].role = "wizard"
        wizards = ignores.Wizards(self.world.store)
        self.assertTrue(wizards(bob))
        manager = transaction.TransactionManager(explicit=True)
        connection = self.world.store.db.open(manager)
        with manager:
            connection.root()[ROOT_KEY].accounts["bob"].role = "player"
        connection.close()
        with self.world.store.turn():
            pass  # (the server's connection takes in the other's commit)
        self.assertFalse(wizards(bob))
