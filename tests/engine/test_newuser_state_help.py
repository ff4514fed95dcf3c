"""
A new scripter reading 'help state' or 'help facets' learns that state works
like a dict and that what it gives back is a copy, to be stored back.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.testing import TestWorld
from tests.scripts.helpers import flat


class StateHelpTests(TestCase):
    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)
        self.alice = self.world.login("Alice")

    def test_help_state_shows_dict_use(self) -> None:
        """
        'help state' shows state["n"] = 1, reading, del, in, len and
        iteration, and what a missing key does.
        """
        told = flat(self.alice.send("help state"))
        for written in ('state["n"] = 1', 'del state["n"]', '"n" in state', "len(state)",
                        "for key in state", 'state.get("n", 0)', "KeyError"):
            self.assertIn(written, told)

    def test_help_says_reads_are_copies(self) -> None:
        """
        'help facets' and 'help state.get' say that what is read is a copy
        and how to store a changed list back.
        """
        for topic in ("help facets", "help state.get"):
            told = flat(self.alice.send(topic))
            self.assertIn("copy", told)
            self.assertIn('state["notes"] = notes', told)
