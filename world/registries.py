# -*- test-case-name: tests.world.test_store,tests.facets.test_state -*-
"""
The world's indexes: of objects by the words of their names (L{NameIndex}),
and of script records: grants and timers, by id and by what
they are looked up by. The records themselves (L{scripting.facets.grants.Grant},
L{scripting.facets.timers.Timer}) belong to the sandbox; the registries that
hold them are plain persistent indexes, declared on the world root
(L{world.root.WorldRoot}) so that the root and the schema generations know
every tree stored on it.

A registry reads only these fields of a record: C{id}, C{owner} (None: the
world, indexed under L{WORLD}), C{host} (with its C{id}), and C{name} and
C{target} (with its C{id}) (a grant) or C{due} (a timer).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from BTrees.IIBTree import IITreeSet
from BTrees.IOBTree import IOBTree
from BTrees.OOBTree import OOBTree
from persistent import Persistent

#: The key the owner None (the world) is indexed under.
WORLD = 0


def owner_key(owner: int | None) -> int:
    """
    The index key of C{owner}.
    """
    return WORLD if owner is None else owner


class GrantRegistry(Persistent):
    """
    The live grants, by id, by owner, by host and name, and by target.
    Revoked grants leave the registry (facets stored elsewhere keep the
    record alive, dead).
    """

    #: Class default: registries stored before generation 5 (which indexes
    #: them) have no index by target.
    by_target: IOBTree | None = None

    def __init__(self) -> None:
        self.next_id = 1
        self.live: IOBTree = IOBTree()
        self.by_owner: IOBTree = IOBTree()
        self.by_host: IOBTree = IOBTree()
        self.by_target = IOBTree()  # target id → grant ids

    def add(self, grant: Any) -> None:
        self.live[grant.id] = grant
        self.by_owner.setdefault(owner_key(grant.owner), IITreeSet()).add(grant.id)
        self.by_host.setdefault(grant.host.id, OOBTree())[grant.name] = grant.id
        if self.by_target is not None:
            self.by_target.setdefault(grant.target.id, IITreeSet()).add(grant.id)

    def remove(self, grant: Any) -> None:
        self.live.pop(grant.id, None)
        ids = self.by_owner.get(owner_key(grant.owner))
        if ids is not None:
            ids.discard(grant.id)
            if not ids:
                del self.by_owner[owner_key(grant.owner)]
        names = self.by_host.get(grant.host.id)
        if names is not None and names.get(grant.name) == grant.id:
            del names[grant.name]
            if not names:
                del self.by_host[grant.host.id]
        index = self.by_target
        targets = index.get(grant.target.id) if index is not None else None
        if index is not None and targets is not None:
            targets.discard(grant.id)
            if not targets:
                del index[grant.target.id]

    def involving(self, obj_id: int) -> list[Any]:
        """
        The live grants whose host or target is object C{obj_id}, by id.
        """
        ids = set(self.by_host.get(obj_id, {}).values())
        if self.by_target is None:  # (not indexed yet: look through them all)
            ids.update(g.id for g in self.live.values() if g.target.id == obj_id)
        else:
            ids.update(self.by_target.get(obj_id, ()))
        return [self.live[i] for i in sorted(ids) if i in self.live]

    def index_targets(self) -> None:
        """
        Build the index by target (for a registry stored before it existed).
        """
        self.by_target = IOBTree()
        for grant in self.live.values():
            self.by_target.setdefault(grant.target.id, IITreeSet()).add(grant.id)


class TimerRegistry(Persistent):
    """
    Pending timers by id, by due time and by host; those waiting for a
    suspended script (L{scripting.facets.timers.park}) are out of the
    queue, by the id of the object holding that script.
    """

    #: holder id → ids of its parked timers (made when one is first parked).
    parked: IOBTree | None = None
    #: owner key → ids of their parked timers (made when one is first parked;
    #: timers parked before it existed are not in it).
    parked_by_owner: IOBTree | None = None
    #: ids of the objects whose script's restart is still going through the
    #: things running it (L{world.scripts.ScriptRecord.restart_next}), to go
    #: on after a restart of the server (made at the first).
    restarts: IITreeSet | None = None
    #: owner id → their L{world.scripts.FailureLog} (made at the first failure).
    failures: IOBTree | None = None

    def __init__(self) -> None:
        self.next_id = 1
        self.live: IOBTree = IOBTree()
        self.queue: OOBTree = OOBTree()  # (due, id) → Timer
        self.by_host: IOBTree = IOBTree()  # host id → ids

    def add(self, timer: Any) -> None:
        self.live[timer.id] = timer
        self.queue[(timer.due, timer.id)] = timer
        self.by_host.setdefault(timer.host.id, IITreeSet()).add(timer.id)

    def remove(self, timer: Any) -> None:
        self.live.pop(timer.id, None)
        self.queue.pop((timer.due, timer.id), None)
        ids = self.by_host.get(timer.host.id)
        if ids is not None:
            ids.discard(timer.id)
            if not ids:
                del self.by_host[timer.host.id]


def name_words(names: Iterable[str]) -> set[str]:
    """
    The keys the L{NameIndex} keeps an object under for C{names}: each word
    (lower-cased, split at spaces), and each whole name (its words joined by
    one space) after a space (L{whole_name}).
    """
    names = list(names)
    return ({word for name in names for word in name.lower().split()}
            | {whole_name(name) for name in names})


def whole_name(name: str) -> str:
    """
    The key of the L{NameIndex} for the exact name C{name}: a space before
    it, so that it is never taken for a word (and never starts with one).
    """
    return " " + " ".join(name.lower().split())


class NameIndex(Persistent):
    """
    Every object by the words of its names (its name and aliases,
    lower-cased) and by each whole name: what C{@find} and builders' lookups by name read instead
    of every object in the world. Kept by L{world.root.WorldRoot} as objects
    are made, renamed and destroyed.

    Since generation 12 it also keeps the things, rooms and exits (not
    characters) by the look-alike keys of their names and of each name's
    first word (L{world.names.thing_looks}): what a new account may not be
    called (L{world.names.account_refusal}).

    @ivar by_word: word → the ids of the objects with a name holding it.
    @ivar by_look: look-alike key → the ids of the things, rooms and exits
        with a name (or a name's first word) that has it; None in an index
        stored before generation 12.
    @ivar looks_made_by: what made the look-alike keys (L{world.names}
        stamps them): keys made otherwise are made again when the world
        is opened.
    """

    #: Class default: indexes stored before generation 12 keep no look-alike keys.
    by_look: OOBTree | None = None
    looks_made_by: str | None = None

    def __init__(self, looks_made_by: str | None = None) -> None:
        self.by_word: OOBTree = OOBTree()
        self.by_look = OOBTree()
        self.looks_made_by = looks_made_by

    def add(self, obj_id: int, names: Iterable[str]) -> None:
        """
        Index object C{obj_id} under the words of C{names}.
        """
        _file(self.by_word, obj_id, name_words(names))

    def discard(self, obj_id: int, names: Iterable[str]) -> None:
        """
        Forget object C{obj_id} under the words of C{names}.
        """
        _unfile(self.by_word, obj_id, name_words(names))

    def add_looks(self, obj_id: int, looks: Iterable[str]) -> None:
        """
        Index object C{obj_id} under the look-alike keys C{looks}.
        """
        if self.by_look is not None:
            _file(self.by_look, obj_id, looks)

    def discard_looks(self, obj_id: int, looks: Iterable[str]) -> None:
        """
        Forget object C{obj_id} under the look-alike keys C{looks}.
        """
        if self.by_look is not None:
            _unfile(self.by_look, obj_id, looks)

    def looking(self, looks: Iterable[str]) -> Iterator[int]:
        """
        The ids of the objects indexed under any of the look-alike keys
        C{looks}, in id order, read as they are wanted: a key most of the
        world has (C{a}, a first word) is read no further than the caller
        goes. (An object since renamed may be among them: the caller reads
        its names again.)
        """
        if self.by_look is None:
            return
        last = None
        for obj_id in heapq.merge(*(self.by_look.get(look, ()) for look in looks)):
            if obj_id != last:
                yield obj_id
                last = obj_id

    def starting(self, prefix: str, limit: int) -> tuple[list[int], bool]:
        """
        The ids of objects with a word of a name starting with C{prefix}
        (one word, lower-case), in id order: at most C{limit} of them, and
        whether there were more.
        """
        found: set[int] = set()
        for word in self.by_word.keys(min=prefix):
            if not word.startswith(prefix):
                break
            # The first of a word's ids are enough: a word held by most of
            # the world ('a') is read no further than the limit.
            found.update(islice(self.by_word[word], limit + 1))
            if len(found) > limit:
                return sorted(found)[:limit], True
        return sorted(found), False

    def named(self, name: str) -> list[int]:
        """
        The ids of the objects one of whose names is exactly C{name}, in id
        order.
        """
        return list(self.by_word.get(whole_name(name), ()))


def _file(tree: OOBTree, obj_id: int, keys: Iterable[str]) -> None:
    """
    Add C{obj_id} to the set of ids C{tree} keeps under each of C{keys}.
    """
    for key in keys:
        ids = tree.get(key)
        if ids is None:
            ids = tree[key] = IITreeSet()
        ids.add(obj_id)


def _unfile(tree: OOBTree, obj_id: int, keys: Iterable[str]) -> None:
    """
    Take C{obj_id} out of the set of ids C{tree} keeps under each of
    C{keys}, and drop the sets left empty.
    """
    for key in keys:
        ids = tree.get(key)
        if ids is not None:
            if obj_id in ids:
                ids.remove(obj_id)
            if not ids:
                del tree[key]
