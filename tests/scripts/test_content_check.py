"""
'tessera content check' compiles content scripts and reports their problems
by file and line; scripts with problems load but do not run.
"""

from __future__ import annotations

import os

from twisted.trial.unittest import TestCase

from engine.scripts.content import check
from engine.testing import TestWorld
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
        directory = self.directory = self.mktemp()
        os.makedirs(directory)
        with open(os.path.join(directory, "hall.toml"), "w") as f:
            f.write(ROOM)
        with open(os.path.join(directory, "hall.py"), "w") as f:
            f.write(source)
        return directory

    def test_problems_by_file_and_line(self) -> None:
        """
        Each problem names the .py file and its line.
        """
        directory = self.folder("x = 1\ny = x._private\n")
        problems = check(directory)
        self.assertEqual(len(problems), 1, problems)
        self.assertTrue(problems[0].startswith(os.path.join(directory, "hall.py") + ":2: "),
                        problems)

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
