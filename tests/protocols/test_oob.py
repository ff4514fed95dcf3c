"""
Tests for L{engine.oob}: GMCP bodies made from world objects and events.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine import oob
from world.events import Event
from world.objects import Character, Exit, Room


def small_world() -> tuple[Room, Room, Room, Character]:
    quay = Room(12, "The Quay", area="Saltmere")
    lane = Room(13, "Net Lane", area="Saltmere")
    loft = Room(20, "Sail Loft")
    for exit, home in ((Exit(30, "north", destination=lane), quay),
                       (Exit(31, "up", destination=loft), quay),
                       (Exit(32, "gate", destination=loft), quay),
                       (Exit(33, "in", destination=loft), quay),
                       (Exit(34, "west"), quay)):
        exit.location = home
        home.contents.append(exit)
    alice = Character(40, "Alice")
    alice.location = quay
    quay.contents.append(alice)
    return quay, lane, loft, alice


class RoomInfoTests(TestCase):
    def test_room_info(self) -> None:
        """num is the id; exits keyed by short direction or name, to room ids."""
        quay, _, _, _ = small_world()
        self.assertEqual(oob.room_info(quay), {
            "num": 12, "name": "The Quay", "area": "Saltmere",
            "exits": {"n": 13, "u": 20, "in": 20, "gate": 20},
        })

    def test_no_area(self) -> None:
        """A room without an area has an empty one."""
        _, _, loft, _ = small_world()
        self.assertEqual(oob.room_info(loft)["area"], "")

    def test_exit_keys(self) -> None:
        """Directions shorten; other names stay."""
        self.assertEqual([oob.exit_key(n) for n in ("north", "NE", "down", "out", "Gate")],
                         ["n", "ne", "d", "out", "gate"])

    def test_char(self) -> None:
        """Char.Name and Char.Status name the character and where it is."""
        _, _, _, alice = small_world()
        self.assertEqual(oob.char_name(alice), {"name": "Alice", "fullname": "Alice"})
        self.assertEqual(oob.char_status(alice), {"name": "Alice", "area": "Saltmere",
                                                  "room": "The Quay"})

    def test_room_data_travels_in_events(self) -> None:
        """Package-named data keys become GMCP messages; others do not."""
        quay, _, _, alice = small_world()
        event = Event("look", "The Quay", actor=40, data={**oob.room_data(quay, alice),
                                                          "exit": "north"})
        self.assertEqual([p for p, _ in oob.messages_for(event, 40)],
                         ["Char.Status", "Room.Info"])


class ChannelTests(TestCase):
    def test_say(self) -> None:
        """Speech becomes Comm.Channel.Text with the text the viewer reads."""
        event = Event("say", 'Alice says, "hi"', actor=40, actor_text='You say, "hi"',
                      data={"talker": "Alice", "text": "hi"})
        self.assertEqual(oob.channel_text(event, 41),
                         {"channel": "say", "talker": "Alice", "text": 'Alice says, "hi"'})
        self.assertEqual(oob.messages_for(event, 40),
                         [("Comm.Channel.Text",
                           {"channel": "say", "talker": "Alice", "text": 'You say, "hi"'})])

    def test_not_speech(self) -> None:
        """Other events are no channel text."""
        self.assertIsNone(oob.channel_text(Event("arrive", "Bob arrives."), 1))
        self.assertEqual(oob.messages_for(Event("depart", "x", data={"exit": "n"}), 1), [])
