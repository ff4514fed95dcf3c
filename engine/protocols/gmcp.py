# -*- test-case-name: tests.protocols.test_units -*-
"""
GMCP (telnet option 201): JSON messages out of band.

A message is a dotted package name, optionally a space and a JSON value::

    IAC SB GMCP "Room.Info {\\"num\\": 12, ...}" IAC SE

The client says hello (C{Core.Hello}) and names the packages it wants
(C{Core.Supports.Set ["Char 1", "Room 1"]}); the server sends a package only
to a client that enabled GMCP and asked for that package or a parent of it.

Everything here is sans-IO: L{decode} and L{encode} turn payloads into values
and back, L{GmcpState} keeps one session's view of the client.
"""

from __future__ import annotations

import json
import re
from typing import Any

from attrs import define, field

from engine.colour import plain

#: The telnet option byte.
GMCP = bytes([201])
#: The longest payload accepted from a client, in bytes.
MAX_PAYLOAD = 4096
#: The most modules one client may enable.
MAX_MODULES = 64
#: The longest module or package name.
MAX_NAME = 64

_PACKAGE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*\Z")

#: Marks "no JSON body" (distinct from a JSON C{null}).
NO_DATA: Any = object()


class GmcpError(ValueError):
    """
    A client sent a GMCP message that is not well formed or too big.
    """


def _reject_constant(name: str) -> Any:
    raise GmcpError(f"{name} is not JSON")


def decode(payload: bytes) -> tuple[str, Any]:
    """
    Parse one message from a client.

    @return: the package name and the decoded JSON body, or L{NO_DATA}.
    @raise GmcpError: the payload is too long, not UTF-8, has a bad package
        name, or a body that is not strict JSON (NaN and Infinity are refused)
        or nests too deeply.
    """
    if len(payload) > MAX_PAYLOAD:
        raise GmcpError(f"message longer than {MAX_PAYLOAD} bytes")
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        raise GmcpError("message is not UTF-8") from None
    package, _, body = text.strip().partition(" ")
    if len(package) > MAX_NAME or not _PACKAGE.match(package):
        raise GmcpError(f"bad package name {package[:MAX_NAME]!r}")
    body = body.strip()
    if not body:
        return package, NO_DATA
    try:
        return package, json.loads(body, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as e:
        if isinstance(e, GmcpError):
            raise
        raise GmcpError(f"{package}: body is not JSON") from None


def _clean(value: Any) -> Any:
    """
    C{value} with every string made plain: no control characters, no markup.
    """
    if isinstance(value, str):
        return plain(value)
    if isinstance(value, dict):
        return {plain(str(k)): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def encode(package: str, data: Any = NO_DATA) -> bytes:
    """
    The payload of one message to a client. Strings in C{data} are made
    plain (see L{engine.colour.plain}), so nothing sent out of band can carry
    a terminal escape either.

    @raise ValueError: C{package} is not a dotted name.
    """
    if not _PACKAGE.match(package):
        raise ValueError(f"bad package name {package!r}")
    if data is NO_DATA:
        return package.encode("utf-8")
    body = json.dumps(_clean(data), ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False)
    return f"{package} {body}".encode()


class Prepared:
    """
    One message for every client that wants it (the GMCP messages of an
    event a room full of players perceives): its payload is encoded
    (L{encode}) the first time a client asks for it, and every other client
    is sent the same bytes. A message that cannot be encoded stays so:
    every later client is refused it the same way, whatever its data
    became meanwhile.
    """

    def __init__(self, package: str, data: Any = NO_DATA) -> None:
        self.package = package
        self.data = data
        self._payload: bytes | None = None
        self._failure: TypeError | ValueError | None = None

    def payload(self) -> bytes:
        """
        The message's payload, encoded once.

        @raise ValueError: as L{encode} (and C{TypeError}: data that is not
            JSON), the first time and at every call after it.
        """
        if self._failure is not None:
            raise type(self._failure)(*self._failure.args)
        if self._payload is None:
            try:
                self._payload = encode(self.package, self.data)
            except (TypeError, ValueError) as e:
                self._failure = e
                raise
        return self._payload


def _module(item: Any) -> tuple[str, int] | None:
    """
    C{"Char.Vitals 1"} → C{("char.vitals", 1)}; None for anything malformed.
    """
    if not isinstance(item, str):
        return None
    name, _, version = item.strip().partition(" ")
    if len(name) > MAX_NAME or not _PACKAGE.match(name):
        return None
    version = version.strip() or "1"
    if not version.isdigit() or len(version) > 3:
        return None
    return name.lower(), int(version)


@define
class GmcpState:
    """
    What one session knows about its client's GMCP.

    @ivar enabled: the client agreed to GMCP (it answered our C{WILL} with
        C{DO}).
    @ivar client: the client's name from C{Core.Hello}, if it sent one.
    @ivar version: the client's version from C{Core.Hello}.
    @ivar modules: enabled modules, lower-cased, with their versions.
    """

    enabled: bool = False
    client: str | None = None
    version: str | None = None
    modules: dict[str, int] = field(factory=dict)

    def wants(self, package: str) -> bool:
        """
        Whether a message in C{package} may be sent: GMCP is on, and the
        client enabled the package or a parent of it (C{Room} covers
        C{Room.Info}). C{Core} messages need only GMCP.
        """
        if not self.enabled:
            return False
        parts = package.lower().split(".")
        if parts[0] == "core":
            return True
        return any(".".join(parts[:n]) in self.modules for n in range(1, len(parts) + 1))

    def receive(self, package: str, data: Any) -> list[tuple[str, Any]]:
        """
        Handle a C{Core} message from the client.

        @return: the messages to send back (C{Core.Ping} is answered with
            C{Core.Ping}); empty for everything else. Messages outside
            C{Core} are not handled here (the caller passes them on) and
            return an empty list.
        """
        key = package.lower()
        if key == "core.hello" and isinstance(data, dict):
            client, version = data.get("client"), data.get("version")
            self.client = plain(client)[:MAX_NAME] if isinstance(client, str) else None
            self.version = plain(version)[:MAX_NAME] if isinstance(version, str) else None
        elif key in ("core.supports.set", "core.supports.add") and isinstance(data, list):
            if key.endswith(".set"):
                self.modules.clear()
            for item in data:
                parsed = _module(item)
                if parsed is not None and (parsed[0] in self.modules
                                           or len(self.modules) < MAX_MODULES):
                    self.modules[parsed[0]] = parsed[1]
        elif key == "core.supports.remove" and isinstance(data, list):
            for item in data:
                parsed = _module(item)
                if parsed is not None:
                    self.modules.pop(parsed[0], None)
        elif key == "core.ping":
            return [("Core.Ping", NO_DATA)]
        return []
