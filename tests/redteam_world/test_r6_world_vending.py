# -*- test-case-name: tests.redteam_world.test_r6_world_vending -*-
"""
Putting out of a container when the place is full, destroy's spill, and
the default world's vending machine (issue 9, round 6).

A few accounts filled the fish market to the ceiling of things per place
and the vending machine with junk: the machine could give nothing back
(its tray, the market, was full), so no coin fitted and nobody could buy
again; each look and arrival read all it held. Its three sales took the
world's three coins for good. Now what a container puts out that the full
place cannot take goes back into its owner's hands, as a destroyed box's
contents do, and she is told (as she now is after a destroy); the machine
looks through what it holds at most every half minute, and its coins roll
back out after a while, until it is honestly sold out.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.testing import TestWorld
from scripting.facets import grants, state
from tests.content.test_default_world import DEFAULT
from tests.redteam_world import test_r5_leftovers
from tests.redteam_world.test_crowded_rooms import loaded
from tests.redteam_world.test_r5_leftovers import EJECTOR
from tests.redteam_world.test_sealed import sealed_slot
from tests.scripts.helpers import flat, script
from world import containment
from world.objects import Thing


def named(root, name: str):
    return next(o for o in root.all() if o.name == name)


def fill(root, place, owner=None) -> None:
    """
    Pile litter into C{place} up to the ceiling of things per place.
    """
    for n in range(containment.MAX_CONTENTS - place.contents.count_things()):
        root.create(Thing, f"litter {n}", location=place, owner=owner)


class SpillToldTests(TestCase):
    """
    The start room full, Bob destroys his workshop (as in
    L{test_r5_leftovers.DestroyIntoAFullStartRoomTests}).
    """

    setUp = test_r5_leftovers.DestroyIntoAFullStartRoomTests.setUp

    def test_owners_told(self) -> None:
        """
        Alice, whose pebble came back into her hands, and Bob, whose anvil
        did, are told why.
        """
        said = flat(self.bob.send(f"@destroy #{self.shop}"))
        self.assertIn("The anvil came back into your hands when Workshop was destroyed: "
                      "Town Square was too full to take it.", said)
        heard = flat(self.alice.output())
        self.assertIn("The pebble came back into your hands", heard)


class PutOutIntoAFullRoomTests(TestCase):
    """
    Bob's sealed slot, with Alice's gem in it, in a town square full to the
    ceiling; the slot's script puts out what it holds.
    """

    def setUp(self) -> None:
        self.s = sealed_slot(self)
        script(self.s.bob, "slot", EJECTOR)
        self.s.alice.send("@create gem")
        self.s.alice.send("put gem in slot")
        with self.s.world.store.turn() as turn:
            fill(turn.root, turn.root.start_room)
        self.s.read()

    def where(self, name: str) -> str:
        return self.s.thing(name).location.name

    def test_back_into_her_hands(self) -> None:
        """
        The gem the full square cannot take goes back into Alice's hands,
        and she is told.
        """
        self.assertIn("put out", self.s.bob.send("empty slot"))
        self.assertEqual(self.where("gem"), "Alice")
        self.assertIn("The gem came back into your hands from the slot",
                      flat(self.s.alice.output()))

    def test_not_with_anothers_thing_inside(self) -> None:
        """
        A pouch of Alice's holding Carol's ring stays in the slot: it goes
        into nobody's hands with another's thing in it.
        """
        self.s.alice.send("@create container pouch")
        self.s.carol.send("@create ring")
        self.s.carol.send("give ring to alice")
        self.s.alice.send("put ring in pouch")
        with self.s.world.store.turn() as turn:
            containment.move(named(turn.root, "pouch"), named(turn.root, "slot"))
        said = flat(self.s.bob.send("eject pouch with slot"))
        self.assertIn("refused", said)
        self.assertEqual(self.where("pouch"), "slot")

    def test_another_owners_sealed_box_holds(self) -> None:
        """
        A control facet of Bob's sealed slot in a script of Carol's cannot
        put out what the seal holds: the seal holds against all but its
        owner, whoever holds the facet.
        """
        self.s.carol.send("@create lever")
        with self.s.world.store.turn() as turn:
            root = turn.root
            bob, carol = named(root, "Bob"), named(root, "Carol")
            lever, slot = named(root, "lever"), named(root, "slot")
            lever.owner = bob.id  # granted as Bob's, then Carol's (no command does this)
            grants.grant(root, bob.id, lever, "slot", slot, "control")
            lever.owner = carol.id
            root.start_room.contents.remove(named(root, "litter 0"))
        said = flat(script(self.s.carol, "lever", """
            def verb_pull(actor, *rest):
                for thing in grants["slot"].contents:
                    try:
                        grants["slot"].put_out(thing)
                    except Exception as e:
                        actor.tell("refused: " + str(e))
                        return
                    actor.tell("put out")
            """))
        self.assertIn("saved", said.lower())
        self.assertIn("refused: The slot won't let go of the gem.",
                      flat(self.s.carol.send("pull lever")))
        self.assertEqual(self.where("gem"), "slot")


class VendingTests(TestCase):
    """
    The default world's fish market, its vending machine.
    """

    def setUp(self) -> None:
        self.world = TestWorld(content=DEFAULT, build=None)
        self.addCleanup(self.world.close)
        self.alice = self.world.login("Alice", role="player")
        self.mallory = self.world.login("Mallory")
        for player in (self.alice, self.mallory):
            player.send("north")
        self.alice.send("get shilling")
        self.alice.output()
        self.mallory.output()

    def machine(self, turn):
        return named(turn.root, "brass vending machine")

    def test_junk_goes_home_from_a_full_market(self) -> None:
        """
        The market full, the machine full of Mallory's junk: a look makes
        it put ten back into Mallory's hands a second later, and a coin
        fits and buys again (its whelks wait inside the full machine's
        tray until there is room).
        """
        with self.world.store.turn() as turn:
            machine = self.machine(turn)
            mallory = named(turn.root, "Mallory")
            for n in range(containment.MAX_CONTENTS):
                turn.root.create(Thing, f"junk {n}", location=machine, owner=mallory.id)
            fill(turn.root, machine.location)
        self.assertIn("cannot hold any more things", self.alice.send("put shilling in machine"))
        self.alice.send("look machine")
        self.world.clock.advance(2)
        with self.world.store.turn() as turn:
            self.assertEqual(len(named(turn.root, "Mallory").contents), 10)
        self.assertIn("came back into your hands from the brass vending machine",
                      flat(self.mallory.output()))
        said = flat(self.alice.send("put shilling in machine"))
        self.assertIn("a paper twist of whelks for Alice waits inside", said)

    def test_a_look_reads_little(self) -> None:
        """
        Full of junk nobody can take (the market full, the junk the
        world's), a second look within half a minute reads no more than a
        look at an empty machine does: it does not look through it again.
        """
        counts = []
        for junk in (0, containment.MAX_CONTENTS):
            with self.world.store.turn() as turn:
                machine = self.machine(turn)
                for n in range(junk):
                    turn.root.create(Thing, f"junk {n}", location=machine)
                fill(turn.root, machine.location)
            self.alice.send("look machine")
            self.world.clock.advance(2)
            count = loaded(self.world.store)
            self.alice.send("look machine")
            counts.append(count())
            self.world.clock.advance(60)
            with self.world.store.turn() as turn:
                market = self.machine(turn).location
                for thing in [t for t in market.contents if t.name.startswith("litter")]:
                    turn.root.destroy(thing)
        self.assertLess(counts[1], counts[0] + 50, counts)

    def test_the_coin_comes_back(self) -> None:
        """
        Some minutes after a sale the coin rolls back out into the tray,
        for the next buyer.
        """
        self.alice.send("put shilling in machine")
        self.alice.send("get whelks")
        self.world.clock.advance(301)
        self.assertIn("a coin rolls out into the tray", flat(self.alice.output()))
        self.assertIn("You pick up the silver shilling", self.alice.send("get shilling"))
        self.assertIn("drops a paper twist of whelks", self.alice.send("put shilling in machine"))
        self.assertIn("2 sold", self.alice.send("look machine"))

    def test_honestly_sold_out(self) -> None:
        """
        Its stock sold, it says SOLD OUT and gives the coin back.
        """
        self.alice.send("put shilling in machine")
        self.alice.send("get whelks")
        with self.world.store.turn() as turn:
            state.set_value(turn.root, self.machine(turn), "sold", 100)
        self.world.clock.advance(301)
        self.alice.send("get shilling")
        said = flat(self.alice.send("put shilling in machine"))
        self.assertIn("SOLD OUT", said)
        self.assertIn("silver shilling", self.alice.send("look"))
        self.assertIn("SOLD OUT", self.alice.send("look machine"))

