"""
Consent, attacked again through every way a script reaches a character's
holdings: library code, a facet of the character kept from a handler and
used in another player's verb, a container's own script while someone
carries it, a room filled so that nothing more can be put down there; and,
over a real socket, a planting handler and a thing that jumps back. Each
of these held when tried; the tests keep it so.
"""

from __future__ import annotations

from twisted.internet import defer
from twisted.trial.unittest import TestCase

from engine.testing import LiveServer, TelnetPlayer
from tests.redteam_world.test_consent import carried
from tests.scripts.helpers import Scene, make, script
from world import containment
from world.objects import Thing


class PlantingPathsTests(TestCase):
    """
    No path of the scripting API puts a thing into the hands of a player
    who did not ask for it.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_library_code_cannot_plant(self) -> None:
        """
        Library code runs with the authority of the script that calls it: a
        handler that plants through a library is refused as if it planted
        itself.
        """
        self.s.bob.send("@library planting")
        for line in ('exports = ("plant",)', "def plant(maker, who):",
                     '    maker.create("thing", "cursed doll").move_to(who)'):
            self.s.bob.send(line)
        self.assertIn("it exports plant", self.s.bob.send("."))
        make(self.s.bob, "gremlin", """
            import planting
            def on_look(actor):
                planting.plant(this, actor)
            """)
        self.s.carol.send("look gremlin")
        self.assertEqual(carried(self.s, "Carol"), [])

    def test_kept_facet_used_in_another_players_verb(self) -> None:
        """
        The facet of Carol kept from her look is no leave to fill her hands
        when Alice types the gremlin's verb.
        """
        make(self.s.bob, "gremlin", """
            def on_look(actor):
                state.set("victim", actor)

            def verb_dump(actor, *rest):
                this.create("thing", "cursed doll").move_to(state.get("victim"))
            """)
        self.s.carol.send("look gremlin")
        said = self.s.alice.send("dump gremlin")
        self.assertIn("has not asked for", said + self.s.bob.output())
        self.assertEqual(carried(self.s, "Carol"), [])

    def test_carried_container_cannot_swallow(self) -> None:
        """
        A satchel Bob gave Carol cannot, on its own timer, pull a thing from the
        room into itself: what she carries changes only when she acts.
        """
        self.s.bob.send("@create container satchel")
        script(self.s.bob, "satchel", """
            def verb_arm(actor, *rest):
                pebble = this.create("thing", "pebble")
                pebble.move_to(this.room())
                state.set("pebble", pebble)
                timers.after(5, "swallow")

            def swallow(data):
                state.get("pebble").move_to(this)
            """)
        self.s.bob.send("arm satchel")
        self.assertEqual(self.s.thing("pebble").location.name, "Town Square")
        self.s.bob.send("give satchel to carol")
        self.s.world.clock.advance(6)
        self.assertEqual(carried(self.s, "satchel"), [])
        self.assertEqual(self.s.thing("pebble").location.name, "Town Square")

    def test_handler_met_character_is_listed_in_holders(self) -> None:
        """
        A timer that meets Carol in its room (here.characters) holds a facet
        of her that she sees in @holders and can revoke.
        """
        make(self.s.bob, "watcher", """
            def verb_watch(actor, *rest):
                timers.after(5, "look_round")

            def look_round(data):
                state.set("seen", [c for c in here.characters])
            """)
        self.s.bob.send("watch watcher")
        self.s.world.clock.advance(6)
        listed = self.s.carol.send("@holders")
        self.assertIn("watcher, Bob's: was handed you", listed)
        self.assertIn("Revoked: watcher", self.s.carol.send("@holders/revoke all"))


class SealedInHandsTests(TestCase):
    """
    A sealed container someone carries is theirs to open: otherwise its
    owner, by sealing it (before or after), keeps what they put in, and
    they can be rid of it only by giving up their own things with it.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.bob.send("@create container purse")
        self.s.bob.send("give purse to carol")
        self.s.carol.send("@create ring")
        self.s.carol.send("put ring in purse")
        self.s.read()

    def test_sealed_after(self) -> None:
        """
        Bob seals the purse from afar once Carol's ring is in it: she still
        takes her ring out (his seal is refused: rules.check_seal).
        """
        self.s.bob.send("north")
        self.s.bob.send(f"@set #{self.s.thing('purse').id}/sealed = true")
        self.assertIn("You take the ring from the purse",
                      self.s.carol.send("get ring from purse"))
        self.assertEqual(carried(self.s, "Carol"), ["purse", "ring"])

    def test_still_sealed_on_the_floor(self) -> None:
        """
        Put down, the purse is sealed again for everyone but Bob (sealed
        before Carol put her ring in: not after, rules.check_seal).
        """
        self.s.carol.send("get ring from purse")
        self.s.bob.send(f"@set #{self.s.thing('purse').id}/sealed = true")
        self.s.carol.send("put ring in purse")
        self.s.carol.send("drop purse")
        self.assertIn("won't let go", self.s.carol.send("get ring from purse"))
        self.assertIn("won't let go", self.s.alice.send("get ring from purse"))
        self.assertEqual(carried(self.s, "purse"), ["ring"])


class GettingRidInAFullRoomTests(TestCase):
    """
    A room filled to its ceiling refuses a drop, saying why, and loses
    nothing: the player gets rid of what was handed to them in the next
    room (or at home), since no one can fill every room.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.bob.send("@create cursed doll")
        self.s.bob.send("give doll to carol")
        square_id = self.s.thing("Town Square").id
        with self.s.world.store.turn() as turn:
            square = turn.root.get(square_id)
            room = containment.MAX_CONTENTS - sum(
                1 for o in square.contents if o.kind != "character")
            for n in range(room):
                turn.root.create(Thing, f"junk {n}", location=square)
        self.s.read()

    def test_drop_elsewhere(self) -> None:
        said = self.s.carol.send("drop doll")
        self.assertIn("cannot hold any more things", said)
        self.assertEqual(carried(self.s, "Carol"), ["cursed doll"])
        self.s.carol.send("north")
        self.assertIn("You drop the cursed doll", self.s.carol.send("drop doll"))
        self.assertEqual(carried(self.s, "Carol"), [])

    def test_full_room_refuses_scripts_too(self) -> None:
        """
        Nor can a script pile anything more there from the next room.
        """
        make(self.s.alice, "piler", """
            def verb_pile(actor, *rest):
                junk = this.create("thing", "extra junk")
                for e in here.exits:
                    if e.destination.name == "Town Square":
                        try:
                            junk.move_to(e.destination)
                            actor.tell("piled")
                        except Exception as err:
                            actor.tell("refused: " + str(err))
            """, drop=False)
        self.s.alice.send("north")
        self.s.alice.send("drop piler")
        said = self.s.alice.send("pile piler")
        self.assertIn("refused: Town Square cannot hold any more things", said)
        self.assertEqual(self.s.thing("extra junk").location.name, "Market")


PLANTER = [
    "def on_look(actor):",
    "    this.create('thing', 'cursed doll').move_to(actor)",
]

LEECH = [
    "def on_drop(actor):",
    "    this.move_to(actor)",
]


class ConsentLiveTests(TestCase):
    """
    Over real telnet: a handler cannot plant a thing on a player who looks,
    and a thing dropped cannot jump back into their hands.
    """

    timeout = 120

    async def scripted(self, player: TelnetPlayer, name: str, lines: list[str]) -> None:
        player.send(f"@create {name}")
        await player.expect(f"You create {name}")
        player.send(f"@script {name}")
        await player.expect(f"Writing the script on {name}.")
        for line in lines:
            player.send(line)
        player.send(".")
        await player.expect(f"Saved the script on {name}")

    async def scenario(self) -> None:
        _, dora, eve = await LiveServer.world_of(self, "Dora", "Eve")

        await self.scripted(dora, "gremlin", PLANTER)
        dora.send("drop gremlin")
        await dora.expect("You drop the gremlin")
        eve.send("look gremlin")
        await eve.expect("The script on gremlin failed")
        eve.send("inventory")
        await eve.expect("You are carrying nothing.")
        await dora.expect("has not asked for")

        await self.scripted(dora, "leech", LEECH)
        dora.send("give leech to eve")
        await eve.expect("Dora gives you a leech")
        eve.send("drop leech")
        await eve.expect("You drop the leech")
        eve.send("inventory")
        await eve.expect("You are carrying nothing.")

    def test_planting_refused_end_to_end(self) -> defer.Deferred:
        """
        The consent attacks of issue 9, as players type them.
        """
        return defer.ensureDeferred(self.scenario())


TRACKER = """
def verb_arm(actor, *rest):
    timers.after(5, "report")

def report(data):
    room = this.room()
    place = this.location
    seen = []
    if room is not None:
        seen = [c.name for c in room.characters] + [t.name for t in room.contents]
    this.set_property("report", (room.name if room else "unknown") + "/"
                      + (place.name if place else "unknown") + "/" + ",".join(seen) + "/"
                      + (here.name if here is not None else "none"))

def on_look(actor):
    state.set("looker", actor)

def verb_hum(actor, *rest):
    state.set("carrier", actor)
    timers.after(5, "whisper")

def whisper(data):
    said = []
    for who in (state.get("looker"), state.get("carrier")):
        try:
            who.tell("psst")
            said.append("told")
        except Exception:
            said.append("refused")
    this.set_property("whispers", ",".join(said))

def verb_rub(actor, *rest):
    room = this.room()
    actor.tell("you are in " + (room.name if room else "unknown"))
    here.emote("glows")
"""


class GiftedTrackerTests(TestCase):
    """
    A scripted thing given to Carol rides in her pocket: it perceives
    nothing of where she goes or who is with her (as it hears nothing said
    around her), except while she uses it herself.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "locket", TRACKER, drop=False)
        self.s.bob.send("arm locket")
        self.s.bob.send("give locket to carol")
        self.s.carol.send("north")
        self.s.world.clock.advance(6)
        self.s.read()

    def test_timer_sees_nothing(self) -> None:
        report = self.s.thing("locket").properties.get("report")
        self.assertEqual(report, "unknown/unknown//none")

    def test_no_oracle_from_the_pocket(self) -> None:
        """
        The locket kept Alice's facet when she looked at it; from Carol's
        pocket it cannot tell whether Alice is beside Carol by trying to
        whisper to her. It may still whisper to Carol, who carries it.
        """
        self.s.carol.send("south")
        self.s.carol.send("drop locket")
        self.s.alice.send("look locket")
        self.s.carol.send("get locket")
        self.s.carol.send("hum locket")
        self.s.carol.send("north")
        self.s.alice.send("north")
        self.s.world.clock.advance(6)
        self.assertEqual(self.s.thing("locket").properties.get("whispers"), "refused,told")
        self.assertIn("psst", self.s.carol.output())
        self.assertNotIn("psst", self.s.alice.output())

    def test_carrier_using_it(self) -> None:
        """
        Carol rubbing the locket is her own act: it may tell her where she
        is, and speak in her room.
        """
        self.assertIn("you are in Market", self.s.carol.send("rub locket"))
        self.assertIn("locket glows", self.s.carol.send("rub locket"))

    def test_owner_carrying_it_sees(self) -> None:
        """
        Bob's own things see where Bob carries them.
        """
        make(self.s.bob, "compass", TRACKER, drop=False)
        self.s.bob.send("arm compass")
        self.s.world.clock.advance(6)
        report = self.s.thing("compass").properties.get("report")
        self.assertTrue(report.startswith("Town Square/Bob/"), report)
        self.assertTrue(report.endswith("/Town Square"), report)
