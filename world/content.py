# -*- test-case-name: tests.content.test_default_world -*-
"""
Builder content: reading a folder of TOML files into checked specs.

The format (documented for builders in C{content/README.md})::

    area = "Saltmere"                  # optional; defaults to the file name

    [rooms.harbour]                    # a room; "harbour" is its content id
    name = "The Harbour"
    description = "Gulls wheel over the moorings."
    start = true                       # exactly one room in the world
    aliases = ["quay"]                 # optional
    properties = { smell = "tar" }     # optional plain values

    [rooms.harbour.exits]
    north = "market"                   # direction = target room id
    up = { to = "lighthouse", aliases = ["stairs"], description = "Steps." }
    hole = { to = "cellar", oneway = true }

    [things.lantern]                   # a thing; "lantern" is its content id
    name = "brass lantern"
    description = "A dented lantern."
    location = "harbour"               # a room or a container's id
    kind = "container"                 # optional: "thing" (default) or "container"

Content ids are global across every file of a folder. Every problem is
reported with the file and line it was found at, all at once (L{read}).
An exit that leads to a room with no exit back is an error unless it is
marked C{oneway = true}.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Callable
from typing import Any

from attrs import field, frozen

from world.errors import WorldError
from world.libraries import check_name
from world.objects import canonical_direction
from world.properties import MAX_PROPERTIES, PropertyError, check_value
from world.tomlpos import Positions, locate
from world.values import NotPlain, check_plain

_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")
_EXIT_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")

#: Thing kinds a builder may give.
THING_KINDS = ("thing", "container")


@frozen
class Where:
    """
    A place in a content file.
    """

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@frozen
class RoomSpec:
    """
    A room as content describes it.
    """

    cid: str
    name: str
    description: str
    area: str
    where: Where
    aliases: tuple[str, ...] = ()
    start: bool = False
    properties: dict = field(factory=dict)
    script: str | None = None
    start_at: Where | None = None
    grants: dict = field(factory=dict)


@frozen
class ExitSpec:
    """
    An exit as content describes it; its content id is C{room.name}.
    """

    cid: str
    room: str
    name: str
    to: str
    where: Where
    aliases: tuple[str, ...] = ()
    description: str = ""
    oneway: bool = False
    properties: dict = field(factory=dict)


@frozen
class ThingSpec:
    """
    A thing (or container) as content describes it.
    """

    cid: str
    kind: str
    name: str
    description: str
    location: str
    where: Where
    aliases: tuple[str, ...] = ()
    properties: dict = field(factory=dict)
    script: str | None = None
    grants: dict = field(factory=dict)


@frozen
class LibrarySpec:
    """
    A library as content declares it (C{[libraries]} C{greetings =
    "greetings.py"}): the world's own, importable by content scripts.

    @ivar name: what scripts import.
    @ivar path: its file, beside the TOML file declaring it.
    @ivar where: the line declaring it.
    """

    name: str
    path: str
    where: Where


@frozen
class ScriptFile:
    """
    A script file content names (C{script = "bell.py"}), found beside the
    file that names it.

    @ivar path: the script's path.
    @ivar where: the line naming it.
    """

    path: str
    where: Where


@frozen
class Content:
    """
    Everything read from a content folder, and every problem found in it.

    @ivar problems: C{"path:line: message"} strings, in file and line order;
        empty when the content may be loaded.
    @ivar scripts: every script file named by a room or thing, once each,
        also those of rooms and things with other problems (so that a
        checker can report the scripts' problems in the same round).
    @ivar libraries: the libraries declared, by name.
    """

    rooms: tuple[RoomSpec, ...]
    exits: tuple[ExitSpec, ...]
    things: tuple[ThingSpec, ...]
    problems: tuple[str, ...]
    scripts: tuple[ScriptFile, ...] = ()
    libraries: tuple[LibrarySpec, ...] = ()


def _type_name(value: Any) -> str:
    names = {str: "a string", bool: "true or false", int: "a whole number",
             float: "a number", list: "a list", dict: "a table"}
    return names.get(type(value), f"a {type(value).__name__}")


def _is_str(v: Any) -> bool:
    return isinstance(v, str)


def _is_text(v: Any) -> bool:
    return isinstance(v, str) and bool(v.strip())


def _is_name(v: Any) -> bool:
    return isinstance(v, str) and bool(v.strip()) and "\n" not in v and len(v) <= 80


def _is_names(v: Any) -> bool:
    return isinstance(v, list) and all(_is_name(x) for x in v)


def _is_bool(v: Any) -> bool:
    return isinstance(v, bool)


def _is_table(v: Any) -> bool:
    return isinstance(v, dict)


def _is_script(v: Any) -> bool:
    return isinstance(v, str) and v.endswith(".py") and "/" not in v and "\\" not in v


_GRANT_NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
GRANT_ROLES = ("view", "interact", "control")


def _is_grants(v: Any) -> bool:
    return isinstance(v, dict) and all(
        isinstance(k, str) and _GRANT_NAME.match(k) and isinstance(x, str)
        and len(x.split()) == 2 and x.split()[0] in GRANT_ROLES for k, x in v.items())


_GRANTS_WHAT = ("a table of name = \"<view|interact|control> <content id>\" "
                "(e.g. key = \"view iron-key\")")


# field → (test, what it must be, required)
_Field = tuple[Callable[[Any], bool], str, bool]

ROOM_FIELDS: dict[str, _Field] = {
    "name": (_is_name, "a one-line string of at most 80 characters", True),
    "description": (_is_text, "a non-empty string", True),
    "aliases": (_is_names, "a list of one-line strings", False),
    "start": (_is_bool, "true or false", False),
    "exits": (_is_table, "a table of direction = room id", False),
    "properties": (_is_table, "a table of plain values", False),
    "script": (_is_script, "the name of a .py file beside this one", False),
    "grants": (_is_grants, _GRANTS_WHAT, False),
}

THING_FIELDS: dict[str, _Field] = {
    "name": (_is_name, "a one-line string of at most 80 characters", True),
    "description": (_is_text, "a non-empty string", True),
    "location": (_is_str, "the id of a room or container", True),
    "kind": (lambda v: v in THING_KINDS, "\"thing\" or \"container\"", False),
    "aliases": (_is_names, "a list of one-line strings", False),
    "properties": (_is_table, "a table of plain values", False),
    "script": (_is_script, "the name of a .py file beside this one", False),
    "grants": (_is_grants, _GRANTS_WHAT, False),
}

EXIT_FIELDS: dict[str, _Field] = {
    "to": (_is_str, "the id of a room", True),
    "aliases": (_is_names, "a list of one-line strings", False),
    "description": (_is_str, "a string", False),
    "oneway": (_is_bool, "true or false", False),
    "properties": (_is_table, "a table of plain values", False),
}

TOP_FIELDS: dict[str, _Field] = {
    "area": (_is_name, "a one-line string", False),
    "rooms": (_is_table, "a table of rooms", False),
    "things": (_is_table, "a table of things", False),
    "libraries": (_is_table, "a table of name = \"file.py\"", False),
}


def _suggest(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


class _File:
    """
    One content file being read: its display path and positions.
    """

    def __init__(self, path: str, positions: Positions, problems: list) -> None:
        self.path = path
        self.positions = positions
        self.problems = problems

    def where(self, *path: str) -> Where:
        return Where(self.path, self.positions.line(path))

    def problem(self, where: Where, message: str) -> None:
        self.problems.append((where.path, where.line, message))

    def fields(self, table: dict, schema: dict[str, _Field], at: tuple[str, ...],
               label: str) -> dict | None:
        """
        Check C{table} against C{schema}; the checked fields, or None if any
        was missing or mistyped (each reported).
        """
        ok = True
        for key, value in table.items():
            if key not in schema:
                self.problem(self.where(*at, key),
                             f"unknown key {key!r} in {label}{_suggest(key, schema)}")
                ok = False
                continue
            test, what, _ = schema[key]
            if not test(value):
                self.problem(self.where(*at, key),
                             f"{key!r} in {label} must be {what}, not {_describe(value)}")
                ok = False
        for key, (_, what, required) in schema.items():
            if required and key not in table:
                self.problem(self.where(*at), f"{label} has no {key!r} (it needs {what})")
                ok = False
        return table if ok else None

    def properties(self, value: dict, at: tuple[str, ...], label: str) -> bool:
        ok = True
        for key, item in value.items():
            try:
                check_plain(item)
            except NotPlain as e:
                self.problem(self.where(*at, "properties", key),
                             f"property {key!r} of {label} is not a plain value: {e}")
                ok = False
                continue
            try:
                check_value(key, item)
            except PropertyError as e:
                self.problem(self.where(*at, "properties", key),
                             f"property {key!r} of {label}: {e}")
                ok = False
        if len(value) > MAX_PROPERTIES:
            self.problem(self.where(*at, "properties"),
                         f"{label} has {len(value)} properties; at most {MAX_PROPERTIES}")
            ok = False
        return ok


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return "an empty string" if not value.strip() else f"the string {value[:30]!r}"
    return _type_name(value)


def reflow(text: str) -> str:
    """
    Join the lines of each paragraph of C{text}: builders may wrap
    descriptions freely in their files; a blank line starts a new paragraph.
    """
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def read(directory: str) -> Content:
    """
    Read and check every C{*.toml} file under C{directory}.
    """
    problems: list[tuple[str, int, str]] = []
    if not os.path.isdir(directory):
        what = "is not a folder" if os.path.exists(directory) else "does not exist"
        return Content((), (), (), (f"{directory}: the content folder {what}",))
    files = sorted(
        os.path.join(base, name)
        for base, _, names in os.walk(directory)
        for name in names if name.endswith(".toml")
    )
    if not files:
        return Content((), (), (), (f"{directory}: no .toml content files in this folder",))
    reader = _Reader(problems)
    unreadable = False
    for path in files:
        unreadable |= not reader.read_file(path, os.path.splitext(os.path.basename(path))[0])
    # References into a file that could not be parsed cannot be checked (they
    # would only repeat its syntax error); everything else still is.
    reader.check_references(directory, complete=not unreadable)
    messages = [f"{p}:{line}: {m}" for p, line, m in sorted(problems, key=lambda x: x[:2])]
    messages.extend(reader.folder_problems)
    return Content(tuple(reader.rooms.values()), tuple(reader.exits),
                   tuple(reader.things.values()), tuple(messages),
                   tuple(reader.scripts.values()), tuple(reader.libraries.values()))


class _Reader:
    def __init__(self, problems: list) -> None:
        self.problems = problems
        self.folder_problems: list[str] = []
        self.rooms: dict[str, RoomSpec] = {}
        self.things: dict[str, ThingSpec] = {}
        self.exits: list[ExitSpec] = []
        self.defined: dict[str, Where] = {}
        self.start_rejected = False
        self.scripts: dict[str, ScriptFile] = {}
        self.libraries: dict[str, LibrarySpec] = {}

    def read_file(self, path: str, stem: str) -> bool:
        """
        Read one file; False if it could not be parsed at all.
        """
        try:
            with open(path, "rb") as handle:
                raw = handle.read()
        except OSError as e:
            self.problems.append((path, 1, f"cannot read this file: {e.strerror}"))
            return False
        try:
            text = raw.decode("utf-8-sig")  # a byte-order mark (Windows editors) is fine
        except UnicodeDecodeError as e:
            line = raw.count(b"\n", 0, e.start) + 1
            self.problems.append((path, line, "not UTF-8 text (save the file as UTF-8)"))
            return False
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            message = str(e)
            found = _TOML_POSITION.search(message)
            if found:
                line = int(found.group(1))
                message = f"{message[:found.start()]} (column {found.group(2)})"
            else:
                line = text.count("\n") + 1
                message = message.replace(" (at end of document)", " at the end of the file")
            self.problems.append((path, line, f"not valid TOML: {message}"))
            return False
        f = _File(path, locate(text), self.problems)
        top = f.fields(data, TOP_FIELDS, (), "the file") or {
            k: v for k, v in data.items() if k in TOP_FIELDS and TOP_FIELDS[k][0](v)}
        area = top.get("area", stem)
        for cid, table in top.get("rooms", {}).items():
            self.read_room(f, cid, table, area)
        for cid, table in top.get("things", {}).items():
            self.read_thing(f, cid, table)
        for name, script in top.get("libraries", {}).items():
            self.read_library(f, name, script)
        return True

    def read_library(self, f: _File, name: str, script: Any) -> None:
        at = ("libraries", name)
        label = f"library {name!r}"
        try:
            check_name(name)
        except WorldError as e:
            f.problem(f.where(*at), str(e))
            return
        if not _is_script(script):
            f.problem(f.where(*at), f"{label} must be the name of a .py file beside this one, "
                                    f"not {_describe(script)}")
            return
        first = self.libraries.get(name)
        if first is not None:
            f.problem(f.where(*at), f"duplicate {label} (first declared at {first.where})")
            return
        beside = os.path.join(os.path.dirname(f.path), script)
        if not os.path.isfile(beside):
            f.problem(f.where(*at), f"script {script!r} of {label} not found (looked for "
                                    f"{beside})")
            return
        self.libraries[name] = LibrarySpec(name, beside, f.where(*at))

    def claim(self, f: _File, cid: str, at: tuple[str, ...]) -> bool:
        where = f.where(*at)
        if not _ID.match(cid):
            f.problem(where, f"{cid!r} is not a usable content id "
                             "(use letters, digits, '_' and '-')")
            return False
        first = self.defined.get(cid)
        if first is not None:
            f.problem(where, f"duplicate content id {cid!r} (first defined at {first})")
            return False
        self.defined[cid] = where
        return True

    def read_room(self, f: _File, cid: str, table: Any, area: str) -> None:
        at = ("rooms", cid)
        label = f"[rooms.{cid}]"
        if not isinstance(table, dict):
            f.problem(f.where(*at), f"rooms.{cid} must be a table, not {_describe(table)}")
            return
        claimed = self.claim(f, cid, at)
        checked = f.fields(table, ROOM_FIELDS, at, label)
        exits = table.get("exits")
        for name, value in (exits.items() if isinstance(exits, dict) else ()):
            self.read_exit(f, cid, name, value, keep=claimed)
        # Each part is checked whatever else is wrong, so one round finds it all.
        sound = self.parts(f, table, at, label)
        if checked is None or not claimed or not sound:
            self.start_rejected |= "start" in table
            return
        self.rooms[cid] = RoomSpec(
            cid=cid, name=checked["name"].strip(), description=reflow(checked["description"]),
            area=area, where=f.where(*at), aliases=tuple(checked.get("aliases", ())),
            start=checked.get("start", False), properties=dict(checked.get("properties", {})),
            script=checked.get("script"), start_at=f.where(*at, "start"),
            grants=dict(checked.get("grants", {})),
        )

    def read_exit(self, f: _File, room: str, name: str, value: Any, keep: bool) -> None:
        at = ("rooms", room, "exits", name)
        label = f"exit {name!r} of room {room!r}"
        direction = canonical_direction(name) or name
        if not _EXIT_NAME.match(name):
            f.problem(f.where(*at), f"{name!r} is not a usable exit name (use a direction "
                                    "like north or up, or one lower-case word)")
            return
        if isinstance(value, str):
            value = {"to": value}
        elif not isinstance(value, dict):
            f.problem(f.where(*at), f"{label} must be a room id or a table with 'to', "
                                    f"not {_describe(value)}")
            return
        checked = f.fields(value, EXIT_FIELDS, at, label)
        if checked is None or not keep:
            return
        if not f.properties(checked.get("properties", {}), at, label):
            return
        cid = f"{room}.{direction}"
        if any(e.cid == cid for e in self.exits):
            f.problem(f.where(*at), f"room {room!r} has two exits {direction!r}")
            return
        self.exits.append(ExitSpec(
            cid=cid, room=room, name=direction, to=checked["to"], where=f.where(*at),
            aliases=tuple(checked.get("aliases", ())),
            description=reflow(checked.get("description", "")),
            oneway=checked.get("oneway", False),
            properties=dict(checked.get("properties", {})),
        ))

    def read_thing(self, f: _File, cid: str, table: Any) -> None:
        at = ("things", cid)
        label = f"[things.{cid}]"
        if not isinstance(table, dict):
            f.problem(f.where(*at), f"things.{cid} must be a table, not {_describe(table)}")
            return
        claimed = self.claim(f, cid, at)
        checked = f.fields(table, THING_FIELDS, at, label)
        sound = self.parts(f, table, at, label)
        if checked is None or not claimed or not sound:
            return
        self.things[cid] = ThingSpec(
            cid=cid, kind=checked.get("kind", "thing"), name=checked["name"].strip(),
            description=reflow(checked["description"]), location=checked["location"],
            where=f.where(*at, "location"), aliases=tuple(checked.get("aliases", ())),
            properties=dict(checked.get("properties", {})), script=checked.get("script"),
            grants=dict(checked.get("grants", {})),
        )

    def parts(self, f: _File, table: dict, at: tuple[str, ...], label: str) -> bool:
        """
        Check a room's or thing's properties and script (if their fields
        have the right types), whatever else is wrong with it; whether they
        are sound.
        """
        properties = table.get("properties", {})
        sound = f.properties(properties, at, label) if _is_table(properties) else True
        script = table.get("script")
        if script is not None and _is_script(script):
            sound = self.script_exists(f, script, at, label) and sound
        return sound

    def script_exists(self, f: _File, script: str, at: tuple[str, ...], label: str) -> bool:
        beside = os.path.join(os.path.dirname(f.path), script)
        if not os.path.isfile(beside):
            f.problem(f.where(*at, "script"), f"script {script!r} of {label} "
                                              f"not found (looked for {beside})")
            return False
        self.scripts.setdefault(beside, ScriptFile(beside, f.where(*at, "script")))
        return True

    def check_references(self, directory: str, complete: bool = True) -> None:
        """
        Check what refers to other content: exits, locations, grants, the
        start room. Unless C{complete} (a file could not be read), ids not
        found are not reported: they may be in that file.
        """
        def problem(where: Where, message: str) -> None:
            self.problems.append((where.path, where.line, message))

        exits_from: dict[str, set[str]] = {}
        for e in self.exits:
            exits_from.setdefault(e.room, set()).add(e.to)
        for e in self.exits:
            if e.to not in self.rooms:
                if e.to in self.things:
                    problem(e.where, f"exit {e.name!r} of room {e.room!r} leads to {e.to!r}, "
                                     "which is a thing, not a room")
                elif e.to not in self.defined and complete:
                    problem(e.where, f"exit {e.name!r} of room {e.room!r} leads to unknown "
                                     f"room {e.to!r}{_suggest(e.to, self.rooms)}")
                continue
            if not e.oneway and e.room not in exits_from.get(e.to, ()):
                problem(e.where, f"exit {e.name!r} of room {e.room!r} leads to {e.to!r}, "
                                 f"which has no exit back to {e.room!r} (add one there, "
                                 "or mark this exit oneway = true)")
        for t in self.things.values():
            if t.location in self.rooms:
                continue
            holder = self.things.get(t.location)
            if holder is None:
                if t.location not in self.defined and complete:
                    problem(t.where, f"thing {t.cid!r} is in unknown location "
                                     f"{t.location!r}{_suggest(t.location, self.defined)}")
            elif holder.kind != "container":
                problem(t.where, f"thing {t.cid!r} is in {t.location!r}, which cannot hold "
                                 "things (give it kind = \"container\")")
            elif self.in_cycle(t):
                problem(t.where, f"thing {t.cid!r} is inside itself (through {t.location!r})")
        granting: list[RoomSpec | ThingSpec] = [*self.rooms.values(), *self.things.values()]
        for spec in granting:
            for name, value in spec.grants.items():
                cid = value.split()[1]
                if (complete and cid not in self.defined
                        and not any(e.cid == cid for e in self.exits)):
                    problem(spec.where, f"grant {name!r} of {spec.cid!r} names unknown "
                                        f"content id {cid!r}{_suggest(cid, self.defined)}")
        starts = [r for r in self.rooms.values() if r.start]
        for extra in starts[1:]:
            problem(extra.start_at or extra.where,
                    f"room {extra.cid!r} is marked start = true, but so is "
                    f"{starts[0].cid!r} at {starts[0].start_at or starts[0].where} (choose one)")
        if not starts and not self.start_rejected and complete:
            self.folder_problems.append(
                f"{directory}: no room is marked start = true (mark the one new players "
                "arrive in)")

    def in_cycle(self, thing: ThingSpec) -> bool:
        seen = {thing.cid}
        here = self.things.get(thing.location)
        while here is not None:
            if here.cid in seen:
                return True
            seen.add(here.cid)
            here = self.things.get(here.location)
        return False
