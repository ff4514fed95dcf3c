"""
What making a domain costs, in instructions (callgrind), as C{bench.instructions} counts.

    python -m bench.domains [--runs N] [CASE ...]

Every C{scripting.run} makes a fresh domain (so does every owner's first script in the
engine, every test, every check of a script before it is saved); its cost is paid before
any of the script runs. Each case runs in its own process under callgrind with
C{PYTHONHASHSEED} fixed, counting only instructions inside C{exec()}, once with one run and
once with 1 + N (default 50); the difference over N is the cost of one warm run (the first
pays imports and the process-wide tables, once per process), the cyclic garbage collector's
share of cleaning up after N runs included (one run alone may never start it).

Cases:
  - C{domain}: C{Domain("bench")};
  - C{run}: C{scripting.run("result = 1")} (a fresh domain, compile cached after the first);
  - C{load}: one more module loaded into a domain that exists (C{Domain.load}).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile

from bench.instructions import HASH_SEED

CASES = {
    "domain": "Domain('bench')",
    "run": "run('result = 1', owner='bench')",
    "load": "D.load('result = 1', name='m')",
}
SETUP = "from scripting import Domain, run\nD = Domain('warm')\n"


def count(case: str, runs: int) -> int:
    """Instructions executed inside exec() by C{runs} runs of C{case} (and the setup)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        proc = subprocess.run(  # noqa: S603 - fixed arguments, our own case names
            ["valgrind",  # noqa: S607
             "--tool=callgrind", "--toggle-collect=builtin_exec*",
             f"--callgrind-out-file={out}", sys.executable, "-m", "bench.domains",
             "--inside", case, str(runs)],
            capture_output=True, text=True, check=False,
            env={**os.environ, "PYTHONHASHSEED": HASH_SEED},
        )
        found = re.search(r"Collected : (\d+)", proc.stderr)
        if proc.returncode or found is None:
            raise SystemExit(f"callgrind failed for {case}:\n{proc.stderr[-2000:]}")
        return int(found.group(1))


def warm(case: str, runs: int = 50) -> float:
    """Instructions of one warm run of C{case}: (1 + runs runs - 1 run) / runs."""
    return (count(case, 1 + runs) - count(case, 1)) / runs


def inside(case: str, runs: int) -> int:
    namespace: dict = {}
    exec(SETUP, namespace)
    step = compile(CASES[case], "<bench>", "exec")
    for i in range(runs):
        namespace["i"] = i
        exec(step, namespace)
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["--inside"]:
        return inside(argv[1], int(argv[2]))
    if shutil.which("valgrind") is None:
        raise SystemExit("needs valgrind (apt-get install valgrind)")
    runs = 50
    if argv[:1] == ["--runs"]:
        runs, argv = int(argv[1]), argv[2:]
    for case in argv or list(CASES):
        if case not in CASES:
            raise SystemExit(f"unknown case {case!r}; known: {', '.join(CASES)}")
        print(f"{case}: {warm(case, runs) / 1e6:.2f} M instructions", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
