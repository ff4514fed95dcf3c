"""
Tests for L{engine.web.connection}: the page's files, the websocket, and
playing over it with the same accounts, sessions and rules as telnet.
"""

from __future__ import annotations

import re

from twisted.trial.unittest import TestCase

from engine.testing import TestWorld
from engine.web import page


def http(world: TestWorld, request: bytes) -> tuple[bytes, object]:
    """
    Send C{request} on a new web connection; return what came back, and the
    browser (for its transport).
    """
    browser = world.browse(open=False)
    browser.send_raw(request)
    return browser.transport.value(), browser


class PageTests(TestCase):
    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)

    def test_serves_the_page(self) -> None:
        """GET / answers the page, as HTML, with its security policy."""
        answer, _ = http(self.world, b"GET / HTTP/1.1\r\nHost: localhost:4080\r\n\r\n")
        head, _, body = answer.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 200 OK"), head)
        self.assertIn(b"Content-Type: text/html; charset=utf-8", head)
        self.assertIn(b"Content-Security-Policy: " + page.POLICY.encode(), head)
        self.assertIn(b'<script src="/client.js" defer></script>', body)

    def test_every_file_of_the_page(self) -> None:
        """The script, the style sheets and the icon are served by the server itself."""
        for path, kind in [(b"/client.js", b"text/javascript"), (b"/client.css", b"text/css"),
                           (b"/colours.css", b"text/css"), (b"/icon.svg", b"image/svg+xml")]:
            answer, _ = http(self.world, b"GET " + path + b" HTTP/1.1\r\nHost: localhost\r\n\r\n")
            self.assertTrue(answer.startswith(b"HTTP/1.1 200 OK"), (path, answer[:80]))
            self.assertIn(b"Content-Type: " + kind, answer)

    def test_keep_alive(self) -> None:
        """Several requests on one connection are each answered, in order."""
        answer, browser = http(self.world, b"GET /client.css HTTP/1.1\r\nHost: localhost\r\n\r\n"
                                           b"GET /nope HTTP/1.1\r\nHost: localhost\r\n\r\n")
        self.assertEqual(answer.count(b"HTTP/1.1 "), 2)
        self.assertIn(b"HTTP/1.1 404 Not Found", answer)
        self.assertTrue(browser.connected)

    def test_head(self) -> None:
        """HEAD answers the headers and no body."""
        answer, _ = http(self.world, b"HEAD / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        self.assertTrue(answer.startswith(b"HTTP/1.1 200 OK"))
        self.assertTrue(answer.endswith(b"\r\n\r\n"), answer[-40:])

    def test_other_methods(self) -> None:
        """POST is refused with 405 and a reason."""
        answer, _ = http(self.world, b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2"
                                     b"\r\n\r\nhi")
        self.assertIn(b"405 Method Not Allowed", answer)
        self.assertIn(b"Only GET and HEAD are answered here.", answer)

    def test_connection_close(self) -> None:
        """A request asking to close is answered, then the connection closes."""
        _, browser = http(self.world, b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close"
                                      b"\r\n\r\n")
        self.assertFalse(browser.connected)


class PlayingTests(TestCase):
    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)

    def test_welcome(self) -> None:
        """Opening the websocket shows the welcome screen."""
        browser = self.world.browse()
        self.assertTrue(browser.accepted)
        self.assertIn("create <name> <password>", browser.output())

    def test_create_walk_and_talk(self) -> None:
        """A web player creates a character, walks, and talks with a telnet player."""
        bob = self.world.login("Bob")
        alice = self.world.browse()
        alice.output()
        self.assertIn("Welcome, Alice!", alice.send("create Alice correct horse"))
        self.assertIn("Market", alice.send("north"))
        bob.send("north")
        alice.output()
        alice.send("say hello, Bob")
        self.assertIn('Alice says, "hello, Bob"', bob.output())
        bob.send("say hi Alice")
        self.assertIn('Bob says, "hi Alice"', alice.output())

    def test_prompt(self) -> None:
        """The answer to a command ends with a prompt message."""
        alice = self.world.login_web("Alice")
        alice.send_message({"type": "input", "text": "look"})
        kinds = [m["type"] for m in alice.received()]
        self.assertEqual(kinds[-1], "prompt")

    def test_colour_runs(self) -> None:
        """Builders' colour markup arrives as runs with xterm-256 colour indexes."""
        alice = self.world.login_web("Alice")
        alice.send("@describe here = A |rred|n and |[033teal|n |uunderlined|n place.")
        alice.send_message({"type": "input", "text": "look"})
        runs = [run for m in alice.received() if m["type"] == "text" for run in m["runs"]]
        self.assertIn(["red", 1, None, 0], runs)
        self.assertIn(["teal", 33, None, 0], runs)
        self.assertIn(["underlined", None, None, 1], runs)

    def test_colour_off(self) -> None:
        """'option colour off' sends plain runs, as telnet sends plain text."""
        alice = self.world.login_web("Alice")
        alice.send("option colour off")
        alice.send("@describe here = A |rred|n place.")
        alice.send_message({"type": "input", "text": "look"})
        runs = [run for m in alice.received() if m["type"] == "text" for run in m["runs"]]
        self.assertTrue(all(run[1:] == [None, None, 0] for run in runs), runs)
        self.assertIn("A red place.", "".join(run[0] for run in runs))

    def test_screen_reader(self) -> None:
        """The page's screen-reader choice gives plain text without box drawing."""
        alice = self.world.login_web("Alice")
        alice.send_message({"type": "hello", "client": "Tessera web", "screenreader": True})
        alice.send("@describe here = |r────|n A place.")
        alice.send_message({"type": "input", "text": "look"})
        text = [m for m in alice.received() if m["type"] == "text"]
        self.assertTrue(any("A place." in r[0] for m in text for r in m["runs"]))
        self.assertFalse(any("─" in r[0] for m in text for r in m["runs"]))
        self.assertTrue(all(r[1:] == [None, None, 0] for m in text for r in m["runs"]))

    def test_option_report(self) -> None:
        """The option command works on the web, and says what the web client fixes."""
        alice = self.world.login_web("Alice")
        self.assertIn("256", alice.send("option"))
        self.assertIn("The web client always uses UTF-8.", alice.send("option charset latin-1"))

    def test_size(self) -> None:
        """The page's window width is the width output is wrapped to."""
        alice = self.world.login_web("Alice")
        alice.send_message({"type": "size", "width": 30, "height": 20})
        self.assertEqual(alice.session.client.client.width, 30)
        alice.send("@describe here = " + "word " * 30)
        text = alice.send("look")
        self.assertTrue(all(len(line) <= 30 for line in text.split("\n")), text)

    def test_password_hidden(self) -> None:
        """A password prompt asks the page not to show what is typed, then to show it again."""
        self.world.login("Alice").disconnect()
        browser = self.world.browse()
        browser.received()
        browser.send_message({"type": "input", "text": "connect Alice"})
        messages = browser.received()
        self.assertIn({"type": "echo", "on": False}, messages)
        self.assertEqual(messages[-1]["type"], "prompt")
        self.assertIn("Password", "".join(r[0] for r in messages[-1]["runs"]))
        browser.send_message({"type": "input", "text": "correct horse"})
        messages = browser.received()
        self.assertIn({"type": "echo", "on": True}, messages)
        self.assertNotIn("correct horse", str(messages))

    def test_room_info(self) -> None:
        """A page that asked for Room gets Room.Info for each room it enters."""
        alice = self.world.browse()
        alice.supports("Room 1", "Char 1")
        alice.send("create Alice correct horse")
        alice.send("north")
        rooms = alice.gmcp("Room.Info")
        self.assertEqual([r["name"] for r in rooms], ["Town Square", "Market"])
        self.assertEqual(rooms[1]["exits"], {"s": self.world.things["square"].id,
                                             "d": self.world.things["cellar"].id})
        self.assertEqual(alice.gmcp("Char.Name"), [{"name": "Alice", "fullname": "Alice"}])

    def test_no_gmcp_unless_asked(self) -> None:
        """Packages the page did not ask for are not sent."""
        alice = self.world.login_web("Alice")
        alice.send("north")
        self.assertEqual(alice.gmcp("Room.Info"), [])

    def test_channel_text(self) -> None:
        """Speech arrives as Comm.Channel.Text for a page that asked for it."""
        alice = self.world.browse()
        alice.supports("Comm.Channel 1")
        alice.send("create Alice correct horse")
        self.world.login("Bob").send("say ahoy")
        self.assertIn({"channel": "say", "talker": "Bob", "text": 'Bob says, "ahoy"'},
                      alice.gmcp("Comm.Channel.Text"))

    def test_channel_text_is_the_whole_line(self) -> None:
        """
        A chat channel's line arrives as the game writes it, the channel's
        name once at its start: the page shows the text as it is.
        """
        alice = self.world.browse()
        alice.supports("Comm.Channel 1")
        alice.send("create Alice correct horse")
        self.world.login("Bob").send("pub ahoy")
        said = [body for body in alice.gmcp("Comm.Channel.Text") if body["channel"] == "pub"]
        self.assertEqual([body["text"] for body in said], ["[pub] Bob: ahoy"])

    def test_gmcp_ping(self) -> None:
        """Core.Ping is answered, as over telnet."""
        alice = self.world.browse()
        alice.send_message({"type": "gmcp", "message": "Core.Ping"})
        self.assertEqual(alice.gmcp("Core.Ping"), [None])

    def test_same_character_takes_over(self) -> None:
        """Logging in on the web as a character playing on telnet takes it over."""
        telnet = self.world.login("Alice")
        web = self.world.login_web("Alice")
        self.assertIn("connected from another place", telnet.output())
        self.assertFalse(telnet.connected)
        self.assertIn("Town Square", web.send("look"))

    def test_same_accounts(self) -> None:
        """A wrong password is refused on the web as on telnet."""
        self.world.login("Alice").disconnect()
        browser = self.world.browse()
        self.assertIn("that password is wrong", browser.send("connect Alice not the password"))

    def test_quit(self) -> None:
        """quit closes the websocket with a normal close."""
        alice = self.world.login_web("Alice")
        alice.send("quit")
        self.assertFalse(alice.connected)
        self.assertEqual(alice.closed, 1000)

    def test_browser_closes(self) -> None:
        """A browser that closes leaves the character asleep, as over telnet."""
        bob = self.world.login("Bob")
        alice = self.world.login_web("Alice")
        bob.output()
        alice.disconnect()
        self.assertIn("Alice falls asleep.", bob.output())
        self.assertEqual(len(self.world.server.sessions), 1)

    def test_shutdown_closes_web_sessions(self) -> None:
        """Closing every session (a server stopping) says goodbye on the web too."""
        alice = self.world.login_web("Alice")
        self.world.server.close_all("The server is shutting down.")
        self.assertIn("The server is shutting down.", alice.output())
        self.assertFalse(alice.connected)


class EditorTests(TestCase):
    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)
        self.alice = self.world.browse()
        self.alice.supports("Editor 1")
        self.alice.send("create Alice correct horse")
        created = self.alice.send("@create bell")
        self.bell = re.search(r"#(\d+)", created).group(1)

    def test_open_and_save(self) -> None:
        """The page is told the editor opened, saves with .clear, lines and '.', and is told."""
        self.alice.send("@script bell")
        self.assertEqual(self.alice.gmcp("Editor.Open"),
                         [{"name": "the script on bell", "lines": []}])
        self.alice.send_message({"type": "input", "text": "\n".join([
            ".clear", "def verb_ring(actor, dobj, prep, iobj, dobjstr, iobjstr):",
            "    here.emote('rings: a || b |r')", "."])})
        self.assertEqual(self.alice.gmcp("Editor.Close"),
                         [{"name": "the script on bell", "saved": True}])
        self.alice.send("@script bell")
        lines = self.alice.gmcp("Editor.Open")[-1]["lines"]
        self.assertEqual(lines[1], "    here.emote('rings: a || b |r')")

    def test_unsaved(self) -> None:
        """A save that fails leaves the editor open and says so."""
        self.alice.send("@script bell")
        self.world.login("Bob", role="wizard").send(f"@destroy #{self.bell}")
        self.alice.send_message({"type": "input", "text": ".clear\nx = 1\n."})
        self.assertEqual(self.alice.gmcp("Editor.Unsaved"), [{"name": "the script on bell"}])
        self.assertEqual(self.alice.gmcp("Editor.Close"), [])
        self.alice.send(".abort")
        self.assertEqual(self.alice.gmcp("Editor.Close"),
                         [{"name": "the script on bell", "saved": False}])

    def test_editor_commands_tell_the_text(self) -> None:
        """An editor command that changes the lines sends them again."""
        self.alice.send("@script bell")
        self.alice.send("x = 1")
        self.alice.send(".e 1 x = 2")
        self.assertEqual(self.alice.gmcp("Editor.Text")[-1]["lines"], ["x = 2"])
        self.alice.send(".i 1 y = 0")
        self.alice.send(".d 2")
        self.assertEqual(self.alice.gmcp("Editor.Text")[-1]["lines"], ["y = 0"])
