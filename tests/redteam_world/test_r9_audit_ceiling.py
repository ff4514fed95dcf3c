# -*- test-case-name: tests.redteam_world.test_r9_audit_ceiling -*-
"""
Audit of round 9's ceiling: a room's verb answering a word its visitor
typed without naming anything (C{dance}, C{sit}) is not her choice of
script. The world's consent rule already says so (such a verb acts on
the room owner's authority alone); the server's ceiling counted its time
toward her own doings, so that a room owner with costly verbs for common
words (and alts keeping the server busy) could get his visitors held
(their verbs refused, their timers waiting, their building stopped).
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.testing import timed_blocks_take
from tests.scripts.helpers import Scene, script


class RoomVerbTests(TestCase):

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.meters = self.s.world.server.scripts.meters
        timed_blocks_take(self.s.world, 0.01)
        self.s.alice.send("@dig Parlour")
        parlour = self.s.thing("Parlour").id
        self.s.alice.send(f"@teleport #{parlour}")
        self.s.alice.send("@set here/public = true")
        script(self.s.alice, "here", """
            def verb_dance(actor, dobj, prep, iobj, dobjstr, iobjstr):
                actor.tell("You dance a jig.")
            """)
        self.s.world.set_role("Carol", "builder")
        self.s.carol.send(f"@teleport #{parlour}")
        self.s.read()

    def test_an_unnamed_rooms_verb_is_its_owners(self) -> None:
        """
        Carol types 'dance' in Alice's parlour: its time is counted toward
        Alice (what others woke of her scripts), not toward Carol's own.
        """
        alice, carol = self.s.character("Alice").id, self.s.character("Carol").id
        before = self.meters.caused(carol, own=True)
        self.assertIn("You dance a jig", self.s.carol.send("dance"))
        self.assertEqual(self.meters.caused(carol, own=True), before)
        self.assertGreater(self.meters.caused(alice), 0)

    def test_naming_the_room_chooses_it(self) -> None:
        """
        'dance here' names the room: her choice, counted toward her.
        """
        carol = self.s.character("Carol").id
        before = self.meters.caused(carol, own=True)
        self.assertIn("You dance a jig", self.s.carol.send("dance here"))
        self.assertGreater(self.meters.caused(carol, own=True), before)
