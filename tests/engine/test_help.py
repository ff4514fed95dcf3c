"""
Help in the game: commands, and the scripting topics generated from the code
they describe (facet interfaces, handlers, colour codes, the sandbox).
"""

from __future__ import annotations

import ast
import os

from twisted.trial.unittest import TestCase
from zope.interface.interface import Method

from engine.commands import TABLE
from engine.commands.help import ENDOWMENTS, TOPICS, first_sentence, members
from engine.scripts.events import HANDLERS
from engine.testing import TestWorld
from tests.scripts.helpers import make

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def flat(text: str) -> str:
    """
    C{text} with its wrapping undone (lines joined by single spaces).
    """
    return " ".join(text.split())


class HelpTopicTests(TestCase):
    """
    A new player reads how to script without leaving the game.
    """

    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)
        self.world.login("Wiz")
        self.dora = self.world.login("Dora")
        self.dora.output()

    def test_facets_generated_from_the_interfaces(self) -> None:
        """
        'help facets' names every attribute and method of what each
        endowment holds, each method with its signature and the first
        sentence of its documentation.
        """
        shown = flat(self.dora.send("help facets"))
        for name, (interface, what) in ENDOWMENTS.items():
            self.assertIn(f"{name}: {flat(what)}", shown)
            if interface is None:
                continue
            for member, description in members(interface):
                if isinstance(description, Method):
                    line = (f"{member}{description.getSignatureString()}: "
                            f"{first_sentence(description.__doc__)}")
                    self.assertIn(flat(line), shown)
                else:
                    self.assertIn(member, shown)
        self.assertIn("move_to(place): Move the object into place, a facet of a room", shown)
        self.assertNotIn("C{", shown)

    def test_one_method(self) -> None:
        """
        'help this.move_to' (or 'help move_to') gives a method's whole
        documentation; 'help state' one endowment.
        """
        whole = flat(self.dora.send("help this.move_to"))
        self.assertIn("this.move_to(place)", whole)
        self.assertIn("The place must be within reach", whole)
        self.assertIn("Fails (WorldError): out of reach", whole)
        self.assertIn("this.move_to(place)", self.dora.send("help move_to"))
        self.assertIn("timers.every(seconds, handler, data=None)",
                      self.dora.send("help timers.every"))
        self.assertIn('here.say(text, said_by=None) Everyone in the room hears', flat(
            self.dora.send("help here.say")))
        self.assertIn("set(key, value): Store value", flat(self.dora.send("help state")))

    def test_command_names_point_to_script_methods(self) -> None:
        """
        A command that shares a name with a facet method says where the
        script method's help is.
        """
        said = flat(self.dora.send("help say"))
        self.assertIn("Say something to everyone here", said)
        self.assertIn("'help this.say' and 'help here.say'", said)

    def test_events_list_every_handler(self) -> None:
        """
        'help events' lists every handler the engine wakes, with its
        arguments.
        """
        shown = flat(self.dora.send("help events"))
        for name, args, when in HANDLERS:
            self.assertIn(flat(f"{name}({args}): {when}"), shown)

    def test_colour_codes_shown_as_typed(self) -> None:
        """
        'help colour' shows each code as typed, then in its colour.
        """
        shown = self.dora.send("help colour")
        for code in ("|r red", "|R red", "|[NNN", "|u underlined", "|| a bar"):
            self.assertIn(code, shown)

    def test_scripting_guide(self) -> None:
        """
        'help scripting' says how to start, lists the modules and builtins
        the sandbox really has, and the player's own limits.
        """
        self.world.login("Wiz").send("@quota dora = objects 7")
        shown = flat(self.dora.send("help scripting"))
        self.assertIn("@script bell", shown)
        self.assertIn("import json, math, random, re and string", shown)
        self.assertIn("sorted", shown)
        self.assertIn("Yours: 7 objects", shown)

    def test_scripting_guide_short_verb_and_check(self) -> None:
        """
        'help scripting' shows the short form of a verb (C{*rest}) and says
        that saving refuses a function that could not take its arguments;
        'help events' shows the short form too.
        """
        shown = flat(self.dora.send("help scripting"))
        self.assertIn("def verb_ring(actor, *rest):", shown)
        self.assertIn("Saving refuses a verb, handler or timer's handler that could not take "
                      "the arguments it is called with, and says what it should take", shown)
        self.assertIn("def verb_ring(actor, *rest)", flat(self.dora.send("help events")))

    def test_unknown_topic(self) -> None:
        """
        A misspelt topic or method gets a suggestion.
        """
        self.assertIn("Did you mean 'move_to'", self.dora.send("help movto"))
        self.assertIn("Did you mean 'facets'", self.dora.send("help fcets"))
        self.assertIn("What a script holds.", self.dora.send("help facet"))  # the plural's

    def test_help_names_no_file(self) -> None:
        """
        No help (commands, topics, methods) points to a file a player cannot
        read.
        """
        texts = [self.dora.send(f"help {command.name}") for command in TABLE.commands]
        texts += [self.dora.send(f"help {topic}") for topic in TOPICS]
        texts += [self.dora.send(f"help {name}") for name in ENDOWMENTS]
        texts.append(self.dora.send("@script me"))
        for text in texts:
            for marker in ("docs/", ".md", ".py", "README"):
                self.assertNotIn(marker, text)


class HandlerTableTests(TestCase):
    """
    The handler table 'help events' shows cannot drift from the engine.
    """

    def test_every_woken_handler_is_listed(self) -> None:
        """
        Every "on_..." name the engine's commands and script code wake is
        in HANDLERS.
        """
        listed = {name for name, _, _ in HANDLERS}
        woken = set()
        for folder in ("engine/commands", "engine/scripts"):
            for name in os.listdir(os.path.join(ROOT, folder)):
                if not name.endswith(".py"):
                    continue
                with open(os.path.join(ROOT, folder, name), encoding="utf-8") as f:
                    tree = ast.parse(f.read())
                woken |= {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
                          and isinstance(n.value, str) and n.value.startswith("on_")
                          and n.value.isidentifier() and n.value != "on_"}  # the prefix
        self.assertGreater(len(woken), 8)
        self.assertEqual(sorted(woken - listed), [])


class ClockTests(TestCase):
    """
    Every script holds a clock: the server's time in whole seconds.
    """

    def test_clock_now(self) -> None:
        """
        clock.now() reads the server's (injected) clock, rounded down to the
        second.
        """
        world = TestWorld()
        self.addCleanup(world.close)
        world.login("Wiz")
        dora = world.login("Dora")
        make(dora, "sundial", "def verb_read(actor, *rest):\n"
                              "    actor.tell('It is ' + str(clock.now()))\n")
        world.clock.advance(1000.75)
        before = dora.send("read sundial")
        world.clock.advance(60)
        after = dora.send("read sundial")
        first = float(before.split("It is ")[1].split()[0])
        self.assertEqual(first, int(world.clock.seconds() - 60))
        self.assertEqual(float(after.split("It is ")[1].split()[0]), first + 60)
