# -*- test-case-name: tests.scripts.test_libraries,tests.world.test_store -*-
"""
Players' libraries, as the world stores them: named scripts an owner keeps
(not on any object), whose exported names that owner's scripts, and those of
the players the owner shared the library with, may import.

The world keeps only the text and its bookkeeping; running a library is the
engine's business: every script that imports one gets its own copy, run in
the importer's domain on the importer's budget (L{engine.scripts.libraries}).

A share is a revocable record of (owner, library name, grantee). It starts
as an offer: the grantee's scripts import nothing of it until the grantee
accepts it (L{accept}), since a library runs in the importer's domain, with
whatever the importer's script hands it, and a share nobody asked for must
neither run there nor make an import the grantee relies on ambiguous. Once
accepted, the grantee's scripts may import the library by its name (their
own library of the same name comes first), and a grantee accepts at most
one library of a name. Shares a world stored before offers were kept are
accepted ones.
"""

from __future__ import annotations

import keyword
import re
from typing import Any

from BTrees.IOBTree import IOBTree
from BTrees.OOBTree import OOBTree
from persistent import Persistent

from world.errors import WorldError
from world.ignores import account_of, hidden_among
from world.registries import WORLD, owner_key

#: Library names: short lower-case identifiers.
NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
#: Names no library may take: the modules every script may import, and other
#: standard names a script may expect to mean what Python means.
RESERVED = frozenset({"math", "random", "string", "json", "re", "time", "os", "sys",
                      "builtins", "exports"})
#: Players a library may be shared with at once.
MAX_SHARES = 100


class LibraryRecord(Persistent):
    """
    One library.

    @ivar owner: its owner's id (None: the world, for content libraries).
    @ivar name: its name, which importers use.
    @ivar source: the Python source text.
    @ivar version: raised on every save; importers reload when it changes.
    @ivar exports: the names it exports, as the engine found them when it
        was saved; None until the engine has looked (content libraries).
    @ivar suspended: why it cannot be imported now (its problems), or None.
    @ivar author: who saved it (None: content).
    """

    #: Bytes of its source charged to its owner's stored bytes
    #: (L{scripting.facets.texts}); content's, and older ones, count for nothing.
    charged = 0

    def __init__(self, owner: int | None, name: str, source: str, version: int = 1,
                 author: int | None = None) -> None:
        self.owner = owner
        self.name = name
        self.source = source
        self.version = version
        self.exports: tuple[str, ...] | None = None
        self.suspended: str | None = None
        self.author = author

    def __repr__(self) -> str:
        return f"<LibraryRecord {self.name!r} of {self.owner} v{self.version}>"

    def lines(self) -> list[str]:
        """
        The source as lines (no line endings).
        """
        return self.source.split("\n") if self.source else []


class LibraryRegistry(Persistent):
    """
    Every library by owner and name, and every share.

    @ivar by_owner: owner key → name → L{LibraryRecord}.
    @ivar shares: (owner key, name, grantee id) → True (accepted) or False
        (offered, not accepted yet).
    @ivar shared_with: grantee id → (owner key, name) → True: the accepted
        shares, which the grantee's scripts may import.
    @ivar offered_to: grantee id → (owner key, name) → True: the offers
        waiting for the grantee (None in a registry stored before offers
        were kept, until the first offer).
    """

    offered_to: IOBTree | None = None

    def __init__(self) -> None:
        self.by_owner: IOBTree = IOBTree()
        self.shares: OOBTree = OOBTree()
        self.shared_with: IOBTree = IOBTree()
        self.offered_to = IOBTree()


def check_name(name: str) -> str:
    """
    C{name} as a library name.

    @raise WorldError: it cannot be one (the message says what can).
    """
    name = name.strip()
    if not NAME.match(name) or keyword.iskeyword(name):
        raise WorldError(f"{name!r} cannot name a library: use a lower-case word of letters, "
                         "digits and _ (at most 32), as you will write it after 'import'.")
    if name in RESERVED:
        raise WorldError(f"{name!r} is the name of a module every script has; choose another "
                         "name for your library.")
    return name


def _registry(root: object) -> LibraryRegistry:
    return root.libraries  # type: ignore[attr-defined]


def library(root: object, owner: int | None, name: str) -> LibraryRecord | None:
    """
    C{owner}'s library called C{name}, or None.
    """
    mine = _registry(root).by_owner.get(owner_key(owner))
    return mine.get(name) if mine is not None else None


def libraries_of(root: object, owner: int | None) -> list[LibraryRecord]:
    """
    C{owner}'s libraries, by name.
    """
    mine = _registry(root).by_owner.get(owner_key(owner))
    return list(mine.values()) if mine is not None else []


def set_library(root: object, owner: int | None, name: str, source: str,
                author: int | None) -> LibraryRecord:
    """
    Keep C{source} as C{owner}'s library C{name} (a new version of it, if
    it exists; its shares stay).
    """
    registry = _registry(root)
    mine = registry.by_owner.get(owner_key(owner))
    if mine is None:
        mine = registry.by_owner[owner_key(owner)] = OOBTree()
    old = mine.get(name)
    record = LibraryRecord(owner, name, source, old.version + 1 if old is not None else 1,
                           author)
    mine[name] = record
    return record


def remove_library(root: object, owner: int | None, name: str) -> bool:
    """
    Remove C{owner}'s library C{name} and its shares; whether it existed.
    """
    registry = _registry(root)
    mine = registry.by_owner.get(owner_key(owner))
    if mine is None or name not in mine:
        return False
    for grantee in grantees(root, owner, name):
        unshare(root, owner, name, grantee)
    del mine[name]
    if not mine:
        del registry.by_owner[owner_key(owner)]
    return True


def share(root: object, owner: int | None, name: str, grantee: int) -> bool:
    """
    Offer C{owner}'s library C{name} to C{grantee}: their scripts may import
    it once they accept it (L{accept}); whether it was not offered or shared
    to them already.

    @raise WorldError: no such library, the grantee is its owner, or it is
        shared with L{MAX_SHARES} players already.
    """
    if library(root, owner, name) is None:
        raise WorldError(f"You have no library called {name}.")
    if grantee == owner:
        raise WorldError("Your scripts may import your own libraries already.")
    registry = _registry(root)
    key = (owner_key(owner), name, grantee)
    if key in registry.shares:
        return False
    if len(grantees(root, owner, name)) >= MAX_SHARES:
        raise WorldError(f"The library {name} is shared with {MAX_SHARES} players already; "
                         "revoke a share first.")
    registry.shares[key] = False
    _put(_offers(registry), grantee, (owner_key(owner), name))
    return True


def accept(root: object, owner: int | None, name: str, grantee: int) -> bool:
    """
    C{grantee} accepts C{owner}'s offer of the library C{name}: their
    scripts may import it from now on; whether there was such an offer
    (False: none, or it was accepted already).

    @raise WorldError: the grantee accepted another's library of that
        name already (they refuse that one first: an import names one).
    """
    registry = _registry(root)
    key = (owner_key(owner), name, grantee)
    if registry.shares.get(key) is not False:
        return False
    if any(shared == name for _, shared in _shared_keys(root, grantee)):
        raise WorldError(f"You accepted another library called {name} already; refuse it "
                         f"first ('@revoke <its owner> = library {name}'): 'import {name}' "
                         "names one.")
    registry.shares[key] = True
    _drop(_offers(registry), grantee, (owner_key(owner), name))
    _put(registry.shared_with, grantee, (owner_key(owner), name))
    return True


def accepted(root: object, owner: int | None, name: str, grantee: int) -> bool:
    """
    Whether C{grantee} accepted C{owner}'s library C{name} (not only
    offered).
    """
    return _registry(root).shares.get((owner_key(owner), name, grantee)) is True


def offers_to(root: object, grantee: int) -> list[tuple[int | None, str]]:
    """
    The (owner, name) of each library offered to C{grantee} and not
    accepted yet, by owner then name (no library read).
    """
    mine = _offers(_registry(root)).get(grantee)
    return [(None if key == WORLD else key, name)
            for key, name in (mine.keys() if mine is not None else ())]


def offers_shown(root: Any, grantee: int) -> list[tuple[int | None, str]]:
    """
    L{offers_to} C{grantee} but those from owners he ignores
    (L{world.ignores.hidden_among}: a wizard is never ignored): the offers
    every text shown to him may name, made before he ignored their owner
    too (the names are the owner's choice).
    """
    offered = offers_to(root, grantee)
    character = root.get(grantee) if offered else None
    account = account_of(root, character) if character is not None else None
    if account is None:
        return offered
    hidden = hidden_among(root, account, {by for by, _ in offered if by is not None})
    return [(by, name) for by, name in offered if by not in hidden]


def _offers(registry: LibraryRegistry) -> IOBTree:
    if registry.offered_to is None:
        registry.offered_to = IOBTree()
    return registry.offered_to


def _put(tree: IOBTree, grantee: int, key: tuple[int, str]) -> None:
    mine = tree.get(grantee)
    if mine is None:
        mine = tree[grantee] = OOBTree()
    mine[key] = True


def _drop(tree: IOBTree, grantee: int, key: tuple[int, str]) -> None:
    mine = tree.get(grantee)
    if mine is not None:
        mine.pop(key, None)
        if not mine:
            del tree[grantee]


def unshare(root: object, owner: int | None, name: str, grantee: int) -> bool:
    """
    Stop sharing (or offering) C{owner}'s library C{name} with C{grantee};
    whether it was.
    """
    registry = _registry(root)
    key = (owner_key(owner), name, grantee)
    if key not in registry.shares:
        return False
    del registry.shares[key]
    _drop(registry.shared_with, grantee, (owner_key(owner), name))
    if registry.offered_to is not None:
        _drop(registry.offered_to, grantee, (owner_key(owner), name))
    return True


def grantees(root: object, owner: int | None, name: str) -> list[int]:
    """
    The players C{owner}'s library C{name} is shared with or offered to
    (L{accepted} tells which).
    """
    low = (owner_key(owner), name, 0)
    high = (owner_key(owner), name, 2**62)
    return [key[2] for key in _registry(root).shares.keys(low, high)]


def shared_with(root: object, grantee: int) -> list[LibraryRecord]:
    """
    The libraries of others shared with C{grantee} (accepted), by name then
    owner.
    """
    mine = _registry(root).shared_with.get(grantee)
    found = []
    for key, name in (mine.keys() if mine is not None else ()):
        record = library(root, None if key == WORLD else key, name)
        if record is not None:
            found.append(record)
    return sorted(found, key=lambda r: (r.name, owner_key(r.owner)))


def importable(root: object, owner: int | None, name: str) -> list[LibraryRecord]:
    """
    The libraries C{owner}'s scripts would get for C{import name}: their own
    (then only it), else those shared with them under that name (more than
    one is ambiguous: the importer is told whose they are).
    """
    own = library(root, owner, name)
    if own is not None:
        return [own]
    if owner is None:
        return []
    # Only the records of the libraries called C{name} are read: others may
    # share any number with a player, unasked, and her every import would
    # otherwise read them all.
    found = []
    for key, shared in _shared_keys(root, owner):
        if shared == name:
            record = library(root, None if key == WORLD else key, name)
            if record is not None:
                found.append(record)
    return sorted(found, key=lambda r: owner_key(r.owner))


def _shared_keys(root: object, grantee: int) -> list[tuple[int, str]]:
    # (owner key, name) of each library shared with C{grantee}: no record read.
    mine = _registry(root).shared_with.get(grantee)
    return list(mine.keys()) if mine is not None else []


def importable_names(root: object, owner: int | None) -> list[str]:
    """
    Every library name C{owner}'s scripts may import (reading the names
    of their own and of those shared with them, never the libraries).
    """
    mine = _registry(root).by_owner.get(owner_key(owner))
    names = set(mine.keys()) if mine is not None else set()
    if owner is not None:
        names |= {shared for key, shared in _shared_keys(root, owner)
                  if library(root, None if key == WORLD else key, shared) is not None}
    return sorted(names)
