"""
The MUD protocols through whole sessions (L{engine.testing}): GMCP from the
world, speech to other players without escape injection, the option command,
prompts and the plaintext MSSP request.
"""

from __future__ import annotations

import json
import re

from twisted.trial.unittest import TestCase

from engine.testing import SimulatedClient, TestWorld

IAC, SB, SE, WILL, DO = b"\xff", b"\xfa", b"\xf0", b"\xfb", b"\xfd"
GMCP, TTYPE, EOR_OPT = b"\xc9", b"\x18", b"\x19"


def gmcp(data: bytes) -> list[tuple[str, object]]:
    """
    The GMCP messages in a byte stream, in order.
    """
    found = []
    for m in re.finditer(re.escape(IAC + SB + GMCP) + rb"(.*?)" + re.escape(IAC + SE), data,
                         re.DOTALL):
        package, _, body = m.group(1).replace(IAC + IAC, IAC).decode().partition(" ")
        found.append((package, json.loads(body) if body else None))
    return found


def sb(option: bytes, payload: bytes) -> bytes:
    return IAC + SB + option + payload + IAC + SE


class MudSessionTests(TestCase):
    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)

    def mud_client(self, name: str, modules: list[str]) -> SimulatedClient:
        """
        A player whose client negotiates like Mudlet, then creates a character.
        """
        player = self.world.connect()
        player.send_raw(IAC + DO + GMCP + IAC + DO + EOR_OPT + IAC + WILL + TTYPE)
        player.send_raw(sb(GMCP, b'Core.Hello {"client":"Mudlet","version":"4.17.2"}'))
        player.send_raw(sb(GMCP, b"Core.Supports.Set " + json.dumps(modules).encode()))
        player.send_raw(sb(TTYPE, b"\x00MUDLET") + sb(TTYPE, b"\x00XTERM-256COLOR")
                        + sb(TTYPE, b"\x00MTTS 2829"))
        player.send(f"create {name} correct horse")
        return player

    def test_room_info_on_login_and_each_move(self) -> None:
        """Room.Info (num, name, area, exits to ids) arrives on login and each move."""
        bob = self.mud_client("Bob", ["Room 1", "Char 1"])
        bob.send("north")
        bob.send("down")
        messages = gmcp(bob.raw())
        rooms = [body for package, body in messages if package == "Room.Info"]
        things = self.world.things
        square, market, cellar = things["square"], things["market"], things["cellar"]
        self.assertEqual([r["num"] for r in rooms], [square.id, market.id, cellar.id])
        self.assertEqual(rooms[0]["exits"], {"n": market.id, "gate": market.id})
        self.assertEqual(rooms[1], {"num": market.id, "name": "Market", "area": "",
                                    "exits": {"s": square.id, "d": cellar.id}})
        self.assertIn(("Char.Name", {"name": "Bob", "fullname": "Bob"}), messages)

    def test_nothing_without_the_package(self) -> None:
        """A client that enabled only Char gets no Room.Info."""
        bob = self.mud_client("Bob", ["Char 1"])
        bob.send("north")
        packages = {p for p, _ in gmcp(bob.raw())}
        self.assertNotIn("Room.Info", packages)
        self.assertIn("Char.Status", packages)

    def test_speech_on_comm_channel(self) -> None:
        """Speech reaches Comm.Channel.Text with the talker's name."""
        bob = self.mud_client("Bob", ["Comm.Channel 1"])
        alice = self.world.login("Alice")
        alice.send("say Hello, Bob!")
        self.assertIn(("Comm.Channel.Text", {"channel": "say", "talker": "Alice",
                                             "text": 'Alice exclaims, "Hello, Bob!"'}),
                      gmcp(bob.raw()))

    def test_raw_escapes_never_reach_another_player(self) -> None:
        """A player's ESC, OSC and C1 bytes reach neither text nor GMCP of others."""
        bob = self.mud_client("Bob", ["Comm 1"])
        alice = self.world.login("Alice")
        attacks = [b"\x1b[2J", b"\x1b]52;c;cm0gLXJmIH4=\x07", "\u009b2J".encode(),
                   b"\x9b2J", b"\x1b]0;pwned\x1b\\", b"\x1bP+q\x1b\\", b"x\r\x1b[Kfake"]
        for attack in attacks:
            alice.send_raw(b"say " + attack + b" now\r\n")
        alice.send_raw(b"emote \x1b[5mblinks\r\n")
        seen = bob.raw()
        self.assertIn(b"Alice says", seen)
        self.assertIn(b"blinks", seen)
        self.assertNotIn(b"\x1b", re.sub(rb"\x1b\[[0-9;]*m", b"", seen))
        for byte in (b"\x9b", b"\x9d", b"\x07", b"\\u001b", b"\\u009b", b"\\u0007"):
            self.assertNotIn(byte, seen)
        self.assertNotIn(b"\r", seen.replace(b"\r\n", b""))

    def test_builder_colour_rendered_per_client(self) -> None:
        """Markup in a description is colour for Bob's client, plain for a bare one."""
        bob = self.mud_client("Bob", [])
        with self.world.store.turn() as turn:
            turn.root.get(self.world.things["lantern"].id).description = (
                "A |Ybrass|n lantern.")
        self.assertIn(b"A \x1b[1;33mbrass\x1b[0m lantern.", self._raw_after(bob, "look lamp"))
        carol = self.world.login("Carol")
        self.assertIn("A brass lantern.", carol.send("look lamp"))

    def _raw_after(self, player: SimulatedClient, line: str) -> bytes:
        before = len(player.raw())
        player.send(line)
        return player.raw()[before:]

    def test_option_command(self) -> None:
        """option shows and changes the connection's settings."""
        bob = self.mud_client("Bob", [])
        listing = bob.send("option")
        self.assertIn("colour", listing)
        self.assertIn("(now: 256", listing)
        self.assertIn("(now: utf-8)", listing)
        self.assertIn("Set. colour", bob.send("option colour off"))
        with self.world.store.turn() as turn:
            turn.root.get(self.world.things["lantern"].id).description = "A |Ybrass|n lamp."
        self.assertNotIn(b"\x1b", self._raw_after(bob, "look lamp"))
        self.assertIn("prompt can be", bob.send("option prompt sometimes"))

    def test_password_prompt_marked_with_eor(self) -> None:
        """A prompt (the password question) ends in IAC EOR once EOR is agreed."""
        player = self.world.connect()
        player.send_raw(IAC + DO + EOR_OPT)
        before = len(player.raw())
        player.send("create Dora")
        self.assertTrue(player.raw()[before:].endswith(b": " + IAC + b"\xef"))

    def test_mssp_request_at_login_screen(self) -> None:
        """MSSP-REQUEST at the welcome screen gets the plaintext block."""
        player = self.world.connect()
        player.output()
        reply = player.send("MSSP-REQUEST")
        self.assertTrue(reply.startswith("MSSP-REPLY-START\nNAME\tTessera\n"), reply)
        self.assertIn("\nPLAYERS\t", reply)
        self.assertTrue(reply.endswith("MSSP-REPLY-END\n"))
