# -*- test-case-name: tests.redteam_world.test_r6_world_riders -*-
"""
A player is told, as a thing comes into her keeping, that it holds another
owner's scripted things (issue 9, round 6). Dora put her scripted ticker
into Carol's open bag on the floor (or into a pouch of her own inside it);
Carol picked the bag up and carried it everywhere, never knowing that
something in it ran Dora's script. Now the one taking it (by 'get', by
'give', or by a script's move) is told what in it runs whose script, and
can get rid of it.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, flat, script
from world.objects import Thing

TICKER = """
def verb_wind(actor, *rest):
    timers.after(5, "tick")

def tick(data):
    timers.after(5, "tick")
"""


class RiderTests(TestCase):
    """
    Carol's satchel on the floor of the square; Dora's scripted ticker.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.dora = self.s.world.login("Dora")
        self.s.carol.send("@create container satchel")
        self.s.carol.send("drop satchel")
        self.dora.send("@create ticker")
        script(self.dora, "ticker", TICKER)
        self.s.read()
        self.dora.output()

    def test_told_at_pick_up(self) -> None:
        """
        Carol picking up the satchel holding Dora's ticker is told it runs
        Dora's script.
        """
        self.dora.send("put ticker in satchel")
        said = flat(self.s.carol.send("get satchel"))
        self.assertIn("You pick up the satchel.", said)
        self.assertIn("The satchel holds a ticker, owned by Dora, that runs a script", said)

    def test_told_through_a_pouch(self) -> None:
        """
        Hidden in a pouch of Dora's inside the satchel, it is found too.
        """
        self.dora.send("@create container pouch")
        self.dora.send("put ticker in pouch")
        self.dora.send("put pouch in satchel")
        said = flat(self.s.carol.send("get satchel"))
        self.assertIn("a ticker, owned by Dora, that runs a script", said)

    def test_told_when_given(self) -> None:
        """
        Handed a box holding the ticker, Carol is told, and Dora is not.
        """
        self.dora.send("@create container box")
        self.dora.send("put ticker in box")
        said = flat(self.dora.send("give box to carol"))
        self.assertNotIn("runs a script", said)
        self.assertIn("a ticker, owned by Dora, that runs a script", flat(self.s.carol.output()))

    def test_own_scripts_are_no_news(self) -> None:
        """
        Her own scripted things in her satchel tell her nothing.
        """
        self.s.carol.send("@create bell")
        script(self.s.carol, "bell", "def verb_ring(actor, *rest):\n    pass\n")
        self.s.carol.send("put bell in satchel")
        self.assertNotIn("runs a script", self.s.carol.send("get satchel"))

    def test_nothing_scripted_no_notice(self) -> None:
        """
        A satchel holding nothing scripted says nothing more.
        """
        self.dora.send("@create pebble")
        self.dora.send("put pebble in satchel")
        self.assertNotIn("script", self.s.carol.send("get satchel"))

    def test_past_a_pile_of_junk(self) -> None:
        """
        Behind 300 pebbles, a pouch holding the ticker: what could not be
        looked through is said.
        """
        self.dora.send("@create container pouch")
        self.dora.send("put ticker in pouch")
        with self.s.world.store.turn() as turn:
            satchel = next(o for o in turn.root.all() if o.name == "satchel")
            dora = next(o for o in turn.root.all() if o.name == "Dora")
            for n in range(300):
                turn.root.create(Thing, f"pebble{n}", location=satchel, owner=dora.id)
        self.dora.send("put pouch in satchel")
        said = flat(self.s.carol.send("get satchel"))
        self.assertIn("The satchel holds more than", said)
