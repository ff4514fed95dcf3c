"""
Reloading content settles what it takes away as @destroy does: an object
replaced because its kind changed, or an exit taken out of a room, loses
its timers (they no longer fire, nor count against its owner's quota), its
grants and its charges; text content writes over text an owner was charged
for is refunded. Otherwise every reload over a scripted world object would
leave the world's timers and bytes charged for objects that are gone, until
the world's own scripts could set no timer at all.
"""

from __future__ import annotations

import os

from twisted.internet.task import Clock
from twisted.trial.unittest import TestCase

from engine.testing import HALL_AND_YARD, SimulatedClient, TestWorld
from scripting.facets import accounting, grants, timers
from world.objects import Container, Thing

HALL = HALL_AND_YARD

BOX = '''\
[things.box]
name = "music box"
aliases = ["box"]
description = "A music box."
location = "hall"
script = "box.py"

[things.lantern]
name = "brass lantern"
description = "A lantern."
location = "hall"
'''

SCRIPT = '''\
def on_attach():
    timers.every(60, "tick", "a tune")

def tick(data):
    here.emote("plays a tune")
'''


class ReloadSettlesTests(TestCase):
    """
    The world's music box has a script that sets a repeating timer when it
    starts; Wanda, a wizard, is in the hall.
    """

    def setUp(self) -> None:
        self.directory = self.mktemp()
        os.makedirs(self.directory)
        self.write(hall=HALL, things=BOX)
        with open(os.path.join(self.directory, "box.py"), "w") as f:
            f.write(SCRIPT)
        self.path = os.path.join(self.mktemp(), "world.fs")
        os.makedirs(os.path.dirname(self.path))
        self.clock = Clock()
        self.world = self.start()
        self.wizard = self.world.login("Wanda", role="wizard")
        self.base = self.usage()

    def write(self, **files: str) -> None:
        for name, text in files.items():
            with open(os.path.join(self.directory, f"{name}.toml"), "w") as f:
                f.write(text)

    def start(self) -> TestWorld:
        world = TestWorld(path=self.path, clock=self.clock, content=self.directory, build=None)
        self.addCleanup(world.close)
        return world

    def restart(self) -> SimulatedClient:
        """
        Stop the server and start it again, loading the content folder (as
        edited since) into the world: a reload. Wanda logs in again.
        """
        self.world.close()
        self.world = self.start()
        self.wizard = self.world.login("Wanda")
        return self.wizard

    def usage(self) -> accounting.Usage:
        with self.world.store.turn() as turn:
            return accounting.usage(turn.root, None)

    def box(self) -> Thing:
        with self.world.store.turn() as turn:
            found = turn.root.by_content("box")
        assert found is not None
        return found

    def test_replaced_objects_timers_stop_and_are_refunded(self) -> None:
        """
        The box becomes a container: the old box is replaced, its timer is
        cancelled and refunded (the world's timers and stored bytes are what
        they were: one timer, the new box's), and only the new box plays.
        """
        self.assertEqual(self.base.timers, 1)
        self.clock.advance(60)
        self.assertEqual(self.wizard.output().count("plays a tune"), 1)
        old = self.box()
        self.write(things=BOX.replace('script = "box.py"', 'script = "box.py"\n'
                                      'kind = "container"'))
        wizard = self.restart()
        new = self.box()
        self.assertIsInstance(new, Container)
        self.assertNotEqual(new.id, old.id)
        after = self.usage()
        self.assertEqual((after.timers, after.stored_bytes),
                         (self.base.timers, self.base.stored_bytes))
        with self.world.store.turn() as turn:
            self.assertEqual(timers.timers_on(turn.root, old), [])
            self.assertEqual(len(timers.timers_on(turn.root, new)), 1)
        self.clock.advance(60)
        self.assertEqual(wizard.output().count("plays a tune"), 1)

    def test_replaced_objects_grants_are_revoked(self) -> None:
        """
        A grant the replaced box held, and one of it held by the lantern's
        script, die with it.
        """
        with self.world.store.turn() as turn:
            box, lantern = turn.root.by_content("box"), turn.root.by_content("lantern")
            assert box is not None and lantern is not None
            held = grants.grant(turn.root, None, box, "light", lantern, "view").id
            given = grants.grant(turn.root, None, lantern, "tune", box, "view").id
        self.write(things=BOX.replace('script = "box.py"', 'script = "box.py"\n'
                                      'kind = "container"'))
        self.restart()
        with self.world.store.turn() as turn:
            self.assertEqual(grants.grants_of(turn.root, None), [])
            live = grants.registry(turn.root).live
            self.assertNotIn(held, live)
            self.assertNotIn(given, live)

    def test_replaced_objects_text_is_refunded(self) -> None:
        """
        What the wizard's description of the old box was charged to the
        world is refunded when the box is replaced.
        """
        self.wizard.send("@describe box = " + "d" * 2000)
        self.assertEqual(self.usage().stored_bytes, self.base.stored_bytes + 2000
                         - len("A music box."))
        self.write(things=BOX.replace('script = "box.py"', 'script = "box.py"\n'
                                      'kind = "container"'))
        self.restart()
        self.assertEqual(self.usage().stored_bytes, self.base.stored_bytes)

    def test_removed_exits_grants_are_revoked(self) -> None:
        """
        An exit taken out of the hall by content is forgotten like any
        destroyed object: a grant of it is revoked.
        """
        with self.world.store.turn() as turn:
            box = turn.root.by_content("box")
            north = turn.root.by_content("hall.north")
            assert box is not None and north is not None
            held = grants.grant(turn.root, None, box, "door", north, "view").id
        self.write(hall=HALL.replace('exits.north = "yard"\n', "").replace(
            'exits.south = "hall"', 'exits.south = { to = "hall", oneway = true }'))
        self.restart()
        with self.world.store.turn() as turn:
            self.assertIsNone(turn.root.by_content("hall.north"))
            self.assertNotIn(held, grants.registry(turn.root).live)
            self.assertEqual(grants.grants_of(turn.root, None), [])

    def test_rewritten_description_is_refunded(self) -> None:
        """
        Content writing a new description over the wizard's long one refunds
        what his was charged; the world pays nothing for content's text.
        """
        self.wizard.send("@describe box = " + "d" * 2000)
        self.assertGreater(self.usage().stored_bytes, self.base.stored_bytes + 1000)
        self.write(things=BOX.replace('"A music box."', '"A music box, newly ' + "x" * 500
                                      + '."'))
        self.restart()
        self.assertEqual(self.usage().stored_bytes, self.base.stored_bytes)
        with self.world.store.turn() as turn:
            box = turn.root.by_content("box")
            assert box is not None
            self.assertTrue(box.description.startswith("A music box, newly"))
            self.assertEqual(box.text_charged, 0)

    def test_text_content_leaves_alone_stays_charged(self) -> None:
        """
        Content changing the box's description refunds nothing for the
        longer name the wizard gave it (content did not touch the name),
        and never more than was charged.
        """
        self.wizard.send("@name box = music box of " + "n" * 40)
        charged = self.usage().stored_bytes - self.base.stored_bytes
        self.assertEqual(charged, len(" of ") + 40)
        self.write(things=BOX.replace('"A music box."', '"A tiny box."'))
        self.restart()
        self.assertEqual(self.usage().stored_bytes - self.base.stored_bytes, charged)
        self.assertEqual(self.box().name, "music box of " + "n" * 40)
