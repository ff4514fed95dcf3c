"""
What a brand-new player meets when a line is not a command (found playing
Saltmere from 'help' alone): a thing's own word typed where the thing is
not, a natural word for a built-in command ('insert coin'), and an
abbreviated direction with no exit that way.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, flat, make


class HuhTests(TestCase):
    """
    The answers to a line that nothing here takes.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_a_things_word_where_the_thing_is_not(self) -> None:
        """
        'read board' typed in another room than the board's says the board
        is not here (a thing's words work where it is), not a bare "'read'
        is not a command" that sends her looking for a command.
        """
        alice = self.s.alice
        make(alice, "board", """
            def verb_read(actor, dobj, prep, iobj, dobjstr, iobjstr):
                actor.tell("A note.")
        """)
        self.assertIn("A note.", flat(alice.send("read board")))
        alice.send("@dig north to Kitchen")
        alice.send("north")
        said = flat(alice.send("read board"))
        self.assertIn("Huh? 'read' is not a command, and you see no 'board' here", said)
        self.assertIn("a thing's own commands, like 'read board', work only where it is", said)

    def test_an_unknown_word_on_a_thing_here_is_still_huh(self) -> None:
        """
        A word nothing answers to, on a thing that is here, is a plain
        "not a command": the thing is not said to be missing.
        """
        alice = self.s.alice
        alice.send("@create stone")
        said = flat(alice.send("frobnicate stone"))
        self.assertIn("Huh? 'frobnicate' is not a command.", said)
        self.assertNotIn("you see no", said)

    def test_insert_says_put(self) -> None:
        """
        'insert coin' and 'insert coin into machine' point to 'put', in her
        own words.
        """
        carol = self.s.carol
        self.assertIn("Huh? 'insert' is not a command: type 'put coin in <container>'",
                      flat(carol.send("insert coin")))
        self.assertIn("type 'put coin in machine'", flat(carol.send("insert coin into machine")))
        self.assertIn("type 'get coin'", flat(carol.send("grab coin")))
        self.assertIn("type 'get coin'", flat(carol.send("pick up coin")))
        self.assertIn("type 'say <words>'", flat(carol.send("talk to biscuit")))

    def test_a_short_direction_is_spelled_out(self) -> None:
        """
        'e' where no exit goes east says east, as the exits list says it.
        """
        carol = self.s.carol
        self.assertIn("You can't go east from here.", flat(carol.send("e")))

    def test_a_building_word_without_its_at(self) -> None:
        """
        'mail bob = Hi/there' and 'dig north to Garden' (the @ left out) say
        the line with its @, not that 'bob = Hi/there' is not here.
        """
        carol = self.s.carol
        said = flat(carol.send("mail bob = Hi/there"))
        self.assertIn("Huh? 'mail' is not a command: type '@mail bob = Hi/there'", said)
        self.assertNotIn("you see no", said)
        self.assertIn("type '@dig north to Garden'", flat(self.s.alice.send("dig north to Garden")))

    def test_read_mail(self) -> None:
        """
        'read mail' says how mail is read.
        """
        said = flat(self.s.carol.send("read mail"))
        self.assertIn("Huh? 'read' is not a command: type '@mail' (your mail), then "
                      "'@mail <number>' to read one.", said)

    def test_leaving_words_say_quit(self) -> None:
        """
        'logout', 'exit' and 'bye' say 'quit', not to change a password or
        "Did you mean 'ex'".
        """
        carol = self.s.carol
        for typed in ("logout", "exit", "bye"):
            said = flat(carol.send(typed))
            self.assertIn("type 'quit'", said, typed)
            self.assertNotIn("password", said)

    def test_socials_say_emote(self) -> None:
        """
        'wave', 'smile', 'hug bob' say how to act it out.
        """
        carol = self.s.carol
        self.assertIn("Huh? 'wave' is not a command: type ':waves'", flat(carol.send("wave")))
        self.assertIn("type ':hugs Bob'", flat(carol.send("hug Bob")))
        self.assertIn("type ':cries'", flat(carol.send("cry")))
        self.assertIn("type 'look'", flat(carol.send("exits")))


class DigFromAnothersRoomTests(TestCase):
    """
    A new builder's first '@dig north to Garden' in a room of the world's.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_dig_from_a_room_not_hers_says_how_to_start(self) -> None:
        """
        She is told how to make a first room of her own.
        """
        said = flat(self.s.alice.send("@dig north to Garden"))
        self.assertIn("so you can't change it.", said)
        self.assertIn("'@dig Garden' makes a room of your own with no exits yet: "
                      "go there ('@teleport #<its number>') and dig from it.", said)
