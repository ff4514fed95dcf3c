"""
Hostile clients of the TLS, SSH and web ports: issue 13's attack classes
over real sockets, run like L{tests.fuzz.attacks} in a process of their own::

    python -m tests.fuzz.listeners tls PORT --seconds 30 --connections 4 [--classes ...]
    python -m tests.fuzz.listeners ssh PORT --account mallory:password ...
    python -m tests.fuzz.listeners web PORT ...

The slots, source addresses, connections and the JSON report are those of
L{tests.fuzz.attacks}; so are the telnet attack classes, thrown again inside
TLS. The SSH classes that need a logged-in client (requests that must be
refused, floods inside a shell) use paramiko, a real SSH client, logged in
as C{--account}.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import ssl
import struct
import sys
import threading
import time
from collections.abc import Callable

from tests.fuzz import attacks
from tests.fuzz.attacks import Addresses, Attack, Hostile, Tally, pour

#: A ClientHello's first bytes: a TLS record of a handshake message.
CLIENT_HELLO_START = b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"


# -- connecting -----------------------------------------------------------------------


async def tcp(port: int, source: str, reads: bool) -> Hostile:
    """
    A plain TCP connection (L{attacks.connect}).
    """
    return await attacks.connect(port, source, reads=reads)


def _tls_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the test server's self-signed certificate
    return context


async def tls(port: int, source: str, reads: bool) -> Hostile:
    """
    A TLS connection, its handshake done (L{attacks.connect}).
    """
    return await attacks.connect(port, source, reads=reads, tls=_tls_context())


# -- websocket frames --------------------------------------------------------------------


def upgrade(port: int) -> bytes:
    """
    A browser's request to open the websocket.
    """
    return (f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            f"Origin: http://127.0.0.1:{port}\r\nSec-WebSocket-Version: 13\r\n\r\n"
            ).encode("ascii")


def frame(opcode: int, payload: bytes, fin: bool = True, length: int | None = None) -> bytes:
    """
    A masked websocket frame (a client's), claiming C{length} bytes of
    payload if given (a lie, when it is not C{len(payload)}).
    """
    size = len(payload) if length is None else length
    head = bytes(((0x80 if fin else 0) | opcode,))
    if size < 126:
        head += bytes((0x80 | size,))
    elif size < 1 << 16:
        head += bytes((0x80 | 126,)) + struct.pack(">H", size)
    else:
        head += bytes((0x80 | 127,)) + struct.pack(">Q", size)
    mask = b"\x01\x02\x03\x04"
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def say(text: str) -> bytes:
    """
    A text frame the page would send for typed C{text}.
    """
    return frame(1, json.dumps({"type": "input", "text": text}).encode("utf-8"))


# -- TLS ---------------------------------------------------------------------------------


async def tls_stall(conn: Hostile, rng: random.Random, deadline: float) -> None:
    """
    The start of a ClientHello, then a byte now and then: a handshake that
    never ends.
    """
    loop = asyncio.get_running_loop()
    if not await conn.send(CLIENT_HELLO_START):
        return
    while conn.open and loop.time() < deadline:
        await asyncio.sleep(rng.uniform(0.5, 1.5))
        if not await conn.send(bytes((rng.randrange(256),))):
            return


# -- SSH ---------------------------------------------------------------------------------


async def ssh_banner(conn: Hostile, rng: random.Random, deadline: float) -> None:
    """
    A version line that never ends, or lines before it without end.
    """
    if rng.random() < 0.5:
        if not await conn.send(b"SSH-2.0-"):
            return
        await pour(conn, deadline, lambda: b"x" * 4096)
    else:
        await pour(conn, deadline, lambda: b"not yet a version line\r\n" * 100)


async def ssh_kex(conn: Hostile, rng: random.Random, deadline: float) -> None:
    """
    A good version line, then packets that are no key exchange: random
    lengths, paddings and message numbers, or a KEXINIT full of junk.
    """
    if not await conn.send(b"SSH-2.0-fuzz\r\n"):
        return

    def packet() -> bytes:
        body = bytes((rng.choice((20, 21, 30, 31, 1, 2, 50, 90, 255)),)) + rng.randbytes(
            rng.randrange(0, 600))
        padding = rng.randrange(4, 20)
        length = len(body) + padding + 1 if rng.random() < 0.7 else rng.randrange(1 << 32)
        return struct.pack(">IB", length, padding) + body + b"\0" * padding

    await pour(conn, deadline, packet)


async def ssh_stall(conn: Hostile, rng: random.Random, deadline: float) -> None:
    """
    A version line and the start of a key exchange, then silence.
    """
    loop = asyncio.get_running_loop()
    if not await conn.send(b"SSH-2.0-stall\r\n\x00\x00\x01"):
        return
    while conn.open and loop.time() < deadline:
        await asyncio.sleep(0.5)


# -- web ---------------------------------------------------------------------------------


async def web_head(conn: Hostile, rng: random.Random, deadline: float) -> None:
    """
    An HTTP request whose request line or one header never ends.
    """
    start = b"GET /" if rng.random() < 0.5 else b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Pad: "
    if not await conn.send(start):
        return
    await pour(conn, deadline, lambda: b"a" * 4096)


async def web_headers(conn: Hostile, rng: random.Random, deadline: float) -> None:
    """
    A request with headers without end, each of them short.
    """
    if not await conn.send(b"GET / HTTP/1.1\r\nHost: localhost\r\n"):
        return
    await pour(conn, deadline, lambda: b"".join(b"X-%d: y\r\n" % rng.randrange(10**6)
                                                for _ in range(100)))


async def web_slowloris(conn: Hostile, rng: random.Random, deadline: float) -> None:
    """
    A request's head a byte at a time, slowly, never finished.
    """
    loop = asyncio.get_running_loop()
    head = b"GET / HTTP/1.1\r\nHost: localhost\r\n" + b"X-Slow: " + b"z" * 10000
    at = 0
    while conn.open and loop.time() < deadline:
        if not await conn.send(head[at:at + 1]):
            return
        at += 1
        await asyncio.sleep(rng.uniform(0.5, 1.5))


def _opened(port: int, attack: Callable[[Hostile, random.Random, float], object]) -> Attack:
    # An attack that first opens the websocket.
    async def opened(conn: Hostile, rng: random.Random, deadline: float) -> None:
        if await conn.send(upgrade(port)):
            await attack(conn, rng, deadline)  # type: ignore[misc]
    opened.__doc__ = attack.__doc__
    return opened


async def ws_frames(conn: Hostile, rng: random.Random, deadline: float) -> None:
    """
    Malformed frames: random bytes, reserved bits and opcodes, unmasked
    frames, control frames too long or fragmented, bad UTF-8.
    """
    def bad() -> bytes:
        kind = rng.randrange(6)
        if kind == 0:
            return rng.randbytes(rng.randrange(1, 2000))
        if kind == 1:
            return bytes((0xF0 | rng.randrange(16), 0x80 | 4)) + b"mask" + b"abcd"
        if kind == 2:
            return bytes((0x81, 5)) + b"hello"  # not masked
        if kind == 3:
            return frame(9, b"p" * 200)  # a ping over 125 bytes
        if kind == 4:
            return frame(9, b"ping", fin=False)
        return frame(1, b"\xed\xa0\x80\xff" * 10)

    await pour(conn, deadline, bad)


async def ws_fragments(conn: Hostile, rng: random.Random, deadline: float) -> None:
    """
    One text message in fragments that never end.
    """
    if not await conn.send(frame(1, b'{"type": "input", "text": "', fin=False)):
        return
    piece = b"".join(frame(0, b"x" * 100, fin=False) for _ in range(40))
    await pour(conn, deadline, lambda: piece)


async def ws_pings(conn: Hostile, rng: random.Random, deadline: float) -> None:
    """
    Pings as fast as the server reads them; the pongs are never read.
    """
    block = frame(9, b"x" * 125) * 100
    await pour(conn, deadline, lambda: block)


async def ws_huge(conn: Hostile, rng: random.Random, deadline: float) -> None:
    """
    One text frame that claims a terabyte, and its bytes.
    """
    if not await conn.send(frame(1, b"", length=1 << 40)):
        return
    block = rng.randbytes(16384)
    await pour(conn, deadline, lambda: block)


async def ws_no_read(conn: Hostile, rng: random.Random, deadline: float) -> None:
    """
    Asks for long answers (help) and never reads them.
    """
    block = say("help\nhelp building\nhelp") * 50
    await pour(conn, deadline, lambda: block)


async def ws_tab(conn: Hostile, rng: random.Random, deadline: float) -> None:
    """
    One of many tabs from one address: opens the websocket and sits there,
    now and then typing C{who}.
    """
    loop = asyncio.get_running_loop()
    while conn.open and loop.time() < deadline:
        if not await conn.send(say("who")):
            return
        await asyncio.sleep(rng.uniform(0.5, 1.5))


# -- SSH with a real client (paramiko, in threads) --------------------------------------------


def _paramiko_connect(port: int, source: str, name: str, password: str, timeout: float) -> object:
    import paramiko  # imported here: the TLS and web attacks never need it

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    sock.bind((source, 0))
    sock.connect(("127.0.0.1", port))
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())  # noqa: S507 (a test server)
    try:
        client.connect("127.0.0.1", port=port, username=name, password=password, sock=sock,
                       timeout=timeout, banner_timeout=timeout, auth_timeout=timeout,
                       allow_agent=False, look_for_keys=False)
    except BaseException:
        client.close()
        sock.close()
        raise
    return client


def guesses(port: int, source: str, account: str, deadline: float, record: dict) -> None:
    """
    Wrong passwords for C{account} from C{source}, one connection after
    another, until C{deadline} (monotonic).
    """
    import paramiko  # see _paramiko_connect

    while time.monotonic() < deadline:
        record["connections"] += 1
        try:
            client = _paramiko_connect(port, source, account, f"guess {random.random()}", 8)
        except paramiko.AuthenticationException:
            record["dropped"] += 1
            continue
        except (OSError, paramiko.SSHException, EOFError):
            record["refused"] += 1
            time.sleep(0.2)
            continue
        client.close()  # type: ignore[attr-defined]


def requests(port: int, source: str, account: str, password: str, deadline: float,
             record: dict, rng: random.Random) -> None:
    """
    Log in, then ask for what must be refused (exec, subsystems, port
    forwarding both ways, agent forwarding, environment and pty floods,
    many channels), then flood the shell and never read; until the server
    drops the connection or C{deadline}.
    """
    import paramiko  # see _paramiko_connect

    record["connections"] += 1
    try:
        client = _paramiko_connect(port, source, account, password, 20)
    except (OSError, paramiko.SSHException, EOFError):
        record["refused"] += 1
        return
    transport = client.get_transport()  # type: ignore[attr-defined]

    def channels() -> None:
        for _ in range(rng.randrange(20, 200)):
            transport.open_session(timeout=5)

    def pty_env() -> None:
        channel = transport.open_session(timeout=5)
        for n in range(300):
            channel.set_environment_variable(f"V{n}", "x" * 1000)
            channel.get_pty(term="xterm" * 10, width=n, height=n)

    def agent() -> None:
        paramiko.agent.AgentRequestHandler(transport.open_session(timeout=5))

    def flood() -> None:
        shell = transport.open_session(timeout=5)
        shell.get_pty()
        shell.invoke_shell()
        block = b"help\r" * 200 + b"x" * 8192
        while time.monotonic() < deadline and transport.is_active():
            shell.sendall(block)  # never read what comes back

    asks: list[Callable[[], object]] = [
        lambda: transport.open_session().exec_command("look"),
        lambda: transport.open_session().invoke_subsystem("sftp"),
        lambda: transport.request_port_forward("127.0.0.1", 0),
        lambda: transport.open_channel("direct-tcpip", ("127.0.0.1", 22), ("127.0.0.1", 5000),
                                       timeout=5),
        lambda: transport.open_channel("x11", src_addr=("127.0.0.1", 5000), timeout=5),
        lambda: transport.global_request("no-more-sessions@openssh.com", wait=True),
        channels, pty_env, agent,
    ]
    # Refused requests close some connections: each tries them in its own order.
    rng.shuffle(asks)
    try:
        for ask in [*asks, flood]:
            if not transport.is_active():
                break
            try:
                ask()
            except (paramiko.SSHException, EOFError, OSError):
                pass
    except (paramiko.SSHException, EOFError, OSError):
        pass
    finally:
        if not transport.is_active():
            record["dropped"] += 1
        client.close()  # type: ignore[attr-defined]


def logged_in(port: int, account: str, password: str, deadline: float, record: dict,
              rng: random.Random) -> None:
    """
    L{requests} again and again until C{deadline}, each login from an
    address of its own (127.0.1.x: the per-address connection rate is not
    what is tested here).
    """
    number = 0
    while time.monotonic() < deadline:
        number = number % 254 + 1
        requests(port, f"127.0.1.{number}", account, password, deadline, record, rng)


# -- the classes -----------------------------------------------------------------------------

Connect = Callable[[int, str, bool], object]


def classes(kind: str, port: int) -> dict[str, tuple[Attack, bool, int, Connect]]:
    """
    Every attack class of the listener C{kind} by name: what it does,
    whether the client reads, how many connections one slot opens at once,
    and how it connects.
    """
    if kind == "tls":
        found: dict[str, tuple[Attack, bool, int, Connect]] = {
            "garbage": (attacks.random_bytes, False, 1, tcp),
            "stall": (tls_stall, True, 20, tcp),
        }
        for name, (attack, reads, count) in attacks.ATTACKS.items():
            found["tls-" + name] = (attack, reads, count, tls)
        return found
    if kind == "ssh":
        return {
            "garbage": (attacks.random_bytes, False, 1, tcp),
            "banner": (ssh_banner, False, 1, tcp),
            "kex": (ssh_kex, False, 1, tcp),
            "stall": (ssh_stall, True, 20, tcp),
        }
    if kind == "web":
        return {
            "garbage": (attacks.random_bytes, False, 1, tcp),
            "head": (web_head, False, 1, tcp),
            "headers": (web_headers, False, 1, tcp),
            "slowloris": (web_slowloris, True, 20, tcp),
            "frames": (_opened(port, ws_frames), False, 1, tcp),
            "fragments": (_opened(port, ws_fragments), False, 1, tcp),
            "pings": (_opened(port, ws_pings), False, 1, tcp),
            "huge": (_opened(port, ws_huge), False, 1, tcp),
            "no-read": (_opened(port, ws_no_read), False, 1, tcp),
            "tabs": (_opened(port, ws_tab), True, 40, tcp),
        }
    raise ValueError(kind)


#: The SSH classes run by paramiko in threads (not asyncio slots).
SSH_CLIENT_CLASSES = ("guesses", "requests")


async def attack(kind: str, port: int, seconds: float, connections: int, names: list[str],
                 seed: int, account: str | None) -> Tally:
    """
    Run C{connections} slots of attacks on the C{kind} listener at C{port}
    for C{seconds}; return what they did.
    """
    loop = asyncio.get_running_loop()
    until = loop.time() + seconds
    addresses = Addresses(first=100)
    tally = Tally()
    rng = random.Random(seed)
    specs = classes(kind, port)
    slotted = [name for name in names if name in specs]
    threaded = [name for name in names if name not in specs]
    stop = time.monotonic() + seconds
    workers = []
    for name in threaded:
        assert account is not None, "the SSH client classes need --account"
        user, password = account.split(":", 1)
        record = tally.classes.setdefault(name, {"connections": 0, "dropped": 0, "sent": 0,
                                                 "refused": 0})
        if name == "guesses":
            work: Callable[..., None] = guesses
            arguments: tuple = (port, addresses.take(), user, stop, record)
        else:
            work = logged_in
            arguments = (port, user, password, stop, record, random.Random(rng.random()))
        workers.append(threading.Thread(target=work, args=arguments, daemon=True))
    for worker in workers:
        worker.start()

    async def slot(number: int) -> None:
        turn = number
        while loop.time() < until and slotted:
            name = slotted[turn % len(slotted)]
            turn += 1
            await attacks.run_one(name, port, addresses, random.Random(rng.random()), until,
                                  tally, spec=specs[name], same_source=name == "tabs")

    await asyncio.gather(*(slot(n) for n in range(connections)))
    for worker in workers:
        await asyncio.to_thread(worker.join, 60)
    return tally


def every_class(kind: str) -> list[str]:
    """
    The names of every attack class of the listener C{kind}.
    """
    names = list(classes(kind, 0))
    return names + list(SSH_CLIENT_CLASSES) if kind == "ssh" else names


def main(argv: list[str] | None = None) -> int:
    """
    The command line (see the module docstring).
    """
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=("tls", "ssh", "web"))
    parser.add_argument("port", type=int)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--classes", default="")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--account", default=None)
    options = parser.parse_args(argv)
    names = options.classes.split(",") if options.classes else every_class(options.kind)
    unknown = set(names) - set(every_class(options.kind))
    if unknown:
        parser.error(f"unknown attack classes: {', '.join(sorted(unknown))}")
    started = time.monotonic()
    tally = asyncio.run(attack(options.kind, options.port, options.seconds, options.connections,
                               names, options.seed, options.account))
    json.dump({"seconds": round(time.monotonic() - started, 2), "classes": tally.classes},
              sys.stdout)
    sys.stdout.write("\n")
    sys.stdout.flush()
    os._exit(0)  # paramiko's threads may still be winding down


if __name__ == "__main__":
    sys.exit(main())
