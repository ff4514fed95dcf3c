# -*- test-case-name: tests.world.test_containment,tests.world.test_limits_audit -*-
"""
The root of the persistent world: the id registry, accounts and settings.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from BTrees.IIBTree import IITreeSet
from BTrees.IOBTree import IOBTree
from BTrees.OOBTree import OOBTree
from persistent import Persistent
from persistent.mapping import PersistentMapping

from world import containment, names, scripts
from world.channels import ChannelRegistry
from world.errors import WorldError
from world.libraries import LibraryRegistry
from world.objects import Character, Exit, Room, Thing
from world.registries import GrantRegistry, NameIndex, TimerRegistry

T = TypeVar("T", bound=Thing)

#: The schema generation this code writes. Raise it with an upgrade step in
#: L{world.generations}.
GENERATION = 23


#: The trees scripts keep on the root (generation 2; libraries: 4; holds'
#: indexes: 14), and how each is made.
SCRIPT_TREES: dict[str, type] = {
    "grants": GrantRegistry,
    "timers": TimerRegistry,
    "script_state": IOBTree,
    "accounting": IOBTree,
    "libraries": LibraryRegistry,
    "holds_by_owner": IOBTree,
    "holds_by_host": IOBTree,
}


#: The trees players' conversations keep on the root (generation 6): channels
#: (L{world.channels}) and mail (L{world.mail}: character id → mailbox; each
#: mailbox indexed by writer: 18).
COMMS_TREES: dict[str, type] = {
    "channels": ChannelRegistry,
    "mail": IOBTree,
}


#: The list each root's destroyed objects' ids go into while a turn runs on
#: it (C{id(root)} → L{world.store.Turn.destroyed}; L{recording_destroyed}).
#: Not persistent, and kept off the root itself: what a root holds only in
#: memory is lost when a savepoint's rollback or the cache lets go of it.
_destroyed: dict[int, list[int]] = {}


@contextlib.contextmanager
def recording_destroyed(root: Any, into: list[int]) -> Iterator[None]:
    """
    While the block runs, add the id of each object destroyed on C{root}
    (L{WorldRoot.destroy}) to C{into}.
    """
    _destroyed[id(root)] = into
    try:
        yield
    finally:
        _destroyed.pop(id(root), None)


def _has_words(names: tuple[str, ...], wanted: str) -> bool:
    """
    Whether one of C{names} holds C{wanted} (lower-case, single spaces)
    starting where one of its words starts.
    """
    return any(f" {wanted}" in f" {name}" for name in names)


def add_script_trees(root: Any) -> None:
    """
    Give C{root} every tree of L{SCRIPT_TREES} it lacks (a new root, or one
    stored before the trees were declared); those it has are kept.
    """
    _add_trees(root, SCRIPT_TREES)


def add_comms_trees(root: Any) -> None:
    """
    Give C{root} every tree of L{COMMS_TREES} it lacks; those it has are kept.
    """
    _add_trees(root, COMMS_TREES)


def _add_trees(root: Any, trees: dict[str, type]) -> None:
    for name, make in trees.items():
        if getattr(root, name, None) is None:
            setattr(root, name, make())


class WorldRoot(Persistent):
    """
    Every object by id, accounts by folded name, builder objects by content id.

    @ivar generation: the schema generation of the stored data.
    @ivar start_room: where new characters arrive (a L{Room}), or None.
    @ivar settings: operator settings stored with the world.
    @ivar pending_scripts: ids of objects whose script content attached and
        the engine has not yet checked and started (a tuple).
    @ivar recount_objects: whether every owner's objects must be counted
        again at start (a world from before generation 5, when building
        commands did not count what they made).
    @ivar recount_holds: whether the holds on characters must be counted,
        charged and indexed at start (a world from before generation 13,
        which stored holds it charged to nobody, 14, which did not index
        them by owner and host, or 17, which listed them by owner in one
        mapping per character).
    @ivar recount_channels: whether every player's chat channel must be
        charged at start what it stores and was not charged (a world from
        before generation 16, which did not charge a channel's history).
    @ivar refunds_due: stored bytes an upgrade found due back to their
        owners (a tuple of owner id, None for the world's, and bytes), which
        the engine refunds at start (the accounts are the sandbox's, which
        the world does not import): the other names generation 22 took away
        from characters.

    What players' scripts keep, in trees the sandbox (L{scripting.facets})
    fills; the world only declares them (generation 2):

    @ivar grants: the L{GrantRegistry}: facets players handed their scripts.
    @ivar timers: the L{TimerRegistry}: scripts' pending timers.
    @ivar script_state: host id → the host's stored script state.
    @ivar accounting: owner id (0: the world) → what the owner's scripts
        store and made, against quotas.
    @ivar libraries: the L{LibraryRegistry}: players' libraries and their shares.
    @ivar holds_by_owner: owner id (0: the world) → their holds on
        characters, oldest first (L{scripting.facets.holds.OwnerHolds}).
    @ivar holds_by_host: host id → character id → the host's hold on that
        character (L{scripting.facets.holds.Hold}).

    What players say to each other (generation 6):

    @ivar channels: the L{ChannelRegistry}: chat channels, their members and
        history.
    @ivar mail: character id → its L{world.mail.Mailbox}.
    """

    #: Class default: worlds stored before scripts existed have none pending.
    pending_scripts: tuple[int, ...] = ()
    #: Class default: new worlds count every object as it is made.
    recount_objects = False
    #: Class default: new worlds refund what they charged as it goes.
    refunds_due: tuple[tuple[int | None, int], ...] = ()
    #: Class default: new worlds charge every hold as it is made.
    recount_holds = False
    #: Class default: new worlds charge every channel as it is made.
    recount_channels = False
    #: Objects by the words of their names (L{NameIndex}); None in a world
    #: stored before generation 9, until it is upgraded.
    name_index: NameIndex | None = None
    #: Room id → the ids of the exits leading into it; None in a world
    #: stored before generation 10, until it is upgraded.
    exits_to: IOBTree | None = None

    def __init__(self) -> None:
        self.generation = GENERATION
        self.objects: IOBTree = IOBTree()
        self.next_id = 1
        self.accounts: OOBTree = OOBTree()
        self.by_content_id: OOBTree = OOBTree()
        self.start_room: Room | None = None
        self.settings: PersistentMapping = PersistentMapping()
        #: Characters' look-alike name keys → folded account name, and what
        #: made the keys (L{world.names}).
        self.character_names: OOBTree = names.register_all(self)
        add_script_trees(self)
        add_comms_trees(self)
        self.name_index = NameIndex(names.keys_stamp())
        self.exits_to = IOBTree()

    def create(self, cls: type[T], name: str, *, location: Thing | None = None,
               **kw: Any) -> T:
        """
        Make a new object of class C{cls} with the next free id, and put it in
        C{location} (required for everything but rooms).

        @raise WorldError: a non-room without a location, or a content id
            already in use; nothing is created then.
        @raise world.errors.MoveError: C{location} cannot hold it.
        """
        content_id = kw.get("content_id")
        if content_id is not None and content_id in self.by_content_id:
            raise WorldError(f"content id {content_id!r} is already taken.")
        obj = cls(self.next_id, name, **kw)
        if not isinstance(obj, Room) and location is None:
            raise WorldError(f"{name} needs somewhere to be.")
        if location is not None:
            # Move first: if the move is refused, nothing has been registered.
            containment.move(obj, location)
        self.next_id += 1
        self.objects[obj.id] = obj
        if obj.content_id is not None:
            self.by_content_id[obj.content_id] = obj
        self._index_names_of(obj)
        if isinstance(obj, Exit):
            self._lead(obj, None, obj.destination)
        return obj

    def _index_names_of(self, obj: Thing) -> None:
        index = self.name_index
        if index is not None:
            index.add(obj.id, obj.names())
            if not isinstance(obj, Character):
                index.add_looks(obj.id, names.thing_looks(obj.given_names()))

    def _lead(self, exit: Exit, old: Room | None, new: Room | None) -> None:
        index = self.exits_to
        if index is None:
            return
        if old is not None and old is not new:
            ids = index.get(old.id)
            if ids is not None and exit.id in ids:
                ids.remove(exit.id)
                if not ids:
                    del index[old.id]
        if new is not None:
            ids = index.get(new.id)
            if ids is None:
                ids = index[new.id] = IITreeSet()
            ids.add(exit.id)

    def redirected(self, exit: Exit, old: Room | None) -> None:
        """
        C{exit} led to C{old} and leads to its C{destination} now: keep the
        index of exits by where they lead. Whoever changes a destination
        calls this (content loading).
        """
        self._lead(exit, old, exit.destination)

    def exits_into(self, room: Room) -> list[Exit]:
        """
        The exits leading into C{room}, in id order, found by the index of
        exits by where they lead (never by looking through every object).
        """
        if self.exits_to is None:  # (not indexed yet: look through them all)
            return [o for o in self.all() if isinstance(o, Exit) and o.destination is room]
        found = (self.objects.get(i) for i in self.exits_to.get(room.id, ()))
        return [o for o in found if isinstance(o, Exit) and o.destination is room]

    def index_exits(self, objects: Iterable[Thing] | None = None) -> None:
        """
        Index every exit by where it leads (a world stored before the index),
        reading C{objects} (every object of the world) or L{all}.
        """
        self.exits_to = IOBTree()
        for obj in self.all() if objects is None else objects:
            if isinstance(obj, Exit):
                self._lead(obj, None, obj.destination)

    def renamed(self, obj: Thing, old: tuple[str, ...]) -> None:
        """
        C{obj}'s names were C{old} (its name and aliases as given,
        L{Thing.given_names}; lower-cased ones, as L{Thing.names} gives them,
        leave look-alike keys of the old names in the index, which its
        readers check) and are changed: keep the index by name. Whoever
        changes a name calls this (the world's rules, content loading);
        it keeps the index by name of the place C{obj} is in too
        (L{world.objects.Contents.renamed}).
        """
        if old == obj.given_names() or obj.id not in self.objects:
            return
        if obj.location is not None:
            obj.location.contents.renamed(obj)  # the place's index by name
        index = self.name_index
        if index is None:
            return
        index.discard(obj.id, old)
        if not isinstance(obj, Character):
            index.discard_looks(obj.id, names.thing_looks(old))
        self._index_names_of(obj)

    def index_names(self, objects: Iterable[Thing] | None = None) -> None:
        """
        Index every object by its names (a world stored before the index),
        reading C{objects} (every object of the world) or L{all}.
        """
        self.name_index = NameIndex(names.keys_stamp())
        for obj in self.all() if objects is None else objects:
            self._index_names_of(obj)

    def index_looks(self, objects: Iterable[Thing] | None = None) -> None:
        """
        Index every thing, room and exit by the look-alike keys of its names
        afresh (an index stored before them, or made with other keys),
        reading C{objects} (every object of the world) or L{all}.
        """
        index = self.name_index
        if index is None:
            return
        index.by_look = OOBTree()
        index.looks_made_by = names.keys_stamp()
        for obj in self.all() if objects is None else objects:
            if not isinstance(obj, Character):
                index.add_looks(obj.id, names.thing_looks(obj.given_names()))

    def named(self, text: str) -> list[Thing]:
        """
        The objects one of whose names is C{text} (any case, spaces
        tidied), in id order, found by the index by name.
        """
        wanted = " ".join(text.lower().split())
        if not wanted:
            return []
        if self.name_index is None:  # (not indexed yet: look through them all)
            return [o for o in self.all() if wanted in o.names()]
        found = (self.objects.get(i) for i in self.name_index.named(wanted))
        return [o for o in found if o is not None and wanted in o.names()]

    def find_words(self, text: str, limit: int) -> tuple[list[Thing], bool]:
        """
        The objects with a name holding C{text} where a word of it starts,
        in id order: at most C{limit}, and whether there were more. Reads
        the index by name, and only the objects it names.
        """
        wanted = " ".join(text.lower().split())
        words = wanted.split()
        if not words:
            return [], False
        if self.name_index is None:  # (not indexed yet: look through them all)
            found = [o for o in self.all() if _has_words(o.names(), wanted)]
            return found[:limit], len(found) > limit
        found, more = [], False
        ids, clipped = self.name_index.starting(max(words, key=len), 10 * limit)
        for obj_id in ids:
            obj = self.objects.get(obj_id)
            if obj is not None and _has_words(obj.names(), wanted):
                if len(found) == limit:
                    more = True
                    break
                found.append(obj)
        return found, more or clipped

    def arrival_room(self) -> Room:
        """
        Where new characters arrive: the start room, made (C{Limbo}) if the
        world has none yet.
        """
        if self.start_room is None:
            self.start_room = self.create(
                Room, "Limbo",
                description="A grey, quiet nowhere. A builder can make this world a place.",
            )
        return self.start_room

    def get(self, id: int) -> Thing | None:
        """
        The object with id C{id}, or None. (Trusted code only: scripts never
        look objects up by id.)
        """
        return self.objects.get(id)

    def by_content(self, content_id: str) -> Thing | None:
        """
        The builder object loaded from content with this id, or None.
        """
        return self.by_content_id.get(content_id)

    def destroy(self, obj: Thing, *, spill_to: Thing | None = None,
                returned: list[tuple[Thing, Thing]] | None = None) -> list[Thing]:
        """
        Remove C{obj} from the world. Its contents move to C{spill_to}
        (default: where it was); characters inside a destroyed room go to the
        start room; exits leading into a destroyed room are destroyed too. A
        thing the place is too full to take goes back into its owner's hands
        (L{_spill}).

        @param returned: if given, each thing that went back into its
            owner's hands, and the place too full to take it, are added to
            it (for telling the owner).
        @raise WorldError: something has nowhere to go; nothing has changed.

        @return: every object destroyed (C{obj} last), so that callers can
            forget what belonged to each (scripts, grants, timers).
        """
        if obj is self.start_room:
            raise WorldError("That is the start room; choose another start room first.")
        gone: list[Thing] = []
        if isinstance(obj, Room):
            for other in self.exits_into(obj):
                if other.id in self.objects:  # (not gone with an earlier one)
                    gone += self.destroy(other)
        place = spill_to or obj.location or self.start_room
        spilled = self._spill(obj, place)
        for item in list(obj.contents):
            if isinstance(item, Exit):
                gone += self.destroy(item)
        for item, to in spilled:
            containment.move(item, to)
            if returned is not None and place is not None and to is not place:
                returned.append((item, place))
        containment.remove(obj)
        self._forget(obj)
        gone.append(obj)
        return gone

    def _spill(self, obj: Thing, place: Thing | None) -> list[tuple[Thing, Thing]]:
        """
        Where each thing and character in C{obj} goes when it is destroyed:
        C{place}; or, for a thing C{place} is too full to take (the ceiling
        of things per place, which characters do not count against), its
        owner's hands, so that a few accounts keeping the start room full
        cannot stop anyone destroying a room, if it holds nothing of
        anyone else's (L{containment.owners_only}: nothing rides into her
        hands unasked). Nothing moves past the ceiling.

        @raise WorldError: a thing has nowhere to go (C{place} and its
            owner's hands are full, it has no owner, or it holds another's
            thing); nothing has changed.
        """
        plan: list[tuple[Thing, Thing]] = []
        room_left = (containment.MAX_CONTENTS - place.contents.count_things()
                     if place is not None else 0)
        taken: dict[int, int] = {}  # owner id -> things planned into their hands
        for item in obj.contents:
            if isinstance(item, Exit):
                continue
            if place is None:
                raise WorldError(f"{item.name} would have nowhere to go.")
            if isinstance(item, Character) or room_left > 0:
                containment.check(item, place)
                room_left -= not isinstance(item, Character)
                plan.append((item, place))
                continue
            owner = self.objects.get(item.owner) if item.owner is not None else None
            if (isinstance(owner, Character) and owner is not obj
                    and owner.contents.count_things() + taken.get(owner.id, 0)
                    < containment.MAX_CONTENTS
                    and containment.owners_only(item)):
                containment.check(item, owner)
                taken[owner.id] = taken.get(owner.id, 0) + 1
                plan.append((item, owner))
                continue
            raise WorldError(
                f"{place.name} cannot hold any more things (at most "
                f"{containment.MAX_CONTENTS}), and {item.name} has no owner's hands to go "
                f"back to (or holds what is not its owner's); take something out of "
                f"{place.name} first.")
        return plan

    def _forget(self, obj: Thing) -> None:
        self.objects.pop(obj.id, None)
        record = _destroyed.get(id(self))
        if record is not None:
            record.append(obj.id)
        scripts.forget_users(obj)
        if self.name_index is not None:
            self.name_index.discard(obj.id, obj.names())
            if not isinstance(obj, Character):
                self.name_index.discard_looks(obj.id, names.thing_looks(obj.given_names()))
        if isinstance(obj, Exit):
            self._lead(obj, obj.destination, None)
        if obj.content_id is not None and self.by_content_id.get(obj.content_id) is obj:
            del self.by_content_id[obj.content_id]

    def all(self) -> Iterator[Thing]:
        """
        Every object, in id order.
        """
        return iter(self.objects.values())
