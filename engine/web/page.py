# -*- test-case-name: tests.web.test_page -*-
"""
The files the web client is made of, and how each is served.

Every file comes from this server (C{engine/web/static/}, and the colour
palette made here from L{engine.colour}): the page loads nothing from
anywhere else, needs no build step and works without a network.

Each answer carries a Content-Security-Policy that lets the page run only
its own script file, load only its own style sheets, connect only to its
own server, and never be framed; with Trusted Types required, the browser
refuses any attempt to turn a string into HTML in the page, so that text
from players and scripts can only ever be shown as text.
"""

from __future__ import annotations

import functools
import os

from attrs import frozen

from engine.colour import xterm_rgb

#: Where the hand-written files are.
STATIC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "static")

#: Served path → (file in L{STATIC}, content type).
FILES: dict[bytes, tuple[str, str]] = {
    b"/": ("index.html", "text/html; charset=utf-8"),
    b"/client.js": ("client.js", "text/javascript; charset=utf-8"),
    b"/client.css": ("client.css", "text/css; charset=utf-8"),
    b"/icon.svg": ("icon.svg", "image/svg+xml"),
}
#: The palette style sheet, made from L{engine.colour}'s colours.
COLOURS = b"/colours.css"
#: Where the page opens its websocket.
WEBSOCKET = b"/ws"

#: The policy every answer carries (see the module docstring).
POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
          "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; "
          "require-trusted-types-for 'script'; trusted-types 'none'")

#: Headers on every answer, files and errors alike.
HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"Content-Security-Policy", POLICY.encode("ascii")),
    (b"X-Content-Type-Options", b"nosniff"),
    (b"X-Frame-Options", b"DENY"),
    (b"Referrer-Policy", b"no-referrer"),
    (b"Cross-Origin-Opener-Policy", b"same-origin"),
    (b"Cross-Origin-Resource-Policy", b"same-origin"),
    (b"Cache-Control", b"no-cache"),
)


@frozen
class Answer:
    """
    One HTTP answer: its status, content type and body.
    """

    status: int
    content_type: str
    body: bytes

    def headers(self, *, close: bool) -> list[tuple[bytes, bytes]]:
        """
        Every header to send with it.
        """
        headers = [*HEADERS, (b"Content-Type", self.content_type.encode("ascii")),
                   (b"Content-Length", str(len(self.body)).encode("ascii"))]
        if close:
            headers.append((b"Connection", b"close"))
        return headers


def text_answer(status: int, message: str) -> Answer:
    """
    A plain-text answer (errors and refusals), the message on one line.
    """
    return Answer(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))


def colours_css() -> str:
    """
    The style sheet of the 256 xterm colours, as foreground (C{.f<n>}) and
    background (C{.b<n>}) classes.
    """
    rules = []
    for index in range(256):
        red, green, blue = xterm_rgb(index)
        value = f"#{red:02x}{green:02x}{blue:02x}"
        rules.append(f".f{index}{{color:{value}}}.b{index}{{background-color:{value}}}")
    return "\n".join(rules) + "\n"


@functools.cache
def files() -> dict[bytes, Answer]:
    """
    Every file of the page, read once (on the first request).
    """
    found = {}
    for path, (name, content_type) in FILES.items():
        with open(os.path.join(STATIC, name), "rb") as f:
            found[path] = Answer(200, content_type, f.read())
    found[COLOURS] = Answer(200, "text/css; charset=utf-8", colours_css().encode("ascii"))
    return found


def answer(method: bytes, target: bytes) -> Answer:
    """
    The answer to a request that is not for the websocket: a file of the
    page, or why not.
    """
    path = target.split(b"?", 1)[0]
    if method not in (b"GET", b"HEAD"):
        return text_answer(405, "Only GET and HEAD are answered here.")
    found = files().get(path)
    if found is None:
        return text_answer(404, "There is no such page here. The game is at /.")
    return found
