"""
Sight and reach: a facet of a character does not track them once they walk
away, views do not see behind locked exits or two rooms off, scripts run
only on objects in the player's reach, and alike things of different owners
are never silently swapped.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, make

TRACKER = """
def on_look(actor):
    state.set("victim", actor)

def verb_where(actor, *rest):
    v = state.get("victim")
    room = v.room()
    place = v.location
    actor.tell("room: " + (room.name if room else "unknown") + "; place: "
               + (place.name if place else "unknown"))
    try:
        v.tell("psst")
        actor.tell("told")
    except Exception as err:
        actor.tell("refused: " + str(err))
"""


class TrackingTests(TestCase):
    """
    A character's facet kept in state answers where they are, and reaches
    them with tell, only while they are in the script's room.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "gremlin", TRACKER)
        self.s.carol.send("look gremlin")
        self.s.read()

    def test_in_the_room(self) -> None:
        said = self.s.bob.send("where gremlin")
        self.assertIn("room: Town Square; place: Town Square", said)
        self.assertIn("told", said)
        self.assertIn("psst", self.s.carol.output())

    def test_gone_elsewhere(self) -> None:
        """
        Carol walked north: the gremlin's kept facet no longer says where
        she is, and cannot whisper to her.
        """
        self.s.carol.send("north")
        self.s.read()
        said = self.s.bob.send("where gremlin")
        self.assertIn("room: unknown; place: unknown", said)
        self.assertIn("refused: Carol is not here to hear that.", said)
        self.assertNotIn("psst", self.s.carol.output())

    def test_timer_reaches_only_the_room(self) -> None:
        """
        A timer firing after Carol left cannot follow her either.
        """
        make(self.s.bob, "shadow", """
            def on_look(actor):
                state.set("victim", actor)
                timers.after(5, "follow")

            def follow(data):
                v = state.get("victim")
                here.say("seen in " + (v.room().name if v.room() else "nowhere"))
                try:
                    v.tell("still watching you")
                except Exception:
                    here.say("lost her")
            """)
        self.s.carol.send("look shadow")
        self.s.carol.send("north")
        self.s.read()
        self.s.world.clock.advance(6)
        heard = self.s.bob.output()
        self.assertIn("seen in nowhere", heard)
        self.assertIn("lost her", heard)
        self.assertNotIn("still watching", self.s.carol.output())

    def test_handler_may_answer_the_walker(self) -> None:
        """
        on_depart runs for the player who just left: it may still tell them
        goodbye, and see where they went.
        """
        make(self.s.bob, "porter", """
            def on_depart(actor, where):
                actor.tell("Mind the step in " + actor.room().name + ".")
            """)
        self.assertIn("Mind the step in Market.", self.s.carol.send("north"))


class LockedViewTests(TestCase):
    """
    A room seen through an exit shows who and what is there only if the exit
    is open and the room is one exit away.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "periscope", """
            def verb_peek(actor, *rest):
                seen = []
                for e in here.exits:
                    room = e.destination
                    who = [c.name for c in room.characters] + [t.name for t in room.contents]
                    seen.append(e.name + ":" + ",".join(who))
                    for f in room.exits:
                        far = f.destination
                        seen.append(e.name + "/" + f.name + ":"
                                    + ",".join([c.name for c in far.characters]))
                actor.tell(" | ".join(seen))
            """)
        self.s.carol.send("north")
        self.s.carol.send("down")
        self.s.alice.send("north")
        self.s.read()

    def test_open_exit_one_room(self) -> None:
        said = self.s.bob.send("peek periscope")
        self.assertIn("north:Alice", said)
        self.assertNotIn("Carol", said)  # two rooms away: the cellar

    def test_locked_exit(self) -> None:
        self.s.lock_exits("Town Square")
        said = self.s.bob.send("peek periscope")
        self.assertIn("north:", said)
        self.assertNotIn("Alice", said)


class ReachTests(TestCase):
    """
    Verbs and handlers run only on objects in the player's reach; a
    builder's #id names things anywhere but wakes nothing there.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "gremlin", """
            def verb_zap(actor, *rest):
                actor.tell("zapped")

            def on_look(actor):
                actor.tell("the gremlin stares back")

            def on_use(actor):
                actor.tell("used")
            """)
        self.ref = f"#{self.s.thing('gremlin').id}"
        self.s.alice.send("north")
        self.s.read()

    def test_far_verb_by_id(self) -> None:
        self.assertNotIn("zapped", self.s.alice.send(f"zap {self.ref}"))
        self.assertIn("zapped", self.s.carol.send("zap gremlin"))

    def test_far_look_by_id(self) -> None:
        said = self.s.alice.send(f"look {self.ref}") + self.s.alice.output()
        self.assertIn("gremlin", said)
        self.assertNotIn("stares back", said)

    def test_far_use_by_id(self) -> None:
        said = self.s.alice.send(f"use {self.ref}")
        self.assertIn("out of your reach", said)
        self.assertNotIn("used", said.replace("use ", ""))


class LookalikeTests(TestCase):
    """
    Alike things of different owners are never silently interchangeable.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_ask_which_one(self) -> None:
        self.s.alice.send("@create silver key")
        self.s.alice.send("drop silver key")
        self.s.bob.send("@create silver key")
        self.s.bob.send("drop silver key")
        said = " ".join(self.s.carol.send("get silver key").split())
        self.assertIn("Which 'silver key' do you mean?", said)
        self.assertIn("1.silver key is silver key (Alice's)", said)
        self.assertIn("2.silver key is silver key (Bob's)", said)
        self.assertIn("You pick up", self.s.carol.send("get 2.silver key"))
        key = self.s.thing("silver key")
        self.assertEqual(self.s.character("Carol").contents[0].owner,
                         self.s.character("Bob").id)
        self.assertEqual(key.owner, self.s.character("Alice").id)

    def test_one_owners_alike_things_are_interchangeable(self) -> None:
        self.s.alice.send("@create pebble")
        self.s.alice.send("@create pebble")
        self.s.alice.send("drop all")
        self.assertIn("You pick up the pebble", self.s.carol.send("get pebble"))

    def test_lookalike_names_show_whose(self) -> None:
        """
        Two keys whose names only look alike (one with a Cyrillic e) are told
        apart by whose each is, as identical names are.
        """
        self.s.alice.send("@create silver key")
        self.s.alice.send("drop silver key")
        self.s.bob.send("@create silver k\u0435y")
        self.s.bob.send("drop silver k\u0435y")
        said = " ".join(self.s.carol.send("get silver").split())
        self.assertIn("1.silver is silver key (Alice's)", said)
        self.assertIn("2.silver is silver k\u0435y (Bob's)", said)

    def test_verbs_ask_which_one(self) -> None:
        """
        A verb on one of two alike bells of different owners asks which,
        running neither (nor the room's verb of that name) until told.
        """
        for player, who in ((self.s.alice, "Alice"), (self.s.bob, "Bob")):
            make(player, "bell", f"""
                def verb_ring(actor, *rest):
                    actor.tell("{who}'s bell rings")
                """, drop=False)
        self.s.alice.send("drop bell")
        self.s.bob.send("drop bell")
        said = " ".join(self.s.carol.send("ring bell").split())
        self.assertIn("Which 'bell' do you mean?", said)
        self.assertNotIn("bell rings", said)
        self.assertIn("Bob's bell rings", self.s.carol.send("ring 2.bell"))

    def test_rooms_named_anywhere_ask_which(self) -> None:
        """
        Builders name rooms anywhere by name: two Kitchens of different
        owners are never taken one for the other, @teleport and @open ask.
        """
        self.s.alice.send("@dig Kitchen")
        self.s.bob.send("@dig Kitchen")
        for line in ("@teleport Kitchen", "@open portal to kitchen"):
            said = " ".join(self.s.alice.send(line).split())
            self.assertIn("Which 'kitchen' do you mean?", said.replace("'Kitchen'", "'kitchen'"))
            self.assertIn("(yours)", said)
            self.assertIn("(Bob's)", said)
        self.assertEqual(self.s.character("Alice").room().name, "Town Square")
