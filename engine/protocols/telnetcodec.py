# -*- test-case-name: tests.protocols.test_negotiation -*-
"""
The telnet byte stream (RFC 854), without I/O: bytes in, events out; and the
few byte sequences the server writes.

L{TelnetParser} is fed whatever arrived and returns what it meant, in order:
L{Data} (application bytes, every line ending made C{\\n}), L{Command}
(C{IAC} and one byte: C{AYT}, C{NOP}, C{GA}...), L{Negotiation}
(C{WILL}/C{WONT}/C{DO}/C{DONT} and an option) and L{Subnegotiation}
(C{IAC SB option ... IAC SE}). It is written for the open internet: it never
raises on any input, it skips garbage after C{IAC}, and it never holds more
than C{max_subnegotiation} bytes of an unfinished subnegotiation (past that it
reports L{Overflow} once and ignores the rest of it). Plain text goes through
without a Python loop per byte.

Tessera owns this parser rather than drive C{twisted.conch.telnet}'s: conch
writes its negotiation answers straight to the transport (outside any output
limit), and bounds subnegotiations only through a private attribute that
older Twisted releases lack.
"""

from __future__ import annotations

import re

from attrs import frozen

IAC = b"\xff"
DONT = b"\xfe"
DO = b"\xfd"
WONT = b"\xfc"
WILL = b"\xfb"
SB = b"\xfa"
GA = b"\xf9"
AYT = b"\xf6"
NOP = b"\xf1"
SE = b"\xf0"
EOR = b"\xef"

_IAC, _SB, _SE, _CR = 0xFF, 0xFA, 0xF0, 0x0D
_VERBS = frozenset((0xFB, 0xFC, 0xFD, 0xFE))
#: Bytes that may follow IAC as a command of their own: EOR (239), NOP (241)
#: through GA (249). SE (240) outside a subnegotiation, and anything below
#: 239, is garbage and skipped.
_COMMANDS = frozenset((0xEF, *range(0xF1, 0xFA)))
_SPECIAL = re.compile(rb"[\xff\r]")
#: A run of whole two- and three-byte commands (negotiations, commands,
#: garbage after IAC): read at once instead of a byte at a time, so that a
#: stream of nothing but commands costs little more per command than text.
_RUN = re.compile(rb"(?:\xff[\xfb-\xfe][\x00-\xff]|\xff[\x00-\xf9])+")
#: A run of escaped 255s (IAC IAC).
_ESCAPED = re.compile(rb"(?:\xff\xff)+")


@frozen
class Data:
    """
    Application bytes; every line ending (CR LF, CR NUL, bare CR, LF) is one
    C{b"\\n"}.
    """

    data: bytes


@frozen
class Command:
    """
    C{IAC <code>} for a command without an option (C{AYT}, C{NOP}, C{GA}...).
    """

    code: bytes


@frozen
class Negotiation:
    """
    C{IAC <verb> <option>}: C{verb} is L{WILL}, L{WONT}, L{DO} or L{DONT}.
    """

    verb: bytes
    option: bytes


@frozen
class Subnegotiation:
    """
    C{IAC SB <option> <payload> IAC SE}, with C{IAC IAC} in the payload
    made one C{IAC}.
    """

    option: bytes
    payload: bytes


@frozen
class Overflow:
    """
    A subnegotiation grew past the parser's bound; the rest of it, up to its
    C{IAC SE}, is ignored.
    """

    limit: int


Event = Data | Command | Negotiation | Subnegotiation | Overflow

# Events are immutable: one of each negotiation and command serves every
# connection (a storm of them then costs no allocation per event).
_NEGOTIATIONS = tuple(tuple(Negotiation(bytes((verb,)), bytes((option,))) for option in range(256))
                      for verb in range(0xFB, 0x100))
_COMMAND_EVENTS = {code: Command(bytes((code,))) for code in _COMMANDS}


class TelnetParser:
    """
    One connection's incoming telnet stream, as events.

    @ivar max_subnegotiation: the most bytes (option byte and payload) kept
        for one subnegotiation.
    @ivar buffered: bytes the parser holds between calls (an unfinished
        subnegotiation), for memory accounting.
    """

    def __init__(self, max_subnegotiation: int = 8192) -> None:
        self.max_subnegotiation = max_subnegotiation
        self._state = "data"  # data, iac, verb, sb, sb-iac, sb-skip, sb-skip-iac
        self._verb = b""
        self._sub = bytearray()
        self._after_cr = False

    @property
    def buffered(self) -> int:
        """
        Bytes held for an unfinished subnegotiation.
        """
        return len(self._sub)

    def feed(self, data: bytes) -> list[Event]:
        """
        Parse C{data} (any framing: it may end in the middle of anything) and
        return the events it completes, in order.
        """
        events: list[Event] = []
        text = bytearray()
        position, size = 0, len(data)
        while position < size:
            state = self._state
            if state == "data":
                if self._after_cr:
                    self._after_cr = False
                    if data[position] in (0x0A, 0x00):
                        position += 1
                        continue
                found = _SPECIAL.search(data, position)
                end = size if found is None else found.start()
                if end > position:
                    text += data[position:end]
                    position = end
                    continue
                if data[position] == _CR:
                    text += b"\n"
                    self._after_cr = True
                    position += 1
                    continue
                run = _RUN.match(data, position)
                if run is not None:
                    self._flush(text, events)
                    self._commands(run.group(), events)
                    position = run.end()
                    continue
                escaped = _ESCAPED.match(data, position)
                if escaped is not None:
                    text += b"\xff" * ((escaped.end() - position) // 2)
                    position = escaped.end()
                    continue
                self._state = "iac"
                position += 1
                continue
            byte = data[position]
            position += 1
            if state == "iac":
                if byte == _IAC:
                    text.append(_IAC)
                    self._state = "data"
                    continue
                self._flush(text, events)
                if byte in _VERBS:
                    self._verb, self._state = bytes((byte,)), "verb"
                elif byte == _SB:
                    self._sub.clear()
                    self._state = "sb"
                else:
                    self._state = "data"
                    if byte in _COMMANDS:
                        events.append(_COMMAND_EVENTS[byte])
            elif state == "verb":
                events.append(_NEGOTIATIONS[self._verb[0] - 0xFB][byte])
                self._state = "data"
            elif state in ("sb", "sb-skip"):
                if byte == _IAC:
                    escaped = _ESCAPED.match(data, position - 1)
                    if escaped is not None:
                        # Escaped 255s in the payload, at once.
                        if state == "sb":
                            self._take(b"\xff" * ((escaped.end() - position + 1) // 2), events)
                        position = escaped.end()
                        continue
                    self._state += "-iac"
                    continue
                if state == "sb":
                    # Gather up to the next IAC at once.
                    found_iac = data.find(IAC, position)
                    end = size if found_iac < 0 else found_iac
                    self._take(data[position - 1:end], events)
                else:
                    end = size if (found_iac := data.find(IAC, position)) < 0 else found_iac
                position = end
            else:  # sb-iac, sb-skip-iac
                skipping = state == "sb-skip-iac"
                if byte == _SE:
                    self._state = "data"
                    if not skipping and self._sub:
                        events.append(Subnegotiation(bytes(self._sub[:1]), bytes(self._sub[1:])))
                    self._sub.clear()
                    continue
                self._state = "sb-skip" if skipping else "sb"
                if not skipping:
                    # IAC IAC is a literal 255; IAC and anything else keeps
                    # the byte (as conch does).
                    self._take(bytes((byte,)), events)
        self._flush(text, events)
        return events

    @staticmethod
    def _commands(run: bytes, events: list[Event]) -> None:
        # A run matched by _RUN: negotiations (three bytes), commands and
        # garbage (two).
        position, size = 0, len(run)
        while position < size:
            code = run[position + 1]
            if code >= 0xFB:
                events.append(_NEGOTIATIONS[code - 0xFB][run[position + 2]])
                position += 3
            else:
                if code in _COMMANDS:
                    events.append(_COMMAND_EVENTS[code])
                position += 2

    def _take(self, chunk: bytes, events: list[Event]) -> None:
        room = self.max_subnegotiation - len(self._sub)
        if len(chunk) <= room:
            self._sub += chunk
            return
        self._sub.clear()
        self._state = "sb-skip"
        events.append(Overflow(self.max_subnegotiation))

    @staticmethod
    def _flush(text: bytearray, events: list[Event]) -> None:
        if text:
            events.append(Data(bytes(text)))
            text.clear()


def escape(data: bytes) -> bytes:
    """
    Application bytes as they go on the wire: C{IAC} doubled, every C{\\n}
    sent as CR LF.
    """
    return data.replace(IAC, IAC + IAC).replace(b"\n", b"\r\n")


def negotiation(verb: bytes, option: bytes) -> bytes:
    """
    C{IAC <verb> <option>}.
    """
    return IAC + verb + option


def subnegotiation(option: bytes, payload: bytes) -> bytes:
    """
    C{IAC SB <option> <payload> IAC SE}, with C{IAC} in the payload doubled.
    """
    return IAC + SB + option + payload.replace(IAC, IAC + IAC) + IAC + SE
