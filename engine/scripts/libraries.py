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
no library may take their names. When a library is shared, unshared or
removed, the modules that imported it are forgotten, so they load again
(and import it again, or fail to) the next time they run. When it is saved
again, its owner's own modules are forgotten at once, but another owner's
module takes the new version at most once every L{RELOAD_SPACING} seconds
(loading again is charged to that module's owner: however often a
library's owner saves it, he cannot make its importers pay for more).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from scripting.imports import STANDARD_MODULES, imported_names
from world.libraries import importable, importable_names, libraries_of
from world.registries import owner_key

if TYPE_CHECKING:
    from scripting import Domain, ScriptModule
    from scripting.facades import Namespace

#: Seconds between two reloads of one module of another owner's that a
#: library's new versions cause.
RELOAD_SPACING = 60.0


class Libraries:
    """
    Resolves imports of players' libraries for one server's runtime.

    @ivar store: the L{world.store.WorldStore} (imports run inside its turns).
    @ivar importers: (library owner key, name) → the ids of the objects
        whose script imported it (to forget when it changes) → the owner
        key of each.
    @ivar running: the object whose script runs now (None: a trial run,
        whose imports are not remembered).
    @ivar reloaded: object id → when a new version of another owner's
        library last made its module load again.
    @ivar stale: object id → when its module is to load again, for a new
        version of another owner's library saved too soon after the last.
    """

    def __init__(self, store: Any) -> None:
        self.store = store
        self.importers: dict[tuple[int, str], dict[int, int]] = {}
        self.running: int | None = None
        self.reloaded: dict[int, float] = {}
        self.stale: dict[int, float] = {}

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

        @raise ImportError: none by that name (the message lists what may be
            imported), several shared under that name, or it has problems.
        """
        turn = self.store.current_turn
        if turn is None:
            raise ImportError("libraries are imported only while the world is running")
        root = turn.root
        found = importable(root, owner, name)
        if not found:
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
        if record.suspended is not None or record.exports is None:
            raise ImportError(f"the library {name} has problems and cannot be imported "
                              f"({record.suspended or 'not checked yet'})")
        key = (owner_key(record.owner), name)
        if self.running is not None:
            self.importers.setdefault(key, {})[self.running] = owner_key(owner)
        return domain.library_copy(importer, key, record.version, record.source, name=name)

    @staticmethod
    def _owner_name(root: Any, owner: int | None) -> str:
        holder = root.get(owner) if owner is not None else None
        return holder.name if holder is not None else "the world"

    def changed(self, owner: int | None, name: str, saved: float | None = None) -> set[int]:
        """
        The library C{name} of C{owner} changed: the ids of the objects
        whose modules imported it, which must be forgotten now (and are no
        longer remembered here).

        @param saved: when it was saved again (None: it was shared, unshared
            or removed: every importer forgets it at once). A new version
            reaches another owner's module at most once every
            L{RELOAD_SPACING} seconds: until then it is L{stale}, and keeps
            the version it has.
        """
        key = (owner_key(owner), name)
        importers = self.importers.pop(key, {})
        if saved is None:
            return set(importers)
        now: set[int] = set()
        for host, host_owner in importers.items():
            if host_owner == key[0]:
                now.add(host)  # its owner's own: his to pay for
                continue
            due = self.reloaded.get(host, saved - RELOAD_SPACING) + RELOAD_SPACING
            if due <= saved:
                now.add(host)
                self.reloaded[host] = saved
            else:
                self.stale[host] = min(self.stale.get(host, due), due)
                self.importers.setdefault(key, {})[host] = host_owner  # (an unshare still finds it)
        return now

    def due(self, host: int, now: float) -> bool:
        """
        Whether object C{host}'s module should load again now, for a new
        version of another's library that it has not taken yet.
        """
        when = self.stale.get(host)
        if when is None or now < when:
            return False
        del self.stale[host]
        self.reloaded[host] = now
        return True

    def forgotten(self, host: int) -> None:
        """
        Object C{host}'s modules were forgotten (its script changed, it was
        destroyed): it takes every library's latest version when it loads.
        """
        self.stale.pop(host, None)


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


__all__ = ["Libraries", "check_content_libraries"]
