"""
Tests for L{world.loader}: every content problem is reported at its file
and line, all at once; loading is idempotent and leaves player-made objects
and changes made in play alone.
"""

from __future__ import annotations

import os
import textwrap

from twisted.trial import unittest

from scripting.facets.lifecycle import KEEPER
from world.containment import check_invariants, move
from world.loader import ContentError, LoadReport, check, load
from world.objects import Character, Container, Exit, Room, Thing
from world.store import WorldStore

TOWN = '''\
area = "Town"

[rooms.hall]
name = "Hall"
description = """
A long hall
with a high roof.

Dust hangs in the air."""
start = true

[rooms.hall.exits]
north = "yard"
up = { to = "loft", aliases = ["ladder"], description = "A ladder." }

[rooms.yard]
name = "Yard"
description = "A yard."
exits.south = "hall"

[rooms.loft]
name = "Loft"
description = "A loft."
exits.down = "hall"
'''

THINGS = '''\
[things.bag]
name = "canvas bag"
description = "A bag."
kind = "container"
location = "hall"

[things.lantern]
name = "brass lantern"
aliases = ["lantern", "lamp"]
description = "A lantern."
location = "hall"
properties = { lit = false, oil = 3 }

[things.coin]
name = "coin"
description = "A coin."
location = "bag"
'''


class ContentTestCase(unittest.TestCase):
    """
    Writes content folders into a temporary directory.
    """

    def folder(self, **files: str) -> str:
        directory = self.mktemp()
        os.makedirs(directory)
        for name, text in files.items():
            self.write(directory, name, text)
        return directory

    def write(self, directory: str, name: str, text: str) -> None:
        with open(os.path.join(directory, f"{name}.toml"), "w", encoding="utf-8") as f:
            f.write(textwrap.dedent(text))


class CheckTests(ContentTestCase):
    """
    L{check} reports each kind of problem at the right file and line.
    """

    def problems(self, **files: str) -> tuple[str, list[str]]:
        directory = self.folder(**files)
        return directory, check(directory)

    def test_good_content(self) -> None:
        """
        Content without problems gives no problems.
        """
        _, problems = self.problems(town=TOWN, things=THINGS)
        self.assertEqual(problems, [])

    def test_bad_toml(self) -> None:
        """
        A TOML syntax error is reported at the line tomllib names.
        """
        d, problems = self.problems(town=TOWN, bad='[rooms.x]\nname = "X"\ndescription = oops\n')
        self.assertEqual(problems, [
            f"{d}/bad.toml:3: not valid TOML: Invalid value (column 15)"])

    def test_bad_toml_at_end(self) -> None:
        """
        A file ending in the middle of a value is reported at its last line.
        """
        d, problems = self.problems(town=TOWN, bad='[rooms.x]\nname = "X\n')
        self.assertEqual(len(problems), 1)
        self.assertTrue(problems[0].startswith(f"{d}/bad.toml:2: not valid TOML"), problems)

    def test_not_utf8(self) -> None:
        """
        A file that is not UTF-8 is reported at the line of the first bad byte.
        """
        d = self.folder(town=TOWN)
        with open(os.path.join(d, "latin.toml"), "wb") as f:
            f.write(b'[rooms.cafe]\nname = "Caf\xe9"\n')
        self.assertEqual(check(d), [
            f"{d}/latin.toml:2: not UTF-8 text (save the file as UTF-8)"])

    def test_byte_order_mark(self) -> None:
        """
        A UTF-8 file starting with a byte-order mark (as some Windows
        editors save) is read normally.
        """
        d = self.folder()
        with open(os.path.join(d, "town.toml"), "wb") as f:
            f.write(b"\xef\xbb\xbf" + TOWN.encode())
        self.assertEqual(check(d), [])

    def test_unknown_exit_target(self) -> None:
        """
        An exit to a room nobody defined is reported at the exit, with a
        suggestion.
        """
        d, problems = self.problems(town=TOWN.replace('north = "yard"', 'north = "yrd"'))
        self.assertIn(f"{d}/town.toml:13: exit 'north' of room 'hall' leads to unknown "
                      "room 'yrd' (did you mean 'yard'?)", problems)

    def test_exit_to_thing(self) -> None:
        """
        An exit to a thing is reported at the exit.
        """
        d, problems = self.problems(
            town=TOWN.replace('exits.down = "hall"', 'exits.down = "hall"\nexits.in = "bag"'),
            things=THINGS)
        self.assertEqual(problems, [f"{d}/town.toml:25: exit 'in' of room 'loft' leads to "
                                    "'bag', which is a thing, not a room"])

    def test_duplicate_ids(self) -> None:
        """
        A content id defined twice, in different files, is reported at the
        second, naming the first.
        """
        d, problems = self.problems(
            town=TOWN, zz='\n[things.yard]\nname = "x"\ndescription = "y"\nlocation = "hall"\n')
        self.assertEqual(problems, [f"{d}/zz.toml:2: duplicate content id 'yard' "
                                    f"(first defined at {d}/town.toml:16)"])

    def test_missing_field(self) -> None:
        """
        A missing required field is reported at the table's header.
        """
        d, problems = self.problems(town=TOWN.replace('name = "Yard"\n', ""))
        self.assertEqual(problems, [f"{d}/town.toml:16: [rooms.yard] has no 'name' "
                                    "(it needs a one-line string of at most 80 characters)"])

    def test_mistyped_fields(self) -> None:
        """
        Fields of the wrong type are each reported at their own line.
        """
        bad = THINGS.replace('kind = "container"', 'kind = "box"').replace(
            'aliases = ["lantern", "lamp"]', 'aliases = "lantern"')
        d, problems = self.problems(town=TOWN.replace("start = true", "start = 1"), things=bad)
        self.assertEqual(problems, [
            f"{d}/things.toml:4: 'kind' in [things.bag] must be \"thing\" or \"container\", "
            "not the string 'box'",
            f"{d}/things.toml:9: 'aliases' in [things.lantern] must be a list of one-line "
            "strings, not the string 'lantern'",
            f"{d}/town.toml:10: 'start' in [rooms.hall] must be true or false, "
            "not a whole number",
        ])

    def test_unknown_key(self) -> None:
        """
        A key the format does not know is reported, with the likely one.
        """
        d, problems = self.problems(town=TOWN.replace('description = "A yard."',
                                                      'description = "A yard."\ndescripshun = 1'))
        self.assertEqual(problems, [f"{d}/town.toml:19: unknown key 'descripshun' in "
                                    "[rooms.yard] (did you mean 'description'?)"])

    def test_one_way_exit(self) -> None:
        """
        An exit with no way back is reported, unless marked oneway.
        """
        one_way = TOWN.replace('exits.down = "hall"\n', "")
        d, problems = self.problems(town=one_way)
        self.assertEqual(problems, [
            f"{d}/town.toml:14: exit 'up' of room 'hall' leads to 'loft', which has no exit "
            "back to 'hall' (add one there, or mark this exit oneway = true)"])
        marked = one_way.replace('description = "A ladder." }',
                                 'description = "A ladder.", oneway = true }')
        d, problems = self.problems(town=marked)
        self.assertEqual(problems, [])

    def test_thing_locations(self) -> None:
        """
        A thing in an unknown place, in a non-container, or inside itself is
        reported at its location line.
        """
        bad = THINGS.replace('location = "bag"', 'location = "lantern"') + textwrap.dedent('''
            [things.box]
            name = "box"
            description = "A box."
            kind = "container"
            location = "crate"

            [things.crate]
            name = "crate"
            description = "A crate."
            kind = "container"
            location = "box"

            [things.ghost]
            name = "ghost"
            description = "Boo."
            location = "attic"
            ''')
        d, problems = self.problems(town=TOWN, things=bad)
        self.assertEqual(problems, [
            f"{d}/things.toml:17: thing 'coin' is in 'lantern', which cannot hold things "
            "(give it kind = \"container\")",
            f"{d}/things.toml:23: thing 'box' is inside itself (through 'crate')",
            f"{d}/things.toml:29: thing 'crate' is inside itself (through 'box')",
            f"{d}/things.toml:34: thing 'ghost' is in unknown location 'attic'",
        ])

    def test_property_not_plain(self) -> None:
        """
        A property value that is not plain (a TOML date) is reported at it.
        """
        d, problems = self.problems(town=TOWN, things=THINGS.replace(
            "oil = 3 }", "oil = 3, filled = 1979-05-27 }"))
        self.assertEqual(problems, [f"{d}/things.toml:12: property 'filled' of "
                                    "[things.lantern] is not a plain value: a date is not "
                                    "a plain value"])

    def test_start_rooms(self) -> None:
        """
        Two start rooms are reported at the second; none at all is a problem
        of the folder.
        """
        two = TOWN.replace('description = "A loft."', 'description = "A loft."\nstart = true')
        d, problems = self.problems(town=two)
        self.assertEqual(problems, [f"{d}/town.toml:24: room 'loft' is marked start = true, "
                                    f"but so is 'hall' at {d}/town.toml:10 (choose one)"])
        d, problems = self.problems(town=TOWN.replace("start = true\n", ""))
        self.assertEqual(problems, [f"{d}: no room is marked start = true (mark the one new "
                                    "players arrive in)"])

    def test_bad_names(self) -> None:
        """
        Unusable content ids and exit names are reported.
        """
        d, problems = self.problems(town=TOWN.replace("[rooms.yard]", '[rooms."the yard"]')
                                    .replace('north = "yard"', 'North = "hall"'))
        self.assertIn(f"{d}/town.toml:13: 'North' is not a usable exit name (use a direction "
                      "like north or up, or one lower-case word)", problems)
        self.assertIn(f"{d}/town.toml:16: 'the yard' is not a usable content id (use "
                      "letters, digits, '_' and '-')", problems)

    def test_scripts(self) -> None:
        """
        A script must name a .py file beside the TOML file.
        """
        d, problems = self.problems(town=TOWN.replace("start = true", 'start = true\n'
                                                      'script = "bell.py"'))
        self.assertEqual(problems, [f"{d}/town.toml:11: script 'bell.py' of [rooms.hall] not "
                                    f"found (looked for {d}/bell.py)"])
        with open(os.path.join(d, "bell.py"), "w") as f:
            f.write("# rings\n")
        self.assertEqual(check(d), [])

    def test_folder_problems(self) -> None:
        """
        A missing folder, a file in its place and a folder with no TOML are
        each one problem.
        """
        missing = self.mktemp()
        self.assertEqual(check(missing), [f"{missing}: the content folder does not exist"])
        with open(missing, "w") as f:
            f.write("")
        self.assertEqual(check(missing), [f"{missing}: the content folder is not a folder"])
        empty = self.mktemp()
        os.makedirs(empty)
        self.assertEqual(check(empty), [f"{empty}: no .toml content files in this folder"])

    def test_everything_at_once(self) -> None:
        """
        Problems in several files are all reported in one go, in file and
        line order; a file that does not parse hides no other file's
        problems.
        """
        d, problems = self.problems(
            a=TOWN.replace('name = "Yard"\n', "").replace('north = "yard"', 'north = "yrd"'),
            b="[things.x]\nname = 3\n",
            c="not toml at all",
        )
        self.assertEqual([p.split(": ", 1)[0] for p in problems], [
            f"{d}/a.toml:16", f"{d}/a.toml:18", f"{d}/b.toml:1", f"{d}/b.toml:1",
            f"{d}/b.toml:2", f"{d}/c.toml:1"])
        # While c.toml cannot be parsed, ids not found (north = "yrd") are not
        # reported: they might be in it; the rest of the references are (the
        # yard's exit south has no way back). Fixing it brings them back.
        self.write(d, "c", "")
        self.assertIn(f"{d}/a.toml:13", [p.split(": ", 1)[0] for p in check(d)])


class LoadTests(ContentTestCase):
    """
    L{load} builds and updates worlds from content.
    """

    def setUp(self) -> None:
        self.directory = self.folder(town=TOWN, things=THINGS)
        self.store = WorldStore()
        self.addCleanup(self.store.close)

    def load(self) -> LoadReport:
        return load(self.store, self.directory, keeper=KEEPER)

    def by(self, cid: str) -> Thing:
        obj = self.store.root.by_content(cid)
        assert obj is not None, cid
        return obj

    def test_builds_world(self) -> None:
        """
        Rooms, exits both ways, things and containers are made as content
        says, with the start room set and descriptions reflowed.
        """
        report = self.load()
        self.assertEqual(report, LoadReport(created=10))
        hall, yard, loft = self.by("hall"), self.by("yard"), self.by("loft")
        self.assertIsInstance(hall, Room)
        self.assertEqual(hall.description,
                         "A long hall with a high roof.\n\nDust hangs in the air.")
        self.assertEqual(hall.area, "Town")
        self.assertIs(self.store.root.start_room, hall)
        self.assertEqual([(e.name, e.destination) for e in hall.exits()],
                         [("north", yard), ("up", loft)])
        up = self.by("hall.up")
        self.assertEqual((up.aliases, up.description), (("u", "ladder"), "A ladder."))
        self.assertIsInstance(self.by("bag"), Container)
        self.assertIs(self.by("coin").location, self.by("bag"))
        self.assertEqual(dict(self.by("lantern").properties), {"lit": False, "oil": 3})
        self.assertIsNone(self.by("lantern").owner)
        self.assertEqual(check_invariants(self.store.root.all()), [])

    def test_twice_changes_nothing(self) -> None:
        """
        Loading the same content again changes nothing at all: nothing is
        created or updated, and not one byte is written to the database.
        """
        directory = self.mktemp()
        os.makedirs(directory)
        path = os.path.join(directory, "world.fs")
        store = WorldStore(path)
        self.addCleanup(store.close)
        load(store, self.directory, keeper=KEEPER)
        before = [(o.id, o.name, o.location, list(o.contents)) for o in store.root.all()]
        size = os.path.getsize(path)
        report = load(store, self.directory, keeper=KEEPER)
        self.assertEqual(report, LoadReport(unchanged=10))
        self.assertEqual(str(report), "0 created, 0 updated, 10 unchanged")
        self.assertEqual(os.path.getsize(path), size)
        self.assertEqual([(o.id, o.name, o.location, list(o.contents))
                          for o in store.root.all()], before)

    def test_updates_and_leaves_player_objects(self) -> None:
        """
        A changed description is updated in place (same id); a player-made
        object, even one with a builder's name, is left alone.
        """
        self.load()
        hall = self.by("hall")
        with self.store.turn() as turn:
            ann = turn.root.create(Character, "Ann", location=hall)
            mine = turn.root.create(Thing, "brass lantern", description="Ann's own.",
                                    owner=ann.id, location=hall)
            mine.set_property("lit", True)
        self.write(self.directory, "town", TOWN.replace('"A yard."', '"A muddy yard."'))
        report = self.load()
        self.assertEqual((report.created, report.updated, report.unchanged), (0, 1, 9))
        self.assertEqual(self.by("yard").description, "A muddy yard.")
        self.assertEqual((mine.name, mine.description, mine.location, mine.owner),
                         ("brass lantern", "Ann's own.", hall, ann.id))
        self.assertEqual(dict(mine.properties), {"lit": True})
        self.assertIs(ann.location, hall)
        self.assertIsNone(mine.content_id)

    def test_play_changes_survive_reload(self) -> None:
        """
        A builder object moved or changed in play stays as play left it when
        content did not change that field, and follows content when it did.
        """
        self.load()
        yard, lantern = self.by("yard"), self.by("lantern")
        with self.store.turn():
            move(lantern, yard)
            lantern.set_property("lit", True)
        self.assertEqual(self.load(), LoadReport(unchanged=10))
        self.assertIs(lantern.location, yard)
        self.assertTrue(lantern.properties["lit"])
        self.write(self.directory, "things", THINGS.replace(
            'location = "hall"\nproperties = { lit = false, oil = 3 }',
            'location = "loft"\nproperties = { lit = false, oil = 5 }'))
        self.assertEqual(self.load(), LoadReport(updated=1, unchanged=9))
        self.assertIs(lantern.location, self.by("loft"))
        self.assertEqual(dict(lantern.properties), {"lit": True, "oil": 5})

    def test_exit_retargeted(self) -> None:
        """
        An exit whose target changes in content is relinked in place.
        """
        self.load()
        north = self.by("hall.north")
        town = TOWN.replace('north = "yard"', 'north = "loft"').replace(
            'exits.down = "hall"', 'exits.down = "hall"\nexits.south = "hall"').replace(
            'exits.south = "hall"\n\n[rooms.loft]', 'exits.south = { to = "hall", '
            'oneway = true }\n\n[rooms.loft]')
        self.write(self.directory, "town", town)
        self.assertEqual(check(self.directory), [])
        report = self.load()
        self.assertIs(self.by("hall.north"), north)
        self.assertIs(north.destination, self.by("loft"))
        self.assertEqual((report.created, report.updated), (1, 1))

    def test_removed_content_left_and_reported(self) -> None:
        """
        Objects whose content was removed are left in place and listed.
        """
        self.load()
        coin = self.by("coin")
        self.write(self.directory, "things", THINGS.split("[things.coin]")[0])
        report = self.load()
        self.assertEqual(report.stale, ("coin",))
        self.assertIn("1 object(s) no longer in this content were left in place: coin",
                      str(report))
        self.assertIs(coin.location, self.by("bag"))

    def test_removed_exit_removed(self) -> None:
        """
        An exit taken out of a room's content is removed from the world (a
        renamed exit does not linger beside its new self).
        """
        self.load()
        old = self.by("yard.south")
        self.write(self.directory, "town", TOWN.replace(
            'exits.south = "hall"', 'exits.southwest = "hall"'))
        report = self.load()
        self.assertEqual((report.created, report.removed, report.stale), (1, 1, ()))
        self.assertIn("1 created, 0 updated, 9 unchanged, 1 exit(s) removed", str(report))
        self.assertIsNone(self.store.root.get(old.id))
        self.assertEqual([e.name for e in self.by("yard").exits()], ["southwest"])
        self.assertEqual(check_invariants(self.store.root.all()), [])

    def test_kind_change(self) -> None:
        """
        A thing that becomes a container is replaced by a container in the
        same place, under the same content id.
        """
        self.load()
        old = self.by("lantern")
        self.write(self.directory, "things", THINGS.replace(
            'aliases = ["lantern", "lamp"]', 'aliases = ["lantern", "lamp"]\nkind = "container"'))
        report = self.load()
        new = self.by("lantern")
        self.assertIsInstance(new, Container)
        self.assertIsNot(new, old)
        self.assertIs(new.location, self.by("hall"))
        self.assertIsNone(self.store.root.get(old.id))
        self.assertEqual(report.created, 1)
        self.assertIn("lantern changed from a thing to a container", str(report))
        self.assertEqual(check_invariants(self.store.root.all()), [])

    def test_start_room_moves(self) -> None:
        """
        Moving start = true to another room makes that the start room.
        """
        self.load()
        self.write(self.directory, "town", TOWN.replace("start = true\n", "").replace(
            'description = "A loft."', 'description = "A loft."\nstart = true'))
        self.load()
        self.assertIs(self.store.root.start_room, self.by("loft"))

    def test_content_error(self) -> None:
        """
        Content with problems is not loaded at all: a L{ContentError} with a
        one-line message, and an untouched world.
        """
        self.write(self.directory, "more", "[rooms.x]\nname = 3\n")
        e = self.assertRaises(ContentError, self.load)
        self.assertNotIn("\n", str(e))
        self.assertEqual(str(e), (
            f"cannot load {self.directory}: {self.directory}/more.toml:1: [rooms.x] has no "
            "'description' (it needs a non-empty string); run 'tessera content check "
            f"{self.directory}' to see all 2"))
        self.assertEqual(len(e.problems), 2)
        self.assertEqual(list(self.store.root.all()), [])
        self.assertIsNone(self.store.root.start_room)

    def test_script_attached(self) -> None:
        """
        A script named in content is attached to its object, unanalysed (the
        engine finds its functions on first use); editing the file changes it
        on the next load, and a live edit survives a reload of unchanged
        content.
        """
        from world.scripts import script_of, set_script

        with open(os.path.join(self.directory, "bell.py"), "w") as f:
            f.write("# rings\n")
        self.write(self.directory, "town", TOWN.replace("start = true",
                                                        'start = true\nscript = "bell.py"'))
        report = self.load()
        self.assertEqual(report.notes, ())
        with self.store.turn():
            record = script_of(self.by("hall"))
            self.assertEqual((record.source, record.functions, record.author),
                             ("# rings\n", None, None))
            self.assertEqual(self.store.root.pending_scripts, (self.by("hall").id,))
            set_script(self.by("hall"), "# live\n", (), 7)
        self.load()
        with self.store.turn():
            self.assertEqual(script_of(self.by("hall")).source, "# live\n")
        with open(os.path.join(self.directory, "bell.py"), "w") as f:
            f.write("# rings twice\n")
        self.load()
        with self.store.turn():
            self.assertEqual(script_of(self.by("hall")).source, "# rings twice\n")

    def test_grants_checked(self) -> None:
        """
        Content grants name a role and a content id; unknown ids are reported.
        """
        self.write(self.directory, "town", TOWN.replace(
            "start = true", 'start = true\ngrants = { key = "view nowhere-at-all" }'))
        problems = check(self.directory)
        self.assertTrue(any("unknown content id 'nowhere-at-all'" in p for p in problems),
                        problems)

    def test_exit_class(self) -> None:
        """
        Exits are L{Exit} objects inside their rooms.
        """
        self.load()
        self.assertIsInstance(self.by("yard.south"), Exit)
        self.assertIs(self.by("yard.south").location, self.by("yard"))
