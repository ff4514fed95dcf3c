# -*- test-case-name: tests.protocols.test_units -*-
"""
MSSP (telnet option 70): what MUD listing crawlers ask a server about itself.

The telnet form is C{IAC SB MSSP MSSP_VAR name MSSP_VAL value ... IAC SE};
the plaintext form answers a line C{MSSP-REQUEST} typed at the login screen
with a block between C{MSSP-REPLY-START} and C{MSSP-REPLY-END}, one variable
a line, tab-separated.

Values come from the running server through a I{provider}: a callable
returning a fresh mapping each time a crawler asks (see L{status_provider}).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from engine.colour import plain

#: The telnet option byte.
MSSP = bytes([70])
MSSP_VAR = b"\x01"
MSSP_VAL = b"\x02"

#: A mapping of variable name to one value or several.
Variables = Mapping[str, "str | int | Sequence[str | int]"]
#: What the protocol calls to get the current variables.
Provider = Callable[[], Variables]

#: The protocol flags, as Tessera supports them.
PROTOCOL_FLAGS: dict[str, str] = {
    "ANSI": "1",
    "GMCP": "1",
    "MCCP": "1",
    "MCP": "0",
    "MSDP": "0",
    "MSP": "0",
    "MXP": "0",
    "PUEBLO": "0",
    "SSL": "0",
    "UTF-8": "1",
    "VT100": "0",
    "XTERM 256 COLORS": "1",
    "XTERM TRUE COLORS": "0",
}

_BAD = re.compile("[\x00-\x1f\x7f-\x9f\xff]")


def _values(value: Any) -> list[str]:
    items = value if isinstance(value, (list, tuple)) else [value]
    return [_BAD.sub("", plain(str(v))) for v in items]


def _pairs(variables: Variables) -> Iterable[tuple[str, list[str]]]:
    for name, value in variables.items():
        name = _BAD.sub("", plain(str(name))).upper()
        if name:
            yield name, _values(value)


def encode(variables: Variables) -> bytes:
    """
    The payload of C{IAC SB MSSP ... IAC SE}: each variable, then each of its
    values. Control characters (which would break the framing) are removed.
    """
    out = bytearray()
    for name, values in _pairs(variables):
        out += MSSP_VAR + name.encode("utf-8")
        for value in values:
            out += MSSP_VAL + value.encode("utf-8")
    return bytes(out)


def is_request(line: str) -> bool:
    """
    Whether C{line} (typed at the login screen) is the plaintext C{MSSP-REQUEST}.
    """
    return line.strip().upper() == "MSSP-REQUEST"


def plaintext(variables: Variables) -> str:
    """
    The plaintext answer to C{MSSP-REQUEST}: lines joined with newlines (the
    protocol writes each as CRLF)::

        MSSP-REPLY-START
        NAME<tab>Tessera
        PORT<tab>4000<tab>4001
        MSSP-REPLY-END
    """
    lines = ["MSSP-REPLY-START"]
    lines += ["\t".join([name, *values]) for name, values in _pairs(variables)]
    lines.append("MSSP-REPLY-END")
    return "\n".join(lines) + "\n"


def status_provider(*, name: str, players: Callable[[], int], ports: Callable[[], Sequence[int]],
                    started: float | None = None, codebase: str = "Tessera",
                    contact: str = "", extra: Variables | None = None,
                    now: Callable[[], float] = time.time) -> Provider:
    """
    A provider of the standard variables for a running server.

    @param name: the game's name.
    @param players: how many players are connected now.
    @param ports: the telnet ports listened on now (most important last).
    @param started: when the server started (Unix time); now if L{None}.
    @param extra: more variables (C{WEBSITE}, C{LANGUAGE}, C{GENRE} ...),
        which override the standard ones.
    """
    start = int(now() if started is None else started)

    def provide() -> Variables:
        variables: dict[str, Any] = {
            "NAME": name,
            "PLAYERS": str(players()),
            "UPTIME": str(start),
            "PORT": [str(p) for p in ports()],
            "CODEBASE": codebase,
            "CONTACT": contact,
            "CRAWL DELAY": "-1",
            "FAMILY": "Custom",
        }
        variables.update(PROTOCOL_FLAGS)
        variables.update(extra or {})
        return variables

    return provide
