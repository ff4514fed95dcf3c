# -*- test-case-name: tests.protocols -*-
"""
What a player's client is shown, and how, without I/O and without telnet.

A L{Presentation} holds what the connection found out about the client
(L{ClientInfo}: window size, terminal, colours, screen reader), what the
player chose (L{Preferences}, the C{option} command) and the character set
agreed, and makes the decisions every transport shares:

  - L{Presentation.render}: text as the client shows it: control
    characters removed (L{engine.colour.sanitize}), builders' colour markup
    rendered in the client's colour mode, or plain for screen readers and
    clients without colour;
  - L{Presentation.runs}: the same, as runs of plain text and their
    styles, for clients that draw text themselves;
  - L{Presentation.encode}: that text in the client's character set;
  - L{Presentation.oob}: whether a GMCP message goes out at all, and its
    payload (C{Package.Name json}).

The telnet connection adds telnet's bytes (CR LF, C{IAC} doubling, prompt
markers, subnegotiation framing); the web client's connection
(L{engine.web}) sends the same decisions as styled runs
(L{Presentation.runs}) in websocket messages.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import attrs
from twisted.logger import Logger

from engine import colour
from engine.interfaces import ClientInfo
from engine.protocols import charset, gmcp
from engine.protocols.settings import Preferences, colour_name, effective, parse

_log = Logger()

#: The longest text whose bytes a door remembers (L{shared}): what a room
#: hears is a line or a few; longer texts (help, descriptions) go to one
#: reader at a time, and remembering them would keep hundreds of them
#: alive, and let a client that never reads pile up references to one copy
#: rather than the bytes that L{engine.protocols.door.Door} counts.
SHARED_TEXT = 320
#: How many texts, each in one way of showing it, a door remembers.
SHARED_TEXTS = 256

_Sent = TypeVar("_Sent")


def shared(make: Callable[..., _Sent]) -> Callable[..., _Sent]:
    """
    C{make}, a door's C{(text, *how)} to what it sends (C{how}: the ways
    its clients differ in showing text: colours, screen reader, character
    set), remembered for the last L{SHARED_TEXTS} texts of up to
    L{SHARED_TEXT} characters: a line a room hears is rendered and encoded
    once for each way its listeners show it, not once per listener, by
    every door (telnet, SSH, the web client). Longer texts are made anew
    for each reader.
    """
    remembered = functools.lru_cache(maxsize=SHARED_TEXTS)(make)

    @functools.wraps(make)
    def made(text: str, *how: Any) -> _Sent:
        if len(text) > SHARED_TEXT:
            return make(text, *how)
        return remembered(text, *how)

    # What is remembered stays inspectable (and clearable) as any cache is.
    made.cache_info = remembered.cache_info  # type: ignore[attr-defined]
    made.cache_clear = remembered.cache_clear  # type: ignore[attr-defined]
    return made


@functools.lru_cache(maxsize=256)
def _render(text: str, screen_reader: bool, mode: Any) -> str:
    """
    L{Presentation.render}'s work, remembered for the last few hundred texts:
    what a room hears is rendered once for each way clients show it, not once
    per reader.
    """
    text = colour.sanitize(text.replace("\r\n", "\n"))
    if screen_reader:
        return colour.for_screen_reader(text)
    return colour.render(text, mode)


def rendered(text: str, screen_reader: bool, colours: int) -> str:
    """
    L{Presentation.render} for a client that shows C{colours} colours, or
    is a screen reader.
    """
    return _render(text, screen_reader, colour.mode_for(colours))


def styled(text: str, screen_reader: bool, colours: int) -> list[tuple[str, colour.Style]]:
    """
    L{Presentation.runs} for a client that shows C{colours} colours, or is
    a screen reader.
    """
    text = colour.sanitize(text.replace("\r\n", "\n"))
    if screen_reader:
        plain = colour.for_screen_reader(text)
        return [(plain, colour.PLAIN)] if plain else []
    return colour.runs(text, colour.mode_for(colours))


class Presentation:
    """
    One connection's presentation state.

    @ivar detected: what the transport found out about the client.
    @ivar preferences: what the player chose.
    @ivar client: the two combined: the L{ClientInfo} sessions see.
    @ivar encoding: the character set text is sent in.
    @ivar agreed_encoding: what the transport negotiated (telnet CHARSET),
        or L{None}.
    @ivar utf8: what the client says of UTF-8 (MTTS): L{None} if unknown.
    """

    def __init__(self, detected: ClientInfo | None = None) -> None:
        self.detected = detected or ClientInfo()
        self.preferences = Preferences()
        self.agreed_encoding: str | None = None
        self.utf8: bool | None = None
        self.encoding = "utf-8"
        self.client = effective(self.detected, self.preferences, self.encoding)

    def update(self, **changes: Any) -> bool:
        """
        Record what the transport found (C{changes} to L{detected}); return
        whether L{client} changed.
        """
        self.detected = attrs.evolve(self.detected, **changes)
        return self.refresh()

    def prefer(self, name: str, value: str) -> Preferences:
        """
        Apply the player's choice C{name} = C{value}.

        @raise engine.protocols.settings.SettingError: no such setting or
            value; the message says what would work.
        """
        key, parsed = parse(name, value)
        changes: dict[str, Any] = {key: parsed}
        self.preferences = attrs.evolve(self.preferences, **changes)
        self.refresh()
        return self.preferences

    def refresh(self) -> bool:
        """
        Recompute L{encoding} and L{client}; return whether L{client} changed.
        """
        self.encoding = self._choose_encoding()
        new = effective(self.detected, self.preferences, self.encoding)
        if new == self.client:
            return False
        self.client = new
        return True

    def _choose_encoding(self) -> str:
        # The player's choice; else what the transport agreed; else Latin-1
        # for a client that says it does not use UTF-8; else UTF-8.
        if self.preferences.charset != "auto":
            return self.preferences.charset
        if self.agreed_encoding is not None:
            return self.agreed_encoding
        if self.utf8 is False:
            return "latin-1"
        return "utf-8"

    def render(self, text: str) -> str:
        """
        C{text} as this client shows it: line endings C{\\n}, control
        characters removed, markup rendered in its colour mode (or stripped,
        for no colour and screen readers).
        """
        client = self.client
        return rendered(text, client.screen_reader, client.colours)

    def runs(self, text: str) -> list[tuple[str, colour.Style]]:
        """
        C{text} as runs of plain text with their styles, for clients that
        draw text themselves (the web page): the same decisions as
        L{render} (control characters removed, colour in the client's mode,
        plain text for screen readers and clients without colour), none of
        the escape sequences.
        """
        return styled(text, self.client.screen_reader, self.client.colours)

    def encode(self, text: str) -> bytes:
        """
        Rendered C{text} in the client's character set.
        """
        return charset.encode_text(text, self.encoding)

    def oob(self, state: gmcp.GmcpState | None, package: str, data: Any) -> bytes | None:
        """
        The GMCP payload for C{package} (C{data}'s own, if it is a
        L{gmcp.Prepared}), or L{None} if it is not to be sent
        (GMCP off, the client did not ask for the package, or the data cannot
        be encoded, which is logged).
        """
        if state is None or not state.wants(package):
            return None
        try:
            if isinstance(data, gmcp.Prepared):  # encoded once for every client
                return data.payload()
            return gmcp.encode(package, data)
        except (TypeError, ValueError):
            _log.failure("cannot send GMCP {package}", package=package)
            return None

    def report(self, prompt_now: str) -> list[str]:
        """
        The C{option} command's table: each setting, the player's choice and
        what is in force (C{prompt_now}: the prompt marker the transport
        uses).
        """
        info, prefs = self.client, self.preferences
        rows = [
            ("colour", prefs.colour, colour_name(info.colours)),
            ("width", str(prefs.width or "auto"), str(info.width)),
            ("prompt", prefs.prompt, prompt_now),
            ("screenreader", prefs.screenreader, "on" if info.screen_reader else "off"),
            ("charset", prefs.charset, self.encoding),
        ]
        return [f"  {name:<13} {chosen:<6} (now: {shown})" for name, chosen, shown in rows]


class Presented:
    """
    What a session and the C{option} command read of a connection's
    L{Presentation}, the same at every door (telnet, the web client, SSH).
    It comes before L{engine.protocols.door.Door} among a connection's
    bases, whose C{client} it gives.

    @ivar presentation: the connection's L{Presentation}.
    """

    presentation: Presentation

    @property
    def client(self) -> ClientInfo:
        """
        The current L{ClientInfo}: what the connection found out about its
        client, with the player's preferences applied.
        """
        return self.presentation.client

    @property
    def preferences(self) -> Preferences:
        """
        What the player chose with the C{option} command.
        """
        return self.presentation.preferences
