"""
A stored value is written as a pickle, not as JSON: a list of small floats,
of empty or one-item lists, or of short distinct texts pickles to more than
twice its canonical JSON. Charged its JSON, an attacker filling properties
and script state with such shapes would store more than twice what their
quota says. Each value is charged at least what the database keeps for it.
"""

from __future__ import annotations

import pickle

from twisted.trial.unittest import TestCase

from scripting.facets import accounting
from tests.redteam_world.charging import WrittenCase
from tests.scripts.helpers import make
from world.values import charged_size, plain_size, stored_bound

SHAPES = """
def shape(name):
    if name == "floats":
        return [0.5] * 900
    if name == "lists":
        return [[] for n in range(1300)]
    if name == "ones":
        return [[0] for n in range(900)]
    if name == "dicts":
        return [{} for n in range(1300)]
    if name == "texts":
        return [str(n % 100) for n in range(800)]
    if name == "keys":
        return {str(n): 0 for n in range(700)}
    if name == "nested":
        return [{"a": [0.5, []]} for n in range(300)]
    return None

def verb_keep(actor, dobj, prep, iobj, dobjstr, iobjstr):
    kind, name = iobjstr.split()
    if kind == "state":
        state.set(name, shape(name))
    else:
        this.set_property(name, shape(name))
    actor.tell("kept")
"""

#: The shapes the script stores, each pickling to much more than its JSON.
NAMES = ("floats", "lists", "ones", "dicts", "texts", "keys", "nested")


def adversarial() -> dict[str, object]:
    """
    The shapes as plain values, built as the script builds them.
    """
    return {
        "floats": [0.5] * 900,
        "lists": [[] for n in range(1300)],
        "ones": [[0] for n in range(900)],
        "dicts": [{} for n in range(1300)],
        "texts": [str(n % 100) for n in range(800)],
        "keys": {str(n): 0 for n in range(700)},
        "nested": [{"a": [0.5, []]} for n in range(300)],
        "big ints": [2 ** 62 + n for n in range(300)] + [-(2 ** 200)],
        "scalars": [None, True, 0, 255, 256, 65535, 65536, -1, 2 ** 31, 1e300, "", "é" * 9],
        "tuples": [(), (1,), (1, 2, 3), (1, 2, 3, 4)] * 50,
        "many": list(range(2500)),
    }


class BoundTests(TestCase):
    def test_bound_covers_the_pickle(self) -> None:
        """
        L{stored_bound} is at least the length of a shape's pickle, even
        deep in a record whose memo is already long, and the charge is at
        least both the pickle and the JSON.
        """
        padding = [str(n) for n in range(300)]  # memo entries past 255 write 5 bytes
        bare = len(pickle.dumps([padding, None], protocol=3))
        for name, value in adversarial().items():
            written = len(pickle.dumps([padding, value], protocol=3)) - bare + 1
            self.assertGreaterEqual(stored_bound(value), written, name)
            self.assertGreaterEqual(charged_size(value), max(written, plain_size(value)), name)

    def test_shapes_are_adversarial(self) -> None:
        """
        The script's shapes pickle to well over their JSON: charged their
        JSON alone, they would be stored at about twice their charge.
        """
        for name in NAMES:
            value = adversarial()[name]
            self.assertGreater(len(pickle.dumps(value, protocol=3)), 1.2 * plain_size(value), name)


class PickleChargeTests(WrittenCase):
    def setUp(self) -> None:
        super().setUp()
        with self.s.world.store.turn() as turn:
            accounting.set_limit(turn.root, self.bob_id, "storage", 10 ** 7)

    def keep(self, where: str, name: str) -> tuple[int, int]:
        """
        Have the hoard keep shape C{name} in its C{where} ("state" or
        "property"): what the database keeps for it, and what Bob is
        charged.
        """
        return self.written(self.told, f"keep hoard with {where} {name}", "kept")

    def check(self, where: str) -> None:
        make(self.s.bob, "hoard", SHAPES)
        self.keep(where, "none")  # its records' first writes
        for name in NAMES:
            written, cost = self.keep(where, name)
            self.assertPaysFor(cost, written, (where, name, written, cost))

    def test_state_pays_for_its_pickles(self) -> None:
        """
        Each shape kept in script state is charged at least what the
        database keeps for it, and not more than twice that.
        """
        self.check("state")

    def test_properties_pay_for_their_pickles(self) -> None:
        """
        Each shape kept in a property is charged at least what the database
        keeps for it, and not more than twice that.
        """
        self.check("property")
