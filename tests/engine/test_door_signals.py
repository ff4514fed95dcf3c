"""
A second SIGTERM or SIGINT while the server stops (an impatient second
C{kill}, a second Ctrl-C, a signal after C{@shutdown}) is one line saying
it is ignored, not Twisted's C{ReactorNotRunning} traceback; the server
stops as it began to.
"""

from __future__ import annotations

import signal

from twisted.internet.selectreactor import SelectReactor
from twisted.trial.unittest import TestCase

from engine.network import stop_on_signals
from tests.engine.test_refusals import Logged


class SignalTests(TestCase):
    def run_reactor(self, signals: list[int], stopped_first: bool = False) -> Logged:
        """
        Run a reactor of its own with the server's signal handlers, deliver
        C{signals} to them as it runs (after it was told to stop, if
        C{stopped_first}), and let it stop; what was logged.
        """
        logged = Logged(self)
        reactor = SelectReactor()
        stop_on_signals(reactor)
        handlers = {signal.SIGTERM: reactor.sigTerm, signal.SIGINT: reactor.sigInt}

        def deliver() -> None:
            if stopped_first:
                reactor.stop()
            for number in signals:
                handlers[number](number, None)

        reactor.callWhenRunning(deliver)
        reactor.callLater(30, reactor.stop)  # (never reached: the first signal stops it)
        reactor.run(installSignalHandlers=False)
        return logged

    def said(self, logged: Logged) -> list[str]:
        return [e["log_format"].format(signal=e.get("signal")) for e in logged.events
                if "{signal}" in e.get("log_format", "")]

    def test_second_signal_ignored(self) -> None:
        """
        The first SIGTERM stops the server; a second, and a SIGINT, while it
        stops are a line each, and no error is logged.
        """
        logged = self.run_reactor([signal.SIGTERM, signal.SIGTERM, signal.SIGINT])
        said = self.said(logged)
        self.assertEqual(said[0], "received SIGTERM: stopping")
        self.assertEqual(len(said), 3, said)
        self.assertTrue(said[1].startswith("received SIGTERM while stopping: ignored"), said)
        self.assertTrue(said[2].startswith("received SIGINT while stopping: ignored"), said)
        self.assertEqual([e for e in logged.events if e.get("log_failure")], [])

    def test_signal_after_shutdown_command(self) -> None:
        """
        A signal after the server was told to stop otherwise (C{@shutdown})
        is a line, not a traceback.
        """
        logged = self.run_reactor([signal.SIGTERM], stopped_first=True)
        said = self.said(logged)
        self.assertEqual(said[0], "received SIGTERM: stopping")
        self.assertTrue(said[1].startswith("received SIGTERM while stopping: ignored"), said)
        self.assertEqual([e for e in logged.events if e.get("log_failure")], [])
