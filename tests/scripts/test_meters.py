"""
Tests for L{engine.scripts.meters}: each owner's recent spending.
"""

from __future__ import annotations

from twisted.internet.task import Clock
from twisted.trial.unittest import TestCase

from engine.scripts import meters
from engine.scripts.meters import Meters


class MetersTests(TestCase):
    def setUp(self) -> None:
        self.clock = Clock()
        self.readings = [0.0]
        self.meters = Meters(self.clock, lambda: self.readings[0])

    def test_ticks_over_the_share_rest_until_the_window_passes(self) -> None:
        """
        More than CPU_TICKS in a window makes the owner rest; the others do
        not; once the window has passed the owner runs again.
        """
        self.meters.ticks(1, meters.CPU_TICKS)
        self.assertFalse(self.meters.resting(1))
        self.meters.ticks(1, 1)
        self.assertTrue(self.meters.resting(1))
        self.assertFalse(self.meters.resting(2))
        self.clock.advance(meters.CPU_WINDOW)
        self.assertFalse(self.meters.resting(1))
        self.assertEqual(self.meters.recent_ticks(1), meters.CPU_TICKS + 1)

    def test_timing_charges_the_server_time_even_on_error(self) -> None:
        """
        A timed block that raises is charged what it took.
        """
        with self.assertRaises(RuntimeError), self.meters.timing(7):
            self.readings[0] += meters.CPU_SECONDS + 0.5
            raise RuntimeError("the block failed")
        self.assertTrue(self.meters.resting(7))

    def test_output_rate(self) -> None:
        """
        An owner may send OUTPUT_BURST messages at once, then OUTPUT_RATE a
        second.
        """
        sent = sum(self.meters.send(3) for _ in range(meters.OUTPUT_BURST + 10))
        self.assertEqual(sent, meters.OUTPUT_BURST)
        self.clock.advance(1)
        sent = sum(self.meters.send(3) for _ in range(100))
        self.assertEqual(sent, int(meters.OUTPUT_RATE))

    def test_notice_at_most_once_per_period(self) -> None:
        """
        A notice is due once, then not again until its period has passed.
        """
        self.assertTrue(self.meters.notice_due("x", 60))
        self.assertFalse(self.meters.notice_due("x", 60))
        self.clock.advance(60)
        self.assertTrue(self.meters.notice_due("x", 60))

    def test_window_totals_as_charges_expire(self) -> None:
        """
        The window's ticks, seconds and bytes, and the ticks @quota shows,
        are exactly what was charged within their spans, as charges age out
        one by one; what has aged out of every span is no longer kept.
        """
        clock = Clock()
        m = Meters(clock)
        for _ in range(3):
            m.ticks(1, 100)
            m.seconds(1, 0.1)
            m.written(1, 10)
            clock.advance(20)
        # Charged at 0, 20 and 40; now 60: the one at 0 is past CPU_WINDOW.
        self.assertEqual(m.window(1), (200, 0.2, 20))
        self.assertEqual(m.recent_ticks(1), 300)
        m.seconds(1, 0.2)
        self.assertEqual(m.window(1)[1], 0.4)
        clock.advance(meters.CPU_WINDOW)
        self.assertEqual(m.window(1), (0, 0.0, 0))
        self.assertEqual(m.recent_ticks(1), 300)
        clock.advance(meters.RECENT_WINDOW)
        self.assertEqual(m.recent_ticks(1), 0)
        m.ticks(1, 5)
        self.assertEqual((m.window(1)[0], m.recent_ticks(1)), (5, 5))
        self.assertEqual(len(m._ticks[1].entries), 1)
        self.assertEqual(m.window(2), (0, 0.0, 0))
