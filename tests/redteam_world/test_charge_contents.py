"""
One place holds a bounded number of things: however many accounts pile
what they own into a public room (or a container), there is a ceiling, and
players can always walk in.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, make
from world import containment


class ContentsCeilingTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.world.server.scripts.meters.cpu_time = lambda: 0.0
        # Room for five more things in the town square than it holds now.
        self.patch(containment, "MAX_CONTENTS", self.things_here() + 5)

    def things_here(self) -> int:
        carol = self.s.character("Carol").id
        with self.s.world.store.turn() as turn:
            square = turn.root.get(carol).location
            return sum(1 for o in square.contents if o.kind != "character")

    def test_scripts_and_players_stop_at_the_ceiling(self) -> None:
        """
        A script making things in the room stops at MAX_CONTENTS, saying
        why; a player's drop there is refused too, and nothing is lost.
        """
        make(self.s.bob, "breeder", """
            def verb_breed(actor, *rest):
                n = 0
                for i in range(20):
                    try:
                        this.create("thing", "pebble")
                        n = n + 1
                    except Exception as err:
                        actor.tell("made %d: %s" % (n, err))
                        return
                actor.tell("made all")
            """)
        said = self.s.bob.send("breed breeder")
        self.assertIn("made 4: ", said)  # the breeder itself took one place
        self.assertIn("cannot hold any more things", said)
        self.assertEqual(self.things_here(), containment.MAX_CONTENTS)
        self.s.alice.send("@create marble")
        self.assertIn("cannot hold any more things", self.s.alice.send("drop marble"))
        self.assertIn("marble", self.s.alice.send("inventory"))

    def test_characters_always_walk_in(self) -> None:
        """A full room still takes players walking in."""
        make(self.s.bob, "breeder", """
            def verb_breed(actor, *rest):
                for i in range(20):
                    try:
                        this.create("thing", "pebble")
                    except Exception:
                        return
            """)
        self.s.bob.send("breed breeder")
        self.s.carol.send("north")
        self.assertIn("Town Square", self.s.carol.send("south"))
