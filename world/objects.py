# -*- test-case-name: tests.world.test_containment,tests.world.test_limits_audit -*-
"""
The persistent objects the world is made of: things, rooms, exits, characters.

These are plain C{persistent.Persistent} classes rather than attrs classes:
attrs may install its own C{__setattr__}, which would bypass the change
tracking that ZODB relies on. Values that never change (events, match results)
are attrs frozen classes elsewhere.

Objects are created through L{world.root.WorldRoot.create}, which assigns the
stable id; they are moved only through L{world.containment.move}, which keeps
the containment invariants.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Iterator
from typing import Any, overload

from BTrees.LLBTree import LLBTree
from BTrees.LOBTree import LOBTree
from BTrees.OOBTree import OOBTree
from persistent import Persistent
from persistent.mapping import PersistentMapping
from zope.interface import implementer

from world.interfaces import IWorldObject
from world.names import keys, keys_stamp
from world.properties import Properties
from world.registries import name_words, whole_name

#: The keys of an object's script and of the object whose script it runs
#: instead, in C{Thing.scripts} (L{world.scripts} keeps them).
MAIN = "main"
PARENT = "parent"

#: The standard directions and their short aliases, in the order exits are listed.
DIRECTIONS: dict[str, tuple[str, ...]] = {
    "north": ("n",),
    "south": ("s",),
    "east": ("e",),
    "west": ("w",),
    "northeast": ("ne",),
    "northwest": ("nw",),
    "southeast": ("se",),
    "southwest": ("sw",),
    "up": ("u",),
    "down": ("d",),
    "in": (),
    "out": (),
}

#: The direction leading back the way one came.
OPPOSITES: dict[str, str] = {
    "north": "south", "south": "north", "east": "west", "west": "east",
    "northeast": "southwest", "southwest": "northeast",
    "northwest": "southeast", "southeast": "northwest",
    "up": "down", "down": "up", "in": "out", "out": "in",
}


def canonical_direction(word: str) -> str | None:
    """
    The full direction name for C{word} (C{"n"} → C{"north"}), or L{None}.
    """
    word = word.lower()
    if word in DIRECTIONS:
        return word
    for full, short in DIRECTIONS.items():
        if word in short:
            return full
    return None


def direction_aliases(name: str) -> tuple[str, ...]:
    """
    The short names the world gives an exit called C{name} besides its own
    (C{"north"} or C{"n"} → C{("n",)}); none for a name that is no direction.
    They are stored, and charged, like any alias.
    """
    direction = canonical_direction(name)
    return DIRECTIONS[direction] if direction is not None else ()


class Contents(Persistent):
    """
    What one place holds, in the order it arrived: a sequence players see in
    that order (room listings, inventories), stored so that one arrival or
    departure writes a few small records, not the whole list.

    Each arrival takes the next number of this place; the things are kept in
    a B-tree by that number, and each thing remembers its own
    (L{Thing.arrival}: a thing is in one place at a time, and its record is
    written anyway when it moves). Adding writes the last bucket of the tree
    and this small record; removing writes the bucket it was in. Reads work
    like a list's (iteration, C{len}, C{in}, an index); change it only with
    L{append} and L{remove} (through L{world.containment.move}).

    Smaller B-trees by the same numbers keep the characters here
    (L{characters}), the exits (L{exits}) and the things that hold a script
    (L{scripted}), so that what concerns only those (telling the room,
    finding the way out, waking its scripts, the ceiling on things:
    L{count_things}) reads them and not everything a builder piled here.
    L{rescripted} keeps the last when a thing here gains or loses its
    script. The scripted things are kept by the script they run
    (L{script_groups}: a thing's own, or the one C{@script/use} made it
    run, which stores nothing), so that a happening reads, of each script,
    only as many of the things running it as it could wake; a move of one
    writes a bucket of its group and of the list of groups by arrival. A
    script only one thing here runs (the usual case) keeps that thing's
    arrival number in place of a B-tree, made when a second arrives, so
    moving a scripted thing about writes no new tree.

    What is here is also kept by name (L{answering}), so that naming one
    thing (C{look lantern}, C{get 2.pebble}) reads the things answering
    to the name and not everything a builder piled here: each thing's
    arrival number under each word of its names and each whole name (the
    keys of L{world.registries.name_words}, as the world's index of names
    has them: a word prefix is a range of words) and under each look-alike
    key of each name (L{world.names.keys}) that is not the name itself
    (C{plain} is kept as its whole name only: L{name_keys}), and, before
    the entries of each key in the same tree, how many things here answer
    to it alike in kind, name and owner (so that telling three identical
    coins from coins of two owners reads two records, not the coins),
    kept by kind, then owner, then name (so that whether another owner's
    things answer is read in a few records, past one owner's however many
    kinds of things he piled, L{Answers.others}): a
    thing moving writes one bucket of the tree for each of its keys (a
    one-word name has two), and a small place's tree is one record.
    Characters are not in it: a character walking (what players do most)
    writes nothing to it, and naming reads the list of characters here,
    which keeps each one's names and look-alike keys (not the characters).
    Entries are kept by arrival number, so an ordinal (C{2.coin})
    counts in the order things are listed, reading no further than it
    counts when one key answers; the look-alike tier reads its one or two
    keys, never the names of the rest. The index is kept on arrival and
    departure, and on rename (L{renamed}: L{world.root.WorldRoot.renamed},
    which every change of a name or alias calls); each thing remembers
    what it is kept under (L{Thing.indexed_as}), so that it leaves all of
    it however its names changed in between. Contents stored before
    generation 19, or indexed with other look-alike keys than these
    (L{world.names.keys_stamp}) or otherwise kept (L{NAMES_LAYOUT}), are
    indexed again the first time they are
    needed; L{world.containment.check_invariants} checks the index against
    what is here.
    """

    #: The B-tree, made at the first arrival: most objects (exits, most
    #: things) never hold anything, and then store no tree.
    _items: LOBTree | None = None
    #: The characters here and the exits, each a B-tree by arrival number
    #: made when the first arrives. Each character's entry is the
    #: character, its names and their look-alike keys
    #: (L{character_names}), so that naming someone here reads this tree's
    #: buckets, not every character's record (an army of sleepers parked
    #: here): in the bucket its arrival writes anyway (generation 21 on;
    #: before, the character alone, sorted again when first needed).
    _people: LOBTree | None = None
    _exits: LOBTree | None = None
    #: How many characters are here. Class default: contents stored before
    #: generation 15 did not keep characters, exits and scripted things
    #: apart (L{recount} does, once).
    _people_count: int | None = None
    #: The things here that hold a script, by the script they run: the id
    #: of the thing holding it (L{script_holder}) → a B-tree by arrival
    #: number, or the arrival number alone of a thing that is the only one
    #: here running it (L{_members} reads both); and each scripted thing's
    #: arrival number → that id, in the order they arrived (what
    #: L{scripted} reads), made when the first arrives.
    _groups: LOBTree | None = None
    _group_of: LLBTree | None = None
    #: The scripted things alone, stored by contents sorted before they
    #: were kept by script (generation 15 at first): such contents are
    #: sorted again when first needed (L{recount}), which lets go of it.
    _scripted: LOBTree | None = None
    #: How many of the things here that are not exits hold a script
    #: (counted, so that a look, L{listed}, reads only the numbers of
    #: those it names). Class defaults: contents stored before it was kept
    #: (generation 21; L{_listing_kept} false) are sorted again when first
    #: needed (L{recount}).
    _scripted_things: int = 0
    _listing_kept: bool = False
    #: The scripts run here by owner (L{fair_script_groups}), in one tree
    #: so that a move writes one more record here: under (L{_OWNERS}, the
    #: arrival number of an owner's first scripted thing here) that owner's
    #: key (L{owner_key}), in the order they arrived; and under
    #: (L{_SCRIPTS}, owner key, the arrival number of the first thing here
    #: running a script) the id of the thing holding it. Made with
    #: L{_groups}; contents whose groups were stored before owners were
    #: kept are sorted again when first needed (L{recount}).
    _by_owner: OOBTree | None = None
    #: The index by name, made at the first arrival: (L{WORDS} or
    #: L{LOOKS}, key, arrival number) for each thing answering to the key;
    #: before those, (the same tag, key, L{_ALIKE}, kind, owner, name) →
    #: how many things here answer to it alike (L{likeness}; by owner
    #: before name since generation 22, so that one owner's are read past
    #: in one step: L{Answers.others}), and (tag, key, L{_TOTAL}) → how
    #: many answer to it: one tree, so that a thing of a name of its own
    #: arriving writes one bucket for each key.
    _named: OOBTree | None = None
    #: The look-alike keys the index by name was made with and how it
    #: keeps them (L{_names_stamp}). Class default: contents stored before
    #: generation 19 keep no index by name (L{index_names} makes it, once).
    _names_made_by: str | None = None

    def __init__(self, items: Iterable[Thing] = ()) -> None:
        self._next = 0
        self._count = 0
        self._people_count = 0
        self._listing_kept = True
        self._names_made_by = _names_stamp()
        for item in items:
            self.append(item)

    def __repr__(self) -> str:
        return f"<Contents of {self._count}>"

    def __iter__(self) -> Iterator[Thing]:
        # A snapshot: callers move what they iterate over.
        return iter(() if self._items is None else tuple(self._items.values()))

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return self._count > 0

    def __contains__(self, obj: object) -> bool:
        return self._find(obj) is not None

    def __eq__(self, other: object) -> bool:
        # As the list it replaces: equal to a sequence of the same things.
        if isinstance(other, (Contents, list, tuple)):
            return list(self) == list(other)
        return False

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = Persistent.__hash__

    @overload
    def __getitem__(self, index: int) -> Thing: ...

    @overload
    def __getitem__(self, index: slice) -> list[Thing]: ...

    def __getitem__(self, index: int | slice) -> Thing | list[Thing]:
        return list(self)[index]

    def _find(self, obj: object) -> int | None:
        if self._items is None:
            return None
        key = getattr(obj, "arrival", None)
        if type(key) is int and self._items.get(key) is obj:
            return key
        for key, item in self._items.items():  # (not where it says: an old world's)
            if item is obj:
                return key
        return None

    def append(self, obj: Thing) -> None:
        """
        Add C{obj} after everything already here.
        """
        self._counted()
        self._names_current()
        if self._items is None:
            self._items = LOBTree()
        key = self._next
        self._next += 1
        self._items[key] = obj
        self._count += 1
        obj.arrival = key
        self._file(key, obj)
        self._file_names(key, obj)

    def remove(self, obj: Thing) -> None:
        """
        Take C{obj} out.

        @raise ValueError: it is not here.
        """
        self._counted()
        self._names_current()
        key = self._find(obj)
        if key is None or self._items is None:
            raise ValueError(f"{obj!r} is not here")
        self._unfile_names(key, obj)
        del self._items[key]
        self._count -= 1
        people = self._people
        entry = None if people is None else people.get(key)
        if people is not None and entry is not None and entry[0] is obj:
            del people[key]
            self._people_count = (self._people_count or 0) - 1
        if self._exits is not None and self._exits.get(key) is obj:
            del self._exits[key]
        self._ungroup(key, obj)

    def characters(self) -> Iterator[Character]:
        """
        The characters here, in the order they arrived (reads only them).
        """
        self._counted()
        return iter(() if self._people is None else tuple(entry[0] for entry in
                                                          self._people.values()))

    def some_characters(self, limit: int, besides: Iterable[Thing] = ()) -> list[Character]:
        """
        The first C{limit} characters here but those in C{besides}, in the
        order they arrived: reads no character past them (a look at a room
        where an army sleeps names the first few).
        """
        self._counted()
        if self._people is None or limit <= 0:
            return []
        left_out = {id(obj) for obj in besides}  # (by identity: reads none of them)
        found = (entry[0] for entry in self._people.values() if id(entry[0]) not in left_out)
        return list(itertools.islice(found, limit))

    def exits(self) -> Iterator[Exit]:
        """
        The exits here, in the order they arrived (reads only them).
        """
        self._counted()
        return iter(() if self._exits is None else tuple(self._exits.values()))

    def scripted(self) -> Iterator[Thing]:
        """
        The things here that hold a script (L{holds_script}), in the order
        they arrived (reads only them). Whether each runs one now is
        L{world.scripts.script_of}'s to say (a parent's may be gone).
        """
        self._counted()
        if self._group_of is None or self._items is None:
            return iter(())
        items = self._items
        return iter(tuple(items[key] for key in self._group_of.keys()))

    def some_scripted(self, limit: int) -> list[Thing]:
        """
        The first C{limit} of L{scripted} (reads only them).
        """
        self._counted()
        if self._group_of is None or self._items is None:
            return []
        items = self._items
        return [items[key] for key in itertools.islice(self._group_of.keys(), limit)]

    def script_groups(self) -> Iterator[tuple[int, LOBTree | dict[int, Thing]]]:
        """
        The things here that hold a script, by the script they run: the id
        of the thing holding it (L{script_holder}) and the things here
        running it by arrival number, in that order (a B-tree, or for a
        script only one thing here runs, a mapping of that one). Reading
        the first few of each reads no others.
        """
        self._counted()
        if self._groups is None:
            return iter(())
        return iter(tuple((holder, self._members(group))
                          for holder, group in self._groups.items()))

    def fair_script_groups(self, limit: int, rotate: str | None = None, step: int = 0,
                           cursors: dict[str, int] | None = None, span: int | None = None,
                           ) -> list[LOBTree | dict[int, Thing]]:
        """
        At most C{limit} of the scripts run here, each as the things here
        running it by arrival number (as L{script_groups}), taken fairly
        between their owners: the first script of each owner, then the
        second of each, and so on, the owners in the order their first
        scripted thing arrived here and each owner's scripts in the order
        their first thing did. Reads only these numbers: no thing, and no
        more of them however many scripts and owners a builder parks here.

        With C{rotate} (a happening's name), the owners are taken from
        where the last call with that name left off, wrapping round, and
        the next such call starts C{step} owners further on: so owners
        whose things arrived first do not keep the first places for ever.
        Only a place with more owners than C{span} takes turns (the most
        owners any call with that name reads here, fixed by the caller;
        C{step} without it): what one caller reads of a place (less, for
        a player whose carried things take some of the places) never makes
        a place of few owners take turns, nor so have it remembered.
        The cursor is kept in memory only, never written (a happening
        writes no record to rotate): in C{cursors}, by name (the engine's,
        L{engine.scripts.fanout.Cursors}), or without them on this record
        (C{_v_cursors}), lost when it is read again from the database.
        """
        self._counted()
        if self._by_owner is None or self._groups is None:
            return []
        by_owner = self._by_owner
        owners: Iterable[tuple[tuple[int, int], int]]
        owners = by_owner.items((_OWNERS, _FIRST), (_OWNERS, _LAST))
        if cursors is None:
            cursors = getattr(self, "_v_cursors", None)
        after = None if rotate is None or cursors is None else cursors.get(rotate)
        if after is not None:
            owners = itertools.chain(
                by_owner.items((_OWNERS, after), (_OWNERS, _LAST), excludemin=True),
                by_owner.items((_OWNERS, _FIRST), (_OWNERS, after)))
        window = list(itertools.islice(owners, limit))
        if rotate is not None and 0 < step and max(step, span or 0) < len(window):
            if cursors is None:
                cursors = {}
                self._v_cursors = cursors
            cursors[rotate] = window[step - 1][0][1]
        rows = [iter(by_owner.values((_SCRIPTS, owner, first), (_SCRIPTS, owner, _LAST)))
                for (_, first), owner in window]
        holders: list[int] = []
        while rows and len(holders) < limit:
            still = []
            for row in rows:
                holder = next(row, None)
                if holder is None:
                    continue
                still.append(row)
                holders.append(holder)
                if len(holders) >= limit:
                    break
            rows = still
        found = (self._groups.get(holder) for holder in holders)
        return [self._members(group) for group in found if group is not None]

    def _members(self, group: LOBTree | int) -> LOBTree | dict[int, Thing]:
        """
        The things of one script's C{group} (L{_groups}) by arrival number:
        the group's B-tree, or a group of one, stored as its arrival number
        alone, as a mapping of that thing.
        """
        if isinstance(group, int):
            thing = None if self._items is None else self._items.get(group)
            return {} if thing is None else {group: thing}
        return group

    def count_things(self) -> int:
        """
        How many things and exits are here (characters are not counted),
        without reading any of them.
        """
        self._counted()
        return self._count - (self._people_count or 0)

    def count_people(self) -> int:
        """
        How many characters are here, without reading any of them.
        """
        self._counted()
        return self._people_count or 0

    def listed(self, limit: int) -> tuple[list[Thing], int, int]:
        """
        What a look lists of the things here that are neither characters
        nor exits: at most C{limit} of them, in the order they arrived,
        chosen first among those that hold a script (L{scripted}: what a
        happening here wakes, so a pile of plain things cannot hide one
        that hears what is said), then the first others to arrive; how
        many more such things there are; and how many of those hold a
        script.

        Reads the things it chooses and none other (the rest are only
        counted, the scripted ones by their numbers), so a listing of a
        place a builder piled costs no more than one of a place holding
        C{limit}.
        """
        self._counted()
        chosen: list[int] = []
        scripted = self._scripted_things
        exits = self._exits
        if self._group_of is not None and scripted and limit > 0:
            for key in self._group_of.keys():  # (lazily: stops at the limit)
                if exits is not None and key in exits:
                    continue
                chosen.append(key)
                if len(chosen) >= min(limit, scripted):
                    break
        scripted_shown = len(chosen)
        if self._items is not None and len(chosen) < limit:
            for key, obj in self._items.items():  # (lazily, bucket by bucket)
                if isinstance(obj, (Character, Exit)):  # (known without loading it)
                    continue
                if self._group_of is not None and key in self._group_of:
                    continue  # (chosen above)
                chosen.append(key)
                if len(chosen) >= limit:
                    break
        shown = [] if self._items is None else [self._items[key] for key in sorted(chosen)]
        more = self.count_things() - (0 if exits is None else len(exits)) - len(shown)
        return shown, more, scripted - scripted_shown

    def rescripted(self, obj: Thing) -> None:
        """
        C{obj}, which is here, gained or lost its script (or the parent's it
        runs): keep L{scripted} true.

        @raise ValueError: it is not here.
        """
        self._counted()
        key = self._find(obj)
        if key is None:
            raise ValueError(f"{obj!r} is not here")
        self._ungroup(key, obj)
        self._file_scripted(key, obj)

    def renamed(self, obj: Thing) -> None:
        """
        C{obj}, which is here, is called otherwise now (its name or
        aliases changed): keep the index by name true.
        """
        if not self._names_current():
            return  # (indexed just now, under its names as they are)
        key = self._find(obj)
        if key is not None:
            self._file_names(key, obj)

    def answering(self, tier: int, text: str, leaving_out: Thing | None = None,
                  exits: bool = True, only: type | None = None) -> Answers:
        """
        The things here that answer to C{text} (lower-case, its words
        joined by one space) at C{tier} of L{world.matching}'s rules, read
        from the index by name as they are wanted (L{Answers}): none of
        the things is read.

        @param tier: L{EXACT} (a whole name is C{text}), L{PREFIX} (a name
            starts with C{text}, or a word of one does) or L{ALIKE} (a
            whole name has a look-alike key of C{text}); or L{WORD} (a
            word of a name is C{text}, a word).
        @param leaving_out: a thing here not to count (the one naming,
            or what it would put somewhere).
        @param exits: whether to count the exits here.
        @param only: count only things of this class (read from the
            references here, not from the things).
        """
        self._names_current()
        if tier == EXACT:
            ranges = [(WORDS, whole_name(text), False)]
        elif tier == WORD:
            ranges = [(WORDS, text, False)]
        elif tier == PREFIX:
            ranges = [(WORDS, " " + text if " " in text else text, True)]
        else:
            # A look-alike key that is a one-word name itself is kept as
            # that whole name (L{name_keys}); only keys kept here are read.
            ranges = [(tag, key, False) for look in sorted(keys(text))
                      for tag, key in ((LOOKS, look), (WORDS, whole_name(look)))
                      if (tag == LOOKS or look in keys(look)) and self._keeps(tag, key)]
        skip = -1
        if leaving_out is not None and self._items is not None:
            skip = leaving_out.arrival
            if self._items.get(skip) is not leaving_out:
                skip = -1
        return Answers(self, ranges if text else [], skip, exits, only,
                       _people_answering(self, tier, text, skip, only) if text else [])

    def _keeps(self, tag: int, key: str) -> bool:
        """
        Whether any thing here answers to C{key} in the index by name.
        """
        first = None if self._named is None else _first_key(self._named, (tag, key))
        return first is not None and first[:2] == (tag, key)

    def at(self, arrival: int) -> Thing:
        """
        The thing here under the arrival number C{arrival} (L{answering}).

        @raise KeyError: nothing is.
        """
        if self._items is None:
            raise KeyError(arrival)
        return self._items[arrival]

    def index_names(self) -> None:
        """
        Index what is here by name afresh, reading everything here once
        (contents stored before generation 19, or indexed with other
        look-alike keys).
        """
        self._named = None
        self._names_made_by = _names_stamp()
        if self._items is not None:
            for key, obj in self._items.items():
                self._file_names(key, obj)

    def listing_problems(self) -> list[str]:
        """
        Whether the count of scripted things here (L{listed}) is what is
        here, as messages (for L{world.containment.check_invariants}).
        """
        self._counted()
        held = () if self._items is None else self._items.values()
        scripted = sum(1 for obj in held if not isinstance(obj, Exit) and holds_script(obj))
        problems = []
        if self._scripted_things != scripted:
            problems.append(f"{self!r} counts {self._scripted_things} scripted things, "
                            f"not {scripted}")
        return problems

    def names_problems(self) -> list[str]:
        """
        Whether the index by name is what is here, as messages (for
        L{world.containment.check_invariants}).
        """
        self._names_current()
        entries: dict[tuple, int] = {}
        records: dict[int, tuple] = {}
        problems = []
        for key, obj in () if self._items is None else self._items.items():
            if isinstance(obj, Character):
                if obj.indexed_as is not None:
                    problems.append(f"{obj!r} says it is indexed by name here")
                entry = None if self._people is None else self._people.get(key)
                if entry is None or tuple(entry[1:]) != character_names(obj):
                    problems.append(f"{self!r} keeps {obj!r} by name as {entry!r}")
                continue
            records[key] = (likeness(obj), tuple(sorted(name_keys(obj.given_names()))))
            for tag, word in name_keys(obj.given_names()):
                entries[(tag, word, key)] = 0
                for slot in _slots(tag, word, likeness(obj)):
                    entries[slot] = entries.get(slot, 0) + 1
        kept = {} if self._named is None else dict(self._named.items())
        if kept != entries:
            wrong = sorted(set(kept.items()) ^ set(entries.items()), key=repr)[:5]
            problems.append(f"{self!r} keeps by name {wrong!r} wrongly")
        for key, record in records.items():
            obj = self.at(key)
            if obj.indexed_as != record:
                problems.append(f"{obj!r} says it is indexed by name as {obj.indexed_as!r}, "
                                f"not {record!r}")
        return problems

    def _names_current(self) -> bool:
        """
        Whether the index by name was made with these look-alike keys;
        if not, make it now.
        """
        if self._names_made_by == _names_stamp():
            return True
        self.index_names()
        return False

    def _file_names(self, key: int, obj: Thing) -> None:
        """
        Index C{obj}, here under C{key}, by its names as they are now (and
        no longer by those it was indexed by, if it was).
        """
        self._unfile_names(key, obj)
        if isinstance(obj, Character):  # (kept apart: L{_people_answering} reads them)
            keep_names(obj)
            people = self._people
            entry = None if people is None else people.get(key)
            if people is not None and entry is not None and entry[0] is obj and (
                    entry[1:] != character_names(obj)):
                people[key] = (obj, *character_names(obj))
            return
        if self._named is None:
            self._named = OOBTree()
        like = likeness(obj)
        filed = tuple(sorted(name_keys(obj.given_names())))
        for tag, word in filed:
            self._named[(tag, word, key)] = 0
            for slot in _slots(tag, word, like):
                self._named[slot] = self._named.get(slot, 0) + 1
        obj.indexed_as = (like, filed)

    def _unfile_names(self, key: int, obj: Thing) -> None:
        """
        Forget C{obj}, here under C{key}, by the names it was indexed by
        (L{Thing.indexed_as}).
        """
        record = obj.indexed_as
        if record is None:
            return  # (not indexed: a character walking writes nothing here)
        obj.indexed_as = None
        if self._named is None:
            return
        like, filed = record
        for tag, word in filed:
            if (tag, word, key) not in self._named:
                continue
            del self._named[(tag, word, key)]
            for slot in _slots(tag, word, like):
                left = self._named.get(slot, 0) - 1
                if left > 0:
                    self._named[slot] = left
                else:
                    self._named.pop(slot, None)

    def recount(self) -> None:
        """
        Find again which of what is here are characters, exits and things
        that hold a script, reading everything here once (contents stored
        before generation 15 did not keep them apart).
        """
        self._people = self._exits = self._groups = self._group_of = None
        self._by_owner = None
        if self._scripted is not None:
            del self._scripted
        self._people_count = 0
        self._scripted_things = 0
        self._listing_kept = True
        if self._items is not None:
            for key, obj in self._items.items():
                self._file(key, obj)

    def _counted(self) -> None:
        if (self._people_count is None or self._scripted is not None or not self._listing_kept
                or (self._groups is not None and self._by_owner is None)):
            self.recount()

    def _file(self, key: int, obj: Thing) -> None:
        """
        Note C{obj}, here under C{key}, among the characters, the exits or
        the things that hold a script, if it is one.
        """
        if isinstance(obj, Character):
            if self._people is None:
                self._people = LOBTree()
            keep_names(obj)
            self._people[key] = (obj, *character_names(obj))
            self._people_count = (self._people_count or 0) + 1
            return
        if isinstance(obj, Exit):
            if self._exits is None:
                self._exits = LOBTree()
            self._exits[key] = obj
        self._file_scripted(key, obj)

    def _file_scripted(self, key: int, obj: Thing) -> None:
        """
        Note C{obj}, here under C{key}, among the things that hold a script
        and with those running the same one, if it holds one.
        """
        if not holds_script(obj):
            return
        if not isinstance(obj, Exit):
            self._scripted_things += 1
        if self._groups is None or self._group_of is None:
            self._groups, self._group_of = LOBTree(), LLBTree()
        holder = script_holder(obj)
        group = self._groups.get(holder)
        first = None if group is None else _first(group)
        if group is None:
            self._groups[holder] = key  # (a group of one stores no tree)
        elif isinstance(group, int):
            self._groups[holder] = LOBTree({**self._members(group), key: obj})
        else:
            group[key] = obj
        self._group_of[key] = holder
        if first is None or key < first:
            self._refirst(owner_key(obj.owner), holder, first, key)

    def _ungroup(self, key: int, obj: Thing) -> None:
        """
        Take the scripted thing C{obj} here under C{key} out of its script's
        group.
        """
        if self._groups is None or self._group_of is None or key not in self._group_of:
            return
        holder = self._group_of.pop(key)
        if not isinstance(obj, Exit):
            self._scripted_things -= 1
        group = self._groups.get(holder)
        if group is None:
            return
        first = _first(group)
        if isinstance(group, int):
            if group == key:
                del self._groups[holder]
        else:
            group.pop(key, None)
            if not group:
                del self._groups[holder]
        if key == first:
            group = self._groups.get(holder)
            self._refirst(owner_key(obj.owner), holder, first,
                          None if group is None else _first(group))

    def _refirst(self, owner: int, holder: int, first: int | None, new: int | None) -> None:
        """
        The script C{holder} of C{owner}'s first thing here is now C{new}
        (None: no longer run here), not C{first}: keep the scripts by owner
        (L{_by_owner}) true.
        """
        if self._by_owner is None:
            self._by_owner = OOBTree()
        by_owner = self._by_owner
        before = self._owner_first(owner)
        if first is not None:
            by_owner.pop((_SCRIPTS, owner, first), None)
        if new is not None:
            by_owner[(_SCRIPTS, owner, new)] = holder
        after = self._owner_first(owner)
        if after != before:
            if before is not None:
                by_owner.pop((_OWNERS, before), None)
            if after is not None:
                by_owner[(_OWNERS, after)] = owner

    def _owner_first(self, owner: int) -> int | None:
        """
        The arrival number of C{owner}'s first scripted thing here, or None.
        """
        if self._by_owner is None:
            return None
        keys = self._by_owner.keys((_SCRIPTS, owner, _FIRST), (_SCRIPTS, owner, _LAST))
        found = next(iter(keys), None)
        return None if found is None else found[2]


#: The kinds of entries in L{Contents._by_owner}.
_OWNERS = 0
_SCRIPTS = 1

#: Bounds of the arrival numbers, for reading one owner's scripts.
_FIRST = -(2 ** 63)
_LAST = 2 ** 63 - 1


def _first(group: LOBTree | int) -> int | None:
    """
    The arrival number of the first thing of a script's C{group} (None for
    an empty tree).
    """
    if isinstance(group, int):
        return group
    return group.minKey() if group else None


def owner_key(owner: int | None) -> int:
    """
    How L{Contents} keeps C{owner}: the id, or -1 for nobody's.
    """
    return -1 if owner is None else owner


#: The tags of the index by name (L{Contents.answering}): words and whole
#: names, and look-alike keys.
WORDS, LOOKS = 0, 1
#: The tiers of L{world.matching}'s rules, best first.
EXACT, PREFIX, ALIKE = 0, 1, 2
#: Not a tier: the things a word of whose names is the one-word name
#: asked for, all of which answer to it at L{PREFIX} (what is read of
#: them where too many words start with it: L{Answers.crowded}).
WORD = 3


def name_keys(names: Iterable[str]) -> set[tuple[int, str]]:
    """
    The keys a place's index by name keeps a thing called C{names} (its
    name and aliases) under: each word and whole name
    (L{world.registries.name_words}), and each look-alike key of each name
    lower-cased (L{world.names.keys}) but one that is that name itself
    (C{plain}: its whole name stands for it, L{Contents.answering}), each
    with its tag.
    """
    lowered = [name.lower() for name in names]
    return ({(WORDS, word) for word in name_words(lowered)}
            | {(LOOKS, look) for name in lowered for look in keys(name)
               if look != " ".join(name.split())})


#: The most keys (L{name_keys}) one thing's names and aliases may have,
#: together: each is an entry (and two counts) in the index by name of
#: every place the thing is moved into and out of (L{Contents.answering}),
#: charged to nobody, so that one thing's names bound what its every move
#: writes. Ten aliases of a few words each fit; a name of forty one-letter
#: words with ten more like it does not (L{world.rules.set_aliases} and
#: L{world.rules.rename} refuse it).
MAX_NAME_KEYS = 64


def likeness(obj: Thing) -> tuple[str, str, int]:
    """
    What makes things answering to one name interchangeable
    (L{world.matching}): their kind (class), their name and their owner.
    A character is never taken for another: its own id stands for its
    owner (the owner of a player's character).
    """
    kind = _kind(type(obj))
    owner = obj.id if isinstance(obj, Character) else owner_key(obj.owner)
    return kind, obj.name, owner


#: In the index by name (L{Contents.answering}), before the entries of a
#: key (arrival numbers, from 0): how many things answer to it (under
#: L{_TOTAL}), and how many alike (under L{_ALIKE} and the likeness, kept
#: as kind, owner, name: L{_slots}), so that a thing with a name of its
#: own writes one bucket for each key.
_TOTAL, _ALIKE = -2, -1


def _names_stamp() -> str:
    """
    What the index by name is made with (L{Contents._names_made_by}): the
    look-alike keys (L{world.names.keys_stamp}), and how it keeps them
    (L{NAMES_LAYOUT}).
    """
    return f"{keys_stamp()}/{NAMES_LAYOUT}"


#: How the index by name is kept (L{Contents.answering}): an index kept
#: otherwise is made again, as one made with other look-alike keys (3:
#: alike things counted by kind, owner and name, generation 22).
NAMES_LAYOUT = 3


def _slots(tag: int, word: str, like: tuple) -> tuple[tuple, tuple]:
    """
    Where the index by name counts the things answering to the key
    C{word} alike in C{like} (L{likeness}: kept as kind, owner and name,
    so that each kind's are by owner), and all of them.
    """
    kind, name, owner = like
    return (tag, word, _ALIKE, kind, owner, name), (tag, word, _TOTAL)


def _like(slot: tuple) -> tuple:
    """
    The likeness (L{likeness}) a count of alike things in the index by
    name (L{_slots}) is kept under.
    """
    _, _, _, kind, owner, name = slot
    return kind, name, owner


#: How many keys of a place's index by name a prefix may answer through
#: (C{p} for a pebble, a purse and a pan: three): past it the place says
#: many things answer, and reads none of their entries, so that a pile of
#: things with many aliases cannot make a one-letter name read the pile.
MAX_PREFIX_KEYS = 32
#: How many entries of a place's index by name a name answering through
#: several keys (a prefix, or look-alike keys) may read (each key's entries
#: are merged in arrival order, so all are read): past it (990 things
#: sharing ten aliases that start with C{p}: 9,900 entries for C{p}), the
#: place says many things answer, having read only each key's total.
MAX_ANSWERING = 256
#: How many counts of a place's index by name telling whether another
#: owner's thing answers may read (L{Answers.others}): for each key, a few
#: for each kind of thing (its first owner's, the one after the owner
#: asked about); past it it is not told.
MOST_OWNER_READS = 64


class Answers:
    """
    The things of one place answering to a name at one tier
    (L{Contents.answering}), read from its index by name as they are
    wanted: in the order they arrived (L{arrivals}), how many (L{count})
    and how many kinds of alike things among them (L{likes}).

    When one key of the index answers (an exact name, a word prefix only
    one word here has), its entries are read in arrival order and no
    further than wanted, and it is counted from its total; when several
    do (C{p} for pebbles and a purse), every entry answering is read (a
    B-tree bucket holds a few dozen), never the things; when more than
    L{MAX_PREFIX_KEYS} do, or their entries are more than L{MAX_ANSWERING},
    none is (L{crowded}).
    """

    def __init__(self, contents: Contents, ranges: list[tuple[int, str, bool]], skip: int,
                 exits: bool, only: type | None = None, people: list[int] | None = None) -> None:
        self.contents = contents
        #: The characters here answering (not indexed: read, as telling the
        #: place reads them), by arrival number in order.
        self._people = people or []
        self._ranges = ranges
        self._skip = skip
        self._exits = exits
        self._only = only
        self._all: list[int] | None = None
        self.key: tuple[int, str] | None = None  # (the one key answering, if only one does)
        #: Whether more than L{MAX_PREFIX_KEYS} keys answer (a prefix), or
        #: more than L{MAX_ANSWERING} entries of several keys: none of them
        #: is read further.
        self.crowded = False
        named = contents._named
        if named is None:
            return
        if len(ranges) != 1:  # (look-alike keys: each read whole, unless too many answer)
            total = sum(named.get((tag, key, _TOTAL), 0) for tag, key, _ in ranges)
            if total > MAX_ANSWERING:
                self.crowded = True
                self._all = []
            return
        tag, start, prefix = ranges[0]
        first = _first_key(named, (tag, start))
        if first is None or first[0] != tag or not _within(first[1], start, prefix):
            self._all = []
            return
        after = _first_key(named, (tag, first[1], _LAST))
        if not prefix or after is None or after[0] != tag or not _within(after[1], start, True):
            self.key = (tag, first[1])
            return
        # Several keys answer: count them, key to key, and the entries
        # each has (its total), up to the bounds.
        keys, total = 1, named.get((tag, first[1], _TOTAL), 0)
        while after is not None and after[0] == tag and _within(after[1], start, True):
            keys += 1
            total += named.get((tag, after[1], _TOTAL), 0)
            if keys > MAX_PREFIX_KEYS or total > MAX_ANSWERING:
                self.crowded = True
                self._all = []
                return
            after = _first_key(named, (tag, after[1], _LAST))

    def _kept(self, arrival: int) -> bool:
        contents = self.contents
        exits = contents._exits
        if arrival == self._skip or not (self._exits or exits is None or arrival not in exits):
            return False
        # (A thing's class is known without reading it.)
        return self._only is None or isinstance(contents.at(arrival), self._only)

    def _kind_kept(self, kind: str) -> bool:
        if not self._exits and kind == _EXIT_KIND:
            return False
        return self._only is None or kind in _kinds(self._only)

    def arrivals(self) -> Iterator[int]:
        """
        The arrival numbers of the things answering, in the order they
        arrived, read as they are wanted.
        """
        yield from heapq.merge(self._indexed(), self._people)

    def _indexed(self) -> Iterator[int]:
        named = self.contents._named
        if self.key is not None and named is not None:
            tag, word = self.key
            for entry in named.keys(min=(tag, word, 0), max=(tag, word, _LAST)):
                if self._kept(entry[2]):
                    yield entry[2]
            return
        yield from self._every()

    def _every(self) -> list[int]:
        if self._all is None:
            found: set[int] = set()
            named = self.contents._named
            for tag, start, prefix in self._ranges if named is not None else ():
                assert named is not None
                for entry in named.keys(min=(tag, start)):
                    if entry[0] != tag or not _within(entry[1], start, prefix):
                        break
                    if entry[2] >= 0 and self._kept(entry[2]):
                        found.add(entry[2])
            self._all = sorted(found)
        return self._all

    def count(self) -> int:
        """
        How many things answer.
        """
        return self._count_indexed() + len(self._people)

    def _count_indexed(self) -> int:
        named = self.contents._named
        if self.key is None or named is None or self._only is not None:
            return len(self._every())
        tag, word = self.key
        total: int = named.get((tag, word, _TOTAL), 0)
        if self._skip != -1 and (tag, word, self._skip) in named:
            total -= 1
        if not self._exits:
            total -= sum(named.values(min=(tag, word, _ALIKE, _EXIT_KIND),
                                      max=(tag, word, _ALIKE, _EXIT_KIND + "\0")))
        return total

    def likes(self, leaving_out: Thing | None, most: int = 3) -> set[tuple]:
        """
        The likenesses (L{likeness}) of up to C{most} of the things
        answering, leaving out C{leaving_out}: its likeness counts only
        where a key answering counts another thing like it. (Things alike
        need not share their aliases: each key is asked.)
        """
        alike = self.contents._named
        likes: set[tuple] = set()
        record = leaving_out.indexed_as if leaving_out is not None else None
        skipped = record[0] if self._skip != -1 and record is not None else None
        for tag, start, prefix in self._ranges if alike is not None else ():
            assert alike is not None
            word = _first_key(alike, (tag, start))
            # Each key's counts, skipping over its entries to the next key.
            while word is not None and len(likes) < most and word[0] == tag and _within(
                    word[1], start, prefix):
                for slot, count in alike.items(min=(tag, word[1], _ALIKE),
                                               max=(tag, word[1], 0)):
                    if len(likes) >= most:
                        break
                    if len(slot) <= 3 or not self._kind_kept(slot[3]):
                        continue
                    if _like(slot) == skipped and (tag, word[1], self._skip) in alike:
                        count -= 1
                    if count > 0:
                        likes.add(_like(slot))
                word = _first_key(alike, (tag, word[1], _LAST))
        likes |= {likeness(self.contents.at(arrival)) for arrival in self._people[:most]}
        return likes

    def others(self, owner: int, leaving_out: Thing | None) -> bool | None:
        """
        Whether a thing of another owner than C{owner} (as L{likeness}
        gives owners: a character is its own) answers, leaving out
        C{leaving_out}: read from each key's counts of alike things, kept
        by kind and then owner (L{_slots}), stepping over C{owner}'s at
        once, so that however many kinds of things of one owner answer, a
        few records are read. None where that cannot be told without
        reading a crowd: the place is L{crowded}, or more than
        L{MOST_OWNER_READS} counts would be read.
        """
        if self.crowded:
            return None
        contents = self.contents
        if any(likeness(contents.at(arrival))[2] != owner for arrival in self._people):
            return True  # (at most one character is C{owner}: two are read)
        named = contents._named
        record = leaving_out.indexed_as if leaving_out is not None else None
        skipped = record[0] if self._skip != -1 and record is not None else None
        reads = 0
        for tag, start, prefix in self._ranges if named is not None else ():
            assert named is not None
            word = _first_key(named, (tag, start))
            while word is not None and word[0] == tag and _within(word[1], start, prefix):
                key = word[1]
                slot = _first_key(named, (tag, key, _ALIKE))
                while slot is not None and slot[:3] == (tag, key, _ALIKE):
                    reads += 1
                    if reads > MOST_OWNER_READS:
                        return None
                    _, _, _, kind, whose, _ = slot
                    if not self._kind_kept(kind):
                        slot = _first_key(named, (tag, key, _ALIKE, kind + "\0"))
                        continue
                    if whose == owner:
                        slot = _first_key(named, (tag, key, _ALIKE, kind, whose + 1))
                        continue
                    count = named[slot]
                    if _like(slot) == skipped and (tag, key, self._skip) in named:
                        count -= 1
                    if count > 0:
                        return True
                    slot = _first_key(named, (*slot, "\0"))  # (the skipped one's: the next)
                word = _first_key(named, (tag, key, _LAST))
        return False

    def most(self) -> int | None:
        """
        How many things at most answer (counting some twice, where several
        keys answer), read from the counts: None if the place is
        L{crowded}.
        """
        if self.crowded:
            return None
        named = self.contents._named
        if self.key is not None and named is not None:
            return named.get((*self.key, _TOTAL), 0) + len(self._people)
        return len(self._every()) + len(self._people)

    def scripted(self) -> Iterator[Thing]:
        """
        Those that hold a script (L{holds_script}), reading no others: by
        the answering, or by the scripted things here, whichever are fewer.
        """
        contents = self.contents
        group_of = contents._group_of
        if group_of is None:
            return
        if self.key is None or self.count() <= len(group_of):
            for arrival in self.arrivals():
                if arrival in group_of:
                    yield contents.at(arrival)
            return
        for arrival in self._people:
            if arrival in group_of:
                yield contents.at(arrival)
        named = contents._named
        tag, word = self.key
        for arrival in group_of.keys():
            if named is not None and (tag, word, arrival) in named and self._kept(arrival):
                yield contents.at(arrival)


def _people_answering(contents: Contents, tier: int, text: str, skip: int,
                      only: type | None) -> list[int]:
    """
    The arrival numbers of the characters in C{contents} (but the one
    under C{skip}) that answer to C{text} at C{tier}, by the rules the
    index by name keeps for things (L{Contents.answering}), in order.
    Characters are not in the index, so that one walking about writes
    nothing to it (walking is what players do most): the place's list of
    them is read, which keeps each one's names and look-alike keys
    (L{Contents.characters}), so that a lookup reads its buckets, not the
    characters, and works out the keys of C{text} alone.
    """
    contents._counted()
    people = contents._people
    if people is None or (only is not None and not issubclass(Character, only)):
        return []
    found = []
    looks = keys(text) if tier == ALIKE else frozenset()
    for arrival, (character, names, their_looks) in people.items():
        if arrival != skip and (only is None or isinstance(character, only)):
            if tier == EXACT:
                answers = text in names
            elif tier == WORD:
                answers = any(text in name.split() for name in names)
            elif tier == PREFIX:
                answers = any(name.startswith(text) or any(
                    word.startswith(text) for word in name.split()) for name in names)
            else:
                answers = not looks.isdisjoint(their_looks)
            if answers:
                found.append(arrival)
    return found


def character_names(character: Thing, stamp: str | None = None,
                    ) -> tuple[tuple[str, ...], frozenset[str]]:
    """
    The names C{character} answers to (lower-cased, their words joined by
    one space) and the look-alike keys of all of them (L{world.names.keys}):
    those it keeps (L{Character.names_kept}, made by L{keep_names}) if they
    are of its names as they are and of these look-alike keys, otherwise
    worked out now.

    @param stamp: L{_names_stamp}, if the caller has it.
    """
    given = character.given_names()
    kept = getattr(character, "names_kept", None)
    if kept is not None and kept[0] == (stamp or _names_stamp()) and kept[1] == given:
        return kept[2], kept[3]
    names = tuple(" ".join(name.lower().split()) for name in given)
    return names, frozenset().union(*(keys(name) for name in names))


def keep_names(character: Character) -> None:
    """
    Keep on C{character} its names and their look-alike keys
    (L{character_names}), unless it keeps them already: done as it
    arrives somewhere (its record is written then anyway) and when it is
    renamed, so that naming someone beside a crowd of sleepers does not
    work out each one's keys again.
    """
    stamp = _names_stamp()
    given = character.given_names()
    kept = character.names_kept
    if kept is None or kept[0] != stamp or kept[1] != given:
        character.names_kept = (stamp, given, *character_names(character, stamp))


def _first_key(tree: OOBTree, start: tuple) -> tuple | None:
    """
    The first key of C{tree} from C{start} on, or None.
    """
    try:
        return tree.minKey(start)
    except ValueError:
        return None


def _kind(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _kinds(cls: type) -> set[str]:
    """
    The kinds (L{likeness}) of C{cls} and of every class made from it.
    """
    found, todo = set(), [cls]
    while todo:
        one = todo.pop()
        found.add(_kind(one))
        todo.extend(one.__subclasses__())
    return found


def _within(key: str, start: str, prefix: bool) -> bool:
    return key.startswith(start) if prefix else key == start


def script_holder(obj: Thing) -> int:
    """
    The id of the thing holding the script C{obj} runs (which holds one,
    L{holds_script}): its own, or the object it names to run instead.
    """
    parent = obj.scripts.get(PARENT) if MAIN not in obj.scripts else None
    return parent.id if isinstance(parent, Thing) else obj.id


def holds_script(obj: Thing) -> bool:
    """
    Whether C{obj} holds a script of its own, or names the object whose
    script it runs (L{world.scripts}; characters hold none): the things
    that places keep apart as L{Contents.scripted}.
    """
    if isinstance(obj, Character):
        return False
    scripts = getattr(obj, "scripts", None)
    return scripts is not None and (MAIN in scripts or PARENT in scripts)


@implementer(IWorldObject)
class Thing(Persistent):
    """
    Anything that can be somewhere: the base of every world object.
    """

    kind = "thing"
    #: Whether other objects may be put inside this one by players.
    container = False
    #: For builder objects: the fields as content last set them (a plain
    #: dict kept by L{world.loader}, so that a reload changes only what the
    #: builder changed). None for player-made objects.
    content_loaded: dict | None = None
    #: For builder objects: grants content gave the object's script, as
    #: name → (role, content id). None for player-made objects.
    content_grants: dict | None = None
    #: Whether the object counts against its owner's object quota (set by
    #: scripting's accounting when it counts it; destroying it refunds the
    #: owner only then). Objects content made, or made before objects were
    #: counted, do not count until the owner's objects are counted again.
    charged = False
    #: Bytes of this object's text (name, other names, description, own
    #: script) charged to an owner's stored bytes, and that owner: kept by
    #: L{scripting.facets.texts}, so that changing or destroying it refunds
    #: exactly that. Text content wrote, or written before text was charged,
    #: counts for nothing.
    text_charged = 0
    text_charged_to: int | None = None
    #: Its number in the L{Contents} of the place it is in (set when it
    #: arrives there).
    arrival = -1
    #: What that place's index by name keeps it under: its likeness and
    #: the keys of its names then (L{Contents.answering}), so that it
    #: leaves them all however its names changed since. None: not indexed.
    indexed_as: tuple | None = None
    #: The things running this one's script instead of their own
    #: (C{@script/use}), by id (L{world.scripts.set_parent}), made when the
    #: first does; they leave it when this one is destroyed.
    script_users: LOBTree | None = None
    #: Whether its owner (or the owner's script) handed it into another
    #: character's keeping (gave or sold it), or put it into another
    #: owner's sealed container (a payment, a deposit), and it has not come
    #: back to his hands: the one who keeps it, or the seal, then keeps it
    #: from its owner too (L{world.rules.destroy}). What others took is not
    #: handed over (L{world.rules.taken}): its owner may destroy it anywhere.
    handed_over = False
    #: The character last told, while she kept it, that it now runs its
    #: owner's script (L{engine.commands.script.tell_keeper}): she is told
    #: once while she keeps it. None once it moves (L{world.containment.move}).
    keeper_told: int | None = None

    def __init__(self, id: int, name: str, *, description: str = "",
                 aliases: tuple[str, ...] = (), owner: int | None = None,
                 content_id: str | None = None) -> None:
        self.id = id
        self.name = name
        self.aliases = tuple(aliases)
        self.description = description
        self.owner = owner
        self.content_id = content_id
        self.location: Thing | None = None
        self.contents: Contents = Contents()
        self.properties: Properties = Properties()
        self.scripts: PersistentMapping = PersistentMapping()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} #{self.id} {self.name!r}>"

    # Comparisons answer by identity and never return NotImplemented, so
    # that Python never hands a world object to the other operand's
    # reflected method (which could be a script's).
    def __eq__(self, other: object) -> bool:
        return self is other

    def __ne__(self, other: object) -> bool:
        return self is not other

    __hash__ = Persistent.__hash__

    def _unordered(self, other: object) -> bool:
        raise TypeError("world objects have no order")

    __lt__ = __le__ = __gt__ = __ge__ = _unordered

    @property
    def ref(self) -> str:
        """
        How builders see the id: C{#12}.
        """
        return f"#{self.id}"

    def names(self) -> tuple[str, ...]:
        """
        Every name players may use for this object, lower-cased.
        """
        return tuple(n.lower() for n in (self.name, *self.aliases))

    def given_names(self) -> tuple[str, ...]:
        """
        This object's name and aliases as they were given (case kept).
        """
        return (self.name, *self.aliases)

    def set_property(self, key: str, value: Any) -> None:
        """
        Set a free-form property to a plain JSON-like value, charged to
        nobody (content and tests' worlds; scripts and players' commands go
        through L{scripting.facets.properties}, which charges the owner).

        @raise world.properties.PropertyError: a bad name or value, or too
            many properties.
        """
        self.properties.set(key, value)

    def things(self) -> Iterator[Thing]:
        """
        The contents that are not exits.
        """
        return (o for o in self.contents if not isinstance(o, Exit))

    def room(self) -> Room | None:
        """
        The room this object is in, however deeply nested.
        """
        here: Thing | None = self
        while here is not None and not isinstance(here, Room):
            here = here.location
        return here


class Container(Thing):
    """
    A thing players may put other things in: a bag, a box, a chest.
    """

    kind = "container"
    container = True


class Room(Thing):
    """
    A place. Rooms are in no location; they hold exits, things and characters.
    """

    kind = "room"
    container = True

    def __init__(self, id: int, name: str, *, area: str = "", **kw: Any) -> None:
        super().__init__(id, name, **kw)
        self.area = area

    def exits(self) -> list[Exit]:
        """
        This room's exits, in the standard direction order.
        """
        order = list(DIRECTIONS)
        found = list(self.contents.exits())
        return sorted(found, key=lambda e: (order.index(e.name) if e.name in order
                                            else len(order), e.name))

    def characters(self) -> list[Character]:
        """
        The characters present.
        """
        return list(self.contents.characters())


class Exit(Thing):
    """
    A way out of the room it is in, leading to C{destination}.

    An exit's name is usually a direction (C{north}); its aliases include the
    short form (C{n}) and any others a builder gives (C{gate}).
    """

    kind = "exit"

    def __init__(self, id: int, name: str, *, destination: Room | None = None,
                 **kw: Any) -> None:
        direction = canonical_direction(name)
        if direction is not None:
            name = direction
            kw["aliases"] = tuple(dict.fromkeys(
                (*direction_aliases(direction), *kw.get("aliases", ())))
            )
        super().__init__(id, name, **kw)
        self.destination = destination


class Character(Thing):
    """
    A player's character: what an account plays.
    """

    kind = "character"

    def __init__(self, id: int, name: str, **kw: Any) -> None:
        super().__init__(id, name, **kw)
        #: Where the character goes when it connects, if it was nowhere.
        self.home: Room | None = None

    #: Its names and their look-alike keys, as L{character_names} gives
    #: them, with what they were made from (the look-alike keys' stamp and
    #: its names as given): kept by L{keep_names}. Class default: not kept
    #: yet (a character stored before generation 21 and not upgraded), worked
    #: out when wanted.
    names_kept: tuple | None = None


#: Every world class, by its C{kind} name: used by content loading and @create.
KINDS: dict[str, type[Thing]] = {
    cls.kind: cls for cls in (Thing, Container, Room, Exit, Character)
}


#: The kind (L{likeness}) of exits, for what leaves them out
#: (L{Contents.answering}).
_EXIT_KIND = _kind(Exit)
