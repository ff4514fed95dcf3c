"""
Script handlers for what happens to and around their host.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.scripts import events
from tests.scripts.helpers import Scene, make, script


class HandlerTests(TestCase):
    """
    Each handler hears of its happening, with the documented arguments.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_on_hear(self) -> None:
        """
        on_hear(actor, text): speech in the host's room, with who spoke.
        """
        make(self.s.alice, "parrot", """
            def on_hear(actor, text):
                here.say(actor.name + " said " + text)
            """)
        self.s.read()
        self.s.carol.send("say pieces of eight")
        self.assertIn('parrot says, "Carol said pieces of eight"', self.s.bob.output())

    def test_on_look(self) -> None:
        """
        on_look(actor): the host was looked at; it can tell the looker more.
        """
        make(self.s.alice, "mirror", """
            def on_look(actor):
                actor.tell("You see " + actor.name + " in it.")
            """)
        self.assertIn("You see Carol in it.", self.s.carol.send("look mirror"))

    def test_take_drop_give(self) -> None:
        """
        on_take(actor), on_drop(actor), on_give(actor, recipient).
        """
        make(self.s.alice, "egg", """
            def on_take(actor):
                here.emote("is taken by " + actor.name)
            def on_drop(actor):
                here.emote("is dropped by " + actor.name)
            def on_give(actor, recipient):
                recipient.tell(actor.name + " gave you a squeaky egg")
            """)
        self.s.read()
        self.s.carol.send("get egg")
        self.assertIn("egg is taken by Carol", self.s.bob.output())
        self.s.carol.send("drop egg")
        self.assertIn("egg is dropped by Carol", self.s.bob.output())
        self.s.carol.send("get egg")
        self.s.carol.send("give egg to bob")
        self.assertIn("Carol gave you a squeaky egg", self.s.bob.output())

    def test_enter_and_leave_a_container(self) -> None:
        """
        on_enter(actor, thing) and on_leave(actor, thing, where) on a
        container as things are put in and taken out.
        """
        self.s.alice.send("@create container box")
        self.s.alice.send("drop box")
        script(self.s.alice, "box", """
            def on_enter(actor, thing):
                here.emote("swallows " + thing.name)
            def on_leave(actor, thing, where):
                here.emote("gives up " + thing.name + " to " + where.name)
            """)
        self.s.read()
        self.s.carol.send("get lantern")
        self.s.carol.send("put lantern in box")
        self.assertIn("box swallows brass lantern", self.s.bob.output())
        self.s.carol.send("get lantern from box")
        self.assertIn("box gives up brass lantern to Carol", self.s.bob.output())

    def test_arrive_and_depart(self) -> None:
        """
        on_arrive(actor) / on_depart(actor, where) for things in the room;
        a room's own on_enter / on_leave.
        """
        make(self.s.alice, "doorbell", """
            def on_arrive(actor):
                here.say("Welcome, " + actor.name)
            def on_depart(actor, where):
                here.say("Off to " + where.name + ", " + actor.name + "?")
            """)
        self.s.read()
        self.s.carol.send("north")
        self.assertIn('doorbell says, "Off to Market, Carol?"', self.s.bob.output())
        self.s.carol.send("south")
        self.assertIn('doorbell says, "Welcome, Carol"', self.s.bob.output())

    def test_room_enter_leave(self) -> None:
        """
        A room's script hears people walk in and out.
        """
        self.s.world.set_role("Alice", "wizard")
        script(self.s.alice, "here", """
            def on_enter(actor, thing):
                here.emote("echoes with " + thing.name + "'s steps")
            def on_leave(actor, thing, where):
                here.emote("is quieter without " + thing.name)
            """)
        self.s.read()
        self.s.carol.send("north")
        self.assertIn("is quieter without Carol", self.s.bob.output())
        self.s.carol.send("south")
        self.assertIn("echoes with Carol's steps", self.s.bob.output())

    def test_use(self) -> None:
        """
        'use <thing>' runs on_use(actor); things without one say so.
        """
        make(self.s.alice, "lever", """
            def on_use(actor):
                here.emote("clunks down")
            """)
        self.s.read()
        self.assertIn("You use lever.", self.s.carol.send("use lever"))
        self.assertIn("lever clunks down", self.s.bob.output())
        self.assertIn("You can't think how to use the brass lantern",
                      self.s.carol.send("use lantern"))

    def test_fan_out_bounded(self) -> None:
        """
        However many scripted things listen, at most MAX_HANDLERS hear one
        happening.
        """
        self.s.world.set_role("Alice", "wizard")
        for n in range(events.MAX_HANDLERS + 4):
            make(self.s.alice, f"ear{n}", "def on_hear(actor, text):\n    here.emote('hears')")
        self.s.read()
        self.s.carol.send("say hello")
        self.assertEqual(self.s.bob.output().count("hears"), events.MAX_HANDLERS)

    def test_scripts_do_not_wake_scripts(self) -> None:
        """
        What a script says is not heard by other scripts (no loops).
        """
        for name in ("ping", "pong"):
            make(self.s.alice, name, "def on_hear(actor, text):\n    here.say('echo ' + text)")
        self.s.read()
        self.s.carol.send("say hi")
        heard = self.s.bob.output()
        self.assertEqual(heard.count("echo"), 2, heard)
        self.assertNotIn("echo echo", heard)
