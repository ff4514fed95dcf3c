"""
Players can see which of others' scripts hold a facet of them, and revoke
it: the script can then no longer use, or even recognise, what it kept.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from scripting.facets import accounting
from tests.scripts.helpers import Scene, make

KEEPER = """
def on_look(actor):
    state.set("victim", actor)

def on_arrive(actor):
    v = state.get("victim")
    try:
        if v == actor:
            here.say("welcome back, " + actor.name)
    except Exception as err:
        here.say("lost: " + str(err))
"""


class HoldersTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "gremlin", KEEPER)
        self.s.read()

    def test_nothing_held(self) -> None:
        self.assertIn("No one else's script holds anything of you.",
                      self.s.carol.send("@holders"))

    def test_lists_and_revokes(self) -> None:
        """
        After Carol looks at Bob's gremlin, @holders lists it as Bob's;
        revoking it kills the facet the gremlin kept, so it no longer
        recognises her.
        """
        self.s.carol.send("look gremlin")
        listed = self.s.carol.send("@holders")
        self.assertIn("1. gremlin, Bob's: was handed you", listed)
        self.s.carol.send("north")
        self.s.carol.send("south")
        self.assertIn("welcome back, Carol", self.s.bob.output())
        said = self.s.carol.send("@holders/revoke 1")
        self.assertIn("Revoked: gremlin no longer holds anything of you.", said)
        self.assertIn("No one else's", self.s.carol.send("@holders"))
        self.s.carol.send("north")
        self.s.carol.send("south")
        heard = self.s.bob.output()
        self.assertNotIn("welcome back", heard)
        self.assertIn("lost: That player has revoked", heard)

    def test_grants_of_me_listed_and_revoked(self) -> None:
        """
        Bob granted his robot a view of Carol: she sees it and revokes it.
        """
        make(self.s.bob, "robot", """
            def verb_peek(actor, *rest):
                actor.tell("sees " + grants["eye"].name)
            """)
        self.s.bob.send("@grant robot.eye = view Carol")
        self.assertIn("sees Carol", self.s.bob.send("peek robot"))
        listed = self.s.carol.send("@holders")
        self.assertIn("robot, Bob's: granted view of you as 'eye'", listed)
        self.s.carol.send("@holders/revoke all")
        self.assertNotIn("sees Carol", self.s.bob.send("peek robot"))
        self.assertIn("No grants", self.s.bob.send("@grants"))

    def test_own_scripts_hold_nothing(self) -> None:
        """
        A player's own scripts are not listed: they need no protection from
        themselves.
        """
        make(self.s.carol, "diary", KEEPER)
        self.assertNotIn("don't see", self.s.carol.send("look diary"))
        self.assertNotIn("diary", self.s.carol.send("@holders"))

    def test_bad_number(self) -> None:
        self.assertIn("Revoke which?", self.s.carol.send("@holders/revoke 9"))


COUNTER = """
looks = [0]

def on_look(actor):
    looks[0] += 1
    actor.tell("looked " + str(looks[0]))
"""


class RevokeKeepsModuleTests(TestCase):
    """
    A player revoking what a thing holds of her kills its facets through
    their cell; the thing's script module stays loaded, so she cannot make
    its owner pay for loading it again and again.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "counter", COUNTER)
        self.s.read()

    def test_revoking_again_and_again_reloads_nothing(self) -> None:
        """
        Carol looks at Bob's counter and revokes its hold of her, five
        times: the script's module globals count on (the module was never
        loaded again), and each look hands it a fresh hold, refunded at the
        revoke: Bob ends where he began.
        """
        before = self.stored()
        for n in range(1, 6):
            self.assertIn(f"looked {n}", self.s.carol.send("look counter"))
            self.assertIn("Revoked: counter", self.s.carol.send("@holders/revoke 1"))
            self.assertIn("No one else's", self.s.carol.send("@holders"))
        self.assertEqual(self.stored(), before)

    def stored(self) -> int:
        bob = self.s.character("Bob").id
        with self.s.world.store.turn() as turn:
            return accounting.usage(turn.root, bob).stored_bytes
