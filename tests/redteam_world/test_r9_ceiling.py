# -*- test-case-name: tests.redteam_world.test_r9_ceiling -*-
"""
A ceiling on the server's time all scripts take together (issue 9, round 9).

Each owner may take L{meters.CPU_SECONDS} of the server's time a minute, but
twenty alts each under it kept a core busy. A first ceiling (reverted,
171106f) split it equally among the owners who took any: a thousand alts
spending a millisecond each shrank everyone's part; one player's wakes of
an owner's verbs put that owner over his part; players' wakes of the
world's scripts counted toward nobody's; and each new owner forced a
recount of all of them. Now each second is counted toward whoever's doing
it was (the player who woke it, whoever's scripts ran; else the owner who
paid), and past L{meters.SERVER_SECONDS} those over a max-min fair level
(L{Meters.level}) are held, the heaviest first: those under it never are,
and small spenders cannot lower it for the others. Counted at most once a
second. And the meters' clock leaves the garbage collector's pauses out,
so that nobody can time a full collection into another's turn.
"""

from __future__ import annotations

import gc
from types import SimpleNamespace
from typing import Any

from twisted.internet.task import Clock
from twisted.trial.unittest import TestCase

from engine.scripts import fanout, meters
from engine.scripts.meters import Meters
from engine.testing import TestWorld, timed_blocks_take
from scripting import clocks
from scripting.facets import timers
from tests.content.test_default_world import DEFAULT
from tests.content.test_scripted import walk
from tests.scripts.helpers import Scene, flat, make, script
from world.scripts import script_of

#: Heavy alts: each under his own share, together past the ceiling.
HEAVY = 2.9
#: What Alice's own scripts took: over the fair level of twenty heavy alts
#: and her, under what others may wake of her share.
MODERATE = 2.0


class LevelTests(TestCase):
    """
    L{fair_level}: the max-min fair level.
    """

    def test_fills_to_the_ceiling(self) -> None:
        """
        Those under the level keep all they took; the rest share what is
        left equally; together exactly the ceiling.
        """
        totals = [1, 2, 10, 10]
        level = meters.fair_level(totals, 15)
        self.assertEqual(level, 6)
        self.assertEqual(sum(min(t, level) for t in totals), 15)

    def test_under_the_ceiling(self) -> None:
        """
        Under the ceiling there is no level.
        """
        self.assertEqual(meters.fair_level([1, 2, 3], 6), float("inf"))

    def test_small_totals_lower_it_by_what_they_took(self) -> None:
        """
        A thousand small totals lower the level by no more than they took,
        shared between the heavy ones.
        """
        heavy = [29] * 12
        before = meters.fair_level([*heavy, 10], 300)
        after = meters.fair_level([*heavy, 10, *[1] * 100], 300)
        self.assertEqual(before, (300 - 10) / 12)
        self.assertEqual(after, (300 - 10 - 100) / 12)
        self.assertGreater(after, 10)


class TowardTests(TestCase):
    """
    L{meters.toward}: whose doing a second of the server's time is.
    """

    def test_whose_doing(self) -> None:
        """
        An owner's own doings are his; a verb a player typed, and what she
        woke of the world's scripts, hers; what her actions woke of an
        owner's scripts (handlers, timers her doing set), his, as others'.
        """
        toward = meters.toward
        self.assertEqual(toward(5, None), (5, True))
        self.assertEqual(toward(5, 5), (5, True))
        self.assertEqual(toward(5, 7), (5, False))
        self.assertEqual(toward(5, 7, True), (7, True))
        self.assertEqual(toward(None, 7), (7, True))
        self.assertEqual(toward(None, None), (None, True))

    def test_what_the_world_pays_for_of_an_owners_scripts(self) -> None:
        """
        An owner's handler that a world's script's move woke (the world
        pays) is his, as what others woke: not the world's, which is never
        held, nor the player's whose doing woke the world's script.
        """
        toward = meters.toward
        self.assertEqual(toward(None, 7, owner=5), (5, False))
        self.assertEqual(toward(None, None, owner=5), (5, False))
        self.assertEqual(toward(None, 7, owner=None), (7, True))


class CeilingTests(TestCase):
    """
    L{Meters.held} once the server's scripts are past the ceiling.
    """

    def setUp(self) -> None:
        self.clock = Clock()
        self.meters = Meters(self.clock, lambda: 0.0)

    def spend(self, accounts: Any, seconds: float) -> None:
        for account in accounts:
            self.meters.seconds(account, seconds)

    def test_alts_under_their_own_share_are_held_together(self) -> None:
        """
        Twenty accounts each under his own share but past the ceiling
        together are held; an account that took little is not.
        """
        self.assertGreater(20 * HEAVY, meters.SERVER_SECONDS)
        self.assertLess(HEAVY, meters.CPU_SECONDS)
        self.spend(range(100, 120), HEAVY)
        self.meters.seconds(7, 0.05)
        self.assertTrue(self.meters.busy())
        self.assertEqual([a for a in range(100, 120) if not self.meters.held(a)], [])
        self.assertFalse(self.meters.held(7))
        self.assertFalse(any(self.meters.resting(a) for a in range(100, 120)))  # (own shares)

    def test_no_ceiling_below_it(self) -> None:
        """
        Under the ceiling nobody is held.
        """
        count = int(meters.SERVER_SECONDS // HEAVY)
        self.spend(range(100, 100 + count), HEAVY)
        self.assertFalse(self.meters.busy())
        self.assertFalse(any(self.meters.held(a) for a in range(100, 100 + count)))

    def test_a_thousand_small_alts_do_not_hold_an_honest_owner(self) -> None:
        """
        With the server busy, an honest owner at moderate use goes on
        while the heavy alts are held; a thousand more alts spending a
        millisecond each do not make her rest (an equal split among
        everyone who took any would: 30 s over 1,013 accounts).
        """
        honest = 7
        self.spend(range(100, 112), HEAVY)
        self.meters.seconds(honest, 1.0)
        self.spend(range(1000, 2000), 0.001)
        self.assertTrue(self.meters.busy())
        self.assertLess(meters.SERVER_SECONDS / 1013, 1.0)
        self.assertFalse(self.meters.held(honest))
        self.assertGreater(self.meters.level(), 1.0)
        self.assertEqual([a for a in range(100, 112) if not self.meters.held(a)], [])
        self.assertFalse(any(self.meters.held(a) for a in range(1000, 2000)))

    def test_verbs_count_toward_the_player(self) -> None:
        """
        What twenty players wake of Bob's verbs (typed: chosen, each under
        his own cap) is counted toward each of them, not toward Bob: they
        are held, and Bob, whose own scripts took little, is not.
        """
        bob = 5
        self.meters.seconds(bob, 0.5)
        for player in range(100, 120):
            self.meters.seconds(bob, HEAVY, player, (player, True))
        self.assertTrue(self.meters.busy())
        self.assertEqual(self.meters.caused(bob), 0.5)
        self.assertFalse(self.meters.held(bob))
        self.assertFalse(self.meters.held(bob, own=False))
        self.assertEqual([p for p in range(100, 120) if not self.meters.held(p)], [])

    def test_a_room_of_alts_listening_cannot_hold_who_walks_in(self) -> None:
        """
        Eight alts' handlers that Carol's arrival wakes (she did not choose
        to; each alt's pair with her at its most) are not counted toward
        her: she is not held, they are (for what others wake of them).
        """
        carol = 7
        self.spend(range(100, 112), HEAVY)
        for alt in range(200, 208):
            self.meters.seconds(alt, 1.1, carol)
        self.assertTrue(self.meters.busy())
        self.assertEqual(self.meters.caused(carol), 0.0)
        self.assertFalse(self.meters.held(carol))
        self.assertEqual(self.meters.caused(200), 1.1)
        self.assertEqual(self.meters.caused(200, own=True), 0.0)

    def test_others_wakes_cannot_hold_an_owners_own_doings(self) -> None:
        """
        Players whose actions woke Bob's handlers (counted toward him, as
        what others woke) can put him over the level: then what they wake
        of his scripts rests, but his own timers and doings go on until
        they alone are over it.
        """
        bob = 5
        self.spend(range(100, 120), HEAVY)
        self.meters.seconds(bob, 0.5)
        for player in range(300, 303):
            self.meters.seconds(bob, 0.75, player)
        self.assertTrue(self.meters.busy())
        self.assertLess(self.meters.level(), self.meters.caused(bob))
        self.assertTrue(self.meters.held(bob, own=False))
        self.assertFalse(self.meters.held(bob))
        self.assertEqual(self.meters.caused(bob, own=True), 0.5)

    def test_wakes_of_the_worlds_scripts_count_toward_the_player(self) -> None:
        """
        What players wake of the world's scripts (owner None) is counted
        toward each player: past the ceiling they are held; the world's
        own timers never are.
        """
        for player in range(100, 120):
            self.meters.seconds(None, HEAVY, player)
        self.meters.seconds(None, 5.0)  # (the world's own timers)
        self.assertTrue(self.meters.busy())
        self.assertEqual(self.meters.caused(100), HEAVY)
        self.assertEqual(self.meters.caused(None), 5.0)
        self.assertTrue(self.meters.held(100))
        self.assertFalse(self.meters.held(None))

    def test_the_level_is_counted_at_most_once_a_second(self) -> None:
        """
        New accounts within the second do not make the level counted
        again; the next second does.
        """
        counted = []
        real = meters.fair_level

        def counting(totals: list[int], ceiling: int) -> float:
            counted.append(len(totals))
            return real(totals, ceiling)

        self.patch(meters, "fair_level", counting)
        self.spend(range(100, 120), HEAVY)
        self.assertTrue(self.meters.held(100))
        for account in range(1000, 3000):
            self.meters.seconds(account, 0.001)
            self.meters.held(account)
        self.assertEqual(counted, [20])
        self.clock.advance(meters.LEVEL_EVERY)
        self.meters.held(100)
        self.assertEqual(counted, [20, 2020])

    def test_held_until_under_the_level_or_the_ceiling(self) -> None:
        """
        A held account is told when it may go on if nothing more is
        counted toward it; once the window has passed it is not held.
        """
        self.spend(range(100, 120), HEAVY)
        until = self.meters.held_until(100)
        self.assertEqual(until, meters.CPU_WINDOW)
        self.assertIsNone(self.meters.held_until(7))
        self.clock.advance(meters.CPU_WINDOW)
        self.assertFalse(self.meters.busy())
        self.assertFalse(self.meters.held(100))

    def test_charges_within_a_second_are_kept_as_one(self) -> None:
        """
        However many charges come within a second, the ceiling's meters
        keep one entry for them (the server's and each account's).
        """
        for _ in range(1000):
            self.meters.seconds(7, 0.001)
            self.clock.advance(0.0001)
        self.assertEqual(len(self.meters._server.entries), 1)
        self.assertEqual(len(self.meters._caused[7].own.entries), 1)
        self.assertAlmostEqual(self.meters.caused(7), 1.0)

    def test_idle_accounts_are_forgotten(self) -> None:
        """
        Accounts that took nothing for a window are not kept, even while
        the server is never busy.
        """
        self.spend(range(100, 1100), 0.001)
        self.clock.advance(meters.CPU_WINDOW)
        self.meters.seconds(7, 0.001)
        self.assertEqual(set(self.meters._caused), {7})


class PauseTests(TestCase):
    """
    The meters' clock stands still while the garbage collector runs.
    """

    def test_a_collection_is_charged_to_nobody(self) -> None:
        """
        A full collection inside a timed block (an attacker's allocations
        brought it on) is not charged to the block's owner; the rest of the
        block is.
        """
        now = [0.0]
        self.patch(meters, "perf_counter", lambda: now[0])

        def forget() -> None:  # (the process's pause-free clock over the fake counter)
            found = clocks._clocks.pop(meters.perf_counter, None)
            if found is not None:
                found.close()

        self.addCleanup(forget)

        def slow(phase: str, info: dict[str, Any]) -> None:
            if phase == "start":
                now[0] += 5.0  # (the collection takes five seconds)

        m = Meters(Clock())
        gc.callbacks.append(slow)
        self.addCleanup(gc.callbacks.remove, slow)
        with m.timing(7):
            now[0] += 0.25
            gc.collect()
        self.assertEqual(m.window(7)[1], 0.25)
        self.assertFalse(m.resting(7))


BUSY = """
def ping(data):
    timers.after(1, "ping")

timers.after(1, "ping")

def verb_poke(actor, *rest):
    actor.tell("poked")
"""


LISTENS = """
def on_hear(actor, text):
    actor.tell("heard")
"""


WINDS = """
def verb_wind(actor, *rest):
    timers.after(1, "chime")
    actor.tell("wound")

def chime(data):
    here.emote("chimes")
"""


class ServerTests(TestCase):
    """
    Through the harness: whose doing each second is, who rests, and what
    @quota says.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.runtime = self.s.world.server.scripts

    def busy(self) -> None:
        """
        Twenty alts take more than the ceiling, each under his own share.
        """
        for account in range(10_000, 10_020):
            self.runtime.meters.seconds(account, HEAVY)

    def test_a_players_pokes_count_toward_her(self) -> None:
        """
        Carol's pokes of Alice's drum are counted toward Carol, not Alice.
        """
        s = self.s
        timed_blocks_take(s.world, 0.01)
        make(s.alice, "drum", BUSY)
        s.read()
        alice, carol = s.character("Alice").id, s.character("Carol").id
        before = self.runtime.meters.caused(alice)
        self.assertIn("poked", s.carol.send("poke drum"))
        self.assertEqual(self.runtime.meters.caused(alice), before)
        self.assertGreater(self.runtime.meters.caused(carol), 0)

    def test_commits_count_toward_whose_doing_they_were(self) -> None:
        """
        Committing a turn is counted as its workers' scripts were: the
        part of a verb Carol typed of Alice's toward Carol, the part of
        Alice's handler her words woke toward Alice.
        """
        s = self.s
        alice, carol = s.character("Alice").id, s.character("Carol").id

        turn = SimpleNamespace(workers={}, commit_seconds=2.0, written=0)
        self.runtime._spent(turn, alice, 10, carol, (carol, True))
        self.runtime._spent(turn, alice, 10, carol)
        self.runtime.charge_commit(turn)
        self.assertEqual(self.runtime.meters.caused(carol), 1.0)
        self.assertEqual(self.runtime.meters.caused(alice), 1.0)
        self.assertEqual(self.runtime.meters.caused(alice, own=True), 0.0)

    def test_handlers_her_words_wake_count_toward_their_owner(self) -> None:
        """
        Alice's listening drum, woken by what Carol says, is counted toward
        Alice (as what others woke), not toward Carol.
        """
        s = self.s
        timed_blocks_take(s.world, 0.01)
        make(s.alice, "drum", LISTENS)
        s.read()
        alice, carol = s.character("Alice").id, s.character("Carol").id
        self.assertIn("heard", s.carol.send("say hello"))
        self.assertEqual(self.runtime.meters.caused(carol), 0.0)
        self.assertGreater(self.runtime.meters.caused(alice), 0.0)
        self.assertGreater(self.runtime.meters.caused(alice),
                           self.runtime.meters.caused(alice, own=True))

    def test_handlers_the_world_pays_for_count_toward_their_owner(self) -> None:
        """
        Alice's handler woken by a world's script's move (Biscuit follows
        Carol into a room of Alice's: the world pays) is counted toward
        Alice as what others woke, not toward Carol nor the world.
        """
        s = self.s
        timed_blocks_take(s.world, 0.01)
        make(s.alice, "drum", LISTENS)
        s.read()
        alice, carol = s.character("Alice").id, s.character("Carol").id
        with s.world.store.turn() as turn:
            drum = next(o for o in turn.root.all() if o.name == "drum")
            self.runtime.react(turn, drum, "on_hear", (turn.root.get(carol), "woof"),
                               actor=turn.root.get(carol), payer=None)
        self.assertEqual(self.runtime.meters.caused(carol), 0.0)
        self.assertEqual(self.runtime.meters.caused(None), 0.0)
        self.assertGreater(self.runtime.meters.caused(alice),
                           self.runtime.meters.caused(alice, own=True))

    def test_a_held_player_wakes_no_handlers(self) -> None:
        """
        A player held for her own doings (alts each over the level) wakes
        nobody's handlers with her words meanwhile: what they take would
        be their owners', but she may not go on spending the server so.
        """
        s = self.s
        make(s.alice, "drum", LISTENS)
        s.read()
        carol = s.character("Carol").id
        self.busy()
        self.runtime.meters.seconds(carol, MODERATE)
        said = flat(s.carol.send("say hello"))
        self.assertNotIn("heard", said)
        self.assertIn("you took more than your part", said)
        self.assertIn("heard", s.bob.send("say hello"))

    def test_a_timer_of_a_held_players_doing_waits(self) -> None:
        """
        A timer Carol's use of Alice's clock set (her doing) falling due
        while Carol is held waits, not used up, and fires once she is not.
        """
        s = self.s
        make(s.alice, "clock", WINDS)
        s.read()
        carol = s.character("Carol").id
        self.assertIn("wound", s.carol.send("wind clock"))
        self.busy()
        self.runtime.meters.seconds(carol, MODERATE)
        s.world.clock.advance(1.5)
        self.assertNotIn("chimes", s.carol.output())
        with s.world.store.turn() as turn:
            pending = [t for t in timers.registry(turn.root).live.values()
                       if t.host.name == "clock"]
        self.assertEqual(len(pending), 1)
        s.world.clock.advance(meters.CPU_WINDOW)
        self.assertIn("chimes", s.carol.output())

    def test_held_listeners_take_no_place(self) -> None:
        """
        The listening things of an owner held for what others wake of his
        scripts take none of the places a happening wakes (as a resting
        owner's take none), so that held alts cannot crowd out the others.
        """
        s = self.s
        make(s.alice, "drum", LISTENS)
        make(s.bob, "bell", LISTENS.replace("heard", "rang"))
        s.read()
        alice, carol = s.character("Alice").id, s.character("Carol").id
        self.busy()
        for player in range(300, 303):
            self.runtime.meters.seconds(alice, 0.7, player)
        with s.world.store.turn() as turn:
            room = turn.root.get(carol).location
            found = [obj.name for obj in fanout.listeners(self.runtime, turn, room, "on_hear")]
        self.assertEqual(found, ["bell"])
        said = s.carol.send("say hello")
        self.assertIn("rang", said)
        self.assertNotIn("heard", said)

    def test_held_owner_rests_and_quota_says_why(self) -> None:
        """
        Alice, over the fair level of a busy server, rests: her own poke
        does nothing, and @quota says the server is busy and she rests;
        Carol, who took little, still pokes Alice's drum (her doing) and
        Bob's bell.
        """
        s = self.s
        make(s.alice, "drum", BUSY)
        make(s.bob, "bell", BUSY.replace("poked", "rung"))
        s.read()
        alice = s.character("Alice").id
        self.busy()
        self.runtime.meters.seconds(alice, MODERATE)
        said = flat(s.alice.send("@quota"))
        self.assertIn("The server's scripts are busy", said)
        self.assertIn("so you rest", said)
        said = flat(s.alice.send("poke drum"))
        self.assertNotIn("poked", said)
        self.assertIn("you took more than your part", said)
        self.assertIn("rung", s.carol.send("poke bell"))
        self.assertIn("poked", s.carol.send("poke drum"))
        self.assertNotIn("so you rest", flat(s.carol.send("@quota")))

    def test_held_builder_cannot_build(self) -> None:
        """
        A builder held for the ceiling is refused building commands, and
        told why.
        """
        s = self.s
        alice = s.character("Alice").id
        self.busy()
        self.runtime.meters.seconds(alice, MODERATE)
        said = flat(s.alice.send("@dig Ninth Vault"))
        self.assertIn("The server's scripts are busy", said)
        self.assertRaises(AssertionError, s.thing, "Ninth Vault")

    def test_held_owner_cannot_save(self) -> None:
        """
        Saving a script compiles and runs it at its owner's cost: refused
        while he is held, and he is told why.
        """
        s = self.s
        make(s.alice, "drum", BUSY)
        s.read()
        alice = s.character("Alice").id
        self.busy()
        self.runtime.meters.seconds(alice, MODERATE)
        said = flat(script(s.alice, "drum", LISTENS))
        self.assertIn("you took more than your part", said)
        self.assertIn("Nothing was saved", said)
        with s.world.store.turn() as turn:
            drum = next(o for o in turn.root.all() if o.name == "drum")
            self.assertIn("verb_poke", script_of(drum).source)

    def test_held_owners_timers_wait(self) -> None:
        """
        Alice's timer falling due while she is held waits (it is not used
        up), and she is told.
        """
        s = self.s
        make(s.alice, "drum", BUSY)
        self.assertIn("poked", s.alice.send("poke drum"))  # (loaded: its timer set)
        s.read()
        alice = s.character("Alice").id
        self.busy()
        self.runtime.meters.seconds(alice, MODERATE)
        s.world.clock.advance(1.5)
        said = flat(s.alice.output())
        self.assertIn("your timers wait", said)
        with s.world.store.turn() as turn:
            pending = [t for t in timers.registry(turn.root).live.values()
                       if t.host.name == "drum"]
        self.assertEqual(len(pending), 1)
        self.assertGreater(pending[0].due, s.world.clock.seconds())


class WorldScriptsTests(TestCase):
    """
    What a player wakes of the world's own scripts is counted toward her.
    """

    def test_ringing_the_worlds_bell_counts_toward_the_ringer(self) -> None:
        world = TestWorld(content=DEFAULT, build=None)
        self.addCleanup(world.close)
        timed_blocks_take(world, 0.05)
        ann = world.login("Ann")
        walk(ann, "north", "north", "west")
        ann.output()
        runtime = world.server.scripts
        with world.store.turn() as turn:
            ann_id = next(o.id for o in turn.root.all() if o.name == "Ann")
        before = runtime.meters.caused(None)
        self.assertIn("clangs", flat(ann.send("ring bell")))
        self.assertEqual(runtime.meters.caused(None), before)
        self.assertGreater(runtime.meters.caused(ann_id), 0)


TICKS = """
def ping(data):
    timers.after(EVERY, "ping")
    here.emote("ticks")

def verb_start(actor, *rest):
    timers.after(EVERY, "ping")
    actor.tell("started")
"""


class AltsTests(TestCase):
    """
    Twelve alts' timers, each within its own share (three seconds of the
    server's time a minute), together past the ceiling, with an honest
    builder's slow clock among them.
    """

    def test_the_ceiling_holds_and_the_honest_clock_ticks(self) -> None:
        """
        Over two minutes, all scripts together take no more than the
        ceiling (and a block each for the alts that cross the level), not
        the twelve shares; the honest clock, under the level, ticks every
        time.
        """
        world = TestWorld()
        self.addCleanup(world.close)
        alts = [world.login("Alt" + letter, role="builder", address=f"10.0.1.{n}")
                for n, letter in enumerate("abcdefghijkl")]
        honest = world.login("Honor", role="builder", address="10.0.2.1")
        for n, alt in enumerate(alts):
            make(alt, f"drum{n}", TICKS.replace("EVERY", "1"))
            self.assertIn("started", alt.send(f"start drum{n}"))
        make(honest, "clock", TICKS.replace("EVERY", "10"))
        self.assertIn("started", honest.send("start clock"))
        block = 0.1
        timed_blocks_take(world, block)
        runtime = world.server.scripts
        self.assertGreater(12 * meters.CPU_SECONDS, meters.SERVER_SECONDS)
        for _ in range(60):
            world.clock.advance(1)
        honest.output()
        for _ in range(60):
            world.clock.advance(1)
        self.assertLessEqual(runtime.meters.server_seconds(),
                             meters.SERVER_SECONDS + 12 * block + block)
        self.assertTrue(runtime.meters.busy())
        self.assertEqual(flat(honest.output()).count("clock ticks"), 6)
