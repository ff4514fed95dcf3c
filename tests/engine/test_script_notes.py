"""
What saving a script tells a new scripter about functions nothing will run.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, make


def flat(text: str) -> str:
    """
    C{text} with its lines joined and its spaces single (messages wrap).
    """
    return " ".join(text.split())


class UnrunFunctionTests(TestCase):
    """
    A function meant as a command but not named as one is pointed out when
    the script is saved; helpers and timer callbacks are not.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_command_without_verb_prefix(self) -> None:
        """
        C{def rub(actor, *rest)} is saved with a note that nothing runs it
        and how a command is written.
        """
        said = flat(make(self.s.alice, "teapot", "def rub(actor, *rest):\n"
                                                 "    actor.tell('warm')\n"))
        self.assertIn("it defines rub.", said)
        self.assertIn("Note: nothing runs rub: no command or event calls it, and the script "
                      "names it nowhere else. A command players type is a function "
                      "verb_rub(actor, dobj, prep, iobj, dobjstr, iobjstr)", said)

    def test_verb_in_capitals(self) -> None:
        """
        C{def Verb_Rub} is pointed out: typed words are looked up in lower
        case, so it never runs.
        """
        said = flat(make(self.s.alice, "teapot", "def Verb_Rub(actor, *rest):\n"
                                                 "    actor.tell('warm')\n"))
        self.assertIn("Note: nothing runs Verb_Rub: verbs and handlers are named in lower "
                      "case (verb_rub)", said)
        self.assertIn("Huh?", self.s.carol.send("rub teapot"))

    def test_helpers_and_callbacks_are_not_noted(self) -> None:
        """
        A helper a verb calls and a timer callback named in a string get no
        note.
        """
        said = flat(make(self.s.alice, "teapot", """
            def warm(actor):
                actor.tell('warm')
            def cool(data):
                pass
            def verb_rub(actor, *rest):
                warm(actor)
                timers.after(5, "cool", None)
            """))
        self.assertIn("it defines cool, verb_rub, warm.", said)
        self.assertNotIn("Note", said)
