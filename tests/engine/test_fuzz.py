"""
Random input to whole sessions: whatever players type, commands either work
or say what was wrong; none fails with an internal error.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from twisted.trial.unittest import TestCase

from engine.commands import TABLE
from engine.limits import Limits
from engine.testing import TestWorld
from world.containment import check_invariants

WORDS = sorted({w for c in TABLE.commands for w in c.words()} | {
    "n", "s", "u", "d", "north", "gate", "lamp", "lantern", "bag", "coin", "fountain",
    "bob", "alice", "me", "here", "#1", "#2", "#999", "to", "in", "from", "=", "/", "all",
    "2.coin", "container", "box", "x/y", "1", "true", "[1,2]", '"q"', "Kitchen", "@"})


class CommandFuzzTests(TestCase):
    @settings(max_examples=150, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6), max_size=12),
           st.sampled_from(["player", "builder", "wizard"]))
    def test_no_internal_errors(self, lines, role):
        """
        Random command lines never hit an internal error, never break
        containment, and never stop the session.
        """
        world = TestWorld(limits=Limits(command_burst=10_000))
        try:
            world.login("Wiz")
            alice = world.login("Alice", role=role)
            bob = world.login("Bob")
            for words in lines:
                if words[0] in ("quit", "@shutdown"):
                    continue
                text = alice.send(" ".join(words))
                self.assertNotIn("Something went wrong", text, words)
                if not alice.connected:
                    break
            bob.output()
            with world.store.turn() as turn:
                self.assertEqual(check_invariants(turn.root.all()), [])
        finally:
            world.close()
