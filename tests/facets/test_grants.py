"""
The grant policy, listing and revocation, as the @grant, @grants and @revoke
commands will use them.
"""

from __future__ import annotations

from twisted.trial import unittest
from zope.security.proxy import getChecker

from scripting.facets import grants
from scripting.facets.interfaces import role_names
from tests.facets.helpers import build, task
from tests.world.test_store import RecordingMind
from world.errors import WorldError
from world.objects import Container, Thing
from world.store import WorldStore


class GrantPolicyTests(unittest.TestCase):
    def setUp(self) -> None:
        self.store = WorldStore()
        self.addCleanup(self.store.close)
        self.w = build(self.store)

    def grant(self, owner: object, host: object, name: str, target: object,
              role: str) -> grants.Grant:
        with task(self.store, owner.id) as turn:
            return grants.grant(turn.root, owner.id, host, name, target, role)

    def test_control_only_of_own_objects(self) -> None:
        """
        Alice may grant control of her lamp, never of Bob's bell.
        """
        self.grant(self.w.alice, self.w.box, "lamp", self.w.lamp, "control")
        self.assertRaises(WorldError, self.grant, self.w.alice, self.w.box, "bell", self.w.bell,
                          "control")

    def test_only_to_own_hosts(self) -> None:
        """
        Bob cannot grant anything to a script on Alice's box.
        """
        self.assertRaises(WorldError, self.grant, self.w.bob, self.w.box, "bell", self.w.bell,
                          "view")

    def test_view_of_what_is_in_sight(self) -> None:
        """
        View and interact may be granted of others' objects in sight (the
        room, things in it, what is in containers there), not of what other
        characters carry nor of far rooms.
        """
        w = self.w
        with task(self.store, None) as turn:
            marble = turn.root.create(Thing, "marble", location=w.box, owner=w.bob.id)
            wallet = turn.root.create(Container, "wallet", location=w.bob, owner=w.bob.id)
            coin = turn.root.create(Thing, "coin", location=wallet, owner=w.bob.id)
        self.grant(w.alice, w.box, "bell", w.bell, "view")
        self.grant(w.alice, w.box, "bob", w.bob, "interact")
        self.grant(w.alice, w.box, "hall", w.hall, "interact")
        self.grant(w.alice, w.box, "marble", marble, "view")
        for name, target in (("wallet", wallet), ("coin", coin), ("garden", w.garden)):
            self.assertRaises(WorldError, self.grant, w.alice, w.box, name, target, "view")

    def test_names_and_roles_are_checked(self) -> None:
        """
        Names are identifiers unique per host (case folded); roles are the
        three role names.
        """
        w = self.w
        self.grant(w.alice, w.box, "Lamp", w.lamp, "view")
        for name in ("lamp", "LAMP", "_lamp", "1lamp", "my lamp", "", "x" * 33):
            self.assertRaises(WorldError, self.grant, w.alice, w.box, name, w.lamp, "view")
        self.assertRaises(WorldError, self.grant, w.alice, w.box, "other", w.lamp, "owner")
        self.grant(w.alice, w.study, "lamp", w.lamp, "view")  # another host may reuse it

    def test_listing_and_description(self) -> None:
        """
        An owner's grants list oldest first; a host's by name; each has a
        one-line description.
        """
        w = self.w
        first = self.grant(w.alice, w.box, "lamp", w.lamp, "control")
        second = self.grant(w.alice, w.study, "bell", w.bell, "view")
        self.grant(w.bob, w.bell, "lamp", w.lamp, "view")
        with task(self.store, None) as turn:
            self.assertEqual(grants.grants_of(turn.root, w.alice.id), [first, second])
            self.assertEqual([g.name for g in grants.grants_on(turn.root, w.box)], ["lamp"])
            self.assertEqual(grants.describe(first),
                             f"{first.id}: box.lamp = control of brass lamp ({w.lamp.ref})")

    def test_granted_facets_have_the_role_and_the_host_voice(self) -> None:
        """
        A host's scripts get each grant as a facet of exactly its role; a room
        granted for interaction speaks with the host's voice.
        """
        w = self.w
        self.grant(w.alice, w.box, "lamp", w.lamp, "view")
        self.grant(w.alice, w.box, "hall", w.hall, "interact")
        self.store.minds[w.alice.id] = RecordingMind(self.store)  # (only the awake are told)
        with task(self.store, w.alice.id) as turn:
            got = grants.granted_facets(turn.root, w.box)
            self.assertEqual(getChecker(got["lamp"]).names, role_names("thing", "view"))
            got["hall"].say("Creak.")
            self.assertEqual(turn.events[-1][1].text, 'box says, "Creak."')

    def test_only_the_granter_revokes(self) -> None:
        """
        Bob cannot revoke Alice's grant, by id or by name; Alice and a wizard
        can.
        """
        w = self.w
        g = self.grant(w.alice, w.box, "lamp", w.lamp, "view")
        h = self.grant(w.alice, w.box, "bell", w.bell, "view")
        with task(self.store, w.bob.id) as turn:
            self.assertRaises(WorldError, grants.revoke, turn.root, w.bob.id, g.id)
            self.assertRaises(WorldError, grants.revoke_named, turn.root, w.bob.id, w.box, "lamp")
            self.assertRaises(WorldError, grants.revoke, turn.root, w.bob.id, "1")
        self.assertFalse(g.revoked)
        with task(self.store, w.alice.id) as turn:
            grants.revoke_named(turn.root, w.alice.id, w.box, "LAMP")
            grants.revoke(turn.root, w.bob.id, h.id, wizard=True)
            self.assertRaises(WorldError, grants.revoke, turn.root, w.alice.id, g.id)
            self.assertEqual(grants.grants_of(turn.root, w.alice.id), [])
        self.assertTrue(g.revoked and h.revoked)

    def test_revoke_involving_an_object(self) -> None:
        """
        Everything granted of or to an object can be revoked at once (when it
        is destroyed or given away), and the name becomes free again.
        """
        w = self.w
        a = self.grant(w.alice, w.box, "lamp", w.lamp, "view")
        b = self.grant(w.alice, w.lamp, "box", w.box, "view")
        c = self.grant(w.alice, w.study, "bell", w.bell, "view")
        with task(self.store, w.alice.id) as turn:
            self.assertEqual(grants.revoke_involving(turn.root, w.lamp), [a, b])
        self.assertEqual((a.revoked, b.revoked, c.revoked), (True, True, False))
        self.grant(w.alice, w.box, "lamp", w.lamp, "view")
