"""
Channel facets (L{scripting.facets.channels}): what a script handed a
channel may do with it, and who may hand one.
"""

from __future__ import annotations

from zope.security.interfaces import ForbiddenAttribute
from zope.security.proxy import getChecker

from scripting.facets import channels as channel_grants
from scripting.facets.checkers import SAFE_SPECIALS, is_facet
from scripting.facets.errors import FacetError, Revoked
from scripting.facets.interfaces import IChannel
from tests.facets.helpers import ChessCase, task
from world import channels
from world.errors import WorldError


class ChannelFacetTests(ChessCase):
    def setUp(self) -> None:
        super().setUp()
        self.heard: list = []
        self.store.minds[self.w.alice.id] = self  # Alice is connected: this test is her mind

    def perceive(self, event) -> None:
        self.heard.append(event)

    def facet(self):
        return channel_grants.channel_facet(self.chess, self.w.lamp, "Alice's brass lamp",
                                            (self.grant,))

    def test_names(self) -> None:
        """The checker exposes exactly IChannel; the facet is no world object's facet."""
        chess = self.facet()
        self.assertEqual(getChecker(chess).names, frozenset(IChannel.names(all=True)))
        self.assertFalse(is_facet(chess))
        for name in ("_target", "_voice", "_origin", "history", "members", "__class__",
                     "__dict__", "with_cells"):
            self.assertNotIn(name, SAFE_SPECIALS)
            with self.assertRaises(ForbiddenAttribute):
                getattr(chess, name)
        self.assertEqual(chess.name, "chess")

    def test_say_is_marked_and_kept(self) -> None:
        """A line goes to connected members, marked, and into the history."""
        with task(self.store, self.w.alice.id) as turn:
            self.facet().say("hello\nthere")
            (reader, event), = turn.events
        self.assertEqual(reader, self.w.alice.id)
        self.assertEqual(self.heard, [event])
        self.assertEqual(event.text_for(reader),
                         "[Alice's brass lamp] [chess] brass lamp: hello there")
        self.assertEqual(channels.recent(self.chess, 1)[0][1],
                         "[Alice's brass lamp] [chess] brass lamp: hello there")

    def test_revoked(self) -> None:
        """A revoked grant's facet is dead."""
        chess = self.facet()
        with self.store.turn() as turn:
            channel_grants.revoke(turn.root, self.grant)
        with task(self.store, self.w.alice.id), self.assertRaises(Revoked):
            chess.say("hi")

    def test_bad_text(self) -> None:
        """Text must be text, not empty, within the channel's limit."""
        with task(self.store, self.w.alice.id):
            for bad in (None, 3, "  ", "x" * (channels.MAX_TEXT + 1)):
                with self.assertRaises((FacetError, WorldError)):
                    self.facet().say(bad)

    def test_who_may_grant(self) -> None:
        """Only the channel's owner grants it, to their own things (wizards: the world's)."""
        with self.store.turn() as turn:
            root, w = turn.root, self.w
            pub = channels.find(root, "pub")
            for owner, host, chan, wizard in [(w.bob.id, w.bell, self.chess, False),
                                              (w.alice.id, w.bell, self.chess, False),
                                              (w.alice.id, w.lamp, pub, False)]:
                with self.assertRaises(WorldError):
                    channel_grants.grant(root, owner, host, "talk", chan, wizard=wizard)
            made = channel_grants.grant(root, w.bob.id, w.bell, "pub", pub, wizard=True)
            self.assertEqual(channel_grants.describe(made), "c2: bell.pub = channel pub")
            with self.assertRaises(WorldError):
                channel_grants.grant(root, w.alice.id, w.lamp, "chess", self.chess)
