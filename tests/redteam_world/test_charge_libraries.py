"""
A library's owner saving it again and again, to make the players whose
scripts import it pay for loading them again each time: a new version
reaches another owner's script at most once every RELOAD_SPACING seconds.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.scripts.libraries import RELOAD_SPACING
from tests.scripts.helpers import Scene, make, script

LIBRARY = """
exports = ("version",)

def version():
    return "v{n}"
"""

IMPORTER = """
import tools

state.set("loads", (state.get("loads") or 0) + 1)

def verb_ask(actor, *rest):
    actor.tell("%s, loaded %d times" % (tools.version(), state.get("loads")))
"""


class LibraryResaveTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.world.server.scripts.meters.cpu_time = lambda: 0.0
        self.save_library(0)
        self.s.bob.send("@grant alice = library tools")

    def save_library(self, n: int) -> None:
        self.s.bob.send("@library tools")
        self.s.bob.send(".clear")
        for line in LIBRARY.format(n=n).strip("\n").split("\n"):
            self.s.bob.send(line)
        self.assertIn("Saved the library tools", self.s.bob.send("."))

    def test_resaving_cannot_make_importers_reload_again_and_again(self) -> None:
        """
        Bob saving his library twenty times in a minute makes Alice's
        script that imports it load again once, not twenty times; after
        the spacing it takes the newest version.
        """
        make(self.s.alice, "oracle", IMPORTER)
        self.assertIn("v0, loaded 1 times", self.s.alice.send("ask oracle"))
        for n in range(1, 21):
            self.save_library(n)
            said = self.s.alice.send("ask oracle")
        self.assertIn("v1, loaded 2 times", said)
        self.s.world.clock.advance(RELOAD_SPACING)
        self.assertIn("v20, loaded 3 times", self.s.alice.send("ask oracle"))

    def test_the_owners_own_importers_take_each_version_at_once(self) -> None:
        """
        The library's owner's own scripts load again at each save (he pays
        for them himself).
        """
        make(self.s.bob, "sage", IMPORTER)
        self.assertIn("v0, loaded 1 times", self.s.bob.send("ask sage"))
        for n in (1, 2):
            self.save_library(n)
            said = self.s.bob.send("ask sage")
        self.assertIn("v2, loaded 3 times", said)

    def test_unsharing_takes_effect_at_once(self) -> None:
        """
        The spacing holds back new versions only: unsharing reaches the
        importer at once.
        """
        make(self.s.alice, "oracle", IMPORTER)
        self.s.alice.send("ask oracle")
        self.save_library(1)
        self.s.alice.send("ask oracle")
        self.save_library(2)  # held back
        self.s.bob.send("@revoke alice = library tools")
        said = self.s.alice.send("ask oracle")
        self.assertNotIn("loaded", said)
        self.assertIn("tools", said)

    def test_editing_the_importer_takes_the_newest_version(self) -> None:
        """
        The importer's owner saving her script loads the newest version of
        what it imports, spacing or not.
        """
        make(self.s.alice, "oracle", IMPORTER)
        self.s.alice.send("ask oracle")
        self.save_library(1)
        self.s.alice.send("ask oracle")
        self.save_library(2)
        script(self.s.alice, "oracle", IMPORTER + "\n# edited")
        self.assertIn("v2", self.s.alice.send("ask oracle"))
