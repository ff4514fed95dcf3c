# -*- test-case-name: tests.protocols.test_units -*-
"""
Prompt marking: telling the client where a prompt ends.

A prompt is text without a line end, followed by C{IAC EOR} (once the client
agreed to the EOR option, 25) or C{IAC GA}. Several clients show GA as a
blank line or junk, and SGA ("suppress go-ahead") means the client asked us
not to send GA at all, so the marker is a per-session choice:

 - C{auto} (the default): EOR if negotiated; otherwise GA, unless SGA is on
   or the client is known to show GA as a blank line.
 - C{eor}: EOR if negotiated, else nothing.
 - C{ga}: always GA (for players whose client wants it despite SGA).
 - C{off}: nothing.
"""

from __future__ import annotations

from twisted.conch.telnet import GA, IAC

#: The EOR telnet option byte (RFC 885) and the EOR command byte.
EOR_OPTION = bytes([25])
EOR = bytes([239])

#: The choices a player has.
CHOICES = ("auto", "eor", "ga", "off")


def marker(choice: str, *, eor: bool, sga: bool, ga_as_blank_line: bool = False) -> bytes:
    """
    The bytes to write after a prompt.

    @param choice: one of L{CHOICES}.
    @param eor: the client agreed to EOR.
    @param sga: suppress-go-ahead is in effect.
    @param ga_as_blank_line: the client is known to show GA as a blank line.
    @raise ValueError: C{choice} is not one of L{CHOICES}.
    """
    if choice not in CHOICES:
        raise ValueError(f"unknown prompt marking {choice!r}")
    if choice == "off":
        return b""
    if choice == "ga":
        return IAC + GA
    if eor:
        return IAC + EOR
    if choice == "eor" or sga or ga_as_blank_line:
        return b""
    return IAC + GA
