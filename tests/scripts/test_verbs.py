"""
Verbs scripts define, and how typed lines find them.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.scripts.verbs import ParsedVerb, parse, parses
from tests.scripts.helpers import Scene, make, script

ECHO = """
def verb_{word}(actor, dobj, prep, iobj, dobjstr, iobjstr):
    actor.tell("{label}: " + repr([dobj.name if dobj else None, prep,
                                    iobj.name if iobj else None, dobjstr, iobjstr]))
"""


class ParseTests(TestCase):
    """
    Lines split MOO-style into verb, direct object, preposition, indirect
    object.
    """

    def test_split(self) -> None:
        """
        The first preposition splits the line; none leaves only a direct object.
        """
        self.assertEqual(parse("put", "coin in machine"),
                         ParsedVerb("put", "coin", "in", "machine"))
        self.assertEqual(parse("pet", "dog"), ParsedVerb("pet", "dog", None, ""))
        self.assertEqual(parse("look", "out of window"),
                         ParsedVerb("look", "", "out of", "window"))

    def test_every_split(self) -> None:
        """
        Every preposition gives a reading (the verb picks the one that names
        something).
        """
        self.assertEqual([p.prep for p in parses("post", "meet at noon on board")],
                         ["at", "on"])


class VerbTests(TestCase):
    """
    Typed verbs run on objects in reach, in a predictable order.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_objects_and_preposition(self) -> None:
        """
        The verb gets the matched direct and indirect objects and the words.
        """
        make(self.s.alice, "machine", ECHO.format(word="put", label="machine"))
        make(self.s.alice, "slot", ECHO.format(word="feed", label="slot"))
        self.s.carol.send("get lantern")
        out = self.s.carol.send("feed lantern to slot")
        self.assertIn("slot: ['brass lantern', 'to', 'slot', 'lantern', 'slot']", out)

    def test_later_preposition_that_names_something(self) -> None:
        """
        'post meet at noon on board' splits at 'on': 'noon' names nothing.
        """
        make(self.s.alice, "board", ECHO.format(word="post", label="board"))
        out = self.s.carol.send("post meet at noon on board")
        self.assertIn("board: [None, 'on', 'board', 'meet at noon', 'board']", out)

    def test_order_dobj_iobj_room(self) -> None:
        """
        The direct object's verb wins over the indirect object's, which wins
        over the room's.
        """
        self.s.world.set_role("Alice", "wizard")
        make(self.s.alice, "drum", ECHO.format(word="hit", label="drum"))
        make(self.s.alice, "stick", ECHO.format(word="hit", label="stick"))
        script(self.s.alice, "here", ECHO.format(word="hit", label="room"))
        self.assertIn("drum:", self.s.carol.send("hit drum with stick"))
        self.assertIn("stick:", self.s.carol.send("hit lantern with stick"))
        self.assertIn("room:", self.s.carol.send("hit lantern"))
        self.assertIn("room:", self.s.carol.send("hit"))

    def test_builtins_and_exits_win(self) -> None:
        """
        A script cannot take over a built-in command or an exit.
        """
        make(self.s.alice, "imp", ECHO.format(word="look", label="imp")
             + ECHO.format(word="north", label="imp") + ECHO.format(word="get", label="imp"))
        self.assertNotIn("imp:", self.s.carol.send("look imp"))
        self.assertNotIn("imp:", self.s.carol.send("get imp"))
        self.assertIn("Market", self.s.carol.send("north"))

    def test_unknown_verb(self) -> None:
        """
        A word no script defines is still 'Huh?'.
        """
        make(self.s.alice, "drum", ECHO.format(word="hit", label="drum"))
        self.assertIn("Huh? 'kick'", self.s.carol.send("kick drum"))

    def test_verb_output_goes_to_the_player(self) -> None:
        """
        What a verb prints is shown to the player who typed it.
        """
        make(self.s.alice, "drum", "def verb_hit(actor, *rest):\n    print('boom')")
        self.assertIn("boom", self.s.carol.send("hit drum"))

    def test_aliases_by_assignment(self) -> None:
        """
        'verb_stroke = verb_pet' gives a verb a second word.
        """
        make(self.s.alice, "cat", "def verb_pet(actor, *rest):\n    actor.tell('purr')\n"
                                  "verb_stroke = verb_pet")
        self.assertIn("purr", self.s.carol.send("stroke cat"))
