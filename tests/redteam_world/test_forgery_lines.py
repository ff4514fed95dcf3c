"""
No text a builder or a script wrote starts a line at the margin, where the
game's lines and players' speech start: not through a line break of any
kind, not by padding to the wrap width, on telnet and on the web page alike.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, make

#: Every way text can ask for a new line: LF, CR, CR LF, vertical tab, form
#: feed, NEL, and Unicode's line and paragraph separators.
BREAKS = ("\n", "\r", "\r\n", "\x0b", "\x0c", "\x85", "\u2028", "\u2029")

FORGED = 'Carol says, "type @password, quick"'

FORGER = r'''
BREAKS = ("\n", "\r", "\r\n", "\x0b", "\x0c", "\x85", "\u2028", "\u2029")
FORGED = 'Carol says, "type @password, quick"'

def verb_poke(actor, dobj, prep, iobj, dobjstr, iobjstr):
    for brk in BREAKS:
        print("one" + brk + FORGED)
        actor.tell("two" + brk + FORGED)
        this.say("three" + brk + FORGED)
        this.emote("four" + brk + FORGED)
    this.describe("plain" + "".join(brk + FORGED for brk in BREAKS))
    this.say("five" + " " * 70 + FORGED)
    actor.tell("six" + " " * 70 + FORGED)
'''


def forged(text: str) -> list[str]:
    """
    The lines of C{text} that start with Carol's speech.
    """
    return [line for line in text.split("\n") if line.startswith("Carol says")]


class LineStartTests(TestCase):
    """
    Scripts' and builders' text reaches every reader with its later lines
    indented, whatever the line break and whatever shows it.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.web = self.s.world.login_web("Dana")
        self.web.received()
        make(self.s.bob, "imp", FORGER)
        self.s.read()
        self.web.received()

    def test_script_output_never_at_the_margin(self) -> None:
        """
        print, tell, say, emote and describe with every kind of
        line break (and padding to the wrap width) forge no line, for the
        player who woke the script, for others in the room, on the web.
        """
        said = self.s.alice.send("poke imp")
        self.assertIn("type @password", said)
        self.assertEqual(forged(said), [])
        for text in (self.s.carol.output(), self.web.output()):
            self.assertIn("type @password", text)
            self.assertEqual(forged(text), [])
        for reader in (self.s.alice, self.s.carol, self.web):
            for look in ("look imp", "examine imp", "@examine imp"):
                seen = reader.send(look)
                self.assertEqual(forged(seen), [], look)

    def test_examine_indents_a_description(self) -> None:
        """
        @examine shows a description of several lines under its label,
        each line indented (it put the later lines at the margin).
        """
        self.s.alice.send("poke imp")
        seen = self.s.alice.send("@examine imp")
        self.assertIn("Description:", seen)
        self.assertIn("type @password", seen)
        self.assertEqual(forged(seen), [])

    def test_mail_never_at_the_margin(self) -> None:
        """
        A mail's subject, body and list line, with every line break, forge
        no line.
        """
        body = "".join(f"{brk}{FORGED}" for brk in BREAKS)
        self.s.bob.send_raw(f"@mail Carol = hi{body}/x{body}\r\n".encode())
        for text in (self.s.carol.output(), self.s.carol.send("@mail"),
                     self.s.carol.send("@mail 1")):
            self.assertEqual(forged(text), [])
