"""
Each grant (C{@grant}, of an object or a channel) is a record of its own,
with entries in the registry's indexes: about 320 bytes written for each
(400 with the longest name).
A builder may make 32 on each of his things, so they are charged to his
stored bytes (L{scripting.facets.grants.GRANT_BYTES}) while they live, or
a hundred things would hold about a megabyte he never paid for.
"""

from __future__ import annotations

from scripting.facets import accounting, grants
from tests.redteam_world.charging import WrittenCase
from world import channels

#: How many grants each measured batch makes.
BATCH = 30


class GrantChargeTests(WrittenCase):
    timeless = False

    def setUp(self) -> None:
        super().setUp()
        for name in ("robot", "droid", "gizmo"):
            self.s.bob.send(f"@create {name}")
            self.s.bob.send(f"drop {name}")
        self.s.bob.send("@channel/create chess = A board game")

    def grant(self, spec: str) -> None:
        self.told(f"@grant {spec}", "Granted")

    def batch(self, host: str, width: int, what: str) -> None:
        """
        Half a BATCH of grants to C{host} of C{what}, named with C{width}
        digits.
        """
        for n in range(BATCH // 2):
            self.grant(f"{host}.g{str(n).zfill(width)} = {what}")

    def test_grants_pay_for_what_they_write(self) -> None:
        """
        A batch of grants of an object, then of a channel (after each kind's
        first), with short names or the longest, is charged at least what
        the database keeps for it, and not more than twice that.
        """
        for host, what in (("robot", "view gizmo"), ("droid", "channel chess")):
            self.grant(f"{host}.first = {what}")
            for width in (2, 31):
                written, cost = self.written(self.batch, host, width, what)
                self.assertPaysFor(cost, written, (host, width, written, cost))

    def test_charged_while_they_live(self) -> None:
        """
        A grant costs GRANT_BYTES until it is revoked, or its host is
        destroyed.
        """
        start = self.stored()
        self.grant("robot.eye = view gizmo")
        self.grant("robot.talk = channel chess")
        self.assertEqual(self.stored() - start, 2 * grants.GRANT_BYTES)
        self.s.bob.send("@revoke robot.eye")
        self.assertEqual(self.stored() - start, grants.GRANT_BYTES)
        self.grant("droid.eye = view gizmo")
        self.s.bob.send("@destroy droid")
        self.s.bob.send("@destroy robot")
        self.assertEqual(self.stored(), start - len("droid") - len("robot"))

    def test_grants_made_before_refund_nothing(self) -> None:
        """
        A grant made before grants were charged (its record has no charge)
        refunds nothing when it is revoked.
        """
        self.grant("robot.eye = view gizmo")
        self.grant("robot.talk = channel chess")
        with self.s.world.store.turn() as turn:
            for found in turn.root.grants.live.values():
                del found.charged  # (as a grant stored before: the class's 0)
            for found in channels.registry(turn.root).grants.values():
                del found.charged
            accounting.charge_bytes(turn.root, self.bob_id, -2 * grants.GRANT_BYTES)
        start = self.stored()
        self.s.bob.send("@revoke robot.eye")
        self.s.bob.send("@destroy robot")
        self.assertEqual(self.stored(), start - len("robot"))

    def test_the_quota_refuses_a_grant_and_changes_nothing(self) -> None:
        """
        A grant its owner has no room for is refused, saying how much it
        needs; no grant is made.
        """
        start = self.stored()
        with self.s.world.store.turn() as turn:
            accounting.set_limit(turn.root, self.bob_id, "storage", start + grants.GRANT_BYTES)
        self.grant("robot.eye = view gizmo")
        for spec in ("robot.more = view gizmo", "robot.talk = channel chess"):
            said = self.s.bob.send(f"@grant {spec}")
            self.assertIn(f"That needs {grants.GRANT_BYTES} more bytes of storage", said)
        listed = self.s.bob.send("@grants robot")
        self.assertIn("robot.eye", listed)
        self.assertNotIn("more", listed)
        self.assertNotIn("talk", listed)
        self.assertEqual(self.stored(), start + grants.GRANT_BYTES)
