"""
Reach: where a hostile script can put things, and what it can see or change
of another player's things.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, make


class LockedExitTests(TestCase):
    """
    A locked exit stops scripted things as it stops players.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.lock_exits("Town Square")

    def test_script_cannot_slip_through_locked_exit(self) -> None:
        """
        Bob's gremlin cannot move itself into the room behind a locked exit
        (where it would hear everything said).
        """
        make(self.s.bob, "gremlin", """
            def verb_sneak(actor, *rest):
                for e in here.exits:
                    try:
                        this.move_to(e.destination)
                        actor.tell("moved to " + e.destination.name)
                        return
                    except Exception as err:
                        actor.tell("refused: " + str(err))
            """)
        said = self.s.bob.send("sneak gremlin")
        self.assertNotIn("moved to", said)
        self.assertEqual(self.s.thing("gremlin").location.name, "Town Square")

    def test_unlocked_exit_still_reached(self) -> None:
        """
        The room behind an unlocked exit is still in reach.
        """
        with self.s.world.store.turn() as turn:
            for obj in turn.root.all():
                if obj.kind == "exit" and obj.name == "north":
                    obj.properties.pop("locked")
        make(self.s.bob, "gremlin", """
            def verb_wander(actor, *rest):
                for e in here.exits:
                    try:
                        this.move_to(e.destination)
                        actor.tell("moved to " + e.destination.name)
                        return
                    except Exception as err:
                        pass
            """)
        self.assertIn("moved to Market", self.s.bob.send("wander gremlin"))


class ContainmentTests(TestCase):
    """
    Cycles, self-containment, and Alice's things through Bob's facets.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_no_cycles(self) -> None:
        """
        A container cannot be moved into itself or into what it holds.
        """
        self.s.bob.send("@create crate")
        make(self.s.bob, "gremlin", """
            def verb_loop(actor, *rest):
                box = this.create("container", "box")
                inner = box.create("container", "inner")
                done = []
                for attempt in ("self", "inner"):
                    try:
                        if attempt == "self":
                            box.move_to(box)
                        else:
                            box.move_to(inner)
                        done.append(attempt)
                    except Exception as err:
                        pass
                actor.tell("done: " + ",".join(done) + ".")
            """)
        self.assertIn("done: .", self.s.bob.send("loop gremlin"))

    def test_exception_args_are_text(self) -> None:
        """
        Errors raised by facet methods carry only text.
        """
        make(self.s.bob, "gremlin", """
            def verb_probe(actor, *rest):
                leaks = []
                for attempt in range(6):
                    try:
                        if attempt == 0:
                            this.move_to(this)
                        elif attempt == 1:
                            this.move_to("nowhere")
                        elif attempt == 2:
                            this.set_property("k", [this])
                        elif attempt == 3:
                            here.contents[0].rename("x")
                        elif attempt == 4:
                            state.set("k", {1: 2})
                        else:
                            timers.after(0, "x")
                    except Exception as e:
                        for a in e.args:
                            if not isinstance(a, str):
                                leaks.append(repr(a))
                actor.tell("leaks: " + ",".join(leaks) + ".")
            """)
        self.assertIn("leaks: .", self.s.bob.send("probe gremlin"))


class ComparisonTests(TestCase):
    """
    Comparisons, hashing and sorting hand script objects only facets.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_reflected_operations_get_facets(self) -> None:
        """
        A script object's reflected comparison methods receive facets: never
        a raw world object (which would answer C{id} or C{owner}).
        """
        saved = make(self.s.bob, "gremlin", """
            got = []
            class Sneaky:
                def __eq__(self, other):
                    got.append(other)
                    return False
                def __ne__(self, other):
                    got.append(other)
                    return True
                def __lt__(self, other):
                    got.append(other)
                    return False
                def __gt__(self, other):
                    got.append(other)
                    return False
                def __le__(self, other):
                    got.append(other)
                    return False
                def __ge__(self, other):
                    got.append(other)
                    return False
                def __radd__(self, other):
                    got.append(other)
                    return 0
                def __rsub__(self, other):
                    got.append(other)
                    return 0
                def __rmul__(self, other):
                    got.append(other)
                    return 0
                def __contains__(self, other):
                    got.append(other)
                    return False

            def verb_cmp(actor, *rest):
                s = Sneaky()
                for f in [here, this, actor] + list(here.contents):
                    for op in range(12):
                        try:
                            if op == 0:
                                f == s
                            elif op == 1:
                                f != s
                            elif op == 2:
                                f < s
                            elif op == 3:
                                f > s
                            elif op == 4:
                                f <= s
                            elif op == 5:
                                sorted([f, s])
                            elif op == 6:
                                s in [f]
                            elif op == 7:
                                f in [s]
                            elif op == 8:
                                f + s
                            elif op == 9:
                                f - s
                            elif op == 10:
                                f * s
                            else:
                                f in s
                        except Exception:
                            pass
                raw = []
                for o in got:
                    for name in range(3):
                        try:
                            if name == 0:
                                o.id
                            elif name == 1:
                                o.owner
                            else:
                                o.properties
                            raw.append(str(name))
                        except Exception:
                            pass
                actor.tell("got %d raw: %s." % (len(got), ",".join(raw)))
            """)
        self.assertNotIn("problem", saved.lower(), saved)
        said = self.s.bob.send("cmp gremlin")
        self.assertIn("got", said)
        self.assertIn("raw: .", said)
