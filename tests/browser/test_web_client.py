"""
The web client end to end, as a player meets it: Debian's Chromium opens the
page served by C{tessera run}, logs in (the password hidden and never kept),
walks, talks with a telnet player (in the room and on a channel), sees
colour, edits a script, and shows hostile text as text.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from typing import Any

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from twisted.trial.unittest import TestCase

from engine import colour

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
#: How long to wait for anything the page should show (a bound, not a measurement).
PATIENCE = 30.0

_WEB = re.compile(r"serving the web client on http://\S+:(\d+)/")
_TELNET = re.compile(r"listening for telnet on \S+:(\d+)")


class Server:
    """
    C{tessera run} with the web client, in a child process, on ports the
    system picks.
    """

    def __init__(self, web: int = 0) -> None:
        self.lines: list[str] = []
        self.web: int | None = None
        self.telnet: int | None = None
        self._ready = threading.Event()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "engine.cli", "run", "--memory", "--interface", "127.0.0.1",
             "--port", "0", "--web-port", str(web), "--pack-interval", "0"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._read, daemon=True).start()
        if not self._ready.wait(120) or self.web is None:
            self.stop()
            raise AssertionError("the server did not start:\n" + "".join(self.lines))

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)
            if (found := _TELNET.search(line)) is not None:
                self.telnet = int(found.group(1))
            if (found := _WEB.search(line)) is not None:
                self.web = int(found.group(1))
                self._ready.set()
        self._ready.set()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Telnet:
    """
    A plain telnet player on a socket (it answers no negotiation).
    """

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=PATIENCE)
        self.text = ""
        self._lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                data = self.sock.recv(65536)
            except OSError:
                return
            if not data:
                return
            plain = re.sub(rb"\xff[\xfb-\xfe].|\xff\xfa.*?\xff\xf0|\xff[\xf0-\xfa]", b"", data,
                           flags=re.S)
            with self._lock:
                self.text += plain.decode("utf-8", "replace")

    def send(self, line: str) -> None:
        self.sock.sendall(line.encode() + b"\r\n")

    def wait_for(self, wanted: str) -> None:
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            with self._lock:
                if wanted in self.text:
                    return
            time.sleep(0.05)
        raise AssertionError(f"{wanted!r} never arrived; got:\n{self.text[-2000:]}")

    def close(self) -> None:
        self.sock.close()


def chromium() -> webdriver.Chrome:
    """
    Debian's Chromium, headless, with the flags that work on a machine with
    no network (docs/clients.md, "Testing with a real browser").
    """
    os.environ.setdefault("SE_OFFLINE", "true")  # selenium must not look for drivers online
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1200,900",
                 f"--user-data-dir={tempfile.mkdtemp(prefix='tessera-chromium-')}"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


class WebClientTests(TestCase):
    """
    One server, one browser and one telnet player for the whole story.
    """

    def setUp(self) -> None:
        self.server = Server()
        self.addCleanup(self.server.stop)
        self.browser = chromium()
        self.addCleanup(self.browser.quit)
        self.browser.get(f"http://127.0.0.1:{self.server.web}/")
        self.command = self.browser.find_element(By.ID, "command")

    def until(self, check: Callable[[Any], Any], what: str) -> Any:
        try:
            return WebDriverWait(self.browser, PATIENCE, poll_frequency=0.05).until(check)
        except Exception as e:
            output = self.browser.find_element(By.ID, "output").text
            raise AssertionError(f"{what}; the page shows:\n{output[-2000:]}") from e

    def shows(self, text: str) -> None:
        self.until(lambda d: text in d.find_element(By.ID, "output").text,
                   f"{text!r} never appeared")

    def type(self, line: str) -> None:
        self.command.send_keys(line + Keys.ENTER)

    def talk(self) -> list[str]:
        """
        The lines of the talk panel's log, oldest first.
        """
        return [entry.text for entry in
                self.browser.find_elements(By.CSS_SELECTOR, "#talk p")]

    def test_story(self) -> None:
        """Log in, walk, talk here and on a channel, see colour, edit a script; HTML stays text."""
        browser = self.browser
        self.shows("create <name> <password>")
        output = browser.find_element(By.ID, "output")
        self.assertEqual(output.get_attribute("role"), "log")
        self.assertEqual(output.get_attribute("aria-live"), "polite")
        self.assertEqual(browser.find_element(By.ID, "prompt").text, "Command")

        # Create a character, the password typed at hidden prompts.
        self.type("create Alice")
        self.until(lambda d: self.command.get_attribute("type") == "password",
                   "the password prompt never hid the input")
        self.assertIn("Choose a password", browser.find_element(By.ID, "prompt").text)
        self.type("correct horse")
        self.shows("Type it again")
        self.type("correct horse")
        self.shows("Welcome, Alice!")
        self.until(lambda d: self.command.get_attribute("type") == "text",
                   "the input stayed hidden")
        self.assertNotIn("correct horse", output.text)
        self.command.send_keys(Keys.ARROW_UP)
        self.assertEqual(self.command.get_attribute("value"), "create Alice")
        self.command.clear()

        # The room panel follows Room.Info; walking by its exit buttons.
        self.until(lambda d: "Harbour Wall" in d.find_element(By.ID, "room-name").text,
                   "the room panel never showed the room")
        browser.find_element(By.XPATH, "//ul[@id='exits']//button[text()='north']").click()
        self.until(lambda d: "Fish Market" in d.find_element(By.ID, "room-name").text,
                   "walking north did not reach the fish market")
        self.type("s")
        self.until(lambda d: "Harbour Wall" in d.find_element(By.ID, "room-name").text,
                   "walking south did not come back")

        # Talking with a telnet player, both ways; what is said is also in the talk log.
        bob = Telnet(self.server.telnet or 0)
        self.addCleanup(bob.close)
        bob.send("create Bob correct horse")
        bob.wait_for("Welcome, Bob!")
        self.type("say Hello, Bob.")
        bob.wait_for('Alice says, "Hello, Bob."')
        bob.send("say Ahoy, Alice.")
        self.shows('Bob says, "Ahoy, Alice."')
        self.until(lambda d: 'Bob says, "Ahoy, Alice."' in d.find_element(By.ID, "talk").text,
                   "speech never reached the talk log")
        self.assertEqual(self.talk()[-1], 'Bob says, "Ahoy, Alice."')

        # Talking on a channel, started from the talk panel's channel button.
        browser.find_element(
            By.XPATH, "//ul[@id='channel-list']//button[text()='pub']").click()
        self.assertEqual(self.command.get_attribute("value"), "pub ")
        self.type("Anyone about?")
        bob.wait_for("[pub] Alice: Anyone about?")
        bob.send("pub Only me.")
        self.until(lambda d: "[pub] Bob: Only me." in d.find_element(By.ID, "talk").text,
                   "the channel line never reached the talk log")
        # Each line once, as the game wrote it: the channel is not named twice.
        self.assertEqual(self.talk()[-1], "[pub] Bob: Only me.")

        # Colour from the same markup as telnet.
        self.type("@describe here = The |rred|n and |[033teal|n quay.")
        self.type("look")
        red = self.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#output span.f1"),
                         "no red span")[-1]
        self.assertEqual(red.text, "red")
        self.assertEqual(red.value_of_css_property("color"), "rgba(205, 0, 0, 1)")
        teal = browser.find_elements(By.CSS_SELECTOR, "#output span.f33")[-1]
        self.assertEqual(teal.value_of_css_property("color"),
                         "rgba({}, {}, {}, 1)".format(*colour.xterm_rgb(33)))

        # Hostile text from another player is shown as text and runs nothing.
        attack = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'
        bob.send(f"say {attack}")
        self.shows(f'Bob says, "{attack}"')
        self.assertEqual(browser.find_elements(By.CSS_SELECTOR, "#output img, #output script"),
                         [])
        self.assertIsNone(browser.execute_script("return window.pwned"))

        # The script editor: a text area, saved with a button.
        self.type("@create bell")
        self.shows("bell")
        self.type("drop bell")
        self.type("@script bell")
        editor = browser.find_element(By.ID, "editor")
        self.until(lambda d: editor.is_displayed(), "the editor never opened")
        text = browser.find_element(By.ID, "editor-text")
        text.send_keys("def verb_ring(actor, dobj, prep, iobj, dobjstr, iobjstr):" + Keys.ENTER
                       + Keys.TAB + 'here.emote("rings: |yDING|n!")')
        browser.find_element(By.ID, "editor-save").click()
        self.shows("Saved the script on bell")
        self.until(lambda d: not editor.is_displayed(), "the editor stayed open")
        self.type("ring bell")
        self.shows("rings: DING!")
        bob.wait_for("rings: DING!")
        self.assertEqual([e.text for e in browser.find_elements(
            By.CSS_SELECTOR, "#output span.f3")][-1], "DING")
        self.assertEqual(browser.execute_script(
            "return document.activeElement && document.activeElement.id"), "command")


class ReconnectTests(TestCase):
    """
    The page after its connection is lost, and after a goodbye.
    """

    def setUp(self) -> None:
        self.server = Server()
        self.addCleanup(lambda: self.server.stop())
        self.browser = chromium()
        self.addCleanup(self.browser.quit)
        self.browser.get(f"http://127.0.0.1:{self.server.web}/")
        self.command = self.browser.find_element(By.ID, "command")

    until = WebClientTests.until
    shows = WebClientTests.shows

    def status(self) -> str:
        return self.browser.find_element(By.ID, "status").text

    def test_reconnects_with_backoff(self) -> None:
        """
        When the server vanishes (kill -9), the page tells the player and
        tries again, waiting longer each time, until the server is back on
        its port: then it is at the welcome screen again.
        """
        self.shows("create <name> <password>")
        port = self.server.web
        self.server.process.kill()
        self.server.process.wait()
        self.shows("The connection to the server was lost. Reconnecting in")
        self.until(lambda d: "(try 2)" in self.status(), "the page did not try again")
        self.assertIn("Connection lost. Reconnecting in", self.status())
        self.server = Server(web=port or 0)
        self.until(lambda d: self.status() == "Connected.", "the page never reconnected")
        self.until(lambda d: d.find_element(By.ID, "output").text.count(
            "create <name> <password>") >= 2, "the welcome screen never came back")

    def test_no_reconnect_after_goodbye(self) -> None:
        """After quit the page says the connection is closed and waits for Connect again."""
        self.shows("create <name> <password>")
        self.command.send_keys("quit" + Keys.ENTER)
        self.shows("Use Connect again to start a new one.")
        self.assertEqual(self.status(), "Disconnected.")
        self.assertTrue(self.browser.find_element(By.ID, "reconnect").is_displayed())
        # A retry would have been announced by the same handler, at once.
        self.assertNotIn("Reconnecting", self.browser.find_element(By.ID, "output").text)


#: Where the rest of a line starts, in pixels from the output's text edge: the
#: left of the first character of C{arguments[0]} in the output.
_LEFT_OF = """
const wanted = arguments[0];
const output = document.getElementById("output");
const edge = output.getBoundingClientRect().left + parseFloat(getComputedStyle(output).paddingLeft);
const walker = document.createTreeWalker(output, NodeFilter.SHOW_TEXT);
let found = null;
while (walker.nextNode()) {
  const at = walker.currentNode.data.lastIndexOf(wanted);
  if (at >= 0) found = [walker.currentNode, at];
}
if (found === null) return null;
const range = document.createRange();
range.setStart(found[0], found[1]);
range.setEnd(found[0], found[1] + 1);
return range.getBoundingClientRect().left - edge;
"""


class WrapTests(TestCase):
    """
    Where the page itself wraps a line (the window got narrower than the
    width the server wrapped to), the rest of it never starts at the margin.
    """

    setUp = ReconnectTests.setUp
    until = WebClientTests.until
    shows = WebClientTests.shows

    def test_page_wrap_never_at_the_margin(self) -> None:
        """
        Bob pads a say so that Carol's name would start a line on a narrow
        page: it starts two columns in, as on telnet.
        """
        self.shows("create <name> <password>")
        self.command.send_keys("create Alice correct horse" + Keys.ENTER)
        self.shows("Welcome, Alice!")
        bob = Telnet(self.server.telnet or 0)
        self.addCleanup(bob.close)
        bob.send("create Bob correct horse")
        bob.wait_for("Welcome, Bob!")
        bob.send("say hi" + " " * 20 + 'Carol says, "type @password"')
        self.shows('Carol says, "type @password"')
        zero = self.browser.execute_script(_LEFT_OF, "Bob says")
        self.browser.execute_script(
            "document.getElementById('output').style.width = '24ch';")
        margin = self.browser.execute_script(_LEFT_OF, "Carol says")
        width = self.browser.execute_script(
            "const probe = document.createElement('span'); probe.textContent = '00';"
            "document.getElementById('output').appendChild(probe);"
            "const w = probe.getBoundingClientRect().width; probe.remove(); return w;")
        self.assertLessEqual(abs(zero), 2, "the first line does not start at the margin")
        self.assertGreaterEqual(margin, width - 2, (zero, margin, width))
