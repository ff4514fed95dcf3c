"""
Combining marks cannot be stacked into towers ("zalgo") that draw over the
lines around them and cover a script's mark or another player's line: every
reader is shown at most a few marks on one base character (and at most two
of one kind, above or below), in plain text, on the web page and in GMCP,
whoever wrote the text; the marks real writing uses (Vietnamese, Devanagari,
Hebrew points, Tibetan stacks, Thai) reach everyone unchanged.
"""

from __future__ import annotations

import os
import unicodedata

from twisted.internet import defer
from twisted.trial.unittest import TestCase

from engine import colour
from engine.testing import LiveServer
from tests.scripts.helpers import Scene, make, web_reader

#: Two hundred marks above and below one letter: a tower many lines tall.
TOWER = "".join(chr(0x0300 + i % 0x70) for i in range(200))

#: Real writing, in NFD where it has a composed form (so each base carries
#: its marks as separate characters): the most marks it puts on one letter.
REAL = {
    "Vietnamese": unicodedata.normalize("NFD", "Tiếng Việt có dấu: người, ở, Nguyễn, ặ"),
    "Devanagari": "क्षत्रिय प्रज्ञा हिन्दी क़ॉफ़ी",
    "Hebrew": "בְּרֵאשִׁית שָּׁ בָּרָא",
    "Tibetan": "བསྒྲུབས་ སྐྱེས་ ཧཱུྃ",
    "Thai": "ภาษาไทย น้ำ ที่",
    "keycap": "1\ufe0f\u20e3",
}

ZALGO = """
def verb_haunt(actor, *rest):
    actor.tell("h" + TOWER + "i")
    here.say("s" + TOWER + "o")
""".replace("TOWER", repr(TOWER))


def tallest(text: str) -> int:
    """
    The most combining marks on one base character in C{text}.
    """
    most = run = 0
    for char in text:
        run = run + 1 if unicodedata.category(char).startswith("M") else 0
        most = max(most, run)
    return most


class SanitizeMarksTests(TestCase):
    """
    L{colour.sanitize}, which every text passes on its way to a reader,
    keeps at most L{4} marks on a base character.
    """

    def test_tower_cut(self) -> None:
        """
        Two hundred marks on one letter become at most four; the letters
        around them stay.
        """
        shown = colour.sanitize("a" + TOWER + "b")
        self.assertEqual((shown[0], shown[-1]), ("a", "b"))
        self.assertLessEqual(tallest(shown), colour.MAX_MARKS)
        self.assertGreater(tallest(shown), 0)

    def test_two_of_a_kind(self) -> None:
        """
        Marks of one combining class (all above, say) stack two high at
        most: the first two are kept, and a mark below still joins them.
        """
        above = "\u0301\u0300\u0302\u0303\u0304"
        shown = colour.sanitize("e" + above + "\u0323")
        self.assertEqual(shown, "e\u0301\u0300\u0323")

    def test_real_writing_intact(self) -> None:
        """
        Vietnamese, Devanagari, pointed Hebrew, Tibetan stacks, Thai and a
        keycap emoji pass unchanged.
        """
        for script, text in REAL.items():
            self.assertEqual(colour.sanitize(text), text, script)
            self.assertEqual(colour.plain(text), text, script)

    def test_marks_after_markup_and_line_breaks(self) -> None:
        """
        Colour codes and line breaks between marks do not restart the
        count of what one base carries (a code renders as nothing).
        """
        shown = colour.sanitize("a" + "\u0301|r\u0301|n\u0301|g\u0301\u0301\u0301")
        self.assertLessEqual(tallest(colour.strip(shown)), colour.MAX_MARKS)
        shown = colour.sanitize("\n" + TOWER)
        self.assertLessEqual(tallest(shown), colour.MAX_MARKS)


class ZalgoTests(TestCase):
    """
    A player's speech and a script's output reach every reader with the
    towers cut: on telnet, on the web page and in GMCP.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.web = web_reader(self.s)
        self.s.read()

    def seen(self) -> list[str]:
        gmcp = [body["text"] for body in self.web.gmcp("Comm.Channel.Text")]
        return [self.s.carol.output(), self.web.output(), *gmcp]

    def test_players_speech(self) -> None:
        """
        say, pose and a channel line with towers reach Carol and Dana with
        the letters and at most four marks on each.
        """
        for line in ("say w" + TOWER + "x", ":w" + TOWER + "x", "pub w" + TOWER + "x"):
            self.s.bob.send(line)
            seen = self.seen()
            self.assertGreaterEqual(len(seen), 2)
            for text in seen:
                self.assertIn("w", text)
                self.assertIn("x", text)
                self.assertLessEqual(tallest(text), colour.MAX_MARKS, line)

    def test_scripts_text(self) -> None:
        """
        A script's tell and say, and a description, reach readers cut.
        """
        make(self.s.bob, "ghost", ZALGO)
        self.s.bob.send("@describe ghost = d" + TOWER)
        self.s.read()
        self.web.received()
        said = self.s.carol.send("haunt ghost")
        self.assertLessEqual(tallest(said), colour.MAX_MARKS)
        self.assertIn("[Bob's ghost]", said)
        for text in self.seen():
            self.assertLessEqual(tallest(text), colour.MAX_MARKS)
        self.assertLessEqual(tallest(self.s.carol.send("look ghost")), colour.MAX_MARKS)
        self.assertLessEqual(tallest(self.web.send("look ghost")), colour.MAX_MARKS)

    def test_real_writing_reaches_others(self) -> None:
        """
        Real writing said aloud reaches the others as it was said.
        """
        for text in REAL.values():
            self.s.bob.send("say " + text)
        carol, dana, *gmcp = self.seen()
        seen = [unicodedata.normalize("NFC", text) for text in (carol, dana, "\n".join(gmcp))]
        for script, text in REAL.items():
            for reader in seen:
                self.assertIn(unicodedata.normalize("NFC", text), reader, script)


class LiveZalgoTests(TestCase):
    """
    Over a real socket: the bytes a telnet player receives carry no tower.
    """

    timeout = 60

    @defer.inlineCallbacks
    def test_tower_over_telnet(self):
        """
        Bob's say of a letter with two hundred marks reaches Carol's telnet
        client with at most four on it, and Vietnamese with all of its own.
        """
        db = os.path.join(self.mktemp(), "world.fs")
        os.makedirs(os.path.dirname(db))
        server = LiveServer("--db", db, "--content", "")
        server.start()
        self.addCleanup(server.stop)
        bob = yield defer.ensureDeferred(server.create("Bob"))
        carol = yield defer.ensureDeferred(server.create("Carol"))
        start = len(carol.text)
        bob.send("say w" + TOWER + "x " + REAL["Vietnamese"] + " end")
        yield carol.expect(" end")
        seen = carol.text[start:]
        self.assertIn('Bob says, "w', seen)
        self.assertLessEqual(tallest(seen), colour.MAX_MARKS)
        self.assertGreater(tallest(seen), 0)
        self.assertIn(unicodedata.normalize("NFC", REAL["Vietnamese"]),
                      unicodedata.normalize("NFC", seen))
