"""
What a task whose calls go through k modules costs in refills (issue 11 §3).

    python -m bench.modules [--instructions] [--one] [K ...]

Each module counts down its own ticks, and a task shares its C{REFILL} frames among the
modules it has run (C{Task.refill}: each is granted its share), so the same work spread
over more modules refills more often. The workload is the "function calls" benchmark's
(100 000 calls of a one-tick C{step}) with the calls spread round-robin over K library
modules of one domain (K = 0: C{step} in the script itself); with C{--one}, the script
calls each library's C{step} once and then makes every call through the first (K modules
ran in the task, one is in use). Prints the refills one run
makes (counted in this process) and, with C{--instructions}, the instructions of one warm
run inside C{exec()} (callgrind, C{PYTHONHASHSEED} fixed, the second run minus the first).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile

from bench.instructions import HASH_SEED

CALLS = 100_000
STEP = "def step(x):\n    return x + 1\nexports = ('step',)\n"


def setup(k: int, one: bool = False) -> tuple:
    """A domain holding K libraries, and the script that calls through them (through
    the first only, after calling each once, if C{one})."""
    import scripting

    domain = scripting.Domain("bench")
    for i in range(k):
        module = domain.load(STEP, name=f"lib{i}", library=True)
        assert module.result.ok, module.result.error
    if k:
        head = "".join(f"import lib{i}\n" for i in range(k))
        head += "fns = [" + ", ".join(f"lib{i}.step" for i in range(k)) + "]\n"
    else:
        head = STEP + "fns = [step]\n"
    if one:
        head += "y = 0\nfor f in fns:\n    y = f(y) - 1\nfns = fns[:1]\n"
    source = head + (f"k = len(fns)\ny = 0\nfor i in range({CALLS}):\n"
                     "    y = fns[i % k](y)\nresult = y\nresult\n")
    return domain, source


def refills(k: int, one: bool = False) -> int:
    """How many times one run refills a module's countdown."""
    from scripting.task import Task

    domain, source = setup(k, one)
    real = Task.refill
    count = 0

    def counting(self: Task, g: dict) -> None:
        nonlocal count
        count += 1
        real(self, g)

    Task.refill = counting  # type: ignore[method-assign]
    try:
        result = domain.run(source, budget=_big())
    finally:
        Task.refill = real  # type: ignore[method-assign]
    assert result.ok and result.value == CALLS, result.error
    return count


def _big():  # the benchmarks' budget: large enough never to abort
    from bench.__main__ import BIG

    return BIG


def count(k: int, runs: int, one: bool = False) -> int:
    """Instructions inside exec() of C{runs} runs (callgrind)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        proc = subprocess.run(  # noqa: S603 - fixed arguments
            ["valgrind",  # noqa: S607
             "--tool=callgrind", "--toggle-collect=builtin_exec*",
             f"--callgrind-out-file={out}", sys.executable, "-m", "bench.modules",
             "--inside", str(k), str(runs), *(["--one"] if one else [])],
            capture_output=True, text=True, check=False,
            env={**os.environ, "PYTHONHASHSEED": HASH_SEED},
        )
        found = re.search(r"Collected : (\d+)", proc.stderr)
        if proc.returncode or found is None:
            raise SystemExit(f"callgrind failed for k={k}:\n{proc.stderr[-2000:]}")
        return int(found.group(1))


def inside(k: int, runs: int, one: bool = False) -> int:
    domain, source = setup(k, one)
    namespace = {"domain": domain, "source": source, "budget": _big()}
    step = compile("result = domain.run(source, budget=budget)", "<bench>", "exec")
    for _ in range(runs):
        exec(step, namespace)
        assert namespace["result"].ok, namespace["result"].error
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["--inside"]:
        return inside(int(argv[1]), int(argv[2]), argv[3:] == ["--one"])
    instructions = "--instructions" in argv
    one = "--one" in argv
    argv = [a for a in argv if a not in ("--instructions", "--one")]
    if instructions:
        if shutil.which("valgrind") is None:
            raise SystemExit("--instructions needs valgrind (apt-get install valgrind)")
    print("| libraries K | modules in the task | refills | instructions M |")
    print("|---|---|---|---|")
    for k in [int(a) for a in argv] or [0, 1, 2, 4, 8]:
        made = f"{(count(k, 2, one) - count(k, 1, one)) / 1e6:.1f}" if instructions else "-"
        print(f"| {k} | {k + 1} | {refills(k, one)} | {made} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
