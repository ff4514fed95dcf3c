"""
Tests for L{world.channels}: names, membership, moderation, history and
their bounds, and the schema generation that declares them.
"""

from __future__ import annotations

from typing import Any

from twisted.trial.unittest import TestCase

from engine.accounts import Account
from engine.testing import upgraded
from world import channels
from world.channels import ChannelRegistry
from world.errors import WorldError
from world.objects import Character, Room
from world.store import WorldStore


def world_with(*names: str) -> tuple[WorldStore, list[int]]:
    """
    An in-memory world with a character (and account) for each name.
    """
    store = WorldStore()
    ids = []
    with store.turn() as turn:
        root = turn.root
        room = root.create(Room, "Hall")
        root.start_room = room
        for name in names:
            character = root.create(Character, name, location=room)
            root.accounts[name.lower()] = Account(name, "x", "player", character.id, 0.0)
            ids.append(character.id)
    return store, ids


class ChannelTests(TestCase):
    def setUp(self) -> None:
        self.store, (self.alice, self.bob, self.carol) = world_with("Alice", "Bob", "Carol")
        self.addCleanup(self.store.close)

    def test_everyone_is_on_pub(self) -> None:
        """A new world has pub, the world's, and every character is on it until they leave."""
        with self.store.turn() as turn:
            pub = channels.find(turn.root, "PUB")
            self.assertIsNone(pub.owner)
            self.assertTrue(pub.is_member(self.alice))
            self.assertEqual(pub.count(turn.root), 3)
            channels.leave(turn.root, pub, self.alice)
            self.assertFalse(pub.is_member(self.alice))
            self.assertEqual(list(pub.member_ids(turn.root)), [self.bob, self.carol])
            channels.join(turn.root, pub, self.alice)
            self.assertTrue(pub.is_member(self.alice))
            self.assertEqual([c.name for c in channels.registry(turn.root).of(self.bob)],
                             ["pub"])

    def test_names(self) -> None:
        """Names are short ASCII words, never a command, direction, character or taken one."""
        with self.store.turn() as turn:
            root = turn.root
            for bad, why in [("x", "2 to 16"), ("9lives", "2 to 16"), ("a" * 17, "2 to 16"),
                             ("chéss", "2 to 16"), ("ch ess", "2 to 16"), ("north", "direction"),
                             ("ne", "direction"), ("look", "command"), ("bob", "character"),
                             ("pub", "already")]:
                with self.assertRaises(WorldError) as caught:
                    channels.check_name(root, bad, reserved={"look"})
                self.assertIn(why, str(caught.exception), bad)
            self.assertEqual(channels.check_name(root, " Chess2 "), "chess2")

    def test_owner_limit(self) -> None:
        """One character owns at most MAX_OWNED channels; destroying one frees a place."""
        with self.store.turn() as turn:
            root = turn.root
            made = [channels.create(root, self.alice, f"chan{i}", "", 0.0)
                    for i in range(channels.MAX_OWNED)]
            with self.assertRaises(WorldError) as caught:
                channels.create(root, self.alice, "onemore", "", 0.0)
            self.assertIn(f"already have {channels.MAX_OWNED} channels", str(caught.exception))
            channels.destroy(root, made[0])
            channels.create(root, self.alice, "onemore", "", 0.0)
            self.assertTrue(made[1].is_member(self.alice))  # the owner is on what they make

    def test_member_limit(self) -> None:
        """A player's channel has at most MAX_MEMBERS members."""
        self.patch(channels, "MAX_MEMBERS", 2)
        with self.store.turn() as turn:
            chess = channels.create(turn.root, self.alice, "chess", "", 0.0)
            channels.join(turn.root, chess, self.bob)
            with self.assertRaises(WorldError) as caught:
                channels.join(turn.root, chess, self.carol)
            self.assertIn("full", str(caught.exception))

    def test_ban_and_mute(self) -> None:
        """A ban takes a member off and keeps them off; a mute keeps them on; owners are immune."""
        with self.store.turn() as turn:
            root = turn.root
            chess = channels.create(root, self.alice, "chess", "", 0.0)
            channels.join(root, chess, self.bob)
            channels.mute(chess, self.bob)
            self.assertIn(self.bob, chess.muted)
            channels.ban(root, chess, self.bob)
            self.assertFalse(chess.is_member(self.bob))
            self.assertNotIn(self.bob, chess.muted)
            with self.assertRaises(WorldError):
                channels.join(root, chess, self.bob)
            channels.unban(chess, self.bob)
            channels.join(root, chess, self.bob)
            for act in (channels.mute, lambda c, who: channels.ban(root, c, who)):
                with self.assertRaises(WorldError):
                    act(chess, self.alice)
            pub = channels.find(root, "pub")
            channels.ban(root, pub, self.carol)
            self.assertFalse(pub.is_member(self.carol))
            channels.unban(pub, self.carol)
            self.assertTrue(pub.is_member(self.carol))

    def test_history_is_bounded(self) -> None:
        """The history keeps the last HISTORY lines, each with its mark."""
        with self.store.turn() as turn:
            pub = channels.find(turn.root, "pub")
            for i in range(channels.HISTORY + 5):
                channels.post(turn, pub, f"[pub] Alice: {i}", float(i), (), talker="Alice")
            channels.post(turn, pub, "[pub] gremlin: hi", 500.0, (), talker="x",
                          origin="Bob's gremlin")
            self.assertEqual(len(pub.history), channels.HISTORY)
            shown = channels.recent(pub, 3)
            self.assertEqual(shown, [(103.0, "[pub] Alice: 103"), (104.0, "[pub] Alice: 104"),
                                     (500.0, "[Bob's gremlin] [pub] gremlin: hi")])
            self.assertEqual(len(channels.recent(pub, 10_000)), channels.HISTORY)

    def test_post_tells_connected_members_once(self) -> None:
        """A line is one event, told to the members among those connected, never to others."""
        with self.store.turn() as turn:
            root = turn.root
            chess = channels.create(root, self.alice, "chess", "", 0.0)
            channels.join(root, chess, self.bob)
            event = channels.post(turn, chess, channels.line(chess, "Alice", "hi"), 1.0,
                                  [self.bob, self.carol, 999], talker="Alice")
            self.assertEqual(turn.events, [(self.bob, event)])
            self.assertEqual(event.text, "[chess] Alice: hi")
            self.assertEqual(dict(event.data), {"channel": "chess", "talker": "Alice"})

    def test_lines(self) -> None:
        """Talk and emotes are one marked line; text is one line within MAX_TEXT."""
        with self.store.turn() as turn:
            pub = channels.find(turn.root, "pub")
            self.assertEqual(channels.line(pub, "Alice", "waves.", emote=True),
                             "[pub] Alice waves.")
            self.assertEqual(channels.line(pub, "Alice", "'s cat purrs.", emote=True),
                             "[pub] Alice's cat purrs.")
            self.assertEqual(channels.check_text("a\nb\x1b[2J\tc"), "a b c")
            with self.assertRaises(WorldError):
                channels.check_text("x" * (channels.MAX_TEXT + 1))
            with self.assertRaises(WorldError):
                channels.check_text(" \n ")

    def test_destroy(self) -> None:
        """Destroying a channel takes everyone off it; pub stays."""
        with self.store.turn() as turn:
            root = turn.root
            chess = channels.create(root, self.alice, "chess", "", 0.0)
            channels.join(root, chess, self.bob)
            channels.destroy(root, chess)
            self.assertTrue(chess.destroyed)
            self.assertIsNone(channels.registry(root).get("chess"))
            self.assertEqual(channels.registry(root).of(self.bob)[0].name, "pub")
            self.assertNotIn(self.bob, channels.registry(root).by_member)
            with self.assertRaises(WorldError):
                channels.post(turn, chess, "x", 0.0, (), talker="Alice")
            with self.assertRaises(WorldError):
                channels.destroy(root, channels.find(root, "pub"))


class GenerationTests(TestCase):
    def test_generation_5_gets_channels_and_mail(self) -> None:
        """A generation 5 world gets channels (with pub) and mailboxes, keeping the rest."""
        def build(root: Any) -> None:
            root.create(Room, "Hall")
            del root.channels
            del root.mail
        store = upgraded(self, 5, build)  # this step alone; later ones test themselves
        self.assertEqual(store.generation, 6)
        self.assertIsInstance(store.root.channels, ChannelRegistry)
        self.assertIsNotNone(store.root.channels.get("pub"))
        self.assertEqual(len(store.root.mail), 0)
        self.assertEqual(store.root.get(1).name, "Hall")

