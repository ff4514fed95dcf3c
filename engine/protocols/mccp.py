# -*- test-case-name: tests.protocols.test_units -*-
"""
MCCP2 (telnet option 86): zlib compression of everything the server sends.

Once the client answers C{IAC WILL MCCP2} with C{IAC DO MCCP2}, the server
writes C{IAC SB MCCP2 IAC SE} and from the next byte on the stream is one
zlib stream, flushed after every write (C{Z_SYNC_FLUSH}) so the client can
show each message at once. It ends with C{Z_FINISH} -- when the client
withdraws (C{IAC DONT MCCP2}) or the connection closes -- after which bytes
are plain again.

The telnet connection (L{engine.protocols.telnet}) passes everything it
writes through L{Compressor.compress}, and counts the compressed bytes
against its output limit.
"""

from __future__ import annotations

import zlib

from engine.protocols.telnetcodec import IAC, SB, SE

#: The telnet option byte.
MCCP2 = bytes([86])
#: The uncompressed marker after which compression starts.
START = IAC + SB + MCCP2 + IAC + SE


class Compressor:
    """
    One connection's outgoing compression: off until L{start}, then on until
    L{finish}.
    """

    def __init__(self, level: int = 6) -> None:
        self.level = level
        self._zlib: zlib._Compress | None = None

    @property
    def active(self) -> bool:
        """
        Whether output is being compressed.
        """
        return self._zlib is not None

    def start(self) -> bytes:
        """
        Begin compressing.

        @return: the marker to write (uncompressed) just before the first
            compressed byte; empty if compression is already on.
        """
        if self._zlib is not None:
            return b""
        self._zlib = zlib.compressobj(self.level)
        return START

    def compress(self, data: bytes) -> bytes:
        """
        The bytes to put on the wire for C{data}: compressed and flushed when
        active, C{data} itself otherwise.
        """
        if self._zlib is None:
            return data
        return self._zlib.compress(data) + self._zlib.flush(zlib.Z_SYNC_FLUSH)

    def finish(self) -> bytes:
        """
        End the compressed stream.

        @return: the final compressed bytes (C{Z_FINISH}); empty if
            compression was not on. Later output is uncompressed.
        """
        if self._zlib is None:
            return b""
        tail = self._zlib.flush(zlib.Z_FINISH)
        self._zlib = None
        return tail
