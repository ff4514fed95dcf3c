"""
A channel facet dies when its grant is revoked or its channel destroyed.
As with holds and object grants, a failure through one someone else
killed (a wizard revoking another's grant, or destroying another's
channel) is not the holding script's own: the grant is marked so
(L{scripting.facets.membrane.RevocationCell.not_its_own}), the script's
first failure through it is not counted toward suspending it (three
failures in a row suspend a script), the ones after are. One its owner
killed himself excuses nothing: or a script could blame its own failures
on a dead facet and never be suspended.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.testing import TestWorld
from scripting.facets import channels as channel_grants
from scripting.facets.errors import Revoked
from tests.facets.helpers import ChessCase, task
from tests.scripts.helpers import make


class ChannelRevokedBlameTests(ChessCase):
    """
    The facet a script was handed of Alice's channel, revoked by Alice or
    by a wizard.
    """

    def fail(self) -> Revoked:
        """
        The lamp's script talks through its dead facet: the error, and the
        cell its task recorded it died through, if not its own doing.
        """
        chess = channel_grants.channel_facet(self.chess, self.w.lamp, "Alice's brass lamp",
                                             (self.grant,))
        with task(self.store, self.w.alice.id), self.assertRaises(Revoked) as caught:
            chess.say("hi")
        return caught.exception

    def test_revoked_by_a_wizard_excused_once(self) -> None:
        """
        A wizard revokes Alice's grant: the script's failure through it is
        not its own, and excused once only.
        """
        with self.store.turn() as turn:
            channel_grants.revoke_id(turn.root, self.w.bob.id, self.grant.id, wizard=True)
        error = self.fail()
        self.assertTrue(getattr(error, "_not_its_own", False))
        with self.store.turn():
            self.assertTrue(self.grant.excuse())
            self.assertFalse(self.grant.excuse())

    def test_revoked_by_its_owner_not_excused(self) -> None:
        """
        Alice revokes her own grant (a wizard's own one is the same): the
        failure is the script's, never excused.
        """
        with self.store.turn() as turn:
            channel_grants.revoke_id(turn.root, self.w.alice.id, self.grant.id, wizard=True)
        error = self.fail()
        self.assertFalse(getattr(error, "_not_its_own", False))
        with self.store.turn():
            self.assertFalse(self.grant.excuse())


class ChannelRevokedByCommandTests(TestCase):
    """
    The commands that kill a channel grant say whose doing it was.
    """

    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)
        self.wizard = self.world.login("Wiz", role="wizard")
        self.alice = self.world.login("Alice", role="builder")
        self.alice.send("@channel/create chess")
        make(self.alice, "gremlin", "def verb_squeak(actor, *rest):\n"
                                    "    grants['chess'].say('squeak')\n")
        self.assertIn("Granted: c1", self.alice.send("@grant gremlin.chess = channel chess"))

    def keep(self) -> None:
        """
        Keep the gremlin's channel grant, to look at once it is revoked
        (the registry forgets it then).
        """
        with self.world.store.turn() as turn:
            host = next(o for o in turn.root.all() if o.name == "gremlin")
            (self.grant,) = channel_grants.grants_on(turn.root, host)

    def not_its_own(self) -> bool:
        """
        Whether the gremlin's channel grant died by someone else's doing.
        """
        with self.world.store.turn():
            self.assertTrue(self.grant.revoked)
            return self.grant.not_its_own

    def test_wizard_revokes(self) -> None:
        """A wizard's '@revoke c1' of Alice's grant is not her script's doing."""
        self.keep()
        self.assertIn("Revoked: c1", self.wizard.send("@revoke c1"))
        self.assertTrue(self.not_its_own())

    def test_owner_revokes(self) -> None:
        """Alice's own '@revoke c1' is."""
        self.keep()
        self.assertIn("Revoked: c1", self.alice.send("@revoke c1"))
        self.assertFalse(self.not_its_own())

    def test_wizard_destroys_the_channel(self) -> None:
        """A wizard destroying Alice's channel is not her script's doing."""
        self.keep()
        self.assertIn("You destroyed the channel chess",
                      self.wizard.send("@channel/destroy chess"))
        self.assertTrue(self.not_its_own())

    def test_owner_destroys_the_channel(self) -> None:
        """Alice destroying her own channel is."""
        self.keep()
        self.assertIn("You destroyed the channel chess",
                      self.alice.send("@channel/destroy chess"))
        self.assertFalse(self.not_its_own())
