# -*- test-case-name: tests.world.test_store,tests.facets.test_state -*-
"""
The world's indexes of script records: grants and timers, by id and by what
they are looked up by. The records themselves (L{scripting.facets.grants.Grant},
L{scripting.facets.timers.Timer}) belong to the sandbox; the registries that
hold them are plain persistent indexes, declared on the world root
(L{world.root.WorldRoot}) so that the root and the schema generations know
every tree stored on it.

A registry reads only these fields of a record: C{id}, C{owner} (None: the
world, indexed under L{WORLD}), C{host} (with its C{id}), and C{name} (a grant)
or C{due} (a timer).
"""

from __future__ import annotations

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
    The live grants, by id, by owner and by host and name. Revoked grants
    leave the registry (facets stored elsewhere keep the record alive, dead).
    """

    def __init__(self) -> None:
        self.next_id = 1
        self.live: IOBTree = IOBTree()
        self.by_owner: IOBTree = IOBTree()
        self.by_host: IOBTree = IOBTree()

    def add(self, grant: Any) -> None:
        self.live[grant.id] = grant
        self.by_owner.setdefault(owner_key(grant.owner), IITreeSet()).add(grant.id)
        self.by_host.setdefault(grant.host.id, OOBTree())[grant.name] = grant.id

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


class TimerRegistry(Persistent):
    """
    Pending timers by id, by due time and by host.
    """

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
