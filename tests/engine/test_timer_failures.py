"""
A script that fails while its owner is away is not only logged: the owner's
last few failures are kept, bounded (a count and bytes each, the oldest
dropped), a line at his next login says how often his scripts failed
meanwhile, and C{@script/errors} shows them to him alone.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from scripting.facets import timers
from tests.scripts.helpers import Scene, flat, make
from world.scripts import FAILURE_BYTES, FAILURES_KEPT, failures_of, remember_failure

#: A bomb that goes off a few seconds after it is armed, failing on its line 5.
BOMB = """
def verb_arm(actor, *rest):
    timers.after(5, "boom")
def boom(data):
    secret = "bob's plans"
    return 1 / 0
"""


class FailuresWhileAwayTests(TestCase):
    """
    Carol arms Bob's bomb and Bob leaves; its timer fails while he is away.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "bomb", BOMB)
        self.s.read()

    def reconnect(self, name: str) -> str:
        """
        Log C{name} in again; what he is shown.
        """
        player = self.s.world.connect()
        said = flat(player.send(f"connect {name} correct horse"))
        if name == "Bob":
            self.s.bob = player
        return said

    def test_told_at_login_and_shown_by_errors(self) -> None:
        """
        Back, Bob is told in one line that his scripts failed while he was
        away and how to see it; @script/errors shows the failure, its line
        and its error. He is told at that login only.
        """
        self.s.carol.send("arm bomb")
        self.s.bob.disconnect()
        self.s.world.clock.advance(5)
        said = self.reconnect("Bob")
        self.assertIn("Your scripts failed once while you were away: @script/errors shows "
                      f"the last {FAILURES_KEPT}.", said)
        shown = flat(self.s.bob.send("@script/errors"))
        self.assertIn("A timer fired", shown)
        self.assertIn("ZeroDivisionError", shown)
        self.assertIn("line 5, in boom() return 1 / 0", shown)
        self.s.bob.disconnect()
        self.assertNotIn("while you were away", self.reconnect("Bob"))

    def test_handler_woken_by_another(self) -> None:
        """
        A handler Carol wakes while Bob is away (her using his verb) that
        fails is counted too.
        """
        make(self.s.bob, "parrot", "def verb_poke(actor, *rest):\n    return [][1]\n")
        self.s.bob.disconnect()
        self.s.carol.send("poke parrot")
        self.assertIn("Your scripts failed once while you were away", self.reconnect("Bob"))
        self.assertIn("IndexError", flat(self.s.bob.send("@script/errors")))

    def test_not_counted_while_connected(self) -> None:
        """
        A failure Bob was shown as it happened is kept for @script/errors
        but not announced at his next login.
        """
        self.s.carol.send("arm bomb")
        self.s.world.clock.advance(5)
        self.assertIn("ZeroDivisionError", flat(self.s.bob.output()))
        self.s.bob.disconnect()
        self.assertNotIn("while you were away", self.reconnect("Bob"))
        self.assertIn("ZeroDivisionError", flat(self.s.bob.send("@script/errors")))

    def test_others_see_none_of_it(self) -> None:
        """
        Carol, who armed the bomb, sees none of Bob's failures, their lines
        or their traceback, with @script/errors or at her login.
        """
        self.s.carol.send("arm bomb")
        self.s.bob.disconnect()
        self.s.world.clock.advance(5)
        self.s.carol.disconnect()
        said = self.reconnect("Carol")
        carol = self.s.world.connect()
        said += flat(carol.send("connect Carol correct horse"))
        self.s.alice.output()
        said += flat(self.s.alice.send("@script/errors"))
        self.assertNotIn("while you were away", said)
        self.assertNotIn("1 / 0", said)
        self.assertNotIn("ZeroDivisionError", said)
        self.assertIn("Your scripts have not failed lately.", said)

    def test_bounded(self) -> None:
        """
        However many failures and however long their texts, an owner keeps
        his last L{FAILURES_KEPT}, the oldest dropped, each cut to
        L{FAILURE_BYTES} bytes; all of them counted as unseen.
        """
        bob = self.s.character("Bob").id
        with self.s.world.store.turn() as turn:
            reg = timers.registry(turn.root)
            for n in range(3 * FAILURES_KEPT):
                remember_failure(reg, bob, float(n), f"failure {n} " + "é" * 5000, away=True)
            remember_failure(reg, None, 0.0, "the world's", away=True)
        with self.s.world.store.turn() as turn:
            log = failures_of(timers.registry(turn.root), bob)
            assert log is not None
            self.assertEqual([e.when for e in log.entries],
                             [float(n) for n in range(2 * FAILURES_KEPT, 3 * FAILURES_KEPT)])
            for entry in log.entries:
                self.assertLessEqual(len(entry.text.encode("utf-8")), FAILURE_BYTES)
                self.assertTrue(entry.text.endswith("(cut)"))
            self.assertEqual(log.unseen, 3 * FAILURES_KEPT)
            self.assertEqual(list(timers.registry(turn.root).failures.keys()), [bob])
        self.s.bob.disconnect()
        said = self.reconnect("Bob")
        self.assertIn(f"Your scripts failed {3 * FAILURES_KEPT} times while you were away", said)
        shown = flat(self.s.bob.send("@script/errors"))
        self.assertIn(f"failure {3 * FAILURES_KEPT - 1} ", shown)
        self.assertNotIn(f"failure {2 * FAILURES_KEPT - 1} ", shown)
