# -*- test-case-name: tests.redteam_world.test_r7_attack_late_rider -*-
"""
A thing that starts running a script while another player keeps it tells
her, as one that came into her keeping scripted does (issue 9, round 7).

Carol picked up Bob's plain ring: no rider notice, as it ran nothing. Bob
then scripted it from another room by its number (@script #<ring>, or
@script/use #<ring> = <his bell>): it ran his script wherever she went, and
she was never told, though 'help' promises that nothing runs another's
script in her keeping without her knowing.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, flat, script


class LateRiderTests(TestCase):
    """
    Carol carries Bob's plain ring, in a pouch of hers; Bob is in the market.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.bob.send("@create ring")
        self.ring = self.s.thing("ring").id
        self.s.bob.send("drop ring")
        self.s.carol.send("get ring")
        self.s.carol.send("@create container pouch")
        self.s.carol.send("put ring in pouch")
        self.s.bob.send("north")
        self.s.read()

    def test_scripted_in_her_keeping(self) -> None:
        """
        Bob's first script on the ring tells Carol it runs a script of his
        and how to be rid of it.
        """
        script(self.s.bob, f"#{self.ring}", """
            def on_look(actor):
                pass
            """)
        heard = flat(self.s.carol.output())
        self.assertIn("ring", heard)
        self.assertIn("runs a script", heard)
        self.assertIn("Bob", heard)

    def test_made_to_run_anothers(self) -> None:
        """
        '@script/use #<ring> = bell' tells Carol too.
        """
        self.s.bob.send("@create bell")
        script(self.s.bob, "bell", """
            def on_look(actor):
                pass
            """)
        self.s.read()
        said = self.s.bob.send(f"@script/use #{self.ring} = bell")
        self.assertIn("now runs the script of bell", said)
        heard = flat(self.s.carol.output())
        self.assertIn("runs a script", heard)

    def test_an_edit_tells_nothing_more(self) -> None:
        """
        Editing the script the ring already ran when she was told tells her
        nothing again.
        """
        script(self.s.bob, f"#{self.ring}", "def on_look(actor):\n    pass\n")
        self.s.read()
        script(self.s.bob, f"#{self.ring}", "def on_look(actor):\n    return 1\n")
        self.assertNotIn("runs a script", flat(self.s.carol.output()))
