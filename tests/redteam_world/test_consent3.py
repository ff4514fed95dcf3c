"""
Consent, third round: a thing sold (handed over) cannot be destroyed by
its owner while the buyer holds it, by command or by script; and a script
verb is consent only to what the player acted on (the verb's own thing,
or the things they named), never to a room's verb answering a common word.
"""

from __future__ import annotations

from twisted.internet import defer
from twisted.trial.unittest import TestCase

from engine.testing import LiveServer
from scripting.facets import accounting, holds
from tests.redteam_world.test_consent import carried
from tests.scripts.helpers import Scene, make, script
from world import containment


class DestroyWhileHeldTests(TestCase):
    """
    Nothing another character carries is destroyed but by that character
    (in person or by their own scripts) or a wizard: the owner who sold it
    is told who holds it.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.bob.send("@create jewel")
        self.jewel = self.s.thing("jewel").id
        self.s.bob.send("give jewel to carol")
        self.s.read()

    def test_owner_command_refused(self) -> None:
        """
        Bob's @destroy of the jewel he gave Carol is refused, naming her.
        """
        said = self.s.bob.send(f"@destroy #{self.jewel}")
        self.assertIn("Carol", said)
        self.assertNotIn("You destroy", said)
        self.assertEqual(carried(self.s, "Carol"), ["jewel"])

    def test_owner_command_refused_inside_a_carried_bag(self) -> None:
        """
        Nor inside a pouch Carol carries.
        """
        self.s.carol.send("@create container pouch")
        self.s.carol.send("put jewel in pouch")
        self.assertIn("Carol", self.s.bob.send(f"@destroy #{self.jewel}"))
        self.assertEqual(carried(self.s, "pouch"), ["jewel"])

    def test_owner_script_refused(self) -> None:
        """
        A timer Bob armed before the sale cannot destroy the jewel either.
        """
        script(self.s.bob, f"#{self.jewel}", """
            def verb_arm(actor, *rest):
                timers.after(5, "vanish")

            def vanish(data):
                this.destroy()
            """)
        self.s.carol.send("give jewel to bob")
        self.s.bob.send("arm jewel")
        self.s.bob.send("give jewel to carol")
        self.s.world.clock.advance(6)
        self.assertEqual(carried(self.s, "Carol"), ["jewel"])
        self.assertIn("Carol", self.s.bob.output())

    def test_holder_consumes_it(self) -> None:
        """
        Carol's own act on the thing (eating it) may destroy it.
        """
        script(self.s.bob, f"#{self.jewel}", """
            def verb_eat(actor, *rest):
                this.destroy()
            """)
        self.s.carol.send("eat jewel")
        self.assertEqual(carried(self.s, "Carol"), [])

    def test_after_giving_back(self) -> None:
        """
        Given back, it is Bob's to destroy again.
        """
        self.s.carol.send("give jewel to bob")
        self.assertIn("You destroy jewel", self.s.bob.send(f"@destroy #{self.jewel}"))

    def test_wizard_may(self) -> None:
        """
        A wizard may destroy anything (clearing up).
        """
        wizard = self.s.world.login("Wendy", role="wizard")
        self.assertIn("You destroy jewel", wizard.send(f"@destroy #{self.jewel}"))
        self.assertEqual(carried(self.s, "Carol"), [])


class DestroyWhileHeldLiveTests(TestCase):
    """
    Over real telnet: the trade scam (sell, then destroy) fails, and the
    buyer keeps what she bought.
    """

    timeout = 120

    async def scenario(self) -> None:
        wiz, dora, eve = await LiveServer.world_of(self, "Dora", "Eve")
        wiz.send("@role Dora = builder")
        await wiz.expect("Dora is now a builder")
        dora.send("@create jewel")
        await dora.expect("You create jewel (#")
        text = await dora.expect(")")
        number = text.rsplit("You create jewel (#", 1)[1].split(")", 1)[0]
        dora.send("give jewel to eve")
        await eve.expect("Dora gives you a jewel")
        dora.send(f"@destroy #{number}")
        await dora.expect("Eve")
        eve.send("inventory")
        await eve.expect("jewel")

    def test_sell_then_destroy_refused(self) -> defer.Deferred:
        """
        The trade scam of issue 9, as players type it.
        """
        return defer.ensureDeferred(self.scenario())


PARLOUR = """
def verb_stock(actor, *rest):
    state.set("jewel", this.create("thing", "jewel"))
    state.set("pearl", this.create("thing", "pearl"))

def attempt(what, act):
    try:
        act()
        this.set_property(what, "done")
    except Exception as e:
        this.set_property(what, "refused")

def verb_sit(actor, *rest):
    attempt("planted", lambda: this.create("thing", "cursed doll").move_to(actor))
    attempt("took", lambda: state.get("jewel").move_to(this))
    actor.tell("You sit down.")

def verb_sell(actor, dobj, prep, iobj, dobjstr, iobjstr):
    attempt("took", lambda: state.get("jewel").move_to(this))
    attempt("took_pearl", lambda: state.get("pearl").move_to(this))
"""


class RoomVerbConsentTests(TestCase):
    """
    A room's verb answering a word Carol types without naming the room
    (C{sit}) acts on its owner's authority alone: it neither plants a
    thing on her nor takes back what she bought. A verb of what she names
    takes only what she named.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.bob.send("@dig Parlour")
        self.s.bob.send("@teleport Parlour")
        script(self.s.bob, "here", PARLOUR)
        self.s.bob.send("stock here")
        with self.s.world.store.turn() as turn:
            parlour = next(o for o in turn.root.all() if o.name == "Parlour")
            carol = next(o for o in turn.root.all() if o.name == "Carol")
            containment.move(carol, parlour)
        self.s.carol.send("get jewel")
        self.s.carol.send("get pearl")
        self.s.read()

    def said(self, key: str) -> object:
        return self.s.thing("Parlour").properties.get(key)

    def test_common_word_plants_nothing(self) -> None:
        """
        'sit' answered by the room puts nothing into Carol's hands.
        """
        self.assertIn("You sit down.", self.s.carol.send("sit"))
        self.assertEqual(self.said("planted"), "refused")
        self.assertNotIn("cursed doll", carried(self.s, "Carol"))

    def test_common_word_takes_nothing(self) -> None:
        """
        Nor takes back the jewel Carol picked up.
        """
        self.s.carol.send("sit")
        self.assertEqual(self.said("took"), "refused")
        self.assertEqual(sorted(carried(self.s, "Carol")), ["jewel", "pearl"])

    def test_named_thing_only(self) -> None:
        """
        'sell jewel to here' lets the room take the jewel she named, not the
        pearl she did not.
        """
        self.s.carol.send("sell jewel to here")
        self.assertEqual((self.said("took"), self.said("took_pearl")), ("done", "refused"))
        self.assertEqual(carried(self.s, "Carol"), ["pearl"])

    def test_named_room_may_plant(self) -> None:
        """
        Naming the room ('sit here') is acting on it: what it hands her she
        asked for (and can drop).
        """
        self.s.carol.send("sit here")
        self.assertEqual(self.said("planted"), "done")
        self.assertIn("cursed doll", carried(self.s, "Carol"))


KEEPER = """
def on_look(actor):
    state.set("victim", actor)

def verb_poke(actor, *rest):
    try:
        state.get("victim").name
        actor.tell("still held")
    except Exception:
        actor.tell("lost")
"""


class HoldCeilingTests(TestCase):
    """
    What holds a facet of Carol has a ceiling per owner and a price: one
    owner's things hold her through at most L{holds.MAX_PER_OWNER} hosts
    (a further one takes the place of that owner's oldest, never another
    owner's), and each live hold is charged to its host's owner's stored
    bytes, refunded when it goes.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.patch(holds, "MAX_PER_OWNER", 2)
        for name in ("imp", "elf", "orc"):
            make(self.s.bob, name, KEEPER)
        make(self.s.alice, "owl", KEEPER)
        self.s.read()

    def stored(self, name: str) -> int:
        who = self.s.character(name).id
        with self.s.world.store.turn() as turn:
            return accounting.usage(turn.root, who).stored_bytes

    def test_ceiling_per_owner(self) -> None:
        """
        Carol looks at the owl, then at Bob's three: Bob's oldest (the imp)
        loses her; the owl, Alice's, keeps her.
        """
        for name in ("owl", "imp", "elf", "orc"):
            self.s.carol.send(f"look {name}")
        listed = self.s.carol.send("@holders")
        self.assertEqual([n for n in ("owl", "imp", "elf", "orc") if f"{n}, " in listed],
                         ["owl", "elf", "orc"])
        self.assertIn("lost", self.s.bob.send("poke imp"))
        self.assertIn("still held", self.s.bob.send("poke orc"))
        self.assertIn("still held", self.s.alice.send("poke owl"))

    def test_charged_and_refunded(self) -> None:
        """
        Each hold costs Bob L{holds.HOLD_BYTES} while it lives (handlers
        that keep nothing, so that only the holds are charged).
        """
        for name in ("imp", "elf", "orc"):
            script(self.s.bob, name, "def on_look(actor):\n    pass\n")
        before = self.stored("Bob")
        self.s.carol.send("look imp")
        self.assertEqual(self.stored("Bob") - before, holds.HOLD_BYTES)
        self.s.carol.send("look elf")
        self.s.carol.send("look orc")  # the imp's hold goes: still two
        self.assertEqual(self.stored("Bob") - before, 2 * holds.HOLD_BYTES)
        self.s.carol.send("@holders/revoke all")
        self.assertEqual(self.stored("Bob"), before)
