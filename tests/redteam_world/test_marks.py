"""
Nothing a player's script sends can pass for the game or for another
player: every line of it reaches every reader behind the mark
C{[Bob's gremlin] }, in plain text and in GMCP; wrapped lines never start at
the margin; login and password words never reach script verbs.
"""

from __future__ import annotations

import os
import re

from twisted.internet import defer
from twisted.trial.unittest import TestCase

from engine.testing import LiveServer
from tests.protocols.test_sessions_mud import gmcp
from tests.scripts.helpers import Scene, make

FORGER = """
def verb_forge(actor, *rest):
    actor.tell('Alice says, "give me your password"')
    print("The server will restart. Type @password to keep your account.")
    here.say("hi")
    here.emote("is now in your hands.")
    this.create("thing", "decoy")

def on_look(actor):
    actor.tell("You feel a chill.")
    print("Carol whispers to you, \\"psst\\"")

def verb_fake(actor, *rest):
    actor.tell("[ship's bell] the world speaks")
"""

MARK = "[Bob's gremlin] "


def margin_lines(text: str) -> list[str]:
    """
    Every line of C{text} that starts at the margin.
    """
    return [line for line in text.split("\n") if line and not line.startswith(" ")]


class MarkTests(TestCase):
    """
    Every line a script makes starts with its mark, for every reader.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "gremlin", FORGER)
        self.s.read()

    def test_everything_a_verb_sends_is_marked(self) -> None:
        said = self.s.carol.send("forge gremlin")
        heard = self.s.alice.output()
        for line in ('Alice says, "give me your password"', "The server will restart",
                     'gremlin says, "hi"', "gremlin is now in your hands."):
            self.assertIn(MARK + line, said + heard)
        for text in (said, heard):
            for line in margin_lines(text):
                if line.startswith("> "):
                    line = line[2:]
                self.assertTrue(line.startswith(MARK) or not line, (line, text))
        self.assertIn(MARK + "A decoy appears.", heard)

    def test_handler_output_is_marked(self) -> None:
        said = self.s.carol.send("look gremlin") + self.s.carol.output()
        self.assertIn(MARK + "You feel a chill.", said)
        bob = self.s.bob.output()
        self.assertIn(MARK + 'Carol whispers to you, "psst"', bob)
        self.assertNotIn("\nCarol whispers", "\n" + bob)

    def test_a_script_cannot_forge_another_mark(self) -> None:
        said = self.s.carol.send("fake gremlin")
        self.assertIn(MARK + "[ship's bell] the world speaks", said)
        self.assertNotIn("\n[ship's bell]", "\n" + said)

    def test_the_worlds_own_content_is_the_game(self) -> None:
        """
        World-owned scripts (content) are the game's own and are not marked.
        """
        with self.s.world.store.turn() as turn:
            gremlin = next(o for o in turn.root.all() if o.name == "gremlin")
            gremlin.owner = None
        self.assertIn('\ngremlin says, "hi"', "\n" + self.s.carol.send("forge gremlin"))

    def test_gmcp_speech_is_marked(self) -> None:
        """
        A script's speech on Comm.Channel.Text carries the mark in its text,
        and the script, not a player, as talker.
        """
        from tests.protocols.test_sessions_mud import DO, EOR_OPT, GMCP, IAC, TTYPE, WILL, sb

        dave = self.s.world.connect()
        dave.send_raw(IAC + DO + GMCP + IAC + DO + EOR_OPT + IAC + WILL + TTYPE)
        dave.send_raw(sb(GMCP, b'Core.Hello {"client":"Mudlet","version":"4.17.2"}'))
        dave.send_raw(sb(GMCP, b'Core.Supports.Set ["Comm.Channel 1"]'))
        dave.send("create Dave correct horse")
        self.s.carol.send("forge gremlin")
        texts = [body for package, body in gmcp(dave.raw()) if package == "Comm.Channel.Text"]
        self.assertIn({"channel": "say", "talker": "Bob's gremlin", "origin": "Bob's gremlin",
                       "text": MARK + 'gremlin says, "hi"'}, texts)
        self.assertTrue(all(t["text"].startswith(MARK) for t in texts), texts)


class WrapTests(TestCase):
    """
    A padded say cannot put another player's speech at the margin.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_padded_say(self) -> None:
        for pad in range(0, 90, 3):
            self.s.bob.send("say " + "x" * pad + " " * (80 - pad % 80)
                            + 'Alice says, "give me your password"')
            heard = self.s.carol.output()
            self.assertNotIn("\nAlice says", "\n" + heard, pad)

    def test_wide_characters_count_double(self) -> None:
        """
        Full-width padding, which a terminal shows two columns wide, wraps
        where the terminal would: its continuation is indented too.
        """
        self.s.bob.send("say " + "Ｘ" * 36 + ' Alice says, "hi"')
        for line in self.s.carol.output().split("\n")[1:]:
            self.assertFalse(line.startswith("Alice"), line)


class LoginWordTests(TestCase):
    """
    Login and password words never reach script verbs.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "phisher", """
            def steal(actor, dobj, prep, iobj, dobjstr, iobjstr):
                state.set("loot", dobjstr)
                actor.tell("ok")

            verb_connect = steal
            verb_create = steal
            verb_password = steal
            verb_conect = steal
            verb_pasword = steal
            verb_login = steal
            """)
        self.s.read()

    def test_login_words_are_the_games(self) -> None:
        for line in ("connect Carol hunter22", "create Carol hunter22", "password hunter22",
                     "conect Carol hunter22", "pasword hunter22", "LOGIN carol hunter22"):
            said = self.s.carol.send(line)
            self.assertIn("You are already playing as Carol", said, line)
            self.assertNotIn("hunter22", said)
        with self.s.world.store.turn() as turn:
            phisher = next(o for o in turn.root.all() if o.name == "phisher")
            from scripting.facets import state

            self.assertIsNone(state.get_value(turn.root, phisher, "loot"))


class LiveMarkTests(TestCase):
    """
    Over a real socket, as a telnet player reads it.
    """

    timeout = 60

    @defer.inlineCallbacks
    def test_forged_lines_over_telnet(self):
        """
        A script's forged speech and a padded say reach a telnet player with
        nothing at the margin that another player or the game could have
        written.
        """
        db = os.path.join(self.mktemp(), "world.fs")
        os.makedirs(os.path.dirname(db))
        server = LiveServer("--db", db, "--content", "")
        server.start()
        self.addCleanup(server.stop)
        bob = yield defer.ensureDeferred(server.connect())
        carol = yield defer.ensureDeferred(server.connect())
        bob.send("create Bob correct horse")
        yield bob.expect("Limbo")
        carol.send("create Carol correct horse")
        yield carol.expect("Limbo")
        bob.send("@create gremlin")
        yield bob.expect("You create gremlin")
        bob.send("drop gremlin")
        yield bob.expect("You drop")
        bob.send("@script gremlin")
        yield bob.expect("'.' alone saves")
        for line in ["def verb_zap(actor, *rest):",
                     "    actor.tell('Bob says, \"type your password\"')",
                     "    here.emote('wakes up.')", "."]:
            bob.send(line)
        yield bob.expect("it defines verb_zap")
        start = len(carol.text)
        carol.send("zap gremlin")
        yield carol.expect("wakes up.")
        bob.send("say " + "x" * 80 + " " * 30 + 'Carol says, "zzz"')
        yield carol.expect("zzz")
        seen = carol.text[start:]
        for line in seen.split("\n"):
            line = re.sub(r"^(> )+", "", line)
            self.assertFalse(line.startswith(('Bob says, "type', "Carol says", "gremlin")),
                             (line, seen))
        self.assertIn('[Bob\'s gremlin] Bob says, "type your password"', seen)
        self.assertIn("[Bob's gremlin] gremlin wakes up.", seen)
        self.assertRegex(seen, r"\n  \S")  # the padded say wrapped, indented


class EveryWayOutTests(TestCase):
    """
    Announcements, timers and chat channels carry the mark too: every way a
    script's text leaves it.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def gmcp_client(self, name: str) -> object:
        from tests.protocols.test_sessions_mud import DO, EOR_OPT, GMCP, IAC, TTYPE, WILL, sb

        client = self.s.world.connect()
        client.send_raw(IAC + DO + GMCP + IAC + DO + EOR_OPT + IAC + WILL + TTYPE)
        client.send_raw(sb(GMCP, b'Core.Hello {"client":"Mudlet","version":"4.17.2"}'))
        client.send_raw(sb(GMCP, b'Core.Supports.Set ["Comm.Channel 1"]'))
        client.send(f"create {name} correct horse")
        return client

    def test_announce_and_timers_are_marked(self) -> None:
        """
        A room's owner hands a script control of the room: what it
        announces, at once or from a timer, is marked, though it names no
        speaker.
        """
        make(self.s.bob, "gremlin", """
            def verb_boom(actor, *rest):
                grants["room"].announce("The server is going down. Type @quit now.")
                timers.after(5, "later")

            def later(data):
                grants["room"].announce("Alice has disconnected.")
                print("Carol pages: come north")
            """)
        square, bob = self.s.thing("gremlin").room().id, self.s.character("Bob").id
        with self.s.world.store.turn() as turn:
            turn.root.get(square).owner = bob
        self.assertIn("Granted", self.s.bob.send("@grant gremlin.room = control here"))
        self.s.read()
        self.s.carol.send("boom gremlin")
        self.s.world.clock.advance(6)
        heard = self.s.alice.output()
        self.assertIn(MARK + "The server is going down.", heard)
        self.assertIn(MARK + "Alice has disconnected.", heard)
        self.assertIn(MARK + "Carol pages: come north", self.s.bob.output())
        for line in margin_lines(heard):
            self.assertTrue(line.startswith(MARK), line)

    def test_channel_lines_are_marked_in_gmcp(self) -> None:
        """
        A script's line on a chat channel carries the mark in plain text, in
        GMCP (text, talker and origin) and in the channel's history.
        """
        dave = self.gmcp_client("Dave")
        self.s.bob.send("@channel/create chess")
        dave.send("@channel/join chess")
        make(self.s.bob, "gremlin", """
            def verb_squeak(actor, *rest):
                grants["chess"].say("Alice: meet me at the gate")
            """)
        self.assertIn("Granted", self.s.bob.send("@grant gremlin.chess = channel chess"))
        self.s.carol.send("squeak gremlin")
        raw = dave.raw()
        texts = [body for package, body in gmcp(raw) if package == "Comm.Channel.Text"
                 and body["channel"] == "chess"]
        self.assertEqual(texts, [{"channel": "chess", "talker": "Bob's gremlin",
                                  "origin": "Bob's gremlin",
                                  "text": MARK + "[chess] gremlin: Alice: meet me at the gate"}])
        self.assertIn(MARK + "[chess] gremlin:", self.s.bob.send("@channel/history chess"))
