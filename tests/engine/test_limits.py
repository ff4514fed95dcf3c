"""
Edge limits and bad input, through whole sessions: command rate, long lines,
garbage, half-finished telnet, clients that never read.
"""

from __future__ import annotations

from twisted.conch import telnet
from twisted.internet.task import Clock
from twisted.trial.unittest import TestCase

from engine.limits import Limits, RateWindow, TokenBucket
from engine.network import limits_from
from engine.tap import Options
from engine.testing import TestWorld, strip_telnet


class TokenBucketTests(TestCase):
    def test_burst_then_rate(self):
        """
        A full bucket allows the burst, then one token per 1/rate seconds.
        """
        clock = Clock()
        bucket = TokenBucket(clock, rate=2.0, capacity=3)
        self.assertEqual([bucket.take() for _ in range(4)], [True, True, True, False])
        clock.advance(0.5)
        self.assertTrue(bucket.take())
        self.assertFalse(bucket.take())
        clock.advance(100)
        self.assertEqual(sum(bucket.take() for _ in range(10)), 3)


class RateWindowTests(TestCase):
    def test_sliding_window(self):
        """
        Events older than the window stop counting; retry_after says when.
        """
        clock = Clock()
        window = RateWindow(clock, limit=2, window=10)
        window.record("a")
        clock.advance(4)
        window.record("a")
        self.assertFalse(window.allowed("a"))
        self.assertTrue(window.allowed("b"))
        self.assertEqual(window.retry_after("a"), 6)
        clock.advance(6)
        self.assertTrue(window.allowed("a"))
        window.prune()
        clock.advance(20)
        window.prune()
        self.assertEqual(window.events, {})


class OptionsTests(TestCase):
    def test_every_limit_is_an_option(self):
        """
        Each limit is a command-line option, parsed into Limits.
        """
        options = Options()
        options.parseOptions([
            "--max-line", "100", "--max-output", "2000", "--command-rate", "3",
            "--command-burst", "4", "--connections-per-minute", "5", "--failed-logins", "6",
            "--failed-login-window", "7", "--creations-per-hour", "8",
            "--login-timeout", "9", "--max-sessions", "10",
        ])
        self.assertEqual(limits_from(options), Limits(
            max_line=100, max_output=2000, command_rate=3.0, command_burst=4,
            connections_per_minute=5, failed_logins=6, failed_login_window=7.0,
            creations_per_hour=8, login_timeout=9.0, max_sessions=10))

    def test_defaults(self):
        """
        Without options the defaults apply.
        """
        options = Options()
        options.parseOptions([])
        self.assertEqual(limits_from(options), Limits())


class SessionLimitTests(TestCase):
    def world(self, **limits) -> TestWorld:
        world = TestWorld(limits=Limits(**limits))
        self.addCleanup(world.close)
        return world

    def test_command_rate(self):
        """
        Commands beyond the burst are refused with a message naming them;
        after a pause they work again.
        """
        world = self.world(command_rate=1.0, command_burst=3)
        alice = world.login("Alice")
        world.clock.advance(10)
        alice.output()
        alice.send_raw(b"say one\r\nsay two\r\nsay three\r\nsay four\r\n")
        text = alice.output()
        self.assertIn('You say, "three"', text)
        self.assertNotIn('You say, "four"', text)
        self.assertIn("too fast: 'say four' was ignored", text)
        world.clock.advance(1)
        self.assertIn('You say, "five"', alice.send("say five"))

    def test_long_line_in_session(self):
        """
        A line over the limit is refused with a message; the session goes on.
        """
        world = self.world(max_line=200)
        alice = world.login("Alice")
        text = alice.send("say " + "x" * 500)
        self.assertIn("too long", text)
        self.assertNotIn("You say", text)
        self.assertIn('You say, "ok"', alice.send("say ok"))

    def test_megabyte_line(self):
        """
        A 1 MB line is refused without being buffered, and the player plays on.
        """
        world = self.world()
        alice = world.login("Alice")
        for _ in range(16):
            alice.send_raw(b"A" * 65536)
            world.clock.advance(2)  # the input budget: 32 KiB a second
            self.assertLessEqual(len(alice.client._line), world.limits.max_line)
        alice.send_raw(b"\r\n")
        self.assertIn("too long", alice.output())
        self.assertIn('You say, "still here"', alice.send("say still here"))

    def test_garbage_bytes(self):
        """
        Random bytes neither crash the session nor stop it working.
        """
        import random

        world = self.world(command_burst=1000)
        alice = world.login("Alice")
        rnd = random.Random(7)
        for _ in range(100):
            alice.send_raw(bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 80))))
        # End any subnegotiation the garbage left open, then talk.
        alice.send_raw(telnet.IAC + telnet.SE + b"\r\n")
        alice.output()
        self.assertTrue(alice.connected)
        self.assertIn('You say, "fine"', alice.send("say fine"))

    def test_half_finished_iac(self):
        """
        A telnet command cut in half across packets is completed, not shown.
        """
        world = self.world()
        alice = world.login("Alice")
        alice.send_raw(b"say he" + telnet.IAC)
        alice.send_raw(telnet.WILL)
        alice.send_raw(telnet.NAWS + b"llo\r\n")
        self.assertIn('You say, "hello"', alice.output())

    def test_control_characters_removed(self):
        """
        Escape sequences typed by one player never reach another's screen.
        """
        world = self.world()
        alice, bob = world.login("Alice"), world.login("Bob")
        bob.output()
        alice.send("say \x1b[2Jgotcha\x07")
        heard = bob.output()
        self.assertIn("gotcha", heard)
        self.assertNotIn("\x1b[2J", heard)
        self.assertNotIn("\x07", heard)

    def test_client_that_never_reads(self):
        """
        A client that stops reading is dropped once its backlog passes the
        cap; the others carry on, and see it fall asleep.
        """
        world = self.world(max_output=4000)
        slow, alice = world.login("Slow"), world.login("Alice")
        alice.output()
        slow.stop_reading()
        for number in range(200):
            world.clock.advance(1)
            alice.send(f"say message number {number}")
            if not slow.connected:
                break
        self.assertFalse(slow.connected)
        self.assertIn("Slow falls asleep.", alice.transcript)
        self.assertIn('You say, "after"', alice.send("say after"))
        self.assertNotIn(slow.session, world.server.sessions)

    def test_http_request(self):
        """
        An HTTP request gets a plain-text answer and is closed.
        """
        world = self.world()
        client = world.connect()
        client.send_raw(b"GET / HTTP/1.1\r\nHost: example\r\n\r\n")
        self.assertIn(b"HTTP/1.0 400", client.raw())
        self.assertFalse(client.connected)
        self.assertEqual(world.server.sessions, set())

    def test_strip_telnet(self):
        """
        The harness strips negotiation and keeps escaped IAC.
        """
        data = (b"a" + telnet.IAC + telnet.WILL + telnet.ECHO + b"b" + telnet.IAC + telnet.SB
                + b"\x18\x01" + telnet.IAC + telnet.SE + b"c" + telnet.IAC + telnet.IAC)
        self.assertEqual(strip_telnet(data), b"abc\xff")
