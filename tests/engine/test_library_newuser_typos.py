"""
Importing a name a library does not export lists what it exports, and the
closest (played as a new player; see L{tests.engine.test_library_newuser}).
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.engine.test_library_newuser import DICE
from tests.scripts.helpers import Scene, flat, make
from tests.scripts.test_libraries import library


class ImportTypoTests(TestCase):
    """
    Importing a name a library does not export lists what it exports, and
    the closest.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        library(self.s.alice, "dice", DICE)

    def test_from_import_typo(self) -> None:
        """
        'from dice import rol' says what dice exports, and suggests roll.
        """
        said = flat(make(self.s.alice, "die", "from dice import rol\n"))
        self.assertIn("ImportError: cannot import name 'rol' from 'dice' (dice exports: d6, "
                      "roll; did you mean roll?)", said)

    def test_attribute_typo(self) -> None:
        """
        'dice.rol' in a function says the same when it runs.
        """
        make(self.s.alice, "die", "import dice\ndef verb_throw(actor, *rest):\n"
                                  "    dice.rol(3)\n")
        said = flat(self.s.alice.send("throw die"))
        self.assertIn("module 'dice' has no attribute 'rol' (dice exports: d6, roll; did you "
                      "mean roll?)", said)

    def test_nothing_close(self) -> None:
        """
        A name like none of the exports lists them and suggests nothing.
        """
        said = flat(make(self.s.alice, "die", "from dice import zebra\n"))
        self.assertIn("cannot import name 'zebra' from 'dice' (dice exports: d6, roll)", said)
        self.assertNotIn("did you mean", said)

    def test_standard_module_typo(self) -> None:
        """
        A standard module's many names are not all listed; the closest is.
        """
        said = flat(make(self.s.alice, "die", "from math import sqr\n"))
        self.assertIn("cannot import name 'sqr' from 'math' (did you mean sqrt?)", said)

    def test_many_exports_shown_in_part(self) -> None:
        """
        A library exporting many names lists the first of them, and how many
        more.
        """
        names = [f"n{i:03}" for i in range(40)]
        source = (f"exports = {tuple(names)!r}\n"
                  + "".join(f"{n} = {i}\n" for i, n in enumerate(names)))
        self.assertIn("it exports", library(self.s.alice, "many", source))
        said = flat(make(self.s.alice, "die", "from many import zzz\n"))
        self.assertIn("(many exports: n000, n001", said)
        self.assertIn("n019 and 20 more)", said)
