# -*- test-case-name: tests.protocols.test_units -*-
"""
CHARSET (telnet option 42, RFC 2066): agreeing on a character encoding, and
translating text at the boundary for clients that cannot take UTF-8.

The server offers C{IAC SB CHARSET REQUEST ";UTF-8;ISO-8859-1;US-ASCII" IAC SE}
(UTF-8 first, then the legacy fallbacks); the client answers C{ACCEPTED <name>}
or C{REJECTED}. A client may also send its own C{REQUEST}; the server accepts
the best name on its list it supports (UTF-8 if offered) or rejects it.
Translation tables (C{TTABLE-IS}) are always refused. Without an agreement the
session stays on UTF-8.
"""

from __future__ import annotations

from attrs import define

#: The telnet option byte, and the subnegotiation verbs.
CHARSET = bytes([42])
REQUEST = b"\x01"
ACCEPTED = b"\x02"
REJECTED = b"\x03"
TTABLE_IS = b"\x04"
TTABLE_REJECTED = b"\x05"

#: What the server offers, preferred first: (name on the wire, Python codec).
OFFER: tuple[tuple[str, str], ...] = (
    ("UTF-8", "utf-8"),
    ("ISO-8859-1", "latin-1"),
    ("US-ASCII", "ascii"),
)
#: Other names clients use for the same encodings.
ALIASES: dict[str, str] = {
    "UTF-8": "utf-8", "UTF8": "utf-8",
    "ISO-8859-1": "latin-1", "ISO8859-1": "latin-1", "ISO_8859-1": "latin-1",
    "LATIN1": "latin-1", "LATIN-1": "latin-1", "L1": "latin-1",
    "US-ASCII": "ascii", "ASCII": "ascii", "ANSI_X3.4-1968": "ascii",
}
#: Encodings a player may choose with the option command.
ENCODINGS = ("utf-8", "latin-1", "ascii")

#: Shown for characters a legacy encoding lacks, before falling back to "?".
_FALLBACK: dict[int, str] = {
    **{ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2500\u2501\u2550"},
    **{ord(c): "|" for c in "\u2502\u2503\u2551"},
    **{ord(c): "+" for c in "\u250c\u2510\u2514\u2518\u251c\u2524\u252c\u2534\u253c"
                           "\u2554\u2557\u255a\u255d\u2560\u2563\u2566\u2569\u256c"},
    ord("\u2018"): "'", ord("\u2019"): "'", ord("\u201a"): "'", ord("\u2032"): "'",
    ord("\u201c"): '"', ord("\u201d"): '"', ord("\u201e"): '"', ord("\u2033"): '"',
    ord("\u2026"): "...", ord("\u2022"): "*", ord("\u00a0"): " ", ord("\u2122"): "TM",
    ord("\u20ac"): "EUR", ord("\u2190"): "<-", ord("\u2192"): "->",
}


def codec(name: str) -> str | None:
    """
    The Python codec for a charset name from the wire; None if unsupported.
    """
    return ALIASES.get(name.strip().upper())


def encode_text(text: str, encoding: str) -> bytes:
    """
    C{text} in C{encoding}. For the legacy encodings, characters they lack
    are translated (dashes, quotes, box drawing to ASCII look-alikes) and
    anything left becomes C{?}.
    """
    if encoding == "utf-8":
        return text.encode("utf-8")
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return text.translate(_FALLBACK).encode(encoding, "replace")


def decode_bytes(data: bytes, encoding: str) -> str:
    """
    Bytes from the client as text; invalid bytes become U+FFFD, never an
    error.
    """
    return data.decode(encoding, "replace")


def request(offer: tuple[tuple[str, str], ...] = OFFER, separator: bytes = b";") -> bytes:
    """
    The payload of the server's C{REQUEST}.
    """
    return REQUEST + b"".join(separator + name.encode("ascii") for name, _ in offer)


@define
class CharsetNegotiation:
    """
    One session's CHARSET conversation.

    @ivar encoding: the Python codec in use now.
    @ivar pending: the server's C{REQUEST} awaits an answer.
    @ivar agreed: the client accepted a charset (or we accepted its).
    """

    encoding: str = "utf-8"
    pending: bool = False
    agreed: bool = False

    def request(self) -> bytes:
        """
        Send our offer: the payload to write after C{IAC SB CHARSET}.
        """
        self.pending = True
        return request()

    def received(self, payload: bytes) -> bytes | None:
        """
        Take one subnegotiation from the client (the bytes after C{CHARSET}).

        @return: the payload to answer with, or None.
        """
        verb, body = payload[:1], payload[1:]
        if verb == ACCEPTED:
            self.pending = False
            chosen = codec(body.decode("ascii", "replace"))
            if chosen is not None:
                self.encoding = chosen
                self.agreed = True
            return None
        if verb == REJECTED:
            self.pending = False
            return None
        if verb == TTABLE_IS:
            return TTABLE_REJECTED
        if verb == REQUEST:
            if self.pending:
                # RFC 2066: when both sides ask at once, the server's request wins.
                return REJECTED
            return self._answer(body)
        return None

    def _answer(self, body: bytes) -> bytes:
        if body.startswith(b"[TTABLE]"):
            body = body[len(b"[TTABLE]") + 1:]
        if len(body) < 2:
            return REJECTED
        separator, names = body[:1], body[1:]
        offered = [n.decode("ascii", "replace") for n in names.split(separator) if n]
        supported = [(n, codec(n)) for n in offered if codec(n) is not None]
        if not supported:
            return REJECTED
        name, chosen = next((p for p in supported if p[1] == "utf-8"), supported[0])
        assert chosen is not None
        self.encoding = chosen
        self.agreed = True
        return ACCEPTED + name.encode("ascii")
