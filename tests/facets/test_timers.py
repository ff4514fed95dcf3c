"""
Timers at rest: persistent, capped per owner, scoped to their host, never
firing in bursts after downtime.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

from twisted.trial import unittest

from scripting.facets import accounting, timers
from scripting.facets.adapters import facet, revocable
from scripting.facets.checkers import is_facet
from scripting.facets.context import acting
from scripting.facets.errors import FacetError, QuotaExceeded, Revoked
from tests.facets.helpers import build
from world.store import WorldStore


@contextlib.contextmanager
def at(store: WorldStore, owner: int | None, now: float | None) -> Iterator[Any]:
    """
    A task at time C{now}.
    """
    with store.turn() as turn, acting(store, owner, now):
        yield turn


class TimerTests(unittest.TestCase):
    def setUp(self) -> None:
        self.store = WorldStore()
        self.addCleanup(self.store.close)
        self.w = build(self.store)

    def test_one_shot_timer_fires_once(self) -> None:
        """
        A one-shot timer is due at now + delay, carries its data, and is gone
        (and refunded) once fired.
        """
        root = self.store.root
        with at(self.store, self.w.alice.id, 100.0):
            tid = timers.timers_facet(self.w.lamp).after(10, "ring", {"times": 2})
            self.assertEqual(timers.timers_facet(self.w.lamp).pending(),
                             ((tid, "ring", 10.0, None),))
        self.assertEqual(timers.next_due(root), 110.0)
        self.assertEqual(timers.due(root, 109.9), [])
        with at(self.store, self.w.alice.id, 110.0):
            (timer,) = timers.due(root, 110.0)
            self.assertEqual((timer.handler, timers.data_of(timer)), ("ring", {"times": 2}))
            self.assertEqual(accounting.usage(root, self.w.alice.id).timers, 1)
            timers.fired(root, timer, 110.0)
        self.assertIsNone(timers.next_due(root))
        self.assertEqual(accounting.usage(root, self.w.alice.id).timers, 0)

    def test_repeating_timer_skips_missed_periods(self) -> None:
        """
        A repeating timer is due again one interval later; after downtime it
        resumes at its next period instead of firing every missed one.
        """
        root = self.store.root
        with at(self.store, self.w.alice.id, 100.0):
            timers.timers_facet(self.w.lamp).every(60, "tick")
        with at(self.store, None, 160.0):
            (timer,) = timers.due(root, 160.0)
            timers.fired(root, timer, 160.0)
            self.assertEqual(timers.next_due(root), 220.0)
            timers.fired(root, timer, 1000.0)
        self.assertEqual(timers.next_due(root), 1060.0)
        self.assertEqual(timers.due(root, 1000.0), [])

    def test_timer_quota(self) -> None:
        """
        Past the owner's timer quota, setting one raises and sets nothing;
        cancelling frees a place.
        """
        with at(self.store, None, 0.0):
            self.store.root.settings[accounting.SETTING_TIMERS] = 2
        with at(self.store, self.w.alice.id, 0.0):
            lamp, box = timers.timers_facet(self.w.lamp), timers.timers_facet(self.w.box)
            first = lamp.after(5, "a")
            box.after(5, "b")
            self.assertRaises(QuotaExceeded, lamp.after, 5, "c")
            self.assertEqual(len(lamp.pending()), 1)
            self.assertTrue(lamp.cancel(first))
            lamp.after(5, "c")
        self.assertEqual(accounting.usage(self.store.root, self.w.alice.id).timers, 2)

    def test_cancel_reaches_only_the_hosts_own_timers(self) -> None:
        """
        Bob's bell cannot cancel Alice's lamp's timer by guessing its number.
        """
        with at(self.store, self.w.alice.id, 0.0):
            tid = timers.timers_facet(self.w.lamp).after(5, "ring")
        with at(self.store, self.w.bob.id, 0.0):
            bell = timers.timers_facet(self.w.bell)
            for guess in (tid, tid - 1, tid + 1, str(tid), float(tid)):
                self.assertFalse(bell.cancel(guess))
        self.assertEqual([t.id for t in timers.timers_on(self.store.root, self.w.lamp)], [tid])

    def test_bad_timers_are_refused(self) -> None:
        """
        Too short, non-numeric, infinite or too long delays, bad handler names
        and non-plain or oversized data are refused, and nothing is set.
        """
        with at(self.store, self.w.alice.id, 0.0):
            lamp = timers.timers_facet(self.w.lamp)
            for seconds in (0.5, "10", True, float("nan"), float("inf"), 10 ** 9):
                self.assertRaises(FacetError, lamp.after, seconds, "ring")
            self.assertRaises(FacetError, lamp.every, 2, "ring")
            for handler in ("_ring", "Ring", "ring bell", "", 3):
                self.assertRaises(FacetError, lamp.after, 5, handler)
            self.assertRaises(FacetError, lamp.after, 5, "ring", object())
            self.assertRaises(FacetError, lamp.after, 5, "ring", "x" * 5000)
            self.assertEqual(lamp.pending(), ())

    def test_timers_need_the_time(self) -> None:
        """
        A task without a clock cannot set timers.
        """
        with at(self.store, self.w.alice.id, None):
            self.assertRaises(FacetError, timers.timers_facet(self.w.lamp).after, 5, "ring")

    def test_timers_facet_is_not_a_world_facet(self) -> None:
        """
        The timers facet cannot be stored or passed as a world object.
        """
        with at(self.store, self.w.alice.id, 0.0):
            tf = timers.timers_facet(self.w.lamp)
            self.assertFalse(is_facet(tf))
            self.assertRaises(FacetError, tf.after, 5, "ring", [tf])
            self.assertEqual(repr(tf), "<timers of 'brass lamp'>")

    def test_facets_in_timer_data_stay_revocable(self) -> None:
        """
        A facet in a timer's data comes back live, or dead if revoked since.
        """
        root = self.store.root
        with at(self.store, self.w.alice.id, 0.0):
            box, cell = revocable(facet(self.w.box))
            timers.timers_facet(self.w.lamp).after(5, "ring", [box])
            (timer,) = timers.due(root, 5.0)
            self.assertEqual(timers.data_of(timer)[0].name, "box")
            cell.revoke()
            self.assertRaises(Revoked, getattr, timers.data_of(timer)[0], "name")

    def test_handler_checked_on_the_tasks_own_host_only(self) -> None:
        """
        The task's handler check is asked about a timer on its own host
        (and what it raises refuses the timer); a timer set through another
        host's timers facet is not checked, so the task learns nothing of
        that host's script.
        """
        asked: list[str] = []

        def check(name: str) -> None:
            asked.append(name)
            if name == "bad":
                raise FacetError("no function bad")

        with self.store.turn(), acting(self.store, self.w.alice.id, 0.0,
                                       host=self.w.lamp.id, check_handler=check):
            timers.timers_facet(self.w.lamp).after(5, "ring")
            self.assertRaises(FacetError, timers.timers_facet(self.w.lamp).every, 5, "bad")
            timers.timers_facet(self.w.box).after(5, "bad")
            timers.timers_facet(self.w.box).every(5, "other")
            handlers = sorted(t.handler for t in timers.due(self.store.root, 5.0))
        self.assertEqual(asked, ["ring", "bad"])
        self.assertEqual(handlers, ["bad", "other", "ring"])

    def test_destroying_the_host_cancels_its_timers(self) -> None:
        """
        When a host is destroyed its timers go, and its owner is refunded.
        """
        with at(self.store, self.w.alice.id, 0.0):
            coin = facet(self.w.box, "control").create("thing", "coin")
            made = self.w.box.contents[0]
            timers.timers_facet(made).every(10, "spin")
            coin.destroy()
        self.assertIsNone(timers.next_due(self.store.root))
        self.assertEqual(accounting.usage(self.store.root, self.w.alice.id).timers, 0)


class TimerRestartTests(unittest.TestCase):
    def test_timers_survive_restart(self) -> None:
        """
        A timer set before a restart is still due, with its data, after.
        """
        path = os.path.join(self.mktemp(), "world.fs")
        store = WorldStore(path)
        w = build(store)
        with at(store, w.alice.id, 50.0):
            timers.timers_facet(w.lamp).every(30, "tick", {"box": facet(w.box, "control")})
        store.close()
        store = WorldStore(path)
        self.addCleanup(store.close)
        self.assertEqual(timers.next_due(store.root), 80.0)
        with at(store, None, 80.0):
            (timer,) = timers.due(store.root, 80.0)
            timers.data_of(timer)["box"].rename("crate")
            timers.fired(store.root, timer, 80.0)
        self.assertEqual(timers.next_due(store.root), 110.0)
        self.assertIn("crate", [o.name for o in store.root.all()])
