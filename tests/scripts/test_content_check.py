"""
'tessera content check' compiles content scripts and reports their problems
by file and line; scripts with problems load but do not run.
"""

from __future__ import annotations

import os

from twisted.trial.unittest import TestCase

from engine.scripts.content import check
from engine.testing import TestWorld
from tests.scripts.helpers import content_folder
from world.scripts import script_of

ROOM = '''
[rooms.hall]
name = "Hall"
description = "A hall. It is long."
start = true
script = "hall.py"
'''


class ContentScriptCheckTests(TestCase):
    """
    Builders hear about broken scripts before players do.
    """

    def folder(self, source: str) -> str:
        self.directory = self.mktemp()
        return content_folder(self.directory, {"hall.toml": ROOM, "hall.py": source})

    def test_problems_by_file_and_line(self) -> None:
        """
        Each problem names the .py file and its line.
        """
        directory = self.folder("x = 1\ny = x._private\n")
        problems = check(directory)
        self.assertEqual(len(problems), 1, problems)
        self.assertTrue(problems[0].startswith(os.path.join(directory, "hall.py") + ":2: "),
                        problems)

    def test_wrong_arguments_by_file_and_line(self) -> None:
        """
        A verb, handler or timer's handler that could not take the
        arguments it is called with is reported at its C{def}, as saving
        says it.
        """
        directory = self.folder("x = 1\ndef verb_rub(ctx):\n    pass\n"
                                "def on_look(actor, *rest):\n    timers.after(5, 'strike')\n"
                                "def strike():\n    pass\n")
        problems = check(directory)
        where = os.path.join(directory, "hall.py")
        self.assertEqual(problems, [
            f"{where}:2: verb_rub(ctx) takes 1 argument, but a verb is called with 6: "
            "def verb_rub(actor, dobj, prep, iobj, dobjstr, iobjstr)",
            f"{where}:6: strike() takes 0 arguments, but a timer calls it with 1: "
            "def strike(data)"], problems)

    def test_clean(self) -> None:
        """
        A good script checks clean.
        """
        self.assertEqual(check(self.folder("def on_look(actor):\n    pass\n")), [])

    def test_broken_script_is_suspended_at_start(self) -> None:
        """
        Loaded anyway (the world does not compile scripts), a broken content
        script is suspended at start, saying why.
        """
        world = TestWorld(content=self.folder("y = x._private\n"), build=None)
        self.addCleanup(world.close)
        with world.store.turn() as turn:
            record = script_of(turn.root.start_room)
            self.assertIn("does not compile", record.suspended)

    def test_forbidden_import(self) -> None:
        """
        An import of a module no script may import is a problem at its line,
        even inside a function that has never run; the tamed ones are fine.
        """
        problems = check(self.folder("import math\n\ndef on_look(actor):\n"
                                     "    import os\n    from subprocess import run\n"))
        self.assertEqual([p.split(": ", 1)[0] for p in problems], [
            os.path.join(self.directory, "hall.py") + ":4",
            os.path.join(self.directory, "hall.py") + ":5"])
        self.assertIn("no module named 'os' (scripts may import: json, math, random, re, "
                      "string)", problems[0])

    def test_every_problem_in_one_round(self) -> None:
        """
        A room with a bad field still has its script and properties checked,
        a thing with a bad field its missing script; a TOML file that does
        not parse hides no other file's problems.
        """
        directory = self.folder("import os\n")
        with open(os.path.join(directory, "hall.toml"), "w") as f:
            f.write(ROOM + 'colour = "red"\nproperties = { big = 1e999 }\n'
                    '[things.bell]\nname = 3\ndescription = "A bell."\nlocation = "hall"\n'
                    'script = "bell.py"\n')
        with open(os.path.join(directory, "broken.toml"), "w") as f:
            f.write("[rooms.cellar\n")
        problems = " | ".join(check(directory))
        self.assertIn("unknown key 'colour'", problems)
        self.assertIn("property 'big' of [rooms.hall] is not a plain value", problems)
        self.assertIn("hall.py:1: no module named 'os'", problems)
        self.assertIn("'name' in [things.bell] must be", problems)
        self.assertIn("script 'bell.py' of [things.bell] not found", problems)
        self.assertIn("broken.toml:1: not valid TOML", problems)

    def test_content_verb_with_problems_says_so(self) -> None:
        """
        Typing a verb of a content script that does not compile says the
        script has problems, not "Huh?".
        """
        world = TestWorld(content=self.folder("def verb_ring(actor, *rest):\n"
                                              "    x._private\n"), build=None)
        self.addCleanup(world.close)
        said = world.login("Alice").send("ring hall")
        self.assertIn("The script on Hall has problems", said)


LIBRARY_ROOM = ROOM + """
[libraries]
sayings = "sayings.py"
"""


class ContentLibraryTests(TestCase):
    """
    Content declares the world's own libraries; content scripts import them;
    'tessera content check' compiles them and checks their exports.
    """

    def folder(self, library: str, script: str = "import sayings\n") -> str:
        return content_folder(self.mktemp(), {"hall.toml": LIBRARY_ROOM, "hall.py": script,
                                              "sayings.py": library})

    def test_clean(self) -> None:
        """
        A library with its exports, imported by a script, checks clean.
        """
        self.assertEqual(check(self.folder('exports = ("motto",)\nmotto = "Fair winds"\n')), [])

    def test_library_problems(self) -> None:
        """
        A library without exports, exporting what it lacks, breaking the
        rules or importing what no script may, is reported at its line.
        """
        for text, wanted in (
                ("motto = 1\n", "sayings.py:1: a library lists the names it shares"),
                ('exports = ("motto", "nope")\nmotto = 1\n',
                 "sayings.py:1: exports names the library does not define: nope"),
                ("exports = names\n", "exports must be a tuple of names"),
                ('exports = ("x",)\nx = y.__class__\n', "sayings.py:2: names starting with"),
                ('import os\nexports = ("os",)\n', "sayings.py:1: no module named 'os'")):
            problems = " | ".join(check(self.folder(text)))
            self.assertIn(wanted, problems)

    def test_undeclared_library(self) -> None:
        """
        A content script importing a library content does not declare is a
        problem; a bad library name or a missing file too.
        """
        problems = " | ".join(check(self.folder('exports = ("x",)\nx = 1\n',
                                                "import proverbs\n")))
        self.assertIn("no module named 'proverbs' (scripts may import: json, math, random, re, "
                      "string, and the libraries sayings)", problems)
        directory = self.folder('exports = ("x",)\nx = 1\n')
        with open(os.path.join(directory, "hall.toml"), "a") as f:
            f.write('math = "sayings.py"\nold = "gone.py"\n')
        problems = " | ".join(check(directory))
        self.assertIn("'math' is the name of a module every script has", problems)
        self.assertIn("script 'gone.py' of library 'old' not found", problems)

    def test_loaded_and_imported(self) -> None:
        """
        Loaded, the library is the world's; content scripts import it at
        start; a changed file is a new version.
        """
        directory = self.folder('exports = ("motto",)\nmotto = "Fair winds"\n',
                                "import sayings\ndef verb_read(actor, *rest):\n"
                                "    actor.tell(sayings.motto)\n")
        world = TestWorld(content=directory, build=None)
        self.addCleanup(world.close)
        self.assertIn("Fair winds", world.login("Alice").send("read hall"))
        from world.libraries import library

        with world.store.turn() as turn:
            record = library(turn.root, None, "sayings")
            self.assertEqual((record.version, record.exports), (1, ("motto",)))
