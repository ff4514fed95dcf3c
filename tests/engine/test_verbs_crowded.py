"""
A word that is no command, typed beside a pile a builder made, reads only
the scripted things around (issue 11): looking for a script verb that
answers it, or for a thing to name in the "Rub what?" hint, must not read
every unscripted thing in the room, or anyone's typo would load a
thousand objects. Measured in objects loaded from the database (ZODB's
counter, never a clock), with the cache emptied first.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.scripts import verbs
from engine.testing import SimulatedClient, TestWorld
from tests.engine.test_verbs_hints import TEAPOT, flat
from tests.redteam_world import test_crowded_rooms as crowded
from tests.redteam_world.test_crowded_rooms import CLUTTER, loaded, pile, run_by
from tests.scripts.helpers import make
from world.objects import Thing
from world.scripts import set_script


class UnknownWordReadsTests(TestCase):
    """
    An unknown word, or a verb only a thing in reach answers to, beside
    nearly a thousand things reads about as many objects as a C{say}.
    """

    def world(self) -> TestWorld:
        return crowded.CrowdedRoomReadsTests.world(self)  # type: ignore[arg-type]

    def loads(self, carol: SimulatedClient, world: TestWorld, line: str) -> tuple[int, str]:
        """
        The objects Carol's C{line} loads (typed once before, so that its
        code's own objects are loaded), and what she was told.
        """
        carol.send(line)
        count = loaded(world.store)
        said = carol.send(line)
        return count(), flat(said)

    def square(self, clutter: int, teapot: bool = False) -> tuple[TestWorld, SimulatedClient]:
        """
        The small world with C{clutter} unscripted pebbles in the town
        square (and with C{teapot}, Alice's teapot answering to C{rub}),
        and Carol there.
        """
        world = self.world()
        carol = world.login("Carol")
        if teapot:
            alice = world.login("Alice", role="builder")
            make(alice, "teapot", TEAPOT)
        pile(world.store, "Town Square", clutter)
        carol.send("look")
        return world, carol

    def test_an_unknown_word_beside_a_pile_reads_as_few_as_a_say(self) -> None:
        """
        C{xyzzy} and C{xyzzy pebble 5} beside nearly a thousand pebbles are
        "Huh?" after loading about as many objects as beside ten, and as a
        C{say} there (C{xyzzy} loaded 2,038 objects, a say 11).
        """
        world, carol = self.square(10)
        few = self.loads(carol, world, "xyzzy")
        self.assertIn("Huh? 'xyzzy'", few[1])
        few_named = self.loads(carol, world, "xyzzy pebble 5")
        self.assertIn("Huh? 'xyzzy'", few_named[1])
        world, carol = self.square(CLUTTER)
        say, _ = self.loads(carol, world, "say hi")
        many, said = self.loads(carol, world, "xyzzy")
        self.assertIn("Huh? 'xyzzy'", said)
        self.assertLess(many, few[0] + 5, (few, many))
        self.assertLess(many, say + 15, (say, many))
        many_named, said = self.loads(carol, world, "xyzzy pebble 5")
        self.assertIn("Huh? 'xyzzy'", said)
        self.assertLess(many_named, few_named[0] + 5, (few_named, many_named))
        self.assertLess(many_named, say + 15, (say, many_named))

    def test_a_verb_hint_beside_a_pile_reads_only_a_few(self) -> None:
        """
        C{rub} beside nearly a thousand pebbles and a teapot answering to
        it still names the teapot, after loading about as many objects as
        beside ten.
        """
        world, carol = self.square(10, teapot=True)
        few, said = self.loads(carol, world, "rub")
        self.assertIn("Rub what? The teapot here answers to 'rub' ('rub teapot').", said)
        world, carol = self.square(CLUTTER, teapot=True)
        many, said = self.loads(carol, world, "rub")
        self.assertIn("Rub what? The teapot here answers to 'rub' ('rub teapot').", said)
        self.assertLess(many, few + 5, (few, many))
        self.assertIn("The teapot warms.", carol.send("rub teapot"))

    def kites(self, children: int) -> tuple[TestWorld, SimulatedClient]:
        """
        The small world with Alice's teapot in the town square and
        C{children} things of Bob's running his kite's script (a verb
        C{fly}), and Carol there.
        """
        world = self.world()
        alice = world.login("Alice", role="builder")
        bob = world.login("Bob", role="builder")
        carol = world.login("Carol")
        make(alice, "teapot", TEAPOT)
        make(bob, "kite", """
            def verb_fly(actor, *rest):
                actor.tell("The kite soars.")
        """)
        run_by(world.store, "kite", children)
        carol.send("look")
        return world, carol

    def test_a_verb_hint_beside_a_scripted_pile_reads_only_a_few(self) -> None:
        """
        Beside nearly a thousand things running one script, C{rub}, C{fly}
        and C{xyzzy} read one of them: they all answer to the same words.
        """
        world, carol = self.kites(10)
        few = [self.loads(carol, world, line) for line in ("rub", "fly", "xyzzy")]
        world, carol = self.kites(CLUTTER)
        many = [self.loads(carol, world, line) for line in ("rub", "fly", "xyzzy")]
        self.assertIn("Rub what? The teapot here answers to 'rub'", many[0][1])
        self.assertIn("Fly what? The kite here answers to 'fly' ('fly kite').", many[1][1])
        self.assertIn("Huh? 'xyzzy'", many[2][1])
        for (before, _), (after, _) in zip(few, many, strict=True):
            self.assertLess(after, before + 5, (few, many))
        self.assertIn("The kite soars.", carol.send("fly kite 900"))

    def test_more_scripts_than_are_read_still_answer_when_named(self) -> None:
        """
        Beside more things with scripts of their own than a hint reads
        (L{verbs.MAX_HINTED}), the one that arrived last still runs its
        verb when named, and C{xyzzy} reads no more than the first few.
        """
        world = self.world()
        alice = world.login("Alice", role="builder")
        carol = world.login("Carol")
        few, _ = self.loads(carol, world, "xyzzy")
        with world.store.turn() as turn:
            square = next(o for o in turn.root.all() if o.name == "Town Square")
            for n in range(verbs.MAX_HINTED * 3):
                thing = turn.root.create(Thing, f"bell {n}", location=square,
                                         owner=alice.session.character_id)
                set_script(thing, f"def verb_ring{n}(actor, *rest):\n    pass\n",
                           (f"verb_ring{n}",), None)
        make(alice, "teapot", TEAPOT)
        many, said = self.loads(carol, world, "xyzzy")
        self.assertIn("Huh? 'xyzzy'", said)
        self.assertLess(many, few + verbs.MAX_HINTED * 3 + 10, (few, many))
        self.assertIn("The teapot warms.", carol.send("rub teapot"))
        self.assertIn("bell 0 here answers to 'ring0'", flat(carol.send("ring0")))
