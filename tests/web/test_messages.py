"""
Tests for L{engine.web.messages}: what the page sends, what it is sent.
"""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st
from twisted.trial.unittest import TestCase

from engine import colour
from engine.protocols import gmcp
from engine.web import messages


class DecodeTests(TestCase):
    def test_input(self) -> None:
        """Input is split into lines (CR LF or LF)."""
        self.assertEqual(messages.decode('{"type": "input", "text": "look\\r\\nn\\nsay hi"}'),
                         messages.Input(("look", "n", "say hi")))

    def test_gmcp(self) -> None:
        """GMCP from the page is read exactly as over telnet."""
        self.assertEqual(
            messages.decode(json.dumps({"type": "gmcp",
                                        "message": 'Core.Supports.Set ["Room 1"]'})),
            messages.Gmcp("Core.Supports.Set", ["Room 1"]))
        self.assertIs(messages.decode('{"type": "gmcp", "message": "Core.Ping"}').data,
                      gmcp.NO_DATA)

    def test_size_clamped(self) -> None:
        """A window size is kept within what wrapping can use."""
        self.assertEqual(messages.decode('{"type": "size", "width": 5, "height": 9000}'),
                         messages.Size(messages.MIN_WIDTH, messages.MAX_HEIGHT))
        self.assertEqual(messages.decode('{"type": "size", "width": 9000}'),
                         messages.Size(messages.MAX_WIDTH, 0))

    def test_hello(self) -> None:
        """A hello names the client (made plain, bounded) and may ask for screen-reader text."""
        hello = messages.decode(json.dumps({"type": "hello", "client": "|rWeb\x1b" + "x" * 99,
                                            "screenreader": True}))
        self.assertEqual(hello.client, ("Web" + "x" * 99)[:messages.MAX_CLIENT_NAME])
        self.assertIs(hello.screen_reader, True)
        self.assertIsNone(messages.decode('{"type": "hello"}').screen_reader)

    def test_refusals(self) -> None:
        """Each malformed message is refused with a reason for the player."""
        for text, reason in [
            ("look", "That message was not JSON."),
            ("[]", "A message must be a JSON object with a type."),
            ('{"type": "input"}', "An input message needs its text."),
            ('{"type": "gmcp", "message": "bad name!"}', "That GMCP message was refused"),
            ('{"type": "size", "width": 1.5}', "A size message needs a whole width"),
            ('{"type": "hello", "client": 3}', "A hello message has a client name"),
            ('{"type": "dance"}', "There is no message type 'dance'."),
            ('{"type": "size", "width": NaN}', "NaN is not JSON"),
        ]:
            with self.assertRaises(messages.MessageError) as raised:
                messages.decode(text)
            self.assertIn(reason, str(raised.exception))

    @given(st.text(max_size=200))
    def test_anything(self, text: str) -> None:
        """Any text is a message or a MessageError, nothing else."""
        try:
            messages.decode(text)
        except messages.MessageError:
            pass


class EncodeTests(TestCase):
    def test_text(self) -> None:
        """Runs become [text, fg, bg, underline] lists."""
        runs = colour.runs("a |rb|n |uc", colour.XTERM256)
        self.assertEqual(json.loads(messages.text(runs)),
                         {"type": "text", "runs": [["a ", None, None, 0], ["b", 1, None, 0],
                                                   [" ", None, None, 0], ["c", None, None, 1]]})

    def test_gmcp(self) -> None:
        """A GMCP payload travels as its text."""
        self.assertEqual(json.loads(messages.gmcp_message(gmcp.encode("Room.Info", {"num": 1}))),
                         {"type": "gmcp", "message": 'Room.Info {"num":1}'})

    def test_echo_and_error(self) -> None:
        """Echo and error messages."""
        self.assertEqual(json.loads(messages.echo(False)), {"type": "echo", "on": False})
        self.assertEqual(json.loads(messages.error("no")), {"type": "error", "text": "no"})
