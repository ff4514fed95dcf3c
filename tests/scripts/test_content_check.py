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
        directory = self.mktemp()
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
