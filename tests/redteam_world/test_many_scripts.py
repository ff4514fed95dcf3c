"""
A room where a builder parks many scripts (issue 9): a thousand things each
with a script of its own, or each of another owner's (alts), must not make
every happening there read the first thing of every script. A happening
reads at most L{fanout.MAX_SCRIPTS} scripts there, taken fairly between
owners (L{world.objects.Contents.fair_script_groups}), so another owner's
listener still hears. Measured in objects loaded from the database (ZODB's
counter, never a clock), with the cache emptied first.
"""

from __future__ import annotations

import math
import re
import textwrap
from typing import Any

from twisted.trial.unittest import TestCase

from engine.scripts import fanout
from engine.testing import TestWorld
from tests.engine.test_verbs_hints import TEAPOT, flat
from tests.redteam_world import test_crowded_rooms as crowded
from tests.redteam_world.test_crowded_rooms import CLUTTER, LISTENER, loaded
from tests.scripts.helpers import make
from world import containment
from world.objects import Thing
from world.scripts import set_script
from world.store import WorldStore


def scripts(store: WorldStore, count: int, source: str, owner: int | None,
            alts: bool = False) -> None:
    """
    Put C{count} things in the town square each holding a script of its
    own, C{source} (as saving it finds, it defines C{on_look} and maybe
    C{on_hear}): C{owner}'s, or with C{alts}, each of another owner (as a
    builder with as many accounts would).
    """
    functions = tuple(sorted(set(re.findall(r"def (\w+)", source))))
    with store.turn() as turn:
        square = next(o for o in turn.root.all() if o.name == "Town Square")
        for n in range(count):
            thing = turn.root.create(Thing, f"drum {n}", location=square,
                                     owner=1_000_000 + n if alts else owner)
            set_script(thing, textwrap.dedent(source), functions, None)


DEAF = """
    def on_look(actor):
        pass
"""

HEARING = """
    def on_hear(actor, text):
        pass
"""


class ManyScriptsReadsTests(TestCase):
    """
    A builder may park up to the ceiling of things in a room each holding a
    script of its own, or each of another owner's (alts): a happening
    there reads at most L{fanout.MAX_SCRIPTS} of those scripts, taken
    fairly between owners, so it loads about as many objects as beside
    that many, and another owner's listener there still hears.
    """

    def world(self) -> TestWorld:
        return crowded.CrowdedRoomReadsTests.world(self)  # type: ignore[arg-type]

    def say_loads(self, count: int, source: str, *, alts: bool = False,
                  trumpet_first: bool = True) -> tuple[int, str]:
        """
        The objects Carol's C{say} in the town square loads with Alice's
        trumpet there (made before the pile, or after) and C{count} things
        of Bob's (or, with C{alts}, of as many owners) each running a
        script C{source} of its own; and what Alice heard.
        """
        world = self.world()
        alice = world.login("Alice", role="builder")
        bob = world.login("Bob", role="builder")
        carol = world.login("Carol")
        trumpet = """
            def on_hear(actor, text):
                here.say("The trumpet echoes: " + text)
        """
        if trumpet_first:
            make(alice, "trumpet", trumpet)
        make(bob, "kite", DEAF)
        with world.store.turn() as turn:
            owner = next(o for o in turn.root.all() if o.name == "kite").owner
        scripts(world.store, count, source, owner, alts=alts)
        if not trumpet_first:
            make(alice, "trumpet", trumpet)
        carol.send("say warm up")
        alice.output()
        fanout.cursors.forget(world.store.connection)  # (as a restart: from the first owners)
        count_loads = loaded(world.store)
        carol.send("say hello")
        loads = count_loads()
        with world.store.turn() as turn:
            self.assertEqual(containment.check_invariants(turn.root.all()), [])
        return loads, alice.output()

    def assertReadsOnlyAFew(self, source: str, **kw: Any) -> None:
        """
        A say beside L{CLUTTER} things each running a script C{source} of
        its own loads about as many objects as beside
        L{fanout.MAX_SCRIPTS} of them, and Alice's trumpet hears it both
        times.
        """
        few, heard = self.say_loads(fanout.MAX_SCRIPTS, source, **kw)
        self.assertIn("The trumpet echoes: hello", heard)
        many, heard = self.say_loads(CLUTTER, source, **kw)
        self.assertIn("The trumpet echoes: hello", heard)
        self.assertLess(many, few + 10, (few, many))

    def test_one_owners_scripts_not_listening(self) -> None:
        """
        A say beside nearly a thousand things of Bob's, each with a script
        of its own that does not listen, reads no more than beside
        L{fanout.MAX_SCRIPTS} of them (it read the first of each script,
        three thousand objects, before).
        """
        self.assertReadsOnlyAFew(DEAF)

    def test_one_owners_scripts_listening(self) -> None:
        """
        A say beside nearly a thousand things of Bob's each with a script
        of its own that listens reads no more than beside
        L{fanout.MAX_SCRIPTS} of them, and Alice's trumpet hears it.
        """
        self.assertReadsOnlyAFew(HEARING)

    def test_one_owners_pile_first_does_not_crowd_out_another(self) -> None:
        """
        Bob's pile of scripts was there before Alice's trumpet: the scripts
        read are taken one of each owner at a time, so the trumpet is
        among them and hears, and the say reads no more.
        """
        self.assertReadsOnlyAFew(HEARING, trumpet_first=False)
        self.assertReadsOnlyAFew(DEAF, trumpet_first=False)

    def test_many_owners_scripts(self) -> None:
        """
        A say beside nearly a thousand things each of another owner (a
        builder's alts), each with a script of its own, listening or not,
        reads no more than beside L{fanout.MAX_SCRIPTS} of them: the
        owners whose scripted things arrived first are read first, so
        Alice's trumpet, there before them, still hears.
        """
        self.assertReadsOnlyAFew(DEAF, alts=True)
        self.assertReadsOnlyAFew(HEARING, alts=True)

    def test_owners_already_there_are_read_first(self) -> None:
        """
        The scripts read are those of the first L{fanout.MAX_SCRIPTS}
        owners to arrive (one script each, here): Alice's trumpet,
        arriving after Bob's kite and other owners' scripts, one fewer
        in all, hears; after as many, it is not read and does not (the
        bound, stated, for the first happening of its kind there since the
        server started: see
        L{test_owners_parked_first_do_not_keep_the_handlers}).
        """
        _, heard = self.say_loads(fanout.MAX_SCRIPTS - 2, DEAF, alts=True,
                                  trumpet_first=False)
        self.assertIn("The trumpet echoes: hello", heard)
        _, heard = self.say_loads(fanout.MAX_SCRIPTS - 1, DEAF, alts=True,
                                  trumpet_first=False)
        self.assertNotIn("The trumpet echoes", heard)

    def test_owners_parked_first_do_not_keep_the_handlers(self) -> None:
        """
        Eight, or forty, owners' listeners parked in the square before
        Alice's trumpet do not keep the L{fanout.MAX_HANDLERS} places for
        ever: each say starts L{fanout.ROTATE} owners further on (a cursor
        kept in memory, never written), so the trumpet hears within
        C{ceil(owners / ROTATE)} consecutive says (2 and 6 here), every say reads
        about as many objects as beside L{fanout.MAX_SCRIPTS} scripts, and
        rotating writes nothing.
        """
        for count in (fanout.MAX_HANDLERS, 40):
            world = self.world()
            alice = world.login("Alice", role="builder")
            carol = world.login("Carol")
            scripts(world.store, count, HEARING, None, alts=True)
            make(alice, "trumpet", """
                def on_hear(actor, text):
                    here.say("The trumpet echoes: " + text)
            """)
            with world.store.turn() as turn:
                square = next(o for o in turn.root.all() if o.name == "Town Square")
                serial = square.contents._p_serial
            bound = math.ceil((count + 1) / fanout.ROTATE)
            heard = []
            for n in range(2 * bound):
                world.clock.advance(1)  # (within the command rate)
                alice.output()
                carol.send(f"say hello {n}")
                heard.append(f"The trumpet echoes: hello {n}" in alice.output())
            self.assertIn(True, heard[:bound], (count, heard))
            self.assertIn(True, heard[bound:], (count, heard))
            with world.store.turn() as turn:
                self.assertEqual(square.contents._p_serial, serial)
                self.assertEqual(containment.check_invariants(turn.root.all()), [])

    def test_turns_read_no_more_scripts(self) -> None:
        """
        Taking turns (L{world.objects.Contents.fair_script_groups} with a
        name) reads at most the scripts asked for each time, marks nothing
        changed, and within C{ceil(owners / step)} calls has taken every
        owner's first script.
        """
        world = self.world()
        scripts(world.store, 40, HEARING, None, alts=True)
        with world.store.turn() as turn:
            square = next(o for o in turn.root.all() if o.name == "Town Square")
            contents = square.contents
            owners = {obj.owner for obj in contents.scripted()}
            taken: set[Any] = set()
            for _ in range(math.ceil(len(owners) / fanout.ROTATE)):
                groups = contents.fair_script_groups(fanout.MAX_SCRIPTS, "on_hear", fanout.ROTATE)
                self.assertLessEqual(len(groups), fanout.MAX_SCRIPTS)
                self.assertFalse(contents._p_changed)
                # The first ROTATE owners of each turn are the ones it moves past.
                taken |= {next(iter(group.values())).owner for group in groups[:fanout.ROTATE]}
            self.assertEqual(taken, owners)

    def test_a_normal_room_wakes_as_before(self) -> None:
        """
        In a room holding fewer scripts than L{fanout.MAX_SCRIPTS}, every
        one is read: the one of Bob's many that listens, made last, still
        hears.
        """
        world = self.world()
        bob = world.login("Bob", role="builder")
        carol = world.login("Carol")
        for n in range(fanout.MAX_SCRIPTS - 2):
            world.clock.advance(1)  # (within the command rate)
            make(bob, f"drum{n}", DEAF)
        world.clock.advance(1)
        make(bob, "bell", """
            def on_hear(actor, text):
                here.say("The bell rings: " + text)
        """)
        bob.output()
        carol.send("say hello")
        self.assertIn("The bell rings: hello", bob.output())


class ManyScriptsHintTests(TestCase):
    """
    A word nothing named answers to reads the scripts around as a
    happening does: at most L{fanout.MAX_SCRIPTS}, fairly between owners.
    """

    def test_a_pile_of_scripts_hides_no_others_verb(self) -> None:
        """
        Bob parks nearly a thousand things each with a script of its own
        in the square before Alice's teapot arrives: C{rub} still tells
        Carol the teapot answers to it (the scripts a hint reads are taken
        one of each owner's at a time), and C{rub} and C{xyzzy} read no
        more than beside L{fanout.MAX_SCRIPTS} of Bob's.
        """
        def typed(count: int) -> list[tuple[int, str]]:
            world = crowded.CrowdedRoomReadsTests.world(self)  # type: ignore[arg-type]
            alice = world.login("Alice", role="builder")
            bob = world.login("Bob", role="builder")
            carol = world.login("Carol")
            make(bob, "kite", DEAF)
            with world.store.turn() as turn:
                owner = next(o for o in turn.root.all() if o.name == "kite").owner
            scripts(world.store, count, DEAF, owner)
            make(alice, "teapot", TEAPOT)
            found = []
            for line in ("rub", "xyzzy"):
                carol.send(line)
                count_loads = loaded(world.store)
                said = carol.send(line)
                found.append((count_loads(), flat(said)))
            return found

        few = typed(fanout.MAX_SCRIPTS)
        many = typed(CLUTTER)
        for (before, _), (after, _) in zip(few, many, strict=True):
            self.assertLess(after, before + 10, (few, many))
        self.assertIn("Rub what? The teapot here answers to 'rub'", many[0][1])
        self.assertIn("Huh? 'xyzzy'", many[1][1])


class StoredBeforeTests(TestCase):
    """
    Places stored before they kept their scripts by owner.
    """

    def test_scripts_stored_before_owners_were_kept_are_sorted_again(self) -> None:
        """
        A place whose scripted things were stored before it kept its
        scripts by owner (as every place did before) sorts them again when
        first read, and a say there still wakes its listener.
        """
        world = TestWorld()
        self.addCleanup(world.close)
        with world.store.turn() as turn:
            square = next(o for o in turn.root.all() if o.name == "Town Square")
            bell = turn.root.create(Thing, "bell", location=square)
            set_script(bell, LISTENER, ("on_hear",), None)
            del square.contents._by_owner  # (as stored before)
            ids = bell.id, square.id
        with world.store.turn() as turn:
            contents = turn.root.objects[ids[1]].contents
            self.assertEqual([list(group.values()) for group in contents.fair_script_groups(8)],
                             [[turn.root.objects[ids[0]]]])
            self.assertEqual(containment.check_invariants(turn.root.all()), [])
        carol = world.login("Carol")
        carol.send("say hello")
        with world.store.turn() as turn:
            from scripting.facets import state
            self.assertEqual(state.get_value(turn.root, turn.root.objects[ids[0]], "heard", 0), 1)
