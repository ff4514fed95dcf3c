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
                junk = this.create("thing", "more junk")
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
        self.assertEqual(self.s.thing("more junk").location.name, "Market")


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
        server = LiveServer("--memory", "--content", "")
        self.addCleanup(server.stop)
        server.start()
        wizard = await server.connect()
        await wizard.expect("create <name>")
        wizard.send("create Wiz correct horse")  # the first account is the wizard
        await wizard.expect("Limbo")
        dora = await server.connect()
        eve = await server.connect()
        await dora.expect("create <name>")
        dora.send("create Dora correct horse")
        await dora.expect("Limbo")
        eve.send("create Eve correct horse")
        await eve.expect("Limbo")

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
