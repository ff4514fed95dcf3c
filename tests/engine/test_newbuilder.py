"""
What a new builder meets while building from 'help' alone: a library saved
with errors says its first one wherever it is listed, 'help building' is a
short guide, and the usual slips (a missing exit name, the room and the
exit the wrong way round) are answered with the syntax.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, flat


class NewBuilderTests(TestCase):
    """
    The dead ends of a first afternoon of building.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_library_with_errors_says_its_first_error(self) -> None:
        """
        A library saved with a syntax error is listed, shown and refused on
        import with its first error (line and message), not a bare "it has
        errors".
        """
        alice = self.s.alice
        alice.send("@library greet")
        alice.send("def hello(who)")
        alice.send('    return "hi " + who')
        alice.send('exports = ("hello",)')
        alice.send(".")
        alice.send(".abort")
        first = "line 1, column 15: syntax error: expected ':'"
        self.assertIn(f"greet: has problems (it has errors: {first})",
                      flat(alice.send("@library")))
        self.assertIn(f"has problems: it has errors: {first}",
                      flat(alice.send("@library/show greet")))

    def test_help_building_is_a_guide(self) -> None:
        """
        'help building' (listed among the topics, and also reached as 'help
        lock') walks through a first room and lists the properties the world
        reads, locking an exit among them.
        """
        alice = self.s.alice
        self.assertIn("Topics: building, scripting,", flat(alice.send("help")))
        for typed in ("help building", "help lock"):
            said = flat(alice.send(typed))
            self.assertIn("@dig north to Kitchen a room north of here, and south back", said)
            self.assertIn("locked = true on an exit: nobody can pass", said)
        self.assertIn("'@set north/locked = true' stops everyone going north",
                      flat(alice.send("help @set")))

    def test_dig_without_an_exit_name_makes_nothing(self) -> None:
        """
        '@dig to Attic' (the exit left out) and '@dig north to' (the room
        left out) are answered with the syntax, not a room called 'to
        Attic'.
        """
        alice = self.s.alice
        for typed in ("@dig to Attic", "@dig north to"):
            self.assertIn("Name both the exit and the room, '@dig north to Kitchen', or the "
                          "room alone, '@dig Kitchen'.", flat(alice.send(typed)))
        self.assertIn("Nothing is called anything like 'attic'",
                      flat(alice.send("@find attic")))

    def test_room_and_exit_the_wrong_way_round(self) -> None:
        """
        '@dig Pantry to north' and '@open Room 101 to west' say the exit
        comes first, with the command as it should have been typed.
        """
        alice = self.s.alice
        self.assertIn("You name the exit first, then the room: '@dig north to Pantry'.",
                      flat(alice.send("@dig Pantry to north")))
        self.assertIn("You name the exit first, then the room: '@open west to Room 101'.",
                      flat(alice.send("@open Room 101 to west")))

    def test_a_place_not_found_anywhere_says_so(self) -> None:
        """
        '@teleport Nowhere' says that no room or character is called so,
        not only that Alice does not see it here, and how to look for one.
        """
        self.assertIn("You don't see 'Nowhere' here, and no room or character is called "
                      "exactly that ('@find <name>' finds things by a word of their name).",
                      flat(self.s.alice.send("@teleport Nowhere")))

    def test_set_and_unset_without_a_slash_show_an_example(self) -> None:
        """
        '@set lamp fixed = true' and '@unset lamp fixed' show the syntax
        with an example of each command.
        """
        alice = self.s.alice
        alice.send("@create lamp")
        self.assertIn("Name the property as <thing>/<property>: type '@set <thing>/<property> "
                      "= <value>', e.g. '@set lamp/fixed = true'.",
                      flat(alice.send("@set lamp fixed = true")))
        self.assertIn("Name the property as <thing>/<property>: type '@unset "
                      "<thing>/<property>', e.g. '@unset lamp/fixed'.",
                      flat(alice.send("@unset lamp fixed")))

    def test_mail_to_someone_without_the_equals_sign(self) -> None:
        """
        '@mail Bob Hello' (the '=' left out) says how to write to Bob, not
        "Read which message?"; a word that names nobody still asks which
        message, and '@mail/read bob' too.
        """
        alice = self.s.alice
        for typed in ("@mail Bob Hello", "@mail bob"):
            self.assertIn("To write to Bob, type '@mail Bob = <subject>' (then the message), "
                          "or '@mail Bob = <subject>/<message>'.", flat(alice.send(typed)))
        for typed in ("@mail hello", "@mail/read bob"):
            self.assertIn("Read which message?", flat(alice.send(typed)))

    def test_put_a_container_in_itself(self) -> None:
        """
        'put box in box' says a box cannot go inside itself, not that Alice
        does not see the box she carries.
        """
        alice = self.s.alice
        alice.send("@create container box")
        self.assertIn("The box cannot go inside itself.", flat(alice.send("put box in box")))
        self.assertIn("You don't see 'sack' here to put things in.",
                      flat(alice.send("put box in sack")))

    def test_put_into_a_thing_that_holds_nothing(self) -> None:
        """
        'put gem in box' where the box is a plain thing (made by '@create
        box') says it cannot hold things and how to make one that can, not
        that Alice does not see the box she carries or the one lying here;
        the gem stays in her hands. 'get gem from box' says so too.
        """
        alice = self.s.alice
        alice.send("@create gem")
        alice.send("@create box")
        said = flat(alice.send("put gem in box"))
        self.assertIn("The box cannot hold things ('@create container <name>' makes a "
                      "thing that can).", said)
        self.assertNotIn("You don't see", said)
        alice.send("drop box")
        self.assertIn("The box cannot hold things", flat(alice.send("put gem in box")))
        self.assertIn("The box cannot hold things", flat(alice.send("get gem from box")))
        self.assertIn("gem", flat(alice.send("inventory")))
        self.assertIn("You don't see 'sack' here to put things in.",
                      flat(alice.send("put gem in sack")))

    def test_an_exit_renamed_like_another_here_is_refused(self) -> None:
        """
        Renaming an exit, or giving it an alias, that another exit of its
        room answers to ('east' beside an east, 'n' beside a north) is
        refused and changes nothing.
        """
        alice = self.s.alice
        alice.send("@dig Workshop")
        alice.send("@teleport Workshop")
        alice.send("@dig east to Hall")
        alice.send("@dig north to Yard")
        alice.send("@open portal to Hall")
        self.assertIn("already has an exit called east: east (#",
                      flat(alice.send("@name portal = east")))
        self.assertIn("already has an exit called n: north (#",
                      flat(alice.send("@alias portal = p, n")))
        said = flat(alice.send("look"))
        self.assertIn("Exits: north, east and portal.", said)
        self.assertIn("now also answers to: p and gate.",
                      flat(alice.send("@alias portal = p, gate")))
        self.assertIn("is now called arch.", flat(alice.send("@name portal = arch")))

    def test_an_exit_is_an_exit(self) -> None:
        """
        @find and @examine call an exit 'an exit', not 'a exit'.
        """
        alice = self.s.alice
        alice.send("@dig Workshop")
        alice.send("@teleport Workshop")
        alice.send("@dig arch/back to Hall")
        self.assertIn("arch (#", flat(alice.send("@find arch")))
        for typed in ("@find arch", "@examine arch"):
            said = flat(alice.send(typed))
            self.assertIn("), an exit", said)
            self.assertNotIn("a exit", said)

    def test_give_to_yourself(self) -> None:
        """
        'give box to me' (or to one's own name) says the box is carried
        already, not that Alice does not see herself; giving to Bob still
        works.
        """
        alice = self.s.alice
        alice.send("@create box")
        for typed in ("give box to me", "give box to Alice"):
            self.assertIn("You are carrying the box already: 'give <thing> to <person>' hands "
                          "it to someone here.", flat(alice.send(typed)))
        self.assertIn("You give the box to Bob.", flat(alice.send("give box to Bob")))
