"""
A new scripter storing something state cannot keep (a set, a script's own
object, the state itself) is told what it was and what state keeps.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, flat, make


class StateValueErrorTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.alice, "abacus", """
            class Note:
                pass
            def verb_set(actor, *rest):
                state["seen"] = {"bob", "carol"}
            def verb_object(actor, *rest):
                state["note"] = [Note()]
            def verb_itself(actor, *rest):
                state["me"] = state
            """)
        self.s.alice.output()

    def failure(self, verb: str) -> str:
        self.s.carol.send(f"{verb} abacus")
        return flat(self.s.alice.output())

    def test_a_set_says_to_store_a_list(self) -> None:
        """
        Storing a set says so and to store a list instead.
        """
        told = self.failure("set")
        self.assertIn("FacetError: A set cannot be stored: store a list instead", told)
        self.assertIn("Only plain values (None, True and False, numbers, text, and lists, "
                      "tuples and dicts with text keys of them) and facets of objects can be "
                      "stored.", told)

    def test_an_object_names_its_type(self) -> None:
        """
        Storing an instance of the script's own class names the class.
        """
        told = self.failure("object")
        self.assertIn("FacetError: A value of type Note cannot be stored. Only plain values",
                      told)

    def test_the_state_itself(self) -> None:
        """
        Storing the state facet says it is not a facet of an object.
        """
        told = self.failure("itself")
        self.assertIn("FacetError: That cannot be stored: it is not a facet of an object "
                      "(state, timers, a method).", told)
