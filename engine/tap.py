# -*- test-case-name: tests.test_cli,tests.engine.test_end_to_end -*-
"""
The one composition root: everything a running Tessera server is made of.

L{makeService} builds the service tree from parsed L{Options}. The C{tessera}
CLI and the C{twistd tessera} plugin both call it; nothing else wires the
server together, and nothing happens at import time.

L{build_server} is the part of it that makes the L{Server} and every service
the server holds (accounts, scripts, timers, the command dispatcher every
session is handed); L{engine.testing} calls it too, so tests run the server
a player meets.
"""

from __future__ import annotations

import faulthandler
import math
import os
import sys
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from twisted.application import service
from twisted.internet import defer, threads
from twisted.internet.task import LoopingCall
from twisted.logger import Logger
from twisted.python import usage

from engine.accounts import DEFAULT_COST, ROLES, KdfCost
from engine.bans import parse_nat64_prefix
from engine.commands import TABLE, Dispatcher, channels, mail, script
from engine.interfaces import IClient
from engine.limits import RESERVE, Limits, reserve_stack, use_nat64_prefix
from engine.login import AccountService, run_inline
from engine.network import (
    SessionsService,
    TelnetListener,
    WebListener,
    limits_from,
    telnet_factory,
    web_factory,
)
from engine.protocols import mssp
from engine.scripts.runtime import ScriptRuntime
from engine.scripts.scheduler import TimerScheduler
from engine.server import Server
from engine.session import Session
from engine.web.connection import WebLimits
from engine.welcome import WelcomeScreen
from scripting.facets.accounting import MAX_LIMIT, set_default_limit
from scripting.facets.checkers import install_checkers
from scripting.facets.lifecycle import KEEPER
from scripting.task import Abort
from world import names
from world.loader import load, source_of
from world.store import DEFAULT_CACHE_SIZE, StoreError, WorldStore

log = Logger()

#: The objects the server reads in one turn at start when the rules of names
#: changed (L{WorldService}): what the store caches of them is shed between
#: turns, so a world of any size is read in bounded memory.
NAMES_PAGE = 1000
#: The most names and aliases the server checks against the rules of names in
#: one of those turns: a turn stops at whichever of the two comes first. The
#: turns run while the server plays, so one is as long as a page of @badnames.
NAMES_CHECKED = 200

#: Where the default world's content lives (the repository's content/world).
DEFAULT_CONTENT = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "content", "world"
)


#: The quota options of L{Options} → the limit they set (L{scripting.facets.accounting.LIMITS}).
QUOTA_OPTIONS = {"quota-objects": "objects", "quota-storage": "storage",
                 "quota-timers": "timers", "quota-cpu": "cpu", "quota-libraries": "libraries",
                 "quota-memory": "memory"}


class Options(usage.Options):
    """
    Options for running a Tessera server.
    """

    optParameters = [
        ["interface", "i", "localhost", "Interface to listen on for telnet."],
        ["port", "p", 4000, "Telnet port (0 picks a free one).", int],
        ["db", "d", os.path.join("var", "world.fs"), "World database file (ZODB FileStorage)."],
        ["content", "c", None,
         "Content folder loaded at start (default: the folder the world was loaded from, or "
         "for a new world the default world, Saltmere; empty string: none)."],
        ["web-port", "w", None,
         "Port for the web client: a page to play from in a browser, and its websocket "
         "(0 picks a free one; off unless given; make run serves it on 4080).", int],
        ["web-interface", None, None, "Interface the web client listens on (default: as "
         "--interface)."],
        ["web-origin", None, "",
         "Comma-separated origins (https://mud.example.org) whose pages may open the web "
         "client's websocket besides its own page; their hosts are also the names the web "
         "port answers to besides IP addresses and localhost."],
        ["web-max-message", None, 32768,
         "Characters in one websocket message from a browser (the rest of a longer one is "
         "ignored).", int],
        ["web-timeout", None, 30.0, "Seconds a browser may take to send one HTTP request.",
         float],
        ["web-per-address", None, 32,
         "Connections from one address waiting to log in (at every port) past which the web "
         "port refuses its next; only a value below --prelogin-per-address changes anything.",
         int],
        ["web-keepalive", None, 30.0,
         "Seconds a browser's websocket may be silent before the server pings it (0: never).",
         float],
        ["web-keepalive-timeout", None, 30.0,
         "Seconds a browser has to answer that ping before its connection is dropped.", float],
        ["nat64-prefix", None, None,
         "This site's own NAT64 prefix, an IPv6 /32, /40, /48, /56, /64 or /96 "
         "(2001:db8:64::/96): a client arriving "
         "in it is its IPv4 address for every limit, ban and log line, as in the well-known "
         "64:ff9b::/96 (off unless given)."],
        ["tls-port", None, None,
         "Port for telnet over TLS (0 picks a free one; off unless given).", int],
        ["tls-cert", None, None,
         "PEM file with the TLS certificate (and chain) and its private key (default: a "
         "self-signed one for localhost, made on first run beside the database).", str],
        ["ssh-port", None, None,
         "Port for SSH (0 picks a free one; off unless given): ssh -p PORT name@host.", int],
        ["ssh-key", None, None,
         "The SSH host key, a private key file (default: one made on first run beside the "
         "database).", str],
        ["cache-size", None, DEFAULT_CACHE_SIZE,
         "World records kept in memory between turns (about four an object; roughly "
         "0.5-1 KB each).", int],
        ["pack-days", None, 7.0, "Keep this many days of history when packing.", float],
        ["pack-interval", None, 86400.0, "Seconds between automatic packs (0: never).", float],
        # Edge limits (engine.limits.Limits; each is tested).
        ["max-line", None, 8192, "Longest input line in bytes (longer ones are refused).", int],
        ["max-output", None, 262144,
         "Bytes that may pile up for a client that stops reading before it is dropped.", int],
        ["command-rate", None, 10.0, "Commands per second one session may sustain.", float],
        ["command-burst", None, 30, "Commands one session may send at once.", int],
        ["connections-per-minute", None, 30, "New connections per address per minute.", int],
        ["failed-logins", None, 5, "Failed logins per address before logins are refused.", int],
        ["failed-login-window", None, 300.0, "Seconds over which failed logins count.", float],
        ["creations-per-hour", None, 5, "Characters one address may create per hour.", int],
        ["login-timeout", None, 300.0, "Seconds a connection may take to log in.", float],
        ["max-sessions", None, 500, "Connections the server holds at once.", int],
        ["max-subnegotiation", None, 8192,
         "Bytes of one telnet subnegotiation (a longer one drops the connection).", int],
        ["negotiation-rate", None, 20.0,
         "Telnet option changes per second one connection may ask for.", float],
        ["negotiation-burst", None, 100,
         "Option changes one connection may ask for at once (twice that many more "
         "drops it).", int],
        ["input-rate", None, 32768,
         "Bytes per second one connection may send (past the burst, reading stops).", int],
        ["input-burst", None, 262144, "Bytes one connection may send at once.", int],
        ["telnet-command-rate", None, 100.0,
         "Telnet commands per second one connection may send.", float],
        ["throttle-drop", None, 30.0,
         "Seconds a connection may be held back for sending too fast (over about a "
         "minute) before it is dropped.", float],
        ["max-prelogin", None, 250, "Connections waiting to log in at once.", int],
        ["prelogin-per-address", None, 16,
         "Connections from one address (an IPv6 /64 being one) waiting to log in at once.",
         int],
        ["prelogin-buffer", None, 16777216,
         "Bytes held in all for connections waiting to log in.", int],
        ["mail-per-hour", None, 30,
         "Messages one character may send an hour with @mail (each recipient counts).", int],
        ["prelogin-input-rate", None, 65536,
         "Bytes per second all connections waiting to log in may send together (a telnet "
         "command counts as 64, a line as 256).", int],
        ["connection-rate", None, 20.0,
         "New connections per second the server takes from all addresses together.", float],
        ["connection-burst", None, 250, "New connections the server takes at once.", int],
        ["default-role", None, "player",
         "Role of new accounts after the first (player, builder or wizard)."],
        ["address-space", None, 4096,
         "MiB of address space the server process may use, the backstop behind the scripts' "
         "memory charges (0: no limit).", int],
        # The world's default quotas for every player (kept in the world; wizards
        # change them, and any one player's, with @quota).
        ["quota-objects", None, None, "Objects each player may own (default 100).", int],
        ["quota-storage", None, None,
         "Bytes each player's scripts may keep in their state (default 65536).", int],
        ["quota-timers", None, None, "Timers each player's scripts may have pending (default 20).",
         int],
        ["quota-cpu", None, None,
         "Ticks a minute each player's scripts may use together (default 2000000).", int],
        ["quota-libraries", None, None, "Libraries each player may keep (default 10).", int],
        ["quota-memory", None, None,
         "Bytes each player's loaded scripts may hold (default 33554432).", int],
    ]
    optFlags = [
        ["memory", "m", "Keep the world in memory only (nothing is saved)."],
        ["sync-every-turn", None,
         "Wait for the disk (fsync) after every turn, not once per reactor turn for all the "
         "turns in it: slower under load; a power cut then loses only the turn in flight."],
    ]

    #: option → (smallest value allowed, what to say); every value must be finite.
    BOUNDS: dict[str, tuple[float, str]] = {
        "port": (0, "a port from 0 to 65535"),
        "cache-size": (1000, "at least 1000 records"),
        "pack-days": (0, "zero or more days"),
        "pack-interval": (0, "zero (never) or more seconds"),
        "max-line": (64, "at least 64 bytes"),
        "max-output": (1024, "at least 1024 bytes"),
        "command-rate": (0.01, "more than zero commands a second"),
        "command-burst": (1, "at least 1"),
        "connections-per-minute": (1, "at least 1"),
        "failed-logins": (1, "at least 1"),
        "failed-login-window": (1, "at least 1 second"),
        "creations-per-hour": (0, "zero (no new characters) or more"),
        "login-timeout": (1, "at least 1 second"),
        "max-sessions": (1, "at least 1"),
        "max-subnegotiation": (64, "at least 64 bytes"),
        "negotiation-rate": (0.01, "more than zero a second"),
        "negotiation-burst": (1, "at least 1"),
        "input-rate": (64, "at least 64 bytes a second"),
        "input-burst": (4096, "at least 4096 bytes"),
        "telnet-command-rate": (0.01, "more than zero a second"),
        "throttle-drop": (0.1, "more than zero seconds"),
        "max-prelogin": (1, "at least 1"),
        "prelogin-per-address": (1, "at least 1"),
        "prelogin-buffer": (65536, "at least 65536 bytes"),
        "mail-per-hour": (1, "at least 1"),
        "prelogin-input-rate": (1024, "at least 1024 bytes a second"),
        "connection-rate": (0.01, "more than zero a second"),
        "connection-burst": (1, "at least 1"),
        "address-space": (0, "zero (no limit) or more MiB"),
        "web-max-message": (1024, "at least 1024 characters"),
        "web-timeout": (1, "at least 1 second"),
        "web-per-address": (1, "at least 1"),
        "web-keepalive": (0, "zero (never) or more seconds"),
        "web-keepalive-timeout": (1, "at least 1 second"),
    }

    def postOptions(self) -> None:
        """
        Refuse values that would make a limit meaningless (negative, zero
        where zero cannot work, NaN or infinite), naming the option.
        """
        for name, (least, what) in self.BOUNDS.items():
            value = self[name]
            if not math.isfinite(value) or value < least:
                raise usage.UsageError(f"--{name} must be {what}, not {value}")
        for name in QUOTA_OPTIONS:
            value = self[name]
            if value is not None and not 0 <= value <= MAX_LIMIT:
                raise usage.UsageError(f"--{name} must be a whole number from 0 to {MAX_LIMIT}, "
                                       f"not {value}")
        if self["port"] > 65535:
            raise usage.UsageError(f"--port must be a port from 0 to 65535, not {self['port']}")
        for door in ("tls-port", "ssh-port"):
            port = self[door]
            if port is not None and not 0 <= port <= 65535:
                raise usage.UsageError(f"--{door} must be a port from 0 to 65535, not {port}")
        web = self["web-port"]
        if web is not None and not 0 <= web <= 65535:
            raise usage.UsageError(f"--web-port must be a port from 0 to 65535, not {web}")
        for origin in origins(self["web-origin"]):
            parts = urlsplit(origin)
            if parts.scheme not in ("http", "https") or not parts.hostname or parts.path \
                    or parts.query or parts.fragment:
                raise usage.UsageError(
                    f"--web-origin takes origins such as https://mud.example.org, not {origin!r}")
        if self["nat64-prefix"] is not None:
            try:
                parse_nat64_prefix(self["nat64-prefix"])
            except ValueError as e:
                raise usage.UsageError(f"--nat64-prefix: {e}") from None
        if self["default-role"] not in ROLES:
            raise usage.UsageError(
                f"--default-role must be one of {', '.join(ROLES)}, not {self['default-role']!r}")


def origins(text: str | None) -> tuple[str, ...]:
    """
    The origins of the C{--web-origin} option (comma-separated), trailing
    slashes removed.
    """
    return tuple(o.strip().rstrip("/") for o in (text or "").split(",") if o.strip())


def web_limits(options: Any) -> WebLimits:
    """
    The L{WebLimits} the options ask for.
    """
    return WebLimits(max_message=options.get("web-max-message", 32768),
                     timeout=options.get("web-timeout", 30.0),
                     per_address=options.get("web-per-address", 32),
                     keepalive=options.get("web-keepalive", 30.0),
                     keepalive_timeout=options.get("web-keepalive-timeout", 30.0),
                     origins=origins(options.get("web-origin")))


def limit_address_space(mib: int) -> None:
    """
    Cap the whole process's address space at C{mib} MiB (docs/design.md §4.6: the
    backstop behind the sandbox's size preflight). Allocations past it fail
    with C{MemoryError} instead of the machine swapping or the kernel killing
    the server. Applied by C{tessera run} and the twistd plugin at start,
    never by L{makeService} (tests build many services in one process).

    @param mib: the limit; 0 leaves the process unlimited.
    """
    if mib <= 0:
        return
    import resource  # POSIX only: imported when a limit is asked for, not on import

    # Under the limit the stack cannot grow (SIGSEGV, no log line): grow it
    # first; keep a reserve to give back on MemoryError; and should the
    # process die of a fatal signal all the same, say where on stderr.
    reserve_stack()
    RESERVE.arm()
    faulthandler.enable()
    wanted = mib * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    log.info("address space limited to {mib} MiB", mib=wanted // (1024 * 1024))


def quiet_script_finalizers() -> None:
    """
    Install a C{sys.unraisablehook} for the server process.

    A script object that CPython finalises outside any task (a suspended
    generator collected later) is stopped by the sandbox at its first tick,
    as designed; CPython then reports that as "Exception ignored" on stderr,
    with a traceback, once per object, so a script could flood the console.
    Those are counted silently; any other unraisable error is logged, by type
    only (calling C{repr} on a script's object could run its code).
    """
    def hook(unraisable: Any) -> None:
        if isinstance(unraisable.exc_value, Abort):
            hook.stopped += 1  # type: ignore[attr-defined]
            return
        log.error("unraisable {error} in a {kind}: {message}",
                  error=type(unraisable.exc_value).__name__,
                  kind=type(unraisable.object).__name__,
                  message=unraisable.err_msg or "")

    hook.stopped = 0  # type: ignore[attr-defined]
    sys.unraisablehook = hook


class WorldService(service.Service):
    """
    Owns the open L{WorldStore}: loads content into it at start, packs it
    when asked, closes it at stop.
    """

    def __init__(self, store: WorldStore, content: str | None,
                 pack_days: float = 7.0, quotas: dict[str, int] | None = None, *,
                 default_content: str | None = None, clock: Any = None) -> None:
        self.setName("world")
        self.store = store
        self.content = content
        #: Loaded when no C{content} is given and the world has none of its own
        #: (a new world).
        self.default_content = default_content
        self.pack_days = pack_days
        #: Default limits to keep in the world (limit name → value), from the options.
        self.quotas = dict(quotas or {})
        #: What runs the reading of stored names a page a reactor turn once
        #: the server listens (callLater); None: all of it as the service starts.
        self.clock = clock
        self._names_call: Any = None

    def startService(self) -> None:
        """
        Load the content folder (if any) into the world, and log the names
        stored in it that the rules of names refuse since they last changed
        (L{world.names.rules_changed}), reading L{NAMES_PAGE} objects and
        checking L{NAMES_CHECKED} names a turn: with a C{clock}, a page a
        reactor turn from the first turn after start, so the server listens
        (and plays) first, however large the world.

        @raise world.loader.ContentError: the content has problems; the store
            is closed (so its lock is released) and the service not started.
        """
        where = self.store.path or "memory (nothing is saved)"
        log.info("world database: {where}", where=where)
        try:
            content = self._content()
            if content:
                report = load(self.store, content, keeper=KEEPER)
                log.info("loaded content from {path}: {report}", path=content,
                         report=str(report))
        except BaseException:
            self.store.close()
            raise
        if self.quotas:
            with self.store.turn() as turn:
                for limit, value in self.quotas.items():
                    set_default_limit(turn.root, limit, value)
            log.info("default quotas: {quotas}", quotas=self.quotas)
        self._log_refused_names()
        super().startService()

    def _log_refused_names(self) -> None:
        with self.store.turn() as turn:
            if not names.rules_changed(turn.root):
                return
        if self.clock is not None:
            self._names_call = self.clock.callLater(0, self._names_turn, 0)
            return
        start: int | None = 0
        while start is not None:
            start = self._names_page(start)

    def _names_turn(self, start: int) -> None:
        # One page, then the next on a later reactor turn: what players send
        # is served between them.
        self._names_call = None
        following = self._names_page(start)
        if following is not None and self.running:
            self._names_call = self.clock.callLater(0, self._names_turn, following)

    def _names_page(self, start: int) -> int | None:
        # A page of objects a turn, so that what the store caches is shed between them.
        with self.store.turn() as turn:
            refused, following = names.refusals_from(turn.root, start, None, NAMES_PAGE,
                                                     checking=NAMES_CHECKED)
        for ref, name, why in refused:
            log.warn("#{ref} is called {name!r}, which the rules of names now refuse; "
                     "nothing was renamed, a wizard may rename it (@name): {why}", ref=ref,
                     name=name, why=why)
        if following is None:
            with self.store.turn() as turn:
                names.rules_read(turn.root)
        return following

    def _content(self) -> str | None:
        """
        The folder to load: the one asked for; else the one the world was
        loaded from (so that a plain restart never swaps a world's content
        for the default one); else, for a new world, the default.
        """
        if self.content is not None:
            return self.content
        own = source_of(self.store)
        if own is None:
            return self.default_content
        if not os.path.isdir(own):
            log.warn("this world was loaded from {path}, which is gone; no content is loaded "
                     "(the world stays as it was)", path=own)
            return None
        return own

    def stopService(self) -> Any:
        if self._names_call is not None and self._names_call.active():
            self._names_call.cancel()  # read again from the start next time
        self._names_call = None
        super().stopService()
        self.store.close()

    def pack(self) -> None:
        """
        Pack the database, keeping C{pack_days} of history. A failure is
        logged, never raised, so a scheduled pack tries again next time.
        """
        if not self.running:
            return
        try:
            self.store.pack(self.pack_days)
        except StoreError as e:
            log.error("{error}", error=str(e))
        except Exception:
            log.failure("packing the world database failed")
        else:
            log.info("packed {path}", path=self.store.path)


class PackingService(service.Service):
    """
    Packs the database every C{interval} seconds, the first time one interval
    after start: packing reads the whole file, and a large world should not
    wait for it before it starts listening.
    """

    def __init__(self, interval: float, pack: Any, clock: Any) -> None:
        self.setName("packer")
        self.loop = LoopingCall(pack)
        self.loop.clock = clock
        self.interval = interval

    def startService(self) -> None:
        super().startService()
        self.loop.start(self.interval, now=False)

    def stopService(self) -> None:
        super().stopService()
        if self.loop.running:
            self.loop.stop()


def build_server(store: WorldStore, clock: Any, *, limits: Limits | None = None,
                 run_kdf: Callable[..., defer.Deferred] = run_inline,
                 kdf_cost: KdfCost = DEFAULT_COST,
                 shutdown: Callable[[], None] | None = None,
                 default_role: str = "player",
                 task_clock: Callable[[], float] | None = None,
                 cpu_time: Callable[[], float] | None = None) -> Server:
    """
    The L{Server} for C{store}, with every service it holds: the accounts
    (and their login portal), the scripts' runtime, their timers, and the
    command dispatcher handed to each new session.

    Registers the sandbox's deny-all checkers with zope.security (a
    process-wide registry; registering is idempotent).

    @param clock: an C{IReactorTime} (the reactor, or a C{task.Clock}).
    @param run_kdf: runs a password hash: called with a function and its
        arguments, returns a Deferred of its result.
    @param shutdown: stops the process (C{@shutdown}).
    @param default_role: the role of new accounts after the first.
    @param task_clock: seconds, for each script task's wall-clock budget
        (by default the monotonic clock less the garbage collector's pauses).
    @param cpu_time: seconds, for the server's time charged to owners (by
        default C{time.perf_counter} less the garbage collector's pauses).
    """
    limits = limits or Limits()
    install_checkers()
    accounts = AccountService(store, clock, limits=limits, run_kdf=run_kdf,
                              kdf_cost=kdf_cost, default_role=default_role)
    scripts = (ScriptRuntime(store, clock, task_clock=task_clock) if cpu_time is None
               else ScriptRuntime(store, clock, task_clock=task_clock, cpu_time=cpu_time))
    timers = TimerScheduler(store, scripts, clock, resume=script.resume_restarts)
    dispatcher = Dispatcher(TABLE)

    def new_session(server: Server, client: IClient,
                    welcome: Callable[[Session], Any] = WelcomeScreen) -> Session:
        return Session(server, client, dispatcher, welcome)

    return Server(store, clock, accounts=accounts, scripts=scripts, timers=timers,
                  new_session=new_session, limits=limits, shutdown=shutdown,
                  login_hooks=(mail.login, channels.login, script.login))


def makeService(options: Options | dict, reactor: Any = None) -> service.MultiService:
    """
    Build the whole server from C{options}: the world, its packer, the
    server and its services, and the telnet listener.

    @param reactor: the reactor to listen with; the global one if None.
    @raise world.store.StoreError: the database cannot be opened.
    """
    if reactor is None:
        # The global reactor only when asked for: importing this module must
        # not install one.
        from twisted.internet import reactor as _reactor

        reactor = _reactor
    top = service.MultiService()
    db = None if options["memory"] else options["db"]
    # The TLS and SSH doors load OpenSSL and conch: only when asked for (a server
    # without them stays smaller), and before the world opens (a bad key stops us).
    tls: Any = None
    if options.get("tls-port") is not None:
        from engine import tls as tls_door  # only with --tls-port (see above)

        tls = tls_door.server_options(options.get("tls-cert"), db)[0]
    key: Any = None
    if options.get("ssh-port") is not None:
        from engine import ssh as ssh_door  # only with --ssh-port (see above)

        key = ssh_door.host_key(options.get("ssh-key"), db)[0]
    prefix = options.get("nat64-prefix")
    # Before the world opens: the bans stored in it are read through it.
    use_nat64_prefix(parse_nat64_prefix(prefix) if prefix is not None else None)
    store = WorldStore(db, cache_size=options.get("cache-size", DEFAULT_CACHE_SIZE))
    if not options["sync-every-turn"]:
        # One fsync per reactor turn for all the turns committed in it (a
        # kill -9 still loses at most the turn in flight; see docs/reliability.md).
        store.sync_in_batches(lambda sync: reactor.callLater(0, sync))
    quotas = {limit: options[name] for name, limit in QUOTA_OPTIONS.items()
              if options.get(name) is not None}
    world = WorldService(store, options["content"], options["pack-days"], quotas,
                         default_content=DEFAULT_CONTENT, clock=reactor)
    world.setServiceParent(top)
    if options["pack-interval"] and not options["memory"]:
        packer = PackingService(options["pack-interval"], world.pack, reactor)
        packer.setServiceParent(top)

    def run_kdf(function: Any, *args: Any) -> defer.Deferred:
        # scrypt releases the GIL: hashing in a thread keeps the game moving.
        return threads.deferToThreadPool(reactor, reactor.getThreadPool(), function, *args)

    def shutdown() -> None:
        log.info("shutdown requested in game")
        reactor.callLater(0, reactor.stop)

    role = options.get("default-role", "player")
    server = build_server(store, reactor, limits=limits_from(options), run_kdf=run_kdf,
                          shutdown=shutdown, default_role=role if role in ROLES else "player")
    listener: TelnetListener
    secure: Any = None

    def ports() -> list[int]:
        return [listener.port] if listener.port is not None else []

    standard = mssp.status_provider(
        name="Tessera", players=lambda: len(server.playing()), ports=ports,
        started=reactor.seconds(), now=reactor.seconds)

    def provider() -> mssp.Variables:
        # MSSP's SSL names the TLS port (0: none).
        return {**standard(), "SSL": str(secure.port or 0) if secure is not None else "0"}

    factory = telnet_factory(server, provider)
    # A deep accept queue: a burst of connections (a reconnect storm after a
    # restart) must not be dropped by the kernel before we can answer them.
    listener = TelnetListener(options["port"], factory, interface=options["interface"],
                              backlog=min(max(server.limits.max_sessions, 50), 1024),
                              reactor=reactor)
    listener.setName("telnet")
    if tls is not None:
        # The same factory: TLS connections are telnet connections, counted with them.
        secure = tls_door.TLSListener(options["tls-port"], factory, tls,
                                      interface=options["interface"],
                                      backlog=min(max(server.limits.max_sessions, 50), 1024),
                                      reactor=reactor)
        secure.setName("tls")
    doors: list[Any] = [factory]
    web = None
    if options.get("web-port") is not None:
        pages = web_factory(server, web_limits(options), telnet=factory)
        doors.append(pages)
        web = WebListener(options["web-port"], pages,
                          interface=options.get("web-interface") or options["interface"],
                          backlog=min(max(server.limits.max_sessions, 50), 1024),
                          reactor=reactor)
        web.setName("web")
    SessionsService(server, reactor,
                    lambda: sum(door.connections for door in doors)).setServiceParent(top)
    listener.setServiceParent(top)
    if key is not None:
        # One rate of new connections for the server, whichever door they knock at.
        shell = ssh_door.SSHFactory(server, key, arrivals=factory.arrivals)
        doors.append(shell)
        ssh = ssh_door.SSHListener(options["ssh-port"], shell, interface=options["interface"],
                                   backlog=min(max(server.limits.max_sessions, 50), 1024),
                                   reactor=reactor)
        ssh.setName("ssh")
        ssh.setServiceParent(top)
    if secure is not None:
        secure.setServiceParent(top)
    if web is not None:
        web.setServiceParent(top)
    return top
