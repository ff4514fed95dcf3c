"""
A script that uses a facet as it does not allow (C{state["n"] = 1}) is told
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

    def test_item_assignment_on_state(self) -> None:
        """
        C{state["n"] = 1} fails saying C{state} offers C{set}; the error a
        script catches says the same.
        """
        make(self.s.alice, "abacus", """
            def verb_count(actor, *rest):
                state["n"] = 1
            def verb_try(actor, *rest):
                try:
                    del state["n"]
                except AttributeError as e:
                    actor.tell("caught: " + str(e))
            """)
        self.s.alice.output()
        self.s.carol.send("count abacus")
        told = flat(self.s.alice.output())
        self.assertIn("x[key] = value is not available on this object; it offers", told)
        self.assertIn("set", told)
        self.assertNotIn("ForbiddenAttribute: __setitem__", told)
        caught = flat(self.s.carol.send("try abacus"))
        self.assertIn("caught: del x[key] is not available on this object; it offers", caught)
