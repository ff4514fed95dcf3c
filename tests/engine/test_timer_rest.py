"""
A timer that falls due while its owner's scripts rest (they used their
share of the server) waits until the rest ends, then fires once (issue 9):
nothing can make his timers vanish. Other players, who can spend an
owner's share by waking his handlers, cannot make them wait at all: the
last quarter of each owner's share is kept for his own timers.
"""

from __future__ import annotations

import itertools

from twisted.internet.task import Clock
from twisted.trial.unittest import TestCase

from engine.scripts import meters
from scripting.facets import timers
from tests.scripts.helpers import Scene, flat, make, script
from world.scripts import script_of

#: A door that relocks some seconds after it is opened, and that listens to
#: what is said beside it (each line said costs its owner some 3000 ticks);
#: stoked, it burns more than its owner's share a second later, in a timer.
DOOR = """
def verb_stoke(actor, *rest):
    timers.after(1, "burn")
def burn(data):
    for i in range(25000):
        pass
def verb_open(actor, *rest):
    timers.after(10, "relock")
    actor.tell("opened")
def verb_wind(actor, *rest):
    timers.every(5, "tick")
    actor.tell("wound")
def relock(data):
    here.emote("clicks shut")
def tick(data):
    here.emote("ticks")
def on_hear(actor, text):
    for i in range(3000):
        pass
"""


class RestingOwnerTimerTests(TestCase):
    """
    Bob's own timers spend his share, so his scripts rest; his other timers
    wait for the rest to end. Carol, Alice and Dana saying things beside
    his door until his handlers rest does not delay them.
    """

    def setUp(self) -> None:
        self.patch(meters, "CPU_TICKS", 20_000)
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "door", DOOR)
        self.clock = self.s.world.clock
        self.clock.advance(meters.CPU_WINDOW)  # a fresh window
        self.bob_id = self.s.character("Bob").id
        self.s.read()
        # (one player alone may spend only half of what others may wake:
        # L{engine.scripts.runtime.PLAYER_PART}; three take turns)
        self.talkers = itertools.cycle(
            (self.s.carol, self.s.alice, self.s.world.login("Dana")))

    def talk(self) -> str:
        """
        The next talker says something beside the door; what Carol saw.
        """
        who = next(self.talkers)
        said = who.send("say knock knock")
        return flat(said if who is self.s.carol else self.s.carol.output())

    def push_into_rest(self) -> float:
        """
        Carol stokes the door: a second later its timer spends all of Bob's
        share, and his scripts rest (his timers too); when that happened.
        """
        runtime = self.s.world.server.scripts
        self.s.carol.send("stoke door")
        self.clock.advance(1)
        self.assertTrue(runtime.resting(self.bob_id, own=True))
        return self.clock.seconds()

    def talk_until_handlers_rest(self) -> str:
        """
        Carol, Alice and Dana talk in turn beside the door until Bob's
        handlers rest (what others wake), and once more: his own timers
        keep the rest of his share. What Carol saw meanwhile.
        """
        runtime = self.s.world.server.scripts
        seen = flat(self.s.carol.output())
        for _ in range(20):
            if runtime.resting(self.bob_id):
                break
            seen += self.talk()
        self.assertTrue(runtime.resting(self.bob_id))
        seen += self.talk()
        self.assertFalse(runtime.resting(self.bob_id, own=True))
        return seen

    def pending(self) -> list[tuple]:
        door = self.s.thing("door")
        with self.s.world.store.turn() as turn:
            return [(t.handler, t.due) for t in timers.timers_on(turn.root, door)]

    def next_due(self) -> float | None:
        with self.s.world.store.turn() as turn:
            return timers.next_due(turn.root)

    def test_one_shot_timer_waits_for_the_rest_to_end(self) -> None:
        """
        A one-shot timer due while its owner rests is kept, due again when
        the rest ends (the scheduler wakes then, not every turn meanwhile),
        and fires once then.
        """
        self.assertIn("opened", self.s.carol.send("open door"))
        rested = self.push_into_rest()
        self.clock.advance(10)
        self.assertNotIn("clicks shut", self.s.carol.output())
        self.assertEqual(self.pending(), [("relock", rested + meters.CPU_WINDOW)])
        self.assertEqual(self.next_due(), rested + meters.CPU_WINDOW)
        self.clock.advance(rested + meters.CPU_WINDOW - 1 - self.clock.seconds())
        self.assertNotIn("clicks shut", self.s.carol.output())
        self.clock.advance(1)
        self.assertEqual(flat(self.s.carol.output()).count("clicks shut"), 1)
        self.assertEqual(self.pending(), [])
        self.clock.advance(meters.CPU_WINDOW)
        self.assertNotIn("clicks shut", self.s.carol.output())

    def test_owner_told_once_that_timers_wait(self) -> None:
        """
        The owner is told his timers wait, and until when, once however
        many fall due while he rests (the first to fall due is named).
        """
        self.s.carol.send("open door")
        self.s.carol.send("wind door")
        self.push_into_rest()
        self.s.bob.output()
        for _ in range(8):
            self.clock.advance(5)
        said = flat(self.s.bob.output())
        self.assertEqual(said.count("timers wait"), 1, said)
        self.assertIn("Your scripts rest (@quota): they used your share of the server's "
                      "time, so your timers wait: 'tick' on door, and any other falling due "
                      "meanwhile for that reason, fires when that ends, in 55 seconds.", said)

    def test_repeating_timer_fires_once_after_the_rest(self) -> None:
        """
        A repeating timer whose periods fall due while its owner rests fires
        once when the rest ends, not once for each period missed, and then
        goes on at its period.
        """
        self.assertIn("wound", self.s.carol.send("wind door"))
        self.clock.advance(2)  # the rest ends between two of its periods
        rested = self.push_into_rest()
        end = rested + meters.CPU_WINDOW
        while self.clock.seconds() + 5 < end:
            self.clock.advance(5)
        self.assertNotIn("ticks", self.s.carol.output())
        self.assertEqual(self.next_due(), end)
        self.clock.advance(end - self.clock.seconds())
        self.assertEqual(flat(self.s.carol.output()).count("ticks"), 1)
        self.assertEqual(self.pending(), [("tick", end + 5)])
        self.clock.advance(5)
        self.assertEqual(flat(self.s.carol.output()).count("ticks"), 1)

    def test_waiting_timers_fire_one_per_turn(self) -> None:
        """
        Many timers waiting for one rest to end all fall due then, and fire
        as any do: one per turn of the reactor, the next at once after.
        """
        for _ in range(3):
            self.s.carol.send("open door")
        end = self.push_into_rest() + meters.CPU_WINDOW
        self.clock.advance(10)
        self.assertEqual(self.pending(), [("relock", end)] * 3)
        scheduler = self.s.world.server.timers
        self.clock.advance(end - self.clock.seconds() - 1)
        scheduler._call.cancel()
        scheduler._call = None
        self.clock.advance(1)
        scheduler.fire()  # as the reactor would, once
        self.assertEqual(len(self.pending()), 2)
        self.assertEqual(scheduler._call.getTime(), self.clock.seconds())  # the next at once
        self.clock.advance(0)
        self.assertEqual(self.pending(), [])
        self.assertEqual(flat(self.s.carol.output()).count("clicks shut"), 3)

    def test_talk_cannot_make_a_timer_vanish(self) -> None:
        """
        Carol waits until Bob's door is about to relock, then stokes it so
        that his scripts rest, and goes on talking (which wakes nothing
        while he rests): the timer waits, and fires once when the rest ends.
        """
        self.s.carol.send("open door")
        self.clock.advance(8)
        rested = self.push_into_rest()
        while self.clock.seconds() + 5 < rested + meters.CPU_WINDOW:
            self.clock.advance(5)
            self.s.carol.send("say still here")
            self.assertEqual([h for h, _ in self.pending()], ["relock"])
        self.assertNotIn("clicks shut", self.s.carol.output())
        self.clock.advance(5)
        self.assertEqual(flat(self.s.carol.output()).count("clicks shut"), 1)
        self.assertEqual(self.pending(), [])

    def test_resting_owner_timer_loads_nothing(self) -> None:
        """
        A timer falling due while its owner rests waits before anything of
        its script is loaded: a script not yet looked at (as content
        scripts are stored) stays so, not tried out at no one's cost, until
        the rest ends and the timer fires.
        """
        self.s.carol.send("open door")
        end = self.push_into_rest() + meters.CPU_WINDOW
        door_id = self.s.thing("door").id
        with self.s.world.store.turn() as turn:
            record = script_of(turn.root.get(door_id))
            record.functions = None
        self.clock.advance(10)
        with self.s.world.store.turn() as turn:
            self.assertIsNone(script_of(turn.root.get(door_id)).functions)
        self.clock.advance(end - self.clock.seconds())
        self.assertEqual(flat(self.s.carol.output()).count("clicks shut"), 1)
        with self.s.world.store.turn() as turn:
            self.assertIn("relock", script_of(turn.root.get(door_id)).functions)

    def test_talk_cannot_delay_timers(self) -> None:
        """
        Carol, Alice and Dana talk beside Bob's door until his handlers
        rest, and again at each rest's end, before his timers would fire: his timers (he set
        them himself), which keep the last quarter of his share, fire on
        time all the same, and a repeating one at each of its periods.
        """
        self.s.bob.send("open door")
        self.s.bob.send("wind door")
        said = ""
        for _ in range(2 * int(meters.CPU_WINDOW / 5)):
            said += self.talk_until_handlers_rest()
            self.clock.advance(5)
        said += flat(self.s.carol.output())
        self.assertEqual(said.count("clicks shut"), 1)
        self.assertEqual(said.count("ticks"), 2 * int(meters.CPU_WINDOW / 5))
        self.assertNotIn("timers wait", flat(self.s.bob.output()))

    def test_handlers_rest_before_timers(self) -> None:
        """
        Bob is told that his scripts rest for what others wake, and that his
        timers keep the last quarter of his share.
        """
        self.talk_until_handlers_rest()
        said = flat(self.s.bob.output())
        self.assertIn("they rest until that passes, but for your timers, which keep the last "
                      "25% of your share (@quota).", said)
        self.assertIn("Your scripts used more than 1500000 ticks (or 2.25 seconds", said)

    def test_quota_says_timers_keep_their_quarter(self) -> None:
        """
        While only what others wake rests, @quota says so and that his
        timers still run on the last quarter of his share; once that is
        spent too, that his timers rest as well.
        """
        self.assertNotIn("resting", flat(self.s.bob.send("@quota")))
        self.talk_until_handlers_rest()
        said = flat(self.s.bob.send("@quota"))
        self.assertIn("resting until the minute has passed for what others wake; your timers "
                      "still run on the last 25% of your share", said)
        self.clock.advance(meters.CPU_WINDOW)
        self.push_into_rest()
        said = flat(self.s.bob.send("@quota"))
        self.assertIn("resting, timers too, until the minute has passed", said)
        self.assertNotIn("still run", said)


class SuspendedScriptTimerTests(TestCase):
    """
    A timer of a suspended script waits too: its owner who fixes the
    script finds it still set.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "door", DOOR)
        self.s.read()

    def test_waits_until_the_script_is_fixed(self) -> None:
        """
        A one-shot timer that falls due while its script is suspended (its
        owner saved a version with an error) is kept, out of the queue:
        nothing looks at it or writes it again, however long the script
        stays suspended; it fires as soon as the owner has fixed the script.
        """
        self.s.carol.send("open door")
        said = flat(script(self.s.bob, "door", DOOR + "def broken(:\n    pass\n"))
        self.assertIn("will not run until they are fixed", said)
        self.s.world.clock.advance(10)
        self.assertNotIn("clicks shut", self.s.carol.output())
        door = self.s.thing("door")
        with self.s.world.store.turn() as turn:
            [timer] = timers.timers_on(turn.root, door)
            self.assertEqual(timer.handler, "relock")
            due = timer.due
            self.assertIsNone(timers.next_due(turn.root))
        writes = self.s.world.store.db.lastTransaction()
        for _ in range(10):
            self.s.world.clock.advance(meters.CPU_WINDOW)
        self.assertEqual(self.s.world.store.db.lastTransaction(), writes)
        self.assertIn("it defines", script(self.s.bob, "door", DOOR))
        self.s.world.clock.advance(0)
        self.assertEqual(flat(self.s.carol.output()).count("clicks shut"), 1)
        with self.s.world.store.turn() as turn:
            self.assertEqual(timers.timers_on(turn.root, door), [])
        self.assertLess(due, self.s.world.clock.seconds())

    def test_waits_for_the_script_its_host_runs(self) -> None:
        """
        A timer of a thing running another's script (@script/use) waits,
        parked, while that script is suspended, and fires once it is saved
        again; one whose thing is destroyed meanwhile goes with it.
        """
        for name in ("latch", "bolt"):
            self.s.bob.send(f"@create {name}")
            self.s.bob.send(f"drop {name}")
            self.s.bob.send(f"@script/use {name} = door")
            self.s.carol.send(f"open {name}")
        self.s.carol.send("open door")
        script(self.s.bob, "door", DOOR + "def broken(:\n    pass\n")
        self.s.world.clock.advance(10)
        with self.s.world.store.turn() as turn:
            self.assertIsNone(timers.next_due(turn.root))
            self.assertEqual(len(turn.root.timers.live), 3)
        self.assertIn("destroy", self.s.bob.send("@destroy bolt").lower())
        with self.s.world.store.turn() as turn:
            self.assertEqual(len(turn.root.timers.live), 2)
            self.assertEqual(sum(len(ids) for ids in turn.root.timers.parked.values()), 2)
        self.assertIn("it defines", script(self.s.bob, "door", DOOR))
        self.s.world.clock.advance(0)
        self.assertEqual(flat(self.s.carol.output()).count("clicks shut"), 2)
        with self.s.world.store.turn() as turn:
            self.assertEqual(len(turn.root.timers.live), 0)
            self.assertFalse(turn.root.timers.parked)


class StrandedTimerTests(TestCase):
    """
    A timer parked for the script its thing runs (another thing's, with
    @script/use) follows that script: once the thing runs it no more, the
    timer no longer waits for it, nor counts against its owner's timers.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "door", DOOR)
        self.s.bob.send("@create latch")
        self.s.bob.send("drop latch")
        self.s.bob.send("@script/use latch = door")
        self.bob_id = self.s.character("Bob").id
        self.s.read()

    def park(self, verb: str) -> None:
        """
        Carol sets a timer on the latch; Bob saves the door's script with
        an error, and the latch's timer, due, is parked for it.
        """
        self.s.carol.send(f"{verb} latch")
        script(self.s.bob, "door", DOOR + "def broken(:\n    pass\n")
        self.s.world.clock.advance(10)
        with self.s.world.store.turn() as turn:
            self.assertIsNone(timers.next_due(turn.root))
            self.assertEqual(len(turn.root.timers.live), 1)
        self.s.read()

    def give_door_away(self) -> None:
        """
        The door becomes Alice's (no command changes an owner yet; a wizard
        tool or a future one would): the latch no longer runs its script.
        """
        door, alice = self.s.thing("door").id, self.s.character("Alice").id
        with self.s.world.store.turn() as turn:
            turn.root.get(door).owner = alice

    def test_quota_lets_it_go(self) -> None:
        """
        Bob's @quota no longer counts the latch's timer: the latch runs no
        script now, so it is cancelled and refunded.
        """
        self.park("open")
        self.assertIn("timers pending: 1 of 20", flat(self.s.bob.send("@quota")))
        self.give_door_away()
        self.assertIn("timers pending: 0 of 20", flat(self.s.bob.send("@quota")))
        with self.s.world.store.turn() as turn:
            self.assertEqual(len(turn.root.timers.live), 0)
            self.assertFalse(turn.root.timers.parked)
            self.assertFalse(turn.root.timers.parked_by_owner)

    def test_a_new_timer_refused_for_the_quota_lets_it_go(self) -> None:
        """
        With a limit of one timer, Bob's new clock may set its timer once
        the latch's, waiting for a script the latch no longer runs, goes.
        """
        from scripting.facets import accounting
        with self.s.world.store.turn() as turn:
            accounting.set_limit(turn.root, self.bob_id, "timers", 1)
        self.park("open")
        make(self.s.bob, "clock", DOOR)
        self.s.read()
        self.assertNotIn("opened", flat(self.s.carol.send("open clock")))
        self.give_door_away()
        self.assertIn("opened", flat(self.s.carol.send("open clock")))
        with self.s.world.store.turn() as turn:
            [timer] = turn.root.timers.live.values()
            self.assertEqual(timer.host.name, "clock")

    def test_parent_destroyed(self) -> None:
        """
        A repeating timer parked for the door's script, whose door is
        destroyed, is queued again and, the latch running no script now,
        cancelled when it fires, Bob told; it no longer counts.
        """
        self.park("wind")
        said = flat(self.s.bob.send("@destroy door"))
        self.s.world.clock.advance(0)
        said += flat(self.s.bob.output())
        self.assertIn("on latch fired for tick(data), but latch runs no script now, so nothing "
                      "ran; the timer is cancelled.", said)
        self.assertIn("timers pending: 0 of 20", flat(self.s.bob.send("@quota")))
        with self.s.world.store.turn() as turn:
            self.assertEqual(len(turn.root.timers.live), 0)


class RestEndsTests(TestCase):
    """
    When a rest ends is when enough of what was spent has left the window.
    """

    def test_when_the_oldest_spending_leaves(self) -> None:
        """
        An owner who spent over his share in two goes rests until the first
        leaves the window, if the second alone is within the share; one who
        spends nothing rests not at all.
        """
        self.patch(meters, "CPU_TICKS", 5_000)
        clock = Clock()
        meter = meters.Meters(clock, cpu_time=lambda: 0.0)
        self.assertIsNone(meter.rests_until(7))
        meter.ticks(7, 3_000)
        clock.advance(10)
        meter.ticks(7, 3_000)
        self.assertEqual(meter.rests_until(7), meters.CPU_WINDOW)
        self.assertEqual(meter.rests_until(7, share=0.5), 10 + meters.CPU_WINDOW)
        clock.advance(meters.CPU_WINDOW - 10)
        self.assertFalse(meter.resting(7))
        self.assertIsNone(meter.rests_until(7))
