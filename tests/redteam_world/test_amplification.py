"""
Work a script makes the server do on its behalf: a facet call must not cost
the server far more than it costs the script.
"""

from __future__ import annotations

import time

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, make

#: Bob's value: 5000 references to one 64 KiB string. Cheap for the script to
#: build (one string, one list of 5000 slots), but 320 MB as JSON.
BOMB = """
def verb_bomb(actor, *rest):
    s = "x" * 65536
    v = [s] * 5000
    d = {"a": v}
    refused = []
    for attempt in range(3):
        try:
            if attempt == 0:
                this.set_property("k", v)
            elif attempt == 1:
                state.set("k", d)
            else:
                timers.after(10, "later", v)
        except Exception as err:
            refused.append(str(attempt))
    actor.tell("refused " + ",".join(refused) + ".")

def later(data):
    pass
"""


class SizeBombTests(TestCase):
    """
    A value far bigger than any limit is refused before the server measures
    it as JSON (which would build hundreds of megabytes, uninterruptibly).
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_huge_values_refused_cheaply(self) -> None:
        make(self.s.bob, "gremlin", BOMB)
        began = time.perf_counter()
        said = self.s.bob.send("bomb gremlin")
        took = time.perf_counter() - began
        self.assertIn("refused 0,1,2.", said)
        self.assertLess(took, 0.4)
        gremlin = self.s.thing("gremlin")
        self.assertNotIn("k", gremlin.properties)


STALL = """
def verb_arm(actor, *rest):
    for i in range(20):
        timers.every(5, "burn")
    actor.tell("armed")

def burn(data):
    bad = "\\x00" * 4000
    for i in range(400):
        try:
            here.say(bad)
        except Exception:
            pass
"""


class WallTimeTests(TestCase):
    """
    An owner's scripts share the server by the time they take, not only by
    the ticks they are charged: facet calls that cost the server much more
    than their ticks must not let one owner stall everyone.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_cheap_ticks_expensive_calls_rest(self) -> None:
        """
        Twenty repeating timers, each spending a fifth of a second of the
        server's time on refused say() calls (a few ticks each): over three
        periods Bob's scripts take a bounded share of the server, then rest.
        """
        make(self.s.bob, "gremlin", STALL)
        self.assertIn("armed", self.s.bob.send("arm gremlin"))
        began = time.perf_counter()
        for _ in range(3):
            self.s.world.clock.advance(5)
        took = time.perf_counter() - began
        self.assertLess(took, 5.5)  # unchecked: about 8 seconds here
        self.assertIn("rest", self.s.bob.output())
