"""
A player who keeps changing the world, for the durability test: a process of
its own that logs in and sets C{me/k<n mod 32> = n} for n = START, START+1,
... as fast as the server answers, printing each n on a line of its own
once the server has acknowledged it (answered after its turn committed),
until the server goes away::

    python -m tests.fuzz.durability PORT NAME START
"""

from __future__ import annotations

import sys

from tests.fuzz.harness import PROMPT, Player

#: Properties each player cycles through.
SLOTS = 32


def key(number: int) -> str:
    """
    The property turn C{number} sets.
    """
    return f"k{number % SLOTS}"


def main(argv: list[str]) -> int:
    """
    Run one player (see the module docstring).
    """
    port, name, start = int(argv[0]), argv[1], int(argv[2])
    try:
        player = Player(port, timeout=120)
        player.read_until(b"create <name>")
        player.send(f"{'create' if start == 0 else 'connect'} {name} correct horse")
        player.read_until(PROMPT)
        print("ready", flush=True)
        number = start
        while True:
            answer = player.command(f"@set me/{key(number)} = {number}")
            if f"{key(number)} = {number}".encode() not in answer:
                print(f"refused {number}: {answer!r}", flush=True)
                return 1
            print(number, flush=True)
            number += 1
    except (ConnectionError, OSError):
        return 0  # the server was killed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
