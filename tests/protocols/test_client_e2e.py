"""
End to end with a real third-party MUD client: the running server (the same
service tree C{tessera run} starts, on a loopback port 0) driven by the
telnetlib3 client library in a separate process (L{e2e_client}).

The client negotiates what it supports (GMCP, MCCP2, CHARSET, TTYPE, NAWS),
creates a character, walks through the default world choosing exits from
the C{Room.Info} it receives, and quits; the test checks that a C{Room.Info}
arrived for every room, and that each move led to the room the previous
C{Room.Info} said it would (what a mapper relies on).
"""

from __future__ import annotations

import json
import os
import sys

import telnetlib3  # noqa: F401  (a test dependency: the client runs in a subprocess)
from twisted.internet import defer, reactor, utils
from twisted.trial.unittest import TestCase

from engine.testing import LiveServer

CLIENT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "e2e_client.py")
MOVES = 4


class RealClientTests(TestCase):
    """
    A real MUD client library against the real server.
    """

    timeout = 120

    def start_server(self) -> int:
        server = LiveServer("--memory")
        self.addCleanup(server.stop)
        return server.start()

    @defer.inlineCallbacks
    def test_walk_with_room_info(self):
        """
        telnetlib3 connects, negotiates GMCP and MCCP2, creates a character,
        walks, and receives Room.Info for each room it enters.
        """
        port = self.start_server()
        out, err, code = yield utils.getProcessOutputAndValue(
            sys.executable, [CLIENT, "127.0.0.1", str(port), "Wanderer", "lantern-path-42",
                             str(MOVES)],
            env=dict(os.environ), reactor=reactor)
        self.assertEqual(code, 0, err.decode(errors="replace"))
        result = json.loads(out)
        rooms = [data for package, data in result["gmcp"] if package == "Room.Info"]
        self.assertIsNone(result["error"], result["text"])
        self.assertTrue(result["mccp2"], "MCCP2 was not negotiated")
        self.assertIn(("Char.Name", {"name": "Wanderer", "fullname": "Wanderer"}),
                      [tuple(m) for m in result["gmcp"]])
        self.assertEqual(len(result["taken"]), MOVES)
        self.assertEqual(len(rooms), MOVES + 1)
        for room in rooms:
            self.assertEqual(set(room), {"num", "name", "area", "exits"})
            self.assertIsInstance(room["num"], int)
            self.assertTrue(room["name"])
            for key, target in room["exits"].items():
                self.assertIsInstance(target, int, key)
        for (key, expected), before, after in zip(result["taken"], rooms, rooms[1:],
                                                 strict=False):
            self.assertEqual(before["exits"][key], expected)
            self.assertEqual(after["num"], expected)
        self.assertIn("Wanderer", result["text"])
        self.assertNotIn("\ufffd", result["text"])
