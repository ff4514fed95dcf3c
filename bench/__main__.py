"""
Sandbox overhead: the same scripts in plain CPython, in Tessera's sandbox, and
in RestrictedPython (the peer), measured in one run on one machine.

Prints, for each workload, the best of several timings and the ratios
Tessera / CPython, RestrictedPython / CPython and Tessera / RestrictedPython.
RestrictedPython counts no CPU (it has no tick budget), so it is the cost of
guards alone; Tessera's figure includes its tick accounting and size charges.

    python -m bench [--repeat N] [--markdown] [--only NAME] [--instructions] [--server]

With --instructions, each figure is the number of CPU instructions one warm run
executes, counted by callgrind (slow, but repeatable on a busy machine); the
ratios are then ratios of instructions, and "ms" columns are millions of them.

With --server, the table compares instead Tessera as C{scripting.run} runs it with Tessera
as the server runs it (L{server}: the script runtime's domains and their task clock, which
leaves out the garbage collector's pauses).
"""

from __future__ import annotations

import argparse
import math
import platform
import sys
import time
from collections.abc import Callable

import scripting
from bench.workloads import WORKLOADS

BIG = scripting.Budget(ticks=10**9, seconds=600.0, memory=1 << 30, output=1 << 20, depth=60)


def plain(source: str) -> Callable[[], object]:
    code = compile(source, "<plain>", "exec")

    def run() -> object:
        namespace: dict = {}
        exec(code, namespace)
        return namespace["result"]

    return run


def tessera(source: str) -> Callable[[], object]:
    def run() -> object:
        outcome = scripting.run(source + "\nresult\n", budget=BIG, owner="bench")
        if not outcome.ok:
            raise RuntimeError(outcome.error)
        return outcome.value

    return run


def server(source: str) -> Callable[[], object]:
    """Tessera as the server runs scripts: each run in a domain the server's script
    runtime makes (L{engine.scripts.runtime.ScriptRuntime.domain}, over a stub store),
    so with the clock it gives its domains (by default the monotonic clock less the
    garbage collector's pauses, L{scripting.clocks.pause_free}), read at every refill.
    A fresh domain each run, as L{tessera} makes, whose domains read C{time.monotonic}
    itself: the two differ by the clock and the library resolver only."""
    from types import SimpleNamespace

    from engine.scripts.runtime import ScriptRuntime

    runtime = ScriptRuntime(SimpleNamespace(committed=[]), None)

    def run() -> object:
        runtime.domains.clear()  # a fresh domain, as scripting.run makes
        outcome = runtime.domain(None).run(source + "\nresult\n", budget=BIG)
        if not outcome.ok:
            raise RuntimeError(outcome.error)
        return outcome.value

    return run


def restricted(source: str) -> Callable[[], object] | None:
    try:
        from RestrictedPython import compile_restricted, safe_globals
        from RestrictedPython.Eval import default_guarded_getitem, default_guarded_getiter
        from RestrictedPython.Guards import (
            full_write_guard,
            guarded_iter_unpack_sequence,
            guarded_unpack_sequence,
            safer_getattr,
        )
    except ImportError:
        return None
    code = compile_restricted(source, "<restricted>", "exec")

    def inplace(op: str, x: object, y: object) -> object:
        import operator

        return {"+=": operator.iadd, "-=": operator.isub, "*=": operator.imul}[op](x, y)

    def write(ob: object) -> object:
        # Instances of the script's own classes may be written, as Zope allows
        # for classes marked _guarded_writes; everything else goes to the guard.
        return ob if type(ob).__module__ == "restricted" else full_write_guard(ob)

    def run() -> object:
        namespace = dict(safe_globals)
        namespace["__builtins__"] = dict(safe_globals["__builtins__"], sum=sum, sorted=sorted)
        namespace.update(
            _getattr_=safer_getattr, _getitem_=default_guarded_getitem,
            _getiter_=default_guarded_getiter, _write_=write,
            _iter_unpack_sequence_=guarded_iter_unpack_sequence,
            _unpack_sequence_=guarded_unpack_sequence, _inplacevar_=inplace,
            __name__="restricted", __metaclass__=type,
        )
        exec(code, namespace)
        return namespace["result"]

    return run


def best(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    value = run()  # warm caches (compile, imports)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        value = run()
        times.append(time.perf_counter() - start)
    return min(times), value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--only", action="append", help="run only this workload (repeatable)")
    parser.add_argument("--instructions", action="store_true",
                        help="count instructions under callgrind instead of timing")
    parser.add_argument("--server", action="store_true",
                        help="compare scripting.run with the server's runtime and clock")
    args = parser.parse_args(argv)
    names = args.only or list(WORKLOADS)
    unknown = [n for n in names if n not in WORKLOADS]
    if unknown:
        parser.error(f"unknown workload(s) {unknown}; known: {', '.join(WORKLOADS)}")
    if args.server:
        return compare_server(names, args)
    if args.instructions:
        from bench.instructions import warm_run

        rows = []
        for name in names:
            base, ours, peer = (warm_run(r, name) for r in ("plain", "tessera", "restricted"))
            rows.append((name, base / 1e9, ours / 1e9, None if peer is None else peer / 1e9))
            print(f"  {name}: {ours / base:.2f}x", file=sys.stderr, flush=True)
        unit = "M instructions"
        return report(rows, unit, "one warm run, counted by callgrind", args.markdown)
    rows = []
    for name in names:
        source = WORKLOADS[name]
        base, expected = best(plain(source), args.repeat)
        ours, value = best(tessera(source), args.repeat)
        if value != expected:
            raise SystemExit(f"{name}: Tessera answered {value!r}, CPython {expected!r}")
        peer_run = restricted(source)
        peer = None
        if peer_run is not None:
            peer, peer_value = best(peer_run, args.repeat)
            if peer_value != expected:
                raise SystemExit(f"{name}: RestrictedPython answered {peer_value!r}")
        rows.append((name, base, ours, peer))
    return report(rows, "ms", f"best of {args.repeat}", args.markdown)


def compare_server(names: list[str], args: argparse.Namespace) -> int:
    """The --server table: each workload through L{tessera} and L{server}."""
    rows = []
    for name in names:
        if args.instructions:
            from bench.instructions import warm_run

            ours, theirs = (warm_run(r, name) / 1e9 for r in ("tessera", "server"))
            print(f"  {name}: {theirs / ours:.3f}x", file=sys.stderr, flush=True)
        else:
            source = WORKLOADS[name]
            ours, expected = best(tessera(source), args.repeat)
            theirs, value = best(server(source), args.repeat)
            if value != expected:
                raise SystemExit(f"{name}: the server's runtime answered {value!r}, "
                                 f"scripting.run {expected!r}")
        rows.append((name, ours, theirs))
    unit = "M instructions" if args.instructions else "ms"
    how = ("one warm run, counted by callgrind" if args.instructions
           else f"best of {args.repeat}")
    print(f"Python {platform.python_version()} on {platform.machine()}, {how}")
    header = ("workload", f"scripting.run {unit}", f"server runtime {unit}", "server/run")
    lines = [(name, f"{a * 1e3:.1f}", f"{b * 1e3:.1f}", f"{b / a:.3f}x")
             for name, a, b in rows]
    lines.append(("geometric mean", "", "", f"{geomean([b / a for _, a, b in rows]):.3f}x"))
    _table(header, lines, args.markdown)
    return 0


def geomean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values))


def report(rows: list, unit: str, how: str, markdown: bool) -> int:
    """Print the table (figures in seconds, or thousands of instructions) and the means."""
    print(f"Python {platform.python_version()} on {platform.machine()}, {how}")
    header = ("workload", f"CPython {unit}", f"Tessera {unit}", f"RestrictedPython {unit}",
              "Tessera/CPython", "RestrictedPython/CPython", "Tessera/RestrictedPython")
    lines = []
    for name, base, ours, peer in rows:
        lines.append((
            name, f"{base * 1e3:.1f}", f"{ours * 1e3:.1f}",
            "-" if peer is None else f"{peer * 1e3:.1f}",
            f"{ours / base:.2f}x", "-" if peer is None else f"{peer / base:.2f}x",
            "-" if peer is None else f"{ours / peer:.2f}x",
        ))
    ours = [r[2] / r[1] for r in rows]
    peers = [r[3] / r[1] for r in rows if r[3] is not None]
    lines.append(("geometric mean", "", "", "", f"{geomean(ours):.2f}x",
                  f"{geomean(peers):.2f}x" if len(peers) == len(rows) else "-",
                  f"{geomean([r[2] / r[3] for r in rows]):.2f}x"
                  if len(peers) == len(rows) else "-"))
    _table(header, lines, markdown)
    return 0


def _table(header: tuple, lines: list, markdown: bool) -> None:
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for line in lines:
            print("| " + " | ".join(line) + " |")
    else:
        widths = [max(len(str(r[i])) for r in (header, *lines)) for i in range(len(header))]
        for line in (header, *lines):
            print("  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)))


if __name__ == "__main__":
    sys.exit(main())
