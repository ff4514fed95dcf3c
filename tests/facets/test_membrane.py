"""
Revocation: a revoked facet is dead, and so is everything obtained through
it, whoever holds it, however it was obtained, across restarts.
"""

from __future__ import annotations

import os

from twisted.trial import unittest
from zope.security.interfaces import ForbiddenAttribute

from scripting.facets import grants, state
from scripting.facets.adapters import attenuate, facet, revocable
from scripting.facets.errors import Revoked
from tests.facets.helpers import build, task
from world.store import WorldStore


class CaretakerTests(unittest.TestCase):
    def setUp(self) -> None:
        self.store = WorldStore()
        self.addCleanup(self.store.close)
        self.w = build(self.store)

    def test_revocation_kills_facet_and_everything_obtained_through_it(self) -> None:
        """
        After revocation, the facet, a location obtained through it, an
        element of contents obtained through that, a bound method taken
        beforehand and an attenuated copy all raise Revoked.
        """
        with task(self.store, self.w.bob.id):
            box, cell = revocable(facet(self.w.box, "control", voice=self.w.box))
            hall = box.location
            lamp = hall.contents[2]
            rename = box.rename
            narrow = attenuate(box, "view")
            made = box.create("thing", "pebble")
            self.assertEqual((hall.name, lamp.name, narrow.name), ("Hall", "brass lamp", "box"))
            cell.revoke()
            for dead in (box, hall, lamp, narrow, made):
                self.assertRaises(Revoked, getattr, dead, "name")
            self.assertRaises(Revoked, rename, "junk")
            self.assertRaises(Revoked, attenuate, box, "view")
            self.assertRaises(Revoked, lambda: box == hall)
            self.assertRaises(Revoked, hash, lamp)
            self.assertEqual(facet(self.w.lamp).name, "brass lamp")  # others unaffected
        self.assertEqual(self.w.box.name, "box")

    def test_revoked_facet_shows_revoked_without_address(self) -> None:
        """
        A dead facet's text form says so and shows no address.
        """
        with task(self.store, self.w.bob.id):
            box, cell = revocable(facet(self.w.box))
            method = box.get_property
            cell.revoke()
            self.assertEqual(repr(box), "<revoked facet>")
            self.assertEqual(str(box), "(revoked)")
            self.assertNotIn("0x", repr(method))

    def test_revoked_facet_is_useless_as_an_argument(self) -> None:
        """
        A revoked facet cannot be used as a place to move to.
        """
        with task(self.store, self.w.alice.id):
            place, cell = revocable(facet(self.w.box))
            cell.revoke()
            self.assertRaises(Revoked, facet(self.w.lamp, "control").move_to, place)
        self.assertIs(self.w.lamp.location, self.w.hall)

    def test_revoked_error_names_no_object(self) -> None:
        """
        Revoked carries only its message.
        """
        with task(self.store, self.w.bob.id):
            box, cell = revocable(facet(self.w.box))
            cell.revoke()
            caught = self.assertRaises(Revoked, getattr, box, "name")
            self.assertEqual(caught.args, ("That capability has been revoked.",))

    def test_writes_stay_forbidden_after_revocation(self) -> None:
        """
        Revocation never turns a forbidden write into anything else; its
        message no longer lists what the facet offered.
        """
        with task(self.store, self.w.bob.id):
            box, cell = revocable(facet(self.w.box, "control"))
            rename = box.rename
            self.assertIn("it offers", str(self.assertRaises(
                ForbiddenAttribute, setattr, box, "name", "x")))
            cell.revoke()
            caught = self.assertRaises(ForbiddenAttribute, setattr, box, "name", "x")
            self.assertEqual(caught.args, ("x.name = value (or del x.name) is not available "
                                           "on this object",))
            caught = self.assertRaises(ForbiddenAttribute, setattr, rename, "x", 1)
            self.assertNotIn("offers", str(caught))


class GrantRevocationTests(unittest.TestCase):
    def setUp(self) -> None:
        self.store = WorldStore()
        self.addCleanup(self.store.close)
        self.w = build(self.store)

    def grant(self, name: str = "lamp", role: str = "control") -> grants.Grant:
        with task(self.store, self.w.alice.id) as turn:
            return grants.grant(turn.root, self.w.alice.id, self.w.box, name, self.w.lamp, role)

    def test_grant_revocation_kills_granted_and_derived_facets(self) -> None:
        """
        Revoking a grant kills the granted facet and what was obtained
        through it, in the same process.
        """
        g = self.grant()
        with task(self.store, self.w.alice.id) as turn:
            lamp = grants.granted_facets(turn.root, self.w.box)["lamp"]
            hall = lamp.location
            lamp.rename("lantern")
        with task(self.store, self.w.alice.id) as turn:
            grants.revoke(turn.root, self.w.alice.id, g.id)
        with task(self.store, self.w.alice.id) as turn:
            self.assertRaises(Revoked, getattr, lamp, "rename")
            self.assertRaises(Revoked, getattr, hall, "contents")
            self.assertEqual(grants.granted_facets(turn.root, self.w.box), {})
        self.assertEqual(self.w.lamp.name, "lantern")

    def test_rolled_back_revocation_is_undone(self) -> None:
        """
        A revocation in a turn that rolls back never happened.
        """
        g = self.grant()
        with self.assertRaises(RuntimeError), task(self.store, self.w.alice.id) as turn:
            grants.revoke(turn.root, self.w.alice.id, g.id)
            raise RuntimeError("the script failed after revoking")
        with task(self.store, self.w.alice.id) as turn:
            self.assertFalse(g.revoked)
            self.assertEqual(grants.granted_facets(turn.root, self.w.box)["lamp"].name,
                             "brass lamp")


class RestartTests(unittest.TestCase):
    """
    Revocation survives closing and reopening a real FileStorage.
    """

    def setUp(self) -> None:
        self.path = os.path.join(self.mktemp(), "world.fs")
        self.store = WorldStore(self.path)
        self.addCleanup(lambda: self.store.close())
        self.w = build(self.store)

    def reopen(self) -> None:
        self.store.close()
        self.store = WorldStore(self.path)

    def objects(self) -> dict:
        root = self.store.root
        return {o.name: o for o in root.all()}

    def test_revoked_grant_stays_dead_after_restart(self) -> None:
        """
        A granted facet and one obtained through it, stored in script state,
        are live after a restart until revoked, and dead after revocation and
        another restart; the grant is gone from the listing.
        """
        w = self.w
        with task(self.store, w.alice.id) as turn:
            g = grants.grant(turn.root, w.alice.id, w.box, "lamp", w.lamp, "control")
            kept = grants.grants_on(turn.root, w.box)
            lamp = grants.granted_facets(turn.root, w.box)["lamp"]
            state.set_value(turn.root, w.box, "caps", {"lamp": lamp, "hall": lamp.location})
            gid = g.id
        self.assertEqual([k.id for k in kept], [gid])

        self.reopen()
        objs = self.objects()
        alice, box = objs["Alice"], objs["box"]
        with task(self.store, alice.id) as turn:
            caps = state.get_value(turn.root, box, "caps")
            caps["lamp"].rename("lantern")
            self.assertEqual(caps["hall"].name, "Hall")
            grants.revoke(turn.root, alice.id, gid)

        self.reopen()
        objs = self.objects()
        alice, box = objs["Alice"], objs["box"]
        with task(self.store, alice.id) as turn:
            caps = state.get_value(turn.root, box, "caps")
            self.assertRaises(Revoked, getattr, caps["lamp"], "rename")
            self.assertRaises(Revoked, getattr, caps["hall"], "name")
            self.assertEqual(grants.granted_facets(turn.root, box), {})
            self.assertEqual(grants.grants_of(turn.root, alice.id), [])
        self.assertIn("lantern", objs)

    def test_unrevoked_grant_works_after_restart(self) -> None:
        """
        A grant nobody revoked still works after a restart, by name.
        """
        w = self.w
        with task(self.store, w.alice.id) as turn:
            grants.grant(turn.root, w.alice.id, w.box, "lamp", w.lamp, "view")
        self.reopen()
        objs = self.objects()
        with task(self.store, objs["Alice"].id) as turn:
            lamp = grants.granted_facets(turn.root, objs["box"])["lamp"]
            self.assertEqual(lamp.name, "brass lamp")
            self.assertRaises(ForbiddenAttribute, getattr, lamp, "rename")
