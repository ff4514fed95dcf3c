"""
A script that only wants to greet or count the people in its room reads
C{here.character_names} or C{here.character_count}: no facets, so no holds,
and a crowd of alts past what its owner can hold cannot make it fail. They
tell no more than the room's look shows those standing in it, and only of
the room the script's thing is in.
"""

from __future__ import annotations

from scripting.facets import accounting, adapters, holds
from tests.redteam_world.charging import alt_name
from tests.redteam_world.test_hold_charges import Charged
from tests.scripts.helpers import make
from world.objects import Character

#: Greets whoever looks by naming everyone in the room, and counts them.
GREETER = """
def on_look(actor):
    actor.tell("welcome, " + ", ".join(here.character_names)
               + " (" + str(here.character_count) + ")")
"""

#: The greeter of docs/scripting-in-world.md.
WELCOME = """
def on_arrive(actor):
    others = [n for n in here.character_names if n != actor.name]
    if not others:
        here.say("Welcome, " + actor.name + "! Nobody else is about.")
    else:
        here.say("Welcome, " + actor.name + "! Also here: " + ", ".join(others[:5])
                 + (" and " + str(here.character_count - 6) + " more"
                    if here.character_count > 6 else "") + ".")
"""

#: Asks a room next door, through an exit, who is there.
PEEKER = """
def on_look(actor):
    for e in here.exits:
        far = e.destination
        actor.tell("next door: " + repr(far.character_names) + " "
                   + str(far.character_count))
"""


class NamesTests(Charged):
    """
    Bob's share is two holds; three alts stand in the square with his
    things (as in L{tests.redteam_world.test_hold_crowd}).
    """

    def setUp(self) -> None:
        super().setUp()
        self.alts = [self.s.world.login(alt_name(n), address=f"10.0.0.{n + 1}")
                     for n in range(3)]
        bob = self.s.character("Bob").id
        with self.s.world.store.turn() as turn:
            accounting.set_limit(turn.root, bob, "storage", 2 * holds.HOLD_BYTES * holds.SHARE)
        self.s.read()

    def test_crowd_cannot_refuse_names(self) -> None:
        """
        Past what Bob's things can hold, a greeter reading
        C{character_names} works every time, charges Bob no hold, and is
        never refused nor suspended.
        """
        make(self.s.bob, "greeter", GREETER)
        self.s.read()
        before = self.stored("Bob")
        for _ in range(4):
            said = self.s.carol.send("look greeter")
            self.assertIn("welcome, ", said)
            for n in range(3):
                self.assertIn(alt_name(n), said)
            self.assertIn("(6)", said)  # Alice, Bob, Carol and the three alts
            self.s.world.clock.advance(1)
        # Carol, who looked, is held as the handler's actor; nobody else.
        self.assertEqual(self.stored("Bob") - before, holds.HOLD_BYTES)
        for n in range(3):
            self.assertEqual(self.holders(alt_name(n)), [])
        said = self.s.bob.output()
        self.assertNotIn("cannot hold", said)
        self.assertNotIn("suspended", said)
        self.assertNotIn("does not answer", said)

    def test_greeter_of_the_docs(self) -> None:
        """
        The greeter the docs show names those already here when a player
        walks in, crowd or not.
        """
        make(self.s.bob, "doorman", WELCOME)
        self.s.carol.send("north")
        self.s.read()
        said = " ".join(self.s.carol.send("south").split())
        self.assertIn("Welcome, Carol! Also here: Alice, Bob, Altaa, Altab, Altac.", said)
        said = self.s.bob.output()
        self.assertNotIn("suspended", said)
        self.assertNotIn("does not answer", said)

    def test_names_as_look_shows(self) -> None:
        """
        The names are those the room's look lists, in the same order (look
        leaves out the one looking, who is among the names).
        """
        make(self.s.bob, "greeter", GREETER)
        self.s.read()
        look = [line.removesuffix(" is here.").removesuffix(" is here, asleep.")
                for line in self.s.carol.send("look").splitlines() if " is here" in line]
        said = self.s.carol.send("look greeter")
        greeted = said.split("welcome, ", 1)[1].split(" (", 1)[0].split(", ")
        self.assertEqual([n for n in greeted if n != "Carol"], look)
        self.assertIn("Carol", greeted)

    def test_bounded(self) -> None:
        """
        In a room of more characters than L{adapters.MAX_CHARACTER_NAMES},
        the names are the newest arrivals' (in the order they came), and
        the count is all of them.
        """
        make(self.s.bob, "greeter", GREETER)
        extra = adapters.MAX_CHARACTER_NAMES + 5
        bob = self.s.character("Bob").id
        with self.s.world.store.turn() as turn:
            square = turn.root.get(bob).room()
            for n in range(extra):
                turn.root.create(Character, "Crowd" + alt_name(n)[3:], location=square)
        self.s.read()
        said = " ".join(self.s.carol.send("look greeter").split())  # (lines wrapped)
        named = said.split("welcome, ", 1)[1].split(" (", 1)[0].split(", ")
        self.assertEqual(len(named), adapters.MAX_CHARACTER_NAMES)
        self.assertEqual(named[-1], "Crowd" + alt_name(extra - 1)[3:])
        self.assertNotIn("Carol", named)  # she came before the newest fifty
        self.assertIn(f"({extra + 6})", said)

    def test_no_names_next_door(self) -> None:
        """
        A facet of another room (one an exit leads to) names nobody and
        counts nobody there, though Carol stands in it.
        """
        make(self.s.bob, "peeker", PEEKER)
        self.s.read()
        exits = self.s.carol.send("look").split("Exits: ", 1)[1].split(".", 1)[0]
        way = exits.split(",")[0].split(" and ")[0].strip()
        self.s.alice.send(way)
        said = self.s.carol.send("look peeker")
        self.assertIn("next door: () 0", said)
        self.assertNotIn("Alice", said.split("next door", 1)[1])
