# -*- test-case-name: tests.redteam_world.test_r6_world_sealed_script -*-
"""
A player's scripted thing inside another's seal is still hers to stop
(issue 9, round 6). Dora, a player, put her ticking thing into Carol's
letterbox (sealed: it takes things in and lets nothing out); Carol carried
it away. Nobody but Carol (or a wizard) may take it out or destroy it, and
Dora, who is no builder, could not even name it: its timers charged her
for good. She names her own things by number wherever they are:
'@script/clear #<id>' removes its script and cancels its timers (refunded),
'@script/show', '@name' and '@describe' reach it too; '@destroy' still
does not take it out of the seal.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from scripting.facets import timers
from tests.redteam_world.test_consent import carried
from tests.scripts.helpers import Scene, flat, script


class SealedScriptTests(TestCase):
    """
    Dora's ticker, its timer re-armed every five seconds, in Carol's
    sealed letterbox, which Carol has carried north.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.dora = self.s.world.login("Dora")
        self.dora.send("@create ticker")
        self.ticker = self.s.thing("ticker").id
        script(self.dora, "ticker", """
            def verb_wind(actor, *rest):
                timers.after(5, "tick")

            def tick(data):
                state["ticks"] = state.get("ticks", 0) + 1
                timers.after(5, "tick")
            """)
        self.dora.send("wind ticker")
        self.s.carol.send("@create container letterbox")
        self.s.carol.send("drop letterbox")
        self.s.carol.send("@set letterbox/sealed = true")
        self.dora.send("put ticker in letterbox")
        self.s.carol.send("get letterbox")
        self.s.carol.send("north")
        self.s.read()
        self.dora.output()

    def pending(self) -> int:
        with self.s.world.store.turn() as turn:
            return len(timers.timers_on(turn.root, turn.root.get(self.ticker)))

    def test_setup(self) -> None:
        """
        The ticker ticks in the letterbox Carol carries, and Dora may not
        destroy it there.
        """
        self.assertEqual(carried(self.s, "letterbox"), ["ticker"])
        self.assertEqual(self.pending(), 1)
        said = self.dora.send(f"@destroy #{self.ticker}")
        self.assertNotIn("You destroy", said)
        self.assertEqual(carried(self.s, "letterbox"), ["ticker"])

    def test_owner_clears_its_script(self) -> None:
        """
        '@script/clear #<ticker>' removes the script and its timers; the
        ticker stays in the seal, silent.
        """
        self.assertIn("1 timer(s) pending", flat(self.dora.send(f"@script/show #{self.ticker}")))
        said = flat(self.dora.send(f"@script/clear #{self.ticker}"))
        self.assertIn("Removed the script from ticker", said)
        self.assertEqual(self.pending(), 0)
        self.s.world.clock.advance(30)
        self.assertEqual(self.pending(), 0)
        self.assertEqual(carried(self.s, "letterbox"), ["ticker"])
        self.assertIn("has no script", self.dora.send(f"@script/show #{self.ticker}"))

    def test_owner_renames_it(self) -> None:
        """
        '@name #<ticker> = pebble' renames it where it is.
        """
        self.assertIn("pebble", self.dora.send(f"@name #{self.ticker} = pebble"))
        self.assertEqual(carried(self.s, "letterbox"), ["pebble"])

    def test_others_things_by_number_stay_unnamed(self) -> None:
        """
        The letterbox is Carol's: Dora's '#<letterbox>' names nothing of
        hers, for @script, @name or @set.
        """
        box = self.s.thing("letterbox").id
        for line in (f"@script/clear #{box}", f"@name #{box} = mine",
                     f"@set #{box}/sealed = false", f"@describe #{box} = mine"):
            self.assertIn(f"You own no object #{box}", self.dora.send(line), line)
        self.assertTrue(self.s.thing("letterbox").properties.get("sealed"))
