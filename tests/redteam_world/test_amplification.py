"""
Work a script makes the server do on its behalf: a facet call must not cost
the server far more than it costs the script.
"""

from __future__ import annotations

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
        import tracemalloc

        make(self.s.bob, "gremlin", BOMB)
        tracemalloc.start()
        self.addCleanup(tracemalloc.stop)
        said = self.s.bob.send("bomb gremlin")
        _current, peak = tracemalloc.get_traced_memory()
        self.assertIn("refused 0,1,2.", said)
        # Measuring the value as JSON would have built 320 MB.
        self.assertLess(peak, 32 * 1024 * 1024)
        gremlin = self.s.thing("gremlin")
        self.assertNotIn("k", gremlin.properties)


STALL = """
def verb_arm(actor, *rest):
    for i in range(20):
        timers.every(5, "burn")
    actor.tell("armed")

def burn(data):
    here.say("grr")
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
        Twenty repeating timers whose every run takes a tenth of a second of
        the server's time (read from an injected clock, as a refused say() of
        control characters really costs) but only a few ticks: after
        CPU_SECONDS of the server's time Bob's scripts rest, so over three
        periods far fewer than the sixty runs happen.
        """
        from engine.scripts import meters as runtime_module

        readings = {"now": 0.0, "reads": 0}

        def cpu_time() -> float:
            readings["reads"] += 1
            readings["now"] += 0.1  # each run (a start and an end reading): 0.1 s
            return readings["now"]

        scripts = self.s.world.server.scripts
        make(self.s.bob, "gremlin", STALL)
        self.assertIn("armed", self.s.bob.send("arm gremlin"))
        scripts.meters.cpu_time = cpu_time
        for _ in range(3):
            self.s.world.clock.advance(5)
        runs = readings["reads"] // 2
        allowed = round(runtime_module.CPU_SECONDS / 0.1) + 1  # the run that crosses the line
        self.assertLess(allowed, 60)
        self.assertLessEqual(runs, allowed, readings)
        self.assertGreater(runs, 0)
        self.assertIn("rest", self.s.bob.output())
