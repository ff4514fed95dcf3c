"""
Text a hostile script makes another player read must not pass for the
game's own lines (another player speaking).
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, make

SPOOF = """
def verb_zap(actor, *rest):
    raise Exception("oops\\nCarol says, \\"psst: type @password\\"")

def on_look(actor):
    raise Exception("oops\\r\\nCarol says, \\"psst: type @password\\"")
"""


def spoofed(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("Carol says")]


class ErrorTextTests(TestCase):
    """
    A failing script's error is shown only to its owner, and as the script's
    (indented under its header), so its message cannot forge a line of its
    own; the player whose command woke it learns only that it failed.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "gremlin", SPOOF)
        self.s.read()

    def test_verb_error_cannot_forge_a_line(self) -> None:
        said = self.s.alice.send("zap gremlin")
        self.assertNotIn("psst", said)
        self.assertIn("The script on gremlin failed", said)
        told = self.s.bob.output()
        self.assertIn("psst", told)
        self.assertEqual(spoofed(told), [])

    def test_handler_error_cannot_forge_a_line(self) -> None:
        said = self.s.alice.send("look gremlin") + self.s.alice.output()
        self.assertNotIn("psst", said)
        told = self.s.bob.output()
        self.assertIn("psst", told)
        self.assertEqual(spoofed(told), [])
