"""
GMCP in a crowded room: a session whose client negotiated no GMCP builds no
GMCP message for what it perceives, and the sessions whose clients did
share one message per event, encoded once; each still gets exactly what it
got before.
"""

from __future__ import annotations

import json
from typing import Any

from twisted.conch.telnet import DO, IAC
from twisted.trial.unittest import TestCase

from engine import oob
from engine.protocols import gmcp as gmcp_protocol
from engine.testing import SimulatedClient, TestWorld
from tests.protocols.test_sessions_mud import GMCP, gmcp, sb


class SharedMessagesTests(TestCase):
    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)
        self.built: list[str] = []
        self.encoded: list[str] = []
        channel_text, encode = oob.channel_text, gmcp_protocol.encode

        def counted_text(event: Any, viewer_id: int | None) -> Any:
            self.built.append(event.kind)
            return channel_text(event, viewer_id)

        def counted_encode(package: str, data: Any = gmcp_protocol.NO_DATA) -> bytes:
            self.encoded.append(package)
            return encode(package, data)

        self.patch(oob, "channel_text", counted_text)
        self.patch(gmcp_protocol, "encode", counted_encode)

    def mudlet(self, name: str) -> SimulatedClient:
        player = self.world.connect()
        player.send_raw(IAC + DO + GMCP)
        player.send_raw(sb(GMCP, b"Core.Supports.Set "
                           + json.dumps(["Comm.Channel 1", "Room 1"]).encode()))
        player.send(f"create {name} correct horse")
        player.raw()
        return player

    def said(self, player: SimulatedClient, line: str) -> None:
        del self.built[:], self.encoded[:]
        player.send(line)

    def test_no_gmcp_client_no_gmcp_build(self) -> None:
        """
        Speech in a room of players whose clients negotiated no GMCP builds
        no GMCP message and encodes none.
        """
        alice = self.world.login("Alice")
        for name in ("Bob", "Carol", "Dave"):
            self.world.login(name)
        self.said(alice, "say hello all")
        self.said(alice, "emote waves.")
        self.assertEqual((self.built, self.encoded), ([], []))

    def test_gmcp_clients_share_one_message(self) -> None:
        """
        Among players without GMCP, the two whose clients enabled it each get
        the same Comm.Channel.Text as before, built and encoded once for both;
        a speaker with GMCP reads its own line in its own message.
        """
        alice = self.world.login("Alice")
        self.world.login("Bob")
        erin, frank = self.mudlet("Erin"), self.mudlet("Frank")
        before = len(erin.raw()), len(frank.raw())
        self.said(alice, "say hello all")
        heard = {"channel": "say", "talker": "Alice", "text": 'Alice says, "hello all"'}
        self.assertEqual(gmcp(erin.raw()[before[0]:]), [("Comm.Channel.Text", heard)])
        self.assertEqual(gmcp(frank.raw()[before[1]:]), [("Comm.Channel.Text", heard)])
        self.assertEqual(self.built, ["say"])
        self.assertEqual(self.encoded, ["Comm.Channel.Text"])
        before = len(erin.raw()), len(frank.raw())
        self.said(erin, "say and you")
        own = gmcp(erin.raw()[before[0]:])
        other = gmcp(frank.raw()[before[1]:])
        self.assertEqual(other, [("Comm.Channel.Text", {
            "channel": "say", "talker": "Erin", "text": 'Erin says, "and you"'})])
        self.assertEqual(own, [("Comm.Channel.Text", {
            "channel": "say", "talker": "Erin", "text": 'You say, "and you"'})])
        self.assertEqual(sorted(self.encoded), ["Comm.Channel.Text", "Comm.Channel.Text"])

    def test_a_web_page_gets_the_same_message(self) -> None:
        """
        A web page that asked for Comm.Channel gets the same message as a
        telnet client, from the same encoding.
        """
        alice = self.world.login("Alice")
        erin = self.mudlet("Erin")
        page = self.world.login_web("Gina")
        page.supports("Comm.Channel 1")
        before = len(erin.raw())
        self.said(alice, "say hello all")
        heard = {"channel": "say", "talker": "Alice", "text": 'Alice says, "hello all"'}
        self.assertEqual(gmcp(erin.raw()[before:]), [("Comm.Channel.Text", heard)])
        self.assertEqual(page.gmcp("Comm.Channel.Text"), [heard])
        self.assertEqual(self.encoded, ["Comm.Channel.Text"])

    def test_room_info_still_sent_to_a_gmcp_client(self) -> None:
        """
        A GMCP client's map still gets Room.Info when it looks, in a room
        with a client without GMCP.
        """
        self.world.login("Alice")
        erin = self.mudlet("Erin")
        before = len(erin.raw())
        erin.send("look")
        packages = [package for package, _ in gmcp(erin.raw()[before:])]
        self.assertIn("Room.Info", packages)
