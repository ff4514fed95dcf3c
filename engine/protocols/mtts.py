# -*- test-case-name: tests.protocols.test_units -*-
"""
TTYPE cycling (RFC 1091) and MTTS: learning what the client can do.

The server asks for the terminal type (C{IAC SB TTYPE SEND IAC SE}) up to
three times. MUD clients answer, in turn, their name (C{MUDLET}), a terminal
type (C{XTERM-256COLOR}), and C{MTTS <bits>} -- a bitfield of abilities. A
client that repeats an answer has no more to say; cycling stops there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from attrs import define, field, frozen

from engine import colour

#: The telnet option byte, and the subnegotiation verbs.
TTYPE = bytes([24])
IS = b"\x00"
SEND = b"\x01"
#: How many times a client is asked.
MAX_REQUESTS = 3
#: The longest terminal type kept.
MAX_NAME = 64

#: MTTS bits, by name.
MTTS_BITS: dict[str, int] = {
    "ansi": 1,
    "vt100": 2,
    "utf8": 4,
    "xterm256": 8,
    "mouse": 16,
    "osc_palette": 32,
    "screen_reader": 64,
    "proxy": 128,
    "truecolor": 256,
    "mnes": 512,
    "mslp": 1024,
    "ssl": 2048,
}

#: Clients known to show 256 colours even when they send no MTTS.
_COLOUR256_CLIENTS = ("MUDLET", "TINTIN++", "MUSHCLIENT", "CMUD", "POTATO", "BLOWTORCH",
                      "MUDRAMMER", "BEIP", "ATLANTIS", "AXMUD", "KILDCLIENT", "PUTTY")
#: Terminal types and clients that show at least the 16 ANSI colours.
_ANSI_TERMINALS = (
    "XTERM", "ANSI", "VT100", "VT102", "VT220", "LINUX", "SCREEN", "TMUX", "RXVT", "PUTTY",
    "ZMUD", "BLIGHTMUD", "MUDMASTER", "KONSOLE", "GNOME", "ALACRITTY", "KITTY", "CYGWIN",
    "MUDLET", "TINTIN", "MUSHCLIENT", "CMUD", "POTATO", "BEIP", "TELNETLIB3",
)
#: 24-bit colour, as L{engine.interfaces.ClientInfo.colours} counts it.
TRUECOLOUR = 1 << 24
#: Clients known to show GA (and NOP) as junk or blank lines.
GA_AS_BLANK_LINE = ("BLOWTORCH", "MUKLUK", "DUCKCLIENT")

_MTTS = re.compile(r"MTTS\s+([0-9]{1,9})\Z", re.IGNORECASE)


def parse_mtts(answer: str) -> int | None:
    """
    The bitfield in an C{MTTS <n>} answer; None for any other answer.
    """
    m = _MTTS.match(answer.strip())
    return int(m.group(1)) if m else None


def decode_mtts(bits: int) -> frozenset[str]:
    """
    The ability names set in an MTTS bitfield (see L{MTTS_BITS}).
    """
    return frozenset(name for name, bit in MTTS_BITS.items() if bits & bit)


@frozen
class Terminal:
    """
    What the TTYPE answers say about a client.

    @ivar client: the client's name (the first answer), upper-cased, without
        a version (C{"MUDLET"}); empty if it sent none.
    @ivar client_version: a version given after the name, if any.
    @ivar terminal: the terminal type (the second answer), upper-cased.
    @ivar mtts: the MTTS bitfield, or None if the client sent none.
    """

    client: str = ""
    client_version: str = ""
    terminal: str = ""
    mtts: int | None = None

    def has(self, ability: str) -> bool:
        """
        Whether MTTS declares C{ability} (a key of L{MTTS_BITS}).
        """
        return self.mtts is not None and bool(self.mtts & MTTS_BITS[ability])

    @property
    def colours(self) -> int:
        """
        How many colours the client shows (0, 16, 256 or 16777216): MTTS
        decides when present; else the terminal type or a known client name;
        else none (a client that says nothing gets plain text).
        """
        if self.mtts is not None:
            if self.has("truecolor"):
                return TRUECOLOUR
            if self.has("xterm256"):
                return 256
            return 16 if self.has("ansi") else 0
        names = [n for n in (self.client, self.terminal) if n]
        if any("TRUECOLOR" in n or "24BIT" in n for n in names):
            return TRUECOLOUR
        if any("256" in n for n in names) or self.client.startswith(_COLOUR256_CLIENTS):
            return 256
        if any(n.startswith(_ANSI_TERMINALS) for n in names):
            return 16
        return 0

    @property
    def colour(self) -> str:
        """
        The colour mode to render in (one of L{engine.colour.MODES}).
        """
        return colour.mode_for(self.colours)

    @property
    def utf8(self) -> bool | None:
        """
        Whether MTTS says the client handles UTF-8; None if it did not say.
        """
        return None if self.mtts is None else self.has("utf8")

    @property
    def screen_reader(self) -> bool:
        """
        Whether the client says a screen reader is in use.
        """
        return self.has("screen_reader")

    @property
    def ga_as_blank_line(self) -> bool:
        """
        Whether this client is known to show IAC GA as a blank line or junk.
        """
        return self.client.startswith(GA_AS_BLANK_LINE)


def terminal_from(answers: Sequence[str]) -> Terminal:
    """
    Interpret the TTYPE answers, in the order they came.
    """
    mtts = None
    names: list[str] = []
    for answer in answers:
        bits = parse_mtts(answer)
        if bits is not None:
            mtts = bits
        else:
            names.append(answer.strip().upper())
    if not names:
        return Terminal(mtts=mtts)
    client, _, version = names[0].partition(" ")
    if len(names) == 1:
        # One answer only: a plain terminal (telnet sends $TERM), not a client name.
        return Terminal(client=client, client_version=version.strip(), terminal=names[0],
                        mtts=mtts)
    return Terminal(client=client, client_version=version.strip(), terminal=names[1], mtts=mtts)


@define
class TerminalTypeCycle:
    """
    The TTYPE conversation: when to ask again, and what was learned.

    Sans-IO: L{received} says whether to send another C{SEND}.
    """

    requests: int = 0
    answers: list[str] = field(factory=list)
    done: bool = False

    def asked(self) -> None:
        """
        Record that a C{SEND} went out.
        """
        self.requests += 1

    def received(self, payload: bytes) -> bool:
        """
        Take one C{IS} answer (the bytes after C{TTYPE}).

        @return: whether to ask again. Cycling stops after
            L{MAX_REQUESTS} asks, on a repeated answer, or on a malformed one.
        """
        if self.done:
            return False
        if not payload.startswith(IS):
            self.done = True
            return False
        answer = payload[1:].decode("ascii", "replace")
        answer = colour.sanitize(answer).strip()[:MAX_NAME]
        if not answer or (self.answers and answer == self.answers[-1]):
            self.done = True
            return False
        self.answers.append(answer)
        if self.requests >= MAX_REQUESTS or parse_mtts(answer) is not None:
            self.done = True
            return False
        return True

    @property
    def terminal(self) -> Terminal:
        """
        What the answers so far say.
        """
        return terminal_from(self.answers)
