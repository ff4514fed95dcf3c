"""
The server's CPU time per line a crowded room hears, in one process: N
simulated telnet clients (L{engine.testing.TestWorld}, over Twisted's
C{StringTransport}, no sockets) logged in to one room, one of them saying
lines; what is measured is the process's CPU time for the says (delivery
to every listener included) divided by the lines delivered. No load
generator shares the machine with the server here, so the figure moves
much less with other work on the machine than the closed-loop runs of
L{bench.server} do; it leaves out the kernel's side of the writes.

    .venv/bin/python -m bench.server.fanout --clients 500 --says 40 [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time

from engine.limits import Limits
from engine.testing import SimulatedClient, TestWorld

#: Limits lifted so that one address may log in and talk as much as asked.
OPEN = Limits(command_rate=1e9, command_burst=10**9, max_sessions=100_000,
              connections_per_minute=10**9, creations_per_hour=10**9, max_prelogin=10**6,
              prelogin_per_address=10**6, connection_rate=1e9, connection_burst=10**9)


def name(n: int) -> str:
    """
    The C{n}th client's character name (letters only).
    """
    return "Bot" + "".join("abcdefghij"[int(digit)] for digit in f"{n:05d}")


def crowd(clients: int) -> tuple[TestWorld, list[SimulatedClient]]:
    """
    A world with C{clients} players logged in to its start room.
    """
    world = TestWorld(limits=OPEN)
    players = []
    for n in range(clients):
        world.clock.advance(10)
        players.append(world.login(name(n)))
    return world, players


def says(players: list[SimulatedClient], count: int) -> float:
    """
    The CPU seconds the first player's C{count} says take, every
    listener's output thrown away after each.
    """
    def forget() -> None:
        for player in players:
            player.transport.clear()
            player._read = 0

    forget()
    started = time.process_time()
    for n in range(count):
        players[0].send(f"say hello number {n} from me")
        forget()
    return time.process_time() - started


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.server.fanout", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--clients", type=int, default=500)
    p.add_argument("--says", type=int, default=40)
    p.add_argument("--profile", action="store_true", help="print a cProfile of the says")
    opts = p.parse_args(argv)
    world, players = crowd(opts.clients)
    try:
        says(players, 5)  # (warm: caches, the first turns)
        seconds = says(players, opts.says)
        print(f"{opts.clients} clients, {opts.says} says: "
              f"{seconds / opts.says / opts.clients * 1e6:.2f} µs of CPU per line delivered")
        if opts.profile:
            profile = cProfile.Profile()
            profile.runcall(says, players, opts.says)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    finally:
        world.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
