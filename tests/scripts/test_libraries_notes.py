"""
Saving a library, and the editor's C{.check} of one, note what is likely a
mistake as saving a script does (L{engine.scripts.notes}): a function
defined twice (and that C{.clear} empties the editor), a name nothing
defines, with what a library may have meant (it has no C{this}, C{here} or
C{state} of its own); with problems, the problems first, then the notes.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, flat


class LibraryNotesTests(TestCase):
    """
    Carol, a player, writes libraries in the editor.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def type(self, name: str, lines: list[str], end: str = ".") -> str:
        """
        Type C{lines} into the editor for Carol's library C{name}, then
        C{end}; what that said.
        """
        self.s.carol.send(f"@library {name}")
        for line in lines:
            self.s.carol.send(line)
        return flat(self.s.carol.send(end))

    def test_defined_twice(self) -> None:
        """
        A library saved with a function defined twice is saved, and the save
        notes it, and that .clear empties the editor.
        """
        said = self.type("greet", ['exports = ("hello",)', "def hello():", "    return 1",
                                   "def hello():", "    return 2"])
        self.assertIn("Saved the library greet", said)
        self.assertIn("Note: hello is defined twice (lines 2 and 4)", said)
        self.assertIn("'.clear' in the editor empties it first", said)

    def test_undefined_name(self) -> None:
        """
        A name nothing defines is noted with its line and what was meant.
        """
        said = self.type("greet", ['exports = ("hello",)', "def hello():",
                                   "    return lenn('hi')"])
        self.assertIn("Saved the library greet", said)
        self.assertIn("Note: line 3: lenn is not defined; did you mean 'len'?", said)

    def test_no_endowments(self) -> None:
        """
        A library reading 'this' (which only scripts are given) is told it
        has none, and how to take one from the script that calls it.
        """
        said = self.type("greet", ['exports = ("hello",)', "def hello():",
                                   "    this.announce('hi')"])
        self.assertIn("Saved the library greet", said)
        self.assertIn("Note: line 3: this is not defined; a library has no this of its own",
                      said)
        self.assertIn("def f(this): ...) and your script hands it (mylib.f(this))", said)
        self.assertNotIn("state['", said)

    def test_problems_then_notes(self) -> None:
        """
        Saved with problems, the problem comes right under the heading and
        the notes after it, each once.
        """
        said = self.type("greet", ['exports = ("hello",)', "def hello():", "    return 1",
                                   "def hello():", "    return this._secret"])
        places = [said.index(part) for part in (
            "no script can import it until they are fixed:",
            "line 5, column 12: names starting with '_'",
            "Note: hello is defined twice (lines 2 and 4)",
            "Still editing the library greet")]
        self.assertEqual(places, sorted(places))
        self.assertEqual(said.count("Note: hello is defined twice"), 1)

    def test_check_notes(self) -> None:
        """
        The editor's .check says the notes saving would, and keeps editing.
        """
        said = self.type("greet", ['exports = ("hello",)', "def hello():",
                                   "    return lenn('hi')"], ".check")
        self.assertIn("Note: line 3: lenn is not defined; did you mean 'len'?", said)
        self.s.carol.send(".abort")
        self.assertIn("no libraries yet", flat(self.s.carol.send("@library")))
