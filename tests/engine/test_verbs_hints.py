"""
A typed verb that something in reach defines, but that the line does not
send to it, says which thing answers to it instead of "Huh?" (issue 9: a
new player typed C{rub} and C{rub teapot} at a scripted lamp).
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, make

TEAPOT = """
def verb_rub(actor, *rest):
    actor.tell("The teapot warms.")
"""


def flat(text: str) -> str:
    """
    C{text} with its lines joined and its spaces single (messages wrap).
    """
    return " ".join(text.split())


class VerbHintTests(TestCase):
    """
    The word is a verb of a thing in reach: the player is told which.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.alice, "teapot", TEAPOT)
        self.s.read()

    def test_verb_alone(self) -> None:
        """
        C{rub} alone asks what, naming the thing that answers to it.
        """
        self.assertIn("Rub what? The teapot here answers to 'rub' ('rub teapot').",
                      flat(self.s.carol.send("rub")))

    def test_verb_at_nothing_here(self) -> None:
        """
        C{rub kettle}, where nothing is called so, says so and names the
        thing that answers.
        """
        self.assertIn("You see no 'kettle' here. The teapot here answers to 'rub' ('rub "
                      "teapot').", flat(self.s.carol.send("rub kettle")))

    def test_verb_at_something_else(self) -> None:
        """
        C{rub lantern}, a thing that does not answer to it, says so.
        """
        self.assertIn("The brass lantern does not answer to 'rub'. The teapot here answers to "
                      "'rub' ('rub teapot').", flat(self.s.carol.send("rub lantern")))

    def test_the_verb_still_runs(self) -> None:
        """
        The named thing's verb runs as before.
        """
        self.assertIn("The teapot warms.", self.s.carol.send("rub teapot"))

    def test_no_hint_for_a_suspended_script_or_an_unknown_word(self) -> None:
        """
        A word nothing in reach answers to is still "Huh?"; so is a verb of
        a thing in another room.
        """
        self.assertIn("Huh? 'polish'", self.s.carol.send("polish"))
        self.s.carol.send("north")
        self.assertIn("Huh? 'rub'", self.s.carol.send("rub"))
