# -*- test-case-name: tests.redteam_world.test_r9_fair_coins -*-
"""
Issue 9, round 9: the vending machine and Saltmere's three coins are
shared fairly.

One player could card the machine SOLD OUT for good (it sold 100 twists in
all: cycle the three coins through it), or pick up all three coins and sit
on them, so nobody else could buy. Now it sells a stock a day, a few
twists a day to each buyer, and a coin left unspent too long is called in
to the sea chest in the smugglers' cave: rolled back if it lies loose, or,
if someone keeps it (hands, seal), destroyed there (the world's thing,
only taken) and a new one like it made in the chest. content/world/
vending.py explains the choice.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.testing import TestWorld
from scripting.facets import state
from tests.content.test_default_world import DEFAULT
from tests.content.test_scripted import walk
from tests.redteam_world.test_consent import carried

#: content/world/vending.py's numbers.
RESTOCK = 300
STOCK = 100
PER_BUYER = 5
DAY = 24 * 3600
CALL_IN = 2 * 3600
CHECK = 600


class Shared:
    def setUp(self) -> None:
        self.world = TestWorld(content=DEFAULT, build=None)
        self.addCleanup(self.world.close)
        self.alice = self.world.login("Alice")
        self.bob = self.world.login("Bob")
        walk(self.alice, "north")
        walk(self.bob, "north")
        self.alice.send("look machine")  # (its rounds begin)
        self.alice.output()
        self.bob.output()

    def wait(self, seconds: int) -> None:
        """Let C{seconds} pass, a look for coins due at a time."""
        while seconds > 0:
            self.world.clock.advance(min(seconds, CHECK))
            seconds -= CHECK

    def from_chest(self, player, coin: str) -> str:  # type: ignore[no-untyped-def]
        """Walk from the market to the sea chest, take C{coin}, and walk back."""
        for step in ("south", "down", "in"):
            player.send(step)
        said = player.send(f"get {coin} from chest")
        for step in ("out", "up", "north"):
            player.send(step)
        return said

    def named(self, name: str) -> list[int]:
        with self.world.store.turn() as turn:
            return [o.id for o in turn.root.all() if o.name == name]

    def buy(self, player, coin: str = "shilling") -> str:  # type: ignore[no-untyped-def]
        """Pick up the coin from the tray, put it in, take the whelks; wait for the coin."""
        player.send(f"get {coin}")
        said = " ".join(player.send(f"put {coin} in machine").split())
        player.send("get whelks")
        self.world.clock.advance(RESTOCK + 1)
        return said


class ShareTests(Shared, TestCase):
    def test_a_share_a_day(self) -> None:
        """
        Alice buys her PER_BUYER twists; her next coin drops back; Bob
        still buys; the next day she buys again.
        """
        for _ in range(PER_BUYER):
            self.assertIn("drops a paper twist of whelks into its tray for Alice",
                          self.buy(self.alice))
        said = self.buy(self.alice)
        self.assertIn("TWISTS A DAY EACH", said)
        self.assertNotIn("paper twist of whelks into its tray", said)
        self.assertIn("into its tray for Bob", self.buy(self.bob))
        self.wait(DAY)
        self.from_chest(self.alice, "shilling")
        self.assertIn("into its tray for Alice", self.buy(self.alice))

    def test_sold_out_until_the_next_round(self) -> None:
        """Sold out (its day's STOCK sold), it is full again the next day."""
        with self.world.store.turn() as turn:
            machine = next(o for o in turn.root.all() if o.name == "brass vending machine")
            state.set_value(turn.root, machine, "sold", STOCK)
        self.assertIn("SOLD OUT until the whelk-man's next round", self.buy(self.alice))
        self.wait(DAY)
        self.from_chest(self.alice, "shilling")
        self.assertIn("into its tray for Alice", self.buy(self.alice))


class CallInTests(Shared, TestCase):
    def test_a_loose_coin_rolls_back_to_the_chest(self) -> None:
        """The shilling left on the harbour wall turns up in the sea chest."""
        self.alice.send("get shilling")
        self.alice.send("south")
        self.alice.send("drop shilling")
        self.wait(CALL_IN + CHECK + 1)
        self.assertIn("silver shilling", carried(self, "sea chest"))
        self.assertIn("A silver shilling leaves.", self.alice.output())
        self.assertNotIn("shilling", self.alice.send("look"))

    def test_a_hoarded_coin_is_called_in(self) -> None:
        """
        Alice sits on the shilling: it crumbles in her hands (she is told)
        and a new one turns up in the chest, which the machine takes.
        """
        old = self.named("silver shilling")
        self.alice.send("get shilling")
        self.wait(CALL_IN + CHECK + 1)
        self.assertIn("vanishes", self.alice.output())
        self.assertEqual(carried(self, "Alice"), [])
        self.assertEqual(carried(self, "sea chest").count("silver shilling"), 1)
        self.assertNotEqual(self.named("silver shilling"), old)
        self.assertIn("You take", self.from_chest(self.bob, "shilling"))
        said = " ".join(self.bob.send("put shilling in machine").split())
        self.assertIn("into its tray for Bob", said)

    def test_a_sealed_coin_is_called_in(self) -> None:
        """In Alice's own sealed box, the coin is called in all the same."""
        self.world.set_role("Alice", "player")
        self.alice.send("@create container box")
        self.alice.send("@set box/sealed = true")
        self.alice.send("get shilling")
        self.alice.send("put shilling in box")
        self.assertEqual(carried(self, "box"), ["silver shilling"])
        self.wait(CALL_IN + CHECK + 1)
        self.assertEqual(carried(self, "box"), [])
        self.assertEqual(carried(self, "sea chest").count("silver shilling"), 1)

    def test_a_spent_coin_is_dated_afresh(self) -> None:
        """
        A coin that rolled out of the machine is not called in until
        CALL_IN after that.
        """
        self.wait(CALL_IN - RESTOCK - CHECK)
        self.buy(self.alice)
        self.alice.send("get shilling")
        self.wait(CHECK * 2)
        self.assertEqual(carried(self, "Alice"), ["paper twist of whelks", "silver shilling"])

    def test_the_chest_stays_put(self) -> None:
        """
        Nobody carries the sea chest off (the coins called back into it
        would be theirs to sit on).
        """
        self.bob.send("south")
        self.bob.send("down")
        self.bob.send("in")
        self.assertIn("wedged into the rock", self.bob.send("get chest"))
