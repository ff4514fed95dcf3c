# -*- test-case-name: tests.facets.test_state,tests.facets.test_checkers -*-
"""
Script state: persistent storage on a host object, within the owner's quota.

A host's scripts keep values under text keys: plain JSON-like values (None,
bools, ints, finite floats, text, and lists, tuples and text-keyed dicts of
them) and facets, nested freely. Facets are stored as
L{scripting.facets.capref.CapRef} records (never strings), and come back as
the same facets, dead if they have been revoked meanwhile.

Size is measured deterministically: the key's UTF-8 length plus the larger
of the value's length as canonical JSON (sorted keys, no spaces, UTF-8) and
the most its pickle can write (L{world.values.stored_bound}: a list of small
floats or of empty lists pickles to more than twice its JSON), each facet
counting what its record really writes
(L{scripting.facets.capref.stored_size}: about 450 to 600 bytes, by the
names it exposes), each revocation cell they die with its record once
(L{CELL_BYTES}: a grant's record stays written while a facet of it is kept,
after its owner was refunded at its revocation), plus what each key writes
beyond those (L{KEY_BYTES} and the key's length twice again: L{stored}). The sizes of all keys of
all hosts an owner is charged for must stay within the owner's stored-bytes
quota
(L{scripting.facets.accounting}); a store that would exceed it raises
L{QuotaExceeded} and stores nothing. A host's first value also writes the
state's own records (L{HostState} and its trees): it is charged
L{RECORD_BYTES} more, refunded when its last value is deleted (the records
go with it) or the host is destroyed.

Scripts use the facet like a dict too: C{state[k] = v} is C{set},
C{state[k]} is C{get} but raises C{KeyError} when nothing is stored (so is
C{del state[k]}, which is C{delete}), and C{k in state}, C{len(state)},
C{bool(state)} and iterating (a L{KeyIterator} over a snapshot of the sorted
keys) read the keys. Every read is a fresh copy, never a view: changing it
stores nothing until it is stored again.

Storage: an C{IOBTree} declared on the world root
(L{world.root.WorldRoot.script_state}): host id → L{HostState}. Scripts reach their host's
state through L{state_facet} (the engine hands it to them, e.g. as
C{state}); trusted code uses the functions here.
"""

from __future__ import annotations

from typing import Any

from BTrees.IOBTree import IOBTree
from BTrees.OOBTree import OOBTree
from persistent import Persistent
from zope.interface import implementer
from zope.security.proxy import Proxy

from scripting.facets import accounting, inputs
from scripting.facets.adapters import exists
from scripting.facets.base import FacetBase
from scripting.facets.capref import CapRef, capture, materialise, stored_size
from scripting.facets.checkers import (
    ServiceChecker,
    install_checkers,
    interface_names,
    is_facet,
)
from scripting.facets.context import charge, current_turn
from scripting.facets.errors import FacetError
from scripting.facets.interfaces import IScriptState
from scripting.facets.membrane import check_alive, is_alive
from world.errors import WorldError
from world.objects import Thing
from world.values import stored_bound

#: The attribute of the world root holding every host's state.
ROOT_ATTRIBUTE = "script_state"

#: What a host's state's own records (L{HostState}, its two trees, its
#: entry in the root's tree) keep written in the database, charged with its
#: first value: measured at about 470 bytes once packed, 560 for the
#: world's first (tests/redteam_world/test_hold_state_record.py).
RECORD_BYTES = 600

#: What each key costs the database beyond its text and its value's: its
#: entry in both trees (the key written again in C{sizes}, with its size),
#: the pickles' codes and its share of the trees' bucket records; measured
#: at about 37 bytes plus the key's length 1.1 times again, for a hundred
#: keys or a thousand, once packed (the trees' indexes keep some keys once
#: more; tests/redteam_world/test_charge_state_keys.py), and up to 54 beside
#: a value whose pickle fills the bucket's memo (each later code then writes
#: its longest; tests/redteam_world/test_charge_pickles.py). Charged with
#: every key (L{stored}), with the key's length twice again.
KEY_BYTES = 48

#: What the record of each revocation cell a stored facet dies with (a
#: grant's, a channel grant's, a hold's) keeps written for as long as the
#: facet is kept, charged with it: its grant's owner is refunded when it is
#: revoked, and a hold's when it is let go, while the record stays written
#: (measured at about 290 bytes for a grant with a short name, 210 for a
#: hold; the longest name and a reason add about 90;
#: tests/redteam_world/test_charge_cell_records.py).
CELL_BYTES = 400


class HostState(Persistent):
    """
    One host's stored values.

    @ivar host: the object the state belongs to.
    @ivar owner: who is charged for it (the host's owner when it was made).
    @ivar values: key → encoded value (plain values with L{CapRef} leaves).
    @ivar sizes: key → measured bytes.
    @ivar total: the sum of C{sizes}.
    @ivar record: what its own records were charged (L{RECORD_BYTES}; 0
        for a state made before they were charged, so never refunded).
    """

    record = 0

    def __init__(self, host: Thing, owner: int | None) -> None:
        self.host = host
        self.owner = owner
        self.values: OOBTree = OOBTree()
        self.sizes: OOBTree = OOBTree()
        self.total = 0
        self.record = RECORD_BYTES


def _states(root: Any) -> IOBTree:
    return root.script_state


def host_state(root: Any, host: Thing) -> HostState | None:
    """
    C{host}'s state record, if it ever stored anything.
    """
    tree = _states(root)
    return tree.get(host.id) if tree is not None else None


def _host_state_made(root: Any, host: Thing) -> HostState:
    tree = _states(root)
    found = tree.get(host.id)
    if found is None:
        found = tree[host.id] = HostState(host, host.owner)
    return found


def encode(value: Any, limit: int | None = None) -> Any:
    """
    A checked copy of C{value} with each facet replaced by its L{CapRef}.

    @param limit: the most bytes it may measure (refused early, cheaply,
        when it certainly measures more; see L{inputs.plain_copy}).

    @raise FacetError: something in it is neither plain nor a facet.
    """
    return inputs.plain_copy(value, leaf=_facet_leaf, limit=limit)


#: What state (and timers' data) may hold, for the error of storing anything else.
STORABLE = ("Only plain values (None, True and False, numbers, text, and lists, tuples and "
            "dicts with text keys of them) and facets of objects can be stored.")


def _facet_leaf(value: Any) -> CapRef:
    # A facet's record, dead as it is if it was revoked: a player revoking
    # what a script held of her (her right) must not make every later store
    # of a list holding it fail, for everyone. Anything else is refused
    # naming its kind (by type, calling nothing of it) and what may be
    # stored instead.
    if is_facet(value):
        return capture(value, dead=True)
    kind = type(value)
    if kind is set or kind is frozenset:
        raise FacetError(f"A {kind.__name__} cannot be stored: store a list instead "
                         f"(sorted(...) or list(...)). {STORABLE}")
    if kind is Proxy:
        raise FacetError(f"That cannot be stored: it is not a facet of an object (state, "
                         f"timers, a method). {STORABLE}")
    raise FacetError(f"A value of type {kind.__name__} cannot be stored. {STORABLE}")


def decode(encoded: Any) -> Any:
    """
    A fresh copy of a stored value, each L{CapRef} made a facet again.
    """
    kind = type(encoded)
    if kind is list:
        return [decode(x) for x in encoded]
    if kind is tuple:
        return tuple(decode(x) for x in encoded)
    if kind is dict:
        return {k: decode(v) for k, v in encoded.items()}
    if isinstance(encoded, CapRef):
        return materialise(encoded)
    return encoded


def measure(key: str, encoded: Any) -> int:
    """
    The bytes C{key} holding C{encoded} counts against the quota: the
    key's text and the larger of the value's canonical JSON and the most
    its pickle writes, each facet counting what its record writes, and
    each revocation cell its facets die with its record once
    (L{CELL_BYTES}).
    """
    cells: dict[int, Any] = {}

    def facet_size(ref: CapRef) -> int:
        cells.update((id(cell), cell) for cell in ref.cells)
        return stored_size(ref)

    json_size = inputs.canonical_size(encoded, placeholder=_facet_placeholder)
    size = max(json_size, stored_bound(encoded, leaf=facet_size))
    return len(key.encode("utf-8")) + size + CELL_BYTES * len(cells)


def stored(key: str, encoded: Any) -> int:
    """
    The bytes C{key} holding C{encoded} is charged in a host's state: what
    it measures (L{measure}), with what the key itself writes beyond its
    text (L{KEY_BYTES}, and its text twice again: it is written in both
    trees, and some keys in their indexes).
    """
    return measure(key, encoded) + KEY_BYTES + 2 * len(key.encode("utf-8"))


def _facet_placeholder(ref: CapRef) -> str:
    # As a JSON string, exactly the stored facet's size.
    return "f" * (stored_size(ref) - 2)


def set_value(root: Any, host: Thing, key: Any, value: Any) -> int:
    """
    Store C{value} under C{key} on C{host}; returns its size.

    @raise QuotaExceeded: the owner charged would exceed their quota;
        nothing is stored.
    @raise FacetError: a bad key, or a value neither plain nor facets.
    """
    key = inputs.key(key)
    found = host_state(root, host)
    owner = found.owner if found is not None else host.owner
    # A value certainly far bigger than the owner's whole quota can never
    # fit: refuse it before measuring it (measuring builds its JSON text).
    # Anything smaller is measured, and refused by the quota as usual.
    quota = accounting.usage(root, owner).stored_bytes_quota
    encoded = encode(value, limit=quota + inputs.MAX_STRING)
    size = stored(key, encoded)
    charge(size // 64)
    old = found.sizes.get(key, 0) if found is not None else 0
    record = RECORD_BYTES if found is None else 0  # its first value writes its records
    accounting.charge_bytes(root, owner, size - old + record)  # raises before anything changes
    made = _host_state_made(root, host)
    made.values[key] = encoded
    made.sizes[key] = size
    made.total += size - old
    return size


def get_value(root: Any, host: Thing, key: Any, default: Any = None) -> Any:
    """
    A copy of what C{host} stores under C{key}, or a copy of the plain
    C{default}.
    """
    key = inputs.key(key)
    found = host_state(root, host)
    if found is None or key not in found.values:
        return inputs.plain_copy(default)
    charge(found.sizes[key] // 64)
    return decode(found.values[key])


def item_value(root: Any, host: Thing, key: Any) -> Any:
    """
    A copy of what C{host} stores under C{key} (C{state[key]}).

    @raise KeyError: nothing is stored under C{key}.
    """
    key = inputs.key(key)
    found = host_state(root, host)
    if found is None or key not in found.values:
        raise KeyError(missing_key(key))
    charge(found.sizes[key] // 64)
    return decode(found.values[key])


def missing_key(key: str, deleting: bool = False) -> str:
    """
    The error of reading (or deleting) C{key} when nothing is stored under
    it: what to write instead (the key in double quotes, as a script would
    write it: a KeyError shows its message in single ones).
    """
    k = quoted(key)
    if deleting:
        return (f"Nothing is stored under {k} to delete: test first ({k} in state), "
                f"or use state.delete({k}), which does nothing then.")
    return (f"Nothing is stored under {k}: test first ({k} in state), or use "
            f"state.get({k}, 0) to get a default (0 here) instead.")


def quoted(key: str) -> str:
    """
    C{key} as a double-quoted Python string.
    """
    return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


def has_value(root: Any, host: Thing, key: Any) -> bool:
    """
    Whether C{host} stores something under C{key}.
    """
    key = inputs.key(key)
    found = host_state(root, host)
    return found is not None and key in found.values


def delete_value(root: Any, host: Thing, key: Any) -> None:
    """
    Forget C{key} on C{host}, refunding its bytes; its last key takes the
    state's own records with it, refunded too.
    """
    key = inputs.key(key)
    found = host_state(root, host)
    if found is None or key not in found.values:
        return
    if found.values.minKey() == found.values.maxKey():  # its last (len reads every bucket)
        forget_host(root, host)
        return
    size = found.sizes.pop(key)
    del found.values[key]
    found.total -= size
    accounting.charge_bytes(root, found.owner, -size)


def keys(root: Any, host: Thing) -> tuple[str, ...]:
    """
    C{host}'s stored keys, sorted (charged as a copy of them is).
    """
    found = host_state(root, host)
    if found is None:
        return ()
    listed = tuple(found.values.keys())
    charge(len(listed) // 8)  # the server's work on the script's behalf, as a copy's
    return listed


def used(root: Any, host: Thing) -> int:
    """
    The bytes C{host}'s state counts.
    """
    found = host_state(root, host)
    return found.total if found is not None else 0


def forget_host(root: Any, host: Thing) -> None:
    """
    Drop all of C{host}'s state, refunding its owner (when it is destroyed).
    """
    found = host_state(root, host)
    if found is None:
        return
    accounting.charge_bytes(root, found.owner, -(found.total + found.record))
    tree = _states(root)
    if tree is not None:
        del tree[host.id]


def transfer_state(root: Any, host: Thing, new_owner: int | None) -> None:
    """
    Charge C{host}'s state to C{new_owner} from now on (when it changes
    hands).

    @raise QuotaExceeded: the new owner has no room for it; nothing changes.
    """
    found = host_state(root, host)
    if found is None or found.owner == new_owner:
        return
    accounting.charge_bytes(root, new_owner, found.total + found.record)
    accounting.charge_bytes(root, found.owner, -(found.total + found.record))
    found.owner = new_owner


@implementer(IScriptState)
class StateFacet(FacetBase):
    """
    A script's handle on its host's state.
    """

    __slots__ = ()
    _tag = "state"

    def __repr__(self) -> str:
        return f"<state of {self._target.name!r}>" if is_alive(self._cells) else "<revoked facet>"

    __str__ = __repr__

    def _host(self) -> tuple[Any, Thing]:
        root = current_turn().root
        host = self._target
        if not exists(root, host):
            raise WorldError(f"{host.name} no longer exists.")
        return root, host

    def get(self, key: Any, default: Any = None) -> Any:
        return get_value(*self._host(), key, default)

    def set(self, key: Any, value: Any) -> None:
        set_value(*self._host(), key, value)

    def delete(self, key: Any) -> None:
        delete_value(*self._host(), key)

    def keys(self) -> tuple[str, ...]:
        return keys(*self._host())

    def used(self) -> int:
        return used(*self._host())

    # The same as a dict's operations: the names are IScriptState's, so its
    # checker allows them and nothing more.

    def __getitem__(self, key: Any) -> Any:
        return item_value(*self._host(), key)

    def __setitem__(self, key: Any, value: Any) -> None:
        set_value(*self._host(), key, value)

    def __delitem__(self, key: Any) -> None:
        root, host = self._host()
        if not has_value(root, host, key):
            raise KeyError(missing_key(key, deleting=True))
        delete_value(root, host, key)

    def __contains__(self, key: Any) -> bool:
        return has_value(*self._host(), key)

    def __len__(self) -> int:
        return len(keys(*self._host()))

    def __bool__(self) -> bool:
        check_alive(self._cells)  # the proxy does not ask its checker for a truth value
        found = host_state(*self._host())
        return found is not None and bool(found.values)

    def __iter__(self) -> Any:
        return KeyIterator(iter(keys(*self._host())), None, self._cells).proxied()


class KeyIterator(FacetBase):
    """
    An iterator over a snapshot of a state's keys (C{for key in state}),
    dying with the state facet it came from: it offers iteration only.
    """

    __slots__ = ()
    _tag = "keys"

    def __repr__(self) -> str:
        return "<iterator>"

    __str__ = __repr__

    def proxied(self) -> Any:
        """
        This iterator as a script holds it.
        """
        return Proxy(self, ServiceChecker(KEY_ITERATOR_NAMES, self._cells))

    def __iter__(self) -> Any:
        return self.proxied()

    def __next__(self) -> str:
        return next(self._target)


#: What a state's key iterator offers.
KEY_ITERATOR_NAMES = frozenset({"__iter__", "__next__"})


def state_facet(host: Thing, cells: tuple = ()) -> Any:
    """
    The state facet of C{host}'s scripts, dying with C{cells}. Trusted code
    only (the engine hands it to the host's scripts).
    """
    install_checkers([StateFacet, KeyIterator])  # an escaped target is inert
    cells = tuple(cells)
    return Proxy(StateFacet(host, None, cells),
                 ServiceChecker(interface_names(IScriptState), cells))
