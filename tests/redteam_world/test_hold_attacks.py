"""
What one owner cannot do to another through holds: learn who met the
other's things (C{@holders} lists only what holds the player asking, and
counts only her own things' holds), give up the other's holds (C{shed}
gives up only the asker's), nor hold a player through more grants than
the ceiling, which is refused with a clear error and takes nothing from
the grants made before.
"""

from __future__ import annotations

from scripting.facets import holds
from tests.redteam_world.test_hold_charges import ROBOT, WATCHER, Charged
from tests.scripts.helpers import make


class SpyTests(Charged):
    """
    Carol looks at Alice's imp, Bob at nothing; Alice also looks at Bob's
    elf.
    """

    def setUp(self) -> None:
        super().setUp()
        make(self.s.alice, "imp", WATCHER)
        make(self.s.bob, "elf", WATCHER.replace("imp", "elf"))
        self.s.carol.send("look imp")
        self.s.alice.send("look elf")
        self.s.read()

    def test_holders_says_nothing_of_others(self) -> None:
        """
        Bob's C{@holders} names neither Carol nor Alice's imp, and counts
        only his own things' hold (of Alice).
        """
        said = self.s.bob.send("@holders")
        self.assertIn("No one else's script holds anything of you.", said)
        self.assertIn("Your things hold 1 player's facet", said)
        self.assertNotIn("Carol", said)
        self.assertNotIn("imp", said)

    def test_her_holders_only(self) -> None:
        """
        Carol's list names Alice's imp, which holds her, not Bob's elf,
        which holds Alice: she cannot learn whom others' things met.
        """
        said = self.s.carol.send("@holders")
        self.assertIn("imp", said)
        self.assertNotIn("elf", said)
        self.assertNotIn("Your things hold", said)

    def test_shed_only_his_own(self) -> None:
        """
        Bob's shed gives up his elf's hold of Alice, never Alice's imp's
        of Carol.
        """
        self.assertIn("gave up 1 hold ", self.s.bob.send("@holders/shed"))
        self.assertEqual(self.holders("Carol"), ["imp"])
        self.assertEqual(self.holders("Alice"), [])
        self.assertIn("gave up 0 holds ", self.s.carol.send("@holders/shed"))
        self.assertEqual(self.holders("Carol"), ["imp"])


class GrantCeilingTests(Charged):
    """
    Bob may hold Carol through at most L{holds.MAX_PER_OWNER} grants
    (pinned holds); here two.
    """

    def setUp(self) -> None:
        super().setUp()
        self.patch(holds, "MAX_PER_OWNER", 2)
        for name in ("robot", "droid", "golem"):
            make(self.s.bob, name, ROBOT)
            self.assertIn("Granted", self.s.bob.send(f"@grant {name}.eye = view Carol"))
        self.s.read()

    def test_third_refused(self) -> None:
        """
        The robot and the droid see Carol; the golem, the third, is
        refused, saying why, and takes nothing from the two. Only Bob's own
        grants make the ceiling (the holds of passers-by on Carol give way),
        so his golem failing so counts toward suspending it, as any failure
        of his own making.
        """
        self.assertIn("sees Carol", self.s.bob.send("peek robot"))
        self.assertIn("sees Carol", self.s.bob.send("peek droid"))
        said = " ".join(self.s.bob.send("peek golem").split())
        self.assertIn("Your things already hold Carol through 2 grants; revoke one "
                      "(@grants lists them) first.", said)
        self.assertIn("sees Carol", self.s.bob.send("peek robot"))
        self.assertIn("sees Carol", self.s.bob.send("peek droid"))
        self.assertEqual(self.holders("Carol"), ["droid", "robot"])

    def test_revoking_one_lets_the_next(self) -> None:
        self.s.bob.send("peek robot")
        self.s.bob.send("peek droid")
        self.s.bob.send("@revoke robot.eye")
        self.assertIn("sees Carol", self.s.bob.send("peek golem"))
        self.assertEqual(self.holders("Carol"), ["droid", "golem"])
