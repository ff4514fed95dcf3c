"""
After a save with problems the editor stays open, so a command typed next
(C{@library}, C{look}) would silently become a line of the script: it is
still added (C{@library} is a decorator's start in Python, so never
refused), but the player is told plainly that he is still editing.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, flat


class CommandAfterProblemsTests(TestCase):
    """
    A line that reads as a command, typed after a save with problems, is
    added with a warning.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.carol.send("@create bell")
        self.s.carol.send("drop bell")
        self.s.carol.send("@script bell")
        self.s.carol.send("def verb_ring(actor, *rest):")
        self.s.carol.send('    here.emote("rings"')
        self.s.carol.send(".")

    def test_at_command_added_with_a_warning(self) -> None:
        """
        C{@library} right after the save is line 3, and the player is told
        so, and how to remove it, save or leave.
        """
        said = flat(self.s.carol.send("@library"))
        self.assertIn("Still editing the script on bell: that was added as line 3 "
                      "('.d 3' removes it, '.' saves, '.abort' leaves).", said)
        self.assertIn("3: @library", flat(self.s.carol.send(".l")))

    def test_command_word_with_a_switch_warned_too(self) -> None:
        """
        C{@script/show bell} and C{look} read as commands: each is warned.
        """
        self.assertIn("that was added as line 3", self.s.carol.send("@script/show bell"))
        self.assertIn("that was added as line 4", self.s.carol.send("look"))

    def test_python_lines_are_not_warned(self) -> None:
        """
        A Python line starting with a command's word (C{i = 0}) is added
        silently, and a command typed after it is too: the player is
        writing again.
        """
        self.assertNotIn("that was added as line", self.s.carol.send("i = 0"))
        self.assertNotIn("that was added as line", self.s.carol.send("look"))

    def test_indented_line_not_warned(self) -> None:
        """
        An indented line is Python, whatever its first word.
        """
        self.assertEqual("", self.s.carol.send("    look").strip())

    def test_no_warning_before_a_save_with_problems(self) -> None:
        """
        While writing (no save with problems yet) lines are added silently.
        """
        self.s.carol.send('.e 2     here.emote("rings")')
        self.s.carol.send(".")
        self.s.carol.send("@script bell")
        self.assertNotIn("that was added as line", self.s.carol.send("look"))

    def test_a_things_verb_warned_and_what_follows(self) -> None:
        """
        C{ring bell} (a verb of a thing's script, which no built-in command
        knows) is no Python either, two names side by side: warned, and so
        are the commands typed after it (found trying it as a player: after
        C{rub lamp} went in silently, C{@quota} and C{look} did too).
        """
        self.assertIn("that was added as line 3", self.s.carol.send("ring bell"))
        self.assertIn("that was added as line 4", self.s.carol.send("@quota"))
        self.assertIn("that was added as line 5", self.s.carol.send("say it rang"))

    def test_python_statements_of_two_words_not_warned(self) -> None:
        """
        Keywords followed by a name are Python (C{return x}, C{import json},
        C{del x}, C{match x:}): added silently.
        """
        for line in ("import json", "del x", "match x:", "global count", "assert ok"):
            self.assertNotIn("that was added as line", self.s.carol.send(line), line)
            self.assertIn("Still editing", self.s.carol.send("."))  # saved, problems: warns again
