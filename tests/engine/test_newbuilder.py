"""
What a new builder meets while building from 'help' alone: a library saved
with errors says its first one wherever it is listed, 'help building' is a
short guide, and the usual slips (a missing exit name, the room and the
exit the wrong way round) are answered with the syntax.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, flat


class NewBuilderTests(TestCase):
    """
    The dead ends of a first afternoon of building.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_library_with_errors_says_its_first_error(self) -> None:
        """
        A library saved with a syntax error is listed, shown and refused on
        import with its first error (line and message), not a bare "it has
        errors".
        """
        alice = self.s.alice
        alice.send("@library greet")
        alice.send("def hello(who)")
        alice.send('    return "hi " + who')
        alice.send('exports = ("hello",)')
        alice.send(".")
        alice.send(".abort")
        first = "line 1, column 15: syntax error: expected ':'"
        self.assertIn(f"greet: has problems (it has errors: {first})",
                      flat(alice.send("@library")))
        self.assertIn(f"has problems: it has errors: {first}",
                      flat(alice.send("@library/show greet")))
