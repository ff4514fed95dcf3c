"""
What holds the reactor: a live server under a listener's attack classes,
with every long turn of its reactor caught and the stacks it ran written
down (a diagnosis tool, not a test)::

    python -m tests.fuzz.stalls web --classes huge,frames --phases 3 --seconds 20
    python -m tests.fuzz.stalls web --cprofile /tmp/web.prof   # cProfile over the reactor too
    python -m tests.fuzz.stalls web -- --connection-rate 1000  # options of tessera run

The server (C{tessera run}, as L{tests.fuzz.harness.Server} starts it) runs
in a process of its own with a watch on its reactor: the time from the
reactor's return from C{epoll_wait} to its next call is one turn's work,
and a thread samples the reactor thread's stack every half millisecond
while it works. A turn longer than C{--threshold} (10 ms) keeps its
samples. Meanwhile a quiet player on telnet types C{look} in alternating
quiet and attacked phases (L{tests.fuzz.harness.phased}), the attacks
being those of L{tests.fuzz.listeners}. Printed at the end: the quiet
player's round trips (p50, p90, p99 in each phase), how many turns of the
reactor took over 10, 20 and 50 ms, and the functions most often on the
stack during the long turns (inclusive: a function counts once per sample
however deep it is).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from typing import Any

#: Seconds between two samples of the reactor thread's stack.
INTERVAL = 0.0005


class _Watched:
    """
    The reactor's poller, timing each wait: what is outside the waits is
    the reactor's work.
    """

    def __init__(self, real: Any, watch: _Watch) -> None:
        self._real = real
        self._watch = watch

    def poll(self, *args: Any) -> Any:
        self._watch.waiting()
        try:
            return self._real.poll(*args)
        finally:
            self._watch.working()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


class _Watch:
    """
    The turns of the reactor, and the stacks sampled in the long ones.
    """

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold
        self.main = threading.get_ident()
        self.busy = False
        self.since = time.perf_counter()
        self.cpu = time.thread_time()
        self.samples: list[tuple[str, ...]] = []
        self.turns: Counter[str] = Counter()
        self.longest: list[tuple[float, float, float]] = []
        self.functions: Counter[str] = Counter()
        self.leaves: Counter[str] = Counter()
        self.long_samples = 0
        self.started = time.monotonic()

    def working(self) -> None:
        self.since = time.perf_counter()
        self.cpu = time.thread_time()
        self.samples = []
        self.busy = True

    def waiting(self) -> None:
        self.busy = False
        took = time.perf_counter() - self.since
        cpu = time.thread_time() - self.cpu
        for bound in (0.001, 0.002, 0.005, 0.01):
            if cpu > bound:
                self.turns[f"CPU over {bound * 1000:g} ms"] += 1
        for bound in (0.005, 0.01, 0.02, 0.05, 0.1):
            if took > bound:
                self.turns[f"over {bound * 1000:g} ms"] += 1
        self.turns["all"] += 1
        if took > self.threshold:
            self.longest.append((round(time.monotonic() - self.started, 3), round(took * 1000, 2),
                                 round(cpu * 1000, 2)))
            for stack in self.samples:
                self.long_samples += 1
                self.leaves[stack[-1]] += 1
                for name in set(stack):
                    self.functions[name] += 1

    def sample(self) -> None:
        """
        Sample the reactor thread's stack while it works (in a thread).
        """
        while True:
            time.sleep(INTERVAL)
            if not self.busy:
                continue
            frame = sys._current_frames().get(self.main)
            stack = []
            while frame is not None:
                code = frame.f_code
                where = code.co_filename.rsplit("site-packages/", 1)[-1]
                where = where.replace(os.getcwd() + "/", "")
                stack.append(f"{where}:{code.co_name}")
                frame = frame.f_back
            if self.busy:
                self.samples.append(tuple(reversed(stack)))

    def report(self) -> dict:
        """
        What was seen, for the parent.
        """
        return {"turns": dict(self.turns), "long samples": self.long_samples,
                "longest": sorted(self.longest, key=lambda t: -t[1])[:20],
                "inclusive": self.functions.most_common(40),
                "leaves": self.leaves.most_common(25)}


def _cpu(pid: int) -> float:
    """
    The CPU seconds (user and system) process C{pid} has used.
    """
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def serve(threshold: float, out: str, profile: str | None, argv: list[str]) -> int:
    """
    Run C{tessera run argv} with the watch on its reactor; write what it
    saw to C{out} when it stops.
    """
    from twisted.internet import reactor

    from engine import cli

    watch = _Watch(threshold)
    reactor._poller = _Watched(reactor._poller, watch)  # type: ignore[attr-defined]
    threading.Thread(target=watch.sample, daemon=True).start()
    profiler = None
    if profile is not None:
        import cProfile
        profiler = cProfile.Profile()
        profiler.enable()
    try:
        status = cli.main(["run", *argv])
    finally:
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(str(profile))
        with open(out, "w") as report:
            json.dump(watch.report(), report)
    return status


def main(argv: list[str] | None = None) -> int:
    """
    The command line (see the module docstring).
    """
    arguments = sys.argv[1:] if argv is None else argv
    if arguments[:1] == ["--serve"]:
        _, threshold, out, profile, *rest = arguments
        return serve(float(threshold), out, profile or None, rest[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=("web",))
    parser.add_argument("--classes", default="")
    parser.add_argument("--phases", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--threshold", type=float, default=0.01)
    parser.add_argument("--cprofile", default="")
    extra: list[str] = []
    if "--" in arguments:  # after it, more options of tessera run
        at = arguments.index("--")
        arguments, extra = arguments[:at], arguments[at + 1:]
    options = parser.parse_args(arguments)

    from tests.fuzz import listeners
    from tests.fuzz.harness import Attackers, Player, Server, phased, summary
    from tests.fuzz.test_listeners import TIMEOUTS

    descriptor, out = tempfile.mkstemp(suffix=".json", prefix="stalls-")
    os.close(descriptor)
    server = Server(*TIMEOUTS, "--web-port", "0", *extra)
    server.command = [sys.executable, "-m", "tests.fuzz.stalls", "--serve",
                      str(options.threshold), out, options.cprofile, "--",
                      *server.command[4:]]
    server.start()
    try:
        port = server.listening("web")
        assert server.port is not None
        player = Player(server.port)
        player.create("Quiet")
        for _ in range(30):
            player.round_trip()
        names = options.classes.split(",") if options.classes else listeners.every_class("web")
        assert server.process is not None
        pid = server.process.pid
        spent = [0.0, 0.0]  # the server's CPU seconds in the attacked phases, and their start

        def attack(phase: int) -> Attackers:
            spent[1] = _cpu(pid)
            return Attackers(port, options.seconds, len(names), names, seed=phase,
                             module=("tests.fuzz.listeners", "web"))

        def settled() -> bool:
            if spent[1]:
                spent[0] += _cpu(pid) - spent[1]
                spent[1] = 0.0
            return server.settle(0, on=port)

        run = phased(server, player, options.phases, options.seconds, settled, attack,
                     lambda stop: None)
    finally:
        server.kill()
    quiet, attacked, classes, _memory, status = run
    print(json.dumps({"classes": classes, "status": status,
                      "server CPU s per attacked s": round(
                          spent[0] / (options.phases * options.seconds), 3),
                      "quiet look ms": summary(quiet), "attacked look ms": summary(attacked)},
                     indent=1))
    with open(out) as report:
        seen = json.load(report)
    os.unlink(out)
    print("reactor turns:", seen["turns"])
    print("longest turns (s into the run, wall ms, CPU ms):", seen["longest"])
    print(f"samples in long turns: {seen['long samples']}; on the stack (inclusive):")
    for name, count in seen["inclusive"]:
        print(f"  {count:6d}  {name}")
    print("innermost:")
    for name, count in seen["leaves"]:
        print(f"  {count:6d}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
