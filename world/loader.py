# -*- test-case-name: tests.world.test_loader,tests.world.test_limits_audit -*-
"""
Loading builder content into a world.

L{check} reports every problem in a content folder; L{load} puts the folder
into an open world in one turn. Loading is idempotent and careful with live
worlds:

  - builder objects are found again by their content id and updated, never
    duplicated; player-made objects (content id None) are never touched;
  - each builder object remembers what content last set it to
    (C{content_loaded}); a reload changes a field only when the content for
    it changed since, so changes made in play (a lantern carried off, a
    property a script set) survive a restart unless the builder edited that
    very field;
  - rooms and things whose content ids are no longer in the content are left
    where they are (players may be standing in them, or their things) and
    listed in the report, for an operator to remove in game; an exit taken
    out of a room the content still describes is removed (nobody can be
    inside an exit);
  - a content id whose kind changed (a thing that became a container) is
    replaced by a new object of the new kind, which takes over its contents;
  - a world remembers the folder it was loaded from (L{SOURCE}); loading
    another folder into it is refused unless asked for (C{replace}): the
    other folder's version of the same rooms would silently remove the
    exits only the first one has;
  - what a load takes away is settled as a builder's C{@destroy} settles it:
    every object it destroys (a replaced object, a removed exit) is handed
    to the L{Keeper}, which forgets its grants, timers, script state and
    charges and refunds its owner; text that content writes over text an
    owner was charged for is refunded (L{Keeper.rewritten}). The world
    imports nothing from scripting, so the engine hands C{load} the keeper
    (L{scripting.facets.lifecycle.KEEPER}).
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from functools import partial
from typing import Any, Protocol

from attrs import frozen

from world.containment import can_hold, move
from world.content import Content, ExitSpec, RoomSpec, ThingSpec, read
from world.errors import MoveError
from world.libraries import libraries_of, library, remove_library, set_library
from world.objects import DIRECTIONS, Container, Exit, Room, Thing
from world.root import WorldRoot
from world.scripts import MAIN, clear_script, set_script

_MISSING = object()

#: The world setting naming the content folder (its real path) the world was
#: last loaded from.
SOURCE = "content.source"


class ContentError(Exception):
    """
    Content cannot be loaded because it has problems.

    @ivar problems: every problem, as C{"path:line: message"} strings.
    """

    def __init__(self, directory: str, problems: tuple[str, ...] | list[str]) -> None:
        self.directory = directory
        self.problems = tuple(problems)
        count = len(self.problems)
        first = self.problems[0] if self.problems else "(none)"
        more = (f"; run 'tessera content check {directory}' to see all {count}"
                if count > 1 else "")
        super().__init__(f"cannot load {directory}: {first}{more}")


class ContentSourceError(ContentError):
    """
    The world was loaded from another content folder: loading this one
    would replace that one's version of the world (its exits only it has
    would go). Nothing was changed.

    @ivar source: the folder the world was loaded from.
    """

    def __init__(self, directory: str, source: str) -> None:
        self.source = source
        Exception.__init__(
            self,
            f"this world was loaded from {source}, not {directory}: loading {directory} "
            f"would replace that content (and remove exits only it has). Load {source} "
            f"again, or replace it on purpose with 'tessera content load {directory} "
            "--replace'")
        self.directory = directory
        self.problems = (str(self),)


class Keeper(Protocol):
    """
    What a load asks of the layers above the world, which keep the records
    of scripts (grants, timers, state, charges) that the world cannot see.
    """

    def destroyed(self, root: WorldRoot, obj: Thing) -> None:
        """
        The load destroyed C{obj}: forget everything that belonged to it and
        refund its owner, as a builder's C{@destroy} would.
        """

    def rewritten(self, root: WorldRoot, obj: Thing, stored: tuple[str, ...],
                  written: tuple[str, ...]) -> None:
        """
        Content is about to write one text field of C{obj} (its name, other
        names, description or script), which holds C{stored} now where
        content last wrote C{written}: what C{stored} has beyond C{written}
        was an owner's, and any charge for it is refunded.
        """


#: The fields of content that are text an owner may have been charged for.
_TEXT_FIELDS = frozenset({"name", "aliases", "description", "script"})


@frozen
class LoadReport:
    """
    What loading content changed.

    @ivar created: objects made new.
    @ivar updated: builder objects changed because their content changed.
    @ivar unchanged: builder objects already as content describes them.
    @ivar stale: content ids in the world that this content no longer has
        (left alone).
    @ivar notes: anything else an operator should know, one line each.
    @ivar removed: exits taken out of rooms this content describes, removed
        from the world too.
    """

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    stale: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    removed: int = 0

    def __str__(self) -> str:
        text = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        if self.removed:
            text += f", {self.removed} exit(s) removed"
        if self.stale:
            shown = ", ".join(self.stale[:10]) + (", ..." if len(self.stale) > 10 else "")
            text += (f"; {len(self.stale)} object(s) no longer in this content were left "
                     f"in place: {shown}")
        for note in self.notes:
            text += f"; {note}"
        return text


def check(directory: str) -> list[str]:
    """
    Every problem in the content folder C{directory}, as
    C{"path:line: message"} strings (C{"directory: message"} for problems of
    the folder as a whole); empty when it may be loaded.
    """
    return list(read(directory).problems)


def source_of(store: Any) -> str | None:
    """
    The content folder the world of C{store} was last loaded from, or None.
    """
    with store.turn() as turn:
        found = turn.root.settings.get(SOURCE)
    return found if isinstance(found, str) else None


def load(store: Any, directory: str, *, keeper: Keeper, replace: bool = False) -> LoadReport:
    """
    Load the content folder C{directory} into the world of C{store} (a
    L{world.store.WorldStore}) in one turn, make its start room the world's,
    and remember it as the world's content (L{SOURCE}).

    @param keeper: settles what the load destroys or writes over (the
        engine's is L{scripting.facets.lifecycle.KEEPER}).
    @param replace: load it even if the world was loaded from another folder
        (which it then replaces).
    @raise ContentSourceError: the world was loaded from another folder;
        nothing was changed.
    @raise ContentError: the content has problems; nothing was changed.
    """
    content = read(directory)
    if content.problems:
        raise ContentError(directory, content.problems)
    source = os.path.realpath(directory)
    with store.turn() as turn:
        recorded = turn.root.settings.get(SOURCE)
        if (isinstance(recorded, str) and recorded != source and not replace
                and len(turn.root.by_content_id)):
            raise ContentSourceError(directory, recorded)
        report = _Loader(turn.root, content, keeper).run()
        if recorded != source:
            turn.root.settings[SOURCE] = source
    return report


def _script_text(spec: RoomSpec | ThingSpec) -> str | None:
    """
    The source of C{spec}'s script file (beside its TOML file), or None.
    """
    if spec.script is None:
        return None
    path = os.path.join(os.path.dirname(spec.where.path), spec.script)
    with open(path, encoding="utf-8") as f:
        return f.read()


def _exit_aliases(name: str, aliases: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*DIRECTIONS.get(name, ()), *aliases)))


class _Loader:
    def __init__(self, root: WorldRoot, content: Content, keeper: Keeper) -> None:
        self.root = root
        self.content = content
        self.keeper = keeper
        self.created = self.updated = self.unchanged = self.removed = 0
        self.notes: list[str] = []

    def run(self) -> LoadReport:
        root = self.root
        for room in self.content.rooms:
            self.sync(room.cid, Room, self.room_fields(room), partial(self.make_room, room))
        for thing in self.containers_first():
            cls = Container if thing.kind == "container" else Thing
            self.sync(thing.cid, cls, self.thing_fields(thing),
                      partial(self.make_thing, thing, cls))
        for ex in self.content.exits:
            self.sync(ex.cid, Exit, self.exit_fields(ex), partial(self.make_exit, ex))
        if root.start_room is None:
            start = next(r for r in self.content.rooms if r.start)
            root.start_room = self.room(start.cid)
        self.sync_libraries()
        known = {s.cid for group in (self.content.rooms, self.content.things,
                                     self.content.exits) for s in group}
        rooms = {r.cid for r in self.content.rooms}
        stale = []
        for cid in list(root.by_content_id):
            if cid in known:
                continue
            obj = root.by_content_id[cid]
            if (isinstance(obj, Exit) and obj.location is not None
                    and obj.location.content_id in rooms):
                # An exit taken out of a room this content describes: nobody
                # can be inside an exit, so it is safe to remove.
                self.destroy(obj)
                self.removed += 1
            else:
                stale.append(cid)
        return LoadReport(self.created, self.updated, self.unchanged, tuple(stale),
                          tuple(self.notes), self.removed)

    def sync_libraries(self) -> None:
        """
        Make the world's own libraries what content declares: a changed file
        is a new version (the engine checks it at start), a library no longer
        declared is removed.
        """
        root = self.root
        declared = {spec.name: spec for spec in self.content.libraries}
        for spec in declared.values():
            with open(spec.path, encoding="utf-8") as f:
                source = f.read()
            record = library(root, None, spec.name)
            if record is not None and record.source == source:
                self.unchanged += 1
                continue
            set_library(root, None, spec.name, source, None)  # the engine checks it
            if record is None:
                self.created += 1
            else:
                self.updated += 1
        for record in libraries_of(root, None):
            if record.name not in declared:
                remove_library(root, None, record.name)
                self.notes.append(f"library {record.name} is no longer in the content and was "
                                  "removed")

    def found(self, cid: str) -> Thing:
        """
        The builder object with content id C{cid}, which must exist by now.
        """
        obj = self.root.by_content(cid)
        if obj is None:
            raise AssertionError(f"content id {cid!r} should have been loaded")
        return obj

    def room(self, cid: str) -> Room:
        obj = self.found(cid)
        if not isinstance(obj, Room):
            raise AssertionError(f"content id {cid!r} should be a room")
        return obj

    def make_room(self, spec: RoomSpec) -> Thing:
        return self.root.create(Room, spec.name, content_id=spec.cid, area=spec.area)

    def make_thing(self, spec: ThingSpec, cls: type[Thing]) -> Thing:
        return self.root.create(cls, spec.name, content_id=spec.cid,
                                location=self.found(spec.location))

    def make_exit(self, spec: ExitSpec) -> Thing:
        return self.root.create(Exit, spec.name, content_id=spec.cid,
                                location=self.room(spec.room), destination=self.room(spec.to))

    def containers_first(self) -> list[ThingSpec]:
        things = {t.cid: t for t in self.content.things}

        def depth(spec: ThingSpec) -> int:
            n = 0
            while spec.location in things:
                spec = things[spec.location]
                n += 1
            return n

        return sorted(self.content.things, key=depth)

    @staticmethod
    def room_fields(spec: RoomSpec) -> dict:
        return {"name": spec.name, "description": spec.description,
                "aliases": list(spec.aliases), "area": spec.area, "start": spec.start,
                "properties": spec.properties, "script": _script_text(spec),
                "grants": dict(spec.grants)}

    @staticmethod
    def thing_fields(spec: ThingSpec) -> dict:
        return {"name": spec.name, "description": spec.description,
                "aliases": list(spec.aliases), "location": spec.location,
                "properties": spec.properties, "script": _script_text(spec),
                "grants": dict(spec.grants)}

    @staticmethod
    def exit_fields(spec: ExitSpec) -> dict:
        return {"description": spec.description, "aliases": list(spec.aliases),
                "to": spec.to, "properties": spec.properties}

    def sync(self, cid: str, cls: type[Thing], fields: dict,
             make: Callable[[], Thing]) -> None:
        """
        Make the object with content id C{cid} what content says, changing
        only the fields whose content changed since the last load.
        """
        obj = self.root.by_content(cid)
        if obj is None:
            obj = make()
            self.created += 1
            old: dict = {}
        elif type(obj) is not cls:
            obj = self.replace(obj, make)
            self.created += 1
            old = {}
        else:
            old = obj.content_loaded or {}
            if all(old.get(k, _MISSING) == v for k, v in fields.items()):
                self.unchanged += 1
                return
            self.updated += 1
        names = obj.given_names()
        for key, value in fields.items():
            before = old.get(key, _MISSING)
            if before != value:
                self.apply(obj, key, value, before)
        self.root.renamed(obj, names)  # the index of names, if they changed
        obj.content_loaded = copy.deepcopy(fields)

    def destroy(self, obj: Thing, spill_to: Thing | None = None) -> None:
        """
        Destroy C{obj} (and what goes with it: exits inside it or leading
        into it), and have the keeper forget what belonged to each.
        """
        for each in self.root.destroy(obj, spill_to=spill_to):
            self.keeper.destroyed(self.root, each)

    def rewrite(self, obj: Thing, key: str, before: Any) -> None:
        """
        Tell the keeper what text of C{obj} the field C{key} holds before
        content writes it, and what content last wrote there (C{before}).
        """
        if key == "aliases":
            stored: tuple[str, ...] = tuple(obj.aliases)
            last = list(before) if isinstance(before, list) else []
            written = (_exit_aliases(obj.name, last) if isinstance(obj, Exit)
                       else tuple(last))
        elif key == "script":
            source = getattr(obj.scripts.get(MAIN), "source", "")
            stored = (source,) if type(source) is str else ()
            written = (before,) if isinstance(before, str) else ()
        else:
            current = getattr(obj, key)
            stored = (current,) if type(current) is str else ()
            written = (before,) if isinstance(before, str) else ()
        self.keeper.rewritten(self.root, obj, stored, written)

    def apply(self, obj: Thing, key: str, value: Any, before: Any) -> None:
        root = self.root
        if key in _TEXT_FIELDS:
            self.rewrite(obj, key, before)
        if key == "aliases":
            obj.aliases = (_exit_aliases(obj.name, value) if isinstance(obj, Exit)
                           else tuple(value))
        elif key == "properties":
            old = before if isinstance(before, dict) else {}
            for name, item in value.items():
                if old.get(name, _MISSING) != item:
                    obj.properties[name] = copy.deepcopy(item)
            for name in old:
                if name not in value:
                    obj.properties.pop(name, None)
        elif key == "location":
            target = self.found(value)
            if obj.location is not target:
                try:
                    move(obj, target)
                except MoveError as e:
                    self.notes.append(f"{obj.content_id} was not moved to {value}: {e}")
        elif key == "script":
            if value:
                set_script(obj, value, None, None)  # the engine checks and starts it
                root.pending_scripts = (*root.pending_scripts, obj.id)
            else:
                clear_script(obj)
        elif key == "grants":
            obj.content_grants = {name: tuple(spec.split()) for name, spec in value.items()}
        elif key == "to" and isinstance(obj, Exit):
            old_destination = obj.destination
            obj.destination = self.room(value)
            root.redirected(obj, old_destination)  # the index of exits by where they lead
        elif key == "start" and isinstance(obj, Room):
            if value:
                root.start_room = obj
        elif getattr(obj, key, _MISSING) != value:
            setattr(obj, key, value)

    def replace(self, old: Thing, make: Callable[[], Thing]) -> Thing:
        """
        Replace C{old} by a new object of another kind with the same content
        id; what was inside C{old} moves to the new one (or beside it).
        """
        root = self.root
        cid = old.content_id
        del root.by_content_id[cid]
        was_start = root.start_room is old
        if was_start:
            root.start_room = None
        new = make()
        spill: Thing | None = new
        if not (isinstance(new, Room) or (can_hold(new) and not isinstance(old, Room))):
            spill = new.room() or root.start_room
        self.destroy(old, spill_to=spill)
        if was_start and isinstance(new, Room):
            root.start_room = new
        self.notes.append(f"{cid} changed from a {old.kind} to a {new.kind}: "
                          f"#{old.id} was replaced by #{new.id}")
        return new
