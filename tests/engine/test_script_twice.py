"""
A function defined twice in a script (a new user appending a second full
script in the editor) is saved with a note naming it and its lines: the
last C{def} is the one used, and nothing is refused (issue 9).
"""

from __future__ import annotations

import ast
import os
import sys
from typing import Any

from twisted.trial.unittest import TestCase

from engine.scripts.content import check
from tests.scripts.helpers import Scene, flat, make

TWICE = """
def on_hear(actor, text):
    here.say("first")
def verb_ring(actor, *rest):
    actor.tell("ding")
def on_hear(actor, text):
    here.say("second")
"""


class DefinedTwiceTests(TestCase):
    """
    Saving warns of each function defined more than once, and keeps the
    script.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_saved_with_a_note(self) -> None:
        """
        The save says which function is defined twice, at which lines, and
        that the second is used; the script runs, with the second.
        """
        said = flat(make(self.s.alice, "parrot", TWICE))
        self.assertIn("Saved the script on parrot (6 lines); it defines on_hear, verb_ring.",
                      said)
        self.assertIn("Note: on_hear is defined twice (lines 1 and 5): the second one is used.",
                      said)
        self.assertIn("ding", self.s.carol.send("ring parrot"))
        heard = self.s.carol.send("say hello")
        self.assertIn("second", heard)
        self.assertNotIn("first", heard)

    def test_three_times_and_others(self) -> None:
        """
        Each function defined again is named, with every line it is
        defined at; a script defining each once is saved without a note.
        """
        said = flat(make(self.s.alice, "parrot", """
            def a(data):
                pass
            def b(data):
                pass
            def a(data):
                pass
            def b(data):
                pass
            def a(data):
                pass
            """))
        self.assertIn("Note: a is defined 3 times (lines 1, 5 and 9): the last one is used.",
                      said)
        self.assertIn("Note: b is defined twice (lines 3 and 7): the second one is used.",
                      said)
        said = flat(make(self.s.alice, "cage", "def a(data):\n    pass\n"))
        self.assertNotIn("defined", said)

    def test_noted_with_problems_too(self) -> None:
        """
        A script saved with problems (and suspended) is told of its
        functions defined twice as well.
        """
        said = flat(make(self.s.alice, "parrot", TWICE + "x = this._secret\n"))
        self.assertIn("will not run until they are fixed", said)
        self.assertIn("Note: on_hear is defined twice (lines 1 and 5)", said)

    def test_a_line_edit_says_it_too(self) -> None:
        """
        Saving by a line edit (C{@script/insert}) notes it the same way.
        """
        make(self.s.alice, "parrot", "def verb_ring(actor, *rest):\n    actor.tell('ding')\n")
        said = flat(self.s.alice.send("@script/insert parrot 1 = def verb_ring(*rest): pass"))
        self.assertIn("verb_ring is defined twice (lines 1 and 2): the second one is used",
                      said)

    def test_editor_check_says_it(self) -> None:
        """
        The editor's C{.check} notes it as saving would, and saves nothing.
        """
        self.s.alice.send("@create parrot")
        self.s.alice.send("@script parrot")
        for line in TWICE.strip("\n").split("\n"):
            self.s.alice.send(line)
        said = flat(self.s.alice.send(".check"))
        self.assertIn("Note: on_hear is defined twice (lines 1 and 5): the second one is used.",
                      said)
        self.s.alice.send(".abort")
        self.assertIn("parrot has no script", flat(self.s.alice.send("@script/show parrot")))

    def test_content_check_says_it(self) -> None:
        """
        C{tessera content check} reports it at the last C{def}, as saving
        says it.
        """
        directory = self.mktemp()
        os.makedirs(directory)
        with open(os.path.join(directory, "hall.toml"), "w") as f:
            f.write('[rooms.hall]\nname = "Hall"\ndescription = "A hall. It is long."\n'
                    'start = true\nscript = "hall.py"\n')
        with open(os.path.join(directory, "hall.py"), "w") as f:
            f.write(TWICE.lstrip("\n"))
        where = os.path.join(directory, "hall.py")
        self.assertEqual(check(directory), [
            f"{where}:5: on_hear is defined twice (lines 1 and 5): the second one is used"])


class ParsedOnceTests(TestCase):
    """
    A save parses the script's text once for all the checks the engine
    makes of it (its timers' handlers, its functions' arguments, functions
    defined twice, names not defined), not once for each (issue 9: five
    parses of the longest script a save allows, uncharged).
    """

    def test_one_parse_for_every_check(self) -> None:
        """
        Saving a script that sets a timer, defines a function twice and
        reads a name nothing defines parses it once in the engine (the
        sandbox's compiler parses it for itself), and says all it found.
        """
        s = Scene()
        self.addCleanup(s.world.close)
        s.bob.send("@create bell")
        s.bob.send("drop bell")
        s.bob.send("@script bell")
        s.bob.send(".clear")
        for line in (TWICE + "def verb_wind(actor, *rest):\n    timers.after(5, 'tick')\n"
                     "def tick(data):\n    here.say(chime)\n").strip("\n").split("\n"):
            s.bob.send(line)
        callers: list[str] = []
        parse = ast.parse

        def counted(*args: Any, **kwargs: Any) -> Any:
            callers.append(sys._getframe(1).f_globals.get("__name__", ""))
            return parse(*args, **kwargs)

        self.patch(ast, "parse", counted)
        said = flat(s.bob.send("."))
        self.assertIn("Note: on_hear is defined twice (lines 1 and 5)", said)
        self.assertIn("line 10: chime is not defined", said)
        self.assertIn("it defines", said)
        self.assertEqual([c for c in callers if c.startswith("engine.")],
                         ["engine.scripts.signatures"])
