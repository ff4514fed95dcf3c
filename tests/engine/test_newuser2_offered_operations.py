"""
Asking a facet for what it does not have lists what it offers: its named
methods and the operations it allows (C{state["rings"] = 1}), the same in
both of the errors that list them (a name read, a name assigned).
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from scripting.facets.checkers import offered
from tests.scripts.helpers import Scene, flat, make

SCRIPT = """
def verb_ring(actor, *rest):
    state.rings = 1
def verb_tap(actor, *rest):
    x = state.rings
def verb_peek(actor, *rest):
    x = here.rings
"""

STATE_OFFERS = ("it offers delete, get, keys, set, used; and x[key], x[key] = value, "
                "del x[key], 'in', len(x), iterating over it (for, list()) ('help facets')")


class OfferedOperationsTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.alice, "bell", SCRIPT)
        self.s.read()

    def test_assigning(self) -> None:
        """
        state.rings = 1 is told that state offers x[key] = value.
        """
        said = flat(self.s.alice.send("ring bell"))
        self.assertIn("x.rings = value (or del x.rings) is not available on this object; "
                      + STATE_OFFERS, said)

    def test_reading(self) -> None:
        """
        Reading state.rings lists the same.
        """
        said = flat(self.s.alice.send("tap bell"))
        self.assertIn("'rings' is not available on this object; " + STATE_OFFERS, said)

    def test_no_operations_none_listed(self) -> None:
        """
        A facet allowing no item operation (the room's) lists only its
        names.
        """
        said = flat(self.s.alice.send("peek bell"))
        self.assertIn("'rings' is not available on this object; it offers ", said)
        self.assertNotIn("x[key]", said)

    def test_one_helper(self) -> None:
        """
        The helper lists allowed operations only, after the names; nothing
        at all for no public name or operation.
        """
        self.assertEqual(offered({"get", "_secret", "__len__", "__bool__"}),
                         "get; and len(x) ('help facets')")
        self.assertEqual(offered({"__getitem__"}), "x[key] ('help facets')")
        self.assertEqual(offered({"_x", "__bool__"}), "")
