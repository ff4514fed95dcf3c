# -*- test-case-name: tests.redteam_world.test_r4_hidden_colour -*-
"""
A name is checked as players read it, and colour can hide part of it: a
letter in black (C{|x}), or in a background colour (C{|]000}), is not seen
on a dark screen, nor one in white on a light one. So the rules of names
hold for the name read with any one of its colours unseen: C{|xx|nAlice},
which the rules read as 'xAlice', reads 'Alice' to most players, and a room
called C{|xx|nAlice waves and whispers: hi} showed them a title line
'Alice waves ...' at the margin, as if Alice had acted. Names in colour
whatever their colours hide stay names. (Found by redteam, round 4.)
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, make
from world import names
from world.errors import WorldError


class HiddenColourNameTests(TestCase):
    """
    Bob names things and rooms with colour that hides a letter beside
    Alice's name.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_hidden_letter_before_a_name_refused(self) -> None:
        """
        '@create |xx|nAlice', '@dig |xQ|nAlice waves hello' and the like
        are refused as a character's name (or a start with one), in any
        colour that hides the letter.
        """
        for name in ("|xx|nAlice", "|]000q|nAlice", "|[016z|nAlice lamp", "|wx|rAlice|n",
                     "|xx|[016y|rAlice|n"):
            said = self.s.bob.send(f"@create {name}")
            self.assertIn("character's name", said, name)
        said = self.s.bob.send("@dig |xQ|nAlice waves hello")
        self.assertIn("character's name", said)
        self.assertNotIn("You dig", said)

    def test_hidden_mark_refused(self) -> None:
        """
        Nor may hidden colour make a name start as a script's mark does.
        """
        said = self.s.bob.send("@create |xx|n[Alice's bell] ding")
        self.assertIn("does not start with a letter or a digit", said)

    def test_rename_alias_and_script_alike(self) -> None:
        """
        '@name', '@alias' and a script's rename refuse it alike (one rule,
        L{world.names.check_thing_name}).
        """
        self.s.bob.send("@create kettle")
        self.assertIn("character's name", self.s.bob.send("@name kettle = |xx|nAlice"))
        self.assertIn("character's name", self.s.bob.send("@alias kettle = |xx|nAlice"))
        make(self.s.bob, "imp", """
            def verb_poke(actor, *rest):
                this.rename("|xx|nAlice")
        """)
        self.s.bob.send("poke imp")
        self.assertEqual(self.s.thing("imp").name, "imp")

    def test_coloured_names_kept(self) -> None:
        """
        Names in colour are still names: a red word, a whole name in green.
        """
        self.assertIn("You create", self.s.bob.send("@create |rRed|n lantern"))
        self.assertIn("You dig", self.s.bob.send("@dig |gGreen Dragon Inn|n"))
        self.assertIn("You create", self.s.bob.send("@create |rruby|n and |bsapphire|n ring"))

    def test_readings(self) -> None:
        """
        The readings with some colours unseen: each set of colours' text
        taken out, the default colour's kept.
        """
        from world.phrases import readings_unseen

        self.assertEqual(readings_unseen("|xx|nAlice"), ["Alice"])
        self.assertEqual(readings_unseen("plain"), [])
        self.assertEqual(sorted(readings_unseen("|rRed|n and |bblue|n")),
                         [" and ", " and blue", "Red and "])
        self.assertIn("Alice", readings_unseen("|xx|[016y|rAlice"))  # two colours hide

    def test_too_many_colours(self) -> None:
        """
        A name shows at most a few colours (each set of them is a reading).
        """
        said = self.s.bob.send("@create |ra|gb|yc|bd|me stone")
        self.assertIn("more than 4 colours", said)

    def test_rule_is_in_names(self) -> None:
        """
        The rule is the world's: L{names.check_thing_name} refuses it.
        """
        with self.s.world.store.turn() as turn:
            self.assertRaises(WorldError, names.check_thing_name, turn.root, "|xx|nAlice")

    def test_rules_version(self) -> None:
        """
        The rules refuse more than before, so their version is raised and a
        world's stored names are read again at its next start.
        """
        self.assertEqual(names.RULES_VERSION, 6)
