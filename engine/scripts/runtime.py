# -*- test-case-name: tests.scripts.test_hostile,tests.scripts.test_rollback -*-
"""
Running scripts inside turns.

One L{ScriptRuntime} per server. It keeps one sandbox L{scripting.Domain}
per owner (while they have a module loaded) and one instantiated module per
(host, script version, room, grants): a module is loaded again when its host
moves to another room or its grants change, so that its endowments are never
stale. Module globals are a cache, not storage: scripts keep what must last
in C{state}. The modules kept are bounded by bytes, per owner and across the
server (L{engine.scripts.modules}); a module the runtime forgets is freed.

Every handler run is one sandbox task inside the current store turn, within
C{acting(store, owner, now, charge)}, charged to the host's owner:

  - a B{verb} is the player's command: if it fails or runs out of budget the
    whole turn is rolled back (L{ScriptFailed});
  - an B{event handler} runs after the command that woke it, inside a
    savepoint: if it fails, everything it did is undone, the command and the
    other handlers stand, and the player and the owner are told;
  - a B{timer} handler is a turn of its own, rolled back whole on failure.

A script that fails L{SUSPEND_AFTER} times in a row through its owner's own
doing is suspended until its owner edits it; one that fails so often
through another player's doing refuses that player for a while
(L{engine.scripts.strikes}). What each owner spends (ticks, the server's time, messages
to players) is kept by L{engine.scripts.meters}: an owner over their share
rests, and what scripts send to players beyond the owner's output rate is
dropped and the owner told.
"""

from __future__ import annotations

import contextlib
import math
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from time import monotonic
from typing import Any

import attrs
from twisted.logger import Logger
from zope.security.proxy import Proxy

import scripting
from engine.colour import escape
from engine.scripts import fanout, marks
from engine.scripts import signatures as _signatures
from engine.scripts.libraries import (
    NOT_FOREIGN,
    Libraries,
    check_content_libraries,
    library_advice,
)
from engine.scripts.meters import (
    CPU_SECONDS,
    CPU_TICKS,
    CPU_WINDOW,
    OUTPUT_RATE,
    SERVER_SECONDS,
    WRITE_BYTES,
    Account,
    Meters,
    toward,
)
from engine.scripts.modules import Entry, ModuleCache, TooBig
from engine.scripts.strikes import REFUSE_SECONDS, SUSPEND_AFTER, Strikes
from scripting import charge as _charge
from scripting.clocks import pause_free
from scripting.facets import accounting as _accounting
from scripting.facets import channels as _channels
from scripting.facets import grants as _grants
from scripting.facets import holds as _holds
from scripting.facets import timers as _timers
from scripting.facets.adapters import facet
from scripting.facets.context import acting, current
from scripting.facets.errors import CrowdRefused, FacetError, QuotaExceeded
from scripting.facets.state import state_facet
from scripting.facets.timers import timers_facet
from world import rules
from world.errors import WorldError
from world.events import Event
from world.objects import Character, Thing
from world.scripts import (
    ScriptRecord,
    declared_functions,
    parent_of,
    remember_failure,
    script_of,
)

_log = Logger()

#: Objects the world itself (content and its scripts) may own.
WORLD_OBJECTS = 10_000
#: The prefix of verb functions.
VERB_PREFIX = "verb_"
#: The most characters of a script's failure its owner is told and the
#: server's log keeps (L{bounded}): a traceback through long lines, or many
#: problems, is cut in the middle.
MAX_ERROR_CHARS = 4000
#: The most timers with a wrong handler a failed load names one by one.
TIMERS_SAID = 5
#: The part of each owner's CPU share kept for their own timers (and for what
#: they do themselves: saving, building). What others can wake (handlers of
#: what is said or done near a script, verbs others use) rests once the rest
#: of the share is spent, so that no other player can keep an owner's timers
#: waiting by waking his handlers at each rest's end: one task (at most the
#: background budget, 50 000 ticks and a quarter second) cannot spend it.
#: Only his own timers use it: one set by a task another player woke is
#: marked (L{scripting.facets.timers.Timer.marked}) and rests with what
#: others wake, so that nobody spends it by having his scripts set timers.
OWN_RESERVE = 0.25
#: The part of what others may wake of an owner's scripts (his share but
#: L{OWN_RESERVE}) that one player's wakes may use (L{ScriptRuntime.rests_for}):
#: what she wakes of his scripts (his verbs she types, his handlers her
#: actions wake) is charged to him and to the pair (him, her)
#: (L{engine.scripts.meters.Meters.pair_resting}); past this part, only her
#: wakes of his scripts rest, and everyone else still uses his things. A
#: half: it takes more than two players together to spend what others may
#: wake, and one player keeps a thing busy for half of it.
PLAYER_PART = 0.5


def held_notice(meters: Meters, account: int | None, what: str | None = None) -> str:
    """
    What C{account} is told while it is held for the server's ceiling
    (L{Meters.held}): why, and for how long at most; C{what}, what else
    was refused (building commands).
    """
    until = meters.held_until(account)
    wait = max(1, math.ceil(until - meters.clock.seconds())) if until is not None else 1
    return (f"The server's scripts are busy ({meters.server_seconds():.1f} s of its time in "
            f"the last {CPU_WINDOW:g} seconds, past {SERVER_SECONDS:g} s), and you took more "
            f"than your part of it ({meters.caused(account):.2f} s, past "
            f"{meters.level():.2f} s): your scripts, and what you wake of others' and the "
            f"world's{'' if what is None else ', and ' + what}, rest for now; try again within "
            f"{wait} seconds. (@quota)")


class ScriptFailed(WorldError):
    """
    A script failed or ran out of budget in a player's command: the whole
    turn is rolled back and the message shown: with the script's lines to
    its owner, without them to anyone else (L{for_reader}).

    @ivar host_id: the scripted object.
    @ivar owner: its owner's id (None: the world).
    @ivar error: the sandbox's error text.
    @ivar brief: the message without the script's lines.
    """

    def __init__(self, message: str, host_id: int, owner: int | None, error: str,
                 brief: str | None = None) -> None:
        super().__init__(message)
        self.host_id = host_id
        self.owner = owner
        self.error = error
        self.brief = brief if brief is not None else message

    def for_reader(self, reader: int | None) -> str:
        """
        What C{reader} is shown: the whole message if they own the script,
        else only that it failed (a script's source and errors are its
        owner's).
        """
        return str(self) if reader is not None and reader == self.owner else self.brief


class _LoadFailed(Exception):
    def __init__(self, result: scripting.TaskResult) -> None:
        super().__init__(result.error)
        self.result = result


def domain_name(owner: int | None) -> str:
    """
    The sandbox domain's name for C{owner}.
    """
    return "world" if owner is None else f"#{owner}"


def arguments(host: Thing, values: Iterable[Any]) -> tuple:
    """
    What a handler receives for C{values}: characters as their interact facet
    speaking as C{host}, other world objects as view facets, plain values as
    they are.

    @raise QuotaExceeded: C{host}'s owner cannot pay for holding a character
        (L{scripting.facets.holds}).
    """
    out = []
    for value in values:
        if type(value) is Proxy:  # a facet already (never ask it anything: it may be dead)
            out.append(value)
        elif isinstance(value, Character):
            out.append(facet(value, "interact", voice=host))
        elif isinstance(value, Thing):
            out.append(facet(value, "view", voice=host))
        else:
            out.append(value)
    return tuple(out)


def describe_failure(name: str, result: scripting.TaskResult, *, details: bool = True) -> str:
    """
    The message for a failed run of the script on the object called C{name}
    (before the run): what failed, and (with C{details}, for its owner) the
    script's own lines.
    """
    what = "ran out of budget" if result.aborted else "failed"
    if not details:
        return (f"The script on {name} {what}, so nothing it did happened. (Its owner has "
                "been told why.)")
    detail = str(result.error or result.aborted or "no details")
    # The details hold the script's own text (its exception's message): show
    # every line of them indented under the header, control characters made
    # spaces, so that they cannot pass for a line of the game's own (another
    # player speaking) in the output of whoever's command woke the script.
    # Colour markup in them (a quoted line of the script) is shown as typed.
    lines = ("  " + escape("".join(" " if unicodedata.category(ch)[0] == "C" else ch
                                   for ch in line))
             for line in detail.splitlines())
    hint = _TICKS_HINT if result.aborted == "ran out of ticks" else ""
    return (f"The script on {name} {what}, so nothing it did happened.\n" + "\n".join(lines)
            + hint)


#: What running out of ticks most often means, for the script's owner (the
#: runtime's budgets: L{ScriptRuntime.foreground} for a verb, the smaller
#: L{ScriptRuntime.background} for the rest).
_TICKS_HINT = (f"\nA loop that never ends? A verb may run {scripting.Budget().ticks:,} ticks, "
               f"a timer or handler {scripting.Budget.background().ticks:,}.")


def _pocketed(host: Thing) -> bool:
    """
    Whether C{host} rides in the holdings of a character whom the task now
    running does not act for (L{world.rules.pocketed}).
    """
    acting = current()
    return rules.pocketed(host, rules.Agent(owner=acting.owner, person=acting.person,
                                            acted_on=acting.acted_on),
                          acting.actor)


#: No payer named: a task is charged to its host's owner (who may be None,
#: the world).
NOBODY: Any = object()


def blamed(owner: int | None, actor: int | None, payer: Any = NOBODY) -> int | None:
    """
    The player whose doing a run of C{owner}'s script is, if not its
    owner's: C{actor} (he typed the verb, his action woke the handler), or
    else C{payer}, the owner of another script whose move woke it; None if
    it is the owner's own (his command, his timers, what they woke) or the
    world's.
    """
    if actor is not None and actor != owner:
        return actor
    if payer is not NOBODY and payer is not None and payer != owner:
        return int(payer)
    return None


def _handler_misfit(module: scripting.ScriptModule, name: str) -> str | None:
    """
    What is wrong with C{name} as the handler of a timer C{module}'s script
    sets, in a sentence, or None: it has no public function C{name}, or one
    that could not take the timer's data. Only the function's code is read
    (L{scripting.ScriptModule.parameters}).
    """
    parameters = module.parameters(name)
    if parameters is None:
        return (f"{name!r} is not a function of this script, so a timer cannot call it: "
                f"def {name}(data)")
    return _signatures.timer_misfit(name, parameters)


class _HandlerCheck:
    """
    The check of the functions a task's script names as its timers'
    handlers (L{scripting.facets.context.Acting.check_handler}): said when
    the timer is set, rather than when it fires. A timer set once the
    module has run its top level is refused then (and not kept); the timers
    its top level set and left pending (its functions may come later in its
    text) are checked as soon as the top level has run (L{loaded}), and the
    load fails. Only timers set are looked at, not every name the top level
    said (one the quota refused, or it cancelled, is not there to fail): at
    most the owner's timer quota.
    """

    def __init__(self, root: Any, host: Thing) -> None:
        self.module: scripting.ScriptModule | None = None
        self.root = root
        self.host = host
        #: The id the first timer set from now on gets.
        self.first = _timers.registry(root).next_id
        #: Whether the top level set a timer.
        self.named = False

    def __call__(self, name: str) -> None:
        """
        Check C{name}, named as the handler of a timer just set.

        @raise FacetError: it could not be called (L{_handler_misfit}).
        """
        if self.module is None:
            self.named = True  # its top level is running: checked when it has run
            return
        said = _handler_misfit(self.module, name)
        if said is not None:
            raise FacetError(said)

    def loaded(self, module: scripting.ScriptModule,
               checked: frozenset[str] = frozenset()) -> list[str]:
        """
        C{module} has run its top level: check the handlers of the timers
        it set and left pending (but C{checked}), and every one named from
        now on when it is named.

        @return: what is wrong with them, each in a sentence (the first
            L{TIMERS_SAID}, then how many more); empty if nothing is.
        """
        self.module = module
        if not self.named:
            return []
        self.named = False
        found: list[str] = []
        seen: set[str] = set()
        more = 0
        for timer in _timers.timers_on(self.root, self.host):
            if timer.id < self.first or timer.handler in checked:
                continue
            if timer.handler in seen:
                continue
            seen.add(timer.handler)
            said = _handler_misfit(module, timer.handler)
            if said is None:
                continue
            if len(found) < TIMERS_SAID:
                found.append(f"its top level sets a timer: {said}")
            else:
                more += 1
        if more:
            found.append(f"and {more} more timers its top level sets cannot call their "
                         "handlers")
        return found


def bounded(text: str) -> str:
    """
    C{text}, a script's failure (a traceback, a load's problems), as its
    owner is told it and the server's log keeps it: at most
    L{MAX_ERROR_CHARS} of it, its start and its end (where the error is),
    saying how much was cut between.
    """
    if len(text) <= MAX_ERROR_CHARS:
        return text
    half = MAX_ERROR_CHARS // 2
    return (f"{text[:half]}\n... ({len(text) - 2 * half} characters not shown) ...\n"
            f"{text[-half:]}")


def whose_script(host: Thing) -> str:
    """
    C{host} as a notice about the script it runs names it: C{"kid"}, or
    C{"kid (top's)"} while it runs the script of top (C{@script/use}), so
    its owner knows which script to edit.
    """
    parent = parent_of(host)
    return host.name if parent is None else f"{host.name} ({parent.name}'s)"


def suspension_advice(host: Thing, record: ScriptRecord, root: Any = None) -> str:
    """
    What C{host}'s owner types about its suspended script C{record}, on
    the thing whose script it is if C{host} runs another's: given the
    world's C{root}, about a library it imports that holds it back
    (L{library_advice}: fix it, then restart the script); else edit it or
    restart it as it is, if it failed too often; else fix it.
    """
    edited = (parent_of(host) or host).name
    if root is not None:
        said = library_advice(root, host.owner, record.source, record.suspended,
                              record.failures >= SUSPEND_AFTER, edited)
        if said is not None:
            return said
    if record.failures >= SUSPEND_AFTER:
        return f"edit it (@script {edited}) or restart it (@script/restart {edited})"
    return f"fix it (@script {edited})"


def refused_notice(host: Thing, wait: float, owner_wide: bool = False) -> str:
    """
    What a player is told whose verb of C{host} its script refuses, for
    the failures he caused (L{ScriptRuntime.refuses}),
    for C{wait} seconds more; C{owner_wide}: every script of its owner's
    does (L{Strikes.owner_wide}).
    """
    minutes = max(1, math.ceil(wait / 60))
    if owner_wide:
        return (f"The script on {whose_script(host)} is not answering you for now: so many "
                f"of its owner's scripts failed {SUSPEND_AFTER} times for you lately that "
                "none of them answers you (its owner has been told). Try again in "
                f"{minutes} minute{'s' if minutes != 1 else ''}.")
    return (f"The script on {whose_script(host)} is not answering you for now: it failed "
            f"{SUSPEND_AFTER} times for you lately (its owner has been told). Try again in "
            f"{minutes} minute{'s' if minutes != 1 else ''}.")


def _whose(root: Any, owner: int | None) -> str:
    """
    C{owner} as the owner of scripts: C{"Bob's"}, C{"the world's"}.
    """
    if owner is None:
        return "the world's"
    found = root.get(owner)
    return f"{found.name}'s" if isinstance(found, Character) else "their owner's"


class ScriptRuntime:
    """
    Domains, modules, and running handlers for one server.

    @ivar store: the L{world.store.WorldStore}.
    @ivar clock: an C{IReactorTime}: the turn's time for timers and limits.
    @ivar meters: what each owner spent lately (L{Meters}).
    @ivar modules: the instantiated modules kept, bounded by bytes per owner
        and across the server (L{ModuleCache}).
    @ivar wake: called after a turn that ran scripts (they may have set
        timers); the timer scheduler sets it.
    """

    def __init__(self, store: Any, clock: Any, *,
                 foreground: scripting.Budget | None = None,
                 background: scripting.Budget | None = None,
                 cpu_time: Callable[[], float] | None = None,
                 task_clock: Callable[[], float] | None = None) -> None:
        self.store = store
        self.clock = clock
        #: Seconds, for each task's wall-clock budget: by default the
        #: monotonic clock less the garbage collector's pauses (the harness
        #: reads the thread's CPU time, so a loaded machine cannot fail a test).
        self.task_clock = task_clock or pause_free(monotonic)
        #: cpu_time reads the server's own elapsed time, to charge owners for
        #: the real time their scripts take (injected in tests): by default
        #: the performance counter less the garbage collector's pauses
        #: (L{Meters}), which no owner's doing is.
        self.meters = Meters(clock, cpu_time)
        #: Each owner's scripts' clock (L{_clock}).
        self.clocks: dict[int | None, scripting.Clock] = {}
        self.foreground = foreground or scripting.Budget()
        self.background = background or scripting.Budget.background()
        self.domains: dict[int | None, scripting.Domain] = {}
        store.committed.append(self.charge_commit)
        store.committed.append(self.forget_destroyed)
        # Commits are timed by the same reader of the server's time.
        store.timer = lambda: self.meters.cpu_time()
        self.modules = ModuleCache(on_drop=self._dropped, owner_limit=self._memory_limit)
        #: Hosts whose last call was refused before their script ran (their
        #: owner could not pay to hold a character): not a failure of theirs.
        self._refused: set[int] = set()
        #: Host id → the dead cell its last call failed through, killed by
        #: someone else: its first such failure is excused (L{failed}).
        self._lost: dict[int, Any] = {}
        #: hosts whose owner was told their script failed through a facet
        #: someone else killed (excused), since it last ran well (told once,
        #: not at every look of a flood)
        self._lost_told: set[int] = set()
        #: Host id → the owner of another's library its last call failed
        #: to import (None: the world's): counted toward him (L{failed}).
        self._foreign: dict[int, int | None] = {}
        #: Failures other players caused, by script and player (L{failed}).
        self.strikes = Strikes(clock)
        #: Players' libraries: what scripts' imports find (L{Libraries}).
        self.libraries = Libraries(store)
        self.wake: Callable[[], None] = lambda: None
        #: The text and syntax tree the last trial parsed (L{parsed}).
        self._parsed: tuple[str, Any] | None = None

    # -- domains and modules -------------------------------------------------

    def domain(self, owner: int | None) -> scripting.Domain:
        """
        C{owner}'s domain (made once, then kept).
        """
        found = self.domains.get(owner)
        if found is None:
            found = self.domains[owner] = scripting.Domain(
                domain_name(owner), clock=self.task_clock,
                resolver=self.libraries.resolver(owner))
        return found

    def endowments(self, root: Any, host: Thing) -> dict[str, Any]:
        """
        What C{host}'s script starts with: C{this} (control of the host),
        C{here} (its room, speaking as the host), C{state}, C{timers},
        C{grants} (name → facet) and C{clock}. A host in the pocket of
        someone it does not act for (L{world.rules.pocketed}) has no
        C{here}: it would say where they are.

        @raise QuotaExceeded: the host's owner cannot pay for holding a
            character granted to it (L{scripting.facets.holds}).
        """
        room = None if _pocketed(host) else host.room()
        given = _grants.granted_facets(root, host)
        for name, channel in _channels.channel_facets(root, host,
                                                      marks.origin_of(root, host)).items():
            given.setdefault(name, channel)
        for name, (role, cid) in sorted((getattr(host, "content_grants", None) or {}).items()):
            target = root.by_content(cid)
            if target is not None and target.owner is None and host.owner is None:
                given.setdefault(name, facet(target, role, voice=host, root=root))
        return {
            "this": facet(host, "control", voice=host),
            "here": facet(room, "interact", voice=host) if room is not None else None,
            "state": state_facet(host),
            "timers": timers_facet(host),
            "grants": given,
            "clock": self._clock(host.owner),
        }

    def _clock(self, owner: int | None) -> scripting.Clock:
        """
        C{owner}'s scripts' clock: C{clock.now()} is the server's time (from
        the injected clock) in whole seconds. One per owner, so that not even
        a clock is shared between domains.
        """
        found = self.clocks.get(owner)
        if found is None:
            found = self.clocks[owner] = scripting.Clock(self.clock.seconds, 1.0)
        return found

    def _key(self, root: Any, host: Thing, record: ScriptRecord) -> tuple:
        room = None if _pocketed(host) else host.room()
        grant_ids = tuple(sorted(g.id for g in _grants.grants_on(root, host)))
        return (host.owner, host.id, record.version, room.id if room is not None else None,
                grant_ids)

    def library_changed(self, owner: int | None, name: str, *, saved: bool = False,
                        grantee: int | None = None, refused: bool = False) -> None:
        """
        C{owner}'s library C{name} was saved (C{saved}), unshared with
        C{grantee} (by its owner, or C{refused} by the grantee) or removed:
        forget the modules that imported it and must load again (after a
        save, another owner's at most once every
        L{engine.scripts.libraries.RELOAD_SPACING} seconds; after an
        unshare, only the grantee's: see
        L{engine.scripts.libraries.Libraries.changed}).
        """
        turn = self.store.current_turn
        exists = (lambda host: turn.root.get(host) is not None) if turn is not None else None
        forget = self.libraries.changed(owner, name, self.clock.seconds(), saved=saved,
                                        grantee=grantee, refused=refused, exists=exists)
        for host_id in forget:
            self.forget(host_id)

    def share_wait(self, owner: int | None, grantee: int) -> float:
        """
        The seconds until C{owner} may share a library with C{grantee} again
        (L{engine.scripts.libraries.Libraries.share_wait}); 0: now.
        """
        return self.libraries.share_wait(owner, grantee, self.clock.seconds())

    def forget(self, host_id: int) -> None:
        """
        Drop every cached module of C{host_id} (after its script changed, or
        a turn it ran in was rolled back: its globals may hold what never
        happened), and free them.
        """
        self.modules.forget_host(host_id)
        self.libraries.forgotten(host_id)

    def forget_destroyed(self, turn: Any) -> None:
        """
        Forget the modules of the objects destroyed in C{turn} (just
        committed) and what is kept for their imports, at once: nothing
        runs them again, and a destroyed object's memory is let go of
        before the server needs the room.
        """
        for host_id in turn.destroyed:
            self.forget(host_id)

    def _memory_limit(self, owner: int | None) -> int | None:
        """
        The bytes C{owner}'s loaded modules may hold, if a wizard chose
        (C{@quota <player> = memory <bytes>}); read in the turn running.
        """
        turn = self.store.current_turn
        return _accounting.tuned_limit(turn.root, owner, "memory") if turn is not None else None

    def _dropped(self, entry: Entry) -> None:
        if entry.host is not None and not self.modules.keeps_host(entry.host):
            self.libraries.forgotten(entry.host)  # (its imports are recorded when it loads)
        self._tidy(entry.owner)

    def _tidy(self, owner: int | None) -> None:
        """
        Let go of C{owner}'s domain if none of their modules is kept.
        """
        if owner not in self.modules.owners():
            self.domains.pop(owner, None)

    def _module(self, turn: Any, host: Thing, record: ScriptRecord, output: list,
                payer: int | None,
                check: _HandlerCheck | None = None,
                waker: int | None = None,
                account: Account | None = None) -> tuple[tuple, scripting.ScriptModule]:
        """
        C{host}'s loaded module, loaded now if it is not (its time and ticks
        charged to C{payer}, who pays for the task that needs it: L{call};
        and to the pair C{(payer, waker)}, if another player woke it;
        C{account}: whose doing it is for the server's ceiling, L{toward}).
        Loading it fails if its top level set a timer that could not call
        its handler (C{check}, the task's L{_HandlerCheck}).
        """
        key = self._key(turn.root, host, record)
        if self.libraries.due(host.id, self.clock.seconds()):
            self.forget(host.id)  # a new version of another's library it imports
        module = self.modules.get(key)
        if module is not None:
            return key, module
        self.forget(host.id)
        try:
            with self.meters.timing(payer, waker, account):
                module = self.domain(host.owner).load(
                    record.source, name=f"{host.name}#{host.id}",
                    endowments=self.endowments(turn.root, host),
                    budget=self.background, output=output)
        except scripting.ScriptError as e:
            raise _LoadFailed(scripting.TaskResult(ok=False, error=e.text)) from None
        except QuotaExceeded as e:  # a character granted it, that its owner cannot hold
            # Counted only if its owner overspent: not if the players around
            # it were handed all the holds he may make this turn.
            raise _LoadFailed(scripting.TaskResult(
                ok=False, error=str(e), crowded=isinstance(e, CrowdRefused))) from None
        self._spent(turn, payer, module.result.ticks, waker, account)
        wrong = check.loaded(module) if check is not None and module.result.ok else []
        if not module.result.ok or wrong:
            module.domain.unload(module)
            self._tidy(host.owner)
            raise _LoadFailed(module.result if not wrong else scripting.TaskResult(
                ok=False, error="; ".join(wrong), ticks=module.result.ticks))
        try:
            self.modules.put(key, host.owner, module, host=host.id)
        except TooBig as e:
            self._tidy(host.owner)
            error = f"{module.name}: it cannot stay loaded: {e}"
            raise _LoadFailed(scripting.TaskResult(ok=False, error=error,
                                                   ticks=module.result.ticks)) from None
        return key, module

    # -- saving ---------------------------------------------------------------

    def analyse(self, turn: Any, host: Thing, source: str) -> tuple[list[str], tuple[str, ...]]:
        """
        Check C{source} as C{host}'s script and run its top level once (in a
        savepoint: whatever the top level does is undone), charging the
        host's owner for all of it: the server's time checking, compiling
        and running take, and the ticks the top level uses.

        @return: the problems (each naming its line; empty if it is fine) and
            the public functions it defines.
        @raise engine.scripts.signatures.WrongArguments: it compiles and runs,
            but verbs or handlers of it could not take their calls, or its
            top level set a timer that could not call its handler (it is
            charged all the same).
        """
        problems, functions, failure = self._trial(turn, host, source)
        if failure is not None and failure.crowded:
            raise WorldError(f"{failure.error} Nothing was saved; try again in a moment.")
        return problems, functions

    def _trial(self, turn: Any, host: Thing, source: str
               ) -> tuple[list[str], tuple[str, ...], scripting.TaskResult | None]:
        """
        L{analyse}, with the failed run of the top level if that is what
        the problems are (for L{functions} to ask whether it is excused).
        """
        owner = host.owner
        point = turn.savepoint()
        output: list = []
        check = _HandlerCheck(turn.root, host)
        try:
            with self.meters.timing(owner), \
                    acting(self.store, owner, self.clock.seconds(), _charge.ticks,
                           host=host.id, check_handler=check):
                module = self.domain(owner).load(
                    source, name=f"{host.name}#{host.id}",
                    endowments=self.endowments(turn.root, host),
                    budget=self.background, output=output)
                functions = tuple(module.functions())
                wrong = []
                if module.result.ok:
                    tree = _signatures.parse(source)  # once, for every check (L{parsed})
                    self._parsed = (source, tree)
                    wrong = _signatures.misfits(module, functions, tree)
                    # (a function named so in its text was checked just now)
                    wrong += check.loaded(module, _signatures.timer_handlers(tree)
                                          & frozenset(functions))
        except scripting.ScriptError as e:
            point.rollback()
            self._tidy(owner)
            return [str(v) for v in e.violations], (), None
        except QuotaExceeded as e:  # a character granted it, that its owner cannot hold
            point.rollback()
            self._tidy(owner)
            # The crowd's doing is no problem of the script's (L{functions}
            # leaves it unchecked; a save is refused, to try again).
            crowd = isinstance(e, CrowdRefused)
            return [str(e)], (), scripting.TaskResult(ok=False, error=str(e),
                                                      crowded=True) if crowd else None
        point.rollback()
        self._spent(turn, owner, module.result.ticks)
        self.forget(host.id)
        module.domain.unload(module)  # a trial: nothing of it is kept
        self._tidy(owner)
        if not module.result.ok:
            return ([f"the top level failed when run:\n{bounded(module.result.error or '')}"],
                    (), module.result)
        if wrong:
            raise _signatures.WrongArguments(wrong)
        return [], functions, None

    def parsed(self, source: str) -> Any:
        """
        C{source}'s syntax tree (None if it does not parse), for the checks
        a save makes after L{analyse}: the one its trial parsed, if that
        was of this very text (let go of now), else parsed now.
        """
        found, self._parsed = self._parsed, None
        if found is not None and found[0] is source:
            return found[1]
        return _signatures.parse(source)

    def analyse_library(self, turn: Any, owner: int | None, name: str,
                        source: str) -> tuple[list[str], tuple[str, ...]]:
        """
        Check C{source} as C{owner}'s library C{name} and run its top level
        once in their domain (charged to them; in a savepoint, though a
        library holds nothing it could change the world with).

        @return: the problems (each naming its line; empty if it is fine) and
            the names it exports.
        """
        with self.meters.timing(owner):  # what the check takes is the owner's
            violations = scripting.check(source)
        if violations:
            return [str(v) for v in violations], ()
        point = turn.savepoint()
        domain = self.domain(owner)
        try:
            with self.meters.timing(owner):
                module = domain.load(source, name=name, endowments={},
                                     budget=self.background, output=[])
        except scripting.ScriptError as e:
            point.rollback()
            self._tidy(owner)
            return [str(v) for v in e.violations], ()
        point.rollback()
        self._spent(turn, owner, module.result.ticks)
        try:
            if not module.result.ok:
                return [f"the top level failed when run:\n{bounded(module.result.error or '')}"], ()
            try:
                exports = tuple(module.exports().names())
            except (TypeError, ValueError) as e:
                return [str(e)], ()
            if not exports:
                return ["it exports nothing: list the names it shares, e.g. "
                        "exports = (\"hello\",)"], ()
            return [], exports
        finally:
            domain.unload(module)  # a trial: nothing of it is kept
            self._tidy(owner)

    def may_save(self, turn: Any, host: Thing) -> None:
        """
        Refuse to save a script on C{host} while its owner's scripts rest:
        saving checks, compiles and runs it, at the owner's cost.

        @raise WorldError: they rest; the message says until when.
        """
        self.may_analyse(turn, host.owner, f"The scripts of {host.name}'s owner")

    def may_analyse(self, turn: Any, owner: int | None, whose: str = "Your scripts") -> None:
        """
        Refuse to check, compile or try out a script or library of
        C{owner}'s (a save, the editor's check) while their scripts rest.

        @raise WorldError: they rest; the message says until when.
        """
        if self.resting(owner, turn.root, own=True):
            raise WorldError(
                f"{whose} have used their share of the server's time (saving or checking "
                f"a script compiles and runs it); try again within {CPU_WINDOW:g} seconds. "
                "Nothing was saved. (@quota shows the share.)")
        if self.meters.held(owner):  # (held for the server's ceiling: L{Meters.held})
            raise WorldError(held_notice(self.meters, owner, "saving and checking scripts")
                             + " Nothing was saved.")

    def saved(self, turn: Any, host: Thing) -> None:
        """
        C{host}'s script was just saved anew (a new version): it refuses
        nobody its old version refused, and the timers that waited for
        those refusals are due now (L{release_timers}).
        """
        self.strikes.forgive(host.id)
        self.release_timers(turn)

    def release_timers(self, turn: Any) -> None:
        """
        Make due now, in C{turn}, the timers that waited for refusals gone
        before their end (L{Strikes.released}: the script saved anew, or
        room made for others), rather than until the end they were put
        off to; the scheduler looks again once C{turn} is committed.
        """
        ids = self.strikes.released()
        if not ids:
            return
        reg = _timers.registry(turn.root)
        now = self.clock.seconds()
        for timer_id, player in ids:
            timer = reg.live.get(timer_id) if reg is not None else None
            if (timer is not None and timer.cause == player and timer.parked_on is None
                    and timer.due > now):
                _timers.postpone(turn.root, timer, now)
        turn.after_commit.append(self.wake)

    def attach(self, turn: Any, host: Thing, actor: Thing | None = None) -> None:
        """
        Start C{host}'s newly saved script: cancel the timers its previous
        version set, then run its C{on_attach()} if it has one (in a
        savepoint, like any event handler).
        """
        _timers.forget_host(turn.root, host)
        self.forget(host.id)
        self.strikes.forgive((parent_of(host) or host).id)  # (started afresh: for everyone)
        self.release_timers(turn)
        record = script_of(host)
        if record is not None:
            record.attached = True
        self.react(turn, host, "on_attach", (), actor=actor)

    def attach_content(self) -> int:
        """
        Check the scripts builder content attached since the last start (the
        world stores them unchecked and lists them in C{root.pending_scripts})
        and start each; how many.
        """
        started = 0
        with self.store.turn() as turn:
            if _accounting.registry_missing(turn.root):
                # A world from before object counting: count what each owner owns once.
                _accounting.recount_objects(turn.root)
                # The world's own (content) scripts make things for everyone.
                _accounting.set_quota(turn.root, None, objects=WORLD_OBJECTS)
            elif turn.root.recount_objects:
                # A world from before building commands counted what they made.
                _accounting.recount_objects(turn.root)
            if turn.root.recount_objects:
                turn.root.recount_objects = False
            if turn.root.recount_holds:
                # A world from before every hold was charged and counted.
                _holds.count_stored(turn.root, turn.root.all())
                turn.root.recount_holds = False
            if turn.root.refunds_due:
                # Stored bytes an upgrade of the world found due back.
                _accounting.settle_refunds(turn.root)
            if turn.root.recount_channels:
                # A world from before every channel's history was charged.
                _channels.charge_stored(turn.root)
                turn.root.recount_channels = False
            for name, problem in check_content_libraries(self, turn):
                _log.warn("content library {name} cannot be imported: {why}", name=name,
                          why=problem)
            pending = turn.root.pending_scripts
            if pending:
                turn.root.pending_scripts = ()
            for obj in filter(None, map(turn.root.get, dict.fromkeys(pending))):
                record = script_of(obj)
                if record is None or record.functions is not None:
                    continue
                self.functions(turn, obj, record)
                if record.suspended is None:
                    self.attach(turn, obj)
                    started += 1
                else:
                    _log.warn("content script on #{id} does not run: {why}", id=obj.id,
                              why=record.suspended)
        return started

    # -- running -------------------------------------------------------------

    def handles(self, turn: Any, host: Thing, function: str) -> bool:
        """
        Whether C{host} has a runnable script defining C{function}.
        """
        record = script_of(host)
        if record is None or record.suspended is not None:
            return False
        return function in self.functions(turn, host, record)

    def functions(self, turn: Any, host: Thing, record: ScriptRecord) -> tuple[str, ...]:
        """
        The functions C{record} defines (found once for scripts that came
        from content files, which the world stores unanalysed). A top level
        failing there in a way the rules excuse (L{_note_excuse}: refused a
        crowd around the host, say) leaves the script unchecked, to be
        checked at its next use, never suspended: players standing by a
        thing at its first use could otherwise suspend it. Its declared
        functions stand for it meanwhile (a call loads it, and is told why
        it fails, as a loaded script's would be).
        """
        if record.functions is None:
            why = "it does not compile: "
            failure = None
            try:
                problems, functions, failure = self._trial(turn, host, record.source)
            except _signatures.WrongArguments as e:
                why, problems, functions = "", e.problems, ()
            if failure is not None:
                self._note_excuse(host, failure)
                if self._excused(host):
                    return declared_functions(record.source)
            record.functions = functions
            if problems:
                record.suspended = why + "; ".join(problems)[:500]
                # Its verbs then say the script has problems (not "Huh?").
                record.functions = declared_functions(record.source)
        return record.functions or ()

    def call(self, turn: Any, host: Thing, function: str, args: Iterable[Any], *,
             foreground: bool = False, audience: int | None = None,
             actor: int | None = None, acted_on: frozenset[int] | None = None,
             wakes: bool = True, payer: Any = NOBODY,
             timer: bool = False, own: bool | None = None,
             blame: int | None = None) -> scripting.TaskResult | None:
        """
        Run C{function} of C{host}'s script with C{args} (world objects
        become facets) in a task inside C{turn}, charged to the host's owner
        (or to C{payer}).

        @param audience: who reads what the script prints (default: the owner).
        @param actor: the character whose action woke a handler, if any.
        @param acted_on: for a verb (C{foreground}), the ids of what the
            player acted on: the things they named. The verb runs at their
            request (L{world.rules.Agent}: consent to change what they
            carry) only if C{host} is one of them, and then for those
            things only; a verb of something they did not name (the room's,
            answering a common word) runs on its owner's authority alone.
        @param wakes: whether the task's moves wake handlers (L{_run_woken});
            false for a handler a script's move woke.
        @param payer: the owner charged for the task's ticks and time (and
            for loading the host's module, if it is not loaded), if not the
            host's: the owner of the script whose move woke this handler
            (L{_run_woken}). It runs only while the payer is not resting,
            nor what the player whose doing it is (C{actor}, if not the
            payer) wakes of the payer's scripts (L{rests_for}: charged to
            the pair too); nor if it refuses that player (L{refuses}).
        @param timer: it is a timer of the host's firing: if it is the
            owner's own (C{own}), it may use his whole share, L{OWN_RESERVE}
            included (L{resting}).
        @param own: whether the task is the host's owner's own doing: his
            unmarked timer (L{_timers.Timer.marked}), or a handler his own
            task woke (L{_run_woken}); None: it is if C{actor} is the owner
            (his command, or a handler his action woke). Never if another
            owner pays. The timers the task sets are marked unless it is
            (L{scripting.facets.context.Acting.own}), and so are those the
            handlers it wakes set.
        @param blame: the player whose doing the task is if neither
            C{actor} nor C{payer} says so: the one whose doing set the
            timer it runs (L{_timers.Timer.cause}), or woke the task whose
            move woke this handler. Like an actor's, the run is refused
            while the script refuses her (L{refuses}), counted toward her
            if it fails (L{failed}) and charged to the owner with her
            (L{rests_for}); and the timers the task (and the handlers it
            wakes) set are hers (L{scripting.facets.context.Acting.cause}).
        @return: the task's result, or None if the host has no runnable
            script defining C{function}.
        """
        if not self.handles(turn, host, function):
            return None
        owner = host.owner
        if payer is NOBODY:
            payer = owner
        if foreground and actor is None:
            actor = audience
        if own is None:
            own = actor is not None and actor == owner
        own = own and payer == owner
        if self.resting(owner, turn.root, own=timer and own):
            self.tell_resting(turn, owner)
            return None
        record = script_of(host)
        assert record is not None
        if payer != owner and self.resting(payer, turn.root):
            return None  # the mover has spent its share: what it would wake sleeps
        cause = blamed(owner, actor, payer)
        if cause is None and blame is not None and blame != owner:
            cause = blame
        if cause is not None and self.refuses(host, cause) is not None:
            if actor is not None:
                self._tell_refused(turn, host, cause)
            else:  # (a timer hers: its owner was told, when it began to refuse her)
                _log.info("timer of #{host} (owner {owner}) not run: it refuses #{player}",
                          host=host.id, owner=owner, player=cause)
            return None
        # What another player wakes is charged to the payer and to the pair
        # (payer, player): past his part, only his wakes of it rest.
        waker = actor if actor is not None and actor != payer else None
        if waker is None and actor is None and blame is not None and blame != payer:
            waker = blame  # (a timer her doing set, or what it woke)
        if waker is not None and self.rests_for(payer, waker, turn.root):
            self.tell_resting_for(turn, payer, waker)
            return None
        # Held for the server's ceiling: whose doing it is (a verb of a thing
        # she named is hers; a room's verb answering a word that named
        # nothing, its owner's, as for consent: she did not choose his
        # script). Nor while she is held for her own doings: what her actions
        # wake of others' scripts is theirs, but she may not go on waking it.
        chosen = foreground and acted_on is not None and host.id in acted_on
        ceiling = toward(payer, waker, chosen, owner)
        if self.meters.held(*ceiling):
            if ceiling[1]:
                self.tell_held(turn, ceiling[0])
            return None
        if waker is not None and waker != ceiling[0] and self.meters.held(waker):
            self.tell_held(turn, waker)
            return None
        mark = len(turn.events)
        self._refused.discard(host.id)  # only this call's refusal is not a failure
        self._lost.pop(host.id, None)  # nor blame on any but this call's dead facet
        self._foreign.pop(host.id, None)  # nor on any but this call's library
        self.libraries.foreign = None
        origin = marks.origin_of(turn.root, host)
        output: list = []
        turn.after_abort.append(lambda hid=host.id: self.forget(hid))
        # A verb of a thing the player named runs at their request (world.rules
        # consent), for what they named; what it imports is remembered as its
        # own (to load again when a library changes).
        named = frozenset(acted_on or ())
        person = audience if foreground and host.id in named else None
        check = _HandlerCheck(turn.root, host)
        with self.libraries.importing(host.id), \
                acting(self.store, owner, self.clock.seconds(), _charge.ticks, person=person,
                       actor=actor, acted_on=named, host=host.id, check_handler=check,
                       own=own, cause=cause) as task:
            try:
                key, module = self._module(turn, host, record, output, payer, check, waker,
                                           ceiling)
            except _LoadFailed as e:
                result = e.result  # its ticks were counted by _module
            else:
                check.loaded(module)  # (loaded before: its top level did not run now)
                try:
                    # Handing it a character costs its owner a hold: pay or be refused.
                    given = arguments(host, args)
                except QuotaExceeded as e:
                    # Not the script's failure (it did not run, and whoever
                    # met it chose when): it does not count toward suspension.
                    result = scripting.TaskResult(ok=False, error=str(e), crowded=True)
                else:
                    with self.meters.timing(payer, waker, ceiling):
                        result = module.call(function, *given,
                                             budget=(self.foreground if foreground
                                                     else self.background),
                                             output=output)
                        dropped = self.modules.grew(key)
                    self._spent(turn, payer, result.ticks, waker, ceiling)
                    if dropped is not None and result.ok:
                        result = scripting.TaskResult(ok=False, output=result.output,
                                                      error=dropped, ticks=result.ticks)
        self._note_excuse(host, result)
        if result.error is not None and len(result.error) > MAX_ERROR_CHARS:
            # What its owner is told and the log keeps, wherever it failed.
            result = attrs.evolve(result, error=bounded(result.error))
        if result.ok:
            if record.failures:
                record.failures = 0
            if cause is not None and len(self.strikes):
                self.strikes.succeeded((parent_of(host) or host).id, cause)  # (his run)
            self._lost_told.discard(host.id)
            # What a player's command or action makes it say spends a rate of
            # the owner's with her: she cannot silence it for everyone else.
            talker = actor if actor is not None else blame
            sender = owner if talker is None or talker == owner else (owner, talker)
            self._limit_output(turn, sender, mark, result.output,
                               owner if audience is None else audience, host)
            marks.mark_events(turn, mark, origin, host.owner)  # whose script sent it
            turn.after_commit.append(self.wake)
            if wakes and task.woken:
                self._run_woken(turn, task.woken, actor, payer, own,
                                cause if actor is None else None)
        return result

    def _note_excuse(self, host: Thing, result: scripting.TaskResult) -> None:
        """
        Note whether C{result}, a task of C{host}'s script (the load of its
        top level or a call of a function), failed in a way not counted
        toward suspending it (L{failed}): the one place that decides, for
        loads and calls alike (a call of a module not loaded loads it
        again, so a top level failing at each load fails each call).
        """
        if result.ok:
            return
        by = NOT_FOREIGN if result.aborted else self.libraries.blamed_for(host.id, result.ticks)
        if by is not NOT_FOREIGN:
            # It failed importing another owner's library (removed, unshared,
            # saved with problems, its top level failing): his doing.
            self._foreign[host.id] = by
        elif result.crowded:
            # Refused a player it was handed, or more players around than its
            # owner can hold this turn: those players chose when; not counted.
            self._refused.add(host.id)
        elif result.not_its_own:
            # It failed through a facet someone else killed (a hold given up
            # for newer visitors, revoked by the player): its first failure
            # through it is not counted (L{failed}), or they could suspend it.
            self._lost[host.id] = result.lost

    def _run_woken(self, turn: Any, woken: list, actor_id: int | None, payer: Any,
                   own: bool = False, blame: int | None = None) -> None:
        """
        Run the handlers a task's moves (C{(thing, from, to)}) woke
        (L{world.rules.moved}, C{actor} whoever's command woke the task), as a
        player's command runs the ones it wakes: at most
        L{fanout.MAX_HANDLERS} for each happening, fairly shared between the
        owners listening, at most four times that for the task, each charged
        to C{payer}, the owner of the script that moved (a script's moves
        into another owner's scripted box cannot spend that owner's share);
        none of them wakes more (scripts cannot wake each other in a loop).
        They are the payer's own doing if the task was (C{own}: L{call}),
        else C{blame}'s if given (a timer's whose doing set it: L{call}).
        """
        found = turn.root.get(actor_id) if actor_id is not None else None
        actor = found if isinstance(found, Character) else None
        left = fanout.MAX_HANDLERS * 4
        for each in (w for obj, source, dest in woken
                     for w in rules.moved(obj, source, dest, actor)):
            for host in fanout.hosts(self, turn, each):
                if left <= 0:
                    return
                if not rules.exists(turn.root, host):
                    continue
                left -= 1
                self.react(turn, host, each.function, each.args, actor=actor, wakes=False,
                           payer=payer, own=own, blame=blame)

    def failed(self, turn: Any, host: Thing, cause: int | None = None) -> str | None:
        """
        Count a failure of C{host}'s script in C{turn}, caused by its owner
        (C{cause} None: his command, his timer, what his actions woke) or by
        the player C{cause} (L{blamed}). The owner's own suspend it for
        everyone after L{SUSPEND_AFTER} in a row; another player's count
        for him alone: after L{SUSPEND_AFTER} in a row from him it refuses
        him (L{refuses}) for L{REFUSE_SECONDS}, and its owner is told
        (after C{turn}). A call refused before the script ran,
        because its owner could not pay to hold a character it was to be
        handed, is not counted: the players meeting the host choose when
        that happens, and could otherwise suspend it. Nor is the first
        failure through each facet someone else killed
        (L{TaskResult.not_its_own}, L{scripting.facets.membrane.RevocationCell.excuse}).
        A failure importing another owner's library (he removed it,
        stopped sharing it, saved it with problems, or its top level
        failed: L{engine.scripts.libraries.Libraries.blamed_for}) counts
        toward him, whoever C{cause} is, and is never the owner's own
        (nor counted at all if the library is the world's).

        @return: the notice for whoever caused it (with C{cause}, for him
            alone), if it was suspended, or refuses him, now.
        """
        record = script_of(host)
        if self._excused(host):
            return None
        if record is None:
            return None
        return self._count(turn, host, record, cause)

    def _library_blamed(self, turn: Any, host: Thing, record: ScriptRecord) -> bool:
        """
        Whether C{host}'s failure just now was another owner's library's
        doing (L{failed}): then counted toward him here, his owner told if
        it refuses him now; asked once per failure.
        """
        by = self._foreign.pop(host.id, NOT_FOREIGN)
        if by is NOT_FOREIGN:
            return False
        if by is not None and by != host.owner:
            self._strike(turn, host, record, by, library=True)
        return True

    def _count(self, turn: Any, host: Thing, record: ScriptRecord,
               cause: int | None) -> str | None:
        """
        Count a failure of C{host}'s script C{record} that is not excused
        (L{failed}).
        """
        woke = None
        if host.owner is not None and self._foreign.get(host.id, NOT_FOREIGN) == host.owner:
            # His own library has problems or failed: his doing, not whoever woke it.
            del self._foreign[host.id]
            woke, cause = cause, None
        elif self._library_blamed(turn, host, record):
            return None  # (nothing for whoever woke it to be told: not his doing)
        if cause is not None:
            return self._strike(turn, host, record, cause)
        record.failures += 1
        if record.failures >= SUSPEND_AFTER and record.suspended is None:
            record.suspended = f"it failed {record.failures} times in a row"
            shared = parent_of(host) is not None or bool(host.script_users)
            notice = (f"The script on {whose_script(host)} failed {record.failures} times in a "
                      "row and is suspended" + (" on every thing running it" if shared else "")
                      + f"; its owner can {suspension_advice(host, record, turn.root)}.")
            if woke is not None:  # (told to whoever woke it: its owner must hear it too)
                owner = host.owner
                turn.after_commit.append(lambda: self.tell(owner, notice))
            return notice
        return None

    def _strike(self, turn: Any, host: Thing, record: ScriptRecord, cause: int, *,
                library: bool = False) -> str | None:
        """
        Count toward C{cause} alone a failure of C{host}'s script
        C{record} he caused (C{library}: importing his library); if it
        refuses him now, tell its owner (after C{turn}) and return what he
        is told.
        """
        holder = parent_of(host) or host
        how = self.strikes.fail(holder.id, record.version, cause, holder.owner)
        self.release_timers(turn)  # (a refusal dropped to make room)
        if how is None:
            return None
        wide = self.strikes.owner_wide(cause, holder.owner)
        found = turn.root.get(cause)
        who = found.name if isinstance(found, Character) else f"#{cause}"
        minutes = round(REFUSE_SECONDS / 60)
        shared = " (and every thing running it)" if holder is not host or host.script_users else ""
        owner = host.owner
        if library:
            told = (f"The script on {whose_script(host)} failed {SUSPEND_AFTER} times {how} "
                    f"importing {who}'s library, which {who} removed, stopped sharing or "
                    f"broke; it is not suspended for that (it runs again as soon as the "
                    f"library can be imported), and it does not answer {who}{shared} for "
                    f"{minutes} minutes. (@script/errors lists its failures.)")
        else:
            told = (f"The script on {whose_script(host)} failed {SUSPEND_AFTER} times {how} "
                    f"through what {who} did, so it does not answer {who}{shared} for "
                    f"{minutes} minutes; everyone else may still use it (and the timers "
                    f"{who}'s doing set do not run meanwhile). (@script/errors lists its "
                    "failures.)")
        if wide:
            told += (f" So many of your scripts failed so for {who} lately that none of them "
                     f"answers {who} for {minutes} minutes from now.")
        turn.after_commit.append(lambda: self.tell(owner, told))
        _log.info("script on #{host} (owner {owner}) refuses #{player} after {n} failures",
                  host=host.id, owner=owner, player=cause, n=SUSPEND_AFTER)
        return refused_notice(host, REFUSE_SECONDS, wide)

    def refuses(self, host: Thing, player: int | None) -> float | None:
        """
        When C{host}'s script answers C{player} again, if it refuses him
        now for the failures he caused (L{failed}); else None. It never
        refuses its owner.
        """
        if player is None or player == host.owner or not len(self.strikes):
            return None
        record = script_of(host)
        if record is None:
            return None
        holder = parent_of(host) or host
        return self.strikes.refused_until(holder.id, record.version, player, holder.owner)

    def refused_notice_for(self, host: Thing, player: int, until: float) -> str:
        """
        What C{player} is told whose verb of C{host} its script refuses
        until C{until} (L{refuses}).
        """
        owner = (parent_of(host) or host).owner
        return refused_notice(host, until - self.clock.seconds(),
                              self.strikes.owner_wide(player, owner))

    def _excused(self, host: Thing) -> bool:
        """
        Whether C{host}'s failure just now is not counted (L{failed}); asked
        once per failure.
        """
        if host.id in self._refused:
            self._refused.discard(host.id)
            return True
        lost = self._lost.pop(host.id, None)
        return lost is not None and lost.excuse()

    def record_failure(self, host_id: int, told: str | None = None,
                       cause: int | None = None) -> str | None:
        """
        Count a failure of C{host_id}'s script in a turn of its own (after
        the turn it failed in was rolled back), caused by C{cause} (None:
        its owner; see L{failed}); if it counts, keep C{told}, what its
        owner is told of it, among his last failures (L{remember_failure}).
        """
        with self.store.turn() as turn:
            host = turn.root.get(host_id)
            if host is None:
                return None
            record = script_of(host)
            if record is None or self._excused(host):
                return None
            notice = self._count(turn, host, record, cause)
            if told is not None:
                self.remember_failure(turn, host.owner, told, cause)
            return notice

    def _tell_refused(self, turn: Any, host: Thing, player: int) -> None:
        """
        Tell C{player}, after C{turn}, that C{host}'s script does not answer
        him for now (L{refuses}): at most once while it refuses him.
        """
        record = script_of(host)
        holder = parent_of(host) or host
        if record is None or not self.strikes.first_refusal(holder.id, record.version, player,
                                                            holder.owner):
            return
        said = (f"The script on {whose_script(host)} is not answering you for now (it failed "
                f"{SUSPEND_AFTER} times for you lately); nothing it would do for you happens.")
        if self.strikes.owner_wide(player, holder.owner):
            said = (f"The script on {whose_script(host)} is not answering you for now (so many "
                    f"of its owner's scripts failed {SUSPEND_AFTER} times for you lately that "
                    "none of them answers you); nothing it would do for you happens.")
        turn.after_commit.append(lambda: self.tell(player, said))

    def remember_failure(self, turn: Any, owner: int | None, text: str,
                         cause: int | None = None) -> None:
        """
        Keep C{text}, what C{owner} is told of his script's failure, among
        his last few (L{world.scripts.remember_failure}, bounded): counted as
        come while he was away if he is not connected, for the notice at his
        next login (C{@script/errors} reads them). Writing it is charged as
        his scripts' work in C{turn} (with C{cause}, the player whose doing
        the failure was, if another: L{charge_commit}), so that a turn
        recording a failure, after the one it failed in was rolled back, is
        paid for.
        """
        key = owner if cause is None or cause == owner else (owner, cause)
        turn.workers[key] = turn.workers.get(key, 0) + 1
        away = owner is not None and self.store.minds.get(owner) is None
        remember_failure(_timers.registry(turn.root), owner, self.clock.seconds(), text,
                         away=away)

    def tell(self, character_id: int | None, text: str, *,
             said_by: int | None = None) -> None:
        """
        Show C{text} to C{character_id} now, if connected (outside turns).

        @param said_by: the player whose doing C{text} reports, if not
            C{character_id}'s own (a failure he caused in her script: its
            error may quote his words): not shown to her if she ignores
            him (L{world.events.Event.said_by}), but kept for
            C{@script/errors} all the same.
        """
        if character_id is None:
            return
        if said_by == character_id:
            said_by = None
        mind = self.store.minds.get(character_id)
        if mind is not None:
            try:
                mind.perceive(Event("script-error", text, said_by=said_by))
            except Exception:
                _log.failure("telling #{id} about a script failed", id=character_id)

    def react(self, turn: Any, host: Thing, function: str, args: Iterable[Any], *,
              actor: Thing | None = None, wakes: bool = True, payer: Any = NOBODY,
              own: bool | None = None, blame: int | None = None) -> None:
        """
        Run an event handler in a savepoint: if it fails, everything it did
        is undone and the actor and the owner are told (after the turn);
        the rest of the turn stands. (C{payer}, C{own}, C{blame}: see
        L{call}.)
        """
        point = turn.savepoint()
        name = whose_script(host)  # (named before it runs: it may rename it)
        result = self.call(turn, host, function, args,
                           actor=actor.id if actor is not None else None, wakes=wakes,
                           payer=payer, own=own, blame=blame)
        if result is None or result.ok:
            return
        point.rollback()
        self.forget(host.id)
        text = describe_failure(name, result)
        brief = describe_failure(name, result, details=False)
        excused = self._excused(host)
        cause = blamed(host.owner, actor.id if actor is not None else None, payer)
        if cause is None and blame is not None and blame != host.owner:
            cause = blame
        notice = None if excused else self.failed(turn, host, cause)
        if not excused:
            self.remember_failure(turn, host.owner, text, cause)
        _log.info("script on #{host} (owner {owner}) failed in {function}: {error}",
                  host=host.id, owner=host.owner, function=function, error=result.error)
        told = {host.owner, actor.id if actor is not None else None}
        if excused and result.not_its_own:
            # A facet someone else killed: its owner is told once (until it
            # runs well again), not at every look of a flood.
            if host.id in self._lost_told:
                told.discard(host.owner)
            self._lost_told.add(host.id)
        for who in told:
            # The script's lines and error are its owner's; others learn it failed.
            said = text if who == host.owner else brief
            turn.after_commit.append(
                lambda who=who, said=said: self.tell(who, said, said_by=cause))
            if notice and (cause is None or who == cause):  # (his alone: L{_strike})
                turn.after_commit.append(lambda who=who: self.tell(who, notice))

    # -- sharing the server --------------------------------------------------

    def _spent(self, turn: Any, owner: int | None, ticks: int,
               waker: int | None = None, account: Account | None = None) -> None:
        """
        Charge C{owner} C{ticks} their scripts used in C{turn} (and the
        pair C{(owner, waker)}, if another player woke them), and count
        them among the turn's workers: committing the turn is charged to
        them (L{charge_commit}; C{account}: whose doing it is for the
        server's ceiling, L{toward}).
        """
        self.meters.ticks(owner, ticks, waker)
        key = owner if waker is None and account is None else (owner, waker, account)
        turn.workers[key] = turn.workers.get(key, 0) + max(ticks, 1)

    def charge_commit(self, turn: Any) -> None:
        """
        Charge the owners whose scripts worked in C{turn} (just committed)
        what committing it cost: the server's time and the bytes written,
        split by the ticks each used in it.
        """
        workers = turn.workers
        total = sum(workers.values())
        if not total:
            return
        for key, ticks in workers.items():
            # (an owner, or an owner with the player whose wakes it was, and
            # whose doing it is for the server's ceiling)
            owner, waker, *account = key if type(key) is tuple else (key, None)
            part = ticks / total
            self.meters.seconds(owner, turn.commit_seconds * part, waker, *account)
            self.meters.written(owner, round(turn.written * part), waker)

    def cpu_share(self, owner: int | None, root: Any = None) -> float:
        """
        The part of the usual CPU share (L{CPU_TICKS} ticks and L{CPU_SECONDS}
        of the server's time per L{CPU_WINDOW}) that C{owner}'s scripts may
        use: 1.0, unless the world (in C{root}) or the owner was given
        another share (C{@quota ... = cpu <ticks>}).
        """
        if root is None:
            return 1.0
        # Asked for each listening script of each command: read the one
        # limit, not the owner's whole usage.
        ticks = _accounting.tuned_limit(root, owner, "cpu")
        if ticks is None:
            return 1.0
        return ticks / _accounting.DEFAULT_TICKS

    def _share(self, owner: int | None, root: Any, own: bool) -> float:
        """
        The part of the usual CPU share C{owner}'s scripts may use for a
        task: the whole L{cpu_share} for their own timers and doings
        (C{own}), less L{OWN_RESERVE} of it for what others wake.
        """
        share = self.cpu_share(owner, root)
        return share if own else share * (1 - OWN_RESERVE)

    def resting(self, owner: int | None, root: Any = None, *, own: bool = False) -> bool:
        """
        Whether C{owner}'s scripts have used their share of the server and
        run nothing for now (L{Meters.resting}, with L{_share}): what others
        wake rests first; C{own}, their timers (and saves, building) rest
        only once the whole share is spent.
        """
        return self.meters.resting(owner, self._share(owner, root, own))

    def rests_for(self, owner: int | None, player: int | None, root: Any = None) -> bool:
        """
        Whether what C{player} wakes of C{owner}'s scripts rests for now:
        it used more than L{PLAYER_PART} of what others may wake of them
        (L{Meters.pair_resting}), or they rest for everyone (L{resting}).
        Never for the owner himself.
        """
        if player is None or player == owner:
            return self.resting(owner, root)
        return (self.meters.pair_resting(owner, player, self._share(owner, root, False)
                                         * PLAYER_PART)
                or self.resting(owner, root))

    def pair_rests_until(self, owner: int | None, player: int, root: Any = None) -> float | None:
        """
        When what C{player} wakes of C{owner}'s scripts, resting now for her
        alone (L{rests_for}), may run again if it spends nothing more
        meanwhile; None if it does not rest so.
        """
        return self.meters.pair_rests_until(owner, player, self._share(owner, root, False)
                                            * PLAYER_PART)

    def tell_resting_for(self, turn: Any, owner: int | None, player: int) -> None:
        """
        Tell C{player}, after C{turn}, that what she wakes of C{owner}'s
        scripts rests (at most once per L{CPU_WINDOW}).
        """
        if not self.meters.pair_notice_due(owner, player):
            return
        notice = (f"What you do keeps {_whose(turn.root, owner)} scripts so busy that they do "
                  f"nothing for you for now (others may still use them); try again within "
                  f"{CPU_WINDOW:g} seconds.")
        turn.after_commit.append(lambda: self.tell(player, notice))

    def rests_until(self, owner: int | None, root: Any = None, *,
                    own: bool = False) -> float | None:
        """
        When C{owner}'s scripts, resting now (L{resting}, with C{own}), may
        run again if they spend nothing more meanwhile; None if they do not
        rest.
        """
        return self.meters.rests_until(owner, self._share(owner, root, own))

    @contextlib.contextmanager
    def charging(self, turn: Any, owner: int | None, what: str, *,
                 refuse: bool = True) -> Iterator[None]:
        """
        Charge C{owner} the server's time the block takes, as their scripts'
        time is charged (building commands that may walk the whole world run
        in it).

        @param refuse: refuse the block while C{owner}'s share is spent
            (wizards are charged, never refused).
        @raise WorldError: C{refuse}, and they rest; the message says until
            when, and nothing was done.
        """
        if refuse and self.resting(owner, turn.root, own=True):
            raise WorldError(
                f"You have used your share of the server's time ({what} and your scripts "
                f"count against it); try again within {CPU_WINDOW:g} seconds. (@quota)")
        if refuse and self.meters.held(owner):
            raise WorldError(held_notice(self.meters, owner, what))
        with self.meters.timing(owner):
            yield

    def tell_held(self, turn: Any, account: int | None) -> None:
        """
        Tell C{account}, after C{turn}, that what is counted toward it rests
        for the server's ceiling (L{Meters.held}; at most once per
        L{CPU_WINDOW}).
        """
        if not self.meters.notice_due(("ceiling", account), CPU_WINDOW):
            return
        notice = held_notice(self.meters, account)
        turn.after_commit.append(lambda: self.tell(account, notice))

    def tell_resting(self, turn: Any, owner: int | None) -> None:
        """
        Tell C{owner}, after C{turn}, that their scripts rest for what
        others wake (at most once per L{CPU_WINDOW}).
        """
        if not self.meters.notice_due(("cpu", owner), CPU_WINDOW):
            return
        share = self._share(owner, turn.root, False)
        notice = (f"Your scripts used more than {round(CPU_TICKS * share)} ticks (or "
                  f"{CPU_SECONDS * share:g} seconds of the server's time, or wrote "
                  f"{round(WRITE_BYTES * share) // 1024} KiB to the database) in the last "
                  f"{CPU_WINDOW:g} seconds; they rest until that passes, but for your timers, "
                  f"which keep the last {OWN_RESERVE:.0%} of your share (@quota).")
        turn.after_commit.append(lambda: self.tell(owner, notice))

    def _limit_output(self, turn: Any, sender: Any, mark: int, printed: str,
                      reader: int | None, host: Thing) -> None:
        # One message is one event, however many are in the room to see it:
        # it costs one of the sender's messages (L{Meters.send}: the owner's,
        # or his with the player who made it talk), and goes to all or none.
        owner = host.owner
        send = self.meters.send
        kept = mark
        dropped = 0
        decided: dict[int, bool] = {}
        for index in range(mark, len(turn.events)):
            event = turn.events[index][1]
            sent = decided.get(id(event))
            if sent is None:
                sent = decided[id(event)] = send(sender)
                dropped += not sent
            if sent:
                turn.events[kept] = turn.events[index]
                kept += 1
        del turn.events[kept:]
        text = printed.rstrip("\n")
        if text and reader is not None:
            if send(sender):
                turn.tell(reader, Event("script", text, actor=host.id))
            else:
                dropped += 1
        if dropped and self.meters.notice_due(("output", owner), 60):
            notice = (f"Your scripts are sending too much: {dropped} message(s) from "
                      f"{host.name} were dropped. (At most {OUTPUT_RATE:g} a second.)")
            turn.after_commit.append(lambda: self.tell(owner, notice))


def verb_function(word: str) -> str | None:
    """
    The script function a typed verb runs (C{ring} → C{verb_ring}), or None
    if the word cannot name one.
    """
    name = word.lower().replace("-", "_")
    if not name.isidentifier() or name.startswith("_") or not name.isascii():
        return None
    return VERB_PREFIX + name


__all__ = ["ScriptFailed", "ScriptRuntime", "arguments", "describe_failure", "verb_function"]
