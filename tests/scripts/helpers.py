"""
Two builders in the small test world, and a quick way to script their things
through the in-game editor, the way players do.
"""

from __future__ import annotations

import os
import textwrap
from typing import Any

from engine.testing import SimulatedBrowser, SimulatedClient, TestWorld
from world.objects import Thing


def flat(text: str) -> str:
    """
    C{text} with its lines joined and its spaces single (messages wrap).
    """
    return " ".join(text.split())


def script(player: SimulatedClient, thing: str, source: str) -> str:
    """
    Type C{source} into the editor for C{thing} (in place of any script it
    had) and save it; return what the save said. A script saved with
    problems keeps the editor open: it is left (C{.abort}, the script stays
    saved), so that what is typed next is a command again.
    """
    player.send(f"@script {thing}")
    player.send(".clear")
    for line in textwrap.dedent(source).strip("\n").split("\n"):
        player.send(line)
    said = player.send(".")
    if "leaves it as saved." in flat(said):
        player.send(".abort")
    return said


def make(player: SimulatedClient, name: str, source: str | None = None,
         *, drop: bool = True) -> str:
    """
    C{@create} a thing called C{name}, drop it, and script it with C{source}.
    """
    player.send(f"@create {name}")
    if drop:
        player.send(f"drop {name}")
    return script(player, name, source) if source is not None else ""


class Scene:
    """
    A test world with Alice and Bob, builders, both in the town square, and
    Carol, a player, there too.
    """

    def __init__(self, world: TestWorld | None = None, **kw: Any) -> None:
        self.world = world or TestWorld(**kw)
        self.alice = self.world.login("Alice", role="builder")
        self.bob = self.world.login("Bob", role="builder")
        self.carol = self.world.login("Carol")
        self.read()

    def read(self) -> None:
        """
        Forget what everyone has been shown so far.
        """
        for player in (self.alice, self.bob, self.carol):
            player.output()

    def thing(self, name: str) -> Thing:
        """
        The (first) object called C{name}.
        """
        with self.world.store.turn() as turn:
            for obj in turn.root.all():
                if obj.name == name:
                    return obj
        raise AssertionError(f"no {name}")

    def character(self, name: str) -> Thing:
        return self.thing(name)

    def set_property(self, name: str, key: str, value: Any = True) -> None:
        """
        Set C{key} of every object called C{name} to C{value} (a seal, a
        lock), as its owner's C{@set} would.
        """
        with self.world.store.turn() as turn:
            for obj in turn.root.all():
                if obj.name == name:
                    obj.set_property(key, value)

    def lock_exits(self, room: str = "Town Square") -> None:
        """
        Lock every exit out of the room called C{room}.
        """
        with self.world.store.turn() as turn:
            for obj in turn.root.all():
                if obj.kind == "exit" and obj.location.name == room:
                    obj.set_property("locked", True)


def web_reader(scene: Scene, name: str = "Dana") -> SimulatedBrowser:
    """
    A player on the web page in C{scene}'s room, whose page asked for
    C{Comm} GMCP, with what she was shown so far forgotten.
    """
    web = scene.world.login_web(name)
    web.supports("Comm 1")
    web.received()
    return web


def content_folder(directory: str, files: dict[str, str]) -> str:
    """
    Make a content folder C{directory} holding C{files} (each file's name,
    and its text): C{directory}.
    """
    os.makedirs(directory)
    for name, text in files.items():
        with open(os.path.join(directory, name), "w") as f:
            f.write(text)
    return directory
