"""
Script state as a mapping: C{state["k"] = v}, C{state["k"]}, C{del
state["k"]}, C{"k" in state}, C{len(state)} and iterating its keys, through
the same checker, charging, caps and copies as C{set}, C{get} and C{delete}.
"""

from __future__ import annotations

from zope.security.interfaces import ForbiddenAttribute

from scripting.facets import inputs, state
from scripting.facets.adapters import facet
from scripting.facets.errors import FacetError, QuotaExceeded, Revoked
from scripting.facets.interfaces import IScriptState
from scripting.facets.membrane import RevocationCell
from tests.facets.helpers import task
from tests.facets.test_state import X10, K, R, StateCase
from world.values import MAX_DEPTH, charged_size


class StateItemTests(StateCase):
    def test_item_assignment_is_set(self) -> None:
        """
        C{state["k"] = v} stores what C{state.set("k", v)} stores, charged
        the same bytes; C{state["k"]} reads it back.
        """
        with task(self.store, self.w.alice.id):
            st = state.state_facet(self.w.lamp)
            st["a"] = {"b": 1, "a": [1, 2]}
            self.assertEqual(st.get("a"), {"b": 1, "a": [1, 2]})
            self.assertEqual(st["a"], {"b": 1, "a": [1, 2]})
            self.assertEqual(st.used(), 1 + 44 + K)
        self.assertEqual(self.usage(self.w.alice).stored_bytes, 1 + 44 + K + R)
        with task(self.store, self.w.bob.id):
            bell = state.state_facet(self.w.bell)
            bell.set("a", {"b": 1, "a": [1, 2]})
        self.assertEqual(self.usage(self.w.bob).stored_bytes,
                         self.usage(self.w.alice).stored_bytes)

    def test_item_reads_are_copies(self) -> None:
        """
        What C{state["k"]} gives is a fresh copy, as C{get}'s is: changing
        it changes nothing stored until it is assigned back.
        """
        with task(self.store, self.w.alice.id):
            st = state.state_facet(self.w.lamp)
            st["notes"] = ["one"]
            notes = st["notes"]
            notes.append("two")
            self.assertEqual(st["notes"], ["one"])
            self.assertIsNot(st["notes"], st["notes"])
            st["notes"] = notes
            self.assertEqual(st["notes"], ["one", "two"])

    def test_missing_key_is_a_key_error(self) -> None:
        """
        Reading or deleting a key that is not stored raises KeyError naming
        the key and saying what to use instead; C{get} still gives its
        default and C{delete} still does nothing.
        """
        with task(self.store, self.w.alice.id):
            st = state.state_facet(self.w.lamp)
            with self.assertRaises(KeyError) as caught:
                st["rings"]
            self.assertIn('"rings"', str(caught.exception))
            self.assertIn('state.get("rings", 0)', str(caught.exception))
            with self.assertRaises(KeyError) as caught:
                del st["rings"]
            self.assertIn('"rings"', str(caught.exception))
            self.assertEqual(st.get("rings", 0), 0)
            st.delete("rings")

    def test_delete_item_refunds(self) -> None:
        """
        C{del state["k"]} forgets the key and refunds exactly what it was
        charged, the state's records with its last key.
        """
        with task(self.store, self.w.alice.id):
            st = state.state_facet(self.w.lamp)
            st["a"] = "x" * 10
            st["b"] = 1
            del st["a"]
            self.assertEqual(self.usage(self.w.alice).stored_bytes,
                             1 + charged_size(1) + K + R)
            del st["b"]
            self.assertEqual(self.usage(self.w.alice).stored_bytes, 0)
            self.assertIsNone(state.host_state(self.store.root, self.w.lamp))

    def test_contains_len_and_iteration(self) -> None:
        """
        C{"k" in state}, C{len(state)}, the truth of C{state} and iterating
        it answer from the stored keys (sorted, as C{keys()}); iterating
        walks a snapshot, so deleting while iterating is safe.
        """
        with task(self.store, self.w.alice.id):
            st = state.state_facet(self.w.lamp)
            self.assertEqual((len(st), list(st), "a" in st, bool(st)), (0, [], False, False))
            st["b"] = 2
            st["a"] = 1
            self.assertEqual((len(st), list(st), "a" in st, "c" in st, bool(st)),
                             (2, ["a", "b"], True, False, True))
            for key in st:
                del st[key]
            self.assertEqual(st.keys(), ())

    def test_keys_follow_the_same_rules(self) -> None:
        """
        A key that is not text of 1 to MAX_KEY characters is refused by
        every item operation as it is by C{set}, and nothing is stored.
        """
        with task(self.store, self.w.alice.id):
            st = state.state_facet(self.w.lamp)
            for bad in (1, "", "x" * (inputs.MAX_KEY + 1), ("a",), "a\x00"):
                with self.assertRaises(FacetError):
                    st[bad] = 1
                self.assertRaises(FacetError, lambda k=bad: st[k])
                self.assertRaises(FacetError, lambda k=bad: k in st)
                with self.assertRaises(FacetError):
                    del st[bad]
            self.assertEqual(st.keys(), ())
        self.assertEqual(self.usage(self.w.alice).stored_bytes, 0)

    def test_values_follow_the_same_rules(self) -> None:
        """
        A value that C{set} refuses (not plain, too big, a state facet) is
        refused by item assignment with the same error, storing nothing.
        """
        with task(self.store, self.w.alice.id):
            st = state.state_facet(self.w.lamp)
            deep: list = [1]
            for _ in range(MAX_DEPTH + 1):
                deep = [deep]
            for value in (object(), {1}, float("nan"), st, 10 ** 100, deep):
                with self.assertRaises(FacetError) as by_item:
                    st["bad"] = value
                with self.assertRaises(FacetError) as by_set:
                    st.set("bad", value)
                self.assertEqual(str(by_item.exception), str(by_set.exception))
            self.assertEqual(st.keys(), ())
        self.assertEqual(self.usage(self.w.alice).stored_bytes, 0)

    def test_item_assignment_over_quota_stores_nothing(self) -> None:
        """
        C{state["k"] = v} past the owner's quota raises QuotaExceeded, the
        same message as C{set}, and changes nothing: not the old value, not
        the accounting.
        """
        self.set_quota(30 + R + K)
        with task(self.store, self.w.alice.id):
            st = state.state_facet(self.w.lamp)
            st["a"] = "x" * 10
            with self.assertRaises(QuotaExceeded) as by_item:
                st["a"] = "x" * 40
            self.assertIn(f"only {29 - X10} of {30 + R + K} are left", str(by_item.exception))
            with self.assertRaises(QuotaExceeded) as by_set:
                st.set("a", "x" * 40)
            self.assertEqual(str(by_item.exception), str(by_set.exception))
            self.assertEqual(st["a"], "x" * 10)
            box = state.state_facet(self.w.box)
            with self.assertRaises(QuotaExceeded):
                box["b"] = "y" * 20
            self.assertEqual((len(box), "b" in box), (0, False))
        self.assertEqual(self.usage(self.w.alice).stored_bytes, 1 + X10 + K + R)

    def test_item_assignment_over_the_value_cap(self) -> None:
        """
        A value certainly far bigger than the whole quota is refused by
        item assignment before it is measured, as by C{set}.
        """
        self.set_quota(1000)
        big = ["x" * inputs.MAX_STRING] * 3
        with task(self.store, self.w.alice.id):
            st = state.state_facet(self.w.lamp)
            with self.assertRaises(FacetError) as by_item:
                st["big"] = big
            with self.assertRaises(FacetError) as by_set:
                st.set("big", big)
            self.assertEqual(str(by_item.exception), str(by_set.exception))
            self.assertEqual(len(st), 0)
        self.assertEqual(self.usage(self.w.alice).stored_bytes, 0)

    def test_item_access_is_charged_as_get_and_set(self) -> None:
        """
        Item reads and writes charge the task the ticks C{get} and C{set}
        charge.
        """
        charged: list[int] = []
        self.patch(state, "charge", charged.append)
        with task(self.store, self.w.alice.id):
            st = state.state_facet(self.w.lamp)
            st.set("a", "x" * 300)
            st["b"] = "x" * 300
            st.get("a")
            st["b"]
        self.assertEqual(len(charged), 4)
        self.assertEqual(charged[0], charged[1])
        self.assertEqual(charged[2], charged[3])
        self.assertGreater(charged[2], 0)

    def test_listing_keys_is_charged_by_their_number(self) -> None:
        """
        keys(), len() and iterating charge the task for the keys they list,
        as copying that many items does; an empty state's truth charges
        nothing.
        """
        charged: list[int] = []
        with task(self.store, self.w.alice.id):
            st = state.state_facet(self.w.lamp)
            for n in range(80):
                st[f"k{n}"] = n
            self.patch(state, "charge", charged.append)
            st.keys()
            len(st)
            iter(st)
            bool(st)
        self.assertEqual(charged, [10, 10, 10])

    def test_item_access_goes_through_the_checker(self) -> None:
        """
        The item operations are names of IScriptState, which the checker
        allows; nothing else becomes reachable: not the target, not its
        host, not another host's state.
        """
        names = IScriptState.names(all=True)
        for name in ("__getitem__", "__setitem__", "__delitem__", "__contains__", "__len__",
                     "__iter__", "__bool__"):
            self.assertIn(name, names)
        with task(self.store, self.w.alice.id):
            st = state.state_facet(self.w.lamp)
            for name in ("_target", "_host", "values", "host", "__class__", "__dict__",
                         "items", "__getattribute__", "__reduce_ex__"):
                self.assertRaises(ForbiddenAttribute, getattr, st, name)
            with self.assertRaises(ForbiddenAttribute):
                st.n = 1
        with task(self.store, self.w.bob.id):
            state.state_facet(self.w.bell)["secret"] = "bob's"
        with task(self.store, self.w.alice.id):
            st = state.state_facet(self.w.lamp)
            self.assertNotIn("secret", st)
            self.assertEqual(list(st), [])

    def test_iterating_gives_only_text(self) -> None:
        """
        Iterating the state facet gives its keys as plain str, and the
        iterator itself offers nothing but iteration.
        """
        with task(self.store, self.w.alice.id):
            st = state.state_facet(self.w.lamp)
            st["a"] = 1
            it = iter(st)
            self.assertEqual(type(next(it)), str)
            self.assertRaises(StopIteration, next, it)
            for name in ("gi_frame", "__reduce__", "__setstate__", "__class__", "__length_hint__"):
                self.assertRaises(ForbiddenAttribute, getattr, iter(st), name)

    def test_revoked_state_facet_refuses_items(self) -> None:
        """
        A state facet whose cell is revoked refuses every item operation.
        """
        with task(self.store, self.w.alice.id):
            cell = RevocationCell()
            st = state.state_facet(self.w.lamp, (cell,))
            st["a"] = 1
            it = iter(st)
            cell.revoke("gone")
            with self.assertRaises(Revoked):
                st["a"] = 2
            self.assertRaises(Revoked, lambda: st["a"])
            self.assertRaises(Revoked, lambda: "a" in st)
            self.assertRaises(Revoked, len, st)
            self.assertRaises(Revoked, bool, st)
            self.assertRaises(Revoked, list, st)
            self.assertRaises(Revoked, next, it)
            with self.assertRaises(Revoked):
                del st["a"]
        with task(self.store, self.w.alice.id):
            self.assertEqual(state.state_facet(self.w.lamp)["a"], 1)

    def test_state_facet_cannot_be_handed_on(self) -> None:
        """
        The state facet cannot leave its script: it is refused as a value
        to store (by item assignment too) and as a facet of a place.
        """
        with task(self.store, self.w.alice.id):
            st = state.state_facet(self.w.lamp)
            with self.assertRaises(FacetError):
                st["me"] = st
            with self.assertRaises(FacetError):
                st["me"] = [{"x": st}]
            with self.assertRaises(FacetError):
                state.state_facet(self.w.box)["lamp's"] = st
            self.assertRaises(FacetError, facet(self.w.lamp, "control").move_to, st)
            self.assertRaises(FacetError, facet(self.w.lamp, "control").set_property, "s", st)
