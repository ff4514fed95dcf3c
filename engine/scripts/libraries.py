# -*- test-case-name: tests.scripts.test_libraries -*-
"""
Players' libraries at run time: what C{import greetings} finds, and what
saving or sharing a library changes.

A library (L{world.libraries}) is never run on its own. Each script that
imports one gets its own copy (L{scripting.domain.Domain.library_copy}): run
in the importer's domain, inside the importer's task and on its budget, with
no endowments (no C{this}, C{here}, C{state}: a library has only what its
caller hands its functions), showing the importer only the names it exports.
So a library is shared code, never shared state or authority: a copy holds
only what its own importer put in it, and lives and dies with that
importer's module.

C{import name} in a script of owner O finds O's own library C{name}, else
the one library C{name} shared with O; the standard modules come first, and
no library may take their names.

What a library's owner does to it makes other owners' modules load again
(on their owners' budgets) as seldom as it can, so that he cannot make
them pay for loading again and again:

  - saving a new version: his own modules are forgotten at once, another
    owner's module takes the new version at most once every
    L{RELOAD_SPACING} seconds;
  - unsharing it with a player, or removing it: the modules of each player
    who loses it are forgotten at once (they import it again, or fail to,
    the next time they run), and nobody else's; a player refusing a share
    forgets his own at once;
  - sharing it: no module is forgotten (nobody's loaded module changes).
    But sharing a library again with a player whose modules an unshare or
    removal made load again waits until L{RELOAD_SPACING} seconds after
    it (L{Libraries.share_wait}): toggling a share costs its owner time,
    not the importer loads.

What is kept to enforce this is pruned as it grows old: the record of
reloads (L{Libraries.reloaded}) and of withdrawals
(L{Libraries.withdrawn}) hold only the last L{RELOAD_SPACING} seconds. The
record of who imports what (L{Libraries.importers}) holds only scripts whose
module is loaded: one let go of (its script changed, the server made room)
is forgotten and recorded again when it loads, and one destroyed is let go
of, with its module, as the turn that destroyed it commits
(L{engine.scripts.runtime.ScriptRuntime.forget_destroyed}), costing nobody
a wait.

An import that fails by another owner's doing is blamed on him, never on
the importing script (L{Libraries.blamed_for}): his library has problems
(saved broken), its top level fails, or he removed it or stopped sharing
it (remembered in memory, for the L{MAX_WITHDRAWN} latest, while the
server runs: L{Libraries.withdrawn_from}). The script still fails, and its
owner is told why; the failure counts toward the library's owner
(L{engine.scripts.strikes}), not toward suspending the script, so that
nobody can suspend another's scripts by breaking a library they accepted.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from scripting.imports import STANDARD_MODULES, imported_names
from scripting.task import STATE
from world.libraries import importable, importable_names, libraries_of, offers_shown
from world.registries import WORLD, owner_key

if TYPE_CHECKING:
    from scripting import Domain, ScriptModule
    from scripting.facades import Namespace

#: Seconds between two reloads of one module of another owner's that a
#: library's new versions cause.
RELOAD_SPACING = 60.0

#: Scripts kept per library and importer (its owner, or a player who
#: accepted it) as saved suspended while it had problems
#: (L{Libraries.waiting}), the newest.
MAX_WAITING = 50

#: Importers kept per library (L{Libraries.waiting}), the latest, but for
#: its owner, always kept.
MAX_IMPORTERS = 100

#: (Importer's owner, library name) pairs whose library another owner
#: removed or stopped sharing, kept to blame him for the imports that then
#: fail (L{Libraries.withdrawn_from}), the latest.
MAX_WITHDRAWN = 10_000

#: L{Libraries.blamed_for}: the failure is not another owner's doing.
NOT_FOREIGN: Any = object()


class Libraries:
    """
    Resolves imports of players' libraries for one server's runtime.

    @ivar store: the L{world.store.WorldStore} (imports run inside its turns).
    @ivar importers: (library owner key, name) → the ids of the objects
        whose script imported it (to forget when it changes) → the owner
        key of each.
    @ivar imported: object id → the keys of L{importers} it is under (what
        L{forgotten} takes it out of).
    @ivar running: the object whose script runs now (None: a trial run,
        whose imports are not remembered).
    @ivar reloaded: object id → when another owner's library last made its
        module load again (a new version, an unshare, a removal), oldest
        first; only the last L{RELOAD_SPACING} seconds are kept.
    @ivar withdrawn: (library owner key, importers' owner key) → when an
        unshare or removal of one of the first's libraries last made the
        second's modules load again, oldest first; only the last
        L{RELOAD_SPACING} seconds are kept.
    @ivar stale: object id → when its module is to load again, for a new
        version of another owner's library saved too soon after the last.
    @ivar waiting: (library owner key, name) → importer's owner key (its
        owner, or a player who accepted it; at most L{MAX_IMPORTERS} but
        its owner, the latest last) → the ids of that importer's objects
        whose script was saved suspended while it had problems (at most
        L{MAX_WAITING} each, oldest first), for their owners to be told of
        when it is saved without (kept in memory only: a courtesy, not a
        promise).
    @ivar withdrawn_from: (importer's owner key, name) → the owner key of
        whoever removed or stopped sharing the library C{name} the first's
        scripts imported (at most L{MAX_WITHDRAWN}, oldest first), so that
        their imports failing since are blamed on him.
    @ivar foreign: (importing object id, ticks its task had used, library
        owner) of the last import failure another owner's doing caused in
        the task running (L{blamed_for}), or None.
    """

    def __init__(self, store: Any) -> None:
        self.store = store
        self.importers: dict[tuple[int, str], dict[int, int]] = {}
        self.imported: dict[int, set[tuple[int, str]]] = {}
        self.running: int | None = None
        self.reloaded: dict[int, float] = {}
        self.withdrawn: dict[tuple[int, int], float] = {}
        self.stale: dict[int, float] = {}
        self.waiting: dict[tuple[int, str], dict[int, dict[int, None]]] = {}
        self.withdrawn_from: dict[tuple[int, str], int] = {}
        self.foreign: tuple[int, int, int | None] | None = None

    def wait_for(self, owner: int | None, name: str, host_id: int,
                 importer: int | None) -> None:
        """
        The script on C{host_id}, of C{importer}'s, was saved suspended
        because C{owner}'s library C{name} has problems (C{importer} is
        C{owner}, or a player who accepted it): remember it for L{fixed},
        the newest L{MAX_WAITING} of each importer's and for the latest
        L{MAX_IMPORTERS} importers but its owner (always kept), so that no
        importer's saves push out another's, nor its owner's.
        """
        kept = self.waiting.setdefault((owner_key(owner), name), {})
        who = owner_key(importer)
        hosts = kept.pop(who, None)
        if hosts is None:
            hosts = {}
        kept[who] = hosts  # (the latest importer last)
        hosts.pop(host_id, None)
        hosts[host_id] = None
        while len(hosts) > MAX_WAITING:
            del hosts[next(iter(hosts))]
        others = [key for key in kept if key != owner_key(owner)]
        for key in others[:max(0, len(others) - MAX_IMPORTERS)]:
            del kept[key]

    def fixed(self, owner: int | None, name: str) -> list[int]:
        """
        C{owner}'s library C{name} was saved without problems: the ids
        remembered by L{wait_for} for it (each importer's, oldest first),
        forgotten now.
        """
        kept = self.waiting.pop((owner_key(owner), name), {})
        return [host_id for hosts in kept.values() for host_id in hosts]

    @contextlib.contextmanager
    def importing(self, host_id: int) -> Iterator[None]:
        """
        While the block runs, imports are made by the script on C{host_id}.
        """
        self.running = host_id
        try:
            yield
        finally:
            self.running = None

    def resolver(self, owner: int | None) -> Any:
        """
        The C{Resolver} of C{owner}'s domain.
        """
        def resolve(domain: Domain, importer: ScriptModule, name: str) -> Namespace:
            return self.resolve(owner, domain, importer, name)

        return resolve

    def resolve(self, owner: int | None, domain: Domain, importer: ScriptModule,
                name: str) -> Namespace:
        """
        C{importer}'s copy of the library C{name} as C{owner}'s scripts see
        it.

        @raise ImportError: none by that name (the message names the
            libraries of that name offered to C{owner} and not accepted yet,
            and how to accept one, or else lists what may be imported),
            several shared under that name, or it has problems.
        """
        turn = self.store.current_turn
        if turn is None:
            raise ImportError("libraries are imported only while the world is running")
        root = turn.root
        found = importable(root, owner, name)
        if not found:
            offer = self._offered(root, owner, name)
            gone = self.withdrawn_from.get((owner_key(owner), name))
            if gone is not None:
                taker = None if gone == WORLD else gone
                raise self._blame(taker, ModuleNotFoundError(
                    f"no module named {name!r}: {offer}"
                    + (f" ({self._not_counted()})" if self._not_counted() else "")
                    if offer else
                    f"no module named {name!r}: {self._owner_name(root, taker)} removed "
                    f"the library {name} or no longer shares it with you, so it cannot be "
                    f"imported ({self._not_counted('; ')}remove the import, or ask for it "
                    "back)"))
            if offer:
                raise ModuleNotFoundError(f"no module named {name!r}: {offer}")
            shown = ", ".join(sorted(STANDARD_MODULES))
            names = importable_names(root, owner)
            libraries = f", and your libraries {', '.join(names)}" if names else ""
            raise ModuleNotFoundError(f"no module named {name!r} (scripts may import: {shown}"
                              f"{libraries})")
        if len(found) > 1:
            whose = ", ".join(sorted(self._owner_name(root, r.owner) for r in found))
            raise ImportError(f"more than one library called {name} is shared with you (by "
                              f"{whose}); ask all but one to stop sharing it")
        record = found[0]
        self.withdrawn_from.pop((owner_key(owner), name), None)  # (it is back)
        foreign = owner_key(record.owner) != owner_key(owner)
        if record.suspended is not None or record.exports is None:
            error = ImportError(f"the library {name} has problems and cannot be imported "
                                f"({record.suspended or 'not checked yet'})")
            if not foreign:
                # his own doing, whoever woke the script (L{blamed_for})
                raise self._blame(record.owner, error) if record.owner is not None else error
            counted = self._not_counted()
            raise self._blame(record.owner, ImportError(
                f"{self._owner_name(root, record.owner)}'s library {name} has problems and "
                f"cannot be imported ({record.suspended or 'not checked yet'})"
                + (f"; {counted}" if counted else "")))
        key = (owner_key(record.owner), name)
        if self.running is not None:
            self.importers.setdefault(key, {})[self.running] = owner_key(owner)
            self.imported.setdefault(self.running, set()).add(key)
        try:
            return domain.library_copy(importer, key, record.version, record.source, name=name)
        except Exception as e:
            # Its top level failed (or what it imports did): its owner's
            # doing if another's and not already blamed on whoever's library
            # it imports (the error came straight from there).
            if (foreign or record.owner is not None) and not self._blamed_now():
                raise self._blame(record.owner, e) from None
            raise

    def _not_counted(self, then: str = "") -> str:
        """
        What an import failing by another owner's doing says of suspending
        the importer, followed by C{then}: that it is not counted toward
        it, in a run of a script's (L{running}); nothing in the trial run
        of a save, which the failure suspends until it is saved (or
        restarted) again.
        """
        if self.running is None:
            return ""
        return "this is not counted toward suspending your script" + then

    def _blamed_now(self) -> bool:
        """
        Whether an import failure in the task running was blamed on another
        owner (L{_blame}) and no script code ran since.
        """
        task = STATE.task
        return (self.foreign is not None and task is not None
                and self.foreign[0] == self.running and self.foreign[1] == task.ticks_used)

    def _blame(self, whose: int | None, error: BaseException) -> BaseException:
        """
        Note that C{error}, about to be raised in the task running (an
        import by L{running}), is the doing of C{whose}, another owner than
        the importer's (L{blamed_for}); return it.
        """
        task = STATE.task
        if task is not None and self.running is not None:
            self.foreign = (self.running, task.ticks_used, whose)
        return error

    def blamed_for(self, host_id: int, ticks: int) -> Any:
        """
        The owner (None: the world) whose library made the task that just
        failed, running C{host_id}'s script and using C{ticks}, fail at an
        import (its problems, its removal, its top level failing), the
        import's error ending the task unhandled: no script code ran after
        it (which spends a tick at least); else L{NOT_FOREIGN}. Asked once
        per failed task. The script's own owner, for a library of his own:
        his doing, never that of whoever woke the script.
        """
        found, self.foreign = self.foreign, None
        if found is None or found[0] != host_id or found[1] != ticks:
            return NOT_FOREIGN
        return found[2]

    @classmethod
    def _offered(cls, root: Any, owner: int | None, name: str) -> str:
        """
        What to say of the libraries called C{name} offered to C{owner}
        and not accepted (whose, how to accept the first), for an import
        of it that finds none: empty if none is.
        """
        if owner is None:
            return ""
        whose = [cls._owner_name(root, by) for by, offered in offers_shown(root, owner)
                 if offered == name]
        if not whose:
            return ""
        named = " and ".join(whose[:2]) + (f" and {len(whose) - 2} more" if len(whose) > 2
                                           else "")
        return (f"{named} {'offers' if len(whose) == 1 else 'offer'} you the library {name} "
                f"and you have not accepted it: '@library/accept {whose[0]} {name}' lets your "
                "scripts import it")

    @staticmethod
    def _owner_name(root: Any, owner: int | None) -> str:
        holder = root.get(owner) if owner is not None else None
        return holder.name if holder is not None else "the world"

    def changed(self, owner: int | None, name: str, now: float, *, saved: bool = False,
                grantee: int | None = None, refused: bool = False,
                exists: Callable[[int], bool] | None = None) -> set[int]:
        """
        The library C{name} of C{owner} changed at C{now}: the ids of the
        objects whose modules imported it and must be forgotten now (they
        are no longer remembered here).

        @param saved: a new version was saved. It reaches another owner's
            module at most once every L{RELOAD_SPACING} seconds: until then
            that module is L{stale}, and keeps the version it has.
        @param grantee: it was unshared with this player only: only his
            modules lose it. Otherwise (not saved) it was removed, and every
            importer loses it. A module that loses a library is forgotten at
            once.
        @param refused: the grantee refused it himself (nothing is
            recorded against its owner).
        @param exists: whether the object with an id is still in the world:
            an importer destroyed since is let go of, costs nobody a wait
            and is not returned.
        """
        self._prune(now)
        key = (owner_key(owner), name)
        importers = self.importers.get(key, {})
        concerned = owner_key(grantee) if grantee is not None else None
        if not saved and not refused and concerned is not None and concerned != key[0]:
            self._withdrawn(concerned, key)
        forget: set[int] = set()
        for host, host_owner in list(importers.items()):
            if exists is not None and not exists(host):
                self.forgotten(host)
                continue
            if concerned is not None and host_owner != concerned:
                continue  # it keeps the library: nothing changed for it
            other = host_owner != key[0]  # the library's owner pays for his own
            if saved and other:
                due = self.reloaded.get(host, now - RELOAD_SPACING) + RELOAD_SPACING
                if due > now:
                    self.stale[host] = min(self.stale.get(host, due), due)
                    continue  # still an importer (a later unshare finds it)
            self._unimport(host, key)
            forget.add(host)
            if other and not refused:
                _note(self.reloaded, host, now)
                if not saved:
                    _note(self.withdrawn, (key[0], host_owner), now)
                    self._withdrawn(host_owner, key)
        return forget

    def _withdrawn(self, importer_owner: int, key: tuple[int, str]) -> None:
        """
        The library under C{key} was taken from C{importer_owner} by its
        owner (L{withdrawn_from}; the oldest let go of past
        L{MAX_WITHDRAWN}).
        """
        _note(self.withdrawn_from, (importer_owner, key[1]), key[0])  # type: ignore[arg-type]
        while len(self.withdrawn_from) > MAX_WITHDRAWN:
            del self.withdrawn_from[next(iter(self.withdrawn_from))]

    def _unimport(self, host: int, key: tuple[int, str]) -> None:
        """
        C{host}'s module no longer holds the library under C{key}.
        """
        importers = self.importers.get(key, {})
        importers.pop(host, None)
        if not importers:
            self.importers.pop(key, None)
        keys = self.imported.get(host)
        if keys is not None:
            keys.discard(key)
            if not keys:
                del self.imported[host]

    def share_wait(self, owner: int | None, grantee: int, now: float) -> float:
        """
        The seconds until C{owner} may share a library with C{grantee}
        again: 0, unless an unshare or removal of one of C{owner}'s
        libraries made C{grantee}'s modules load again less than
        L{RELOAD_SPACING} seconds ago.
        """
        self._prune(now)
        when = self.withdrawn.get((owner_key(owner), owner_key(grantee)))
        return 0.0 if when is None else max(0.0, when + RELOAD_SPACING - now)

    def removed(self, owner: int | None, name: str, takers: list[int]) -> None:
        """
        C{owner} removed his library C{name}, which the players C{takers}
        had accepted: their imports of it fail by his doing from now on
        (L{withdrawn_from}), whether or not a script of theirs had loaded it
        (one that had is recorded by L{changed} too).
        """
        key = (owner_key(owner), name)
        for taker in takers:
            if owner_key(taker) != key[0]:
                self._withdrawn(owner_key(taker), key)

    def offer_withdrawn(self, owner: int | None, grantee: int, now: float) -> None:
        """
        C{owner} took back an offer of a library to C{grantee} (not
        accepted): his next offer to them waits L{RELOAD_SPACING} seconds
        (L{share_wait}), as after an unshare, so that offering and taking
        back again and again does not flood them with notices.
        """
        self._prune(now)
        _note(self.withdrawn, (owner_key(owner), owner_key(grantee)), now)

    def due(self, host: int, now: float) -> bool:
        """
        Whether object C{host}'s module should load again now, for a new
        version of another's library that it has not taken yet.
        """
        when = self.stale.get(host)
        if when is None or now < when:
            return False
        del self.stale[host]
        _note(self.reloaded, host, now)
        return True

    def _prune(self, now: float) -> None:
        """
        Drop what L{reloaded} and L{withdrawn} hold from before the last
        L{RELOAD_SPACING} seconds (it no longer holds anything back).
        """
        horizon = now - RELOAD_SPACING
        _prune(self.reloaded, horizon)
        _prune(self.withdrawn, horizon)

    def forgotten(self, host: int) -> None:
        """
        Object C{host} has no module loaded any more (its script changed, its
        last module was let go of, it was destroyed): it takes every
        library's latest version when it loads, and its imports are
        recorded again then, so nothing is kept for it now.
        """
        self.stale.pop(host, None)
        for key in list(self.imported.get(host, ())):
            self._unimport(host, key)


def _note(table: dict[Any, float], key: Any, now: float) -> None:
    """
    Record C{now} for C{key} in C{table}, at its end (so that a table keeps
    its entries oldest first, for L{Libraries._prune}).
    """
    table.pop(key, None)
    table[key] = now


def _prune(table: dict[Any, float], horizon: float) -> None:
    """
    Drop the entries of C{table} (oldest first) from up to C{horizon}.
    """
    while table:
        oldest = next(iter(table))
        if table[oldest] > horizon:
            return
        del table[oldest]


#: C{import a, b} and C{from a import b} at a line's start (indented or not):
#: what L{library_advice} reads a suspended script's text for, in one linear
#: pass (no parse: it is asked each time its owner types one of its verbs).
_IMPORTS = re.compile(r"^[ \t]*(?:from[ \t]+([A-Za-z_]\w*)[ \t]+import\b"
                      r"|import[ \t]+([A-Za-z_][\w \t,.]*))", re.MULTILINE)

#: The libraries L{library_advice} looks at, of those a script imports.
ADVICE_LOOKS_AT = 20


def library_advice(root: Any, owner: int | None, source: str, suspended: str | None,
                   failed: bool, edited: str) -> str | None:
    """
    What the owner of a suspended script C{source} does about a library it
    imports (his own or one he accepted), said after "its owner can" or
    "then", if that is what holds it back: one with problems now, if the
    script failed too often (C{failed}) or its suspension (C{suspended})
    names that library's problems: fix it (or wait for its owner to), then
    restart the script (C{@script/restart} C{edited}), which stays
    suspended until then; else, if its suspension names the problems of a
    library it imports that has none now, restart it. None if neither.
    """
    names: list[str] = []
    for found in _IMPORTS.finditer(source):
        for word in (found.group(1) or found.group(2)).split(","):
            name = word.split()[0].split(".")[0] if word.split() else ""
            if name and name not in STANDARD_MODULES and name not in names:
                names.append(name)
                if len(names) >= ADVICE_LOOKS_AT:  # (within a line too: one may
                    break  # import thousands, and names is searched for each)
        if len(names) >= ADVICE_LOOKS_AT:
            break
    restart = f"restart it (@script/restart {edited})"
    fixed = None
    for name in names[:ADVICE_LOOKS_AT]:
        found_records = importable(root, owner, name)
        if len(found_records) != 1:
            continue
        record = found_records[0]
        named = suspended is not None and f"library {name} has problems" in suspended
        if record.suspended is None and record.exports is not None:
            if named and fixed is None:
                fixed = name
            continue
        if not (failed or named):
            continue
        if owner_key(record.owner) == owner_key(owner):
            return (f"fix the library {name} it imports, which has problems (@library "
                    f"{name}), then {restart}; it stays suspended until then")
        whose = Libraries._owner_name(root, record.owner)
        return (f"wait until {whose} fixes the library {name} it imports, which has "
                f"problems, then {restart}; it stays suspended until then")
    if fixed is not None:
        return f"{restart}: the library {fixed} it imports had problems and has none now"
    return None


def check_content_libraries(runtime: Any, turn: Any) -> list[tuple[str, str]]:
    """
    Check the world's own libraries that content loaded since the last start
    (their exports not found yet), each after the libraries it imports, and
    keep what each exports, or why it cannot be imported.

    @return: (name, problem) of each that has problems.
    """
    pending = {r.name: r for r in libraries_of(turn.root, None)
               if r.exports is None and r.suspended is None}
    ordered: list[str] = []

    def visit(name: str, seen: frozenset[str]) -> None:
        if name in ordered or name in seen or name not in pending:
            return
        for imported, _, _ in imported_names(pending[name].source):
            visit(imported, seen | {name})
        ordered.append(name)

    for name in sorted(pending):
        visit(name, frozenset())
    failed = []
    for name in ordered:
        record = pending[name]
        problems, exports = runtime.analyse_library(turn, None, name, record.source)
        if problems:
            record.suspended = ("it does not compile: " + "; ".join(problems))[:500]
            failed.append((name, record.suspended))
        else:
            record.exports = exports
        runtime.library_changed(None, name)
    return failed


__all__ = ["MAX_IMPORTERS", "MAX_WAITING", "MAX_WITHDRAWN", "NOT_FOREIGN", "Libraries",
           "check_content_libraries", "library_advice"]
