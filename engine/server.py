# -*- test-case-name: tests.engine.test_session,tests.engine.test_limits -*-
"""
What all sessions share: the world store, the accounts, the scripts, the
limits and their counters, the clock, and the list of connections.

One L{Server} is made by the composition root (L{engine.tap.build_server});
tests make theirs through the same function, by way of L{engine.testing}.
The server is handed every service it holds; it builds none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from twisted.logger import Logger

from engine.bans import BANNED, SiteBans
from engine.interfaces import IClient, IPlayer, ISession
from engine.limits import AddressWindow, IntervalLog, Limits, Prelogin, RateWindow
from engine.protocols.door import FailureLog

if TYPE_CHECKING:
    from engine.login import AccountService
    from engine.scripts.runtime import ScriptRuntime
    from engine.scripts.scheduler import TimerScheduler
    from world.store import WorldStore

_log = Logger()

#: The key in C{root.settings} holding the banned sites (a tuple of networks
#: in canonical form, L{engine.bans}; bans stored before as text are read
#: as they are).
BANNED_SITES = "banned_sites"


class Server:
    """
    The shared state of every session.

    @ivar store: the L{WorldStore}.
    @ivar clock: an C{IReactorTime}.
    @ivar limits: the L{Limits}.
    @ivar accounts: the L{AccountService} (logging in, creating, passwords).
    @ivar scripts: the L{ScriptRuntime}: players' scripts, their domains,
        modules and handler runs.
    @ivar timers: the L{TimerScheduler}, the reactor side of scripts' timers
        (started by L{start}).
    @ivar sessions: every open session, logged in or not.
    @ivar shutdown: stops the server (injected by the composition root).
    @ivar new_session: makes the session for a new connection, given this
        server and the L{IClient} (injected by the composition root).
    @ivar login_hooks: run as commands of a player who just logged in, after
        they look around (each given the command's context): what is waiting
        for them (mail), what their client should know (their channels).
    @ivar mail_sent: messages sent per account, against the mail rate
        (L{engine.commands.mail}).
    """

    def __init__(self, store: WorldStore, clock: Any, *, accounts: AccountService,
                 scripts: ScriptRuntime, timers: TimerScheduler,
                 new_session: Callable[..., ISession],
                 limits: Limits | None = None,
                 shutdown: Callable[[], None] | None = None,
                 login_hooks: tuple[Callable[[Any], None], ...] = ()) -> None:
        self.store = store
        self.clock = clock
        self.limits = limits or Limits()
        self.accounts = accounts
        self.scripts = scripts
        self.timers = timers
        self.new_session = new_session
        self.shutdown = shutdown or (lambda: None)
        self.started = clock.seconds()
        self.sessions: set[IPlayer] = set()
        self.connections = AddressWindow(clock, self.limits.connections_per_minute, 60.0)
        #: Connections refused at any door, logged a line every few seconds.
        self.refusals = IntervalLog.refusals(clock)
        #: Connections dropped before they logged in, at any door, logged
        #: a line every few seconds.
        self.drops = IntervalLog.drops(clock)
        #: The server's own failures a client can set off again and again
        #: (a telnet option's handler, setting up a connection): each
        #: kind's first traceback, then counts every few seconds.
        self.failures = FailureLog(clock)
        #: Connections waiting to log in, at every door together (C{max_prelogin}).
        self.prelogin = Prelogin(self.limits.max_prelogin, self.limits.prelogin_per_address)
        self.login_hooks = login_hooks
        self.mail_sent = RateWindow(clock, self.limits.mail_per_hour, 3600.0)
        self._banned_sites: tuple[str, ...] = ()
        self._site_bans = SiteBans(())
        #: The world's settings (a persistent mapping, held so that its
        #: serial, the commit that last changed it, can be read between
        #: turns without loading anything), and its serial when the bans
        #: were last read from it.
        self._settings: Any = None
        self._settings_serial: bytes | None = None

    def start(self) -> None:
        """
        Start what runs by itself: the scripts content attached, and
        scripts' timers.
        """
        self.scripts.attach_content()
        self.timers.start()

    def stop(self) -> None:
        """
        Stop what L{start} started, and log the connections refused or
        dropped that were counted since the last line about them.
        """
        self.timers.stop()
        self.flush_logs()

    def flush_logs(self) -> None:
        """
        Log the connections refused or dropped and the failed logins that
        were counted since the last line about them (L{refusals}, L{drops},
        the accounts' failures), now: the server stops.
        """
        self.refusals.flush()
        self.drops.flush()
        self.failures.flush()
        self.accounts.failures.flush()

    def make_session(self, client: IClient, welcome: Callable[[Any], Any] | None = None
                     ) -> ISession:
        """
        A new session for C{client}: the C{session_factory} of protocols.

        @param welcome: makes the session's L{engine.interfaces.IWelcome},
            given the session, instead of the usual login screen (SSH's,
            whose players have logged in before their session begins).
        """
        if welcome is None:
            return self.new_session(self, client)
        return self.new_session(self, client, welcome)

    def admit(self, address: str) -> str | None:
        """
        Whether a new connection from C{address} may stay: L{None}, or the
        message to send before closing it.
        """
        if self.site_banned(address):
            # First, before it is counted: a banned site's flood fills no
            # window of connections and costs nothing but this look-up.
            return BANNED
        if len(self.sessions) >= self.limits.max_sessions:
            return "Sorry, the server is full right now. Please try again later."
        if not self.connections.allowed(address):
            wait = int(self.connections.retry_after(address)) + 1
            return (f"Too many connections from your address. Please wait {wait} "
                    "seconds and try again.")
        self.connections.record(address)
        return None

    def site_banned(self, address: str) -> bool:
        """
        Whether C{address} is in a banned network (L{engine.bans}): an
        IPv4-mapped address is its IPv4 one; a banned IPv6 address is its
        /64, as the limits per address count it (L{network_of}). The bans
        are held in memory, indexed once each time a commit changes the
        world's settings, so that a connection opens no turn of the store
        and costs one set look-up per prefix length in use, however many
        are banned; a ban committed applies to the next connection.
        """
        settings = self._settings
        if (settings is None or settings._p_changed is None
                or settings._p_serial != self._settings_serial):
            # (The settings' serial changes with each commit that changes
            # them, a ban's, and is read without loading them: reading a
            # persistent object between turns could load a state older than
            # the last commit. A commit through another connection makes
            # them a ghost at the server's next turn, and a ghost keeps its
            # old serial: a ghost is read again.)
            self._read_bans()
        return self._site_bans.banned(address)

    def _read_bans(self) -> None:
        """
        Read the banned sites in a turn of their own, and index them again
        if they changed.
        """
        with self.store.turn() as turn:
            settings = turn.root.settings
            sites = tuple(settings.get(BANNED_SITES, ()))
            self._settings, self._settings_serial = settings, settings._p_serial
        if sites != self._banned_sites:
            self._site_bans, self._banned_sites = SiteBans(sites), sites

    def playing(self) -> list[IPlayer]:
        """
        The logged-in sessions, in the order they connected.
        """
        found = [s for s in self.sessions if s.state == "playing"]
        return sorted(found, key=lambda s: s.connected_at)

    def session_for(self, character_id: int) -> IPlayer | None:
        """
        The session playing C{character_id}, if it is connected.
        """
        mind = self.store.minds.get(character_id)
        return mind if IPlayer.providedBy(mind) else None

    def close_all(self, message: str) -> None:
        """
        Say C{message} to every session and close them all (server stopping).
        """
        for session in list(self.sessions):
            session.close(message)
