# -*- test-case-name: tests.redteam_world.test_r4_owner_crowd -*-
"""
A crowd of one owner's things does not buy the silent swap that
L{tests.redteam_world.test_r4_cross_tier} closed: Alice, besides her
rusty trap aliased 'kettle', puts forty things of her own answering by
the word ('kettle stand', 'kettle lid', ...) beside Bob's brass kettle.
Matching read the owners of the things answering less well only while
fewer than 32 kinds of them answered (and none of a crowd), so Carol's
'get kettle' picked up the trap and 'rub kettle' ran its verb without a
question. The index by name now counts, under each key, the things of
each owner answering to it, so whose they are is known without reading
the crowd. (Found by redteam, round 4.)
"""

from __future__ import annotations

from BTrees.OOBTree import OOBTree
from twisted.trial.unittest import TestCase

from engine.testing import TestWorld, upgraded
from scripting.facets import accounting
from tests.redteam_world import test_crowded_rooms as crowded
from tests.redteam_world.test_consent import carried
from tests.redteam_world.test_crowd_naming import indexed
from tests.redteam_world.test_crowded_rooms import CLUTTER, loaded
from tests.redteam_world.test_r4_cross_tier import KETTLE, TRAP
from tests.scripts.helpers import Scene, flat, make
from world import containment, generations, objects
from world.errors import Ambiguous
from world.names import keys_stamp
from world.objects import Character, Room, Thing
from world.root import WorldRoot

#: Words for Alice's things answering to 'kettle' by a word of their name.
WORDS = ["stand", "lid", "spout", "handle", "base", "cosy", "rack", "hook", "trivet", "mat",
         "brush", "cloth", "polish", "whistle", "knob", "ring", "chain", "plate", "tray",
         "cup", "jug", "pot", "pan", "tin", "box", "bag", "case", "crate", "shelf", "rest",
         "clip", "pin", "peg", "tag", "flag", "bell", "lamp", "sign", "note", "card"]


def pile(scene: Scene, owner: str, names: list[str]) -> None:
    """
    Put things called C{names}, owned by C{owner}, in the town square.
    """
    with scene.world.store.turn() as turn:
        square = next(o for o in turn.root.all() if o.name == "Town Square")
        who = next(o for o in turn.root.all() if o.name == owner and o.kind == "character")
        for name in names:
            turn.root.create(Thing, name, location=square, owner=who.id)


class CrowdOfOneOwnerTests(TestCase):
    """
    Bob's brass kettle, Alice's rusty trap aliased 'kettle' and her crowd,
    in the town square, and Carol beside them.
    """

    def scene(self, names: list[str], world: TestWorld | None = None) -> Scene:
        s = Scene(world)
        self.addCleanup(s.world.close)
        s.world.server.scripts.meters.cpu_time = lambda: 0.0
        make(s.bob, "brass kettle", KETTLE)
        make(s.alice, "rusty trap", TRAP)
        s.alice.send("@alias rusty trap = kettle")
        pile(s, "Alice", names)
        s.read()
        return s

    def test_get_asks(self) -> None:
        """
        Beside forty of Alice's things called 'kettle' and a word, 'get
        kettle' asks which, saying whose each is, and takes nothing.
        """
        s = self.scene([f"kettle {word}" for word in WORDS])
        said = flat(s.carol.send("get kettle"))
        self.assertIn("Which 'kettle' do you mean?", said)
        self.assertIn("rusty trap (Alice's)", said)
        self.assertEqual(carried(s, "Carol"), [])

    def test_verb_asks(self) -> None:
        """
        'rub kettle' runs no verb until Carol says which.
        """
        s = self.scene([f"kettle {word}" for word in WORDS])
        said = s.carol.send("rub kettle")
        self.assertNotIn("SNAP", said)
        self.assertIn("Which 'kettle' do you mean?", said)

    def test_many_words_starting_so_ask(self) -> None:
        """
        Nor do forty words of Alice's starting with 'kettle' ('kettlestand',
        ...: more than a prefix reads the keys of) let 'get kettle' take
        the trap unasked.
        """
        s = self.scene([f"kettle{word}" for word in WORDS])
        said = flat(s.carol.send("get kettle"))
        self.assertIn("Which 'kettle' do you mean? 1.kettle is rusty trap (Alice's); "
                      "2.kettle is brass kettle (Bob's) (and many more things answer to it: "
                      "type more of the name).", said)
        self.assertEqual(carried(s, "Carol"), [])
        self.assertNotIn("SNAP", s.carol.send("rub kettle"))
        self.assertIn("You pick up the brass kettle.", s.carol.send("get 2.kettle"))

    def test_one_owners_crowd_takes_the_exact(self) -> None:
        """
        Of one owner's things, however many answer by a word, the one
        called exactly 'kettle' is taken, as ever.
        """
        s = self.scene([])
        s.alice.send("@destroy rusty trap")
        s.bob.send("@name brass kettle = kettle")
        pile(s, "Bob", [f"kettle {word}" for word in WORDS])
        self.assertIn("You pick up the kettle.", s.carol.send("get kettle"))

    def test_owners_unread_ask_rather_than_take(self) -> None:
        """
        Where whose the things answering are cannot be told in
        L{objects.MOST_OWNER_READS} counts, matching asks which, never takes
        the exact name silently: Alice's trap beside Bob's kettle, and Bob's
        own crowd beside his own 'kettle' too (a question too many, never a
        swap); but a name only one thing answers to is that thing's.
        """
        self.patch(objects, "MOST_OWNER_READS", 0)
        s = self.scene([])  # (the one 'rusty trap' is named without a question)
        said = flat(s.carol.send("get kettle"))
        self.assertIn("Which 'kettle' do you mean?", said)
        self.assertIn("rusty trap (Alice's)", said)
        self.assertEqual(carried(s, "Carol"), [])
        s.alice.send("@destroy rusty trap")
        s.bob.send("@name brass kettle = kettle")
        pile(s, "Bob", ["kettle stand"])
        self.assertIn("Which 'kettle' do you mean?", flat(s.carol.send("get kettle")))
        self.assertEqual(carried(s, "Carol"), [])

    def test_one_owners_crowd_reads_only_a_few(self) -> None:
        """
        Taking Bob's kettle beside nearly a thousand of his things called
        'kettle' and a number loads about as many objects as beside ten:
        his counts are stepped over at once, not read one name at a time.
        """
        counts = []
        for clutter in (10, CLUTTER - 10):
            world = crowded.CrowdedRoomReadsTests.world(self)  # type: ignore[arg-type]
            s = self.scene([], world)
            s.alice.send("@destroy rusty trap")
            s.bob.send("@name brass kettle = kettle")
            pile(s, "Bob", [f"kettle {n}" for n in range(clutter)])
            s.carol.send("look")
            count = loaded(world.store)
            self.assertIn("You pick up the kettle.", s.carol.send("get kettle"))
            counts.append(count())
        self.assertLess(counts[1], counts[0] + 20, counts)

    def get_loads(self, clutter: int) -> tuple[int, str]:
        """
        The objects Carol's 'get kettle' loads with C{clutter} of Alice's
        things called 'kettle' and a number beside the trap and Bob's
        kettle, and what she is told.
        """
        world = crowded.CrowdedRoomReadsTests.world(self)  # type: ignore[arg-type]
        s = self.scene([f"kettle {n}" for n in range(clutter)], world)
        s.carol.send("look")  # (the first command loads its own code's objects)
        count = loaded(world.store)
        said = flat(s.carol.send("get kettle"))
        return count(), said

    def test_asking_beside_a_crowd_reads_only_a_few(self) -> None:
        """
        Asking which beside nearly a thousand of Alice's things answering
        to 'kettle' loads about as many objects as beside ten.
        """
        few, said = self.get_loads(10)
        self.assertIn("Which 'kettle' do you mean?", said)
        many, said = self.get_loads(CLUTTER - 10)
        self.assertIn("Which 'kettle' do you mean?", said)
        self.assertIn("rusty trap (Alice's)", said)
        self.assertLess(many, few + 20, (few, many))


def old_layout(root: WorldRoot) -> None:
    """
    Make every place's index by name as generation 21 kept it: counts of
    alike things by kind, name, then owner (L{world.objects.NAMES_LAYOUT} 2).
    """
    for obj in root.all():
        contents = obj.contents
        named = contents._named
        if named is None:
            continue
        kept = OOBTree()
        for key, count in named.items():
            if len(key) == 6:
                tag, word, slot, kind, owner, name = key
                key = (tag, word, slot, kind, name, owner)
            kept[key] = count
        contents._named = kept
        contents._names_made_by = f"{keys_stamp()}/2"
        contents._p_changed = True


class StoredBeforeTests(TestCase):
    """
    A world stored before the index by name counted alike things by owner
    before name, and while characters could be given other names
    (generation 21), is indexed again by the upgrade, and its characters'
    other names are taken away and refunded.
    """

    def test_upgrade_indexes_again_and_clears_character_aliases(self) -> None:
        made: dict[str, int] = {}

        def old(root: WorldRoot) -> None:
            hall = root.create(Room, "Hall")
            root.start_room = hall
            yard = root.create(Room, "Yard")
            alice = root.create(Character, "Alice", location=hall, aliases=("mod",))
            bob = root.create(Character, "Bob", location=hall)
            carol = root.create(Character, "Carol", location=yard)
            for who in (alice, bob, carol):
                who.owner = who.id
            alice.text_charged, alice.text_charged_to = len("Alicemod"), alice.id
            accounting.charge_bytes(root, alice.id, len("Alicemod"))
            root.create(Thing, "brass kettle", location=yard, owner=bob.id)
            root.create(Thing, "rusty trap", location=yard, owner=alice.id, aliases=("kettle",))
            for word in WORDS:
                root.create(Thing, f"kettle {word}", location=yard, owner=alice.id)
            made.update(yard=yard.id, alice=alice.id, bob=bob.id, carol=carol.id)
            old_layout(root)

        store = upgraded(self, 21, old)
        self.assertEqual(store.generation, 22)
        yard = store.root.get(made["yard"])
        alice, bob, carol = (store.root.get(made[n]) for n in ("alice", "bob", "carol"))
        yard.contents._p_activate()  # (what was stored, before any use indexes it)
        self.assertEqual(yard.contents.__dict__["_names_made_by"], objects._names_stamp())
        self.assertEqual(alice.aliases, ())
        self.assertEqual(alice.text_charged, len("Alice"))
        # The refund is due, and made at start (the world imports no accounts).
        self.assertEqual(store.root.refunds_due, ((alice.id, len("mod")),))
        self.assertEqual(accounting.usage(store.root, alice.id).stored_bytes, len("Alicemod"))
        with store.turn() as turn:
            accounting.settle_refunds(turn.root)
        self.assertEqual(store.root.refunds_due, ())
        self.assertEqual(accounting.usage(store.root, alice.id).stored_bytes, len("Alice"))
        self.assertEqual(containment.check_invariants(store.root.all()), [])
        self.assertIn("You don't see 'mod'", indexed("mod", bob)[1])
        self.assertEqual(indexed("kettle", carol)[0], Ambiguous)

    def test_contents_not_upgraded_are_indexed_when_first_needed(self) -> None:
        root = WorldRoot()
        hall = root.create(Room, "Hall")
        alice = root.create(Character, "Alice", location=hall)
        bob = root.create(Character, "Bob", location=hall)
        carol = root.create(Character, "Carol", location=hall)
        root.create(Thing, "brass kettle", location=hall, owner=bob.id)
        root.create(Thing, "rusty trap", location=hall, owner=alice.id, aliases=("kettle",))
        for word in WORDS:
            root.create(Thing, f"kettle {word}", location=hall, owner=alice.id)
        old_layout(root)
        self.assertEqual(indexed("kettle", carol)[0], Ambiguous)
        self.assertEqual(containment.check_invariants(root.all()), [])

    def test_a_refund_is_never_more_than_was_charged(self) -> None:
        """
        Other names a character's text was not charged for (or only in
        part) refund what was charged of them, no more.
        """
        root = WorldRoot()
        hall = root.create(Room, "Hall")
        alice = root.create(Character, "Alice", location=hall, aliases=("mod", "helper"))
        alice.owner = alice.id
        alice.text_charged, alice.text_charged_to = 4, alice.id
        accounting.charge_bytes(root, alice.id, 100)
        generations.clear_character_aliases(root, alice)
        accounting.settle_refunds(root)
        self.assertEqual(alice.aliases, ())
        self.assertEqual(alice.text_charged, 0)
        self.assertEqual(accounting.usage(root, alice.id).stored_bytes, 96)
        self.assertEqual(containment.check_invariants(root.all()), [])
        self.assertEqual(objects.character_names(alice)[0], ("alice",))
