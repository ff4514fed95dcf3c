"""
Across two owners: what each role lets a script do with Alice's and Bob's
objects, under world rules, through the current turn.
"""

from __future__ import annotations

import ast
import pathlib

from twisted.trial import unittest
from zope.security.interfaces import ForbiddenAttribute
from zope.security.proxy import getChecker

from scripting.facets import accounting, grants, state
from scripting.facets.adapters import attenuate, facet
from scripting.facets.checkers import is_facet
from scripting.facets.context import acting
from scripting.facets.errors import FacetError, QuotaExceeded
from scripting.facets.interfaces import ROLE_NAMES, ROLES, role_names
from tests.facets.helpers import build, task
from tests.facets.test_checkers import walk
from world.errors import MoveError, WorldError
from world.store import WorldStore


class Mind:
    """
    Records what a character perceives.
    """

    def __init__(self) -> None:
        self.events: list = []

    def perceive(self, event: object) -> None:
        self.events.append(event)


class TwoOwnerTests(unittest.TestCase):
    def setUp(self) -> None:
        self.store = WorldStore()
        self.addCleanup(self.store.close)
        self.w = build(self.store)
        self.minds = {c: Mind() for c in (self.w.alice.id, self.w.bob.id)}
        self.store.minds.update(self.minds)

    def heard(self, who: object) -> list[str]:
        return [e.text for e in self.minds[who.id].events]

    # -- Bob's view of Alice's lamp ------------------------------------------------

    def test_view_reads_name_and_description(self) -> None:
        """
        Bob's view facet of Alice's lamp reads its name, description, aliases,
        kind and properties.
        """
        with task(self.store, self.w.bob.id):
            lamp = facet(self.w.lamp, "view")
            self.assertEqual(lamp.name, "brass lamp")
            self.assertEqual(lamp.description, "A shiny brass lamp.")
            self.assertEqual(lamp.aliases, ("lamp",))
            self.assertEqual(lamp.kind, "thing")
            self.assertEqual(lamp.property_names(), ("lit",))
            self.assertIs(lamp.get_property("lit"), False)
            self.assertEqual(lamp.get_property("missing", [1]), [1])

    def test_view_cannot_rename_move_or_set_properties(self) -> None:
        """
        Bob's view facet of Alice's lamp cannot rename, describe, move, set or
        unset properties, create or destroy: every such name is forbidden and
        the lamp is unchanged.
        """
        with task(self.store, self.w.bob.id):
            lamp = facet(self.w.lamp, "view")
            for name in ("rename", "describe", "set_aliases", "move_to", "set_property",
                         "unset_property", "create", "destroy", "say", "emote"):
                self.assertRaises(ForbiddenAttribute, getattr, lamp, name)
            self.assertRaises(ForbiddenAttribute, setattr, lamp, "name", "junk")
        self.assertEqual(self.w.lamp.name, "brass lamp")
        self.assertIs(self.w.lamp.location, self.w.hall)
        self.assertEqual(dict(self.w.lamp.properties), {"lit": False})

    def test_location_and_contents_are_view_facets(self) -> None:
        """
        The lamp's location is a view facet of the hall; the hall's contents
        are view facets (Alice's character included, her inventory not).
        """
        with task(self.store, self.w.bob.id):
            hall = facet(self.w.lamp, "view", voice=self.w.lamp).location
            self.assertTrue(is_facet(hall))
            self.assertEqual(getChecker(hall).names, role_names("room", "view"))
            names = []
            for item in hall.contents:
                self.assertEqual(getChecker(item).names, role_names(item.kind, "view"))
                names.append(item.name)
            self.assertEqual(names, ["Alice", "Bob", "brass lamp", "box", "bell"])
            alice = hall.contents[0]
            self.assertRaises(ForbiddenAttribute, getattr, alice, "inventory")
            self.assertRaises(ForbiddenAttribute, getattr, alice, "tell")
            self.assertEqual([e.name for e in hall.exits], ["north"])
            self.assertEqual(hall.exits[0].destination.name, "Garden")

    def test_no_control_facet_by_traversal(self) -> None:
        """
        Everything reachable from Bob's view of the lamp and his interact
        facet of the hall is a view facet: no traversal yields interact or
        control of anything else, nor anything carried by Alice.
        """
        with task(self.store, self.w.bob.id):
            start = [facet(self.w.lamp, "view"),
                     facet(self.w.hall, "interact", voice=self.w.bell)]
            reached = walk(self, start)
            for f in reached[2:]:
                self.assertEqual(getChecker(f).names, role_names(f.kind, "view"), f)
            self.assertNotIn("secret diary", [f.name for f in reached])

    def test_no_lookup_by_name_or_id(self) -> None:
        """
        No facet exposes ids, owners or any finder, and the facet targets'
        code never looks objects up (no root.get, matching, by_content,
        root.all or root.objects[...]).
        """
        exposed = set()
        for kind in ROLES:
            for role in ROLE_NAMES:
                exposed |= role_names(kind, role)
        self.assertFalse(exposed & {"id", "ref", "owner", "find", "search", "lookup", "match",
                                    "get_object", "objects", "root", "by_id", "locate"})
        package = pathlib.Path(__file__).parents[2] / "scripting" / "facets"
        for module in ("adapters.py", "base.py", "checkers.py", "capref.py", "state.py",
                       "timers.py"):
            tree = ast.parse((package / module).read_text())
            for node in ast.walk(tree):
                if isinstance(node, ast.Attribute):
                    self.assertNotIn(node.attr, {"by_content", "by_content_id", "all",
                                                 "accounts"}, module)
                    if node.attr == "get" and isinstance(node.value, ast.Attribute):
                        self.assertNotEqual(node.value.attr, "root", module)
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    names = [a.name for a in node.names] + [getattr(node, "module", "") or ""]
                    self.assertFalse(any("matching" in n for n in names), module)

    # -- Control -----------------------------------------------------------------

    def test_control_powers(self) -> None:
        """
        Alice's control facet renames, describes, re-aliases the lamp and sets
        and unsets its properties.
        """
        with task(self.store, self.w.alice.id):
            lamp = facet(self.w.lamp, "control")
            lamp.rename("old lantern")
            lamp.describe("Dented.\nStill works.")
            lamp.set_aliases(["lantern", "light"])
            lamp.set_property("fuel", {"oil": [1, 2.5, None, "x"]})
            lamp.unset_property("lit")
        self.assertEqual(self.w.lamp.name, "old lantern")
        self.assertEqual(self.w.lamp.description, "Dented.\nStill works.")
        self.assertEqual(self.w.lamp.aliases, ("lantern", "light"))
        self.assertEqual(dict(self.w.lamp.properties), {"fuel": {"oil": [1, 2.5, None, "x"]}})

    def test_property_values_are_copies(self) -> None:
        """
        Values go in and come out as copies: mutating either side afterwards
        changes nothing in the world.
        """
        with task(self.store, self.w.alice.id):
            lamp = facet(self.w.lamp, "control")
            mine = {"list": [1, 2]}
            lamp.set_property("data", mine)
            mine["list"].append(3)
            got = lamp.get_property("data")
            got["list"].append(4)
            self.assertEqual(lamp.get_property("data"), {"list": [1, 2]})

    def test_non_plain_values_and_str_subclasses_are_refused(self) -> None:
        """
        Objects, sets, NaN, and str subclasses (whose methods would run inside
        trusted code) are refused, and none of their methods is called.
        """
        calls = []

        class Sneaky(str):
            def strip(self, *a: object) -> str:
                calls.append("strip")
                return "x"

            def __eq__(self, other: object) -> bool:
                calls.append("eq")
                return True

            __hash__ = str.__hash__

            def split(self, *a: object) -> list:
                calls.append("split")
                return ["x"]

        with task(self.store, self.w.alice.id):
            lamp = facet(self.w.lamp, "control")
            for value in (object(), {1, 2}, float("nan"), [Sneaky("a")], {Sneaky("k"): 1},
                          lamp.set_property):
                self.assertRaises(FacetError, lamp.set_property, "bad", value)
            self.assertRaises(FacetError, lamp.set_property, Sneaky("key"), 1)
            self.assertRaises(FacetError, lamp.rename, Sneaky("lamp"))
            self.assertRaises(FacetError, lamp.set_property, "big", "x" * 9000)
        self.assertEqual(calls, [])
        self.assertNotIn("bad", self.w.lamp.properties)
        self.assertEqual(self.w.lamp.name, "brass lamp")

    def test_text_loses_control_characters(self) -> None:
        """
        Terminal escapes go and line breaks in said text become spaces, so a
        script cannot clear screens or fake lines from others.
        """
        with task(self.store, self.w.bob.id):
            facet(self.w.bell, "control").say("ding\x1b[2J\r\nAlice says, \"hi\"")
        self.assertEqual(self.heard(self.w.alice),
                         ['bell says, "ding Alice says, "hi""'])

    def test_authority_is_the_reference_not_the_caller(self) -> None:
        """
        The same facet behaves the same whichever owner's task uses it.
        """
        for owner in (self.w.alice.id, self.w.bob.id, None):
            with task(self.store, owner):
                facet(self.w.lamp, "control").rename(f"lamp {owner}")
                self.assertRaises(ForbiddenAttribute, getattr, facet(self.w.lamp), "rename")
            self.assertEqual(self.w.lamp.name, f"lamp {owner}")

    def test_listing_is_charged_before_the_work(self) -> None:
        """
        Listing contents, exits, characters and properties, and copying
        stored values, reports work to the task's charger first, so a
        budget that runs out stops the facet before it does the work.
        """
        charged: list[int] = []

        class OutOfTicks(BaseException):
            pass

        def broke(units: int) -> None:
            raise OutOfTicks()

        with self.store.turn(), acting(self.store, self.w.bob.id, charge=charged.append):
            hall = facet(self.w.hall, "view", voice=self.w.bell)
            self.assertEqual(len(hall.contents), 5)
            self.assertEqual(len(hall.exits), 1)
            self.assertEqual(len(hall.characters), 2)
            facet(self.w.lamp).property_names()
            state.state_facet(self.w.bell).set("k", "x" * 640)
            state.state_facet(self.w.bell).get("k")
        self.assertEqual(charged, [6, 6, 6, 1, 10, 10])  # the hall holds 6, exit included
        with self.store.turn(), acting(self.store, self.w.bob.id, charge=broke):
            hall = facet(self.w.hall, "view", voice=self.w.bell)
            self.assertEqual(hall.name, "Hall")  # constant work: not charged
            self.assertRaises(OutOfTicks, getattr, hall, "contents")

    def test_facets_act_only_in_a_task(self) -> None:
        """
        Outside a task (or a turn) a facet does nothing.
        """
        with task(self.store, self.w.bob.id):
            lamp = facet(self.w.lamp, "control")
        self.assertRaises(FacetError, getattr, lamp, "name")
        with acting(self.store, self.w.bob.id):
            self.assertRaises(FacetError, lamp.rename, "x")
        self.assertEqual(self.w.lamp.name, "brass lamp")

    def test_rolled_back_turn_leaves_no_trace(self) -> None:
        """
        A turn that fails after a facet changed the world and spoke is rolled
        back: the change is undone and nobody hears anything.
        """
        with self.assertRaises(RuntimeError), task(self.store, self.w.alice.id):
            lamp = facet(self.w.lamp, "control")
            lamp.rename("ghost")
            lamp.say("boo")
            lamp.move_to(facet(self.w.box))
            raise RuntimeError("the script failed after changing the world")
        self.assertEqual(self.w.lamp.name, "brass lamp")
        self.assertIs(self.w.lamp.location, self.w.hall)
        self.assertEqual(self.heard(self.w.bob), [])

    # -- Interact ------------------------------------------------------------------

    def test_character_public_facet_is_told_not_moved(self) -> None:
        """
        Bob's interact facet of Alice tells her text (after commit) but has
        no way to move, rename or describe her.
        """
        with task(self.store, self.w.bob.id):
            alice = facet(self.w.alice, "interact", voice=self.w.bell)
            alice.tell("Your bell is ringing.")
            for name in ("move_to", "rename", "describe", "destroy", "set_property"):
                self.assertRaises(ForbiddenAttribute, getattr, alice, name)
            self.assertEqual(self.heard(self.w.alice), [])  # not before commit
        self.assertEqual(self.heard(self.w.alice), ["Your bell is ringing."])
        self.assertEqual(self.minds[self.w.alice.id].events[0].actor, self.w.bell.id)
        self.assertEqual(self.heard(self.w.bob), [])

    def test_room_interact_speaks_with_its_voice(self) -> None:
        """
        A room's interact facet says and emotes on behalf of its voice (the
        script's host), to everyone in the room.
        """
        with task(self.store, self.w.bob.id):
            here = facet(self.w.hall, "interact", voice=self.w.bell)
            here.say("Ding!")
            here.emote("rings loudly.")
            self.assertRaises(ForbiddenAttribute, getattr, here, "announce")
        expected = ['bell says, "Ding!"', "bell rings loudly."]
        self.assertEqual(self.heard(self.w.alice), expected)
        self.assertEqual(self.heard(self.w.bob), expected)

    def test_room_voice_must_be_present(self) -> None:
        """
        A room facet without a voice, or whose voice is elsewhere, cannot
        speak there.
        """
        with task(self.store, self.w.bob.id):
            self.assertRaises(WorldError, facet(self.w.hall, "interact").say, "hi")
            self.assertRaises(WorldError, facet(self.w.garden, "interact", voice=self.w.bell).say,
                              "hi")
        self.assertEqual(self.heard(self.w.alice), [])

    def test_room_control_announces(self) -> None:
        """
        A room's control facet announces text with no speaker.
        """
        with task(self.store, self.w.alice.id):
            facet(self.w.hall, "control").announce("The lights flicker.")
        self.assertEqual(self.heard(self.w.bob), ["The lights flicker."])

    # -- Moving ------------------------------------------------------------------

    def test_move_within_reach(self) -> None:
        """
        A controlled thing moves into a container in its room, or into a room
        one exit away (with depart/arrive told), given view facets of them.
        """
        with task(self.store, self.w.alice.id):
            lamp = facet(self.w.lamp, "control")
            lamp.move_to(facet(self.w.box))
            self.assertEqual(lamp.location.name, "box")
            lamp.move_to(facet(self.w.hall))
            lamp.move_to(facet(self.w.garden))
            self.assertEqual(lamp.room().name, "Garden")
        self.assertIs(self.w.lamp.location, self.w.garden)
        heard = self.heard(self.w.bob)
        self.assertIn("A brass lamp is now in the box.", heard)
        self.assertIn("A brass lamp leaves.", heard)

    def test_move_out_of_reach_is_refused(self) -> None:
        """
        A view facet of a far room (or of something there) is not enough to
        send a thing there; a control facet of the place is.
        """
        with task(self.store, self.w.alice.id):
            lamp = facet(self.w.lamp, "control")
            self.assertRaises(WorldError, lamp.move_to, facet(self.w.study))
            self.assertIs(self.w.lamp.location, self.w.hall)
            lamp.move_to(facet(self.w.study, "control"))
        self.assertIs(self.w.lamp.location, self.w.study)

    def test_move_obeys_containment(self) -> None:
        """
        Containment rules hold: nothing inside itself; a place must be a
        facet, not a raw object or a name.
        """
        with task(self.store, self.w.alice.id):
            box = facet(self.w.box, "control")
            self.assertRaises(MoveError, box.move_to, box)
            self.assertRaises(FacetError, box.move_to, "Garden")
            self.assertRaises(FacetError, box.move_to, self.w.garden)
            self.assertRaises(WorldError, box.move_to, facet(self.w.lamp))

    # -- Parenthood ----------------------------------------------------------------

    def test_created_object_belongs_to_acting_owner(self) -> None:
        """
        An object a script creates belongs to the script's owner, who
        receives its control facet; it is counted against that owner.
        """
        with task(self.store, self.w.alice.id):
            coin = facet(self.w.box, "control").create("thing", "gold coin", "Shiny.")
            self.assertEqual(getChecker(coin).names, role_names("thing", "control"))
            coin.rename("old coin")
            self.assertEqual(coin.location.name, "box")
        made = self.w.box.contents[0]
        self.assertEqual((made.name, made.owner, made.description),
                         ("old coin", self.w.alice.id, "Shiny."))
        self.assertEqual(accounting.usage(self.store.root, self.w.alice.id).objects, 1)

    def test_parenthood_follows_the_script_not_the_facet(self) -> None:
        """
        Bob's script using a control facet of Alice's box (handed to it)
        creates an object Bob owns; a thing that holds nothing creates beside
        itself.
        """
        with task(self.store, self.w.bob.id):
            facet(self.w.box, "control").create("thing", "pebble")
            facet(self.w.bell, "control").create("container", "bag")
        self.assertEqual(self.w.box.contents[0].owner, self.w.bob.id)
        bag = self.w.hall.contents[-1]
        self.assertEqual((bag.name, bag.kind, bag.owner), ("bag", "container", self.w.bob.id))
        self.assertEqual(accounting.usage(self.store.root, self.w.bob.id).objects, 2)

    def test_create_makes_only_things_and_containers(self) -> None:
        """
        Scripts cannot create rooms, exits or characters.
        """
        with task(self.store, self.w.alice.id):
            box = facet(self.w.box, "control")
            for kind in ("room", "exit", "character", "Thing", 3):
                self.assertRaises(FacetError, box.create, kind, "x")
        self.assertEqual(list(self.w.box.contents), [])

    def test_object_quota(self) -> None:
        """
        Past the owner's object quota, create raises and makes nothing.
        """
        with task(self.store, None):
            self.store.root.settings[accounting.SETTING_OBJECTS] = 1
        with task(self.store, self.w.alice.id):
            box = facet(self.w.box, "control")
            box.create("thing", "one")
            self.assertRaises(QuotaExceeded, box.create, "thing", "two")
        self.assertEqual([o.name for o in self.w.box.contents], ["one"])

    def test_destroy(self) -> None:
        """
        Destroying through a control facet removes the object, releases its
        owner's count, revokes grants of it, and leaves every facet of it
        saying it no longer exists.
        """
        with task(self.store, self.w.alice.id):
            coin = facet(self.w.box, "control").create("thing", "coin")
        with task(self.store, self.w.alice.id) as turn:
            g = grants.grant(turn.root, self.w.alice.id, self.w.lamp, "coin",
                             self.w.box.contents[0],
                             "view")
        with task(self.store, self.w.alice.id):
            view = attenuate(coin, "view")
            coin.destroy()
            self.assertRaises(WorldError, getattr, view, "name")
        self.assertEqual(list(self.w.box.contents), [])
        self.assertTrue(g.revoked)
        self.assertEqual(accounting.usage(self.store.root, self.w.alice.id).objects, 0)
