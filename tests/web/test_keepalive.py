"""
Tests for the web client's keepalive (L{engine.web.connection}): an idle
websocket is pinged, and a peer that does not answer in time is dropped;
all on a L{task.Clock}.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase
from wsproto.events import Ping

from engine.testing import TestWorld
from engine.web.connection import WebLimits

#: The keepalive settings of these tests: a ping after 20 s of silence,
#: 10 s to answer it.
LIMITS = WebLimits(keepalive=20.0, keepalive_timeout=10.0)


class KeepaliveTests(TestCase):
    def setUp(self) -> None:
        self.world = TestWorld(web=LIMITS)
        self.addCleanup(self.world.close)

    def test_idle_connection_is_pinged(self) -> None:
        """After keepalive seconds without a byte from the browser, the server pings it."""
        browser = self.world.login_web("Alice")
        self.world.clock.advance(19)
        browser.received()
        self.assertEqual(browser.pings, 0)
        self.world.clock.advance(1)
        browser.received()
        self.assertEqual(browser.pings, 1)

    def test_answered_ping_keeps_the_connection(self) -> None:
        """A browser that answers every ping stays connected however long it is idle."""
        browser = self.world.login_web("Alice")
        for _ in range(20):
            self.world.clock.advance(10)
            browser.received()  # answers the pings it was sent
        self.assertGreaterEqual(browser.pings, 5)
        self.assertTrue(browser.connected)
        self.assertIsNotNone(browser.session)

    def test_unanswered_ping_drops(self) -> None:
        """A peer that does not answer a ping within the timeout is dropped, and why is logged."""
        browser = self.world.login_web("Alice")
        browser.answers_pings = False
        self.world.clock.advance(20)
        browser.received()
        self.assertTrue(browser.connected)
        logged: list[dict] = []
        from twisted.logger import globalLogPublisher  # the log is watched only here

        globalLogPublisher.addObserver(logged.append)
        self.addCleanup(globalLogPublisher.removeObserver, logged.append)
        self.world.clock.advance(10)
        self.assertFalse(browser.connected)
        self.assertEqual(self.world.server.playing(), [])
        reasons = [event.get("reason", "") for event in logged]
        self.assertIn("it did not answer a ping within 10 seconds", reasons)

    def test_talking_counts_as_alive(self) -> None:
        """A browser that sends anything within the timeout is not dropped, ping answered or not."""
        browser = self.world.login_web("Alice")
        browser.answers_pings = False
        for _ in range(10):
            self.world.clock.advance(9)
            browser.send("look")
            browser.received()
        self.assertTrue(browser.connected)

    def test_held_back_input_counts_as_alive(self) -> None:
        """A browser whose input the door holds back (over budget) is not dropped for silence."""
        browser = self.world.login_web("Alice")
        browser.answers_pings = False
        browser.send_raw(browser.ws.send(Ping(b"x")) * 3000)
        self.assertFalse(browser.protocol._reading)
        self.world.clock.advance(20)
        self.world.clock.advance(10)
        self.assertTrue(browser.connected)

    def test_login_screen_is_kept_alive_too(self) -> None:
        """A websocket still at the login screen is pinged and dropped alike."""
        browser = self.world.browse()
        browser.answers_pings = False
        self.world.clock.advance(20)
        browser.received()
        self.assertEqual(browser.pings, 1)
        self.world.clock.advance(10)
        self.assertFalse(browser.connected)

    def test_options(self) -> None:
        """--web-keepalive and --web-keepalive-timeout set them; zero turns pings off."""
        from engine.tap import Options, web_limits  # the command line only here

        options = Options()
        options.parseOptions(["--web-keepalive", "45", "--web-keepalive-timeout", "15"])
        limits = web_limits(options)
        self.assertEqual((limits.keepalive, limits.keepalive_timeout), (45.0, 15.0))
        world = TestWorld(web=WebLimits(keepalive=0))
        self.addCleanup(world.close)
        browser = world.login_web("Alice")
        browser.answers_pings = False
        world.clock.advance(3600)
        browser.received()
        self.assertEqual(browser.pings, 0)
        self.assertTrue(browser.connected)
