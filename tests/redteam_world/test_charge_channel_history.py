"""
A chat channel's history as hostile talkers fill it: it keeps at most
L{world.channels.HISTORY} lines and L{world.channels.HISTORY_BYTES} bytes
together (the oldest go first), and that ceiling is charged to the
channel's owner from the moment it is made, so that what others say on it
costs nobody anything more and no channel stores what nobody paid for. A
channel a world stored before is bounded the same way the next time it is
talked on. A wizard moderating another's channel charges its owner but is
never refused for the owner's quota.
"""

from __future__ import annotations

from engine.testing import TestWorld
from tests.redteam_world.charging import ChargeCase
from world import channels


class ChannelHistoryChargeTests(ChargeCase):
    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)
        self.mallory = self.world.login("Mallory")
        self.alice = self.world.login("Alice")
        self.wizard = self.world.login("Wiz", role="wizard")
        for player in (self.mallory, self.alice, self.wizard):
            player.output()

    def history(self, name: str) -> tuple[int, int | None, list[str]]:
        """
        What the history of channel C{name} stores (measured), what it
        says it stores, and its lines.
        """
        with self.world.store.turn() as turn:
            found = channels.registry(turn.root).get(name)
            assert found is not None
            lines = list(found.history.values())
            return (sum(channels.line_size(said, origin) for _, said, origin, *_ in lines),
                    found.history_bytes, [said for _, said, *_ in lines])

    def test_the_history_stays_within_its_ceiling(self) -> None:
        """
        However long the lines said on a channel (the longest a line may
        be, in characters of three bytes), its history stores at most
        HISTORY_BYTES, keeps the newest lines, and costs no talker (nor
        its owner) more than the ceiling charged when it was made.
        """
        before = self.stored("Mallory")
        self.send(self.mallory, "@channel/create chess = Chess")
        made = self.stored("Mallory")
        self.assertEqual(made - before, len("chess") + len("Chess") + channels.HISTORY_BYTES)
        self.send(self.alice, "@channel/join chess")
        alice = self.stored("Alice")
        for n in range(30):
            talker = self.alice if n % 2 else self.mallory
            self.send(talker, f"chess {n:02} " + "\u20ac" * (channels.MAX_TEXT - 3))
        measured, counted, lines = self.history("chess")
        self.assertLessEqual(measured, channels.HISTORY_BYTES)
        self.assertEqual(counted, measured)
        self.assertTrue(lines[-1].startswith("[chess] Alice: 29 "))
        self.assertGreater(len(lines), 1)
        self.assertEqual((self.stored("Mallory"), self.stored("Alice")), (made, alice))
        self.send(self.mallory, "@channel/destroy chess")
        self.assertEqual(self.stored("Mallory"), before)

    def test_no_room_for_the_history(self) -> None:
        """
        An owner without room for a channel's history as well as its name
        and description is refused it, told what a channel counts, and
        nothing is made or charged.
        """
        self.leave_room("Mallory", len("chess") + len("Chess") + channels.HISTORY_BYTES - 1)
        before = self.stored("Mallory")
        said = self.send(self.mallory, "@channel/create chess = Chess")
        self.assertIn("more bytes of storage", said)
        self.assertIn(f"{channels.HISTORY_BYTES} bytes for its history", said)
        with self.world.store.turn() as turn:
            self.assertIsNone(channels.registry(turn.root).get("chess"))
        self.assertEqual(self.stored("Mallory"), before)
        self.leave_room("Mallory", len("chess") + len("Chess") + channels.HISTORY_BYTES)
        self.assertIn("You made the channel chess",
                      self.send(self.mallory, "@channel/create chess = Chess"))

    def test_a_channel_stored_before(self) -> None:
        """
        A channel a world stored before its history was bounded in bytes
        or charged (a long history, nothing charged) still works: the next
        line said on it brings its history within the ceiling, and the
        next time its owner describes it, its owner is charged all it
        stores; destroying it refunds exactly that.
        """
        who = self.character_id("Mallory")
        with self.world.store.turn() as turn:
            old = channels.create(turn.root, who, "chess", "Chess", 0.0)
            del old.history_bytes  # as a channel stored before kept no count
            for n in range(channels.HISTORY):
                old.history[old.next_line] = (0.0, f"[chess] Mallory: {n} " + "x" * 990, None)
                old.next_line += 1
        before = self.stored("Mallory")
        self.send(self.mallory, "chess hello")
        measured, counted, lines = self.history("chess")
        self.assertLessEqual(measured, channels.HISTORY_BYTES)
        self.assertEqual(counted, measured)
        self.assertEqual(lines[-1], "[chess] Mallory: hello")
        self.assertEqual(self.stored("Mallory"), before)
        self.send(self.mallory, "@channel/describe chess = Chess, slowly")
        self.assertEqual(self.stored("Mallory") - before,
                         len("chess") + len("Chess, slowly") + channels.HISTORY_BYTES)
        self.send(self.mallory, "@channel/destroy chess")
        self.assertEqual(self.stored("Mallory"), before)

    def test_a_wizard_describing_anothers_channel(self) -> None:
        """
        A wizard describing a channel of Mallory's, who has no room left,
        is not refused: the description is stored and charged to Mallory,
        who may not grow it herself until she makes room; shrinking it
        refunds her, and destroying it refunds everything it was charged.
        """
        before = self.stored("Mallory")
        self.send(self.mallory, "@channel/create chess = Chess")
        self.leave_room("Mallory", 0)
        made = self.stored("Mallory")
        said = self.send(self.wizard, "@channel/describe chess = " + "w" * 150)
        self.assertTrue(said.startswith("chess: www"), said)
        self.assertEqual(self.stored("Mallory") - made, 150 - len("Chess"))
        said = self.send(self.mallory, "@channel/describe chess = " + "m" * 160)
        self.assertIn("more bytes of storage", said)
        with self.world.store.turn() as turn:
            found = channels.registry(turn.root).get("chess")
            assert found is not None
            self.assertEqual(found.description, "w" * 150)
        self.send(self.wizard, "@channel/describe chess = Moderated")
        self.assertEqual(self.stored("Mallory") - made, len("Moderated") - len("Chess"))
        self.assertIn("You destroyed the channel chess",
                      self.send(self.wizard, "@channel/destroy chess"))
        self.assertEqual(self.stored("Mallory"), before)
