"""
A script that uses a facet as it does not allow (C{timers["n"] = 1}) is told
what the facet offers instead, as for an attribute it does not have, not a
bare C{ForbiddenAttribute: __setitem__}.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, make


def flat(text: str) -> str:
    """
    C{text} with its lines joined and its spaces single (messages wrap).
    """
    return " ".join(text.split())


class FacetOperationTests(TestCase):
    """
    Item assignment, deletion and other operations a facet does not offer
    fail with the names it does offer, and nothing else of it.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_item_assignment_on_timers(self) -> None:
        """
        C{timers["n"] = 1} fails saying C{timers} offers C{after}; the error
        a script catches says the same. (C{state} takes item assignment:
        tests/scripting/test_state_items.py.)
        """
        make(self.s.alice, "abacus", """
            def verb_count(actor, *rest):
                timers["n"] = 1
            def verb_try(actor, *rest):
                try:
                    del timers["n"]
                except AttributeError as e:
                    actor.tell("caught: " + str(e))
            """)
        self.s.alice.output()
        self.s.carol.send("count abacus")
        told = flat(self.s.alice.output())
        self.assertIn("x[key] = value is not available on this object; it offers", told)
        self.assertIn("after", told)
        self.assertNotIn("ForbiddenAttribute: __setitem__", told)
        caught = flat(self.s.carol.send("try abacus"))
        self.assertIn("caught: del x[key] is not available on this object; it offers", caught)

    def test_attribute_assignment(self) -> None:
        """
        C{state.n = 1}, C{del state.n} and C{this.name = "x"} fail saying
        the object's public names, not a bare C{ForbiddenAttribute: n}.
        """
        make(self.s.alice, "abacus", """
            def verb_count(actor, *rest):
                state.n = 1
            def verb_try(actor, *rest):
                for change in (unset, retitle):
                    try:
                        change()
                    except AttributeError as e:
                        actor.tell("caught: " + str(e))
            def unset():
                del state.n
            def retitle():
                this.name = "x"
            """)
        self.s.alice.output()
        self.s.carol.send("count abacus")
        told = flat(self.s.alice.output())
        self.assertIn("x.n = value (or del x.n) is not available on this object; it offers",
                      told)
        self.assertIn(" set,", told)
        self.assertNotIn("ForbiddenAttribute: n", told)
        caught = flat(self.s.carol.send("try abacus"))
        self.assertIn("caught: x.n = value (or del x.n) is not available on this object; "
                      "it offers", caught)
        self.assertIn("caught: x.name = value (or del x.name) is not available on this "
                      "object; it offers", caught)
        self.assertIn("rename", caught)
        self.assertNotIn("_target", caught)

    def test_misusing_a_method(self) -> None:
        """
        Indexing, measuring, iterating, testing membership in, or setting an
        attribute of a facet's method (C{state.get[0]}) fails saying it can
        only be called and what the facet it came from offers: that
        facet's public names only.
        """
        make(self.s.alice, "abacus", """
            def verb_try(actor, *rest):
                for misuse in (index, measure, walk, member, stamp):
                    try:
                        misuse()
                    except AttributeError as e:
                        actor.tell("caught: " + str(e))
            def index():
                return state.get[0]
            def measure():
                return len(state.get)
            def walk():
                for x in state.get:
                    pass
            def member():
                return 1 in state.get
            def stamp():
                state.get.x = 1
            """)
        caught = flat(self.s.carol.send("try abacus"))
        for said in ("x[key]", "len(x)", "iterating over it (for, list())", "'in'",
                     "x.x = value (or del x.x)"):
            self.assertIn(f"caught: {said} is not available on this object (a method, which "
                          "can only be called); the object it belongs to offers", caught)
        self.assertEqual(caught.count("caught:"), 5)
        self.assertIn(" set,", caught)
        self.assertNotIn("ForbiddenAttribute", caught)
        self.assertNotIn("_target", caught)
        self.assertNotIn("rename", caught)  # this's names are not state's
