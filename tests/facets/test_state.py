"""
Script state: plain values and facets on a host, measured deterministically,
within the owner's quota, all or nothing.
"""

from __future__ import annotations

import os

from twisted.trial import unittest
from zope.security.interfaces import ForbiddenAttribute
from zope.security.proxy import getChecker

from scripting.facets import accounting, capref, state
from scripting.facets.adapters import facet, revocable
from scripting.facets.checkers import SAFE_SPECIALS, is_facet
from scripting.facets.errors import FacetError, QuotaExceeded, Revoked
from scripting.facets.holds import Hold
from scripting.facets.interfaces import IScriptState, role_names
from tests.facets.helpers import build, task
from world.registries import GrantRegistry, TimerRegistry
from world.store import WorldStore
from world.values import charged_size

#: What a state's own records are charged, with its first value.
R = state.RECORD_BYTES
#: What a one-character key writes beyond its text and value's, charged with it.
K = state.KEY_BYTES + 2
#: What "x" * 10 is charged: the most its pickle writes, more than its JSON.
X10 = charged_size("x" * 10)


class StateCase(unittest.TestCase):
    """
    A small world (L{build}) whose state facets are tried; the owners'
    usage read and the stored-bytes quota set for everyone.
    """

    def setUp(self) -> None:
        self.store = WorldStore()
        self.addCleanup(self.store.close)
        self.w = build(self.store)

    def usage(self, who: object) -> accounting.Usage:
        return accounting.usage(self.store.root, who.id)

    def set_quota(self, n: int) -> None:
        with task(self.store, None):
            self.store.root.settings[accounting.SETTING_STORED_BYTES] = n


class StateTests(StateCase):

    def test_plain_values_round_trip_as_copies(self) -> None:
        """
        Plain values come back equal, as fresh copies.
        """
        value = {"n": 1, "f": 2.5, "s": "héllo", "l": [None, True, [1]], "t": (1, "x")}
        with task(self.store, self.w.alice.id):
            st = state.state_facet(self.w.lamp)
            st.set("v", value)
            got = st.get("v")
            self.assertEqual(got, value)
            got["l"].append(2)
            self.assertEqual(st.get("v"), value)
            self.assertEqual(st.keys(), ("v",))
            self.assertIsNone(st.get("missing"))

    def test_size_is_json_or_pickle(self) -> None:
        """
        A value's size is its key's bytes plus the larger of its canonical
        JSON bytes (sorted keys, no spaces, UTF-8) and what its pickle
        writes at most (charged_size); each facet counts what its record
        writes (capref.stored_size); each key what it writes beyond those
        (KEY_BYTES and its bytes twice again).
        """
        with task(self.store, self.w.alice.id):
            st = state.state_facet(self.w.lamp)
            st.set("k", {"b": 1, "a": [1, 2]})  # a dict, two texts, a list, three ints: 44
            self.assertEqual(st.used(), 1 + 44 + K)
            self.assertEqual(charged_size({"b": 1, "a": [1, 2]}), 44)
            st.set("é", "é")  # "é": 2 bytes key, 2 + 10 bytes value
            self.assertEqual(st.used(), 45 + K + 2 + 12 + state.KEY_BYTES + 4)
            st.set("f", [facet(self.w.box)])
            size = capref.stored_size(capref.capture(facet(self.w.box)))
            keys = 2 * K + state.KEY_BYTES + 4
            self.assertEqual(st.used(), 59 + 1 + 8 + size + keys)  # a list: 8
        # and the state's own records, written with its first value
        self.assertEqual(self.usage(self.w.alice).stored_bytes, 59 + 9 + size + keys + R)

    def test_facets_are_stored_as_facets(self) -> None:
        """
        Stored facets come back as facets of the same object and role, not
        as strings; a revoked facet is stored as it is, and comes back dead.
        """
        with task(self.store, self.w.bob.id):
            st = state.state_facet(self.w.bell)
            st.set("seen", {"who": [facet(self.w.alice, "interact")]})
            who = st.get("seen")["who"][0]
            self.assertTrue(is_facet(who))
            self.assertEqual(getChecker(who).names, role_names("character", "interact"))
            self.assertEqual(who.name, "Alice")
            dead, cell = revocable(facet(self.w.lamp))
            cell.revoke()
            st.set("dead", [dead])
            self.assertRaises(Revoked, lambda: st.get("dead")[0].name)
        stored = state.host_state(self.store.root, self.w.bell).values["seen"]["who"][0]
        self.assertIsInstance(stored, state.CapRef)

    def test_only_plain_values_and_facets(self) -> None:
        """
        Objects, sets, NaN, str subclasses, bound methods and state facets are
        refused, and nothing is stored.
        """

        class Text(str):
            pass

        with task(self.store, self.w.alice.id):
            st = state.state_facet(self.w.lamp)
            lamp = facet(self.w.lamp, "control")
            for value in (object(), {1}, float("inf"), Text("x"), [Text("x")], {Text("k"): 1},
                          lamp.rename, st, 10 ** 100):
                self.assertRaises(FacetError, st.set, "bad", value)
            self.assertRaises(FacetError, st.set, Text("key"), 1)
            self.assertRaises(FacetError, st.set, "", 1)
            self.assertEqual(st.keys(), ())
        self.assertEqual(self.usage(self.w.alice).stored_bytes, 0)

    def test_quota_exceeded_stores_nothing(self) -> None:
        """
        A store past the owner's quota raises a clear error and changes
        nothing: not the value, not the accounting.
        """
        self.set_quota(30 + R + K)
        with task(self.store, self.w.alice.id):
            st = state.state_facet(self.w.lamp)
            st.set("a", "x" * 10)  # 1 + 12, what the key writes, and the state's records
            with self.assertRaises(QuotaExceeded) as caught:
                st.set("a", "x" * 40)
            self.assertIn(f"only {29 - X10} of {30 + R + K} are left", str(caught.exception))
            self.assertEqual(st.get("a"), "x" * 10)
            self.assertRaises(QuotaExceeded, state.state_facet(self.w.box).set, "b", "y" * 20)
            self.assertEqual(state.state_facet(self.w.box).keys(), ())
        self.assertEqual(self.usage(self.w.alice).stored_bytes, 1 + X10 + K + R)

    def test_quota_is_per_owner_across_hosts(self) -> None:
        """
        Alice's hosts share her quota; Bob's is his own.
        """
        self.set_quota(40 + R + K)
        with task(self.store, self.w.alice.id):
            state.state_facet(self.w.lamp).set("a", "x" * 20)  # 31, the key and the records
            self.assertRaises(QuotaExceeded, state.state_facet(self.w.box).set, "b", "x" * 10)
        with task(self.store, self.w.bob.id):
            state.state_facet(self.w.bell).set("b", "x" * 20)
        self.assertEqual((self.usage(self.w.alice).stored_bytes,
                          self.usage(self.w.bob).stored_bytes), (31 + K + R, 31 + K + R))

    def test_replace_delete_and_forget_refund(self) -> None:
        """
        Replacing charges the difference; deleting and forgetting a host
        refund, the last key deleted the state's records too.
        """
        with task(self.store, self.w.alice.id):
            st = state.state_facet(self.w.lamp)
            st.set("a", "x" * 10)
            st.set("a", "x" * 4)
            self.assertEqual(self.usage(self.w.alice).stored_bytes,
                             1 + charged_size("x" * 4) + K + R)
            st.set("b", 1)
            st.delete("a")
            st.delete("never")
            self.assertEqual(self.usage(self.w.alice).stored_bytes, 1 + charged_size(1) + K + R)
            st.delete("b")
            self.assertEqual(self.usage(self.w.alice).stored_bytes, 0)
            self.assertIsNone(state.host_state(self.store.root, self.w.lamp))
            st.set("c", 1)
            self.assertEqual(self.usage(self.w.alice).stored_bytes, 1 + charged_size(1) + K + R)
            state.forget_host(self.store.root, self.w.lamp)
            self.assertEqual(st.keys(), ())
        self.assertEqual(self.usage(self.w.alice).stored_bytes, 0)

    def test_transfer_respects_the_new_owners_quota(self) -> None:
        """
        Moving a host's state to a new owner charges them, or changes nothing
        if they have no room.
        """
        with task(self.store, self.w.alice.id):
            state.state_facet(self.w.lamp).set("a", "x" * 10)
        with task(self.store, None) as turn:
            accounting.set_quota(turn.root, self.w.bob.id, stored_bytes=5)
            self.assertRaises(QuotaExceeded, state.transfer_state, turn.root, self.w.lamp,
                              self.w.bob.id)
            self.assertEqual(self.usage(self.w.alice).stored_bytes, 1 + X10 + K + R)
            accounting.set_quota(turn.root, self.w.bob.id)
            state.transfer_state(turn.root, self.w.lamp, self.w.bob.id)
        self.assertEqual((self.usage(self.w.alice).stored_bytes,
                          self.usage(self.w.bob).stored_bytes), (0, 1 + X10 + K + R))

    def test_state_facet_exposes_only_its_interface(self) -> None:
        """
        The state facet exposes exactly IScriptState, names no other host,
        and is not a world facet (it cannot be stored or used as a place).
        """
        with task(self.store, self.w.alice.id):
            st = state.state_facet(self.w.lamp)
            allowed = frozenset(IScriptState.names(all=True)) | SAFE_SPECIALS
            for name in ("get", "set", "host", "_target", "__class__", "owner", "values"):
                try:
                    getattr(st, name)
                except ForbiddenAttribute:
                    self.assertNotIn(name, allowed)
                else:
                    self.assertIn(name, allowed)
            self.assertFalse(is_facet(st))
            self.assertRaises(FacetError, facet(self.w.lamp, "control").move_to, st)
            self.assertEqual(repr(st), "<state of 'brass lamp'>")

    def test_accounting_reports_and_ranks(self) -> None:
        """
        usage() shows bytes and objects against quotas; top_consumers ranks
        owners by bytes.
        """
        with task(self.store, self.w.bob.id):
            state.state_facet(self.w.bell).set("a", "x" * 50)
            facet(self.w.bell, "control").create("thing", "clapper")
        with task(self.store, self.w.alice.id):
            state.state_facet(self.w.lamp).set("a", "x" * 5)
        top = accounting.top_consumers(self.store.root)
        self.assertEqual([u.owner for u in top], [self.w.bob.id, self.w.alice.id])
        bell = 1 + charged_size("x" * 50) + K + R
        self.assertEqual((top[0].stored_bytes, top[0].objects), (bell + len("clapper"), 1))
        self.assertEqual(top[0].stored_bytes_quota, accounting.DEFAULT_STORED_BYTES)

    def test_recount_objects(self) -> None:
        """
        Recounting sets each owner's object count from the world (characters
        not counted).
        """
        with task(self.store, None) as turn:
            accounting.charge_object(turn.root, self.w.bob.id)
            accounting.charge_object(turn.root, self.w.bob.id)
            accounting.recount_objects(turn.root)
        self.assertEqual((self.usage(self.w.alice).objects, self.usage(self.w.bob).objects),
                         (4, 1))


class StateRestartTests(unittest.TestCase):
    def test_state_and_accounting_survive_restart(self) -> None:
        """
        Stored values, facets and the accounting are there after reopening a
        FileStorage.
        """
        path = os.path.join(self.mktemp(), "world.fs")
        store = WorldStore(path)
        w = build(store)
        with task(store, w.alice.id):
            state.state_facet(w.lamp).set("k", {"box": facet(w.box, "control"), "n": [1]})
        store.close()
        store = WorldStore(path)
        self.addCleanup(store.close)
        objs = {o.name: o for o in store.root.all()}
        with task(store, objs["Alice"].id):
            got = state.state_facet(objs["brass lamp"]).get("k")
            got["box"].rename("crate")
            self.assertEqual(got["n"], [1])
        self.assertEqual(objs["box"].name, "crate")
        size = capref.stored_size(capref.capture(facet(objs["box"], "control")))
        renamed = len("crate") - len("box")  # the name grew: text is stored bytes too
        self.assertEqual(accounting.usage(store.root, objs["Alice"].id).stored_bytes,
                         1 + 8 + 13 + size + 11 + 10 + renamed + K + R)  # the pickle's bound


class OldStoredRegistryTests(unittest.TestCase):
    def test_registries_stored_under_their_old_module(self) -> None:
        """
        Grant and timer registries that older worlds stored under
        scripting.facets (before the root declared them) still load.
        """
        path = os.path.join(self.mktemp(), "world.fs")
        store = WorldStore(path)
        build(store)
        for cls, where in ((GrantRegistry, "scripting.facets.grants"),
                           (TimerRegistry, "scripting.facets.timers")):
            self.patch(cls, "__module__", where)  # pickled as an older world did
        with store.turn() as turn:
            turn.root.grants = GrantRegistry()
            turn.root.grants.next_id = 7
            turn.root.timers = TimerRegistry()
        store.close()
        with open(path, "rb") as f:
            self.assertIn(b"scripting.facets.grants", f.read())
        store = WorldStore(path)
        self.addCleanup(store.close)
        self.assertIsInstance(store.root.grants, GrantRegistry)
        self.assertEqual(store.root.grants.next_id, 7)
        self.assertIsInstance(store.root.timers, TimerRegistry)


class CapRefSizeTests(unittest.TestCase):
    """
    A stored facet is charged at least what storing it writes to the
    database (nobody stores for free), and not more than a few bytes over.
    """

    def test_charge_is_what_is_written(self) -> None:
        store = WorldStore(os.path.join(self.mktemp(), "world.fs"))
        self.addCleanup(store.close)
        w = build(store)
        kinds = {
            "control": lambda: facet(w.box, "control"),
            "interact": lambda: facet(w.bob, "interact"),
            "view": lambda: facet(w.box),
            "caretaker": lambda: revocable(facet(w.box))[0],
            "voiced": lambda: facet(w.alice, "interact", voice=w.lamp),
            "held": lambda: facet(w.bob, "interact", voice=w.lamp, cells=(Hold(w.lamp, None),)),
        }
        for name, make_facet in kinds.items():
            grew = []
            for count in (40, 80, 120):
                before = store.db.getSize()
                with task(store, w.alice.id):
                    kept = make_facet()
                    state.state_facet(w.lamp).set("k", [kept] * count)
                grew.append(store.db.getSize() - before)
            # (the first store also grows the state's own trees)
            written = (grew[2] - grew[1]) / 40
            charged = capref.stored_size(capref.capture(kept))
            self.assertGreaterEqual(charged, written, name)
            self.assertLessEqual(charged, written + 16, name)
