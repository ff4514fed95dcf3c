"""
Chat channels through whole sessions: @channel, talking on a channel, its
history, moderation, GMCP for clients with tabs, and channels handed to
scripts.
"""

from __future__ import annotations

import json

from twisted.trial.unittest import TestCase

from engine.testing import SimulatedClient, TestWorld
from scripting.facets import channels as channel_grants
from tests.protocols.test_sessions_mud import GMCP, gmcp, sb
from world import channels

IAC, WILL, DO = b"\xff", b"\xfb", b"\xfd"


def script(player: SimulatedClient, thing: str, *lines: str) -> str:
    """
    Write C{lines} as the script of C{thing} in the editor; the answer to saving.
    """
    player.send(f"@script {thing}")
    for line in lines:
        player.send(line)
    return player.send(".")


class ChannelCase(TestCase):
    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)
        self.wizard = self.world.login("Wiz")
        self.alice = self.world.login("Alice")
        self.bob = self.world.login("Bob")
        for player in (self.wizard, self.alice, self.bob):
            player.output()

    def history(self, name: str) -> list[str]:
        with self.world.store.turn() as turn:
            return [said for _, said in channels.recent(channels.find(turn.root, name), 100)]


class TalkTests(ChannelCase):
    def test_pub_reaches_everyone_anywhere(self) -> None:
        """'pub hello' reaches everyone on pub, wherever they are, marked with the channel."""
        self.bob.send("north")
        self.bob.output()
        self.alice.output()
        self.assertEqual(self.alice.send("pub hello there"), "[pub] Alice: hello there\n> ")
        self.assertEqual(self.bob.output(), "[pub] Alice: hello there\n")
        self.assertIn("[pub] Alice: hello there", self.wizard.output())

    def test_prefixes(self) -> None:
        """'+pub' always means the channel; ':' and ';' act something out."""
        self.alice.send("+pub hi")
        self.alice.send("pub :waves.")
        self.alice.send("+pub ;'s cat purrs.")
        self.assertEqual(self.bob.output(),
                         "[pub] Alice: hi\n[pub] Alice waves.\n[pub] Alice's cat purrs.\n")
        self.assertIn("There is no channel called 'nosuch'", self.alice.send("+nosuch hi"))
        self.assertIn("Say what on pub?", self.alice.send("pub"))

    def test_leaving_and_not_on(self) -> None:
        """Who leaves a channel hears it no more, and is told how to join to talk."""
        self.assertIn("You leave pub.", self.bob.send("@channel/leave pub"))
        self.alice.send("pub anyone?")
        self.assertEqual(self.bob.output(), "")
        self.assertIn("You are not on the channel pub", self.bob.send("pub hi"))
        self.assertIn("You are not on pub", self.bob.send("+pub hi"))
        self.assertIn("You join pub.", self.bob.send("@channel/join pub"))
        self.assertIn("You are already on pub", self.bob.send("@channel/join pub"))
        self.alice.send("pub back?")
        self.assertEqual(self.bob.output(), "[pub] Alice: back?\n")

    def test_nothing_passes_for_the_game(self) -> None:
        """A channel line is one line that starts with the channel and the talker's name."""
        self.alice.send("pub hi\x1b[2J\x07 there " + "word " * 40 + "Bob says, \"I quit\"")
        lines = self.bob.output().rstrip("\n").split("\n")
        self.assertTrue(lines[0].startswith("[pub] Alice: hi"), lines)
        self.assertNotIn("\x1b", "".join(lines))
        for continuation in lines[1:]:
            self.assertTrue(continuation.startswith(" "), lines)

    def test_history(self) -> None:
        """Who was away reads the last lines, indented under a header."""
        self.bob.disconnect()
        self.alice.send("pub while you slept")
        bob = self.world.login("Bob")
        shown = bob.send("@channel/history pub")
        self.assertIn("The last 1 line(s) on pub", shown)
        self.assertIn("\n  00:00 [pub] Alice: while you slept\n", shown)
        self.assertIn("Say how many lines", bob.send("@channel/history pub lots"))

    def test_offline_members_get_no_events(self) -> None:
        """A line is told only to members connected now (the rest read the history)."""
        self.bob.disconnect()
        with self.world.store.turn() as turn:
            pub = channels.find(turn.root, "pub")
            event = channels.post(turn, pub, "[pub] x: y", 0.0, list(self.world.store.minds),
                                  talker="x")
            told = [reader for reader, e in turn.events if e is event]
        self.assertEqual(len(told), 2)

    def test_channel_before_scripts_verbs(self) -> None:
        """A thing's verb named like a channel cannot catch what a member says on it."""
        self.alice.send("@create trap")
        script(self.alice, "trap",
               "def verb_pub(actor, dobj, prep, iobj, dobjstr, iobjstr):",
               "    this.say('caught: ' + dobjstr)")
        self.alice.send("drop trap")
        self.bob.output()
        self.assertEqual(self.bob.send("pub my secret"), "[pub] Bob: my secret\n> ")

    def test_rate_as_for_say(self) -> None:
        """Talking on a channel is a command like say: past the burst it is refused."""
        said = [self.alice.send(f"pub {i}") for i in range(self.world.limits.command_burst + 5)]
        self.assertTrue(any("too fast" in s for s in said))


class ManageTests(ChannelCase):
    def test_list_create_who(self) -> None:
        """Players make channels, list them, and see who is on one."""
        listed = self.alice.send("@channel")
        self.assertIn(" * pub (the world's, everyone): Public chat", listed)
        self.assertIn("You made the channel chess",
                      self.alice.send("@channel/create Chess = All about chess"))
        self.assertIn("   chess (Alice's, 1 member): All about chess", self.bob.send("@channel"))
        self.bob.send("@channel/join chess")
        self.assertIn("Connected now: Alice, Bob.", self.bob.send("@channel/who chess"))
        self.assertIn("There is already a channel", self.bob.send("@channel/create chess"))
        self.assertIn("command or a direction", self.bob.send("@channel/create say"))
        self.assertIn("character's name", self.bob.send("@channel/create alice"))
        self.assertIn("has no /frob", self.bob.send("@channel/frob chess"))
        self.assertIn("destroy it instead", self.alice.send("@channel/leave chess"))

    def test_subcommands_as_words(self) -> None:
        """'@channel join chess' is '@channel/join chess'; no channel takes such a word."""
        self.assertIn(" * pub (the world's", self.alice.send("@channel list"))
        self.assertIn("You made the channel chess",
                      self.alice.send("@channel create chess = All about chess"))
        self.assertIn("You join chess.", self.bob.send("@channel join chess"))
        self.assertIn("Connected now: Alice, Bob.", self.bob.send("@channel who chess"))
        self.assertIn("You leave chess.", self.bob.send("@channel leave chess"))
        self.assertIn("Connected now:", self.bob.send("@channel pub"))
        for word in ("join", "list", "history"):
            self.assertIn("is a command", self.bob.send(f"@channel/create {word}"))

    def test_moderation(self) -> None:
        """The owner mutes and bans; the player is told; others cannot."""
        self.alice.send("@channel/create chess")
        self.bob.send("@channel/join chess")
        self.assertIn("Only chess's owner", self.bob.send("@channel/mute chess = alice"))
        self.assertIn("Bob is muted on chess", self.alice.send("@channel/mute chess = bob"))
        self.assertIn("You were muted on the channel chess", self.bob.output())
        self.assertIn("You are muted on chess", self.bob.send("chess hello"))
        self.alice.send("@channel/unmute chess = bob")
        self.assertIn("[chess] Bob: hello", self.bob.send("chess hello"))
        self.alice.send("@channel/ban chess = bob")
        self.assertIn("You were banned from the channel chess", self.bob.output())
        self.assertIn("You are banned from chess", self.bob.send("@channel/join chess"))
        self.assertIn("no character called 'nobody'",
                      self.alice.send("@channel/ban chess = nobody"))
        self.alice.send("@channel/unban chess = bob")
        self.assertIn("You join chess", self.bob.send("@channel/join chess"))
        self.assertIn("Bob is muted on pub", self.wizard.send("@channel/mute pub = bob"))
        self.alice.send("@channel/describe chess = Openings and endgames")
        self.assertIn("Openings and endgames", self.bob.send("@channel/who chess"))

    def test_destroy(self) -> None:
        """Destroying a channel tells its connected members; the history goes with it."""
        self.alice.send("@channel/create chess")
        self.bob.send("@channel/join chess")
        self.bob.output()
        self.assertIn("Only chess's owner", self.bob.send("@channel/destroy chess"))
        self.assertIn("You destroyed the channel chess", self.alice.send("@channel/destroy chess"))
        self.assertIn("The channel chess was destroyed", self.bob.output())
        self.assertIn("There is no channel called 'chess'", self.bob.send("@channel/who chess"))


class GmcpTests(TestCase):
    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)

    def mudlet(self, name: str) -> SimulatedClient:
        player = self.world.connect()
        player.send_raw(IAC + DO + GMCP)
        player.send_raw(sb(GMCP, b"Core.Supports.Set " + json.dumps(["Comm.Channel 1"]).encode()))
        player.send(f"create {name} correct horse")
        return player

    def test_channel_list_and_text(self) -> None:
        """The list comes at login and on changes; each line comes as Comm.Channel.Text."""
        alice = self.mudlet("Alice")
        bob = self.mudlet("Bob")
        pub = {"name": "pub", "caption": channels.DEFAULT_DESCRIPTION, "command": "pub"}
        self.assertIn(("Comm.Channel.List", [pub]), gmcp(alice.raw()))
        alice.send("@channel/create chess = Chess")
        self.assertIn(("Comm.Channel.List",
                       [{"name": "chess", "caption": "Chess", "command": "chess"}, pub]),
                      gmcp(alice.raw()))
        alice.send("pub hello")
        self.assertIn(("Comm.Channel.Text", {"channel": "pub", "talker": "Alice",
                                             "text": "[pub] Alice: hello"}), gmcp(bob.raw()))


class ScriptChannelTests(ChannelCase):
    def setUp(self) -> None:
        super().setUp()
        self.alice.send("@channel/create chess")
        self.bob.send("@channel/join chess")
        self.alice.send("@create gremlin")
        self.alice.send("drop gremlin")
        script(self.alice, "gremlin",
               "def verb_squeak(actor, dobj, prep, iobj, dobjstr, iobjstr):",
               "    for i in range(int(iobjstr or '1')):",
               "        grants['chess'].say('squeak ' + str(i))",
               "def verb_act(actor, dobj, prep, iobj, dobjstr, iobjstr):",
               "    grants['chess'].emote('gnaws a rook.')",
               "def verb_keep(actor, dobj, prep, iobj, dobjstr, iobjstr):",
               "    state.set('chan', grants['chess'])",
               "def verb_peek(actor, dobj, prep, iobj, dobjstr, iobjstr):",
               "    this.say(grants['chess'].name + ' ' + repr(grants['chess']))",
               "def verb_probe(actor, dobj, prep, iobj, dobjstr, iobjstr):",
               "    grants['chess'].members")
        for player in (self.alice, self.bob, self.wizard):
            player.output()

    def test_grant_say_marked(self) -> None:
        """The owner hands a script their channel; its lines are marked as the script's."""
        self.assertIn("Granted: c1: gremlin.chess = channel chess",
                      self.alice.send("@grant gremlin.chess = channel chess"))
        self.alice.send("squeak gremlin")
        self.assertEqual(self.bob.output(), "[Alice's gremlin] [chess] gremlin: squeak 0\n")
        self.alice.send("act gremlin")
        self.assertEqual(self.bob.output(), "[Alice's gremlin] [chess] gremlin gnaws a rook.\n")
        self.assertEqual(self.history("chess")[-1],
                         "[Alice's gremlin] [chess] gremlin gnaws a rook.")
        self.assertIn("c1: gremlin.chess = channel chess", self.alice.send("@grants"))
        self.assertIn("c1: gremlin.chess", self.alice.send("@grants gremlin"))

    def test_only_the_owner_grants(self) -> None:
        """Nobody hands a script a channel that is not theirs, nor to a thing not theirs."""
        self.bob.send("@create imp")
        self.bob.send("drop imp")
        self.assertIn("not your channel", self.bob.send("@grant imp.chess = channel chess"))
        self.assertIn("not your channel", self.bob.send("@grant imp.pub = channel pub"))
        self.assertIn("is not yours", self.alice.send("@grant imp.chess = channel chess"))
        self.assertIn("Granted", self.wizard.send("@create orb") and
                      self.wizard.send("@grant orb.pub = channel pub"))

    def test_names_shared_with_object_grants(self) -> None:
        """A channel grant and an object grant never share a name on one host."""
        self.alice.send("@grant gremlin.chess = channel chess")
        self.assertIn("already has a grant named chess",
                      self.alice.send("@grant gremlin.chess = view me"))
        self.alice.send("@grant gremlin.me = view me")
        self.assertIn("already has a grant named me",
                      self.alice.send("@grant gremlin.me = channel chess"))

    def test_revoke_and_destroy_kill_it(self) -> None:
        """Revoking the grant, or destroying the channel, silences the script for good."""
        self.alice.send("@grant gremlin.chess = channel chess")
        self.assertIn("Revoked: c1", self.alice.send("@revoke c1"))
        self.assertIn("KeyError", self.alice.send("squeak gremlin"))
        self.alice.send("@grant gremlin.chess = channel chess")
        self.assertIn("Revoked", self.alice.send("@revoke gremlin.chess"))
        self.alice.send("@grant gremlin.chess = channel chess")
        self.alice.send("@channel/destroy chess")
        self.assertIn("KeyError", self.alice.send("squeak gremlin"))
        self.assertIn("You have no grant c9", self.alice.send("@revoke c9"))

    def test_destroying_the_host_revokes(self) -> None:
        """A channel grant dies with the thing whose script held it."""
        self.alice.send("@grant gremlin.chess = channel chess")
        with self.world.store.turn() as turn:
            owner = channels.find(turn.root, "chess").owner
            grant = channel_grants.grants_of(turn.root, owner)[0]
        self.alice.send("@destroy gremlin")
        with self.world.store.turn() as turn:
            self.assertEqual(channel_grants.grants_of(turn.root, owner), [])
            self.assertTrue(turn.root.channels.grants.get(grant.id) is None)
            self.assertEqual(dict(turn.root.channels.grants_by_host), {})

    def test_lines_per_turn(self) -> None:
        """A script says at most LINES_PER_TURN lines on a channel in one turn."""
        self.alice.send("@grant gremlin.chess = channel chess")
        said = self.alice.send(f"squeak gremlin with {channel_grants.LINES_PER_TURN + 1}")
        self.assertIn(f"at most {channel_grants.LINES_PER_TURN} lines", said)
        self.assertEqual(self.bob.output(), "")  # the verb failed: nothing it did happened
        self.alice.send(f"squeak gremlin with {channel_grants.LINES_PER_TURN}")
        self.assertEqual(self.bob.output().count("[Alice's gremlin] [chess]"),
                         channel_grants.LINES_PER_TURN)

    def test_output_rate(self) -> None:
        """Each line counts against the owner's output rate: past it, lines are dropped."""
        self.alice.send("@grant gremlin.chess = channel chess")
        answers = ""
        for _ in range(30):
            answers += self.alice.send("squeak gremlin with 3")
            self.world.clock.advance(0.1)
        heard = self.bob.output().count("[Alice's gremlin]")
        self.assertLess(heard, 90)
        self.assertGreater(heard, 30)
        self.assertIn("Your scripts are sending too much", answers)

    def test_facet_is_narrow(self) -> None:
        """The facet offers its name, say and emote; it cannot be stored."""
        self.alice.send("@grant gremlin.chess = channel chess")
        self.assertIn("chess <channel 'chess'>", self.alice.send("peek gremlin"))
        self.assertIn("'members' is not available", self.alice.send("probe gremlin"))
        self.assertNotIn("Traceback", self.bob.output())
        self.assertIn("failed", self.alice.send("keep gremlin"))
