"""
A second SIGTERM or SIGINT while the server stops (an impatient second
C{kill}, a second Ctrl-C, a signal after C{@shutdown}) is one line saying
it is ignored, not Twisted's C{ReactorNotRunning} traceback; the server
stops as it began to.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

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


#: A server's last moments, in a process of its own: a reactor run as the
#: server runs it, stopped by a real SIGTERM; then what CPython does to the
#: signals it handled as it exits (C{_PySignal_Fini}: each whose handler is
#: a Python function goes back to its default action, as a process's
#: last modules are torn down, where no test can reach it); then a SIGTERM
#: and a SIGINT, as from an impatient supervisor.
EXITING = """
import os, signal, sys
from twisted.internet.selectreactor import SelectReactor
from engine.network import run_stopping_on_signals

reactor = SelectReactor()
reactor.callWhenRunning(os.kill, os.getpid(), signal.SIGTERM)
run_stopping_on_signals(reactor)
for number in (signal.SIGTERM, signal.SIGINT):
    if callable(signal.getsignal(number)):
        signal.signal(number, signal.SIG_DFL)
os.kill(os.getpid(), signal.SIGTERM)
os.kill(os.getpid(), signal.SIGINT)
sys.exit(0)
"""


class ExitTests(TestCase):
    def test_signal_while_exiting_ignored(self) -> None:
        """
        A SIGTERM and a SIGINT after the server stopped, while Python exits,
        leave its exit status 0: it ignores them from then on.
        """
        root = Path(__file__).resolve().parents[2]
        done = subprocess.run([sys.executable, "-c", EXITING], cwd=root, timeout=60,
                              env={**os.environ, "PYTHONPATH": str(root)},
                              capture_output=True, check=False)
        self.assertEqual(done.returncode, 0, done.stderr[-2000:])
