"""
End to end over telnet: the real service on a loopback port. One player
scripts an object live; a second player uses it; after a restart of the
server on the same database, the script, its state and its timer are still
there.
"""

from __future__ import annotations

import os

from twisted.internet import defer
from twisted.trial.unittest import TestCase

from engine.testing import LiveServer, TelnetPlayer

BELL = [
    "def verb_ring(actor, dobj, prep, iobj, dobjstr, iobjstr):",
    "    rings = state.get('rings', 0) + 1",
    "    state.set('rings', rings)",
    "    here.emote('rings: DING number ' + str(rings))",
    "    if rings == 1:",
    "        timers.after(1, 'echo')",
    "def echo(data):",
    "    here.emote('echoes faintly')",
    ".",
]


class LiveScriptingTests(TestCase):
    """
    What a player runs is what is tested.
    """

    timeout = 60

    def start(self, db: str) -> int:
        self.server = LiveServer("--db", db, "--content", "")
        self.addCleanup(self.server.stop)
        return self.server.start()

    async def connect(self, port: int) -> TelnetPlayer:
        return await self.server.connect()

    @defer.inlineCallbacks
    def test_script_live_use_and_restart(self):
        """
        Alice (a wizard: the first account) scripts a bell over telnet; Bob
        rings it; its timer echoes; after a restart Bob rings it again and
        its state has kept count.
        """
        db = os.path.join(self.mktemp(), "world.fs")
        os.makedirs(os.path.dirname(db))
        port = self.start(db)
        alice = yield defer.ensureDeferred(self.connect(port))
        bob = yield defer.ensureDeferred(self.connect(port))
        yield alice.expect("create <name>")
        alice.send("create Alice correct horse")
        yield alice.expect("Limbo")
        bob.send("create Bob correct horse")
        yield bob.expect("Limbo")
        alice.send("@create bell")
        yield alice.expect("You create bell")
        alice.send("drop bell")
        yield alice.expect("You drop the bell.")
        alice.send("@script bell")
        yield alice.expect("'.' alone saves")
        for line in BELL:
            alice.send(line)
        yield alice.expect("it defines echo, verb_ring.")
        bob.send("ring bell")
        yield bob.expect("bell rings: DING number 1")
        yield alice.expect("bell rings: DING number 1")
        yield bob.expect("bell echoes faintly")
        bob.send("quit")
        yield bob.expect("Goodbye")
        alice.send("quit")
        yield alice.expect("Goodbye")
        yield self.server.stop()

        port = self.start(db)
        bob = yield defer.ensureDeferred(self.connect(port))
        yield bob.expect("create <name>")
        bob.send("connect Bob correct horse")
        yield bob.expect("Limbo")
        bob.send("ring bell")
        yield bob.expect("bell rings: DING number 2")
