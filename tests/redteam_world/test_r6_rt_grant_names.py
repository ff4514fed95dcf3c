# -*- test-case-name: tests.redteam_world.test_r6_rt_grant_names -*-
"""
What another's scripts hold is theirs to know. Bob, beside Alice's bell,
could not list its grants ('@grants bell' is refused), but '@grant
bell.<name> = ...' answered "bell already has a grant named <name>" for
each name her bell's script held a channel under, before it said the bell
was not his, and '@revoke bell.<name>' answered "You have no grant c1"
(the number of her grant) for those and "bell has no grant named <name>"
for others: an oracle for the names and numbers of her grants. Now both
say only that the bell is not his. (Found by redteam, round 6.)
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, flat, make


class GrantNameOracleTests(TestCase):
    """
    Alice's bell holds her channel bellers as the grant 'secretline'.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.alice, "bell", "def verb_ring(actor, *rest):\n    actor.tell('ding')\n")
        self.s.alice.send("@channel/create bellers")
        self.assertIn("Granted: c1: bell.secretline",
                      self.s.alice.send("@grant bell.secretline = channel bellers"))
        self.s.read()

    def test_grant_tells_nothing(self) -> None:
        """
        Bob's '@grant bell.<name> = view bell' says the same for a name her
        bell holds and one it does not: the bell is not his.
        """
        held = flat(self.s.bob.send("@grant bell.secretline = view bell"))
        other = flat(self.s.bob.send("@grant bell.other = view bell"))
        self.assertNotIn("secretline", held)
        self.assertEqual(held, other)
        self.assertIn("is not yours", held)

    def test_revoke_tells_nothing(self) -> None:
        """
        Bob's '@revoke bell.<name>' says the same for a name her bell
        holds and one it does not, and never the grant's number.
        """
        held = flat(self.s.bob.send("@revoke bell.secretline"))
        other = flat(self.s.bob.send("@revoke bell.other"))
        self.assertNotIn("c1", held)
        self.assertEqual(held.replace("secretline", "<name>"), other.replace("other", "<name>"))
        self.assertIn("c1: bell.secretline = channel bellers", self.s.alice.send("@grants"))
