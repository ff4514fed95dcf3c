"""
Issue 9: an ignored player cannot keep harassing through what he scripts,
nor through an alt. Whatever a script owned by someone Carol ignores sends
(a verb's tell and print, say and emote, a timer's announce, a channel line)
is not shown to her, whoever runs it and whoever carries the thing; others
still read it, marked as ever. A script of someone she does not ignore is
shown to her, even when the player she ignores runs it.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.testing import TestWorld
from tests.scripts.helpers import Scene, make

GREMLIN = """
def verb_poke(actor, *rest):
    actor.tell("poked you")
    print("printed at you")
    here.say("said near you")
    here.emote("pulls a face.")

def verb_start(actor, *rest):
    timers.after(5, "tick")

def tick(data):
    here.say("tick from afar")
"""

MARK = "[Bob's gremlin] "


class IgnoredOwnerScriptTests(TestCase):
    """
    Carol ignores Bob: his gremlin goes quiet for her alone.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "gremlin", GREMLIN)
        self.assertIn("You now ignore Bob", self.s.carol.send("@ignore bob"))
        self.s.read()

    def test_verb_run_by_another(self) -> None:
        """Alice pokes the gremlin: Carol sees none of what it says; Alice does, marked."""
        said = self.s.alice.send("poke gremlin")
        self.assertIn(MARK + "poked you", said)
        self.assertIn(MARK + 'gremlin says, "said near you"', said)
        heard = self.s.carol.output()
        for text in ("said near you", "pulls a face", "gremlin"):
            self.assertNotIn(text, heard)

    def test_verb_run_by_her(self) -> None:
        """Even what it tells Carol when she runs it herself is not shown to her."""
        said = self.s.carol.send("poke gremlin")
        for text in ("poked you", "printed at you", "said near you", "pulls a face"):
            self.assertNotIn(text, said)
        self.assertIn(MARK + 'gremlin says, "said near you"', self.s.alice.output())

    def test_timer(self) -> None:
        """What its timer says later, with nobody acting, is not shown to her."""
        self.s.alice.send("start gremlin")
        self.s.read()
        self.s.world.clock.advance(6)
        self.assertIn(MARK + 'gremlin says, "tick from afar"', self.s.alice.output())
        self.assertNotIn("tick from afar", self.s.carol.output())

    def test_carried_by_an_alt(self) -> None:
        """Bob hands his gremlin to his alt Mallory: it is still his, still hidden from her."""
        mallory = self.s.world.login("Mallory")
        self.s.bob.send("get gremlin")
        self.assertIn("You give", self.s.bob.send("give gremlin to mallory"))
        self.s.read()
        mallory.output()
        said = mallory.send("poke gremlin")
        self.assertIn(MARK + 'gremlin says, "said near you"', said)
        self.assertNotIn("said near you", self.s.carol.output())

    def test_an_alt_must_be_ignored_too(self) -> None:
        """His alt is another player: heard until she ignores him as well, then not."""
        mallory = self.s.world.login("Mallory")
        self.s.read()
        mallory.send("page carol = it's me again")
        self.assertIn("Mallory pages: it's me again", self.s.carol.output())
        self.s.carol.send("@ignore mallory")
        self.assertIn("Carol is not accepting pages from you",
                      mallory.send("page carol = and again"))
        mallory.send("say still here")
        self.assertNotIn("still here", self.s.carol.output())

    def test_others_scripts_run_by_him_are_shown(self) -> None:
        """Alice's kettle, poked by Bob, is Alice's: Carol sees what it says."""
        make(self.s.alice, "kettle", GREMLIN)
        self.s.read()
        self.s.bob.send("poke kettle")
        self.assertIn("[Alice's kettle] kettle says, \"said near you\"", self.s.carol.output())


class IgnoredOwnerChannelTests(TestCase):
    """
    A channel line said by a script of the player Carol ignores.
    """

    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)
        self.world.login("Wiz", role="wizard")
        self.bob = self.world.login("Bob", role="builder")
        self.carol = self.world.login("Carol")
        self.dana = self.world.login("Dana")
        self.bob.send("@channel/create chess")
        for player in (self.carol, self.dana):
            player.send("@channel/join chess")
        make(self.bob, "gremlin", "def verb_squeak(actor, *rest):\n"
                                  "    grants['chess'].say('squeak')\n")
        self.assertIn("Granted", self.bob.send("@grant gremlin.chess = channel chess"))
        self.carol.send("@ignore bob")
        for player in (self.bob, self.carol, self.dana):
            player.output()

    def test_scripted_channel_line_hidden(self) -> None:
        """Dana pokes Bob's gremlin: its line on chess is hidden from Carol, shown to Dana."""
        said = self.dana.send("squeak gremlin") + self.dana.output()
        self.assertIn("squeak", said)
        self.assertNotIn("squeak", self.carol.output())
