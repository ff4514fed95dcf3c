# -*- test-case-name: tests.engine.test_limits,tests.engine.test_end_to_end -*-
"""
The listening services: how players reach the server.

The composition root (L{engine.tap}) builds the shared
L{engine.server.Server} and hands it here: L{telnet_factory} makes the telnet
protocol factory for it, L{TelnetListener} listens; L{web_factory} and
L{WebListener} do the same for the browser client (L{engine.web}); and
L{SessionsService} closes every session when the server stops.
"""

from __future__ import annotations

import signal
from typing import Any

from twisted.application import internet, service
from twisted.internet import defer, tcp
from twisted.internet.error import ReactorNotRunning
from twisted.internet.posixbase import PosixReactorBase
from twisted.logger import Logger

from engine.limits import Limits
from engine.protocols.telnet import TelnetServerFactory
from engine.server import Server
from engine.web.connection import WebFactory, WebLimits

_log = Logger()


class KeyFileError(Exception):
    """
    A certificate or key file for a listener (TLS, SSH) cannot be used; the
    message says why and what to do.
    """

#: The edge-limit options (added to L{engine.tap.Options}) and their Limits fields.
LIMIT_OPTIONS = {
    "max-line": "max_line",
    "max-output": "max_output",
    "command-rate": "command_rate",
    "command-burst": "command_burst",
    "connections-per-minute": "connections_per_minute",
    "failed-logins": "failed_logins",
    "failed-login-window": "failed_login_window",
    "creations-per-hour": "creations_per_hour",
    "login-timeout": "login_timeout",
    "max-sessions": "max_sessions",
    "max-subnegotiation": "max_subnegotiation",
    "negotiation-rate": "negotiation_rate",
    "negotiation-burst": "negotiation_burst",
    "input-rate": "input_rate",
    "input-burst": "input_burst",
    "telnet-command-rate": "telnet_command_rate",
    "throttle-drop": "throttle_drop",
    "max-prelogin": "max_prelogin",
    "prelogin-per-address": "prelogin_per_address",
    "prelogin-buffer": "prelogin_buffer",
    "mail-per-hour": "mail_per_hour",
    "prelogin-input-rate": "prelogin_input_rate",
    "connection-rate": "connection_rate",
    "connection-burst": "connection_burst",
}


def limits_from(options: Any) -> Limits:
    """
    The L{Limits} the options ask for (missing ones keep their defaults).
    """
    values = {}
    for option, name in LIMIT_OPTIONS.items():
        try:
            value = options[option]
        except KeyError:
            continue
        if value is not None:
            values[name] = value
    return Limits(**values)


def telnet_factory(server: Server, mssp: Any = None) -> TelnetServerFactory:
    """
    The telnet protocol factory: every connection gets a session of
    C{server}, under the server's line and output limits.

    @param mssp: the MSSP status provider (L{engine.protocols.mssp}), if any.
    """
    factory = TelnetServerFactory(server.make_session, server.limits, mssp=mssp,
                                  clock=server.clock)
    # One count of connections waiting to log in, and one log of refusals
    # and one of drops before login, for every door of the server.
    factory.prelogin = server.prelogin
    factory.refusals = server.refusals
    factory.drops = server.drops
    factory.banned = server.site_banned
    factory.failures = server.failures
    return factory


#: Connections a bounded listening port (L{BoundedPort}) accepts in one turn
#: of the reactor.
ACCEPTS_PER_TURN = 16


class BoundedPort(tcp.Port):
    """
    A TCP port that accepts at most L{ACCEPTS_PER_TURN} connections in one
    turn of the reactor; the rest wait in the system's backlog for the next
    turns. Twisted's own accepts 100 at once and 20 more each time it empties
    the backlog, so that a flood of connections arriving together (a burst
    of reconnecting clients, forty tabs opened at once) became one long turn
    in which every player in the world waited.
    """

    def doRead(self) -> Any:
        self.numberAccepts = min(self.numberAccepts, ACCEPTS_PER_TURN)
        return super().doRead()


class Listening(service.Service):
    """
    A port's service that says where it listens once it does (the line a
    newcomer reads to connect), and tells tests and MSSP which port it got
    (with port 0, the system chooses). Mixed in before C{internet.TCPServer}
    or C{internet.SSLServer}. On a real reactor it listens with a
    L{BoundedPort}, whichever door it is (telnet, TLS, SSH, web).

    @cvar announcement: what the log says, a format with C{{interface}},
        C{{shown}} (the interface, in brackets if it is IPv6, as in URLs) and
        C{{port}}.
    """

    announcement = "Tessera is listening on {interface}:{port}"
    # Set by internet.TCPServer and SSLServer (declared here for the type checker).
    _port: Any
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    reactor: Any

    def _getPort(self) -> Any:
        reactor = self.reactor
        if not isinstance(reactor, PosixReactorBase):
            return super()._getPort()  # type: ignore[misc]
        number, factory, *context = self.args
        if context:
            # TLS, wrapped as the reactor's listenSSL wraps it (OpenSSL is
            # loaded only for a TLS port).
            from twisted.protocols.tls import TLSMemoryBIOFactory
            factory = TLSMemoryBIOFactory(context[0], False, factory)
        port = BoundedPort(number, factory, reactor=reactor, **self.kwargs)
        if context:
            port._type = "TLS"
        port.startListening()
        return port

    def startService(self) -> None:
        super().startService()
        host = self._port.getHost()  # listening, once started
        interface = self.kwargs.get("interface") or host.host
        shown = f"[{interface}]" if ":" in interface else interface
        _log.info(self.announcement, interface=interface, shown=shown, port=host.port)

    @property
    def port(self) -> int | None:
        """
        The port number it listens on, or None while it is not listening.
        """
        listening = getattr(self, "_port", None)
        return listening.getHost().port if listening is not None else None


class TelnetListener(Listening, internet.TCPServer):
    """
    The telnet port.
    """

    announcement = ("Tessera is listening for telnet on {interface}:{port}"
                    " (connect with: telnet {interface} {port})")


def web_factory(server: Server, web: WebLimits | None = None,
                telnet: TelnetServerFactory | None = None) -> WebFactory:
    """
    The web port's protocol factory: every websocket gets a session of
    C{server}, under the server's limits and the web port's own.

    @param telnet: the telnet door, if there is one: what is held for
        connections waiting to log in is charged, and new connections taken,
        across both doors together.
    """
    pages = WebFactory(server.make_session, server.limits, web, clock=server.clock,
                       share=telnet.charge if telnet is not None else None)
    # One count of connections waiting to log in, and one log of refusals
    # and one of drops before login, for every door of the server.
    pages.prelogin = server.prelogin
    pages.refusals = server.refusals
    pages.drops = server.drops
    pages.banned = server.site_banned
    pages.failures = server.failures
    if telnet is None:
        return pages
    door = telnet
    # One rate of new connections for the server, whichever door they knock at.
    pages.arrivals = door.arrivals
    # One budget of work for every connection waiting to log in, by any door.
    pages.prelogin_budget = door.prelogin_budget  # type: ignore[attr-defined]
    return pages


class WebListener(Listening, internet.TCPServer):
    """
    The web port.
    """

    announcement = ("Tessera is serving the web client on http://{shown}:{port}/"
                    " (open it in a browser)")


class SessionsService(service.Service):
    """
    Closes every session when the server stops, while the world is still
    open, so each character falls asleep properly and players are told; then
    waits (up to C{grace} seconds) for the goodbyes to be sent.
    """

    def __init__(self, server: Server, clock: Any, open_connections: Any = lambda: 0,
                 grace: float = 2.0) -> None:
        self.setName("sessions")
        self.server = server
        self.clock = clock
        self.open_connections = open_connections
        self.grace = grace

    def startService(self) -> None:
        super().startService()
        self.server.start()  # scripts' timers

    def stopService(self) -> defer.Deferred | None:
        super().stopService()
        self.server.stop()
        self.server.close_all("The server is shutting down. Your character is saved. "
                              "See you soon!")
        if not self.open_connections():
            self.server.flush_logs()
            return None
        done: defer.Deferred = defer.Deferred()
        deadline = self.clock.seconds() + self.grace

        def check() -> None:
            if not self.open_connections() or self.clock.seconds() >= deadline:
                # The connections closed at the end, counted, are logged.
                self.server.flush_logs()
                done.callback(None)
            else:
                self.clock.callLater(0.05, check)

        check()
        return done


def stop_on_signals(reactor: Any) -> None:
    """
    Make SIGTERM and SIGINT stop C{reactor} (before it runs): the first
    begins stopping the server; another while it stops (an impatient second
    C{kill}, a second Ctrl-C, a signal after C{@shutdown}) is one line saying
    it is ignored, where Twisted's own handler logged a C{ReactorNotRunning}
    traceback. The server then stops as it began to, closing every
    connection and the world (C{SIGKILL} stops it at once, losing at most
    the turn in flight).
    """
    stopping = False

    def ignored(name: str) -> None:
        _log.info("received {signal} while stopping: ignored (the server is closing its "
                  "connections and the world; SIGKILL stops it at once)", signal=name)

    def stop(name: str) -> None:
        try:
            reactor.stop()
        except ReactorNotRunning:  # it was stopping already (@shutdown)
            ignored(name)

    def signalled(number: int, frame: Any = None) -> None:
        nonlocal stopping
        name = signal.Signals(number).name
        if stopping:
            ignored(name)
            return
        stopping = True
        _log.info("received {signal}: stopping", signal=name)
        reactor.callFromThread(stop, name)

    reactor.sigTerm = signalled
    reactor.sigInt = signalled


def run_stopping_on_signals(reactor: Any) -> None:
    """
    Run C{reactor} until it stops, SIGTERM and SIGINT stopping it
    (L{stop_on_signals}); once it has stopped, ignore them
    (L{ignore_signals}): how the server runs.
    """
    stop_on_signals(reactor)
    reactor.run()
    ignore_signals()


def ignore_signals() -> None:
    """
    Ignore SIGTERM and SIGINT from now until the process exits: called once
    the reactor has stopped (the server stopped, by a signal or
    C{@shutdown}). Python puts back the default action of a signal it
    handled as it exits (its handlers can no longer run), so another
    signal then, while modules are torn down, ended the process with that
    signal's status (C{-15}, C{-2}) rather than the server's C{0}; a
    signal ignored stays ignored to the end.
    """
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, signal.SIG_IGN)
