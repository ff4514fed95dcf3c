# -*- test-case-name: tests.scripts.test_modules,tests.scripts.test_limits_audit -*-
"""
The script modules a server keeps instantiated, bounded by bytes per owner
and across the server.

A module (a script instantiated in its owner's domain, its own globals) is a
cache: it is loaded again when it is not here. Each one kept counts against
its owner's share of memory: what its globals hold (walked, see
L{scripting.domain.Domain.measure}), its compiled code, and
L{MODULE_OVERHEAD}; an owner with any module kept also counts their domain
(L{DOMAIN_BYTES}). Between walks a module counts at most what its tasks since
could have added (L{scripting.domain.ScriptModule.bytes_bound}); when those
bounds pass a limit the modules are walked again, and only then is anything
evicted.

  - B{Per owner} (L{OWNER_BYTES}): an owner over their share loses their own
    least recently used modules, never anyone else's. A module that alone is
    bigger than the share is not kept at all.
  - B{Across the server} (L{SERVER_BYTES}): while the server is over, the
    owner holding the most loses their least recently used module (ties: the
    owner whose module was just loaded or grew). So one owner can never make
    another who holds less than they do pay for a reload.

A module that leaves the cache (evicted, or forgotten because its script,
room or grants changed) is unloaded from its domain
(L{scripting.domain.Domain.unload}): its globals are cleared and nothing of
it stays reachable. An owner with no module left loses their domain too.

Entries may depend on others (C{needs}): forgetting an entry forgets what
needs it. This is how in-world libraries fit: the copy of a library an
importing domain holds is an entry of the importer (charged to the
importer), and each module that imported it needs it; when the library's
script changes, forgetting its host forgets every copy, and every module that
imported one is loaded again.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator

from attrs import define, field

from scripting.domain import STATE_MAX_BYTES, ScriptModule

#: Bytes one owner's kept modules may hold (besides their domain's).
OWNER_BYTES = 32 * 1024 * 1024
#: Bytes every owner's kept modules and domains may hold together.
SERVER_BYTES = 512 * 1024 * 1024
#: What a module costs besides what its globals keep and its code: its
#: globals table, hooks and records.
MODULE_OVERHEAD = 8 * 1024
#: What an owner's domain costs (builtins, module facades, classes), counted
#: while they have any module kept.
DOMAIN_BYTES = 160 * 1024

Owner = int | None


@define(eq=False)
class Entry:
    """
    One kept module.

    @ivar key: what it is kept under (for scripts on objects: the host, its
        owner, the script's version, its room and grants).
    @ivar owner: who is charged for it.
    @ivar module: the module.
    @ivar host: the id of the object whose script it is (None: none).
    @ivar needs: the keys of the entries it depends on.
    @ivar fixed: bytes that do not change (code and overhead).
    @ivar charged: what it counts for in its owner's and the server's totals
        (brought up to date by L{ModuleCache}).
    """

    key: Hashable
    owner: Owner
    module: ScriptModule
    host: int | None = None
    needs: tuple = ()
    fixed: int = 0
    charged: int = 0
    needed_by: set = field(factory=set)

    def bytes(self) -> int:
        """
        At most how many bytes it holds now (without walking it).
        """
        return self.fixed + self.module.bytes_bound()


class TooBig(Exception):
    """
    A module would not fit in its owner's share even alone; the message says
    so for the owner.
    """


class ModuleCache:
    """
    Kept modules by key, least recently used first per owner.

    @ivar owner_bytes: the per-owner limit.
    @ivar server_bytes: the server's limit.
    @ivar on_drop: called with each entry that leaves the cache, after its
        module was unloaded.
    """

    def __init__(self, *, owner_bytes: int = OWNER_BYTES, server_bytes: int = SERVER_BYTES,
                 owner_limit: Callable[[Owner], int | None] | None = None,
                 on_drop: Callable[[Entry], None] | None = None) -> None:
        self.owner_bytes = owner_bytes
        #: An owner's own limit (a wizard's choice), or None for L{owner_bytes}.
        self.owner_limit = owner_limit or (lambda owner: None)
        self.server_bytes = server_bytes
        self.on_drop = on_drop or (lambda entry: None)
        self._entries: dict[Hashable, Entry] = {}
        self._by_owner: dict[Owner, OrderedDict[Hashable, Entry]] = {}
        self._used: dict[Owner, int] = {}  # owner → the sum of their entries' charges
        self._by_host: dict[int, set[Hashable]] = {}  # host id → keys of its entries
        self._total = 0  # the sum of every entry's charge

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._entries

    def entries(self) -> Iterator[Entry]:
        """
        Every kept entry.
        """
        return iter(list(self._entries.values()))

    # -- reading -------------------------------------------------------------

    def get(self, key: Hashable) -> ScriptModule | None:
        """
        The module kept under C{key} (now the most recently used of its
        owner's), or None.
        """
        entry = self._entries.get(key)
        if entry is None:
            return None
        self._by_owner[entry.owner].move_to_end(key)
        return entry.module

    def limit(self, owner: Owner) -> int:
        """
        The bytes C{owner}'s kept modules may hold: their own limit, else
        L{owner_bytes}.
        """
        own = self.owner_limit(owner)
        return self.owner_bytes if own is None else own

    def used(self, owner: Owner) -> int:
        """
        The bytes charged to C{owner} now (0 if nothing of theirs is kept).
        """
        used = self._used.get(owner)
        return 0 if used is None else DOMAIN_BYTES + used

    def total(self) -> int:
        """
        The bytes charged to every owner together.
        """
        return self._total + DOMAIN_BYTES * len(self._used)

    def owners(self) -> set[Owner]:
        """
        Every owner with a module kept.
        """
        return set(self._by_owner)

    # -- keeping -------------------------------------------------------------

    def put(self, key: Hashable, owner: Owner, module: ScriptModule, *,
            host: int | None = None, needs: tuple = ()) -> None:
        """
        Keep C{module} under C{key}, charged to C{owner}: its globals are
        walked now. Other modules of the owner (least recently used first)
        leave to make room; across the server, the heaviest owner's do.

        @param needs: keys of kept entries it depends on (it is forgotten
            with any of them).
        @raise TooBig: it alone is over the owner's share; it was unloaded
            and nothing else changed.
        """
        self.forget(key)
        module.domain.measure(module)
        entry = Entry(key, owner, module, host, tuple(needs),
                      module.code_bytes() + MODULE_OVERHEAD)
        alone = DOMAIN_BYTES + entry.bytes()
        limit = self.limit(owner)
        if alone > limit or entry.bytes() > STATE_MAX_BYTES:
            module.domain.unload(module)
            raise TooBig(f"it needs {alone // 1024} KiB of memory kept loaded, more than "
                         f"your scripts may hold ({limit // 1024} KiB)")
        for need in entry.needs:
            found = self._entries.get(need)
            if found is not None:
                found.needed_by.add(key)
        self._entries[key] = entry
        self._by_owner.setdefault(owner, OrderedDict())[key] = entry
        if host is not None:
            self._by_host.setdefault(host, set()).add(key)
        self._used.setdefault(owner, 0)
        self._recharge(entry)
        self._fit(owner, entry)

    def grew(self, key: Hashable) -> str | None:
        """
        After a task of the module kept under C{key}: if it may now put its
        owner or the server over a limit, walk what may have grown and evict
        as L{put} does.

        @return: why the module itself was dropped (it alone is over its
            owner's share), or None if it is still kept (or was not).
        """
        entry = self._entries.get(key)
        if entry is None:
            return None
        self._recharge(entry)
        self._fit(entry.owner, entry)
        if key in self._entries:
            return None
        return (f"{entry.module.name}: its state was discarded because it kept more memory "
                f"than your scripts may hold ({self.limit(entry.owner) // 1024} KiB)")

    def forget(self, key: Hashable) -> None:
        """
        Stop keeping the entry under C{key} and everything that needs it,
        unloading their modules.
        """
        doomed = [key]
        while doomed:
            entry = self._entries.pop(doomed.pop(), None)
            if entry is None:
                continue
            doomed.extend(entry.needed_by)
            kept = self._by_owner[entry.owner]
            del kept[entry.key]
            if entry.host is not None:
                keys = self._by_host[entry.host]
                keys.discard(entry.key)
                if not keys:
                    del self._by_host[entry.host]
            self._used[entry.owner] -= entry.charged
            self._total -= entry.charged
            if not kept:
                del self._by_owner[entry.owner]
                del self._used[entry.owner]
            for need in entry.needs:
                found = self._entries.get(need)
                if found is not None:
                    found.needed_by.discard(entry.key)
            entry.module.domain.unload(entry.module)
            self.on_drop(entry)

    def keeps_host(self, host: int) -> bool:
        """
        Whether a module of the script on object C{host} is kept.
        """
        return host in self._by_host

    def forget_host(self, host: int) -> None:
        """
        Stop keeping every module of the script on object C{host} (and what
        needs them).
        """
        for key in list(self._by_host.get(host, ())):
            self.forget(key)

    def clear(self) -> None:
        """
        Forget everything.
        """
        for key in list(self._entries):
            self.forget(key)

    # -- limits --------------------------------------------------------------

    def _recharge(self, entry: Entry) -> None:
        now = entry.bytes()
        self._used[entry.owner] += now - entry.charged
        self._total += now - entry.charged
        entry.charged = now

    def _measure(self, owner: Owner) -> None:
        """
        Walk the modules of C{owner} that ran since their last walk.
        """
        for entry in list(self._by_owner.get(owner, {}).values()):
            module = entry.module
            if module.pending_ticks or module.pending_bytes:
                module.domain.measure(module)
                self._recharge(entry)

    def _fit(self, owner: Owner, newest: Entry) -> None:
        limit = self.limit(owner)
        if self.used(owner) > limit:
            self._measure(owner)
            self._shed(owner, newest, limit)
        if self.total() <= self.server_bytes:
            return
        for other in self.owners():
            self._measure(other)
        while self.total() > self.server_bytes and self._entries:
            heaviest = max(self._by_owner,
                           key=lambda o: (self.used(o), o == newest.owner))
            self._shed(heaviest, newest, self.used(heaviest) - 1)

    def _shed(self, owner: Owner, newest: Entry, limit: int) -> None:
        """
        Evict C{owner}'s least recently used modules until they hold at most
        C{limit}; C{newest} goes last (if at all).
        """
        while self.used(owner) > limit:
            kept = self._by_owner.get(owner)
            if not kept:
                return
            victim = next((e for e in kept.values() if e is not newest), newest)
            self.forget(victim.key)


__all__ = ["DOMAIN_BYTES", "MODULE_OVERHEAD", "OWNER_BYTES", "SERVER_BYTES", "Entry",
           "ModuleCache", "TooBig"]
