# -*- test-case-name: tests.bench.test_server_bench -*-
"""
The server benchmark: Tessera and Evennia 6.1 under the same closed-loop
telnet load, interleaved in one run (C{make bench-server}).

    python -m bench.server [--quick] [--no-evennia] [--parts PARTS] [--out DIR]

Parts (all by default): C{peers} (Tessera, Evennia as shipped and Evennia
with TCP_NODELAY, at each N, interleaved), C{paced} (Tessera at 1,000 clients
in one room and 2,000 spread over rooms, each client thinking between
commands), C{scripts} (a room full of scripted parrots that answer speech,
against the same room without them), C{world} (worlds of 10^4..10^6
objects: opening, memory, commits, and how soon a server on one answers).

Everything it installs or makes goes under C{.bench-server/} (Evennia's
environment, game directories, worlds); the tables are printed as markdown
and kept with the raw JSON in C{.bench-server/results/}.

What is relaxed for the measurement, on both servers, and why: every client
connects from 127.0.0.1, so the per-address connection and login limits
are raised; a closed-loop client sends far more than a person types, so the
per-session command rate limits are raised; the server-wide connection cap
is raised to the largest N, and the rate of new connections (all N clients
connect at once) is not limited. Passwords are hashed cheaply (logging in is not
measured).
"""

from __future__ import annotations

import argparse
import atexit
import glob
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
from typing import Any

from bench.server import tessera_world
from engine.scripts.events import MAX_HANDLERS
from engine.scripts.meters import OUTPUT_BURST, OUTPUT_RATE

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
EVENNIA_VERSION = "6.1.0"

FULL_NS = (1, 10, 50, 100, 200, 500, 1000, 2000)
QUICK_NS = (1, 10, 50)
EVENNIA_MAX_N = 200
PAIRS = 100
PARROTS = 20
#: With --priority: the niceness of the servers and the load generator.
PRIORITY = {"nice": 0}


def favour(pids: list[int]) -> None:
    """
    Run C{pids} at the benchmark's priority (with --priority), so that on a
    machine shared with other jobs the servers measured, and not their
    neighbours, set the figures; both servers are treated alike.

    Where the kernel groups processes by session (autogroup), a process's
    niceness only ranks it within its own group, and each group gets an
    equal share of the CPU: the group's niceness is set too, or another
    agent's test run in its own session would still take half the machine.
    """
    if PRIORITY["nice"]:
        for pid in pids:
            try:
                os.setpriority(os.PRIO_PROCESS, pid, PRIORITY["nice"])
            except OSError:
                pass
            try:
                with open(f"/proc/{pid}/autogroup", "w") as f:
                    f.write(str(PRIORITY["nice"]))
            except OSError:
                pass  # no autogroup (or not allowed): the niceness above is all there is


def restore_group_priority() -> Any:
    """
    A function that gives this process's autogroup back the niceness it has
    now (L{favour} changes it for the run), or None where there is none.
    """
    path = f"/proc/{os.getpid()}/autogroup"
    try:
        with open(path) as f:
            before = f.read().split()[-1]  # "/autogroup-165 nice 0"
    except (OSError, IndexError):
        return None

    def release() -> None:
        try:
            with open(path, "w") as f:
                f.write(before)
        except OSError:
            pass

    return release


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_login_screen(port: int, timeout: float) -> float:
    """
    Poll until a connection to C{port} shows a login screen; return the
    seconds it took.

    @raise RuntimeError: none within C{timeout}.
    """
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
                s.settimeout(0.5)
                seen = b""
                until = time.monotonic() + 3
                while b"connect" not in seen.lower() and time.monotonic() < until:
                    try:
                        data = s.recv(65536)
                    except TimeoutError:
                        continue
                    if not data:
                        break
                    seen += data
                if b"connect" in seen.lower():
                    return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"no login screen on port {port} after {timeout:.0f} s")


class Tessera:
    """
    A Tessera server process on a bench world.
    """

    def __init__(self, root: str, accounts: int, limit: int, extra: tuple[str, ...] = ()) -> None:
        self.label = " ".join(("Tessera", *extra))
        self.extra = extra
        self.root = os.path.join(root, "-".join(("tessera", *(e.strip("-") for e in extra))))
        self.accounts = accounts
        self.limit = limit
        self.process: subprocess.Popen | None = None
        self.port = 0
        self.rooms: dict[str, int] = {}
        self.names = os.path.join(self.root, "names.txt")

    def prepare(self) -> None:
        os.makedirs(self.root, exist_ok=True)
        content = os.path.join(self.root, "content")
        db = os.path.join(self.root, "world.fs")
        for path in glob.glob(db + "*"):
            os.remove(path)
        tessera_world.write_content(content, PAIRS, PARROTS)
        out = subprocess.run([sys.executable, "-m", "bench.server.tessera_world", "seed", db,
                              content, str(self.accounts), self.names],
                             check=True, capture_output=True, text=True, cwd=REPO)
        self.rooms = json.loads(out.stdout)

    def start(self) -> None:
        self.port = free_port()
        tessera = os.path.join(os.path.dirname(sys.executable), "tessera")
        limit = str(self.limit + 100)
        self.log = open(os.path.join(self.root, "server.log"), "w")
        self.process = subprocess.Popen(
            [tessera, "run", "--db", os.path.join(self.root, "world.fs"),
             "--interface", "127.0.0.1", "--port", str(self.port), "--pack-interval", "0",
             "--max-sessions", limit, "--max-prelogin", limit,
             "--connections-per-minute", "1000000", "--failed-logins", "1000000",
             "--connection-rate", "1000000", "--connection-burst", "1000000",
             "--command-rate", "1000000", "--command-burst", "1000000", *self.extra],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=REPO)
        wait_for_login_screen(self.port, 120)

    def pids(self) -> list[int]:
        return [self.process.pid] if self.process else []

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.process = None

    def load_args(self, rooms: list[str]) -> list[str]:
        ids = ",".join(str(self.rooms[r]) for r in rooms)
        dorms = ",".join(str(self.rooms[f"dorm-{i}"]) for i in range(tessera_world.DORMS))
        return ["--setup", "@teleport #{room}", "--rooms", ids,
                "--teardown", "@teleport #{dorm}", "--dorms", dorms]


class Evennia:
    """
    An Evennia game (portal and server processes) in its own environment.
    """

    def __init__(self, root: str, variant: str, names: str) -> None:
        self.base = root
        self.variant = variant
        self.label = "Evennia" if variant == "shipped" else "Evennia+NODELAY"
        self.gamedir = os.path.join(root, f"evennia-{variant}")
        self.venv = os.path.join(root, "evennia-venv")
        self.names = names
        self.port = 0
        self.rooms: dict[str, int] = {}

    @property
    def bin(self) -> str:
        return os.path.join(self.venv, "bin")

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["PATH"] = self.bin + os.pathsep + env.get("PATH", "")
        env.pop("PYTHONPATH", None)
        return env

    def install(self) -> None:
        """
        Make the Evennia environment, once: Python 3.12+ from PATH or pyenv.
        """
        if os.path.exists(os.path.join(self.bin, "evennia")):
            return
        python = find_python(("3.13", "3.12"))
        subprocess.run([python, "-m", "venv", self.venv], check=True)
        subprocess.run([os.path.join(self.bin, "pip"), "install", "--quiet",
                        f"evennia=={EVENNIA_VERSION}"], check=True)

    def _evennia(self, *args: str, extra: dict[str, str] | None = None) -> None:
        env = self.env()
        env.update(extra or {})
        subprocess.run([os.path.join(self.bin, "evennia"), *args], cwd=self.gamedir, env=env,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def prepare(self) -> None:
        script = os.path.join(HERE, "evennia_game.py")
        python = os.path.join(self.bin, "python")
        made = os.path.join(self.gamedir, "bench-accounts.json")
        if os.path.exists(made):
            # Made by an earlier run (Evennia's setup takes minutes): new ports,
            # and any accounts still missing.
            self.port = free_port()
            settings = os.path.join(self.gamedir, "server", "conf", "settings.py")
            with open(settings) as f:
                lines = f.read().splitlines()
            with open(settings, "w") as f:
                for line in lines:
                    if line.startswith("TELNET_PORTS = "):
                        line = f"TELNET_PORTS = [{self.port}]"
                    elif line.startswith("AMP_PORT = "):
                        line = f"AMP_PORT = {free_port()}"
                    f.write(line + "\n")
            out = subprocess.run([python, script, "seed", self.gamedir, self.names], check=True,
                                 capture_output=True, text=True, env=self.env())
            self.rooms = json.loads(out.stdout.strip().splitlines()[-1])
            return
        if os.path.exists(self.gamedir):
            self.stop()
            shutil.rmtree(self.gamedir)
        self.port = free_port()
        subprocess.run([python, script, "init", self.gamedir, str(self.port), str(free_port()),
                        self.variant], check=True, env=self.env())
        # The first start runs Evennia's initial setup (Account #1, Limbo).
        os.environ.update({"EVENNIA_SUPERUSER_USERNAME": "benchadmin",
                           "EVENNIA_SUPERUSER_PASSWORD": "benchadmin-pass"})
        try:
            self.start()
        finally:
            os.environ.pop("EVENNIA_SUPERUSER_USERNAME")
            os.environ.pop("EVENNIA_SUPERUSER_PASSWORD")
        self._evennia("stop")
        out = subprocess.run([python, script, "seed", self.gamedir, self.names], check=True,
                             capture_output=True, text=True, env=self.env())
        self.rooms = json.loads(out.stdout.strip().splitlines()[-1])
        with open(made, "w") as f:
            json.dump(self.rooms, f)

    def start(self) -> None:
        # On a busy machine the launcher can give up waiting for the portal
        # before the server is up; asking again starts what is missing.
        for attempt in range(3):
            try:
                self._evennia("start")
            except subprocess.CalledProcessError:
                pass
            try:
                wait_for_login_screen(self.port, 90)
                return
            except RuntimeError:
                if attempt == 2:
                    raise

    def pids(self) -> list[int]:
        found = []
        for name in ("portal.pid", "server.pid"):
            try:
                with open(os.path.join(self.gamedir, "server", name)) as f:
                    found.append(int(f.read().strip()))
            except (OSError, ValueError):
                pass
        return found

    def stop(self) -> None:
        try:
            self._evennia("stop")
        except subprocess.CalledProcessError:
            pass

    def load_args(self, rooms: list[str]) -> list[str]:
        ids = ",".join(str(self.rooms[r]) for r in rooms)
        return ["--setup", "tel #{room}", "--rooms", ids, "--logged-in", "You become",
                "--teardown", f"tel #{self.rooms['dorm']}"]


def find_python(versions: tuple[str, ...]) -> str:
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    for version in versions:
        found = sorted(glob.glob(os.path.join(root, "versions", f"{version}.*", "bin",
                                              f"python{version}")))
        if found:
            return found[-1]
        on_path = shutil.which(f"python{version}")
        if on_path:
            return on_path
    raise SystemExit(f"Evennia {EVENNIA_VERSION} needs Python {' or '.join(versions)}: "
                     "install one (pyenv install 3.12) or run with --no-evennia")


def load(server: Any, clients: int, workloads: str, *, rooms: list[str], think: float,
         duration: float, warmup: float, event_word: str = "") -> list[dict[str, Any]]:
    """
    Run the load generator against C{server}; return its results.
    """
    favour(server.pids())
    args = [sys.executable, "-m", "bench.server.load", "--port", str(server.port),
            "--names", server.names, "--clients", str(clients), "--workloads", workloads,
            "--duration", str(duration), "--warmup", str(warmup), "--think", str(think),
            "--server-pids", ",".join(map(str, server.pids())),
            *server.load_args(rooms)]
    if event_word:
        args += ["--event-word", event_word]
    if PRIORITY["nice"]:
        args = ["nice", "-n", str(PRIORITY["nice"]), *args]
    done = subprocess.run(args, capture_output=True, text=True, cwd=REPO)
    results = []
    for line in done.stdout.splitlines():
        record = json.loads(line)
        if "login" in record:
            if record["login"]["failed"]:
                print(f"  {server.label}: {record['login']['failed']} of {clients} clients "
                      "could not log in:\n" + done.stderr[-1000:], file=sys.stderr)
            continue
        record["server"] = server.label
        results.append(record)
        print(f"  {server.label:16} N={clients:<5} {record['workload']:5} "
              f"{record.get('per_second', 0):>8}/s p50 {record.get('p50')} "
              f"p99 {record.get('p99')} ms err {record.get('errors')} "
              f"cpu {record.get('server_cpu')} load {record.get('load_cpu')}", flush=True)
    if done.returncode:
        print(done.stderr[-2000:], file=sys.stderr)
    return results


# -- tables -----------------------------------------------------------------


def table(headers: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def load_rows(results: list[dict[str, Any]]) -> list[list[Any]]:
    return [[r["server"], r["clients"], r.get("rooms", ""), r["workload"], r.get("per_second"),
             r.get("p50"), r.get("p90"), r.get("p99"), r.get("max"), r.get("errors"),
             f"{r.get('server_cpu', 0):.2f}", r.get("server_rss_mb"),
             f"{r.get('load_cpu', 0):.2f}", f"{r.get('loadavg', 0):.1f}"] for r in results]


LOAD_HEADERS = ["server", "N", "rooms", "command", "commands/s", "p50 ms", "p90 ms", "p99 ms",
                "max ms", "errors", "server CPU", "server RSS MB", "load generator CPU", "load avg"]


def ratios(results: list[dict[str, Any]]) -> list[list[Any]]:
    rows = []
    for n in sorted({r["clients"] for r in results}):
        for workload in ("say", "look", "walk"):
            found = {r["server"]: r for r in results
                     if r["clients"] == n and r["workload"] == workload}
            mine = found.get("Tessera")
            if mine is None:
                continue
            for peer in ("Evennia", "Evennia+NODELAY"):
                other = found.get(peer)
                if other is None or not other.get("per_second"):
                    continue
                rows.append([n, workload, peer,
                             f"{mine['per_second'] / other['per_second']:.1f}x",
                             f"{mine['p99']} vs {other['p99']}"])
    return rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.server", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="small N and short windows")
    p.add_argument("--no-evennia", action="store_true")
    p.add_argument("--parts", default="peers,paced,scripts,world")
    p.add_argument("--ns", default="", help="comma-separated N (default: by mode)")
    p.add_argument("--duration", type=float, default=0.0)
    p.add_argument("--think", type=float, default=5.0,
                   help="mean think time of the paced runs (seconds)")
    p.add_argument("--sizes", default="", help="world sizes (default: by mode)")
    p.add_argument("--out", default=os.path.join(REPO, ".bench-server"))
    p.add_argument("--compare-sync", action="store_true",
                   help="also run Tessera with --sync-every-turn in the peers part")
    p.add_argument("--priority", action="store_true",
                   help="run servers and load generator at nice -10 (needs root)")
    opts = p.parse_args(argv)

    def stopped(signum: int, frame: Any) -> None:
        raise SystemExit(f"stopped by signal {signum}")  # the servers are stopped on the way out

    signal.signal(signal.SIGTERM, stopped)
    if opts.priority:
        PRIORITY["nice"] = -10
        release = restore_group_priority()
        favour([os.getpid()])  # and the load generator, a child of this process
        if release is not None:
            atexit.register(release)
    parts = set(opts.parts.split(","))
    ns = tuple(int(n) for n in opts.ns.split(",") if n) or (QUICK_NS if opts.quick else FULL_NS)
    duration = opts.duration or (4.0 if opts.quick else 8.0)
    warmup = 1.0 if opts.quick else 2.0
    paced = (100, 200) if opts.quick else (1000, 2000)
    sizes = tuple(int(s) for s in opts.sizes.split(",") if s) or (
        (10**4,) if opts.quick else (10**4, 10**5, 10**6))
    biggest = max((*ns, *(paced if "paced" in parts else ())))
    os.makedirs(os.path.join(opts.out, "results"), exist_ok=True)
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"# Server benchmark, {stamp}\n\nMachine: {platform.machine()}, {os.cpu_count()} cores "
          f"({cpu_model()}), Python {platform.python_version()}; load average at start "
          f"{os.getloadavg()[0]:.1f}"
          f"{'; servers and load generator at nice -10' if opts.priority else ''}.\n",
          flush=True)

    results: dict[str, Any] = {"date": stamp, "machine": cpu_model(), "ns": ns,
                               "argv": list(sys.argv[1:] if argv is None else argv)}
    tessera = Tessera(opts.out, biggest, biggest)
    peers: list[Any] = []
    try:
        print("Preparing the Tessera world...", flush=True)
        tessera.prepare()
        tessera.start()
        if "peers" in parts and opts.compare_sync:
            strict = Tessera(opts.out, biggest, biggest, ("--sync-every-turn",))
            peers.append(strict)
            strict.prepare()
            strict.start()
        if "peers" in parts and not opts.no_evennia:
            names = os.path.join(opts.out, "evennia-names.txt")
            with open(tessera.names) as f, open(names, "w") as g:
                g.writelines(f.readlines()[:EVENNIA_MAX_N])
            for variant in ("shipped", "nodelay"):
                peer = Evennia(opts.out, variant, names)
                print(f"Preparing {peer.label} (first time: installs Evennia "
                      f"{EVENNIA_VERSION})...", flush=True)
                peer.install()
                peers.append(peer)  # stopped at the end, whatever happens
                peer.prepare()
                peer.start()
        if "peers" in parts:
            print("\nInterleaved runs (no think time):", flush=True)
            runs: list[dict[str, Any]] = []
            halls = [f"hall-{i}" for i in range(PAIRS)]
            for n in ns:
                for server in (tessera, *peers):
                    if isinstance(server, Evennia) and n > EVENNIA_MAX_N:
                        continue
                    # One room up to 1,000 clients; 2,000 are spread over rooms.
                    for record in load(server, n, "say,look,walk",
                                       rooms=["hall-0"] if n <= 1000 else halls, think=0.0,
                                       duration=duration, warmup=warmup):
                        record["rooms"] = 1 if n <= 1000 else PAIRS
                        runs.append(record)
            results["peers"] = runs
        if "paced" in parts:
            print(f"\nPaced runs (think time {opts.think} s):", flush=True)
            runs = []
            halls = [f"hall-{i}" for i in range(PAIRS)]
            for record in load(tessera, paced[0], "look,say", rooms=["hall-0"],
                               think=opts.think, duration=duration * 2, warmup=opts.think):
                record["rooms"] = 1
                runs.append(record)
            for record in load(tessera, paced[1], "look,say,walk", rooms=halls,
                               think=opts.think, duration=duration * 2, warmup=opts.think):
                record["rooms"] = PAIRS
                runs.append(record)
            results["paced"] = runs
        if "scripts" in parts:
            print("\nScripted room (parrots answer every say):", flush=True)
            runs = []
            for room in ("aviary", "quiet"):
                for record in load(tessera, 10, "say", rooms=[room], think=0.0,
                                   duration=duration, warmup=warmup, event_word="squawks"):
                    record["room"] = room
                    runs.append(record)
            results["scripts"] = runs
    finally:
        tessera.stop()
        for peer in peers:
            peer.stop()
    if "world" in parts:
        print("\nWorld size:", flush=True)
        results["world"] = [world_size(opts.out, size) for size in sizes]

    report = render(results, opts)
    name = time.strftime("%Y%m%d-%H%M", time.gmtime())
    with open(os.path.join(opts.out, "results", f"{name}.json"), "w") as f:
        json.dump(results, f, indent=1)
    with open(os.path.join(opts.out, "results", f"{name}.md"), "w") as f:
        f.write(report)
    print("\n" + report)
    return 0


def world_size(root: str, size: int) -> dict[str, Any]:
    """
    The world-size figures for C{size} objects, and how long a server on
    that world takes to answer a connection with its login screen.
    """
    db = os.path.join(root, "worlds", f"world-{size}.fs")
    os.makedirs(os.path.dirname(db), exist_ok=True)
    out = subprocess.run([sys.executable, "-m", "bench.server.tessera_world", "size", db,
                          str(size)], check=True, capture_output=True, text=True, cwd=REPO)
    record = json.loads(out.stdout)
    port = free_port()
    tessera = os.path.join(os.path.dirname(sys.executable), "tessera")
    started = time.monotonic()
    process = subprocess.Popen([tessera, "run", "--db", db, "--content", "", "--interface",
                                "127.0.0.1", "--port", str(port), "--pack-interval", "0"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
    try:
        wait_for_login_screen(port, 300)
        record["server_ready_s"] = round(time.monotonic() - started, 2)
        with open(f"/proc/{process.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    record["server_rss_mb"] = round(int(line.split()[1]) / 1024, 1)
    finally:
        process.terminate()
        process.wait(60)
    print(f"  {size:>8} objects: {record}", flush=True)
    return record


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def render(results: dict[str, Any], opts: argparse.Namespace) -> str:
    given = " ".join(results.get("argv", []))
    command = f'make bench-server ARGS="{given}"' if given else "make bench-server"
    out = [f"Run {results['date']} on {results['machine']}; command: `{command}`."]
    if results.get("peers"):
        out += ["", "### Interleaved, no think time", "",
                table(LOAD_HEADERS, load_rows(results["peers"]))]
        rows = ratios(results["peers"])
        if rows:
            out += ["", "### Tessera against Evennia (same N, same run)", "",
                    table(["N", "command", "peer", "Tessera commands/s ÷ peer's",
                           "p99 ms: Tessera vs peer"], rows)]
    if results.get("paced"):
        out += ["", f"### Paced: each client thinks {opts.think} s on average (exponential) "
                "between an answer and its next command", "",
                table(LOAD_HEADERS, load_rows(results["paced"]))]
    if results.get("scripts"):
        rows = [[r["room"], r["clients"], r.get("per_second"), r.get("p50"), r.get("p99"),
                 r.get("events_per_second"), r.get("errors"), f"{r.get('server_cpu', 0):.2f}"]
                for r in results["scripts"]]
        out += ["", f"### Speech in a room of {PARROTS} scripted parrots and in the same room "
                "without them", "",
                f"Each say wakes {MAX_HANDLERS} of the parrots (the most one happening wakes); "
                f"their one owner's messages are limited to {OUTPUT_RATE:g} a second (burst "
                f"{OUTPUT_BURST}), so each client reads about {OUTPUT_RATE:g} squawks a second "
                "however fast it speaks: script events read/s near that times N is the limit "
                "working, not a miscount.", "",
                table(["room", "N", "say/s", "p50 ms", "p99 ms", "script events read/s",
                       "errors", "server CPU"], rows)]
    if results.get("world"):
        rows = [[f"{r['objects']:,}", r["file_mb"], r["open_s"], r["open_rss_mb"],
                 r["commit_p50_ms"], r["commit_max_ms"], r["read_1000_cold_ms"],
                 r.get("server_ready_s"), r.get("server_rss_mb")] for r in results["world"]]
        out += ["", "### World size", "",
                table(["objects", "file MB", "open s", "RSS after open MB", "commit p50 ms",
                       "commit max ms", "1,000 random reads (cold) ms",
                       "server answers after s", "server RSS MB"], rows)]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.exit(main())
