"""
Quotas and rates a hostile owner's scripts run into: objects, timers, output
to other players, and handlers waking handlers.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from scripting.facets import accounting
from tests.scripts.helpers import Scene, make


class QuotaTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def owned_by_bob(self) -> int:
        bob = self.s.character("Bob")
        with self.s.world.store.turn() as turn:
            return sum(1 for o in turn.root.all() if o.owner == bob.owner)

    def test_object_cap(self) -> None:
        """
        create() stops at the owner's object quota, whichever facet creates.
        """
        make(self.s.bob, "gremlin", """
            def verb_breed(actor, *rest):
                made = 0
                parent = this
                for i in range(500):
                    try:
                        child = parent.create("container", "spawn")
                        made = made + 1
                        if i % 2:
                            parent = child
                    except Exception as err:
                        actor.tell("stopped: " + str(err))
                        break
                actor.tell("made %d" % made)
            """)
        self.s.bob.send("breed gremlin")
        self.assertLessEqual(self.owned_by_bob(), accounting.DEFAULT_OBJECTS + 1)

    def test_timer_cap_and_interval(self) -> None:
        """
        Timers stop at the owner's timer quota; intervals below the minimum
        are refused.
        """
        make(self.s.bob, "gremlin", """
            def verb_arm(actor, *rest):
                refused = []
                for d in (0, 0.001, -1, 1e300, float("nan")):
                    try:
                        timers.every(d, "tick")
                    except Exception:
                        refused.append(1)
                set = 0
                for i in range(100):
                    try:
                        timers.after(1, "tick")
                        set = set + 1
                    except Exception:
                        break
                actor.tell("refused %d set %d" % (len(refused), set))

            def tick(data):
                pass
            """)
        self.assertIn(f"refused 5 set {accounting.DEFAULT_TIMERS}",
                      self.s.bob.send("arm gremlin"))

    def test_tell_flood_is_limited(self) -> None:
        """
        Alice's interact facet, captured when she looks at Bob's thing, lets
        Bob's scripts tell her things, but only at the owner's output rate.
        """
        make(self.s.bob, "gremlin", """
            def on_look(actor):
                state.set("victim", actor)

            def verb_spam(actor, *rest):
                v = state.get("victim")
                for i in range(500):
                    v.tell("spam %d" % i)
            """)
        self.s.alice.send("look gremlin")
        self.s.read()
        self.s.bob.send("spam gremlin")
        got = self.s.alice.output().count("spam ")
        self.assertGreater(got, 0)
        self.assertLessEqual(got, 41)

    def test_handlers_do_not_wake_each_other(self) -> None:
        """
        What a script does (saying, moving, creating) wakes no handler.
        """
        for name in ("echo one", "echo two"):
            make(self.s.bob, name, """
                def on_hear(actor, text):
                    here.say("echo " + text)
                    state.set("n", state.get("n", 0) + 1)

                def on_enter(actor, thing):
                    state.set("n", state.get("n", 0) + 1)
                """)
        self.s.read()
        heard = self.s.carol.send("say hello") + self.s.carol.output()
        self.assertEqual(heard.count("echo hello"), 2)
        self.assertNotIn("echo echo", heard)


class StoredFacetTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_revoked_facets_dead_in_state_and_timers(self) -> None:
        """
        A granted control facet stored in state, nested in values and in
        timer data, is dead everywhere after @revoke, and stored again it
        stays dead (a revoked facet is stored as it is: one revocation must
        not make every store of a list holding it fail).
        """
        self.s.alice.send("@create brass lamp")
        self.s.alice.send("drop brass lamp")
        make(self.s.alice, "robot", """
            def verb_keep(actor, *rest):
                g = grants["torch"]
                state.set("deep", {"a": [[g], (g, g)]})
                timers.after(30, "later", {"x": [g]})
                actor.tell("kept")

            def verb_probe(actor, *rest):
                deep = state.get("deep")
                out = []
                for f in (deep["a"][0][0], deep["a"][1][1]):
                    try:
                        f.rename("stolen")
                        out.append("worked")
                    except Exception:
                        out.append("dead")
                    try:
                        state.set("again", f)
                        out.append("stored")
                    except Exception:
                        out.append("refused")
                actor.tell(",".join(out))

            def verb_again(actor, *rest):
                try:
                    state.get("again").rename("stolen again")
                    actor.tell("again worked")
                except Exception:
                    actor.tell("again dead")

            def later(data):
                data["x"][0].rename("stolen later")
            """)
        self.s.alice.send("@grant robot.torch = control brass lamp")
        self.assertIn("kept", self.s.alice.send("keep robot"))
        self.s.alice.send("@revoke robot.torch")
        self.assertIn("dead,stored,dead,stored", self.s.alice.send("probe robot"))
        self.assertIn("again dead", self.s.alice.send("again robot"))
        self.s.world.clock.advance(31)
        self.assertEqual(self.s.thing("brass lamp").name, "brass lamp")
