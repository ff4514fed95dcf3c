"""
Savepoints inside a turn, hooks after a rollback, what destroy reports, and
the script record objects keep.
"""

from __future__ import annotations

from twisted.trial import unittest

from world.events import Event
from world.objects import Exit, Room, Thing
from world.scripts import clear_script, is_scriptable, script_of, set_script
from world.store import WorldStore


class SavepointTests(unittest.TestCase):
    """
    Part of a turn can be rolled back while the rest commits.
    """

    def setUp(self) -> None:
        self.store = WorldStore()
        self.addCleanup(self.store.close)
        with self.store.turn() as turn:
            self.room = turn.root.create(Room, "Hall")
            self.lamp = turn.root.create(Thing, "lamp", location=self.room)

    def test_rollback_undoes_changes_events_and_hooks(self) -> None:
        """
        After a savepoint's rollback, the changes, events and commit hooks
        since it are gone; the abort hooks added since have run; what came
        before commits.
        """
        ran: list[str] = []
        with self.store.turn() as turn:
            self.lamp.name = "bright lamp"
            turn.tell(1, Event("say", "kept"))
            point = turn.savepoint()
            self.lamp.set_property("lit", True)
            turn.root.create(Thing, "spark", location=self.room)
            turn.tell(1, Event("say", "dropped"))
            turn.after_commit.append(lambda: ran.append("commit"))
            turn.after_abort.append(lambda: ran.append("abort"))
            point.rollback()
            self.assertEqual([e.text for _, e in turn.events], ["kept"])
        self.assertEqual(ran, ["abort"])
        with self.store.turn() as turn:
            self.assertEqual(self.lamp.name, "bright lamp")
            self.assertNotIn("lit", self.lamp.properties)
            self.assertEqual([o.name for o in self.room.contents], ["bright lamp"])

    def test_after_abort_hooks_run_on_rollback(self) -> None:
        """
        A turn that raises runs its after_abort hooks, not its after_commit ones.
        """
        ran: list[str] = []
        with self.assertRaises(ValueError), self.store.turn() as turn:
            turn.after_commit.append(lambda: ran.append("commit"))
            turn.after_abort.append(lambda: ran.append("abort"))
            raise ValueError()
        self.assertEqual(ran, ["abort"])


class DestroyReportTests(unittest.TestCase):
    """
    destroy says what it destroyed, so scripts' records can be forgotten.
    """

    def test_room_with_exits(self) -> None:
        """
        Destroying a room reports the exits into and out of it, then the room.
        """
        store = WorldStore()
        self.addCleanup(store.close)
        with store.turn() as turn:
            root = turn.root
            hall = root.create(Room, "Hall")
            yard = root.create(Room, "Yard")
            root.start_room = hall
            out = root.create(Exit, "north", location=yard, destination=hall)
            back = root.create(Exit, "south", location=hall, destination=yard)
            gone = root.destroy(yard)
            self.assertEqual(set(map(id, gone)), {id(out), id(back), id(yard)})
            self.assertIs(gone[-1], yard)

    def test_turn_records_what_it_destroyed(self) -> None:
        """
        A turn records the id of each object destroyed in it (for the
        server to forget what it keeps for them once the turn commits),
        except those whose destruction a savepoint's rollback undid; the
        next turn starts with none.
        """
        store = WorldStore()
        self.addCleanup(store.close)
        with store.turn() as turn:
            root = turn.root
            hall = root.create(Room, "Hall")
            root.start_room = hall
            lamp = root.create(Thing, "lamp", location=hall)
            bell = root.create(Thing, "bell", location=hall)
            kite = root.create(Thing, "kite", location=hall)
        with store.turn() as turn:
            turn.root.destroy(lamp)
            point = turn.savepoint()
            turn.root.destroy(bell)
            point.rollback()
            turn.root.destroy(kite)
            self.assertEqual(turn.destroyed, [lamp.id, kite.id])
        with store.turn() as turn:
            self.assertEqual(turn.destroyed, [])
            self.assertIsNotNone(turn.root.get(bell.id))


class ScriptRecordTests(unittest.TestCase):
    """
    An object's script record.
    """

    def test_versions_and_clear(self) -> None:
        """
        Each save is a new version, not suspended; clearing removes it;
        characters cannot hold one.
        """
        from world.objects import Character

        store = WorldStore()
        self.addCleanup(store.close)
        with store.turn() as turn:
            hall = turn.root.create(Room, "Hall")
            bell = turn.root.create(Thing, "bell", location=hall)
            first = set_script(bell, "x = 1", ("f",), 7)
            first.suspended = "broken"
            second = set_script(bell, "x = 2", None, 7)
            self.assertEqual((second.version, second.suspended, second.functions),
                             (2, None, None))
            self.assertIs(script_of(bell), second)
            self.assertEqual(second.lines(), ["x = 2"])
            self.assertTrue(clear_script(bell))
            self.assertIsNone(script_of(bell))
            self.assertFalse(clear_script(bell))
            self.assertFalse(is_scriptable(turn.root.create(Character, "Ann", location=hall)))
            self.assertTrue(is_scriptable(bell))


class IdentityTests(unittest.TestCase):
    """
    World objects compare by identity and never hand themselves to the
    other operand's reflected comparison.
    """

    def test_identity_and_no_order(self) -> None:
        """
        == and != are identity; ordering raises at once, without asking the
        other operand.
        """
        a, b = Thing(1, "a"), Thing(2, "b")
        self.assertTrue(a == a)
        self.assertFalse(a == b)
        self.assertTrue(a != b)
        self.assertEqual({a: 1}[a], 1)
        asked: list[str] = []

        class Other:
            def __gt__(self, other: object) -> bool:
                asked.append("gt")
                return True

            def __eq__(self, other: object) -> bool:
                asked.append("eq")
                return True

        with self.assertRaises(TypeError):
            a < Other()  # noqa: B015
        self.assertFalse(a == Other())
        self.assertEqual(asked, [])
