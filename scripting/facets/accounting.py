# -*- test-case-name: tests.facets.test_roles,tests.facets.test_state,tests.facets.test_timers -*-
"""
Per-owner accounting of what scripts store and create.

One L{Account} per owner records the bytes of script state the owner's hosts
hold, the objects the owner's scripts have created and the timers pending on
the owner's hosts, against quotas. The
later C{@quota} command shows L{usage}; wizards see L{top_consumers}.

Storage: the accounts live in an C{IOBTree} declared on the world root
(L{world.root.WorldRoot.accounting}) (owner id → L{Account}; world-owned objects, whose
owner is None, are accounted under key L{WORLD} = 0, which no character id
uses). Quotas come from C{root.settings} under L{SETTING_STORED_BYTES},
L{SETTING_OBJECTS} and L{SETTING_TIMERS} (operator settings), else the
defaults here, unless an account carries its own.
"""

from __future__ import annotations

from typing import Any

from attrs import frozen
from BTrees.IOBTree import IOBTree
from persistent import Persistent

from scripting.facets.errors import QuotaExceeded

#: The account key for objects owned by the world itself (owner None).
WORLD = 0
#: The attribute of the world root holding the accounts.
ROOT_ATTRIBUTE = "accounting"
#: Operator setting: stored bytes per owner.
SETTING_STORED_BYTES = "facets.quota.stored_bytes"
#: Operator setting: objects created by scripts per owner.
SETTING_OBJECTS = "facets.quota.objects"
#: Operator setting: pending timers per owner.
SETTING_TIMERS = "facets.quota.timers"
#: Operator setting: ticks an owner's scripts may use per minute (their CPU share).
SETTING_TICKS = "facets.quota.ticks"
#: Operator setting: libraries each owner may keep.
SETTING_LIBRARIES = "facets.quota.libraries"
#: Operator setting: bytes each owner's loaded script modules may hold.
SETTING_MEMORY = "facets.quota.memory"
#: Defaults when there is no setting.
DEFAULT_STORED_BYTES = 64 * 1024
DEFAULT_OBJECTS = 100
DEFAULT_TIMERS = 20
DEFAULT_TICKS = 2_000_000
DEFAULT_LIBRARIES = 10
#: The engine's own per-owner module memory (engine.scripts.modules.OWNER_BYTES).
DEFAULT_MEMORY = 32 * 1024 * 1024

#: The limits wizards tune (C{@quota}, C{tessera run --quota-*}): the name
#: players see → (the L{Account} attribute of an owner's own limit, the
#: world's setting, the default, what it counts).
LIMITS: dict[str, tuple[str, str, int, str]] = {
    "objects": ("objects_quota", SETTING_OBJECTS, DEFAULT_OBJECTS, "objects owned"),
    "storage": ("stored_bytes_quota", SETTING_STORED_BYTES, DEFAULT_STORED_BYTES,
                "bytes of storage (script state, properties, names, descriptions, scripts, "
                "libraries)"),
    "timers": ("timers_quota", SETTING_TIMERS, DEFAULT_TIMERS, "timers pending"),
    "cpu": ("ticks_quota", SETTING_TICKS, DEFAULT_TICKS, "ticks a minute, all scripts together"),
    "libraries": ("libraries_quota", SETTING_LIBRARIES, DEFAULT_LIBRARIES, "libraries kept"),
    "memory": ("memory_quota", SETTING_MEMORY, DEFAULT_MEMORY,
               "bytes the loaded scripts (modules) may hold"),
}
#: The largest value a limit may be given (fits every counter, refuses typos of a zero too many).
MAX_LIMIT = 2**40


class Account(Persistent):
    """
    What one owner's scripts use.

    @ivar owner: the owner's id, or None for the world.
    @ivar stored_bytes: bytes of script state, properties and timers' data
        held on the owner's hosts.
    @ivar objects: the objects the owner owns, their character excepted:
        kept by L{count_object}/L{uncount_object} (facets' create/destroy; the
        engine's commands must call them too), rebuilt by L{recount_objects}.
    @ivar stored_bytes_quota: this owner's own limit, or None for the default.
    @ivar objects_quota: likewise for objects.
    @ivar timers: pending timers on the owner's hosts.
    @ivar timers_quota: this owner's own timer limit, or None.
    """

    stored_bytes_quota: int | None = None
    objects_quota: int | None = None
    timers_quota: int | None = None
    #: This owner's own CPU share (ticks a minute), or None for the default.
    ticks_quota: int | None = None
    #: This owner's own limit on libraries, or None for the default.
    libraries_quota: int | None = None
    #: This owner's own limit on loaded modules' bytes, or None for the default.
    memory_quota: int | None = None
    #: Pending timers (class default: accounts made before timers existed).
    timers = 0

    def __init__(self, owner: int | None) -> None:
        self.owner = owner
        self.stored_bytes = 0
        self.objects = 0


@frozen
class Usage:
    """
    A snapshot of an owner's usage, for display.
    """

    owner: int | None
    stored_bytes: int
    stored_bytes_quota: int
    objects: int
    objects_quota: int
    timers: int
    timers_quota: int
    ticks_quota: int = DEFAULT_TICKS
    libraries_quota: int = DEFAULT_LIBRARIES


def _key(owner: int | None) -> int:
    return WORLD if owner is None else owner


def _accounts(root: Any) -> IOBTree:
    return root.accounting


def _accounts_made(root: Any) -> IOBTree:
    return _accounts(root)


def account(root: Any, owner: int | None) -> Account:
    """
    The account of C{owner}, created if needed (so: inside a turn).
    """
    tree = _accounts_made(root)
    found = tree.get(_key(owner))
    if found is None:
        found = tree[_key(owner)] = Account(owner)
    return found


def _quota(root: Any, setting: str, default: int, own: int | None) -> int:
    if own is not None:
        return own
    value = root.settings.get(setting)
    return value if type(value) is int and value >= 0 else default


def usage(root: Any, owner: int | None) -> Usage:
    """
    What C{owner} uses and may use (creates nothing: safe outside a turn).
    """
    tree = _accounts(root)
    found = tree.get(_key(owner)) if tree is not None else None
    own_bytes = found.stored_bytes_quota if found is not None else None
    own_objects = found.objects_quota if found is not None else None
    own_timers = found.timers_quota if found is not None else None
    own_ticks = found.ticks_quota if found is not None else None
    own_libraries = found.libraries_quota if found is not None else None
    return Usage(
        owner=owner,
        stored_bytes=found.stored_bytes if found is not None else 0,
        stored_bytes_quota=_quota(root, SETTING_STORED_BYTES, DEFAULT_STORED_BYTES, own_bytes),
        objects=found.objects if found is not None else 0,
        objects_quota=_quota(root, SETTING_OBJECTS, DEFAULT_OBJECTS, own_objects),
        timers=found.timers if found is not None else 0,
        timers_quota=_quota(root, SETTING_TIMERS, DEFAULT_TIMERS, own_timers),
        ticks_quota=_quota(root, SETTING_TICKS, DEFAULT_TICKS, own_ticks),
        libraries_quota=_quota(root, SETTING_LIBRARIES, DEFAULT_LIBRARIES, own_libraries),
    )


def top_consumers(root: Any, limit: int = 10) -> list[Usage]:
    """
    The owners storing the most bytes (then owning the most objects), most
    first.
    """
    tree = _accounts(root)
    if tree is None:
        return []
    found = [usage(root, acct.owner) for acct in tree.values()]
    found.sort(key=lambda u: (-u.stored_bytes, -u.objects, _key(u.owner)))
    return found[:limit]


def set_quota(root: Any, owner: int | None, *, stored_bytes: int | None = None,
              objects: int | None = None, timers: int | None = None) -> None:
    """
    Give C{owner} their own limits (None: back to the default). For wizards'
    commands.
    """
    acct = account(root, owner)
    acct.stored_bytes_quota = stored_bytes
    acct.objects_quota = objects
    acct.timers_quota = timers


def _checked_limit(limit: str, value: int | None) -> tuple[str, str, int, str]:
    if limit not in LIMITS:
        raise ValueError(f"no limit called {limit!r} (limits: {', '.join(LIMITS)})")
    if value is not None and (type(value) is not int or not 0 <= value <= MAX_LIMIT):
        raise ValueError(f"a limit is a whole number from 0 to {MAX_LIMIT}")
    return LIMITS[limit]


def set_limit(root: Any, owner: int | None, limit: str, value: int | None) -> None:
    """
    Give C{owner} their own C{limit} (a key of L{LIMITS}), or None to use
    the world's default again. For wizards' C{@quota}.

    @raise ValueError: no such limit, or not a whole number from 0 to
        L{MAX_LIMIT}.
    """
    attribute = _checked_limit(limit, value)[0]
    setattr(account(root, owner), attribute, value)


def tuned_limit(root: Any, owner: int | None, limit: str) -> int | None:
    """
    C{owner}'s C{limit} if a wizard set one for them or for the world, else
    None (the engine's own default then applies).
    """
    attribute, setting, _default, _what = _checked_limit(limit, None)
    tree = _accounts(root)
    found = tree.get(_key(owner)) if tree is not None else None
    own = getattr(found, attribute, None) if found is not None else None
    if own is not None:
        return own
    value = root.settings.get(setting)
    return value if type(value) is int and value >= 0 else None


def default_limit(root: Any, limit: str) -> int:
    """
    The world's default C{limit}: its setting, else the built-in default.
    """
    _attribute, setting, default, _what = _checked_limit(limit, None)
    return _quota(root, setting, default, None)


def set_default_limit(root: Any, limit: str, value: int | None) -> None:
    """
    Make C{value} the world's default C{limit} for every owner without one
    of their own (None: the built-in default again).

    @raise ValueError: as L{set_limit}.
    """
    setting = _checked_limit(limit, value)[1]
    if value is None:
        root.settings.pop(setting, None)
    else:
        root.settings[setting] = value


def charge_bytes(root: Any, owner: int | None, delta: int) -> None:
    """
    Add C{delta} (possibly negative) to C{owner}'s stored bytes.

    @raise QuotaExceeded: a positive C{delta} would take the owner past
        their quota; nothing changes then.
    """
    current = usage(root, owner)
    if delta > 0 and current.stored_bytes + delta > current.stored_bytes_quota:
        left = max(0, current.stored_bytes_quota - current.stored_bytes)
        raise QuotaExceeded(
            f"That needs {delta} more bytes of storage, but only {left} of "
            f"{current.stored_bytes_quota} are left. Delete stored values you no longer "
            "need (script state, properties, timers), or ask a wizard for more."
        )
    acct = account(root, owner)
    acct.stored_bytes = max(0, acct.stored_bytes + delta)


def check_object(root: Any, owner: int | None, count: int = 1) -> None:
    """
    @raise QuotaExceeded: C{owner} has fewer than C{count} objects left
        (changes nothing).
    """
    current = usage(root, owner)
    if current.objects + count > current.objects_quota:
        have = (f"You already have {current.objects} objects, your limit." if count == 1 else
                f"That needs {count} more objects, but you have {current.objects} of your "
                f"limit of {current.objects_quota}.")
        raise QuotaExceeded(
            f"{have} Destroy some you no longer need, or ask a wizard for more.")


def charge_object(root: Any, owner: int | None) -> None:
    """
    Count one more object against C{owner} (prefer L{count_object}, which
    also marks the object, so that destroying it refunds exactly this).

    @raise QuotaExceeded: the owner has none left; nothing changes then.
    """
    check_object(root, owner)
    account(root, owner).objects += 1


def count_object(root: Any, obj: Any, *, enforce: bool = True) -> None:
    """
    Count C{obj}, just made, against its owner's object quota, and mark it
    counted (L{world.objects.Thing.charged}): destroying it refunds it.

    @param enforce: refuse if the owner has no object left (wizards'
        commands count without refusing).
    @raise QuotaExceeded: C{enforce} and the owner has none left; nothing
        changes then.
    """
    if enforce:
        check_object(root, obj.owner)
    account(root, obj.owner).objects += 1
    obj.charged = True


def uncount_object(root: Any, obj: Any) -> None:
    """
    Refund C{obj}'s owner for it, if it was counted (it is being destroyed);
    an object that never counted (made by content, or before objects were
    counted) refunds nothing.
    """
    if obj.charged:
        obj.charged = False
        release_object(root, obj.owner)


def charge_timer(root: Any, owner: int | None) -> None:
    """
    Count one more pending timer against C{owner}.

    @raise QuotaExceeded: the owner has none left; nothing changes then.
    """
    current = usage(root, owner)
    if current.timers + 1 > current.timers_quota:
        raise QuotaExceeded(
            f"Your scripts already have {current.timers} timers pending, your limit. "
            "Cancel some, or ask a wizard for more."
        )
    account(root, owner).timers += 1


def release_timer(root: Any, owner: int | None) -> None:
    """
    Count one pending timer fewer against C{owner} (never below zero).
    """
    acct = account(root, owner)
    acct.timers = max(0, acct.timers - 1)


def release_object(root: Any, owner: int | None) -> None:
    """
    Count one object fewer against C{owner} (never below zero).
    """
    acct = account(root, owner)
    acct.objects = max(0, acct.objects - 1)


def settle_refunds(root: Any) -> None:
    """
    Refund the stored bytes an upgrade of the world found due back to
    their owners (L{world.root.WorldRoot.refunds_due}), once, at start.
    """
    for owner, amount in root.refunds_due:
        charge_bytes(root, owner, -amount)
    root.refunds_due = ()


def registry_missing(root: Any) -> bool:
    """
    Whether no owner has been accounted for yet in this world (a world made
    before accounting, or a new one): then L{recount_objects} should run.
    """
    return not _accounts(root)


def recount_objects(root: Any) -> None:
    """
    Set every owner's object count from the world itself (for a world made
    before objects were counted, or a wizard's repair): every object an
    owner owns counts, whoever made it, and is marked counted.
    """
    counts: dict[int, int] = {}
    for obj in root.all():
        if obj.kind == "character":
            continue  # a player's own character is not something they made
        counts[_key(obj.owner)] = counts.get(_key(obj.owner), 0) + 1
        if not obj.charged:
            obj.charged = True
    tree = _accounts_made(root)
    for acct in tree.values():
        acct.objects = counts.pop(_key(acct.owner), 0)
    for key, count in counts.items():
        account(root, None if key == WORLD else key).objects = count
