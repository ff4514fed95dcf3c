"""
Each property of an object is a record of its own, with an entry in the
object's tree of keys: it writes much more than its key's text and its
value's JSON. Its owner pays for that with each property
(L{scripting.facets.properties.RECORD_BYTES}, and the key's length once
again), or an attacker setting many tiny properties on many objects would
write about 160 bytes apiece while charged 3 (and 220 for an object's first
property, set in a turn of its own).
"""

from __future__ import annotations

from scripting.facets import accounting, properties
from tests.redteam_world.charging import WrittenCase
from tests.scripts.helpers import make
from world.properties import MAX_PROPERTIES, measure
from world.values import charged_size

MANY = """
def verb_fill(actor, dobj, prep, iobj, dobjstr, iobjstr):
    first, count, width, length = [int(word) for word in iobjstr.split()]
    for n in range(first, first + count):
        this.set_property(str(n).zfill(width), 1 if length < 0 else "x" * length)
    actor.tell("filled")
"""


class PropertyRecordChargeTests(WrittenCase):
    def limit(self, quota: int) -> None:
        with self.s.world.store.turn() as turn:
            accounting.set_limit(turn.root, self.bob_id, "storage", quota)

    def fill(self, hoard: str, first: int, count: int, width: int,
             length: int) -> tuple[int, int]:
        """
        Set C{count} properties of C{hoard} with keys of C{width} digits
        from C{first}, each holding 1 (C{length} -1) or C{length} x's: what
        the database keeps for them, and what Bob is charged.
        """
        line = f"fill {hoard} with {first} {count} {width} {length}"
        return self.written(self.told, line, "filled")

    def test_properties_pay_for_what_they_write(self) -> None:
        """
        An object's first property, then many short ones, the longest keys
        and big values are charged at least what the database keeps for
        them, and not more than twice that.
        """
        self.limit(10 ** 6)
        for n in range(6):
            make(self.s.bob, f"hoard{n}", MANY)
            self.fill(f"hoard{n}", 0, 0, 1, -1)  # (its script's first run writes some records)
        for hoard, first, count, width, length in (
                ("hoard0", 0, 1, 1, -1), ("hoard0", 1, 30, 4, -1), ("hoard0", 31, 33, 4, -1),
                ("hoard1", 0, MAX_PROPERTIES, 16, -1), ("hoard2", 0, MAX_PROPERTIES, 64, -1),
                ("hoard3", 0, MAX_PROPERTIES, 4, 100), ("hoard4", 0, MAX_PROPERTIES, 64, 1000),
                ("hoard5", 0, 1, 64, 8000)):
            written, cost = self.fill(hoard, first, count, width, length)
            self.assertPaysFor(cost, written, (hoard, first, count, width, length, written, cost))

    def test_charged_per_property(self) -> None:
        """
        A property is charged its key's bytes twice, its value's charged size and
        RECORD_BYTES; replacing it charges the difference, removing it
        refunds it all, and destroying the object what is left.
        """
        bob = self.s.bob
        bob.send("@create box")
        start = self.stored()
        bob.send('@set box/label = "hello"')
        self.assertEqual(self.stored() - start,
                         2 * 5 + charged_size("hello") + properties.RECORD_BYTES)
        bob.send('@set box/label = "hello, world"')
        self.assertEqual(self.stored() - start,
                         2 * 5 + charged_size("hello, world") + properties.RECORD_BYTES)
        bob.send("@set box/n = 1")
        bob.send("@unset box/label")
        self.assertEqual(self.stored() - start, 2 * 1 + charged_size(1) + properties.RECORD_BYTES)
        bob.send("@destroy box")
        self.assertEqual(self.stored(), start - len("box"))

    def set_before(self, key: str, value: object) -> int:
        """
        Give the box C{key} holding C{value} as this world's code did before
        records were charged: charged its measure only. Returns that.
        """
        size = measure(key, value)
        with self.s.world.store.turn() as turn:
            box = next(o for o in turn.root.all() if o.name == "box")
            accounting.charge_bytes(turn.root, self.bob_id, size)
            box.properties.charged_to = self.bob_id
            box.properties.set(key, value, charged=size)
        return size

    def test_properties_stored_before_refund_what_they_paid(self) -> None:
        """
        A property charged before records were charged refunds exactly what
        it was charged when it is removed, replaced or its object destroyed;
        a new value pays in full.
        """
        bob = self.s.bob
        bob.send("@create box")
        start = self.stored()
        old = self.set_before("old", "stays")
        self.set_before("gone", "soon")
        self.set_before("kept", 7)
        self.assertEqual(self.stored() - start, old + measure("gone", "soon") + measure("kept", 7))
        bob.send("@unset box/gone")
        self.assertEqual(self.stored() - start, old + measure("kept", 7))
        bob.send('@set box/old = "anew"')
        self.assertEqual(self.stored() - start, measure("kept", 7)
                         + properties.stored("old", measure("old", "anew")))
        bob.send("@destroy box")
        self.assertEqual(self.stored(), start - len("box"))

    def test_the_key_cap_refuses_and_loses_nothing(self) -> None:
        """
        One key more than MAX_PROPERTIES is refused with a clear error; the
        object keeps every property it had, and its owner's charge.
        """
        make(self.s.bob, "hoard", MANY)
        self.fill("hoard", 0, MAX_PROPERTIES, 2, -1)
        charged = self.stored()
        said = self.s.bob.send(f"fill hoard with {MAX_PROPERTIES} 1 2 -1")
        self.assertIn(f"That would be more than {MAX_PROPERTIES} properties on one object", said)
        self.assertEqual(len(self.s.thing("hoard").properties), MAX_PROPERTIES)
        self.assertEqual(self.stored(), charged)
        said = self.s.bob.send("@set hoard/more = 1")
        self.assertIn(f"more than {MAX_PROPERTIES} properties", said)
        self.assertNotIn("more", self.s.thing("hoard").properties)
        self.assertEqual(self.stored(), charged)

    def test_the_quota_refuses_tiny_properties_and_loses_nothing(self) -> None:
        """
        Tiny properties use up the stored-bytes quota at what they write:
        the one that does not fit is refused, saying how much it needs, and
        neither it nor a replacement too big to fit changes anything.
        """
        bob = self.s.bob
        bob.send("@create box")
        start = self.stored()
        one = properties.stored("a0", measure("a0", 1))
        self.limit(start + 3 * one)
        for n in range(3):
            self.assertNotIn("storage", bob.send(f"@set box/a{n} = 1"))
        said = bob.send("@set box/a3 = 1")
        self.assertIn(f"That needs {one} more bytes of storage, but only 0 of", said)
        said = bob.send('@set box/a0 = "' + "y" * 100 + '"')
        self.assertIn("more bytes of storage", said)
        props = self.s.thing("box").properties
        self.assertEqual([(k, props[k]) for k in props], [("a0", 1), ("a1", 1), ("a2", 1)])
        self.assertEqual(self.stored(), start + 3 * one)
