"""
A library's owner saving it again and again, or sharing, unsharing and
removing it, to make the players whose scripts import it pay for loading
them again each time: a new version reaches another owner's script at most
once every RELOAD_SPACING seconds, a share or unshare reloads nobody's
script but the grantee's, and sharing again after an unshare or removal
that reloaded the grantee's scripts waits RELOAD_SPACING seconds.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.scripts.libraries import RELOAD_SPACING
from engine.testing import SimulatedClient
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


def save_library(player: SimulatedClient, n: int) -> str:
    """
    Save version C{n} of the library tools as C{player}; what the save said.
    """
    player.send("@library tools")
    player.send(".clear")
    for line in LIBRARY.format(n=n).strip("\n").split("\n"):
        player.send(line)
    return player.send(".")


class LibraryResaveTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.world.server.scripts.meters.cpu_time = lambda: 0.0
        self.save_library(0)
        self.s.bob.send("@grant alice = library tools")
        self.s.alice.send("@library/accept bob tools")

    def save_library(self, n: int) -> None:
        self.assertIn("Saved the library tools", save_library(self.s.bob, n))

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


class LibraryShareToggleTests(TestCase):
    """
    Bob sharing, unsharing and removing his library again and again, to
    make Alice's script that imports it pay for loading again each time.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.world.server.scripts.meters.cpu_time = lambda: 0.0
        self.libraries = self.s.world.server.scripts.libraries
        self.save_library(0)
        self.assertIn("Shared your library tools with Alice",
                      self.s.bob.send("@grant alice = library tools"))
        self.s.alice.send("@library/accept bob tools")
        make(self.s.alice, "oracle", IMPORTER)
        self.assertIn("v0, loaded 1 times", self.s.alice.send("ask oracle"))

    def save_library(self, n: int) -> None:
        self.assertIn("Saved the library tools", save_library(self.s.bob, n))

    def test_sharing_with_someone_else_reloads_nobody(self) -> None:
        """
        Sharing and unsharing it with Carol twenty times changes nothing for
        Alice's script: it stays loaded.
        """
        for _ in range(20):
            self.s.world.clock.advance(1)  # (the command rate limit)
            self.assertIn("Shared your library tools with Carol",
                          self.s.bob.send("@grant carol = library tools"))
            self.s.carol.send("@library/accept bob tools")
            self.assertIn("no longer shared with Carol",
                          self.s.bob.send("@revoke carol = library tools"))
            said = self.s.alice.send("ask oracle")
        self.assertIn("v0, loaded 1 times", said)

    def test_unsharing_reaches_the_grantee_at_once_and_resharing_waits(self) -> None:
        """
        Unsharing takes the library from Alice's script at once; sharing it
        with her again is refused for RELOAD_SPACING seconds, saying how
        long, and the toggling costs her one load a spacing at most.
        """
        self.s.bob.send("@revoke alice = library tools")
        self.assertIn("no module named 'tools'", self.s.alice.send("ask oracle"))
        for _ in range(5):
            said = " ".join(self.s.bob.send("@grant alice = library tools").split())
            self.assertIn("you may share one with them again in 60 seconds", said)
        self.s.world.clock.advance(RELOAD_SPACING / 2)
        self.assertIn("again in 30 seconds",
                      " ".join(self.s.bob.send("@grant alice = library tools").split()))
        self.s.world.clock.advance(RELOAD_SPACING / 2)
        self.assertIn("Shared your library tools with Alice",
                      self.s.bob.send("@grant alice = library tools"))
        self.s.alice.send("@library/accept bob tools")
        self.assertIn("v0, loaded 2 times", self.s.alice.send("ask oracle"))
        self.s.bob.send("@revoke alice = library tools")
        self.assertIn("again in 60 seconds", self.s.bob.send("@grant alice = library tools"))

    def test_removing_and_saving_again_waits_too(self) -> None:
        """
        Removing the library and saving it again is no way around the
        spacing: sharing it with Alice again waits as after an unshare.
        """
        self.assertIn("Removed your library tools", self.s.bob.send("@library/remove tools"))
        self.assertIn("no module named 'tools'", self.s.alice.send("ask oracle"))
        self.save_library(1)
        self.assertIn("again in 60 seconds", self.s.bob.send("@grant alice = library tools"))
        self.s.world.clock.advance(RELOAD_SPACING)
        self.assertIn("Shared your library tools with Alice",
                      self.s.bob.send("@grant alice = library tools"))
        self.s.alice.send("@library/accept bob tools")
        self.assertIn("v1, loaded 2 times", self.s.alice.send("ask oracle"))

    def test_a_refusal_does_not_hold_back_the_owner(self) -> None:
        """
        Alice refusing the share forgets her own script's copy at once, and
        is not held against Bob: he may offer it again at once.
        """
        self.s.alice.send("@revoke bob = library tools")
        self.assertIn("no module named 'tools'", self.s.alice.send("ask oracle"))
        self.assertIn("Shared your library tools with Alice",
                      self.s.bob.send("@grant alice = library tools"))
        self.s.alice.send("@library/accept bob tools")

    def test_the_records_of_reloads_are_pruned(self) -> None:
        """
        What is remembered to space reloads holds only the last
        RELOAD_SPACING seconds: after that, a change finds it empty again.
        """
        for n in range(5):
            make(self.s.alice, f"seer{n}", IMPORTER)
            self.s.alice.send(f"ask seer{n}")
        self.s.world.clock.advance(RELOAD_SPACING)
        self.save_library(1)
        self.assertEqual(len(self.libraries.reloaded), 6)
        self.assertIn("v1", self.s.alice.send("ask oracle"))
        self.s.bob.send("@revoke alice = library tools")
        self.assertEqual(len(self.libraries.withdrawn), 1)
        for n in range(5):
            self.s.alice.send(f"@destroy seer{n}")
        self.s.world.clock.advance(RELOAD_SPACING)
        self.assertEqual(self.s.bob.send("@grant carol = library tools").count("Shared"), 1)
        self.s.carol.send("@library/accept bob tools")
        self.assertEqual(self.libraries.reloaded, {})
        self.assertEqual(self.libraries.withdrawn, {})
