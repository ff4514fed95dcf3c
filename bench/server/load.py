# -*- test-case-name: tests.bench.test_server_bench -*-
"""
A closed-loop telnet load generator: N clients log in to a MUD server and each
sends one command, waits for its answer, thinks, and sends the next.

It needs nothing but the standard library (asyncio), so it runs under any
Python the orchestrator (L{bench.server}) picks, and it is light: a client
reads its bytes with C{bytes.find}, never byte by byte, and keeps only the
text of the answer it waits for. It reports its own CPU beside the server's,
so a run where it, and not the server, was the bottleneck shows as one.

An answer ends at the server's prompt marker: C{IAC EOR} or C{IAC GA}. The
clients speak telnet as Mudlet does, as far as the servers measured care:
they agree to EOR, refuse go-ahead suppression and every other option, and
name themselves C{MUDLET} in TTYPE (Evennia then marks prompts with GA).

    python -m bench.server.load --port P --names names.txt --clients N \\
        --workloads say,look --duration 10 [--think 0] [--setup "@teleport #{room}"]

prints one JSON object per workload (see L{Stats.report}).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import resource
import socket
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

IAC, DONT, DO, WONT, WILL, SB, GA, SE, EOR_CMD = 255, 254, 253, 252, 251, 250, 249, 240, 239
TTYPE, EOR_OPT = 24, 25
#: What the clients call themselves when asked their terminal type, in turn.
TERMINALS = (b"MUDLET 4.17.2", b"ANSI-TRUECOLOR", b"MTTS 13")

_DATA, _IAC, _OPTION, _SUB, _SUB_IAC = range(5)


class Telnet:
    """
    The client side of telnet, without I/O: L{feed} takes bytes from the
    server and returns what to answer; the text goes to L{text} and each
    prompt marker calls C{on_marker}.

    @ivar text: the text received since L{take_text} was last called.
    """

    def __init__(self, on_marker: Callable[[], None]) -> None:
        self.on_marker = on_marker
        self.text = bytearray()
        self._state = _DATA
        self._verb = 0
        self._sub = bytearray()
        self._agreed: set[tuple[int, int]] = set()
        self._refused: set[tuple[int, int]] = set()
        self._terminal = 0

    def take_text(self) -> bytes:
        """
        The text since the last call, forgotten here.
        """
        text = bytes(self.text)
        self.text.clear()
        return text

    def feed(self, data: bytes) -> bytes:
        """
        Read C{data}; return the negotiation answers to send.
        """
        out = bytearray()
        i, size = 0, len(data)
        while i < size:
            state = self._state
            if state == _DATA:
                j = data.find(b"\xff", i)
                if j < 0:
                    self.text += data[i:]
                    break
                self.text += data[i:j]
                i, self._state = j + 1, _IAC
            elif state == _IAC:
                code = data[i]
                i += 1
                self._state = _DATA
                if code == IAC:
                    self.text.append(IAC)
                elif code in (WILL, WONT, DO, DONT):
                    self._verb, self._state = code, _OPTION
                elif code == SB:
                    self._sub.clear()
                    self._state = _SUB
                elif code in (GA, EOR_CMD):
                    self.on_marker()
            elif state == _OPTION:
                out += self._negotiate(self._verb, data[i])
                i += 1
                self._state = _DATA
            elif state == _SUB:
                j = data.find(b"\xff", i)
                if j < 0:
                    self._sub += data[i:]
                    break
                self._sub += data[i:j]
                i, self._state = j + 1, _SUB_IAC
            else:  # _SUB_IAC
                code = data[i]
                i += 1
                if code == IAC:
                    self._sub.append(IAC)
                    self._state = _SUB
                else:
                    self._state = _DATA
                    out += self._subnegotiation(bytes(self._sub))
        return bytes(out)

    def _negotiate(self, verb: int, option: int) -> bytes:
        if verb == WILL:
            if option == EOR_OPT:
                return self._answer((DO, option), agree=True)
            return self._answer((DONT, option), agree=False)
        if verb == DO:
            if option == TTYPE:
                return self._answer((WILL, option), agree=True)
            return self._answer((WONT, option), agree=False)
        return b""

    def _answer(self, key: tuple[int, int], *, agree: bool) -> bytes:
        said = self._agreed if agree else self._refused
        if key in said:
            return b""  # answered once already: no loops
        said.add(key)
        return bytes([IAC, key[0], key[1]])

    def _subnegotiation(self, payload: bytes) -> bytes:
        if payload[:2] == bytes([TTYPE, 1]):  # TTYPE SEND
            name = TERMINALS[min(self._terminal, len(TERMINALS) - 1)]
            self._terminal += 1
            return bytes([IAC, SB, TTYPE, 0]) + name + bytes([IAC, SE])
        return b""


def percentile(ordered: Sequence[float], fraction: float) -> float:
    """
    The C{fraction} percentile (nearest rank) of the sorted C{ordered}; NaN
    for none.
    """
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


class Stats:
    """
    The round trips of one workload's measured window.
    """

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors = 0
        self.events = 0

    def report(self, seconds: float, extra: dict[str, Any]) -> dict[str, Any]:
        """
        A JSON-ready summary: commands/s, percentiles in milliseconds,
        errors, and C{extra}.
        """
        ordered = sorted(self.latencies)

        def ms(value: float) -> float:
            return round(value * 1000, 2) if not math.isnan(value) else value

        return {
            "commands": len(ordered),
            "per_second": round(len(ordered) / seconds, 1) if seconds else 0.0,
            "p50": ms(percentile(ordered, 0.50)),
            "p90": ms(percentile(ordered, 0.90)),
            "p99": ms(percentile(ordered, 0.99)),
            "max": ms(ordered[-1]) if ordered else math.nan,
            "errors": self.errors,
            "events": self.events,
            "events_per_second": round(self.events / seconds, 1) if seconds else 0.0,
            **extra,
        }


class Client(asyncio.Protocol):
    """
    One player: logs in, runs its setup commands, then the workload it is
    given, one command at a time.
    """

    def __init__(self, run: Run, index: int, name: str, password: str) -> None:
        self.run = run
        self.index = index
        self.name = name
        self.password = password
        self.telnet = Telnet(self._marker)
        self.transport: asyncio.Transport | None = None
        self.ready: asyncio.Future = asyncio.get_running_loop().create_future()
        self._waiting: asyncio.Future | None = None
        self._seq = 0
        self.walked = 0
        self.closed = False
        self.events = 0
        #: Until logged in, text is kept across prompt markers.
        self.logging_in = True

    # -- asyncio ----------------------------------------------------------

    def connection_made(self, transport: Any) -> None:
        self.transport = transport
        sock = transport.get_extra_info("socket")
        if sock is not None:  # the client adds no delay of its own (Nagle)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def data_received(self, data: bytes) -> None:
        answer = self.telnet.feed(data)
        if answer and self.transport is not None:
            self.transport.write(answer)
        if self.run.event_word:
            self.events += data.count(self.run.event_word)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self._waiting is not None and not self._waiting.done():
            self._waiting.set_exception(ConnectionError("connection closed"))

    # -- commands ---------------------------------------------------------

    def _marker(self) -> None:
        waiting = self._waiting
        if waiting is not None and not waiting.done():
            waiting.set_result(self.telnet.take_text())
        elif not self.logging_in:
            self.telnet.text.clear()

    async def command(self, line: str, timeout: float) -> bytes:
        """
        Send C{line}; return the text of its answer (up to the next prompt
        marker).
        """
        assert self.transport is not None
        self._waiting = asyncio.get_running_loop().create_future()
        self.transport.write(line.encode() + b"\r\n")
        try:
            return await asyncio.wait_for(self._waiting, timeout)
        finally:
            self._waiting = None

    async def until(self, line: str, token: bytes, timeout: float) -> None:
        """
        Send C{line} and read answers until one holds C{token} (answers that
        belonged to earlier lines are skipped).
        """
        deadline = time.monotonic() + timeout
        assert self.transport is not None
        self.transport.write(line.encode() + b"\r\n")
        seen = bytearray()
        while True:
            self._waiting = asyncio.get_running_loop().create_future()
            try:
                seen += await asyncio.wait_for(self._waiting, deadline - time.monotonic())
            finally:
                self._waiting = None
            if token in seen:
                return

    async def log_in(self, setup: list[str], timeout: float) -> None:
        """
        Wait for the login screen, log in, run C{setup}, and synchronise:
        after this, each prompt marker answers the line sent before it.
        """
        deadline = time.monotonic() + timeout
        while b"connect" not in self.telnet.text.lower():
            if time.monotonic() > deadline or self.closed:
                raise TimeoutError("no login screen")
            await asyncio.sleep(0.05)
        assert self.transport is not None
        self.telnet.text.clear()
        self.transport.write(f"connect {self.name} {self.password}\r\n".encode())
        success = self.run.logged_in.encode()
        while success not in self.telnet.text:
            if time.monotonic() > deadline or self.closed:
                raise TimeoutError("login failed: " + bytes(self.telnet.text[-200:]).decode(
                    "utf-8", "replace"))
            await asyncio.sleep(0.05)
        self.logging_in = False
        self.telnet.text.clear()
        for line in setup:
            await self.until(line, b"", deadline - time.monotonic())
        token = f"zq{self.index}x{random.randrange(10**6)}"
        await self.until(self.run.sync.format(token=token), token.encode(),
                         deadline - time.monotonic())

    def next_line(self, workload: str) -> tuple[str, bytes | None]:
        """
        The next command of C{workload} and what its answer must hold.
        """
        self._seq += 1
        if workload == "say":
            token = f"w{self.index}n{self._seq}"
            return f"say {token}", token.encode()
        if workload == "look":
            return "look", None
        if workload == "walk":
            # Out and back from the room the client was put in (an exit that
            # is not there gets no prompt from some servers).
            self.walked += 1
            return ("north" if self.walked % 2 else "south"), None
        if workload.startswith("line:"):
            return workload[5:], None
        raise ValueError(f"unknown workload {workload!r}")


class Run:
    """
    One load generator run: its options, and the measured windows.
    """

    def __init__(self, options: argparse.Namespace) -> None:
        self.options = options
        self.logged_in = options.logged_in
        self.sync = options.sync
        self.event_word = options.event_word.encode() if options.event_word else b""
        self.clients: list[Client] = []
        self.measuring: Stats | None = None
        self.window_end = 0.0
        self.stopping = False

    async def connect_all(self, names: list[tuple[str, str]]) -> int:
        """
        Connect and log in every client, a batch at a time; return how many
        failed.
        """
        loop = asyncio.get_running_loop()
        opts = self.options
        rooms = [r for r in opts.rooms.split(",") if r] or [""]
        failed = 0
        semaphore = asyncio.Semaphore(opts.login_batch)
        told = [0]

        async def one(index: int) -> Client | None:
            name, password = names[index]
            async with semaphore:
                try:
                    _t, client = await loop.create_connection(
                        lambda: Client(self, index, name, password), opts.host, opts.port)
                    setup = [line.format(room=rooms[index % len(rooms)])
                             for line in opts.setup if line]
                    await client.log_in(setup, opts.login_timeout)
                    return client
                except (OSError, TimeoutError, ConnectionError) as e:
                    told[0] += 1
                    if told[0] <= 5:  # the first few say why; the count says how many
                        print(f"client {index} ({name}): {type(e).__name__}: {e}",
                              file=sys.stderr)
                    return None

        found = await asyncio.gather(*(one(i) for i in range(opts.clients)))
        for client in found:
            if client is None:
                failed += 1
            else:
                self.clients.append(client)
        return failed

    async def drive(self, client: Client, workload: str) -> None:
        opts = self.options
        rng = random.Random(client.index)
        while not self.stopping and not client.closed:
            if opts.think > 0:
                await asyncio.sleep(rng.expovariate(1.0 / opts.think))
                if self.stopping:
                    return
            line, expect = client.next_line(workload)
            started = time.monotonic()
            try:
                answer = await client.command(line, opts.command_timeout)
            except (TimeoutError, ConnectionError):
                stats = self.measuring
                if stats is not None:
                    stats.errors += 1
                if client.closed:
                    return
                continue
            finished = time.monotonic()
            # Every answer that arrives in the window counts, whenever its
            # command was sent: counting only commands sent in the window
            # would leave out the slowest when round trips near its length.
            stats = self.measuring
            if stats is not None and finished <= self.window_end:
                if expect is not None and expect not in answer:
                    stats.errors += 1
                else:
                    stats.latencies.append(finished - started)

    async def measure(self, workload: str) -> dict[str, Any]:
        """
        Drive every client with C{workload}: warm up, then measure for the
        run's duration.
        """
        opts = self.options
        self.stopping = False
        self.measuring = None
        for client in self.clients:
            client.events = 0
            if client.walked % 2:  # back where it started before walking again
                await self._quietly(client, "south")
            client.walked = 0
        if not self.clients:
            return {"workload": workload, "clients": 0, "commands": 0, "errors": opts.clients}
        tasks = [asyncio.ensure_future(self.drive(c, workload)) for c in self.clients]
        await asyncio.sleep(opts.warmup)
        stats = Stats()
        events_before = sum(c.events for c in self.clients)
        server_before = cpu_seconds(opts.server_pids)
        mine_before = own_cpu()
        started = time.monotonic()
        self.window_end = started + opts.duration
        self.measuring = stats
        await asyncio.sleep(opts.duration)
        seconds = time.monotonic() - started
        server_cpu = cpu_seconds(opts.server_pids) - server_before
        mine = own_cpu() - mine_before
        stats.events = sum(c.events for c in self.clients) - events_before
        self.measuring = None
        self.stopping = True
        await asyncio.wait(tasks, timeout=opts.command_timeout + 1)
        for task in tasks:
            task.cancel()
        return stats.report(seconds, {
            "workload": workload,
            "clients": len(self.clients),
            "think": opts.think,
            "server_cpu": round(server_cpu / seconds, 3),
            "server_rss_mb": round(rss_bytes(opts.server_pids) / 2**20, 1),
            "load_cpu": round(mine / seconds, 3),
            "loadavg": os.getloadavg()[0],
        })

    async def tear_down(self) -> None:
        """
        Run the teardown lines (untimed), then close every connection.
        """
        for line in self.options.teardown:
            if not line:
                continue
            dorms = [d for d in self.options.dorms.split(",") if d] or [""]
            await asyncio.gather(*(self._quietly(c, line.format(dorm=dorms[c.index % len(dorms)]))
                                   for c in self.clients if not c.closed))
        for client in self.clients:
            if client.transport is not None:
                client.transport.close()
        await asyncio.sleep(0.2)

    async def _quietly(self, client: Client, line: str) -> None:
        try:
            await client.command(line, self.options.command_timeout)
        except (TimeoutError, ConnectionError):
            pass


def own_cpu() -> float:
    """
    CPU seconds this process has used.
    """
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def cpu_seconds(pids: Sequence[int]) -> float:
    """
    CPU seconds (user and system) the processes C{pids} have used.
    """
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def rss_bytes(pids: Sequence[int]) -> int:
    """
    Resident memory of the processes C{pids}, in bytes.
    """
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.server.load", description=__doc__)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--names", required=True, help="file: one 'name password' a line")
    p.add_argument("--clients", type=int, default=1)
    p.add_argument("--workloads", default="say,look,walk")
    p.add_argument("--duration", type=float, default=10.0)
    p.add_argument("--warmup", type=float, default=2.0)
    p.add_argument("--think", type=float, default=0.0,
                   help="mean seconds a client waits between answer and next command")
    p.add_argument("--setup", action="append", default=[],
                   help="a line each client sends after login ({room} is replaced)")
    p.add_argument("--teardown", action="append", default=[])
    p.add_argument("--rooms", default="", help="comma-separated, spread over the clients")
    p.add_argument("--dorms", default="",
                   help="comma-separated, spread over the clients ({dorm} in teardown lines)")
    p.add_argument("--sync", default="look {token}",
                   help="a line whose answer holds {token}, to synchronise after login")
    p.add_argument("--logged-in", default="",
                   help="text that shows the login succeeded")
    p.add_argument("--event-word", default="",
                   help="count occurrences of this text in what clients read (events/s)")
    p.add_argument("--server-pids", default="",
                   type=lambda s: [int(x) for x in s.split(",") if x])
    p.add_argument("--login-batch", type=int, default=50)
    p.add_argument("--login-timeout", type=float, default=120.0)
    p.add_argument("--command-timeout", type=float, default=60.0)
    return p.parse_args(argv)


async def main_async(options: argparse.Namespace) -> int:
    with open(options.names) as f:
        names = [tuple(line.split()[:2]) for line in f if line.strip()]
    if len(names) < options.clients:
        raise SystemExit(f"{options.names} has {len(names)} names, not {options.clients}")
    run = Run(options)
    started = time.monotonic()
    failed = await run.connect_all(names)  # type: ignore[arg-type]
    print(json.dumps({"login": {"clients": len(run.clients), "failed": failed,
                                "seconds": round(time.monotonic() - started, 1)}}), flush=True)
    for workload in options.workloads.split(","):
        result = await run.measure(workload)
        result["login_failed"] = failed
        print(json.dumps(result), flush=True)
    await run.tear_down()
    return 0


def main(argv: list[str] | None = None) -> int:
    options = parse(sys.argv[1:] if argv is None else argv)
    resource.setrlimit(resource.RLIMIT_NOFILE, _files(options.clients))
    return asyncio.run(main_async(options))


def _files(clients: int) -> tuple[int, int]:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = clients + 256
    if hard != resource.RLIM_INFINITY:
        want = min(want, hard)
    return (max(soft, want), hard)


if __name__ == "__main__":
    sys.exit(main())
