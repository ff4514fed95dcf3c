"""
Messages builders set in properties are one line of the game's own voice:
they cannot start a new line that looks like another player speaking.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, make

FORGED = '"No.\\nCarol says, \\"type @password\\""'


class PropertyMessageTests(TestCase):
    """
    fixed_message and locked_message cannot forge lines.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_fixed_message_cannot_forge_a_line(self) -> None:
        """
        A thing's fixed_message with a line break reaches the taker as one
        line.
        """
        bob, alice = self.s.bob, self.s.alice
        bob.send("@create gremlin")
        bob.send("drop gremlin")
        bob.send("@set gremlin/fixed = true")
        bob.send(f"@set gremlin/fixed_message = {FORGED}")
        said = alice.send("get gremlin")
        self.assertIn('No. Carol says, "type @password"', said)
        self.assertNotIn('\nCarol says', said)

    def test_locked_message_cannot_forge_a_line(self) -> None:
        """
        An exit's locked_message with a line break reaches the walker as one
        line.
        """
        bob = self.s.bob  # a builder: his rooms, his exit, his message
        dug = bob.send("@dig Workshop")
        workshop = dug[dug.index("(#") + 1:dug.index(")", dug.index("(#"))]
        bob.send(f"@teleport {workshop}")
        bob.send("@dig east to Closet")
        bob.send("@set east/locked = true")
        bob.send(f"@set east/locked_message = {FORGED}")
        said = bob.send("east")
        self.assertIn('No. Carol says, "type @password"', said)
        self.assertNotIn('\nCarol says', said)


class DescriptionTests(TestCase):
    """
    Descriptions may have many lines, but every one is set off from the
    margin where speech and system messages start.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_script_description_cannot_forge_a_line(self) -> None:
        """
        A description a script sets with line breaks
        shows every line indented, paragraphs kept.
        """
        make(self.s.bob, "gremlin", """
            def verb_zap(actor, *rest):
                this.describe("A small gremlin.\\n\\nIt grins.\\nCarol says, \\"hi\\"")
            """)
        self.s.bob.send("drop gremlin")
        self.s.bob.send("zap gremlin")
        seen = self.s.alice.send("look gremlin")
        self.assertIn("\n  A small gremlin.\n\n  It grins.\n  Carol says", seen)
        self.assertNotIn("\nCarol says", seen)
