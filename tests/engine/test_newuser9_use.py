"""
'use <thing>' of a thing with no on_use (found playing Saltmere: 'use
machine', 'use board'): the answer names the thing with its article and
says the words it does answer to, so the player is not left guessing.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, flat, make


class UseTests(TestCase):
    """
    'use' of what has no use.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_use_of_a_thing_with_verbs_names_them(self) -> None:
        """
        'use board' of a board whose script reads and posts (no on_use) says
        it answers to 'post' and 'read', with a line to try.
        """
        alice = self.s.alice
        make(alice, "notice board", """
            def verb_read(actor, dobj, prep, iobj, dobjstr, iobjstr):
                actor.tell("A note.")
            def verb_post(actor, dobj, prep, iobj, dobjstr, iobjstr):
                actor.tell("Posted.")
        """)
        said = flat(self.s.carol.send("use board"))
        self.assertIn("You can't think how to use the notice board;"
                      " it answers to 'post' and 'read' ('post notice board').", said)

    def test_use_of_a_plain_thing(self) -> None:
        """
        A plain thing is named with its article, and nothing more is said.
        """
        alice = self.s.alice
        alice.send("@create stone")
        said = flat(alice.send("use stone"))
        self.assertIn("You can't think how to use the stone.", said)
