# -*- test-case-name: tests.protocols -*-
"""
Telnet options: one L{OptionHandler} per option, and the plain telnet ones
(ECHO, SGA, NAWS, TTYPE). The MUD protocols' handlers are in
L{engine.protocols.mudoptions}; the negotiation itself (RFC 1143) is
L{engine.protocols.negotiation}.

Adding a telnet option
======================
Each option is one L{OptionHandler} subclass: its option byte, whether we
offer it at connect (C{WILL}) or ask the client for it (C{DO}), whether we
accept it when the client asks unprompted, what to do when it turns on or
off, and how to read its subnegotiations. Per-connection state goes in
C{connection.option_state[handler.name]} or into L{ClientInfo} via
C{connection.update_client}. Pass extra handlers to
L{engine.protocols.telnet.TelnetServerFactory}
(C{options=DEFAULT_OPTIONS + (MyOption(),)}); nothing else needs to change.
A handler sends only through its connection (C{send_subnegotiation}), so
everything it sends counts against the connection's output limit.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any, Protocol

from engine.interfaces import ClientInfo


class TelnetClient(Protocol):
    """
    What an option handler may use of its connection
    (L{engine.protocols.telnet.TelnetConnection} provides it).
    """

    option_state: dict[str, Any]
    hiding_input: bool
    mssp: Callable[[], Any]

    @property
    def client(self) -> ClientInfo:
        """What is known about the client, with the player's choices applied."""

    @property
    def authenticated(self) -> bool:
        """Whether its session has logged in."""

    def update_client(self, **changes: Any) -> None:
        """Record what negotiation found about the client."""

    def encoding_changed(self) -> None:
        """CHARSET or MTTS may have changed the encoding."""

    def send_subnegotiation(self, code: bytes, payload: bytes) -> None:
        """Send C{IAC SB code payload IAC SE}, counted against the output bound."""

    def local_option_on(self, code: bytes) -> bool:
        """Whether option C{code} is on at our end."""

    def start_compression(self) -> None:
        """Start MCCP2."""

    def finish_compression(self) -> None:
        """End MCCP2."""


ECHO = b"\x01"
SGA = b"\x03"
NAWS = b"\x1f"
TTYPE = b"\x18"
TTYPE_IS = b"\x00"
TTYPE_SEND = b"\x01"


class OptionHandler:
    """
    How one telnet option is negotiated. Subclass it per option; handlers are
    shared by all connections, so keep per-connection state on the
    L{TelnetClient} (C{client.option_state}).

    @cvar code: the option byte.
    @cvar name: a short name for logs and C{option_state} keys.
    @cvar offer: C{"will"} to offer the option at connect, C{"do"} to ask the
        client to enable it, or L{None} to wait for the client.
    """

    code: bytes = b""
    name: str = ""
    offer: str | None = None

    def accept_local(self, client: TelnetClient) -> bool:
        """
        The client asked us, unprompted, to enable the option here (C{DO}):
        return whether we agree. (An answer to our own C{WILL} is not asked.)
        """
        return False

    def accept_remote(self, client: TelnetClient) -> bool:
        """
        The client offered, unprompted, to enable the option (C{WILL}):
        return whether we agree. (An answer to our own C{DO} is not asked.)
        """
        return self.offer == "do"

    def local_enabled(self, client: TelnetClient) -> None:
        """
        The option is now on at our end.
        """

    def local_disabled(self, client: TelnetClient) -> None:
        """
        The option is now off at our end.
        """

    def remote_enabled(self, client: TelnetClient) -> None:
        """
        The option is now on at the client's end.
        """

    def remote_disabled(self, client: TelnetClient) -> None:
        """
        The option is now off at the client's end.
        """

    def subnegotiation(self, client: TelnetClient, data: bytes) -> None:
        """
        The client sent C{IAC SB <code> data IAC SE}.
        """


class EchoOption(OptionHandler):
    """
    ECHO (RFC 857). We never echo; we claim to (C{WILL ECHO}) only while a
    password is typed, so that the client stops echoing it locally.
    """

    code = ECHO
    name = "echo"

    def accept_local(self, client: TelnetClient) -> bool:
        return client.hiding_input


class SuppressGoAheadOption(OptionHandler):
    """
    SGA (RFC 858): accepted in both directions when the client asks, never
    offered first. Offering C{WILL SGA} puts netkit and BSD C{telnet} into
    character-at-a-time mode with local echo, where every Enter shows as
    C{^M} and line editing is lost; MUD clients gain nothing from our offer.
    """

    code = SGA
    name = "sga"
    offer = None

    def accept_local(self, client: TelnetClient) -> bool:
        return True

    def accept_remote(self, client: TelnetClient) -> bool:
        return True


class WindowSizeOption(OptionHandler):
    """
    NAWS (RFC 1073): the client tells us its window size, now and on resize.
    """

    code = NAWS
    name = "naws"
    offer = "do"

    def subnegotiation(self, client: TelnetClient, data: bytes) -> None:
        if len(data) != 4:
            return
        width, height = struct.unpack("!HH", data)
        changes: dict[str, int] = {}
        if width:
            changes["width"] = max(20, min(width, 500))
        if height:
            changes["height"] = max(5, min(height, 500))
        if changes:
            client.update_client(**changes)


#: Terminal types that show at least 16 ANSI colours, by lower-case prefix.
_ANSI_TERMINALS = (
    "xterm", "ansi", "vt100", "vt220", "linux", "screen", "tmux", "rxvt", "putty",
    "mudlet", "tintin", "mushclient", "zmud", "cmud", "blightmud", "potato",
    "mudmaster", "beip", "konsole", "gnome", "alacritty", "kitty",
)


def colours_for_terminal(terminal: str) -> int:
    """
    A conservative guess at how many colours a terminal type shows.
    """
    name = terminal.lower()
    if "truecolor" in name or "24bit" in name or "direct" in name:
        return 1 << 24
    if "256" in name or name.startswith("mudlet"):
        return 256
    if name.startswith(_ANSI_TERMINALS):
        return 16
    return 0


class TerminalTypeOption(OptionHandler):
    """
    TTYPE (RFC 1091): ask once for the terminal type when the client agrees.

    (Cycling through further answers, MTTS, is for a subclass: override
    L{received}.)
    """

    code = TTYPE
    name = "ttype"
    offer = "do"

    def remote_enabled(self, client: TelnetClient) -> None:
        self.request(client)

    def request(self, client: TelnetClient) -> None:
        """
        Ask the client for (the next) terminal type.
        """
        client.send_subnegotiation(self.code, TTYPE_SEND)

    def subnegotiation(self, client: TelnetClient, data: bytes) -> None:
        if not data.startswith(TTYPE_IS):
            return
        name = data[1:65].decode("ascii", "replace").strip()
        self.received(client, name)

    def received(self, client: TelnetClient, name: str) -> None:
        """
        The client reported terminal type C{name}.
        """
        if client.client.terminal:
            return
        client.update_client(terminal=name, colours=colours_for_terminal(name))


#: Plain telnet's options (no MUD protocols), in the order they are offered.
DEFAULT_OPTIONS: tuple[OptionHandler, ...] = (
    EchoOption(),
    SuppressGoAheadOption(),
    WindowSizeOption(),
    TerminalTypeOption(),
)
