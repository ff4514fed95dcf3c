"""
What all sessions share: the world store, the login portal, the limits and
their counters, the clock, and the list of connections.

One L{Server} is made by the composition root (L{engine.network}); tests make
their own through L{engine.testing}.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from twisted.cred.portal import Portal
from twisted.internet import defer
from twisted.logger import Logger

from engine.accounts import DEFAULT_COST, KdfCost
from engine.interfaces import IClient
from engine.limits import Limits, RateWindow
from engine.login import AccountChecker, CreatedChecker, Realm
from world.objects import Room

if TYPE_CHECKING:
    from engine.session import Session
    from world.store import Turn, WorldStore

_log = Logger()

#: The key in C{root.settings} holding banned address prefixes (a tuple).
BANNED_SITES = "banned_sites"


def run_inline(function: Callable[..., Any], *args: Any) -> defer.Deferred:
    """
    Run C{function} now and wrap its result (tests, and the default).
    """
    return defer.maybeDeferred(function, *args)


class Server:
    """
    The shared state of every session.

    @ivar store: the L{WorldStore}.
    @ivar clock: an C{IReactorTime}.
    @ivar limits: the L{Limits}.
    @ivar sessions: every open session, logged in or not.
    @ivar run_kdf: runs a password hash off the main loop: called with a
        function and its arguments, returns a Deferred of its result.
    @ivar kdf_cost: the scrypt cost for new hashes.
    @ivar shutdown: stops the server (injected by the composition root).
    @ivar default_role: the role of new accounts after the first.
    """

    def __init__(self, store: WorldStore, clock: Any, *, limits: Limits | None = None,
                 run_kdf: Callable[..., defer.Deferred] = run_inline,
                 kdf_cost: KdfCost = DEFAULT_COST,
                 shutdown: Callable[[], None] | None = None,
                 default_role: str = "player") -> None:
        self.store = store
        self.clock = clock
        self.limits = limits or Limits()
        self.run_kdf = run_kdf
        self.kdf_cost = kdf_cost
        self.shutdown = shutdown or (lambda: None)
        self.default_role = default_role
        self.started = clock.seconds()
        self.sessions: set[Session] = set()
        self.connections = RateWindow(clock, self.limits.connections_per_minute, 60.0)
        self.failed_logins = RateWindow(clock, self.limits.failed_logins,
                                        self.limits.failed_login_window)
        self.creations = RateWindow(clock, self.limits.creations_per_hour, 3600.0)
        self.portal = Portal(Realm(self), [AccountChecker(self), CreatedChecker()])
        from engine.scripts.runtime import ScriptRuntime
        from engine.scripts.scheduler import TimerScheduler

        #: Players' scripts: domains, modules, handler runs.
        self.scripts = ScriptRuntime(store, clock)
        #: The reactor side of scripts' timers (started by L{start}).
        self.timers = TimerScheduler(store, self.scripts, clock)

    def start(self) -> None:
        """
        Start what runs by itself: the scripts content attached, and
        scripts' timers.
        """
        from scripting.facets.checkers import install_checkers

        install_checkers()
        self.scripts.attach_content()
        self.timers.start()

    def stop(self) -> None:
        """
        Stop what L{start} started.
        """
        self.timers.stop()

    def make_session(self, client: IClient) -> Session:
        """
        A new session for C{client}: the C{session_factory} of protocols.
        """
        from engine.session import Session

        return Session(self, client)

    def admit(self, address: str) -> str | None:
        """
        Whether a new connection from C{address} may stay: L{None}, or the
        message to send before closing it.
        """
        if len(self.sessions) >= self.limits.max_sessions:
            return "Sorry, the server is full right now. Please try again later."
        if not self.connections.allowed(address):
            wait = int(self.connections.retry_after(address)) + 1
            return (f"Too many connections from your address. Please wait {wait} "
                    "seconds and try again.")
        self.connections.record(address)
        if self.site_banned(address):
            return "Connections from your address are not allowed here."
        return None

    def site_banned(self, address: str) -> bool:
        """
        Whether C{address} starts with a banned prefix.
        """
        with self.store.turn() as turn:
            sites = turn.root.settings.get(BANNED_SITES, ())
        return any(address == site or (site.endswith((".", ":")) and address.startswith(site))
                   for site in sites)

    def start_room(self, turn: Turn) -> Room:
        """
        Where new characters arrive: the world's start room, made (C{Limbo})
        if the world has none yet.
        """
        root = turn.root
        if root.start_room is None:
            root.start_room = root.create(
                Room, "Limbo",
                description="A grey, quiet nowhere. A builder can make this world a place.",
            )
        return root.start_room

    def playing(self) -> list[Session]:
        """
        The logged-in sessions, in the order they connected.
        """
        found = [s for s in self.sessions if s.state == "playing"]
        return sorted(found, key=lambda s: s.connected_at)

    def session_for(self, character_id: int) -> Session | None:
        """
        The session playing C{character_id}, if it is connected.
        """
        from engine.session import Session

        mind = self.store.minds.get(character_id)
        return mind if isinstance(mind, Session) else None

    def close_all(self, message: str) -> None:
        """
        Say C{message} to every session and close them all (server stopping).
        """
        for session in list(self.sessions):
            session.close(message)
