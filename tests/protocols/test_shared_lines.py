"""
A line a crowded room hears is rendered, encoded and escaped once for each
way its clients show it (width, colours, screen reader, character set), not
once per listener, at every door (telnet, SSH, the web client); each client
still reads exactly its own.
"""

from __future__ import annotations

from typing import Any

from twisted.internet.task import Clock
from twisted.trial.unittest import TestCase

from engine.limits import Limits
from engine.protocols import charset
from engine.protocols.rendering import SHARED_TEXT
from engine.ssh import SSHClient
from engine.testing import SimulatedClient, TestWorld
from engine.web import messages

#: What Alice says: longer than 40 columns, with a letter Latin-1 has (each
#: test says its own, as lines are remembered between tests).
LINE = "the café by the quay opens at dawn and shuts when the last boat is in"


class SharedLinesTests(TestCase):
    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)
        self.encoded: list[str] = []
        self.addresses = 0
        encode_text = charset.encode_text

        def counted(text: str, encoding: str) -> bytes:
            self.encoded.append(text)
            return encode_text(text, encoding)

        self.patch(charset, "encode_text", counted)

    def player(self, name: str, *options: str) -> SimulatedClient:
        self.addresses += 1  # (each address may create a few characters an hour)
        player = self.world.login(name, address=f"10.0.0.{self.addresses}")
        for option in options:
            self.assertIn("Set.", player.send(f"option {option}"))
        return player

    def test_one_rendering_per_way_of_showing(self) -> None:
        """
        Nine listeners in four ways of showing text (six alike, one with 256
        colours, one 40 columns wide, one in Latin-1): Alice's line is
        encoded four times for them, and each reads it as before: the six
        the same text, the narrow one wrapped to 40 columns, the Latin-1
        one in Latin-1.
        """
        alice = self.player("Alice")
        alike = [self.player(name) for name in ("Bob", "Carol", "Dave", "Erin", "Finn", "Gina")]
        colour = self.player("Hank", "colour 256")
        narrow = self.player("Ivy", "width 40")
        latin = self.player("Joan", "charset latin-1")
        listeners = [*alike, colour, narrow, latin]
        for player in listeners:
            player.output()
        before = [len(player.raw()) for player in listeners]
        del self.encoded[:]
        alice.send(f"say {LINE}")
        heard = [text for text in self.encoded if "café" in text and "You say" not in text]
        self.assertEqual(len(heard), 4, heard)
        said = f'Alice says, "{LINE}"'
        texts = [player.output() for player in alike]
        self.assertEqual(texts, [texts[0]] * len(alike))
        self.assertEqual(" ".join(texts[0].split()), said)
        self.assertEqual(" ".join(colour.output().split()), said)
        lines = narrow.output().splitlines()
        self.assertGreater(len(lines), 1)
        self.assertTrue(all(len(line) <= 40 for line in lines), lines)
        self.assertEqual(" ".join(" ".join(lines).split()), said)
        wire = [player.raw()[start:] for player, start in zip(listeners, before, strict=True)]
        self.assertIn("café".encode("latin-1"), wire[-1])
        self.assertNotIn("café".encode(), wire[-1])
        self.assertTrue(all("café".encode() in data for data in wire[:-1]))

    def test_a_changed_option_is_shown_at_once(self) -> None:
        """
        A listener who turns colour on or changes width between two lines
        reads the second as the new setting shows it, not as remembered.
        """
        alice, bob = self.player("Alice"), self.player("Bob")
        alice.send(f"say {LINE} again")
        self.assertEqual(len(bob.output().splitlines()), 2)
        self.assertIn("Set.", bob.send("option width 30"))
        alice.send(f"say {LINE} again")
        lines = bob.output().splitlines()
        self.assertGreater(len(lines), 2)
        self.assertTrue(all(len(line) <= 30 for line in lines), lines)

    def test_long_texts_are_not_remembered(self) -> None:
        """
        A text longer than L{SHARED_TEXT} is rendered for each listener (its
        bytes are not kept), and each still reads it whole.
        """
        alice = self.player("Alice")
        listeners = [self.player(name) for name in ("Bob", "Carol", "Dave")]
        long = " ".join(["the long line"] * (SHARED_TEXT // 10))
        for player in listeners:
            player.output()
        del self.encoded[:]
        alice.send(f"say {long}")
        heard = [text for text in self.encoded if "long line" in text and "You say" not in text]
        self.assertEqual(len(heard), len(listeners))
        for player in listeners:
            self.assertEqual(" ".join(player.output().split()), f'Alice says, "{long}"')


class Channel:
    """
    What an L{SSHClient} writes to: its bytes, kept.
    """

    def __init__(self) -> None:
        self.buf = b""
        self.written: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.written.append(data)


class OtherDoorsTests(TestCase):
    def setUp(self) -> None:
        self.encoded: list[str] = []
        encode_text = charset.encode_text

        def counted(text: str, encoding: str) -> bytes:
            self.encoded.append(text)
            return encode_text(text, encoding)

        self.patch(charset, "encode_text", counted)

    def test_ssh(self) -> None:
        """
        Six SSH shells in three ways of showing text (no terminal, a
        256-colour terminal, a 16-colour one, two of each): a line with
        colour markup is encoded three times for them, and each channel
        gets exactly what its shell alone would make of it.
        """
        line = "|[196the café by the quay|n opens at dawn (ssh)"
        limits, clock = Limits(), Clock()
        ptys: list[Any] = [None, None, ("xterm-256color", 80, 24), ("xterm-256color", 80, 24),
                           ("xterm", 80, 24), ("xterm", 80, 24)]
        shells = [SSHClient(Channel(), limits, clock, "10.0.0.1", "key", pty)  # type: ignore[arg-type]
                  for pty in ptys]
        for shell in shells:
            shell.write(line)
        self.assertEqual(len([text for text in self.encoded if "café" in text]), 3, self.encoded)
        wire = [b"".join(shell.channel.written) for shell in shells]
        for shell, got in zip(shells, wire, strict=True):
            presentation = shell.presentation
            alone = presentation.encode(presentation.render(line)).replace(b"\n", b"\r\n")
            self.assertEqual(got, alone)
        self.assertEqual(len(set(wire)), 3)
        self.assertNotIn(b"\x1b[", wire[0])
        self.assertIn(b"\x1b[", wire[2])

    def test_web(self) -> None:
        """
        Five pages hearing Alice's line, two with colour off: it is made a
        message twice for them (once each way), and each page reads it,
        styled as it chose.
        """
        world = TestWorld()
        self.addCleanup(world.close)
        made: list[Any] = []
        text = messages.text

        def counted(runs: Any) -> str:
            runs = list(runs)
            made.append(runs)
            return text(runs)

        self.patch(messages, "text", counted)
        alice = world.login_web("Alice", address="10.0.1.1")
        pages = [world.login_web(name, address=f"10.0.1.{number}")
                 for number, name in enumerate(("Bob", "Carol", "Dave", "Erin", "Finn"), 2)]
        for page in pages[3:]:
            self.assertIn("Set.", page.send("option colour off"))
        for page in pages:
            page.received()
        del made[:]
        alice.send("say |[196the café by the quay|n opens at dawn (web)")
        heard = [runs for runs in made if any("café" in run[0] for run in runs)
                 and not any("You say" in run[0] for run in runs)]
        self.assertEqual(len(heard), 2, heard)
        said = 'Alice says, "the café by the quay opens at dawn (web)"'
        got = [[m for m in page.received() if m.get("type") == "text"] for page in pages]
        for messages_got in got:
            shown = "".join(run[0] for m in messages_got for run in m["runs"])
            self.assertEqual(" ".join(shown.split()), said)
        self.assertEqual(got[0], got[1])
        self.assertEqual(got[1], got[2])
        self.assertEqual(got[3], got[4])
        self.assertNotEqual(got[0], got[3])
