# -*- test-case-name: tests.web.test_messages -*-
"""
What travels in the web client's websocket, without I/O: one JSON object
per text message, with a C{"type"}.

From the page:

  - C{{"type": "input", "text": "look"}}: what the player typed; several
    lines may be sent at once, separated by C{"\\n"};
  - C{{"type": "gmcp", "message": "Core.Supports.Set [\\"Room 1\\"]"}}: a GMCP
    message, exactly as over telnet (L{engine.protocols.gmcp});
  - C{{"type": "size", "width": 100, "height": 40}}: the window, in
    characters (telnet's NAWS);
  - C{{"type": "hello", "client": "Tessera web", "screenreader": true}}:
    what the page knows of itself (telnet's TTYPE).

From the server:

  - C{{"type": "text", "runs": [["The ", null, null, 0], ["lamp", 11, null, 1]]}}:
    text as runs of plain text, each with its foreground and background
    colour (xterm-256 indexes, or C{null}) and underline (C{0} or C{1}): the
    page draws them as styled elements and never parses any of it as HTML;
  - C{{"type": "prompt", "runs": [...]}}: a prompt (no line ending);
  - C{{"type": "echo", "on": false}}: hide what is typed (a password), or
    show it again;
  - C{{"type": "gmcp", "message": "Room.Info {...}"}}: a GMCP message;
  - C{{"type": "error", "text": "..."}}: the page sent something the server
    could not take; nothing else happened.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from attrs import frozen

from engine.colour import Style, plain
from engine.protocols import gmcp

#: The widest and narrowest window the page may report.
MIN_WIDTH, MAX_WIDTH = 20, 500
#: The tallest window the page may report.
MAX_HEIGHT = 500
#: The longest client name kept from a hello.
MAX_CLIENT_NAME = 64


class MessageError(ValueError):
    """
    The page sent a message the server does not understand; the text says
    what was wrong, for the player.
    """


@frozen
class Input:
    """
    Lines the player typed.
    """

    lines: tuple[str, ...]


@frozen
class Gmcp:
    """
    A GMCP message from the page: a package and its body (or
    L{engine.protocols.gmcp.NO_DATA}).
    """

    package: str
    data: Any


@frozen
class Size:
    """
    The page's window, in characters.
    """

    width: int
    height: int


@frozen
class Hello:
    """
    What the page says of itself.

    @ivar screen_reader: whether the player asked for plain text for a
        screen reader, or L{None} if the page did not say.
    """

    client: str
    screen_reader: bool | None


def _reject_constant(name: str) -> Any:
    raise MessageError(f"{name} is not JSON")


def decode(text: str) -> Input | Gmcp | Size | Hello:
    """
    One message from the page.

    @raise MessageError: it is not a JSON object of a known type with the
        fields that type needs.
    """
    try:
        message = json.loads(text, parse_constant=_reject_constant)
    except MessageError:
        raise
    except (ValueError, RecursionError):
        raise MessageError("That message was not JSON.") from None
    if not isinstance(message, dict):
        raise MessageError("A message must be a JSON object with a type.")
    kind = message.get("type")
    if kind == "input":
        typed = message.get("text")
        if not isinstance(typed, str):
            raise MessageError("An input message needs its text.")
        return Input(tuple(typed.replace("\r\n", "\n").split("\n")))
    if kind == "gmcp":
        payload = message.get("message")
        if not isinstance(payload, str):
            raise MessageError("A gmcp message needs its message.")
        try:
            package, data = gmcp.decode(payload.encode("utf-8", "replace"))
        except gmcp.GmcpError as e:
            raise MessageError(f"That GMCP message was refused: {e}.") from None
        return Gmcp(package, data)
    if kind == "size":
        width, height = message.get("width"), message.get("height", 0)
        if not isinstance(width, int) or not isinstance(height, int) \
                or isinstance(width, bool) or isinstance(height, bool):
            raise MessageError("A size message needs a whole width and height.")
        return Size(min(max(width, MIN_WIDTH), MAX_WIDTH), min(max(height, 0), MAX_HEIGHT))
    if kind == "hello":
        client = message.get("client", "")
        reader = message.get("screenreader")
        if not isinstance(client, str) or not (reader is None or isinstance(reader, bool)):
            raise MessageError("A hello message has a client name and a screenreader flag.")
        return Hello(plain(client)[:MAX_CLIENT_NAME], reader)
    shown = plain(kind)[:20] if isinstance(kind, str) else kind
    raise MessageError(f"There is no message type {shown!r}.")


def _encode(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _runs(runs: Iterable[tuple[str, Style]]) -> list[list[Any]]:
    return [[text, style.fg, style.bg, int(style.underline)] for text, style in runs]


def text(runs: Iterable[tuple[str, Style]]) -> str:
    """
    The message showing C{runs} (see L{engine.colour.runs}).
    """
    return _encode({"type": "text", "runs": _runs(runs)})


def prompt(runs: Iterable[tuple[str, Style]]) -> str:
    """
    The message showing C{runs} as a prompt.
    """
    return _encode({"type": "prompt", "runs": _runs(runs)})


def echo(on: bool) -> str:
    """
    The message asking the page to show (C{on}) or hide what is typed.
    """
    return _encode({"type": "echo", "on": on})


def gmcp_message(payload: bytes) -> str:
    """
    The message carrying one GMCP payload (L{engine.protocols.gmcp.encode}).
    """
    return _encode({"type": "gmcp", "message": payload.decode("utf-8")})


def error(reason: str) -> str:
    """
    The message telling the page that what it sent was refused.
    """
    return _encode({"type": "error", "text": reason})
