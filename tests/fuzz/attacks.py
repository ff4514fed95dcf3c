"""
Hostile telnet clients: every attack class of issue 14, over real sockets.

Run as a process of its own, so that its work shares neither a process nor a
lock with the server under attack or with the player whose round trips are
measured::

    python -m tests.fuzz.attacks PORT --seconds 30 --connections 4 [--classes random,nul]

C{--connections} slots each run one attack at a time, one class after the
other (each slot starting at a different class), reconnecting whenever the
server drops them, until C{--seconds} are over. Each connection comes from
its own loopback address (127.0.0.2 to 127.0.0.254 in turn), as a botnet's
would, so that the per-address connection rate is not what stops them.
When done, one JSON line on stdout says, per class, how many connections
were opened, how many the server dropped and how many bytes were sent.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import socket
import ssl
import struct
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

IAC, SB, SE = 255, 250, 240
WILL, WONT, DO, DONT = 251, 252, 253, 254
VERBS = (WILL, WONT, DO, DONT)
#: Options a MUD server knows (echo, SGA, TTYPE, NAWS, EOR, CHARSET, MSSP,
#: MCCP2, GMCP) and some it does not.
OPTIONS = (1, 3, 24, 31, 25, 42, 70, 86, 201, 0, 5, 6, 7, 9, 32, 33, 34, 39, 200, 254)

#: Seconds one attack connection lasts at most before the slot moves on.
ATTACK_SECONDS = 8.0


class Hostile(asyncio.Protocol):
    """
    One attacking connection: writes as fast as the server takes them and
    reads only if told to.

    @ivar dropped: the server closed the connection (not us).
    @ivar sent: bytes handed to the socket.
    @ivar received: bytes read (if reading).
    """

    def __init__(self, reads: bool) -> None:
        self.reads = reads
        self.transport: Any = None
        self.closed = asyncio.get_running_loop().create_future()
        self.writable = asyncio.Event()
        self.writable.set()
        self.dropped = False
        self.sent = 0
        self.received = 0
        self._closing = False

    def connection_made(self, transport: Any) -> None:
        self.transport = transport
        # Stop writing when 64 KiB wait on our side: we flood, not hoard.
        transport.set_write_buffer_limits(high=64 * 1024)
        if not self.reads:
            transport.pause_reading()

    def data_received(self, data: bytes) -> None:
        self.received += len(data)

    def pause_writing(self) -> None:
        self.writable.clear()

    def resume_writing(self) -> None:
        self.writable.set()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self._closing:
            self.dropped = True
        self.writable.set()
        if not self.closed.done():
            self.closed.set_result(None)

    @property
    def open(self) -> bool:
        """
        Whether the connection is still up.
        """
        return not self.closed.done()

    async def send(self, data: bytes) -> bool:
        """
        Write C{data} once the transport has room; False if the connection
        is gone.
        """
        await self.writable.wait()
        if not self.open:
            return False
        self.transport.write(data)
        self.sent += len(data)
        return True

    def close(self) -> None:
        """
        Hang up (abruptly: what we sent and it did not read is thrown away).
        """
        self._closing = True
        if self.transport is not None:
            sock = self.transport.get_extra_info("socket")
            if sock is not None:
                # A reset, not a FIN: the server learns at once that what it
                # has not read yet will never matter.
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.transport.abort()


class Addresses:
    """
    Loopback source addresses, one after another.
    """

    def __init__(self, first: int = 2) -> None:
        self.next = first

    def take(self) -> str:
        """
        The next address.
        """
        address = f"127.0.0.{self.next}"
        self.next = 2 if self.next >= 254 else self.next + 1
        return address


async def connect(port: int, source: str, *, reads: bool,
                  tls: ssl.SSLContext | None = None) -> Hostile:
    """
    A L{Hostile} connection from C{source} to the server on C{port}, with
    small buffers (what a client that does not read leaves the server to
    hold shows up at once); inside TLS with C{tls}, its handshake done.
    """
    loop = asyncio.get_running_loop()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    # A small send buffer too: what the server has not read waits here, not
    # in megabytes of kernel buffers that cost this process (and the
    # machine) to fill for every connection.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 16384)
    sock.setblocking(False)
    sock.bind((source, 0))
    try:
        await loop.sock_connect(sock, ("127.0.0.1", port))
        _transport, protocol = await loop.create_connection(
            lambda: Hostile(reads), sock=sock, ssl=tls,
            server_hostname="localhost" if tls is not None else None)
    except OSError:  # ssl.SSLError among them
        sock.close()
        raise
    return protocol


async def pour(conn: Hostile, deadline: float, chunk: Callable[[], bytes]) -> None:
    """
    Send C{chunk()} after C{chunk()} until the server drops C{conn} or
    C{deadline} passes.
    """
    loop = asyncio.get_running_loop()
    while conn.open and loop.time() < deadline:
        sent = conn.send(chunk())
        try:
            if not await asyncio.wait_for(sent, max(0.01, deadline - loop.time())):
                return
        except TimeoutError:
            return


def random_blocks(rng: random.Random, count: int = 64, size: int = 4096) -> list[bytes]:
    """
    C{count} blocks of C{size} random bytes, made once (so that sending
    them costs us little).
    """
    return [rng.randbytes(size) for _ in range(count)]


async def random_bytes(conn: Hostile, rng: random.Random, deadline: float) -> None:
    """
    Random bytes, as fast as the server reads them.
    """
    blocks = random_blocks(rng)
    await pour(conn, deadline, lambda: rng.choice(blocks))


def malformed_iac_block(rng: random.Random) -> bytes:
    """
    Text cut by broken telnet commands: IAC and a byte that is no command,
    IAC SE with no SB, an empty IAC SB IAC SE, IAC SB and IAC inside,
    negotiations cut after their verb, odd runs of IAC, and an IAC last.
    """
    out = bytearray()
    while len(out) < 4000:
        kind = rng.randrange(9)
        if kind == 0:
            out += bytes((IAC, rng.randrange(0, 239)))
        elif kind == 1:
            out += bytes((IAC, SE))
        elif kind == 2:
            out += bytes((IAC, SB, IAC, SE))
        elif kind == 3:
            out += bytes((IAC, SB, rng.choice(OPTIONS), IAC, rng.randrange(256), IAC, SE))
        elif kind == 4:
            out += bytes((IAC, rng.choice(VERBS)))
        elif kind == 5:
            out += bytes((IAC,)) * rng.choice((1, 3, 5, 7))
        elif kind == 6:
            out += b"look\r" + bytes((IAC,))
        elif kind == 7:
            out += bytes((IAC, rng.choice(VERBS), IAC, IAC))
        else:
            out += rng.choice((b"\r\n", b"\r\0", b"\r", b"\n", b"x" * 40))
    out.append(IAC)  # the block ends in the middle of a command
    return bytes(out)


async def malformed_iac(conn: Hostile, rng: random.Random, deadline: float) -> None:
    """
    Truncated and malformed telnet commands, as fast as the server reads
    them.
    """
    blocks = [malformed_iac_block(rng) for _ in range(32)]
    await pour(conn, deadline, lambda: rng.choice(blocks))


async def endless_subnegotiation(conn: Hostile, rng: random.Random, deadline: float) -> None:
    """
    A subnegotiation that never ends: C{IAC SB} an option, then payload
    (some of it escaped C{IAC IAC}) for ever.
    """
    option = rng.choice(OPTIONS)
    if not await conn.send(bytes((IAC, SB, option))):
        return
    filler = bytes(b for b in rng.randbytes(4096) if b != IAC) + bytes((IAC, IAC))
    await pour(conn, deadline, lambda: filler)


async def nul_flood(conn: Hostile, rng: random.Random, deadline: float) -> None:
    """
    NUL bytes without end (no line ending ever comes).
    """
    block = b"\0" * 16384
    await pour(conn, deadline, lambda: block)


async def invalid_utf8(conn: Hostile, rng: random.Random, deadline: float) -> None:
    """
    Lines of bytes that are not UTF-8 (lone continuation bytes, cut
    sequences, overlongs, surrogates), each ended with CR LF.
    """
    bad = (b"\x80", b"\xbf", b"\xc0\xaf", b"\xe0\x80", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
           b"\xf8\x88\x80\x80\x80", b"\xfe", b"\xc3", b"\xe2\x82")
    blocks = [b"".join(b"".join(rng.choice(bad) for _ in range(rng.randrange(1, 40))) + b"\r\n"
                       for _ in range(100)) for _ in range(16)]
    await pour(conn, deadline, lambda: rng.choice(blocks))


async def option_toggles(conn: Hostile, rng: random.Random, deadline: float) -> None:
    """
    An option-toggle storm: WILL, DO, WONT, DONT for option after option,
    never reading what the server answers (issue 15's attack).
    """
    block = bytes(b for _ in range(50) for option in OPTIONS for verb in VERBS
                  for b in (IAC, verb, option))
    await pour(conn, deadline, lambda: block)


async def never_reads(conn: Hostile, rng: random.Random, deadline: float) -> None:
    """
    Asks for long answers (help) and never reads them.
    """
    block = b"help\r\n" * 50 + b"help building\r\n" * 10
    await pour(conn, deadline, lambda: block)


async def slowloris(conn: Hostile, rng: random.Random, deadline: float) -> None:
    """
    One byte at a time, slowly: a line, or a telnet command, that is never
    finished.
    """
    loop = asyncio.get_running_loop()
    drip = [b"c", b"o", b"n", b"n", bytes((IAC,)), bytes((SB,)), bytes((rng.choice(OPTIONS),))]
    while conn.open and loop.time() < deadline:
        if not await conn.send(rng.choice(drip)):
            return
        await asyncio.sleep(rng.uniform(0.5, 1.5))


Attack = Callable[[Hostile, random.Random, float], Awaitable[None]]

#: Every attack class by name: what it does, whether the client reads, how
#: many connections one slot opens at once for it.
ATTACKS: dict[str, tuple[Attack, bool, int]] = {
    "random": (random_bytes, False, 1),
    "iac": (malformed_iac, False, 1),
    "endless-sb": (endless_subnegotiation, True, 1),
    "nul": (nul_flood, True, 1),
    "utf8": (invalid_utf8, False, 1),
    "toggles": (option_toggles, False, 1),
    "no-read": (never_reads, False, 1),
    "slowloris": (slowloris, True, 20),
}


class Tally:
    """
    What the attacks did, per class.
    """

    def __init__(self) -> None:
        self.classes: dict[str, dict[str, int]] = {}

    def add(self, name: str, conn: Hostile | None) -> None:
        """
        Count one connection of class C{name} (None: it could not connect).
        """
        row = self.classes.setdefault(name, {"connections": 0, "dropped": 0, "sent": 0,
                                             "refused": 0})
        if conn is None:
            row["refused"] += 1
            return
        row["connections"] += 1
        row["dropped"] += conn.dropped
        row["sent"] += conn.sent


async def run_one(name: str, port: int, addresses: Addresses, rng: random.Random,
                  until: float, tally: Tally, *, spec: tuple | None = None,
                  same_source: bool = False) -> None:
    """
    One attack of class C{name} (its connections from fresh addresses, or
    all from one if C{same_source}), until the server drops them or
    C{until}. C{spec} is the class's (attack, reads, count, opener) when it
    is not one of L{ATTACKS} (L{tests.fuzz.listeners}); C{opener(port,
    source, reads)} makes its connections.
    """
    attack, reads, count, opener = spec if spec is not None else (*ATTACKS[name], None)
    loop = asyncio.get_running_loop()
    deadline = min(until, loop.time() + ATTACK_SECONDS)
    conns: list[Hostile] = []
    shared = addresses.take() if same_source else None
    for _ in range(count):
        source = shared or addresses.take()
        try:
            conns.append(await (opener(port, source, reads) if opener is not None
                                else connect(port, source, reads=reads)))
        except OSError:
            tally.add(name, None)
    try:
        await asyncio.gather(*(attack(conn, random.Random(rng.random()), deadline)
                               for conn in conns))
        for conn in conns:
            if conn.open:
                await asyncio.sleep(0)  # a last chance to see the server's close
    finally:
        for conn in conns:
            if conn.open:
                conn.close()
            tally.add(name, conn)


async def attack(port: int, seconds: float, connections: int, classes: list[str],
                 seed: int) -> Tally:
    """
    Run C{connections} slots of attacks on the server at C{port} for
    C{seconds}; return what they did.
    """
    loop = asyncio.get_running_loop()
    until = loop.time() + seconds
    addresses = Addresses()
    tally = Tally()
    rng = random.Random(seed)

    async def slot(number: int) -> None:
        turn = number
        while loop.time() < until:
            name = classes[turn % len(classes)]
            turn += 1
            await run_one(name, port, addresses, random.Random(rng.random()), until, tally)

    await asyncio.gather(*(slot(n) for n in range(connections)))
    return tally


def main(argv: list[str] | None = None) -> int:
    """
    The command line (see the module docstring).
    """
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("port", type=int)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--classes", default=",".join(ATTACKS))
    parser.add_argument("--seed", type=int, default=14)
    options = parser.parse_args(argv)
    classes = options.classes.split(",")
    unknown = set(classes) - set(ATTACKS)
    if unknown:
        parser.error(f"unknown attack classes: {', '.join(sorted(unknown))}")
    started = time.monotonic()
    tally = asyncio.run(attack(options.port, options.seconds, options.connections, classes,
                               options.seed))
    json.dump({"seconds": round(time.monotonic() - started, 2), "classes": tally.classes},
              sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
