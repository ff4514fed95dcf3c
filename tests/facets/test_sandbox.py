"""
Facets inside the sandbox (scripting.run): what a real script holding them
can and cannot do. The sandbox leaves every decision on a facet to its
checker, so these check that the two agree end to end.
"""

from __future__ import annotations

from twisted.trial import unittest

from scripting import run
from scripting.facets.adapters import facet, revocable
from tests.facets.helpers import build, task
from tests.world.test_store import RecordingMind
from world.store import WorldStore


class SandboxTests(unittest.TestCase):
    def setUp(self) -> None:
        self.store = WorldStore()
        self.addCleanup(self.store.close)
        self.w = build(self.store)

    def test_script_with_a_view_cannot_rename(self) -> None:
        """
        Bob's script holding a view of Alice's lamp reads it but cannot
        rename it (the error lists what a view offers); the lamp is unchanged.
        """
        with task(self.store, self.w.bob.id):
            read = run("print(lamp.name, lamp.location.name)",
                       endowments={"lamp": facet(self.w.lamp, "view")})
            write = run("lamp.rename('junk')", endowments={"lamp": facet(self.w.lamp, "view")})
        self.assertEqual(read.output, "brass lamp Hall\n", read.error)
        self.assertFalse(write.ok)
        self.assertIn("'rename' is not available", write.error)
        self.assertIn("it offers ", write.error)
        offered = write.error.split("it offers ", 1)[1].split(" (", 1)[0].split(", ")
        self.assertIn("name", offered)
        self.assertNotIn("rename", offered)
        self.assertFalse(any(n.startswith("_") for n in offered))
        self.assertEqual(self.w.lamp.name, "brass lamp")

    def test_script_traversal_yields_no_power(self) -> None:
        """
        A script walking everything in the room from its view facet can
        rename, move or destroy none of it.
        """
        source = (
            "denied = 0\n"
            "for item in lamp.location.contents:\n"
            "    for name in ('rename', 'move_to', 'destroy', 'set_property', 'tell'):\n"
            "        try:\n"
            "            getattr(item, name)\n"
            "        except AttributeError:\n"
            "            denied += 1\n"
            "print(denied)\n"
        )
        with task(self.store, self.w.bob.id):
            result = run(source, endowments={"lamp": facet(self.w.lamp, "view",
                                                           voice=self.w.lamp)})
        self.assertEqual(result.output, "25\n", result.error)

    def test_script_speaks_and_creates_through_its_endowments(self) -> None:
        """
        With its host's control facet and its room's interact facet a script
        speaks as its host and creates an object its owner owns.
        """
        self.store.minds[self.w.alice.id] = RecordingMind(self.store)  # (only the awake are told)
        with task(self.store, self.w.bob.id) as turn:
            result = run("here.say('ding')\nmade = this.create('thing', 'clapper')\n"
                         "print(made.name)",
                         endowments={"here": facet(self.w.hall, "interact", voice=self.w.bell),
                                     "this": facet(self.w.bell, "control")})
            self.assertEqual(turn.events[0][1].text, 'bell says, "ding"')
        self.assertEqual(result.output, "clapper\n", result.error)
        self.assertEqual(self.w.hall.contents[-1].owner, self.w.bob.id)

    def test_world_errors_reach_the_script_as_text(self) -> None:
        """
        A world rule's refusal reaches the script as its message.
        """
        with task(self.store, self.w.bob.id):
            result = run("this.move_to(far)", endowments={"this": facet(self.w.bell, "control"),
                                                          "far": facet(self.w.study)})
        self.assertFalse(result.ok)
        self.assertIn("Study is out of reach of bell.", result.error)

    def test_revoked_facet_is_dead_inside_the_script(self) -> None:
        """
        A facet revoked before the script runs is useless to it.
        """
        with task(self.store, self.w.bob.id):
            lamp, cell = revocable(facet(self.w.lamp, "view"))
            cell.revoke()
            result = run("print(lamp.name)", endowments={"lamp": lamp})
        self.assertFalse(result.ok)
        self.assertIn("revoked", result.error)
