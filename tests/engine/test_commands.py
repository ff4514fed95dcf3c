"""
Every command, as short transcripts between simulated players.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.accounts import find_account
from engine.commands import TABLE, parse
from engine.testing import TestWorld


class CommandCase(TestCase):
    def setUp(self):
        self.world = TestWorld()
        self.addCleanup(self.world.close)
        self.wizard = self.world.login("Wiz")  # the first account: a wizard
        self.alice = self.world.login("Alice")
        self.bob = self.world.login("Bob")
        for player in (self.wizard, self.alice, self.bob):
            player.output()

    def where(self, name):
        with self.world.store.turn() as turn:
            account = find_account(turn.root, name)
            return turn.root.get(account.character_id).location.name


class TableTests(TestCase):
    """
    The command table itself.
    """

    def test_every_command_has_help(self):
        """
        Every command has a docstring with a summary and a usage line.
        """
        for command in TABLE.commands:
            self.assertTrue(command.help and ":" in command.help.splitlines()[0],
                            command.name)

    def test_parse_prefixes(self):
        """
        " and : need no space; words are lower-cased, the rest kept.
        """
        self.assertEqual(parse('"Hello there'), ("say", "Hello there"))
        self.assertEqual(parse(":waves"), ("emote", "waves"))
        self.assertEqual(parse("GET Lamp"), ("get", "Lamp"))


class LookTests(CommandCase):
    def test_look_room(self):
        """
        look shows the room, exits, things and people.
        """
        text = self.alice.send("look")
        self.assertIn("Town Square", text)
        self.assertIn("A cobbled square", text)
        self.assertIn("Exits: north and gate.", text)
        self.assertIn("a brass lantern", text)
        self.assertIn("Bob is here.", text)
        self.assertNotIn("#1", text)  # players don't see ids

    def test_l_alias_and_look_at(self):
        """
        l is look; look at a thing by alias shows its description.
        """
        self.assertIn("polished bright", self.alice.send("l lamp"))
        self.assertIn("polished bright", self.alice.send("look at lantern"))
        self.assertIn("Bob", self.alice.send("look bob"))

    def test_look_missing(self):
        """
        Looking at nothing there says so.
        """
        self.assertIn("You don't see 'unicorn'", self.alice.send("look unicorn"))

    def test_builders_see_ids(self):
        """
        Builders see room ids in look.
        """
        self.assertIn("Town Square (#1)", self.wizard.send("look"))

    def test_examine(self):
        """
        examine shows a container's contents.
        """
        self.alice.send("get lamp")
        self.alice.send("put lamp in bag")
        self.assertIn("It holds a brass lantern.", self.alice.send("examine bag"))


class MovementTests(CommandCase):
    def test_walk_and_be_seen(self):
        """
        Walking by direction: others see the departure and the arrival.
        """
        self.world.login("Carol").send("north")
        carol_output = self.world.connect()  # unrelated
        del carol_output
        text = self.alice.send("north")
        self.assertIn("Market", text)
        self.assertIn("Alice leaves north.", self.bob.output())
        self.assertEqual(self.where("Alice"), "Market")

    def test_arrival_direction(self):
        """
        Those in the room arrived at see where one came from.
        """
        self.bob.send("n")
        self.bob.output()
        self.alice.send("n")
        self.assertIn("Alice arrives from the south.", self.bob.output())
        self.alice.send("down")
        self.bob.send("d")
        self.alice.output()
        self.bob.send("u")
        self.alice.send("u")
        self.assertIn("Alice arrives from below.", self.bob.output())

    def test_go_and_aliases(self):
        """
        go <exit>, full directions and short forms all work.
        """
        self.assertIn("Market", self.alice.send("go north"))
        self.assertIn("Town Square", self.alice.send("s"))
        self.assertIn("Market", self.alice.send("NORTH"))
        self.assertIn("Cellar", self.alice.send("go d"))

    def test_no_exit(self):
        """
        A direction with no exit says where one can go.
        """
        text = self.alice.send("west")
        self.assertIn("can't go", text)
        text = self.alice.send("go west")
        self.assertIn("north or gate", text)

    def test_locked_exit(self):
        """
        A locked exit stops you, and you stay.
        """
        self.assertIn("locked", self.alice.send("gate"))
        self.assertEqual(self.where("Alice"), "Town Square")

    def test_named_exit(self):
        """
        Exits with names (not directions) work by name or alias.
        """
        self.world.set_role("Alice", "wizard")
        self.alice.send("@set gate/locked = false")
        self.assertIn("Market", self.alice.send("iron gate"))
        self.assertIn("Alice leaves through the gate.", self.bob.output())


class TalkTests(CommandCase):
    def test_say(self):
        """
        say and " show the speaker and the room natural phrasing.
        """
        self.assertIn('You say, "hi"', self.alice.send("say hi"))
        self.assertIn('Alice says, "hi"', self.bob.output())
        self.alice.send('"how are you?')
        self.assertIn('Alice asks, "how are you?"', self.bob.output())
        self.alice.send("say wow!")
        self.assertIn('Alice exclaims, "wow!"', self.bob.output())

    def test_say_nothing(self):
        """
        say with nothing asks what.
        """
        self.assertIn("Say what?", self.alice.send("say"))

    def test_say_not_heard_elsewhere(self):
        """
        Speech stays in the room.
        """
        self.bob.send("north")
        self.bob.output()
        self.alice.send("say secret")
        self.assertNotIn("secret", self.bob.output())

    def test_emote(self):
        """
        emote and : show an action to all, the actor included.
        """
        self.assertIn("Alice waves.", self.alice.send(":waves."))
        self.assertIn("Alice waves.", self.bob.output())
        self.alice.send("emote 's hat falls off.")
        self.assertIn("Alice's hat falls off.", self.bob.output())

    def test_whisper(self):
        """
        Only the target hears the words; others see the whisper.
        """
        self.assertIn('You whisper to Bob, "psst"', self.alice.send("whisper bob = psst"))
        self.assertIn('Alice whispers to you, "psst"', self.bob.output())
        watcher = self.wizard.output()
        self.assertIn("Alice whispers something to Bob.", watcher)
        self.assertNotIn("psst", watcher)

    def test_whisper_absent(self):
        """
        Whispering to someone not here fails.
        """
        self.bob.send("north")
        self.assertIn("You don't see", self.alice.send("whisper bob = hi"))

    def test_page(self):
        """
        page reaches a connected player anywhere, not a sleeping one.
        """
        self.bob.send("north")
        self.bob.output()
        self.assertIn("You page Bob: hello", self.alice.send("page bob = hello"))
        self.assertIn("Alice pages: hello", self.bob.output())
        self.bob.send("quit")
        self.assertIn("Nobody called", self.alice.send("page bob hi"))


class ThingTests(CommandCase):
    def test_get_and_drop(self):
        """
        get takes, drop puts down; others see both; inventory lists.
        """
        self.assertIn("You pick up the brass lantern.", self.alice.send("get lamp"))
        self.assertIn("Alice picks up a brass lantern.", self.bob.output())
        self.assertIn("a brass lantern", self.alice.send("inventory"))
        self.assertIn("You drop the brass lantern.", self.alice.send("drop lantern"))
        self.assertIn("Alice drops a brass lantern.", self.bob.output())
        self.assertIn("carrying nothing", self.alice.send("i"))

    def test_take_alias_and_all(self):
        """
        take is get; get all takes what can be taken, not fixed things.
        """
        self.assertIn("You pick up a brass lantern and a canvas bag.",
                      self.alice.send("take all"))
        self.assertIn("You drop a brass lantern and a canvas bag.", self.alice.send("drop all"))

    def test_fixed_things_stay(self):
        """
        A fixed thing won't move; people can't be taken.
        """
        self.assertIn("won't budge", self.alice.send("get fountain"))
        self.assertIn("would not like that", self.alice.send("get bob"))

    def test_give(self):
        """
        give hands a thing over, telling giver, receiver and onlookers.
        """
        self.alice.send("get lamp")
        self.assertIn("You give the brass lantern to Bob.", self.alice.send("give lamp to bob"))
        self.assertIn("Alice gives you a brass lantern.", self.bob.output())
        self.assertIn("Alice gives a brass lantern to Bob.", self.wizard.output())
        self.assertIn("brass lantern", self.bob.send("i"))

    def test_give_what_you_lack(self):
        """
        You can only give what you carry.
        """
        self.assertIn("in your hands", self.alice.send("give lamp to bob"))
        self.assertIn("give <thing> to <person>", self.alice.send("give lamp"))

    def test_put_and_get_from(self):
        """
        put into a container, get out of it.
        """
        self.alice.send("get lamp")
        self.assertIn("You put the brass lantern in the canvas bag.",
                      self.alice.send("put lamp in bag"))
        self.assertIn("Alice puts a brass lantern in the canvas bag.", self.bob.output())
        self.assertIn("You take the brass lantern from the canvas bag.",
                      self.alice.send("get lamp from bag"))

    def test_put_into_non_container(self):
        """
        Things go only into containers: the fountain cannot hold things, said
        so (not that it is not seen), and the lamp stays in her hands.
        """
        self.alice.send("get lamp")
        self.assertIn("The fountain cannot hold things", self.alice.send("put lamp in fountain"))
        self.assertIn("brass lantern", self.alice.send("inventory"))

    def test_ordinals(self):
        """
        2.coin picks the second of several.
        """
        self.wizard.send("@create coin")
        self.wizard.send("@create coin")
        self.wizard.send("@describe 2.coin = The second one.")
        self.assertIn("The second one.", self.wizard.send("look 2.coin"))


class GameCommandTests(CommandCase):
    def test_who(self):
        """
        who lists connected players with roles.
        """
        text = self.alice.send("who")
        self.assertIn("Wiz (wizard)", text)
        self.assertIn("Alice", text)
        self.assertIn("3 players connected.", text)

    def test_help(self):
        """
        help lists commands for your role; help <command> explains one.
        """
        text = self.alice.send("help")
        self.assertIn("look", text)
        self.assertNotIn("@dig", text)
        self.assertIn("@dig", self.wizard.send("help"))
        self.assertIn("give <thing> to <person>", self.alice.send("help give"))
        self.assertIn("Did you mean 'give'", self.alice.send("help giv"))

    def test_unknown_command_suggests(self):
        """
        A typo gets the nearest command; a builder command tells who may.
        """
        self.assertIn("Did you mean 'look'?", self.alice.send("lok"))
        self.assertIn("Only builders can use @dig", self.alice.send("@dig north to X"))
        self.assertIn("not a command", self.alice.send("xyzzy"))

    def test_failed_command_changes_nothing(self):
        """
        A command that fails half-way is rolled back entirely.
        """
        self.wizard.send("@create container box")
        # put the box into itself: the move fails after matching succeeded.
        self.assertIn("box", self.wizard.send("put box in box"))
        self.assertIn("box", self.wizard.send("i"))

    def test_password_change(self):
        """
        @password changes the password; the old one stops working.
        """
        carol = self.world.login("Carol", "oldpassword1")
        self.assertIn("changed", carol.send("@password oldpassword1 newpassword2"))
        carol.send("quit")
        self.assertIn("Either", self.world.connect().send("connect carol oldpassword1"))
        self.assertIn("Town Square",
                      self.world.connect().send("connect carol newpassword2"))

    def test_password_prompted(self):
        """
        @password alone asks for the old and new passwords, hidden.
        """
        self.assertIn("Current password", self.alice.send("@password"))
        self.assertTrue(self.alice.client.hiding_input)
        self.assertIn("New password", self.alice.send("correct horse"))
        self.assertIn("again", self.alice.send("new secret pw"))
        self.assertIn("changed", self.alice.send("new secret pw"))
        self.assertFalse(self.alice.client.hiding_input)

    def test_password_wrong_old(self):
        """
        The old password must be right.
        """
        self.assertIn("not your current password",
                      self.alice.send("@password wrongwrong newnewnew1"))

    def test_option(self):
        """
        option lists connection settings.
        """
        self.assertIn("colour", self.alice.send("option"))


class BuildingTests(CommandCase):
    def setUp(self):
        super().setUp()
        self.world.set_role("Alice", "builder")

    def test_dig_both_ways(self):
        """
        @dig makes a room with exits there and back; others see the way open.
        """
        text = self.wizard.send("@dig east to Kitchen")
        self.assertIn("You dig Kitchen", text)
        self.assertIn("east leads there, west leads back", text)
        self.assertIn("Kitchen", self.wizard.send("east"))
        self.assertIn("Town Square", self.wizard.send("west"))

    def test_dig_needs_ownership(self):
        """
        A builder cannot dig from a room they don't own, but can dig a
        detached room and build from there.
        """
        self.assertIn("don't own Town Square", self.alice.send("@dig east to Den"))
        text = self.alice.send("@dig Workshop")
        self.assertIn("Workshop", text)
        ref = text.split("(")[1].split(")")[0]
        self.assertIn("Workshop", self.alice.send(f"@teleport {ref}"))
        self.assertIn("You dig Shed", self.alice.send("@dig out to Shed"))
        self.assertIn("Shed", self.alice.send("out"))

    def test_dig_named_exit_needs_way_back(self):
        """
        A non-direction exit needs an explicit way back.
        """
        self.assertIn("Which way leads back", self.wizard.send("@dig trapdoor to Cellar2"))
        self.assertIn("trapdoor leads there, up leads back",
                      self.wizard.send("@dig trapdoor/up to Cellar2"))

    def test_dig_existing_exit(self):
        """
        Digging where an exit exists is refused and nothing is made.
        """
        self.assertIn("already has an exit called north",
                      self.wizard.send("@dig north to Elsewhere"))
        self.assertIn("You don't see", self.wizard.send("@teleport Elsewhere"))

    def test_open(self):
        """
        @open links rooms; directions get a way back.
        """
        text = self.wizard.send("@dig Attic")
        ref = text.split("(")[1].split(")")[0]
        self.assertIn("and down back", self.wizard.send(f"@open up to {ref}"))
        self.assertIn("Attic", self.wizard.send("up"))
        self.assertIn("Town Square", self.wizard.send("down"))
        self.assertIn("not a room", self.wizard.send("@open west to Bob"))

    def test_create_describe_name_alias(self):
        """
        @create, @describe, @name and @alias shape a thing.
        """
        self.assertIn("You create teapot", self.alice.send("@create teapot"))
        self.alice.send("@describe teapot = A chipped teapot.")
        self.assertIn("A chipped teapot.", self.alice.send("look teapot"))
        self.alice.send("@name teapot = blue teapot")
        self.alice.send("@alias teapot = pot, kettle")
        self.assertIn("A chipped teapot.", self.alice.send("look kettle"))
        self.alice.send("drop pot")
        self.assertIn("a blue teapot", self.bob.send("look"))

    def test_create_container(self):
        """
        @create container makes something that holds things.
        """
        self.alice.send("@create container crate")
        self.alice.send("@create spoon")
        self.assertIn("You put the spoon in the crate.", self.alice.send("put spoon in crate"))

    def test_builder_cannot_change_others_things(self):
        """
        Builders change only what they own; wizards anything.
        """
        self.assertIn("don't own", self.alice.send("@describe lamp = Mine now."))
        self.assertIn("You describe", self.wizard.send("@describe lamp = The wizard's."))

    def test_players_make_things_not_rooms(self):
        """
        Every player may make things and change the things they own; rooms
        and exits stay with builders.
        """
        self.assertIn("You create thing", self.bob.send("@create thing"))
        self.assertIn("You describe thing", self.bob.send("@describe thing = A thing."))
        self.assertIn("is now called widget", self.bob.send("@name thing = widget"))
        self.assertIn("also answers to: gadget", self.bob.send("@alias widget = gadget"))
        self.assertIn("fixed = true", self.bob.send("@set gadget/fixed = true"))
        self.assertIn("fixed removed", self.bob.send("@unset gadget/fixed"))
        self.assertIn("Only builders can use @dig", self.bob.send("@dig north to Attic"))
        self.assertIn("Only builders can use @open", self.bob.send("@open east to Market"))
        self.assertIn("Only builders can change rooms",
                      self.bob.send("@describe here = Mine now."))
        self.assertIn("Only builders can change rooms", self.bob.send("@set north/locked = 1"))
        self.assertIn("You destroy widget", self.bob.send("@destroy widget"))

    def test_players_change_only_their_own(self):
        """
        A player cannot change or destroy another's thing, and names only
        what is in reach (no room anywhere by name, no #id but her own).
        """
        self.alice.send("@create kite")
        self.alice.send("drop kite")
        self.assertIn("You don't own kite", self.bob.send("@name kite = mine"))
        self.assertIn("You don't own kite", self.bob.send("@destroy kite"))
        self.assertIn("You don't own kite", self.bob.send("@set kite/fixed = true"))
        self.assertIn("You don't see 'Market'", self.bob.send("@destroy Market"))
        self.assertIn("You own no object #1", self.bob.send("@destroy #1"))
        self.assertIn("kite", self.alice.send("look"))

    def test_ids(self):
        """
        Builders refer to objects by #id; players cannot.
        """
        self.assertIn("Town Square (#1), a room", self.alice.send("@examine #1"))
        self.assertIn("Only builders", self.bob.send("look #1"))
        self.assertIn("no object #999", self.alice.send("@examine #999"))

    def test_destroy(self):
        """
        @destroy removes a thing; its contents fall out where it was.
        """
        self.alice.send("@create container crate")
        self.alice.send("@create spoon")
        self.alice.send("put spoon in crate")
        self.assertIn("You destroy crate", self.alice.send("@destroy crate"))
        self.assertIn("spoon", self.alice.send("i"))
        self.assertIn("cannot be destroyed", self.wizard.send("@destroy bob"))
        self.assertIn("standing in it", self.wizard.send("@destroy here"))

    def test_destroy_room_moves_people(self):
        """
        Destroying a room removes exits into it and moves people out.
        """
        self.wizard.send("@dig east to Doomed")
        self.bob.send("@teleport Doomed")  # players can't: stays
        self.world.set_role("Bob", "wizard")
        self.bob.send("east")
        self.bob.output()
        self.wizard.send("@destroy east")  # the exit only
        self.assertIn("Exits: north and gate.", self.wizard.send("look"))
        self.wizard.send("@teleport Doomed")
        self.wizard.send("@teleport here = #1")  # cannot move a room
        self.wizard.send("@teleport #1")
        text = self.wizard.send("@destroy Doomed")
        self.assertIn("You destroy Doomed", text)
        self.assertIn("dissolves around you", self.bob.output())
        self.assertEqual(self.where("Bob"), "Town Square")

    def test_teleport(self):
        """
        @teleport moves you (or others) to rooms and people; rooms see it.
        """
        self.bob.send("north")
        self.bob.output()
        self.assertIn("Market", self.alice.send("@teleport Market"))
        self.assertIn("Alice appears.", self.bob.output())
        self.wizard.send("@teleport bob = Cellar")
        self.assertIn("whisked away to Cellar", self.bob.output())
        self.assertIn("Cellar", self.wizard.send("@teleport bob"))

    def test_set_and_unset(self):
        """
        @set stores JSON-like values, @unset removes them; bad values refused.
        """
        self.alice.send("@create gem")
        self.assertIn('sparkle = 3', self.alice.send("@set gem/sparkle = 3"))
        self.assertIn('tags = ["a", "b"]', self.alice.send('@set gem/tags = ["a", "b"]'))
        self.assertIn('note = "plain words"', self.alice.send("@set gem/note = plain words"))
        text = self.alice.send("@examine gem")
        self.assertIn("sparkle = 3", text)
        self.assertIn("removed", self.alice.send("@unset gem/sparkle"))
        self.assertNotIn("sparkle", self.alice.send("@examine gem"))
        self.assertIn("no property", self.alice.send("@unset gem/sparkle"))
        self.assertIn("Property names", self.alice.send("@set gem/bad key! = 1"))
        self.assertIn("<thing>/<property>", self.alice.send("@set gem = 1"))

    def test_set_booleans_as_people_type_them(self):
        """
        False, no and off (any case) are false, True/yes/on true, None
        nothing: never the text "False", which would count as true. A quoted
        word stays text.
        """
        self.alice.send("@create gem")
        for typed, stored in (("False", "false"), ("no", "false"), ("OFF", "false"),
                              ("True", "true"), ("yes", "true"), ("None", "null"),
                              ('"no"', '"no"')):
            self.assertIn(f"fixed = {stored}", self.alice.send(f"@set gem/fixed = {typed}"))
        self.alice.send("@set gem/fixed = False")
        self.alice.send("drop gem")
        self.assertIn("You pick up", self.bob.send("get gem"))

    def test_name_limits_read_naturally(self):
        """
        The refusal of a long alias or exit name has the right article.
        """
        self.alice.send("@create gem")
        long = "x" * 81
        self.assertIn("An alias may be at most 80", self.alice.send(f"@alias gem = {long}"))
        self.assertIn("A name may be at most 80", self.alice.send(f"@name gem = {long}"))
        self.assertIn("An alias may not start with #", self.alice.send("@alias gem = #1"))


class WizardTests(CommandCase):
    def test_boot(self):
        """
        @boot disconnects a player with a message.
        """
        self.assertIn("You boot Bob", self.wizard.send("@boot bob = spamming"))
        self.assertIn("disconnected by Wiz. Reason: spamming", self.bob.output())
        self.assertFalse(self.bob.connected)
        self.assertIn("not connected", self.wizard.send("@boot bob"))
        self.assertIn("Only wizards", self.alice.send("@boot wiz"))

    def test_shutdown(self):
        """
        @shutdown tells everyone and calls the injected shutdown.
        """
        self.wizard.send("@shutdown Back in five.")
        self.assertEqual(self.world.shutdowns, 1)
        self.assertIn("Back in five.", self.alice.output())

    def test_ban_and_unban(self):
        """
        @ban disconnects and locks out an account; @unban lets it back.
        """
        self.assertIn("Bob is banned", self.wizard.send("@ban bob"))
        self.assertFalse(self.bob.connected)
        self.assertIn("banned", self.world.connect().send("connect bob correct horse"))
        self.assertIn("Banned accounts: Bob", self.wizard.send("@ban"))
        self.wizard.send("@unban bob")
        self.assertIn("Town Square", self.world.connect().send("connect bob correct horse"))
        self.assertIn("cannot ban yourself", self.wizard.send("@ban wiz"))

    def test_roles(self):
        """
        @role promotes and demotes; the last wizard stays a wizard.
        """
        self.assertIn("Alice is now a builder", self.wizard.send("@role alice = builder"))
        self.assertIn("Wiz made you a builder", self.alice.output())
        self.assertIn("@dig", self.alice.send("help"))
        self.assertIn("last wizard", self.wizard.send("@role wiz = player"))
        self.assertIn("Roles are", self.wizard.send("@role alice = king"))
        self.assertIn("no account", self.wizard.send("@role nobody = player"))


class SelfDescriptionTests(CommandCase):
    def test_players_describe_themselves_only(self):
        """
        Anyone may describe themselves, and players only what they own.
        """
        self.assertIn("You describe Bob", self.bob.send("@describe me = A tall figure."))
        self.assertIn("A tall figure.", self.alice.send("look bob"))
        self.assertIn("You don't own brass lantern", self.bob.send("@describe lamp = Mine."))
        self.assertIn("You don't own Alice", self.bob.send("@describe alice = Silly."))


class NewPasswordTests(CommandCase):
    def test_wizard_sets_password(self):
        """
        @newpassword sets another account's password.
        """
        self.assertIn("Bob's password has been changed",
                      self.wizard.send("@newpassword bob = brand new pw"))
        self.bob.send("quit")
        self.assertIn("Town Square", self.world.connect().send("connect bob brand new pw"))
        self.assertIn("Only wizards", self.alice.send("@newpassword bob = x"))
        self.assertIn("at least 8", self.wizard.send("@newpassword bob = short"))


class HomeAndFindTests(CommandCase):
    def test_home(self):
        """
        home takes you back to where you first arrived; rooms see it.
        """
        self.alice.send("north")
        self.alice.send("down")
        self.bob.output()
        self.assertIn("Town Square", self.alice.send("home"))
        self.assertIn("Alice arrives home.", self.bob.output())
        self.assertIn("already home", self.alice.send("home"))

    def test_find(self):
        """
        @find lists objects anywhere with ids and places.
        """
        text = self.wizard.send("@find coin")
        self.assertIn("copper coin (#", text)
        self.assertIn("in Market (#2)", text)
        self.assertIn("Nothing is called", self.wizard.send("@find unicorn"))
        self.assertIn("Only builders", self.alice.send("@find coin"))

    def test_builders_see_ids_on_things(self):
        """
        Builders see ids on the things in a room; players don't.
        """
        self.assertRegex(self.wizard.send("look"), r"a brass lantern \(#\d+\)")
        self.assertNotIn("(#", self.alice.send("look"))
