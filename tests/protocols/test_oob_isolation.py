"""
The GMCP messages of one event are shared by every session that perceives
it (L{engine.oob.shared_messages}); nothing one delivery does may change
what another client receives: neither a step that changes the message it
was handed, nor anything that changes the event's data (a dict, which a
frozen event does not freeze) between one delivery and the next.
"""

from __future__ import annotations

import json
from typing import Any

from twisted.trial.unittest import TestCase

from engine import oob
from engine.protocols.gmcp import Prepared, encode
from world.events import Event


def _wants(*packages: str) -> Any:
    return lambda package: package in packages


def _body(payload: bytes) -> Any:
    return json.loads(payload.decode().partition(" ")[2])


class SharedMessagesIsolationTests(TestCase):
    def setUp(self) -> None:
        self.info = {"num": 12, "name": "The Quay", "area": "Saltmere",
                     "exits": {"n": 13}}
        self.status = {"name": "Alice", "area": "Saltmere", "room": "The Quay"}
        self.event = Event("look", "The Quay", actor=40,
                           data={"Room.Info": self.info, "Char.Status": self.status})
        self.original = encode("Room.Info", json.loads(json.dumps(self.info)))

    def test_a_step_changing_its_message_changes_no_other(self) -> None:
        """
        One session's step that changes the data of the message it was
        handed, before any client encoded it, does not change what the next
        session sends.
        """
        (first,) = oob.shared_messages(self.event, 41, _wants("Room.Info"))
        first.data["name"] = "Forged"
        first.data["exits"]["n"] = 999
        (second,) = oob.shared_messages(self.event, 42, _wants("Room.Info"))
        self.assertEqual(second.payload(), self.original)
        self.assertEqual(_body(second.payload())["exits"], {"n": 13})

    def test_the_event_changed_between_deliveries(self) -> None:
        """
        The event's data changed after the first session's delivery (which
        wanted another package of it) and before the next: the next client
        still gets what the event said when it was delivered.
        """
        (status,) = oob.shared_messages(self.event, 41, _wants("Char.Status"))
        self.assertEqual(status.package, "Char.Status")
        self.info["name"] = "Forged"
        self.info["exits"]["n"] = 999
        (info,) = oob.shared_messages(self.event, 42, _wants("Room.Info"))
        self.assertEqual(info.payload(), self.original)

    def test_every_client_the_same_bytes(self) -> None:
        """
        Whatever is changed between them, every session perceiving the
        event sends the same bytes for each package.
        """
        sent: list[bytes] = []
        for viewer in range(41, 46):
            for message in oob.shared_messages(self.event, viewer,
                                               _wants("Room.Info", "Char.Status")):
                sent.append(message.payload())
                if isinstance(message.data, dict):
                    message.data.clear()
            self.status["room"] = f"Room {viewer}"
        self.assertEqual(len(set(sent)), 2)


class FailedEncodingTests(TestCase):
    def test_a_failure_is_remembered(self) -> None:
        """
        A message whose data cannot be encoded is refused to every client
        the same way, even if its data became encodable since.
        """
        data: dict[str, Any] = {"name": "The Quay", "when": object()}
        message = Prepared("Room.Info", data)
        self.assertRaises(TypeError, message.payload)
        data["when"] = 12
        self.assertRaises(TypeError, message.payload)
        self.assertRaises(TypeError, message.payload)

    def test_a_failed_event_sends_no_client_anything(self) -> None:
        """
        An event whose GMCP data failed to encode for the first session
        that wanted it sends no later session anything for that package,
        whatever is changed in the event's data between deliveries.
        """
        info: dict[str, Any] = {"num": 12, "exits": {"n": object()}}
        event = Event("look", "The Quay", actor=40, data={"Room.Info": info})
        (first,) = oob.shared_messages(event, 41, _wants("Room.Info"))
        self.assertRaises(TypeError, first.payload)
        info["exits"]["n"] = 13
        (second,) = oob.shared_messages(event, 42, _wants("Room.Info"))
        self.assertRaises(TypeError, second.payload)
