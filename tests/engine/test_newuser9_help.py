"""
'help' of what a new player or scripter naturally types (found playing
Saltmere from 'help' alone): a handler's name, 'verbs', a command without
its '@', a singular for a plural, a thing in the room.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, flat, make


class HelpWordsTests(TestCase):
    """
    'help <word>' finds what the word is about.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_help_on_a_handler_name(self) -> None:
        """
        'help on_hear' shows that handler's line, and where the rest is.
        """
        said = flat(self.s.carol.send("help on_hear"))
        self.assertIn("on_hear(actor, text): someone said text in the object's room", said)
        self.assertIn("'help events'", said)
        self.assertNotIn("on_look(actor)", said)

    def test_help_verbs_is_scripting(self) -> None:
        """
        'help verb' and 'help verbs' show the scripting guide, which says
        how to write one, not "Did you mean 'every'?".
        """
        for typed in ("help verb", "help verbs"):
            said = flat(self.s.carol.send(typed))
            self.assertIn("Scripting: give a thing of yours a Python script.", said)

    def test_help_without_the_at(self) -> None:
        """
        'help mail' is '@mail', 'help channels' '@channel'.
        """
        self.assertIn("@mail", flat(self.s.carol.send("help mail")).split(" ")[0])
        self.assertNotIn("There is no help", flat(self.s.carol.send("help mail")))
        self.assertNotIn("There is no help", flat(self.s.carol.send("help channels")))

    def test_help_singular_and_plural(self) -> None:
        """
        'help timer' shows timers, 'help event' the events.
        """
        self.assertIn("timers: the object's timers", flat(self.s.carol.send("help timer")))
        self.assertIn("Handlers: define a function", flat(self.s.carol.send("help event")))

    def test_help_on_a_thing_here(self) -> None:
        """
        'help board' of a scripted board here says the words it answers to.
        """
        make(self.s.alice, "notice board", """
            def verb_read(actor, dobj, prep, iobj, dobjstr, iobjstr):
                actor.tell("A note.")
        """)
        said = flat(self.s.carol.send("help board"))
        self.assertIn("There is no help on 'board'; the notice board here answers to 'read'"
                      " ('read notice board').", said)
