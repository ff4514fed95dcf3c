# -*- test-case-name: tests.engine.test_examine -*-
"""
C{@examine} for every player: everything about what they own (id, place,
properties, script, grants, holders), and of others' things only what
C{examine} shows anyone.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, script

BELL = """
def verb_ring(actor, dobj, prep, iobj, dobjstr, iobjstr):
    here.announce("The bell rings: clandestine-marker.")

def on_look(actor):
    timers.after(60, "tick")

def tick(data):
    pass
"""


class OwnThingTests(TestCase):
    """
    Carol, a player (no builder), examines a bell she made and scripted.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.dave = self.s.world.login("Dave")  # a second player
        self.s.carol.send("@create bell")
        self.assertIn("Saved", script(self.s.carol, "bell", BELL))
        self.s.carol.send("@set bell/fixed = true")
        self.s.carol.send("@set bell/colour = brass")
        self.bell = self.s.thing("bell").id
        self.s.read()
        self.dave.output()

    def test_everything_about_her_own_thing(self) -> None:
        """
        Her @examine shows the bell's id, that it is hers, where it is, its
        properties (saying what 'fixed' does), and how its script stands:
        its size, verbs, handlers, pending timers; not its source.
        """
        self.s.carol.send("look bell")  # on_look sets a timer
        text = self.s.carol.send("@examine bell")
        self.assertIn(f"bell (#{self.bell}), a thing", text)
        self.assertIn("Owner: you", text)
        self.assertIn("Location: in your hands", text)
        self.assertIn('fixed = true  (players cannot pick it up)', text)
        self.assertIn('colour = "brass"', text)
        self.assertIn("Script: 8 lines, version 1, running, 1 timer pending", text)
        self.assertIn("Verbs: ring", text)
        self.assertIn("Handlers: on_look", text)
        self.assertIn("'@script/show bell' lists it", text)
        self.assertIn("Granted to scripts: none", text)
        self.assertNotIn("clandestine-marker", text)

    def test_by_id_from_afar(self) -> None:
        """
        She names her own thing by id from another room, and sees where it
        is; an id of someone else's object and an id of nothing are refused
        alike.
        """
        self.s.carol.send("drop bell")
        self.s.carol.send("north")
        text = self.s.carol.send(f"@examine #{self.bell}")
        self.assertIn("Location: Town Square", text)
        self.assertIn("Script: 8 lines", text)
        self.s.alice.send("@create lamp")
        lamp = self.s.thing("lamp").id
        others = self.s.carol.send(f"@examine #{lamp}")
        self.assertIn(f"You own no object #{lamp}.", others)
        self.assertEqual(others.replace(f"#{lamp}", "#N"),
                         self.s.carol.send("@examine #99999").replace("#99999", "#N"))
        self.assertNotIn("lamp", others)

    def test_grants_it_holds_and_what_holds_it(self) -> None:
        """
        Her box's @examine lists the grant its script holds; the bell's
        lists what is granted a facet of it: her box by its id, Dave's chest
        with no id.
        """
        self.s.carol.send("@create container box")
        self.assertIn("Granted", self.s.carol.send("@grant box.ring = control bell"))
        self.s.carol.send("drop bell")
        self.dave.send("@create chest")
        self.assertIn("Granted", self.dave.send("@grant chest.peek = view bell"))
        box, chest = self.s.thing("box").id, self.s.thing("chest").id
        text = self.s.carol.send("@examine box")
        self.assertIn("Granted to its script", text)
        self.assertIn(f"box.ring = control of bell (#{self.bell})", text)
        text = self.s.carol.send("@examine bell")
        self.assertIn(f"box (#{box}), yours: control, as 'ring'", text)
        self.assertIn("chest, Dave's: view, as 'peek'", text)
        self.assertNotIn(f"#{chest}", text)

    def test_herself(self) -> None:
        """
        '@examine me' shows her own id and what carries a facet of her, as
        @holders does.
        """
        self.dave.send("@create eye")
        self.dave.send("@grant eye.carol = view carol")
        text = self.s.carol.send("@examine me")
        carol = self.s.character("Carol").id
        self.assertIn(f"Carol (#{carol}), a character", text)
        self.assertIn(f"Contents: bell (#{self.bell})", text)
        self.assertIn("eye, Dave's: granted view, as 'carol'", text)

    def test_in_someone_elses_keeping(self) -> None:
        """
        Her bell in Dave's hands a room away: her @examine says someone
        else carries it, not who, nor where they are; beside him, it says
        him.
        """
        self.s.carol.send("@unset bell/fixed")
        self.s.carol.send("drop bell")
        self.dave.send("get bell")
        self.dave.send("north")
        self.s.carol.output()
        text = self.s.carol.send(f"@examine #{self.bell}")
        self.assertIn("Location: carried by someone else, out of your sight\n", text)
        self.assertNotIn("Dave", text)
        self.assertNotIn("Market", text)
        self.s.carol.send("north")
        self.assertIn("Location: Dave\n", self.s.carol.send(f"@examine #{self.bell}"))


class OthersThingTests(TestCase):
    """
    Dave, a player, examines Carol's scripted bell: he learns nothing that
    is hers alone.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.dave = self.s.world.login("Dave")
        self.s.carol.send("@create container bell")
        script(self.s.carol, "bell", BELL)
        self.s.carol.send("@set bell/hidden-note = clandestine-property")
        self.s.carol.send("@create clapper")
        self.s.carol.send("@grant bell.clandestine_grant = control clapper")
        self.s.carol.send("put clapper in bell")
        self.s.carol.send("drop bell")
        self.bell = self.s.thing("bell").id
        self.s.read()
        self.dave.output()

    def test_public_look_only(self) -> None:
        """
        His @examine of her bell is exactly what 'examine' shows anyone:
        its description, its maker and what is inside; never its id,
        properties, script (source, verbs or state) or grants.
        """
        text = self.dave.send("@examine bell")
        self.assertEqual(text, self.dave.send("examine bell"))
        self.assertIn("It was made by Carol.", text)
        self.assertIn("clapper", text)
        for private in ("clandestine", f"#{self.bell}", "Properties", "Script", "ring",
                        "on_look", "Grant", "Owner"):
            self.assertNotIn(private, text)

    def test_her_character_and_the_room(self) -> None:
        """
        His @examine of Carol, or of the room (a builder's), shows what
        'examine' does: no ids, nothing held of her.
        """
        self.dave.send("@create eye")
        self.dave.send("@grant eye.carol = view carol")
        for name in ("carol", "here"):
            text = self.dave.send(f"@examine {name}")
            self.assertEqual(text, self.dave.send(f"examine {name}"))
            self.assertNotIn("#", text)
            self.assertNotIn("holding a facet", text)

    def test_no_id_of_hers(self) -> None:
        """
        Her bell's id names nothing to him.
        """
        text = self.dave.send(f"@examine #{self.bell}")
        self.assertIn(f"You own no object #{self.bell}.", text)
        self.assertNotIn("clapper", text)


class BuilderTests(TestCase):
    """
    Builders see what they saw before of anyone's things; the script's
    source and grants stay its owner's.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.carol.send("@create bell")
        script(self.s.carol, "bell", BELL)
        self.s.carol.send("@set bell/colour = brass")
        self.s.carol.send("@create clapper")
        self.s.carol.send("@grant bell.clandestine_grant = control clapper")
        self.s.carol.send("drop bell")
        self.s.read()

    def test_builder_sees_properties_not_script_or_grants(self) -> None:
        """
        Alice's @examine of Carol's bell shows its id, owner and
        properties, that it has a script, but not the script's source,
        state or grants.
        """
        bell = self.s.thing("bell").id
        carol = self.s.character("Carol").id
        text = self.s.alice.send("@examine bell")
        self.assertIn(f"bell (#{bell}), a thing", text)
        self.assertIn(f"Owner: Carol (#{carol})", text)
        self.assertIn('colour = "brass"', text)
        self.assertIn("Script: one (its owner's to read)", text)
        for private in ("clandestine", "ring", "on_look", "Granted", "Grants"):
            self.assertNotIn(private, text)

    def test_wizard_sees_how_its_script_stands(self) -> None:
        """
        A wizard controls everything, so sees the script's state and grants
        (as '@grants bell' shows them to him), never its source.
        """
        self.s.world.set_role("Alice", "wizard")
        text = self.s.alice.send("@examine bell")
        self.assertIn("Script: 8 lines", text)
        self.assertIn("bell.clandestine_grant = control of clapper", text)
        self.assertNotIn("clandestine-marker", text)


class ExamineRoomTests(TestCase):
    """
    'examine here' shows the room once.
    """

    def test_room_once(self) -> None:
        """
        The room's description appears once, followed by who made it.
        """
        s = Scene()
        self.addCleanup(s.world.close)
        text = s.carol.send("examine here")
        self.assertEqual(text.count("Town Square"), 1)
        self.assertIn("Exits:", text)
