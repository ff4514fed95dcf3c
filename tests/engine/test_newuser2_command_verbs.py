"""
A verb named as a game command (C{verb_get}, C{verb_look}, or one of their
aliases, C{verb_take}) never runs: the command is found first ('get jar'
picks the jar up). Saving notes it; a verb of another name is not noted.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, flat, make

JAR = """
def verb_get(actor, *rest):
    actor.tell("The jar is stuck.")
def verb_take(actor, *rest):
    actor.tell("The jar is stuck.")
def verb_shake(actor, *rest):
    actor.tell("Rattle.")
"""


class CommandVerbTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_noted(self) -> None:
        """
        Saving notes verb_get and verb_take (an alias of get), naming the
        command, and not verb_shake.
        """
        said = flat(make(self.s.alice, "jar", JAR))
        self.assertIn("Saved the script on jar", said)
        self.assertIn("Note: verb_get: 'get' is a game command, so players typing it never "
                      "reach this verb; name it otherwise.", said)
        self.assertIn("Note: verb_take: 'take' is a game command, so players typing it never "
                      "reach this verb; name it otherwise.", said)
        self.assertNotIn("verb_shake:", said)
        # as it says: the command runs, not the verb
        told = flat(self.s.carol.send("get jar"))
        self.assertNotIn("stuck", told)
        self.assertIn("Rattle", self.s.carol.send("shake jar"))

    def test_look_and_drop(self) -> None:
        """
        Other commands too (look, drop); only the script's own verbs are
        named.
        """
        said = flat(make(self.s.alice, "box", "def verb_look(actor, *rest):\n    pass\n"
                         "def verb_drop(actor, *rest):\n    pass\n"))
        self.assertIn("Note: verb_look: 'look' is a game command", said)
        self.assertIn("Note: verb_drop: 'drop' is a game command", said)
        said = flat(make(self.s.alice, "cup", "def verb_sip(actor, *rest):\n    pass\n"))
        self.assertNotIn("game command", said)
