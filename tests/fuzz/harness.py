"""
A live server to attack: C{tessera run} in a process of its own, a quiet
player over a real socket, and the attackers in a process of their own.

Three processes, so that what is measured is the server: the attackers'
work never runs in the server's process nor in the quiet player's, and the
server's memory is its own (read from C{/proc}).
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import NamedTuple

from engine.protocols import telnet

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

#: What must never appear in the server's log.
PROBLEMS = re.compile(r"Traceback|Unhandled|Fatal Python error|Segmentation fault"
                      r"|#critical\]|#error\]|MemoryError")
_LISTENING = re.compile(r"listening for telnet on \S+:(\d+)")
#: The end of every answer once a player is in the world: the prompt and a GA
#: (the quiet player does not negotiate, so neither EOR nor SGA is on).
PROMPT = b"> \xff\xf9"


class Server:
    """
    C{tessera run} in a child process, on a port the system picks.

    @ivar lines: the server's log so far, line by line.
    @ivar port: the telnet port, once started.
    """

    def __init__(self, *args: str, db: str | None = None) -> None:
        where = ["--db", db] if db is not None else ["--memory"]
        self.command = [sys.executable, "-m", "engine.cli", "run", "--port", "0",
                        "--interface", "127.0.0.1", "--pack-interval", "0", "--content", "",
                        *where, *args]
        self.process: subprocess.Popen | None = None
        self.lines: list[str] = []
        self.port: int | None = None
        self._listening = threading.Event()
        self._reader: threading.Thread | None = None

    def start(self, timeout: float = 120.0) -> int:
        """
        Start the server and wait until it listens; return its port.
        """
        self.lines = []
        self._listening.clear()
        self.process = subprocess.Popen(self.command, cwd=ROOT, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)
        self._reader = threading.Thread(target=self._read, args=(self.process,), daemon=True)
        self._reader.start()
        if not self._listening.wait(timeout) or self.port is None:
            self.kill()
            raise AssertionError("the server did not start:\n" + self.log)
        # Listening comes just before the reactor runs: wait for a greeting,
        # so that the server is serving (and handles SIGINT) when we go on.
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as probe:
            if not probe.recv(1):
                raise AssertionError("the server closed a first connection:\n" + self.log)
        return self.port

    def _read(self, process: subprocess.Popen) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self.lines.append(line)
            found = _LISTENING.search(line)
            if found:
                self.port = int(found.group(1))
                self._listening.set()
        self._listening.set()

    @property
    def log(self) -> str:
        """
        The server's log so far.
        """
        return "".join(self.lines)

    @property
    def alive(self) -> bool:
        """
        Whether the process is running.
        """
        return self.process is not None and self.process.poll() is None

    def problems(self) -> list[str]:
        """
        Log lines that show a crash or an error the server did not expect:
        tracebacks, unhandled errors, fatal errors.
        """
        return [line for line in self.lines if PROBLEMS.search(line)]

    def memory(self, field: str = "VmRSS") -> int:
        """
        A size from the process's C{/proc/PID/status} in bytes: C{VmRSS}
        (resident now) or C{VmHWM} (the most it was resident).
        """
        assert self.process is not None
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
        raise AssertionError(f"no {field}")

    def listening(self, door: str, timeout: float = 60.0) -> int:
        """
        The port of another door (C{"telnet over TLS"}, C{"SSH"}), from the
        line the server logged when it began to listen; or C{"web"}.
        """
        pattern = (r"serving the web client on http://\S+:(\d+)/" if door == "web"
                   else rf"listening for {door} on \S+:(\d+)")
        until = time.monotonic() + timeout
        while True:  # the doors may say so after the telnet port did
            for line in list(self.lines):
                found = re.search(pattern, line)
                if found:
                    return int(found.group(1))
            if time.monotonic() > until or not self.alive:
                raise AssertionError(f"the server does not listen for {door}:\n{self.log}")
            time.sleep(0.05)

    def connections(self, on: int | None = None) -> int:
        """
        How many TCP connections the server holds on its port (or on the
        port C{on}), in any state but listening and time-wait, from
        C{/proc/net/tcp}.
        """
        assert self.port is not None
        port = f"{on or self.port:04X}"
        count = 0
        for name in ("/proc/net/tcp", "/proc/net/tcp6"):
            try:
                with open(name) as table:
                    next(table)
                    for row in table:
                        fields = row.split()
                        local, state = fields[1], fields[3]
                        # 0A listening, 06 time-wait: not a connection it holds.
                        if local.endswith(":" + port) and state not in ("0A", "06"):
                            count += 1
            except FileNotFoundError:
                continue
        return count

    def settle(self, connections: int, timeout: float = 60.0, on: int | None = None) -> bool:
        """
        Wait until the server holds at most C{connections} connections (on
        its port, or on the port C{on}); whether it came to that within
        C{timeout} seconds.
        """
        until = time.monotonic() + timeout
        while time.monotonic() < until:
            if self.connections(on) <= connections:
                return True
            time.sleep(0.05)
        return False

    def stop(self, timeout: float = 60.0) -> int:
        """
        Stop the server as an operator would (SIGINT) and return its exit
        status.
        """
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            status = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            status = self.process.wait()
        self._join()
        return status

    def kill(self) -> None:
        """
        C{kill -9} the server.
        """
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
        self._join()

    def _join(self) -> None:
        if self._reader is not None:
            self._reader.join(10)


class Player:
    """
    A quiet player over a blocking socket: sends one line, reads up to the
    prompt. Answers no telnet negotiation (the server tolerates silence).
    """

    def __init__(self, port: int, source: str = "127.0.0.1", timeout: float = 60.0) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout,
                                             source_address=(source, 0))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def read_until(self, marker: bytes) -> bytes:
        """
        Everything up to and including C{marker}.
        """
        while marker not in self.buffer:
            data = self.sock.recv(65536)
            if not data:
                raise ConnectionError(f"the server closed the connection; got {self.buffer!r}")
            self.buffer += data
        end = self.buffer.index(marker) + len(marker)
        found, self.buffer = self.buffer[:end], self.buffer[end:]
        return found

    def send(self, line: str) -> None:
        """
        Type one line.
        """
        self.sock.sendall(line.encode("utf-8") + b"\r\n")

    def command(self, line: str) -> bytes:
        """
        Type C{line} and read its answer, up to the prompt.
        """
        self.send(line)
        return self.read_until(PROMPT)

    def round_trip(self, line: str = "look") -> float:
        """
        Seconds from typing C{line} to the end of its answer.
        """
        started = time.perf_counter()
        self.command(line)
        return time.perf_counter() - started

    def create(self, name: str, password: str = "correct horse") -> bytes:
        """
        Create a character and enter the world; what the server said.
        """
        self.read_until(b"create <name>")
        self.send(f"create {name} {password}")
        return self.read_until(PROMPT)

    def close(self) -> None:
        """
        Hang up.
        """
        self.sock.close()


class Attackers:
    """
    The attack process (L{tests.fuzz.attacks}, or C{module} with its
    arguments and C{extra} ones: L{tests.fuzz.listeners}), running.
    """

    def __init__(self, port: int, seconds: float, connections: int,
                 classes: Sequence[str] | None = None, seed: int = 14,
                 module: Sequence[str] = ("tests.fuzz.attacks",),
                 extra: Sequence[str] = ()) -> None:
        command = [sys.executable, "-m", *module, str(port), "--seconds",
                   str(seconds), "--connections", str(connections), "--seed", str(seed),
                   *extra]
        if classes:
            command += ["--classes", ",".join(classes)]
        # At the lowest priority: on a real server the attackers' CPU is not
        # the server's, and here they share its two cores; what is measured
        # is what their traffic costs the server, not their own parsing and
        # retrying taking the core the server or the quiet player wait for.
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True,
                                        preexec_fn=lambda: os.nice(19))

    @property
    def running(self) -> bool:
        """
        Whether the attacks go on.
        """
        return self.process.poll() is None

    def report(self, timeout: float = 120.0) -> dict:
        """
        Wait for the attacks to end; what they did (see L{tests.fuzz.attacks}).
        """
        out, err = self.process.communicate(timeout=timeout)
        if self.process.returncode != 0:
            raise AssertionError(f"the attackers failed ({self.process.returncode}):\n{err}")
        return json.loads(out.strip().splitlines()[-1])

    def stop(self) -> None:
        """
        End the attacks now.
        """
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()


#: Seconds between two commands of the quiet player (within the default
#: command rate of 10 a second).
PACE = 0.11


def sample(player: Player, seconds: float, into: list[float]) -> None:
    """
    Have C{player} type C{look} at a player's pace for C{seconds}, adding
    each round trip to C{into}.
    """
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        into.append(player.round_trip("look"))
        time.sleep(PACE)


class Run(NamedTuple):
    """
    What L{phased} measured: the quiet player's round trips in the quiet
    and the attacked phases, the attacks' counts per class (L{merged}), the
    server's RSS (before, peak, after) and its exit status.
    """

    quiet: list[float]
    attacked: list[float]
    classes: dict[str, dict[str, int]]
    memory: tuple[int, int, int]
    status: int


def phased(server: Server, player: Player, phases: int, seconds: float,
           settled: Callable[[], bool], attack: Callable[[int], Attackers],
           cleanup: Callable[[Callable[[], None]], None]) -> Run:
    """
    Alternate quiet phases (C{seconds / 2}) and attacked phases
    (C{seconds}, the attacks of C{attack(phase)}) while C{player} types
    C{look}; then one more quiet phase, and stop the server.

    Measured in the same run, so that the machine's own load (shared with
    other work) falls on the quiet and the attacked phases alike.

    @param settled: whether the hostile connections are all gone (checked
        before every quiet phase).
    @param cleanup: registers what stops the attacks if the test fails.
    """
    before = server.memory()
    quiet: list[float] = []
    attacked: list[float] = []
    tallies = []
    for phase in range(phases):
        if not settled():
            raise AssertionError("hostile connections were never closed")
        sample(player, seconds / 2, quiet)
        attackers = attack(phase)
        cleanup(attackers.stop)
        sample(player, seconds, attacked)
        tallies.append(attackers.report())
        if not server.alive:
            raise AssertionError(server.log[-5000:])
    if not settled():
        raise AssertionError("hostile connections were never closed")
    sample(player, seconds / 2, quiet)
    time.sleep(2 * telnet.TRIM_DELAY)  # memory is given back a moment after drops
    after = server.memory()
    peak = server.memory("VmHWM")
    return Run(quiet, attacked, merged(tallies), (before, peak, after), server.stop())


def merged(tallies: Sequence[dict]) -> dict[str, dict[str, int]]:
    """
    The per-class counts of several L{Attackers.report}s, added up.
    """
    classes: dict[str, dict[str, int]] = {}
    for tally in tallies:
        for name, row in tally["classes"].items():
            into = classes.setdefault(name, {})
            for key, value in row.items():
                into[key] = into.get(key, 0) + value
    return classes


def figures(phases: str, classes: dict[str, dict[str, int]], drops: int,
            memory: tuple[int, int, int], quiet: Sequence[float],
            attacked: Sequence[float]) -> dict:
    """
    What an attack run prints in the fuzz tier's long form: its C{phases},
    the attacks' counts per class, the connections dropped, the server's
    RSS (before, peak, after) and the quiet player's round trips.
    """
    before, peak, after = memory
    return {"phases": phases, "classes": {name: dict(row) for name, row in classes.items()},
            "connections": sum(row["connections"] for row in classes.values()),
            "dropped": drops, "rss MiB before/peak/after": (before >> 20, peak >> 20, after >> 20),
            "quiet look ms": summary(quiet), "attacked look ms": summary(attacked)}


def percentile(samples: Sequence[float], fraction: float) -> float:
    """
    The C{fraction} percentile of C{samples} (nearest rank).
    """
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def summary(samples: Sequence[float]) -> dict[str, float]:
    """
    Median, 90th and 99th percentile of C{samples}, in milliseconds.
    """
    return {"n": len(samples), "p50": statistics.median(samples) * 1000,
            "p90": percentile(samples, 0.9) * 1000, "p99": percentile(samples, 0.99) * 1000}
