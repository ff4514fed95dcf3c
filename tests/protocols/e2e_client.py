"""
A third-party MUD client run against a live Tessera server: the telnetlib3
client library, driven as a separate process by
L{tests.protocols.test_client_e2e}.

    python e2e_client.py HOST PORT NAME PASSWORD MOVES

It connects (accepting GMCP, MCCP2, CHARSET, TTYPE as telnetlib3 does),
creates a character, walks MOVES steps choosing exits from the last
C{Room.Info}, then quits. It prints one JSON object: every GMCP message in
order, which exits it took, whether compression was on, and the text seen.
"""

from __future__ import annotations

import asyncio
import copy
import json
import sys
from typing import Any

import telnetlib3
from telnetlib3.client import TelnetClient

GMCP_MESSAGES: list[tuple[str, Any]] = []


class RecordingClient(TelnetClient):
    """
    telnetlib3's client, keeping every GMCP message in arrival order.
    """

    def on_gmcp(self, package: str, data: Any) -> None:
        # A copy: telnetlib3 merges later messages into the first dict it saw.
        GMCP_MESSAGES.append((package, copy.deepcopy(data)))
        super().on_gmcp(package, data)


async def read_until(reader: Any, needle: str, seen: list[str], timeout: float) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while needle not in "".join(seen):
        left = deadline - loop.time()
        if left <= 0:
            raise TimeoutError(f"never saw {needle!r}")
        chunk = await asyncio.wait_for(reader.read(4096), left)
        if not chunk:
            raise EOFError(f"connection closed before {needle!r}")
        seen.append(chunk)


async def wait_for_room(count: int, timeout: float) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        rooms = [d for p, d in GMCP_MESSAGES if p == "Room.Info"]
        if len(rooms) >= count:
            return rooms[count - 1]
        if loop.time() > deadline:
            raise TimeoutError(f"only {len(rooms)} Room.Info messages")
        await asyncio.sleep(0.05)


async def main(host: str, port: int, name: str, password: str, moves: int) -> dict[str, Any]:
    reader, writer = await telnetlib3.open_connection(
        host, port, client_factory=RecordingClient, encoding="utf8",
        connect_minwait=0.2, connect_maxwait=2.0, term="xterm-256color")
    seen: list[str] = []
    result: dict[str, Any] = {"taken": [], "error": None}
    try:
        await read_until(reader, "create", seen, 20)
        writer.write(f"create {name} {password}\r\n")
        room = await wait_for_room(1, 60)
        result["mccp2"] = bool(getattr(writer, "mccp2_active", False))
        visited = [room["num"]]
        came_from = None
        for _ in range(moves):
            exits = room.get("exits") or {}
            choices = [k for k, v in exits.items() if v != came_from] or list(exits)
            if not choices:
                break
            key = choices[0]
            result["taken"].append([key, exits[key]])
            came_from = room["num"]
            writer.write(f"go {key}\r\n")
            room = await wait_for_room(len(visited) + 1, 20)
            visited.append(room["num"])
        writer.write("quit\r\n")
        try:
            await read_until(reader, "Goodbye", seen, 10)
        except (EOFError, TimeoutError):
            pass
    except Exception as e:  # reported in the JSON, the test shows it
        result["error"] = f"{type(e).__name__}: {e}"
    result.setdefault("mccp2", False)
    result["gmcp"] = GMCP_MESSAGES
    result["text"] = "".join(seen)[-4000:]
    writer.close()
    return result


if __name__ == "__main__":
    host, port, name, password, moves = sys.argv[1:6]
    print(json.dumps(asyncio.run(main(host, int(port), name, password, int(moves)))))
