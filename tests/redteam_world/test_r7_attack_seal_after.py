# -*- test-case-name: tests.redteam_world.test_r7_attack_seal_after -*-
"""
A seal set after others put things in takes nothing of theirs (issue 9,
round 7): Bob's open chest holds Alice's gem; Bob seals it (by @set from
another room, or by its script's on_enter) and Alice can no longer take
her gem out: a seal holds against all but its owner.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, flat, script


class SealAfterTests(TestCase):

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.bob.send("@create container chest")
        self.chest = self.s.thing("chest").id
        self.s.bob.send("drop chest")
        self.s.alice.send("@create gem")

    def where(self, name: str) -> str:
        return self.s.thing(name).location.name

    def test_set_from_afar(self) -> None:
        """
        Bob's '@set #chest/sealed = true' from the market does not keep
        Alice's gem from her.
        """
        self.s.alice.send("put gem in chest")
        self.s.bob.send("north")
        self.s.bob.send(f"@set #{self.chest}/sealed = true")
        said = flat(self.s.alice.send("get gem from chest"))
        self.assertEqual(self.where("gem"), "Alice", said)

    def test_sealed_by_script(self) -> None:
        """
        A script that seals the chest as soon as something goes in does not
        keep Alice's gem from her.
        """
        script(self.s.bob, "chest", """
            def on_enter(actor, thing):
                this.set_property("sealed", True)
            """)
        self.s.alice.send("put gem in chest")
        said = flat(self.s.alice.send("get gem from chest"))
        self.assertEqual(self.where("gem"), "Alice", said)

    def test_refusal_names_them(self) -> None:
        """
        Bob is told his seal is refused, naming the first of the others'
        things (at any depth: here in his own coffer in the chest) and whose,
        and how many more; the chest stays open. Once it holds only his own
        things, he seals it.
        """
        s = self.s
        s.bob.send("@create container coffer")
        s.bob.send("drop coffer")
        s.alice.send("put gem in coffer")
        s.bob.send("get coffer")
        s.bob.send("put coffer in chest")
        s.alice.send("@create ring")
        s.alice.send("put ring in chest")
        said = flat(s.bob.send(f"@set #{self.chest}/sealed = yes"))
        self.assertIn("holds Alice's", said)
        self.assertIn("and 1 more not yours", said)
        self.assertNotIn("sealed", s.thing("chest").properties.keys())
        s.alice.send("get ring from chest")
        s.bob.send("get coffer from chest")
        said = flat(s.bob.send(f"@set #{self.chest}/sealed = yes"))
        self.assertTrue(s.thing("chest").properties.get("sealed"), said)
