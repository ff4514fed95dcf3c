"""
A new player following 'help scripting' step by step makes a bell that
others in the room can ring, and learns how text reaches a verb and how to
keep a value in state.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, flat


class ScriptingHelpTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_following_the_steps_makes_a_bell_others_ring(self) -> None:
        """
        The steps 'help scripting' lists, typed as they are, make a bell
        that another player here can ring: it says to drop the bell before
        anyone else can use it.
        """
        guide = self.s.carol.send("help scripting")
        steps = [line.strip().split("  ")[0] for line in guide.splitlines()
                 if line.startswith("  ") and not line.startswith("   ")][:5]
        self.assertEqual(steps, ["@create bell", "drop bell", "@script bell",
                                 "def verb_ring(actor, dobj, prep, iobj, dobjstr, iobjstr):",
                                 "."])
        self.s.carol.send("@create bell")
        self.s.carol.send("drop bell")
        self.s.carol.send("@script bell")
        self.s.carol.send("def verb_ring(actor, dobj, prep, iobj, dobjstr, iobjstr):")
        self.s.carol.send('    here.emote("rings: DING!")')
        self.assertIn("Saved the script on bell", flat(self.s.carol.send(".")))
        self.assertIn("bell rings: DING!", flat(self.s.bob.send("ring bell")))

    def test_guide_says_how_text_reaches_a_verb(self) -> None:
        """
        'help scripting' says that typed text reaches a verb as dobjstr,
        with the object after a preposition as iobj.
        """
        told = flat(self.s.carol.send("help scripting"))
        self.assertIn("'post hello there on board' calls the board's verb_post with dobjstr "
                      '"hello there"', told)

    def test_guide_shows_state_as_a_dict_and_copies(self) -> None:
        """
        'help scripting' shows keeping a count in state as a dict, and says
        that what is read is a copy to store back.
        """
        told = flat(self.s.carol.send("help scripting"))
        self.assertIn('state["rings"] = state.get("rings", 0) + 1', told)
        self.assertIn('What you read from state is a copy', told)
        self.assertIn('state["notes"] = notes', told)
