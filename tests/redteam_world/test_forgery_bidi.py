"""
Nothing turns a line around: a name the engine puts into its lines is
written left to right, so no line starts with a right-to-left letter that
makes a client (one that orders a line by its first strong letter) show
"Bob says, ..." reversed or a script's mark at the other end.

Names of characters, things, rooms and exits hold only characters whose
bidirectional class is left-to-right or neutral (an allowlist: Latin,
Greek, Cyrillic, CJK ... letters, European digits, punctuation, symbols,
marks, spaces); Hebrew and Arabic letters and Arabic-Indic digits (which
the algorithm treats as Arabic) are refused in names. Embedding isolates
around names (FSI ... PDI) was not chosen: most
telnet clients draw them as boxes or ignore them, and every reader's
text has players' bidirectional controls stripped, which engine-made
isolates could not be told apart from. What players say, pose, mail and
describe may be written in any script: every such line starts with the
game's own left-to-right words or a name (C{Bob says}, C{[pub] Bob:},
C{[Bob's imp]}), or is indented under them.
"""

from __future__ import annotations

import unicodedata

from twisted.trial.unittest import TestCase

from tests.redteam_world.test_forgery_names import SCRIPTED
from tests.redteam_world.test_forgery_titles import NameRuleCase
from tests.scripts.helpers import Scene, make, web_reader
from world.errors import WorldError

HEBREW = "\u05e9\u05dc\u05d5\u05dd"  # shalom
ARABIC = "\u0645\u0631\u062d\u0628\u0627"  # marhaba

#: Names that hold right-to-left letters or Arabic digits somewhere.
TURNING = (HEBREW, ARABIC, f"{HEBREW} lamp", f"lamp {HEBREW}", f"lamp {ARABIC} 5",
           "lamp \u0663", f"the {HEBREW}\u05b8 bell", "\ufb1d\ufb1e lamp",
           "lamp \U00010800")

#: Names of every other kind stay allowed.
KEPT = ("café", "naïve lamp", "Zoë's lamp", "tea & biscuits", "50% off", "stall €5",
        "tavern \U0001f37a", "lamp \u06f3", "Москва", "東京タワー", "Ελλάδα", "lamp #2",
        "the (old) mill")

ECHO = """
def verb_echo(actor, dobj, prep, iobj, dobjstr, iobjstr):
    actor.tell(iobjstr)
    here.say(iobjstr)
"""


def first_strong(line: str) -> str | None:
    """
    The direction of the first strong letter of C{line}: C{"L"}, C{"R"}
    (Hebrew and other right-to-left letters, Arabic ones), or None.
    """
    for char in line:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "L"
        if kind in ("R", "AL"):
            return "R"
    return None


class NameDirectionTests(NameRuleCase):
    """
    Names hold left-to-right and neutral characters only.
    """

    def test_right_to_left_refused(self) -> None:
        """
        A thing's name with a Hebrew or Arabic letter, or an Arabic digit,
        anywhere in it, is refused, saying why.
        """
        for name in TURNING:
            error = self.assertRaises(WorldError, self.check, name)
            self.assertIn("right to left", str(error), name)

    def test_others_kept(self) -> None:
        """
        Names in other scripts, with symbols, currency, emoji and digits,
        stay allowed.
        """
        for name in KEPT:
            self.assertEqual(self.check(name), unicodedata.normalize("NFKC", name))

    def test_characters(self) -> None:
        """
        A character's name with right-to-left letters, whole or mixed in,
        is refused at the door.
        """
        for name in (HEBREW, f"Dana{HEBREW}", f"Da{ARABIC}"):
            said = self.world.connect().send(f"create {name} correct horse")
            self.assertIn("right to left", said, name)


class LineDirectionTests(TestCase):
    """
    Every line every reader is shown starts left to right, whatever players
    and scripts write.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.web = web_reader(self.s)

    def test_builders_commands_and_scripts(self) -> None:
        """
        @create, @name and a script's rename, create and set_aliases refuse
        a right-to-left name.
        """
        bob = self.s.bob
        self.assertIn("right to left", bob.send(f"@create {HEBREW} lamp"))
        bob.send("@create stool")
        self.assertIn("right to left", bob.send(f"@name stool = stool {ARABIC}"))
        make(bob, "imp", SCRIPTED)
        for verb in ("rename", "spawn", "nick"):
            self.assertIn("right to left", bob.send(f"{verb} imp with {HEBREW}"), verb)

    def test_free_text_in_any_script(self) -> None:
        """
        Hebrew and Arabic said, posed, on a channel, described and sent by
        a script reach every reader, on lines that start left to right.
        """
        make(self.s.bob, "imp", ECHO)
        self.s.bob.send(f"@describe imp = {HEBREW} {ARABIC}\n{HEBREW}")
        self.s.read()
        self.web.received()
        lines = []
        for command in (f"say {HEBREW} Alice", f":{ARABIC} waves", f"pub {HEBREW}",
                        f"echo imp with {ARABIC} Carol says hi"):
            lines.append(self.s.bob.send(command))
        lines += [self.s.carol.output(), self.web.output(), self.s.carol.send("look imp"),
                  *(body["text"] for body in self.web.gmcp("Comm.Channel.Text"))]
        text = "\n".join(lines)
        self.assertIn(HEBREW, text)
        self.assertIn(ARABIC, text)
        for line in text.split("\n"):
            if line.strip() and not line.startswith(" "):
                self.assertNotEqual(first_strong(line), "R", line)
