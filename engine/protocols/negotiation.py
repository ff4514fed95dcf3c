# -*- test-case-name: tests.protocols.test_negotiation -*-
"""
Telnet option negotiation by RFC 1143's Q method, without I/O, and with the
limits an open server needs.

Each option has two sides: C{us} (whether the server does it: C{WILL}/C{WONT}
from us, C{DO}/C{DONT} from the client) and C{him} (whether the client does
it). Each side is in one of four states (C{no}, C{yes}, C{wantno},
C{wantyes}) with a one-bit queue, which is what keeps two parties from
answering each other in a loop and lets a request made while another is
under way wait its turn.

What a client may cost is bounded here, per connection:

  - A request we refused once (the client asked for an option we do not
    do) is not answered again: a client that keeps asking gets silence,
    not one more refusal per request, and each such request counts towards
    a storm.
  - Option changes (requests that change a state or need an answer) are
    limited by a token bucket; past it, requests are ignored and counted,
    and L{Negotiator.storm} tells the connection to drop a client that
    keeps going.

The L{Negotiator} asks its L{NegotiationHost} whether to accept a request,
tells it when a side turns on or off, and hands it the bytes to send; the
host (the telnet connection) writes them through its output limit.
"""

from __future__ import annotations

from typing import Any, Protocol

from attrs import define, field

from engine.limits import TokenBucket
from engine.protocols.telnetcodec import DO, DONT, WILL, WONT, negotiation

NO, YES, WANTNO, WANTYES = "no", "yes", "wantno", "wantyes"


class NegotiationHost(Protocol):
    """
    What a L{Negotiator} needs from its connection.
    """

    def accept(self, local: bool, option: bytes) -> bool:
        """
        The client asked, unprompted, to turn C{option} on at our end
        (C{local}, C{DO}) or its end (C{WILL}): whether we agree.
        """

    def changed(self, local: bool, option: bytes, on: bool) -> None:
        """
        C{option} is now on (or off) at our end (C{local}) or the client's.
        """

    def send_negotiation(self, data: bytes) -> None:
        """
        Write C{data} (one C{IAC} verb option) to the client.
        """


@define
class Side:
    """
    One side of one option: its Q-method state and queue bit.
    """

    state: str = NO
    opposite: bool = False


@define
class OptionState:
    """
    Both sides of one option, and whether we refused the client's request
    for each.
    """

    us: Side = field(factory=Side)
    him: Side = field(factory=Side)
    refused_us: bool = False
    refused_him: bool = False


class Negotiator:
    """
    One connection's option negotiation.

    @ivar options: L{OptionState} by option byte.
    @ivar ignored: requests ignored for being over the budget, in all.
    @ivar storm: the client went on sending changes far past its budget
        (C{storm} more than the budget allows, refilled at its rate): the
        connection should be dropped.
    """

    def __init__(self, host: NegotiationHost, clock: Any, rate: float = 20.0,
                 burst: int = 100, storm: int = 1000) -> None:
        self.host = host
        self.options: dict[bytes, OptionState] = {}
        self.budget = TokenBucket(clock, rate, burst)
        self.tolerance = TokenBucket(clock, rate, storm)
        self.ignored = 0
        self.storm = False

    def state(self, option: bytes) -> OptionState:
        """
        The L{OptionState} of C{option} (created on first use).
        """
        found = self.options.get(option)
        if found is None:
            if len(self.options) >= 256:  # one per option byte at most
                raise ValueError("no such telnet option")
            found = self.options[option] = OptionState()
        return found

    def enabled(self, local: bool, option: bytes) -> bool:
        """
        Whether C{option} is on at our end (C{local}) or the client's.
        """
        found = self.options.get(option)
        if found is None:
            return False
        return (found.us if local else found.him).state == YES

    # -- what the client sent --------------------------------------------

    def received(self, verb: bytes, option: bytes) -> None:
        """
        The client sent C{IAC verb option}.
        """
        state = self.state(option)
        local = verb in (DO, DONT)
        side = state.us if local else state.him
        on = verb in (WILL, DO)
        if on and side.state == NO and (state.refused_us if local else state.refused_him):
            # Asked again after a refusal: silence, not another refusal; and
            # it counts towards a storm like a change past the budget.
            self._excess()
            return
        if (on and side.state == YES) or (not on and side.state == NO):
            # No change, no answer (what stops answer loops); past the budget
            # it still counts towards a storm.
            if not self.budget.available():
                self._excess()
            return
        if not self.budget.take():
            self._excess()
            return
        if on:
            self._on(local, option, state, side)
        else:
            self._off(local, option, side)

    def _excess(self) -> None:
        self.ignored += 1
        if not self.tolerance.take():
            self.storm = True

    def _on(self, local: bool, option: bytes, state: OptionState, side: Side) -> None:
        if side.state == NO:
            if self.host.accept(local, option):
                side.state = YES
                self._send(local, True, option)
                self.host.changed(local, option, True)
            else:
                if local:
                    state.refused_us = True
                else:
                    state.refused_him = True
                self._send(local, False, option)
        elif side.state == WANTNO:
            # An error by the client (it answered our "off" with "on"): take
            # its word, and honour a queued request.
            side.state, side.opposite = (YES, False) if side.opposite else (NO, False)
            if side.state == YES:
                self.host.changed(local, option, True)
        elif side.state == WANTYES:
            if side.opposite:
                side.state, side.opposite = WANTNO, False
                self._send(local, False, option)
            else:
                side.state = YES
                self.host.changed(local, option, True)

    def _off(self, local: bool, option: bytes, side: Side) -> None:
        if side.state == YES:
            side.state = NO
            # Turned off before the answer goes out: MCCP2 ends its stream
            # first, so the WONT is plain.
            self.host.changed(local, option, False)
            self._send(local, False, option)
        elif side.state == WANTNO:
            if side.opposite:
                side.state, side.opposite = WANTYES, False
                self._send(local, True, option)
            else:
                side.state = NO  # reported off when we asked
        elif side.state == WANTYES:
            side.state, side.opposite = NO, False

    # -- what we ask for ---------------------------------------------------

    def request(self, local: bool, option: bytes, on: bool) -> bool:
        """
        Ask for C{option} to be on (or off) at our end (C{local}: C{WILL} or
        C{WONT}) or the client's (C{DO} or C{DONT}). A request made while
        another is under way waits for it (the queue bit).

        @return: whether anything was asked or queued (False: it already is
            as asked, or will be).
        """
        side = self.state(option).us if local else self.state(option).him
        if on:
            if side.state == NO:
                side.state = WANTYES
                self._send(local, True, option)
                return True
            if side.state == WANTNO and not side.opposite:
                side.opposite = True
                return True
            if side.state == WANTYES and side.opposite:
                side.opposite = False
                return True
            return False
        if side.state == YES:
            side.state = WANTNO
            self.host.changed(local, option, False)
            self._send(local, False, option)
            return True
        if side.state == WANTYES and not side.opposite:
            side.opposite = True
            return True
        if side.state == WANTNO and side.opposite:
            side.opposite = False
            return True
        return False

    def _send(self, local: bool, on: bool, option: bytes) -> None:
        if local:
            verb = WILL if on else WONT
        else:
            verb = DO if on else DONT
        self.host.send_negotiation(negotiation(verb, option))
