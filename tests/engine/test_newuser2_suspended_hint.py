"""
A verb typed without naming its thing, which only a suspended script in
reach defines, is not answered "Huh?": the player is told which thing
answers to it and that its script is suspended (its owner why and what to
type, as naming it tells him; anyone else only that it does nothing now).
A running script answering the word is named first; a script refusing the
player for his failures says so, as naming it does.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, flat, make
from world.scripts import script_of

BROKEN = "def verb_note(actor, *rest):\n    x = this._secret\n"
WORKING = "def verb_note(actor, *rest):\n    actor.tell('Noted.')\n"
FRAGILE = ("def verb_note(actor, *rest):\n"
           "    if actor.name == 'Carol':\n"
           "        1 / 0\n"
           "    actor.tell('Noted.')\n")


class SuspendedHintTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_owner_told_how_to_fix(self) -> None:
        """
        The owner typing the verb without naming it is told its script
        has problems, why, and how to fix it: as naming it says.
        """
        make(self.s.alice, "notebook", BROKEN)
        self.s.read()
        said = flat(self.s.alice.send("note hello"))
        self.assertNotIn("Huh?", said)
        self.assertIn("You see no 'hello' here. The notebook here answers to 'note'. The "
                      "script on notebook has problems (it has errors: line 2, column 9:",
                      said)
        self.assertIn("see @script/show notebook, then fix it (@script notebook).", said)
        named = flat(self.s.alice.send("note notebook"))
        self.assertIn(named.split(" >")[0], said)

    def test_others_told_it_does_nothing(self) -> None:
        """
        Another player is told that it does nothing now, not why.
        """
        make(self.s.alice, "notebook", BROKEN)
        self.s.read()
        said = flat(self.s.carol.send("note"))
        self.assertEqual("Note what? The notebook here answers to 'note'. The script on "
                         "notebook has problems, so it does nothing just now; its owner must "
                         "fix it. >", said)
        self.assertNotIn("_secret", said)

    def test_running_script_named_first(self) -> None:
        """
        A running script answering the word is named, not the suspended
        one, even when the suspended one is read first (carried).
        """
        make(self.s.alice, "notebook", BROKEN, drop=False)
        make(self.s.bob, "pad", WORKING)
        self.s.read()
        said = flat(self.s.alice.send("note"))
        self.assertEqual("Note what? The pad here answers to 'note' ('note pad'). >", said)

    def test_nothing_answers(self) -> None:
        """
        A word no script in reach defines, running or suspended, is still
        "Huh?".
        """
        make(self.s.alice, "notebook", BROKEN)
        self.s.read()
        self.assertIn("Huh?", flat(self.s.carol.send("scribble")))

    def test_refused_player(self) -> None:
        """
        A script that refuses Carol for her failures: typing its verb
        without naming it tells her so, as naming it does; Bob is
        pointed to it.
        """
        make(self.s.alice, "pad", FRAGILE)
        for _ in range(3):
            self.s.carol.send("note pad")
        named = flat(self.s.carol.send("note pad"))
        self.assertIn("The script on pad is not answering you for now", named)
        said = flat(self.s.carol.send("note"))
        self.assertIn("The script on pad is not answering you for now", said)
        self.assertNotIn("('note pad')", said)
        self.assertIn("Note what? The pad here answers to 'note' ('note pad').",
                      flat(self.s.bob.send("note")))

    def test_refused_but_another_answers(self) -> None:
        """
        Refused by one script, Carol is pointed to another that answers
        her.
        """
        make(self.s.alice, "pad", FRAGILE)
        for _ in range(3):
            self.s.carol.send("note pad")
        make(self.s.bob, "jotter", WORKING)
        self.s.read()
        self.assertIn("Note what? The pad here answers to 'note' ('note pad').",
                      flat(self.s.bob.send("note")))  # (the pad is read first)
        self.assertIn("Note what? The jotter here answers to 'note' ('note jotter').",
                      flat(self.s.carol.send("note")))

    def test_reason_shown_as_written(self) -> None:
        """
        The suspension's reason is quoted once: a bar in it shows as one
        bar, after a line naming nothing here as after one naming nothing.
        """
        make(self.s.alice, "notebook", BROKEN)
        with self.s.world.store.turn() as turn:
            for obj in turn.root.all():
                if obj.name == "notebook":
                    script_of(obj).suspended = "it has errors: a|b"
        self.s.read()
        for line in ("note", "note hello"):
            said = flat(self.s.alice.send(line))
            self.assertIn("has problems (it has errors: a|b); see", said)
