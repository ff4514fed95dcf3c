"""
The six scripted things of the default world, each driven through simulated
sessions: the bell, the door that opens only for the key's holder, the
vending machine, the pet, the notice board and the clock.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.testing import TestWorld
from tests.content.test_default_world import DEFAULT
from world import containment
from world.objects import Thing
from world.scripts import script_of


def walk(player, *directions: str) -> None:
    for direction in directions:
        player.send(direction)


class ScriptedContentTests(TestCase):
    """
    Each example works the way a player meets it.
    """

    def setUp(self) -> None:
        self.world = TestWorld(content=DEFAULT, build=None)
        self.addCleanup(self.world.close)
        self.alice = self.world.login("Alice", role="player")
        self.bob = self.world.login("Bob")
        self.alice.output()
        self.bob.output()

    def both(self, *directions: str) -> None:
        walk(self.alice, *directions)
        walk(self.bob, *directions)
        self.alice.output()
        self.bob.output()

    def test_all_attached_and_running(self) -> None:
        """
        Every content script was analysed at start and none is suspended.
        """
        with self.world.store.turn() as turn:
            scripted = [o for o in turn.root.all() if script_of(o) is not None]
            self.assertEqual(len(scripted), 6)
            for obj in scripted:
                record = script_of(obj)
                self.assertIsNone(record.suspended, obj.name)
                self.assertTrue(record.functions, obj.name)

    def test_bell(self) -> None:
        """
        'ring bell' clangs for the room, the bell counts, hums at its name.
        """
        self.both("north", "north", "west")
        self.alice.send("ring bell")
        self.assertIn("ship's bell clangs: DONG!", self.bob.output())
        self.assertIn("It has been rung 1 times.", self.bob.send("look bell"))
        self.alice.send("say what a bell")
        self.assertIn("hums faintly", self.bob.output())

    def test_door_opens_only_for_the_keys_holder(self) -> None:
        """
        Without the key the door stays shut; holding it, it opens; a minute
        later it shuts again. Someone else carrying a thing named 'iron key'
        does not count.
        """
        self.both("north", "north", "west", "down")
        self.assertIn("stays firmly shut", self.alice.send("open door"))
        self.assertIn("shut fast", self.alice.send("east"))
        walk(self.alice, "up", "up")
        self.alice.send("get key from bag")
        walk(self.alice, "down", "down")
        self.bob.output()
        self.assertIn("groans open", self.alice.send("unlock door with key"))
        self.assertIn("groans open", self.bob.output())
        self.assertIn("Smugglers' Passage", self.bob.send("east"))
        self.bob.send("west")
        self.world.clock.advance(60)
        self.assertIn("swings shut", self.bob.output())
        self.assertIn("shut fast", self.bob.send("east"))
        self.alice.send("give key to bob")
        self.assertIn("groans open", self.bob.send("open door"))

    def test_vending_machine(self) -> None:
        """
        A coin put in the machine buys whelks, dropped in its tray for the
        buyer to take; the coin stays in the sealed machine.
        """
        self.both("north")
        self.alice.send("get shilling")
        said = " ".join(self.alice.send("put shilling in machine").split())
        self.assertIn("drops a paper twist of whelks into its tray for Alice", said)
        self.assertNotIn("whelks", self.alice.send("inventory"))
        self.assertIn("You pick up the paper twist of whelks",
                      self.alice.send("get whelks"))
        self.assertIn("won't let go", self.alice.send("get shilling from machine"))
        self.assertIn("1 sold", self.bob.send("look machine"))
        self.alice.send("put whelks in machine")
        self.assertIn("That was not a coin", self.bob.output())

    def test_vending_machine_knows_real_coins(self) -> None:
        """
        The machine checks what it gets by capability, not by name: a thing
        a builder makes and calls 'silver shilling' (aliased coin) buys
        nothing.
        """
        self.world.set_role("Bob", "builder")
        self.both("north")
        self.bob.send("@create silver shilling")
        self.bob.send("@alias silver shilling = shilling, coin")
        said = self.bob.send("put shilling in machine")
        self.assertIn("That was not a coin", said)
        self.assertIn("0 sold", self.bob.send("look machine"))

    def machine(self, turn):
        return next(o for o in turn.root.all() if o.name == "brass vending machine")

    def test_vending_machine_gives_back_what_is_not_a_coin(self) -> None:
        """
        The machine keeps only its coins: anything else put in drops back
        out into its tray (the room: a script puts nothing into a player's
        hands unless they typed its verb), for whoever put it to take.
        """
        self.world.set_role("Bob", "builder")
        self.both("north")
        self.bob.send("@create tin can")
        said = " ".join(self.bob.send("put can in machine").split())
        self.assertIn("That was not a coin", said)
        self.assertIn("You pick up the tin can", self.bob.send("get can"))
        self.alice.send("get shilling")
        self.alice.send("put shilling in machine")
        self.alice.send("get whelks")
        self.alice.send("put whelks in machine")
        self.assertIn("You pick up the paper twist of whelks", self.alice.send("get whelks"))
        with self.world.store.turn() as turn:
            self.assertEqual([o.name for o in self.machine(turn).contents], ["silver shilling"])

    def test_vending_machine_full_of_junk_empties_itself(self) -> None:
        """
        A machine piled to the ceiling of things per place with junk (moved
        in by scripts whose moves woke nothing more) puts it out a second
        after it is looked at, so a coin goes in and buys again.
        """
        with self.world.store.turn() as turn:
            machine = self.machine(turn)
            for n in range(containment.MAX_CONTENTS):
                turn.root.create(Thing, f"junk {n}", location=machine)
        self.both("north")
        self.alice.send("get shilling")
        self.assertIn("cannot hold any more things", self.alice.send("put shilling in machine"))
        self.bob.send("look machine")
        self.world.clock.advance(2)
        self.alice.output()
        said = " ".join(self.alice.send("put shilling in machine").split())
        self.assertIn("drops a paper twist of whelks into its tray for Alice", said)

    def test_pet_follows_its_owner(self) -> None:
        """
        The first to pet Biscuit owns him; he follows them, not others.
        """
        self.assertIn("decides he is Alice's dog now", self.alice.send("pet dog"))
        self.assertIn("looks round for Alice", self.bob.send("pet dog"))
        self.bob.send("east")
        self.assertNotIn("Biscuit", self.bob.send("look"))
        self.bob.send("west")
        self.assertIn("Biscuit arrives.", self.alice.send("north"))
        self.alice.send("north")
        self.assertIn("Biscuit", self.alice.send("look"))

    def test_pet_forgets_an_owner_who_revokes(self) -> None:
        """
        Alice revokes what Biscuit holds of her: he no longer follows her,
        and waits for a new owner.
        """
        self.alice.send("pet dog")
        self.assertIn("Biscuit", self.alice.send("@holders"))
        self.alice.send("@holders/revoke all")
        self.alice.send("north")
        self.alice.send("south")
        self.assertIn("decides he is Bob's dog now", self.bob.send("pet dog"))

    def test_notice_board_keeps_messages(self) -> None:
        """
        Notes posted stay (in the board's state); only their author takes
        them down.
        """
        self.both("north", "north")
        self.alice.send("post Lost: one terrier, answers to Biscuit on board")
        self.assertIn("1. Lost: one terrier, answers to Biscuit (Alice)",
                      self.bob.send("read board"))
        self.assertIn("not your note", self.bob.send("remove 1 from board"))
        self.assertIn("1 note(s)", self.bob.send("look board"))
        self.alice.send("remove 1 from board")
        self.assertIn("bare", self.bob.send("read board"))

    def test_clock_strikes_by_timer(self) -> None:
        """
        The chapel clock's repeating timer chimes the quarters and strikes
        the hour.
        """
        self.both("north", "north", "north")
        for _ in range(3):
            self.world.clock.advance(900)
        heard = self.alice.output()
        self.assertIn("chimes the first quarter", heard)
        self.assertIn("chimes the third quarter", heard)
        self.world.clock.advance(900)
        self.assertIn("strikes 1: BONG.", self.alice.output())
