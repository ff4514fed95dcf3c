# -*- test-case-name: tests.redteam_world.test_holders -*-
"""
Holds: which scripts were handed a facet of a player's character, so that
the player can see them and revoke them (C{@holders}).

Every facet of a character that trusted code makes for another owner's
script (a handler's or verb's C{actor}, a character met in
C{here.characters}, a grant) carries one L{Hold}: a revocation cell for that
(character, host) pair, kept on the character. Revoking it kills every
facet of the character the host's script has, wherever it keeps them
(module globals, state, timer data), and everything obtained through them;
the script can then no longer even recognise the player (comparing a dead
facet raises). Meeting the player again later hands the script a fresh
facet, under a new hold.

Holds have a ceiling and a price: one owner's scripted things hold facets
of one character through at most L{MAX_PER_OWNER} hosts at once (a further
one takes the place of that owner's oldest, whose facets of her die, never
another owner's), and each live hold is charged L{HOLD_BYTES} to its host's
owner's stored bytes (what it adds to her record), refunded when it goes.
Every hold is paid for, whatever made it (a handler's argument, a view, a
grant). Holds are the newest visitors' places, never a lock: an owner's
holds take at most a L{SHARE}th of their storage (at least one hold), and
past that, or with no room left, a new hold takes the place of that
owner's oldest holds (of anyone), whose facets die and whose bytes are
refunded; so players passing by cannot fill an owner's storage, nor shut
the owner's things to newcomers. Only an owner with no hold to give up and
no room is refused (L{QuotaExceeded}: the script is not handed her). The
owner of the host pays, never whoever made the host meet her (a script
whose move woke its handler, say): the hold lasts as long as the host's
script may keep her facet, which its owner (by destroying the host, or
C{@holders/shed}), she (C{@holders/revoke}) or a newer hold can end.

A grant is its owner's deliberate act: the hold behind a grant of a
character is pinned (L{Hold.pinned}): charged, but never given up for a
newer hold and outside the share, until the host's last grant of her goes
(L{unpin}). Nor is a hold handed to a script earlier in the same turn given
up for a newer one: the newest is refused (L{QuotaExceeded}), so one call
looking at more players than its owner can hold keeps what it was handed
first.

Each owner's holds are kept oldest first (L{OwnerHolds}, in the root's
C{holds_by_owner} tree), and each host's by character (the root's
C{holds_by_host}), so that giving up the oldest and forgetting a destroyed
host's holds never looks through other holds. Holds a world stored before
they were charged are counted and charged once (L{count_stored}, the
generation 12 to 13 upgrade); before they were indexed, indexed once (the
generation 13 to 14 upgrade, by the same L{count_stored}); a character's
L{ORDER} stored as one mapping is made a tree (16 to 17, the same).

A character's own scripts (their owner is the character) get no hold: the
player needs no protection from themselves.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from typing import Any

from BTrees.IOBTree import IOBTree
from BTrees.LOBTree import LOBTree
from persistent import Persistent
from persistent.list import PersistentList
from transaction.interfaces import NoTransaction

from scripting.facets import accounting
from scripting.facets.errors import CrowdRefused, QuotaExceeded
from scripting.facets.membrane import RevocationCell
from scripting.task import STATE
from world import rules
from world.objects import Character, Thing

#: The attribute of a character holding its holds: host id → L{Hold}.
ATTRIBUTE = "facet_holders"
#: The attribute of a character listing its holds' host ids by owner, oldest
#: first: a tree, owner id (0: the world) → a list of at most
#: L{MAX_PER_OWNER} host ids, so that a new hold writes one small list and
#: a bucket, not a record naming every owner holding her (a mapping before
#: generation 17, made a tree by L{count_stored}).
ORDER = "facet_holders_order"
#: The most hosts of one owner holding facets of one character at once.
MAX_PER_OWNER = 20
#: What one live hold is charged to its host's owner's stored bytes: what
#: it keeps stored, measured (a test does): its own record (about 210
#: bytes pickled, with the storage's header) and its entries in the
#: character's holds and order, its owner's and its host's indexes (the
#: host's own index record too, for its first hold).
HOLD_BYTES = 480
#: What a hold made before L{HOLD_BYTES} was measured was charged (and is
#: refunded).
OLD_HOLD_BYTES = 64
#: Why a hold given up for a newer one is dead (the script's error says).
GIVEN_UP = ("Your things' holds were full, so what this one held of that player was given up "
            "for a newer visitor's.")
#: Why a hold its owner shed is dead.
SHED = "Your things' holds of players were given up (@holders/shed)."
#: An owner's holds take at most this fraction (1/SHARE) of their storage
#: quota (and never fewer than one hold): the rest stays theirs, whoever
#: passes by their things.
SHARE = 4


class Hold(RevocationCell):
    """
    The cell behind every facet of C{character} handed to C{host}'s script.

    @ivar host: the scripted object.
    @ivar owner: the host's owner when it first held the facet (who pays).
    @ivar charged: whether C{cost} bytes were charged to C{owner}.
    @ivar cost: what it was charged when it was: L{HOLD_BYTES}, or
        L{OLD_HOLD_BYTES} for one charged before that was measured.
    @ivar character: the character held (None: stored before generation
        14, until L{count_stored} indexes it).
    @ivar number: its place in its owner's L{OwnerHolds}, oldest first
        (None: not indexed: gone, pinned, or stored before generation 14
        and not yet counted).
    @ivar pinned: whether a live grant of the character to the host
        (C{@grant}) keeps it: a pinned hold is never given up for a newer
        one (L{give_up_oldest} and the ceiling per character skip it), and
        not counted in its owner's share, only charged.
    """

    reason = "That player has revoked what your script held of them."
    #: How a hold ends says whose doing it was (C{revoke(not_its_own=...)}):
    #: a newer visitor's hold, the player's revoke, the system's upgrade or
    #: someone else destroying the host or player are not its owner's, so a
    #: first failure through it is excused; the owner's shed, or his
    #: destroying either, are his (L{RevocationCell.excuse}).
    charged = False
    cost = OLD_HOLD_BYTES
    pinned = False
    character: Character | None = None
    number: int | None = None

    def __init__(self, host: Thing, owner: int | None,
                 character: Character | None = None) -> None:
        self.host = host
        self.owner = owner
        self.character = character


class OwnerHolds(Persistent):
    """
    One owner's charged holds, oldest first.

    @ivar oldest: number → L{Hold}, numbers given in the order made.
    @ivar count: how many C{oldest} holds (kept, not counted: C{len} of a
        tree reads all of it).
    @ivar next: the number the next hold gets.
    @ivar pinned: how many pinned holds (behind grants) the owner keeps
        besides: charged, but never given up for newer ones.
    @ivar bytes: what the C{oldest} holds were charged, each its own
        L{Hold.cost} (their share of the owner's storage, L{SHARE}).
    @ivar pinned_bytes: what the pinned holds were charged.
    """

    pinned = 0
    #: (Totalled for an owner's holds stored before generation 17 by
    #: L{count_stored}.)
    bytes = 0
    pinned_bytes = 0

    def __init__(self) -> None:
        self.oldest: LOBTree = LOBTree()
        self.count = 0
        self.next = 0
        self.bytes = 0
        self.pinned_bytes = 0


def _key(owner: int | None) -> int:
    return accounting.WORLD if owner is None else owner


def _owner_holds(root: Any, owner: int | None) -> OwnerHolds | None:
    return root.holds_by_owner.get(_key(owner))


def _mine(root: Any, owner: int | None) -> OwnerHolds:
    mine = _owner_holds(root, owner)
    if mine is None:
        mine = root.holds_by_owner[_key(owner)] = OwnerHolds()
    return mine


def _order_last(mine: OwnerHolds, found: Hold) -> None:
    found.number = mine.next
    mine.oldest[mine.next] = found
    mine.next += 1
    mine.count += 1
    mine.bytes += found.cost


def _take_out(mine: OwnerHolds, found: Hold) -> None:
    """
    Take C{found}, numbered, out of C{mine}'s oldest, if it is there.
    """
    if found.number is not None and mine.oldest.get(found.number) is found:
        del mine.oldest[found.number]
        mine.count = max(0, mine.count - 1)
        mine.bytes = max(0, mine.bytes - found.cost)


def _index(root: Any, character: Character, found: Hold) -> None:
    """
    List C{found}, just charged, as its owner's newest hold (or among their
    pinned ones) and among its host's.
    """
    mine = _mine(root, found.owner)
    found.character = character
    if found.pinned:
        mine.pinned += 1
        mine.pinned_bytes += found.cost
    else:
        _order_last(mine, found)
    hosted = root.holds_by_host.get(found.host.id)
    if hosted is None:
        hosted = root.holds_by_host[found.host.id] = IOBTree()
    hosted[character.id] = found


def _unindex(root: Any, character: Character, found: Hold) -> None:
    """
    Take C{found} (on C{character}) out of its owner's and its host's
    holds, if it is listed there.
    """
    if found.number is not None:
        mine = _owner_holds(root, found.owner)
        if mine is not None:
            _take_out(mine, found)
        found.number = None
    elif found.pinned and found.character is not None:
        mine = _owner_holds(root, found.owner)
        if mine is not None:
            mine.pinned = max(0, mine.pinned - 1)
            mine.pinned_bytes = max(0, mine.pinned_bytes - found.cost)
    found.pinned = False
    hosted = root.holds_by_host.get(found.host.id)
    if hosted is not None and hosted.get(character.id) is found:
        del hosted[character.id]
        if not hosted:
            del root.holds_by_host[found.host.id]


def _order(character: Character, *, make: bool = True) -> IOBTree | None:
    """
    C{character}'s holds' host ids by owner key (L{ORDER}), made if there
    is none and C{make} (else None); one stored as a mapping by owner
    (before generation 17) is made a tree first.
    """
    order = getattr(character, ORDER, None)
    if order is None:
        if not make:
            return None
        order = IOBTree()
        setattr(character, ORDER, order)
    elif not isinstance(order, IOBTree):
        order = IOBTree({_key(owner): listed for owner, listed in order.items()})
        setattr(character, ORDER, order)
    return order


def _listed(character: Character, owner: int | None, *, make: bool = False) -> Any:
    """
    The host ids of C{owner}'s holds on C{character}, oldest first: a list,
    made if there is none and C{make} (else None).
    """
    order = _order(character, make=make)
    if order is None:
        return None
    listed = order.get(_key(owner))
    if listed is None and make:
        listed = order[_key(owner)] = PersistentList()
    return listed


def _unlist(character: Character, owner: int | None, host_id: int) -> None:
    """
    Take C{host_id} off C{owner}'s list of holds on C{character}, and the
    list off her L{ORDER} once it is empty (an owner who no longer holds
    her leaves nothing on her).
    """
    listed = _listed(character, owner)
    if listed is not None and host_id in listed:
        listed.remove(host_id)
    if listed is not None and not listed:
        order = _order(character)
        assert order is not None
        del order[_key(owner)]


def _forget(root: Any, character: Character, found: Hold) -> None:
    """
    Take C{found} off C{character}'s records and refund its owner what it
    was charged.
    """
    held = getattr(character, ATTRIBUTE, None)
    if held is not None and held.get(found.host.id) is found:
        del held[found.host.id]
    _unlist(character, found.owner, found.host.id)
    _unindex(root, character, found)
    if found.charged:
        accounting.charge_bytes(root, found.owner, -found.cost)
        found.charged = False


#: Transaction (turn) → owner key → the numbers of that owner's holds
#: handed to their scripts in it (made or met again). Kept beside the world,
#: never in it: it means nothing once the turn is over.
_handed: weakref.WeakKeyDictionary[Any, dict[int, set[int]]] = weakref.WeakKeyDictionary()


def _this_turn(root: Any, owner: int | None) -> set[int] | None:
    """
    The numbers of C{owner}'s holds handed in the transaction in progress
    on C{root}, or None if there is none (a root outside a database).
    """
    jar = getattr(root, "_p_jar", None)
    if jar is None:
        return None
    try:
        turn = _handed.setdefault(jar.transaction_manager.get(), {})
    except NoTransaction:
        return None
    return turn.setdefault(_key(owner), set())


def _handing(root: Any, found: Hold) -> Hold:
    """
    Note that C{found} is handed to its host's script this turn (so no
    newer hold this turn gives it up); C{found}.
    """
    handed = _this_turn(root, found.owner)
    if handed is not None and found.number is not None:
        handed.add(found.number)
    return found


def _refuse_fresh(character: Character, handed: int) -> QuotaExceeded:
    """
    The refusal of a hold of C{character} that would give up one handed
    this turn: the crowd's doing (players standing by the host), not the
    script's, so a task it ends, unhandled, is not counted toward
    suspending the script (C{Task.crowded}, C{Task.unhandled}).
    """
    error = CrowdRefused(
        f"Your things cannot hold {character.name} too: with the storage you have, they "
        f"hold at most {handed} player{'' if handed == 1 else 's'} handed in one turn, "
        "and what they were handed earlier this turn is kept. (Holds take at most a "
        f"quarter of your storage; '@holders/shed' gives them up, or ask a wizard for more.)"
    )
    task = STATE.task
    if task is not None:
        task.crowded = task.raising(error)
    return error


def _room(root: Any, owner: int | None) -> tuple[int, int]:
    """
    How many bytes C{owner} has left, and how many their unpinned holds may
    be charged (their share, L{SHARE}).
    """
    current = accounting.usage(root, owner)
    return (current.stored_bytes_quota - current.stored_bytes,
            current.stored_bytes_quota // SHARE)


def _to_give_up(root: Any, character: Character, owner: int | None,
                evicted: list[Hold | None], pin: bool) -> list[Hold]:
    """
    The oldest holds (of anyone) that a new hold of C{owner}'s on
    C{character} must give up, besides C{evicted} (the owner's holds on her
    past L{MAX_PER_OWNER}), to fit in the owner's room and, unless pinned,
    their share; before anything changes. Each given up refunds what it
    cost (L{OLD_HOLD_BYTES} for one made before holds were measured), so
    only as many are read as it takes.

    @raise QuotaExceeded: giving up every hold the owner may would not pay
        for it, or would give up one handed this turn; nothing changes.
    """
    left, share = _room(root, owner)
    mine = _owner_holds(root, owner)
    going = [h for h in evicted if h is not None]
    room = left + sum(h.cost for h in going if h.charged)
    skipped = {h.number for h in going if h.number is not None}
    count = (mine.count if mine is not None else 0) - len(skipped)
    used = (mine.bytes if mine is not None else 0) - sum(
        h.cost for h in going if h.number is not None)
    oldest = (h for h in (mine.oldest.values() if mine is not None else ())
              if h.number not in skipped)
    taken: list[Hold] = []
    while room < HOLD_BYTES or (not pin and count > 0 and used + HOLD_BYTES > share):
        found = next(oldest, None)
        if found is None:
            quota = accounting.usage(root, owner).stored_bytes_quota
            raise QuotaExceeded(
                f"Holding a facet of {character.name} needs {HOLD_BYTES} bytes of storage, "
                f"but only {max(0, left)} of {quota} are left. Delete "
                "stored values you no longer need (script state, properties, timers), or ask "
                "a wizard for more."
            )
        taken.append(found)
        room += found.cost if found.charged else 0
        used -= found.cost
        count -= 1
    handed = _this_turn(root, owner)
    if handed and handed.intersection(h.number for h in going + taken):
        raise _refuse_fresh(character, len(handed))
    return taken


def hold(character: Character, host: Thing, root: Any, *, pin: bool = False) -> Hold | None:
    """
    The live hold of C{host} on C{character}, made if there is none (or the
    last was revoked) and charged L{HOLD_BYTES} to the host's owner; None if
    C{host} is the character's own. A new hold past L{MAX_PER_OWNER} of the
    host's owner on her revokes that owner's oldest unpinned one on her; one
    past the owner's share of their storage (L{SHARE}), or that the owner
    has no room for, gives up the owner's oldest holds (of anyone) until it
    fits. Holds handed earlier in the same turn are never given up for it:
    the newest is refused instead, so one call that looks at more players
    than its owner can hold keeps what it was handed first.

    @param root: the world root, whose accounts are charged.
    @param pin: the hold is behind a grant (the owner's deliberate act):
        pin it, so that it is never given up for a newer hold and takes no
        place in the owner's share (L{unpin} when the grant goes).
    @raise QuotaExceeded: the owner cannot pay, even by giving up every
        hold they may, or the holds to give up were handed this turn;
        nothing changes then.
    """
    if host.owner == character.id or host is character:
        return None
    held = getattr(character, ATTRIBUTE, None)
    if held is None:
        held = IOBTree()
        setattr(character, ATTRIBUTE, held)
    found = held.get(host.id)
    if found is not None and not found.revoked and found.host is host:
        if pin and not found.pinned:
            _pin(root, found)
        return _handing(root, found)
    others = [i for i in _listed(character, host.owner) or () if i != host.id]
    excess = len(others) + 1 - MAX_PER_OWNER
    evicted = [i for i in others if not getattr(held.get(i), "pinned", False)][:max(0, excess)]
    if len(evicted) < excess:
        raise QuotaExceeded(
            f"Your things already hold {character.name} through {MAX_PER_OWNER} grants; "
            "revoke one (@grants lists them) first.")
    oldest = _to_give_up(root, character, host.owner, [held.get(i) for i in evicted], pin)
    if found is not None:
        found.revoke()
        _forget(root, character, found)
    for host_id in evicted:
        _evict(root, character, held, host.owner, host_id)
    for given in oldest:
        _give_up(root, given, GIVEN_UP, not_its_own=True)
    accounting.charge_bytes(root, host.owner, HOLD_BYTES)
    found = held[host.id] = Hold(host, host.owner, character)
    found.charged = True
    found.cost = HOLD_BYTES
    found.pinned = pin
    _listed(character, host.owner, make=True).append(host.id)
    _index(root, character, found)
    return _handing(root, found)


def _pin(root: Any, found: Hold) -> None:
    """
    Take C{found}, live, out of its owner's give-up order: a grant keeps it.
    """
    mine = _mine(root, found.owner)
    _take_out(mine, found)
    found.number = None
    found.pinned = True
    mine.pinned += 1
    mine.pinned_bytes += found.cost


def unpin(root: Any, character: Any, host: Thing) -> None:
    """
    The last grant of C{character} to C{host} went (revoked): its hold, if
    live and pinned, is an ordinary one again, its owner's newest.
    """
    found = getattr(character, ATTRIBUTE, {}).get(host.id)
    if found is None or found.revoked or not found.pinned:
        return
    mine = _mine(root, found.owner)
    mine.pinned = max(0, mine.pinned - 1)
    mine.pinned_bytes = max(0, mine.pinned_bytes - found.cost)
    found.pinned = False
    _order_last(mine, found)


def give_up_oldest(root: Any, owner: int | None, reason: str = GIVEN_UP, *,
                   not_its_own: bool = True) -> Hold | None:
    """
    Revoke C{owner}'s oldest hold, of whoever it holds, and refund it; the
    hold given up, or None if they have none.

    @param reason: what its script is told when it uses a facet it held.
    @param not_its_own: not the owner's doing (given up for a newer
        visitor's hold); false for the owner's own shed.
    """
    mine = _owner_holds(root, owner)
    if mine is None or not mine.oldest:
        return None
    return _give_up(root, mine.oldest[mine.oldest.minKey()], reason, not_its_own=not_its_own)


def _give_up(root: Any, found: Hold, reason: str, *, not_its_own: bool) -> Hold:
    """
    Revoke C{found}, one of its owner's indexed holds, and refund it;
    C{found}.
    """
    found.revoke(reason, not_its_own=not_its_own)
    if found.character is not None:
        _forget(root, found.character, found)
    else:  # indexed holds know their character: never reached
        mine = _owner_holds(root, found.owner)
        if mine is not None:
            _take_out(mine, found)
    return found


def holds_by(root: Any, owner: int | None) -> tuple[int, int]:
    """
    How many holds C{owner}'s things keep of others (pinned ones too), and
    what they were charged for them (each its own L{Hold.cost}).
    """
    mine = _owner_holds(root, owner)
    if mine is None:
        return 0, 0
    return mine.count + mine.pinned, mine.bytes + mine.pinned_bytes


def shed(root: Any, owner: int | None) -> int:
    """
    Give up every hold C{owner}'s things keep of others but the pinned ones
    (behind the owner's grants: C{@revoke} those) (the owner's
    C{@holders/shed}); how many. The owner's doing: his scripts' failures
    through the facets they lose count toward suspending them.
    """
    given = 0
    while give_up_oldest(root, owner, SHED, not_its_own=False) is not None:
        given += 1
    return given


def forget_host(root: Any, obj: Thing, by: rules.Agent | None = None) -> None:
    """
    C{obj} was destroyed: revoke and refund the holds its script had (by
    the index of holds by host), and, if it was a character, the holds on
    it.

    @param by: who destroyed it (None: the system, loading content): not
        the doing of the scripts whose holds die, unless they are its own.
    """
    hosted = root.holds_by_host.get(obj.id)
    for found in list(hosted.values()) if hosted is not None else ():
        found.revoke(not_its_own=by is None or by.owner != found.owner)
        if found.character is not None:
            _forget(root, found.character, found)
    held = getattr(obj, ATTRIBUTE, None)
    if isinstance(obj, Character) and held is not None:
        for found in list(held.values()):
            found.revoke(not_its_own=by is None or by.owner != found.owner)
            _forget(root, obj, found)


def _evict(root: Any, character: Character, held: Any, owner: int | None,
           host_id: int) -> None:
    """
    Revoke the hold of C{host_id}, listed among C{owner}'s on C{character}.
    """
    oldest = held.get(host_id)
    if oldest is None:
        _unlist(character, owner, host_id)
        return
    oldest.revoke(GIVEN_UP, not_its_own=True)
    _forget(root, character, oldest)


def holds_of(root: Any, character: Character) -> list[Hold]:
    """
    The live holds on C{character}, by host id; holds of hosts that no
    longer exist are dropped (and refunded).
    """
    held = getattr(character, ATTRIBUTE, None)
    if held is None:
        return []
    live = []
    for found in list(held.values()):
        if found.revoked or not rules.exists(root, found.host):
            _forget(root, character, found)
            continue
        live.append(found)
    return live


def revoke(character: Character, found: Hold, root: Any) -> None:
    """
    Revoke C{found}, a hold on C{character}: every facet of the character
    its host holds dies; its owner is refunded. Her doing, not its
    script's (L{RevocationCell.excuse}).
    """
    found.revoke(not_its_own=True)
    _forget(root, character, found)


def count_stored(root: Any, characters: Iterable[Any]) -> None:
    """
    Bring the holds on C{characters} that an older world stored under the
    rules: each live hold of a host that still exists is listed for its
    owner on her, charged to them (L{OLD_HOLD_BYTES}, what holds cost then)
    (before generation 13, holds were charged to nobody), indexed by owner
    and host (before generation 14), and her L{ORDER} is made a tree
    (before 17); past L{MAX_PER_OWNER} of one owner on one character, or
    with no room left to pay, it is revoked (its script meets her again
    under a new hold, paid for). Holds of hosts gone, or revoked, are
    dropped. Then what each owner's holds were charged is totalled (kept
    since generation 17). Run once, by the upgrades to generations 13, 14
    and 17 (L{world.generations}).
    """
    for character in characters:
        held = getattr(character, ATTRIBUTE, None)
        if not isinstance(character, Character) or held is None:
            continue
        _order(character)  # a mapping stored before generation 17 is made a tree
        for found in list(held.values()):
            if found.revoked or not rules.exists(root, found.host):
                _forget(root, character, found)
                continue
            listed = _listed(character, found.owner)
            counted = listed is not None and found.host.id in listed
            indexed = found.character is not None and (found.number is not None
                                                       or found.pinned)
            if counted and found.charged and indexed:
                continue
            if not counted and listed is not None and len(listed) >= MAX_PER_OWNER:
                found.revoke(not_its_own=True)
                _forget(root, character, found)
                continue
            if not found.charged:
                try:
                    accounting.charge_bytes(root, found.owner, found.cost)
                except QuotaExceeded:
                    found.revoke(not_its_own=True)
                    _forget(root, character, found)
                    continue
                found.charged = True
            if not counted:
                _listed(character, found.owner, make=True).append(found.host.id)
            if not indexed:
                _index(root, character, found)
    _total(root)


def _total(root: Any) -> None:
    """
    Total what each owner's holds were charged (L{OwnerHolds.bytes} and
    L{OwnerHolds.pinned_bytes}, kept since generation 17), and count their
    pinned ones again, from the holds indexed by host, which are all of
    them, pinned or not.
    """
    for mine in root.holds_by_owner.values():
        mine.bytes = mine.pinned_bytes = mine.pinned = 0
    for hosted in root.holds_by_host.values():
        for found in hosted.values():
            mine = _owner_holds(root, found.owner)
            if mine is None:
                continue
            if found.pinned:
                mine.pinned += 1
                mine.pinned_bytes += found.cost
            elif found.number is not None and mine.oldest.get(found.number) is found:
                mine.bytes += found.cost
