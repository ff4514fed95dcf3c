"""
One home for the rule that no two exits of a room answer to one name: a
builder's C{@name} and C{@alias} and a script's C{rename} and C{set_aliases}
are refused alike (the scripts' were not: a script could hide a room's east
behind a second east, and players would reach only one of them).
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, script

RENAMER = """
def verb_call(actor, dobj, prep, iobj, dobjstr, iobjstr):
    try:
        this.rename(iobjstr)
        actor.tell("renamed")
    except Exception as err:
        actor.tell("refused: " + str(err))

def verb_nick(actor, dobj, prep, iobj, dobjstr, iobjstr):
    try:
        this.set_aliases([n.strip() for n in iobjstr.split(",")])
        actor.tell("aliased")
    except Exception as err:
        actor.tell("refused: " + str(err))
"""


def squash(text: str) -> str:
    return " ".join(text.split())


class ExitAlikeTests(TestCase):
    """
    Bob's workshop has exits east, north and portal; neither his commands
    nor the portal's script may make the portal answer to east or n.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        bob = self.s.bob
        bob.send("@dig Workshop")
        bob.send("@teleport Workshop")
        bob.send("@dig east to Hall")
        bob.send("@dig north to Yard")
        bob.send("@open portal to Hall")
        script(bob, "portal", RENAMER)
        self.s.read()

    def portal(self) -> tuple[str, tuple[str, ...]]:
        room = self.s.thing("Workshop")
        portal = next(e for e in room.exits() if e.name in ("portal", "arch"))
        return portal.name, portal.aliases

    def test_rename_by_script(self) -> None:
        said = squash(self.s.bob.send("call portal with east"))
        self.assertIn("refused: Workshop (#", said)
        self.assertIn("already has an exit called east: east (#", said)
        self.assertEqual(self.portal(), ("portal", ()))
        self.assertIn("renamed", squash(self.s.bob.send("call portal with arch")))
        self.assertEqual(self.portal()[0], "arch")

    def test_aliases_by_script(self) -> None:
        said = squash(self.s.bob.send("nick portal with p, n"))
        self.assertIn("refused: Workshop (#", said)
        self.assertIn("already has an exit called n: north (#", said)
        self.assertEqual(self.portal(), ("portal", ()))
        self.assertIn("aliased", squash(self.s.bob.send("nick portal with p, gate")))
        self.assertEqual(self.portal(), ("portal", ("p", "gate")))

    def test_same_words_by_hand(self) -> None:
        by_hand = squash(self.s.bob.send("@name portal = east"))
        by_script = squash(self.s.bob.send("call portal with east"))
        start = by_hand.index("Workshop (#")
        refusal = by_hand[start:by_hand.index("Nothing was changed.", start)]
        self.assertIn("already has an exit called east", refusal)
        self.assertIn("refused: " + refusal, by_script)
        said = squash(self.s.bob.send("@alias portal = n"))
        self.assertIn("already has an exit called n: north (#", said)
        self.assertEqual(self.portal(), ("portal", ()))
        self.assertIn("Exits: north, east and portal.", squash(self.s.bob.send("look")))
