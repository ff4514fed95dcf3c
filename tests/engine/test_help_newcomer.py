"""
What a newcomer meets while following 'help scripting': an editor command
typed after the editor closed says so, and help says which things hear the
room.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, flat, make


class NewcomerTests(TestCase):
    """
    The dead ends of a first script.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_editor_command_outside_the_editor(self) -> None:
        """
        After '.' saved and closed the editor, '.l' (or '.') is answered
        with where the editor went and how to open it, not a bare "Huh?".
        """
        self.s.carol.send("@create bell")
        self.s.carol.send("@script bell")
        self.s.carol.send("def verb_ring(actor, *rest):")
        self.s.carol.send('    here.emote("rings: DING!")')
        self.assertIn("Saved the script on bell (2 lines)", flat(self.s.carol.send(".")))
        for typed in (".l", ".list", "."):
            said = flat(self.s.carol.send(typed))
            self.assertIn(f"Huh? '{typed}' is an editor command, and you are not in the "
                          "editor: '@script <thing>' opens it ('help editor').", said)
        self.assertIn("Editing the script on bell", flat(self.s.carol.send("@script bell")))

    def test_refused_save_says_how_to_replace_a_line(self) -> None:
        """
        When saving is refused and the editor stays open, it says that a
        line typed now is added at the end and how to replace the wrong
        one, and doing so saves.
        """
        self.s.carol.send("@create kettle")
        self.s.carol.send("@script kettle")
        self.s.carol.send("def verb_rub(actor):")
        self.s.carol.send('    actor.tell("The kettle hums.")')
        said = flat(self.s.carol.send("."))
        self.assertIn("Still editing the script on kettle: a line you type is added at the end; "
                      "'.e <n> <text>' replaces line n ('.l' lists them). '.' tries again, "
                      ".abort gives up.", said)
        self.s.carol.send(".e 1 def verb_rub(actor, *rest):")
        self.assertIn("Saved the script on kettle (2 lines)", flat(self.s.carol.send(".")))
        self.assertIn("The kettle hums.", self.s.carol.send("rub kettle"))

    def test_timer_too_often_says_the_numbers_plainly(self) -> None:
        """
        A timer every 3 seconds is refused with the bounds in plain numbers
        and the number given (not "2.592e+06").
        """
        make(self.s.carol, "clock", 'def on_attach():\n    timers.every(3, "tick")\n'
             "def tick(data):\n    pass\n")
        said = flat(self.s.carol.send("@script/restart clock"))
        self.assertIn("The interval must be from 5 to 2592000 seconds (30 days), not 3.", said)
        self.assertNotIn("e+06", said)

    def test_carried_things_hear_nothing_and_help_says_so(self) -> None:
        """
        A thing carried does not hear speech around it (only the room and
        what lies in it do), and both 'help scripting' and 'help events'
        say to drop it.
        """
        make(self.s.carol, "bell", 'def on_hear(actor, text):\n    here.say("heard " + text)\n',
             drop=False)
        self.assertNotIn("heard", self.s.carol.send("say hello"))
        self.s.carol.send("drop bell")
        self.assertIn("heard hello", self.s.carol.send("say hello"))
        self.assertIn("wake the things lying in it, not one you carry: drop it first.",
                      flat(self.s.carol.send("help scripting")))
        self.assertIn("The object's room is the room it lies in: a thing a character carries "
                      "hears nothing said around it (drop it).",
                      flat(self.s.carol.send("help events")))
