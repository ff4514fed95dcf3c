"""
Instruction counts under callgrind: repeatable where timings on a shared machine are not.

    python -m bench --instructions [--only NAME]

Each workload runs in its own process under C{valgrind --tool=callgrind}, counting only
instructions executed inside C{exec()} (the script itself, whichever runner); a second
process runs it twice, and the difference is the cost of one warm run.

Every measured process runs with C{PYTHONHASHSEED} fixed (L{HASH_SEED}): string hashes
decide where dict and set entries land, and with a random seed the same workload's count
moved by up to 18% from one process to the next (function calls: 197 M to 234 M).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile

RUNNERS = ("plain", "tessera", "restricted", "server")
HASH_SEED = "0"  # the same string hashes in every measured process: repeatable counts


def count(runner: str, name: str, runs: int) -> int:
    """Instructions executed inside exec() by C{runs} runs of one workload."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        # a fixed argument list: valgrind from PATH, this Python, our own workload names
        proc = subprocess.run(  # noqa: S603
            ["valgrind",  # noqa: S607
             "--tool=callgrind", "--toggle-collect=builtin_exec*",
             f"--callgrind-out-file={out}", sys.executable, "-m", "bench.instructions",
             runner, name, str(runs)],
            capture_output=True, text=True, check=False,
            env={**os.environ, "PYTHONHASHSEED": HASH_SEED},
        )
        found = re.search(r"Collected : (\d+)", proc.stderr)
        if proc.returncode or found is None:
            raise SystemExit(f"callgrind failed for {runner} {name}:\n{proc.stderr[-2000:]}")
        return int(found.group(1))


def warm_run(runner: str, name: str) -> int | None:
    """Instructions of one warm run (second run minus first); None if the runner is absent."""
    if shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind (apt-get install valgrind)")
    if runner == "restricted" and _make(runner, name) is None:
        return None
    return count(runner, name, 2) - count(runner, name, 1)


def _make(runner: str, name: str):
    from bench.__main__ import plain, restricted, server, tessera
    from bench.workloads import WORKLOADS

    return {"plain": plain, "tessera": tessera, "restricted": restricted,
            "server": server}[runner](
        WORKLOADS[name])


def main(argv: list[str]) -> int:
    runner, name, runs = argv[0], argv[1], int(argv[2])
    run = _make(runner, name)
    assert run is not None
    for _ in range(runs):
        run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
