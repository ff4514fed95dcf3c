"""
Timers (one-shot and repeating, capped and charged per owner), script state
(within a byte quota), the output rate limit, and @quota.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.scripts.meters import OUTPUT_BURST
from scripting.facets import accounting, holds, state
from tests.scripts.helpers import Scene, make, script
from world.values import charged_size

TIMED = """
def verb_start(actor, dobj, prep, iobj, dobjstr, iobjstr):
    actor.tell("timer " + str(timers.after(10, "tick", "once")))

def verb_wind(actor, dobj, prep, iobj, dobjstr, iobjstr):
    actor.tell("timer " + str(timers.every(10, "tick", "tock")))

def verb_stop(actor, dobj, prep, iobj, dobjstr, iobjstr):
    for timer in timers.pending():
        timers.cancel(timer[0])

def tick(data):
    state.set("ticks", state.get("ticks", 0) + 1)
    here.emote("ticks: " + data)
"""


class TimerTests(TestCase):
    """
    Timers fire from the injected clock, each firing a turn of its own.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.alice, "metronome", TIMED)
        self.s.read()

    def test_one_shot(self) -> None:
        """
        after(10, ...) fires once, ten seconds later, with its data.
        """
        self.s.carol.send("start metronome")
        self.s.world.clock.advance(9)
        self.assertEqual(self.s.bob.output(), "")
        self.s.world.clock.advance(1)
        self.assertIn("metronome ticks: once", self.s.bob.output())
        self.s.world.clock.advance(100)
        self.assertEqual(self.s.bob.output(), "")

    def test_repeating_and_cancel(self) -> None:
        """
        every(10, ...) fires every ten seconds until cancelled.
        """
        self.s.carol.send("wind metronome")
        for _ in range(3):
            self.s.world.clock.advance(10)
        self.assertEqual(self.s.bob.output().count("metronome ticks: tock"), 3)
        self.s.carol.send("stop metronome")
        self.s.world.clock.advance(100)
        self.assertEqual(self.s.bob.output(), "")

    def test_capped_and_charged(self) -> None:
        """
        Timers count against the owner's quota (@quota shows them); one over
        the cap fails the verb, and the whole verb's turn with it.
        """
        alice = self.s.character("Alice").id
        with self.s.world.store.turn() as turn:
            accounting.set_quota(turn.root, alice, timers=3)
        for _ in range(3):
            self.s.carol.send("wind metronome")
        self.assertIn("timers pending: 3 of 3", self.s.alice.send("@quota"))
        script(self.s.alice, "metronome", TIMED.replace(
            'actor.tell("timer " + str(timers.every(10, "tick", "tock")))',
            'timers.after(5, "tick", "a")\n    timers.after(5, "tick", "b")'))
        # Saving an edit keeps the timers; restarting the script cancels them.
        self.assertIn("timers pending: 3 of 3", self.s.alice.send("@quota"))
        self.assertIn("afresh", self.s.alice.send("@script/restart metronome"))
        self.assertIn("timers pending: 0 of 3", self.s.alice.send("@quota"))
        self.s.carol.send("wind metronome")
        self.s.carol.send("wind metronome")
        said = self.s.alice.send("wind metronome")
        self.assertIn("already have 3 timers pending", said)
        self.assertIn("timers pending: 2 of 3", self.s.alice.send("@quota"))

    def test_failing_timer_rolls_back(self) -> None:
        """
        A timer whose handler fails leaves no trace; the owner is told; a
        one-shot timer is gone all the same.
        """
        script(self.s.alice, "metronome", TIMED.replace(
            'here.emote("ticks: " + data)', 'here.emote("ticks: " + data)\n    1 / 0'))
        self.s.carol.send("start metronome")
        self.s.read()
        self.s.world.clock.advance(10)
        self.assertEqual(self.s.bob.output(), "")
        told = self.s.alice.output()
        self.assertIn("A timer fired", told)
        self.assertIn("ZeroDivisionError", told)
        host = self.s.thing("metronome")
        with self.s.world.store.turn() as turn:
            from scripting.facets import state, timers

            self.assertIsNone(state.get_value(turn.root, host, "ticks"))
            self.assertEqual(timers.timers_on(turn.root, host), [])

    def test_handler_timer_visible_in_quota(self) -> None:
        """
        @quota shows recent ticks, timers, stored bytes and objects.
        """
        self.s.carol.send("wind metronome")
        self.s.world.clock.advance(10)
        shown = self.s.alice.send("@quota")
        self.assertIn("timers pending: 1 of 20", shown)
        self.assertIn("script storage: ", shown)
        self.assertIn("objects owned: 1 of 100", shown)
        self.assertNotIn("ticks used in the last 10 minutes: 0\n", shown)


class StateTests(TestCase):
    """
    Script state persists on the host within a per-owner byte quota.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.alice, "jar", """
            def verb_fill(actor, dobj, prep, iobj, dobjstr, iobjstr):
                state.set("contents", state.get("contents", "") + iobjstr)
                actor.tell("jar holds " + str(len(state.get("contents"))))
            """)
        self.s.read()

    def test_kept_between_turns(self) -> None:
        """
        What one turn stores, the next finds.
        """
        self.s.carol.send("fill jar with sand")
        self.assertIn("jar holds 8", self.s.carol.send("fill jar with sand"))

    def test_quota(self) -> None:
        """
        A store beyond the owner's byte quota fails (and stores nothing).
        (The jar's hold of Carol costs Alice L{holds.HOLD_BYTES} too, and
        its state's own records L{state.RECORD_BYTES}, and what its key writes.)
        """
        alice = self.s.character("Alice").id
        with self.s.world.store.turn() as turn:
            # The jar's name and script, its hold of Carol, its state's records.
            base = (accounting.usage(turn.root, alice).stored_bytes + holds.HOLD_BYTES
                    + state.RECORD_BYTES + state.KEY_BYTES + 2 * len("contents"))
            accounting.set_quota(turn.root, alice, stored_bytes=base + 40)
        self.s.carol.send("fill jar with sand")
        said = self.s.alice.send("fill jar with " + "x" * 60)
        self.assertIn("more bytes of storage", said)
        self.assertIn("jar holds 8", self.s.carol.send("fill jar with sand"))
        sand = base + 18 - len('"sand"') + charged_size("sand")  # charged its pickle's bound
        self.assertIn(f"script storage: {sand} of {base + 40} bytes",
                      self.s.alice.send("@quota"))


class OutputLimitTests(TestCase):
    """
    What one owner's scripts send to players is rate-limited.
    """

    def test_flood_dropped_and_owner_told(self) -> None:
        """
        A verb telling far more than the burst delivers at most the burst;
        the owner hears why.
        """
        s = Scene()
        self.addCleanup(s.world.close)
        make(s.alice, "chatterbox", """
            def verb_poke(actor, *rest):
                for n in range(200):
                    actor.tell("chatter " + str(n))
            """)
        s.read()
        said = s.carol.send("poke chatterbox")
        self.assertEqual(said.count("chatter "), OUTPUT_BURST)
        self.assertIn("Your scripts are sending too much", s.alice.output())
        s.world.clock.advance(2)
        self.assertEqual(s.carol.send("poke chatterbox").count("chatter "), 10)

    def test_a_message_counts_once_however_many_see_it(self) -> None:
        """
        One emote seen by everyone in the room is one message: each listener
        sees the same ones (all or none), and the notice counts messages,
        not listeners.
        """
        s = Scene()
        self.addCleanup(s.world.close)
        make(s.alice, "parrot", """
            def verb_poke(actor, *rest):
                for n in range(50):
                    here.emote("squawks " + str(n) + ".")
            """)
        s.read()
        said = s.carol.send("poke parrot")
        seen = [n for n in range(50) if f"squawks {n}." in said]
        self.assertEqual(seen, list(range(OUTPUT_BURST)))
        self.assertEqual(s.bob.output().count("squawks "), OUTPUT_BURST)
        notice = " ".join(s.alice.output().split())
        self.assertEqual(notice.count("squawks "), OUTPUT_BURST)
        self.assertIn(f"{50 - OUTPUT_BURST} message(s) from parrot were dropped", notice)


class QuotaCommandTests(TestCase):
    """
    Wizards see the top consumers, and anyone's meters.
    """

    def test_wizard_sees_top_consumers(self) -> None:
        """
        @quota for a wizard lists owners by recent ticks; '@quota <player>'.
        """
        s = Scene()
        self.addCleanup(s.world.close)
        make(s.bob, "spinner", "def verb_spin(actor, *rest):\n    for i in range(2000):\n"
                               "        pass")
        s.carol.send("spin spinner")
        s.world.set_role("Alice", "wizard")
        shown = s.alice.send("@quota")
        self.assertIn("Top consumers", shown)
        self.assertIn("Bob", shown)
        self.assertIn("Scripts of Bob:", s.alice.send("@quota bob"))
        self.assertNotIn("Top consumers", s.carol.send("@quota"))


class RecountTests(TestCase):
    """
    A world from before accounting gets its object counts at start.
    """

    def test_counts_made_at_start(self) -> None:
        """
        At start, objects made before accounting are counted for their
        owners; the world itself may own many (content scripts make things).
        """
        from engine.scripts.runtime import WORLD_OBJECTS
        from engine.testing import TestWorld
        from world.objects import Thing

        def build(root):
            from engine.testing import small_world

            made = small_world(root)
            root.create(Thing, "old widget", location=made["square"], owner=42)
            return made

        world = TestWorld(build=build)
        self.addCleanup(world.close)
        with world.store.turn() as turn:
            self.assertEqual(accounting.usage(turn.root, 42).objects, 1)
            self.assertEqual(accounting.usage(turn.root, None).objects_quota, WORLD_OBJECTS)


class CpuShareTests(TestCase):
    """
    An owner whose scripts use too many ticks in a minute has them rest.
    """

    def test_rest_then_resume(self) -> None:
        """
        Past the per-minute share, the owner's verbs and handlers run
        nothing (the player and owner are told); a minute later they run.
        (Carol and Alice stoke in turn: one player alone may spend only a
        part of what others may wake, L{engine.scripts.runtime.PLAYER_PART}.)
        """
        from engine.scripts import meters

        self.patch(meters, "CPU_TICKS", 5_000)
        s = Scene()
        self.addCleanup(s.world.close)
        make(s.bob, "furnace", """
            def verb_stoke(actor, *rest):
                for i in range(3000):
                    pass
                actor.tell("roars")
            def on_hear(actor, text):
                here.emote("crackles")
            """)
        s.read()
        self.assertIn("roars", s.carol.send("stoke furnace"))
        self.assertIn("roars", s.alice.send("stoke furnace"))
        self.assertIn("does nothing just now", s.carol.send("stoke furnace"))
        s.carol.send("say hello")
        self.assertNotIn("crackles", s.alice.output())
        self.assertIn("they rest", s.bob.output())
        s.world.clock.advance(61)
        self.assertIn("roars", s.carol.send("stoke furnace"))
