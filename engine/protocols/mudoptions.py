# -*- test-case-name: tests.protocols -*-
"""
The MUD protocols as telnet option handlers (see L{engine.protocols.telnet}
"Adding a telnet option"): GMCP, MSSP, MCCP2, EOR, CHARSET, and TTYPE
cycling with MTTS.

Each handler keeps its per-connection state in C{client.option_state} under
its name; the pieces that know the protocols' bytes are sans-IO modules
beside this one (L{gmcp}, L{mssp}, L{mccp}, L{charset}, L{mtts},
L{prompts}).
"""

from __future__ import annotations

from typing import Any

from twisted.logger import Logger

from engine.limits import cut
from engine.protocols import gmcp, mccp, mssp, mtts
from engine.protocols.charset import CHARSET, CharsetNegotiation
from engine.protocols.options import (
    EchoOption,
    OptionHandler,
    SuppressGoAheadOption,
    TelnetClient,
    TerminalTypeOption,
    WindowSizeOption,
)
from engine.protocols.prompts import EOR_OPTION

_log = Logger()


def gmcp_state(client: TelnetClient) -> gmcp.GmcpState:
    """
    The connection's L{gmcp.GmcpState}.
    """
    return client.option_state.setdefault("gmcp", gmcp.GmcpState())


def charset_state(client: TelnetClient) -> CharsetNegotiation:
    """
    The connection's L{CharsetNegotiation}.
    """
    return client.option_state.setdefault("charset", CharsetNegotiation())


def ttype_state(client: TelnetClient) -> mtts.TerminalTypeCycle:
    """
    The connection's L{mtts.TerminalTypeCycle}.
    """
    return client.option_state.setdefault("ttype", mtts.TerminalTypeCycle())


class GmcpOption(OptionHandler):
    """
    GMCP (201): offered at connect; C{Core} messages handled here, everything
    sent through L{TelnetClient.send_oob}.
    """

    code = gmcp.GMCP
    name = "gmcp"
    offer = "will"

    def accept_local(self, client: TelnetClient) -> bool:
        return True

    def local_enabled(self, client: TelnetClient) -> None:
        gmcp_state(client).enabled = True

    def local_disabled(self, client: TelnetClient) -> None:
        gmcp_state(client).enabled = False

    def subnegotiation(self, client: TelnetClient, data: bytes) -> None:
        state = gmcp_state(client)
        if not state.enabled:
            return
        try:
            package, body = gmcp.decode(data)
        except gmcp.GmcpError as e:
            # One line for the first of a logged-in player's connection: a
            # client sending broken messages (a few bytes each) must not
            # make a log line of each, nor a connection not logged in one
            # at all (its drop, if it comes, is counted with the others').
            if client.authenticated and not client.option_state.get("gmcp logged"):
                client.option_state["gmcp logged"] = True
                _log.info("bad GMCP from {address}: {error} (more from it are not logged)",
                          address=client.client.address, error=cut(str(e)))
            return
        for reply, reply_data in state.receive(package, body):
            client.send_subnegotiation(self.code, gmcp.encode(reply, reply_data))


class MsspOption(OptionHandler):
    """
    MSSP (70): offered at connect; a crawler that agrees gets the variables
    at once.
    """

    code = mssp.MSSP
    name = "mssp"
    offer = "will"

    def accept_local(self, client: TelnetClient) -> bool:
        return True

    def local_enabled(self, client: TelnetClient) -> None:
        client.send_subnegotiation(self.code, mssp.encode(client.mssp()))


class Mccp2Option(OptionHandler):
    """
    MCCP2 (86): offered at connect. Compression starts when the client
    agrees to our offer (an unasked C{DO} is refused, so the marker can
    always follow our C{WILL}), ends when it withdraws, and is finished
    cleanly when the connection is closed from our side.
    """

    code = mccp.MCCP2
    name = "mccp2"
    offer = "will"

    def accept_local(self, client: TelnetClient) -> bool:
        return False  # only as the answer to our own WILL

    def local_enabled(self, client: TelnetClient) -> None:
        client.start_compression()

    def local_disabled(self, client: TelnetClient) -> None:
        client.finish_compression()


class EorOption(OptionHandler):
    """
    EOR (25): offered at connect; when agreed, prompts end with C{IAC EOR}.
    """

    code = EOR_OPTION
    name = "eor"
    offer = "will"

    def accept_local(self, client: TelnetClient) -> bool:
        return True


class CharsetOption(OptionHandler):
    """
    CHARSET (42, RFC 2066): offered at connect; when agreed, the server asks
    for UTF-8 (then ISO-8859-1, US-ASCII); a client's own request is
    answered too.
    """

    code = CHARSET
    name = "charset"
    offer = "will"

    def accept_local(self, client: TelnetClient) -> bool:
        return True

    def accept_remote(self, client: TelnetClient) -> bool:
        return True

    def local_enabled(self, client: TelnetClient) -> None:
        state = charset_state(client)
        if not state.agreed and not state.pending:
            client.send_subnegotiation(self.code, state.request())

    def subnegotiation(self, client: TelnetClient, data: bytes) -> None:
        state = charset_state(client)
        reply = state.received(data)
        if reply is not None:
            client.send_subnegotiation(self.code, reply)
        client.encoding_changed()


class MttsOption(TerminalTypeOption):
    """
    TTYPE with cycling: ask up to three times, stop on a repeat, and read
    the client's name, terminal type and MTTS abilities.
    """

    def request(self, client: TelnetClient) -> None:
        ttype_state(client).asked()
        super().request(client)

    def subnegotiation(self, client: TelnetClient, data: bytes) -> None:
        cycle = ttype_state(client)
        again = cycle.received(data)
        terminal = cycle.terminal
        changes: dict[str, Any] = {
            "terminal": terminal.terminal or terminal.client,
            "colours": terminal.colours,
            "screen_reader": terminal.screen_reader,
        }
        client.update_client(**changes)
        client.encoding_changed()
        if again:
            self.request(client)


#: The options every Tessera telnet connection negotiates, in offer order.
def mud_options() -> tuple[OptionHandler, ...]:
    """
    The MUD protocol handlers, in the order they are offered.
    """
    return (GmcpOption(), MsspOption(), Mccp2Option(), EorOption(), CharsetOption())


def mud_client_options() -> tuple[OptionHandler, ...]:
    """
    Everything a Tessera telnet connection negotiates by default: plain
    telnet's options with TTYPE cycling (MTTS), then GMCP, MSSP, MCCP2, EOR
    and CHARSET.
    """
    return (EchoOption(), SuppressGoAheadOption(), WindowSizeOption(), MttsOption(),
            *mud_options())
