"""
Terminal escape sequences and characters that reorder text, sent by a player
or a script, reach no reader in any form: not as a sequence, not as its
visible remains (C{[31m}), not in GMCP, on no transport.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, make

#: Sequences a terminal acts on: colours, clearing the screen, moving the
#: cursor, setting the window title (OSC, ended by BEL or by ST), a C1 CSI.
SEQUENCES = ("\x1b[31m", "\x1b[2J", "\x1b[1;1H", "\x1b]0;owned\x07", "\x1b]2;owned\x1b\\",
             "\x9b2K", "\x1bc")
#: What each leaves behind when only its control characters are removed.
REMAINS = ("[31m", "[2J", "[1;1H", "]0;owned", "]2;owned", "2K", "\\")
#: Characters that turn text around or hide where a line breaks.
REORDERING = ("\u202e", "\u202b", "\u2067", "\u2066", "\u2068", "\u2069", "\u202c", "\u2028",
              "\u2029")

LOUD = """
def verb_shout(actor, dobj, prep, iobj, dobjstr, iobjstr):
    this.say(iobjstr)

def verb_hiss(actor, dobj, prep, iobj, dobjstr, iobjstr):
    actor.tell(iobjstr)
"""


def loaded(words: str) -> str:
    """
    C{words} with every escape sequence put between its letters.
    """
    return " ".join(sequence + word for sequence, word in zip(SEQUENCES, words.split(),
                                                                strict=False))


class EscapeSequenceTests(TestCase):
    """
    An escape sequence is removed whole, wherever text is cleaned: at the
    input of every transport, in what scripts hand the world, and in what is
    written to every client.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.web = self.s.world.login_web("Dana")
        self.web.supports("Comm 1")
        self.web.received()

    def assertClean(self, text: str) -> None:
        for remains in REMAINS:
            self.assertNotIn(remains, text)
        for char in "\x1b\x9b\x07":
            self.assertNotIn(char, text)

    def seen_by_all(self, carol: str = "") -> list[str]:
        """
        What Carol (telnet; C{carol} and what came since) and Dana (web,
        text and GMCP) were shown since the last look.
        """
        gmcp = [body["text"] for body in self.web.gmcp("Comm.Channel.Text")]
        return [carol + self.s.carol.output(), self.web.output(), *gmcp]

    def test_players_sequences_removed_whole(self) -> None:
        """
        A player's say with sequences between its words reaches everyone as
        the words alone.
        """
        self.s.bob.send_raw(("say " + loaded("one two three four five six seven")).encode()
                            + b"\r\n")
        seen = self.seen_by_all()
        self.assertEqual(len(seen), 3)
        for text in seen:
            self.assertIn('Bob says, "one two three four five six seven"', text)
            self.assertClean(text)

    def test_scripts_sequences_removed_whole(self) -> None:
        """
        A script's say and tell lose their sequences whole, and keep their
        mark.
        """
        make(self.s.bob, "imp", LOUD)
        self.s.read()
        self.web.received()
        seen = self.seen_by_all(self.s.carol.send(f"shout imp to {loaded('a b c d e f g')}"))
        self.assertEqual(len(seen), 3)
        for text in seen:
            self.assertIn('[Bob\'s imp] imp says, "a b c d e f g"', text)
            self.assertClean(text)
        told = self.s.carol.send(f"hiss imp to {loaded('a b c d e f g')}")
        self.assertIn("[Bob's imp] a b c d e f g", told)
        self.assertClean(told)

    def test_mail_and_channel_sequences_removed_whole(self) -> None:
        """
        A mail's subject and body, and a line on a channel, lose their
        sequences whole.
        """
        self.s.bob.send_raw(f"@mail Carol = {loaded('ur gent')}/{loaded('b o d y')}\r\n"
                            .encode())
        said = self.s.carol.send("@mail 1")
        self.assertIn("Subject: ur gent", said)
        self.assertIn("  b o d y", said)
        self.assertClean(said)
        self.s.bob.send_raw(f"pub {loaded('h e l l o')}\r\n".encode())
        for text in self.seen_by_all():
            self.assertIn("Bob: h e l l o", text)
            self.assertClean(text)


class ReorderingTests(TestCase):
    """
    Bidirectional overrides, embeddings and isolates and Unicode line
    breaks are removed from what every client is shown, GMCP included: no
    reader sees text turned around or a line broken where another does not.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.web = self.s.world.login_web("Dana")
        self.web.supports("Comm 1", "Room 1")
        self.web.received()

    def test_speech_cannot_turn_around(self) -> None:
        """
        A say holding every reordering character reaches telnet, the web
        page and GMCP without any of them.
        """
        self.s.bob.send("say hi " + "x".join(REORDERING) + " end")
        gmcp = [body["text"] for body in self.web.gmcp("Comm.Channel.Text")]
        seen = [self.s.carol.output(), self.web.output(), *gmcp]
        self.assertEqual(len(seen), 3)
        for text in seen:
            self.assertIn("Bob says", text)
            for char in REORDERING:
                self.assertNotIn(char, text, f"U+{ord(char):04X}")

    def test_descriptions_cannot_turn_around(self) -> None:
        """
        A description (which keeps its lines) shows none of them either.
        """
        self.s.bob.send("@create box")
        self.s.bob.send("drop box")
        self.s.bob.send("@describe box = plain " + "y".join(REORDERING) + " words")
        for text in (self.s.carol.send("look box"), self.web.send("look box")):
            self.assertIn("plain", text)
            for char in REORDERING:
                self.assertNotIn(char, text, f"U+{ord(char):04X}")
