# -*- test-case-name: tests.redteam_world.test_reach4 -*-
"""
An exit goes only into a room its builder controls, however it is moved.
'@open' refuses a way out of a room the builder does not own (one out of
it changes where its walkers go); '@teleport <exit> = here' of an exit he
made between his own rooms is refused alike in a room he only stands in
(the world's start room included): the rule is in
L{world.rules.check_move}, which every move of an exit, by command or
script, goes through. Wizards move exits anywhere. (Found by red6.)
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene


class ExitTeleportTests(TestCase):
    """
    Bob digs Shop and Back room, opens 'east' between them, stands in the
    world's Town Square (which he does not own) and sends his 'east' there.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        bob = self.s.bob
        bob.send("@dig Shop")
        shop = self.s.thing("Shop")
        bob.send(f"@teleport #{shop.id}")
        bob.send("@dig Back room")
        bob.send("@open east to Back room")
        self.exit = next(e for e in self.s.thing("Shop").exits() if e.name == "east").id
        bob.send("@teleport Town Square")
        self.s.read()

    def test_open_refused_here(self) -> None:
        """
        The direct way is refused: Bob cannot @open an exit out of Town Square.
        """
        self.s.bob.send("@open east to Back room")
        self.assertEqual([e.name for e in self.s.thing("Town Square").exits()],
                         ["north", "gate"])

    def test_teleport_exit_into_square(self) -> None:
        """
        Nor can he send his exit there: Town Square keeps its own exits, and
        Carol's 'east' from the start room does not lead into Bob's room.
        """
        self.s.bob.send(f"@teleport #{self.exit} = here")
        self.assertEqual([e.name for e in self.s.thing("Town Square").exits()],
                         ["north", "gate"])
        self.assertNotIn("Back room", self.s.carol.send("east"))

    def test_teleport_between_own_rooms(self) -> None:
        """
        Bob still moves his exit between rooms he owns.
        """
        self.s.bob.send("@dig Attic")
        self.s.bob.send(f"@teleport #{self.exit} = Attic")
        self.assertEqual([e.name for e in self.s.thing("Attic").exits()], ["east"])

    def test_wizard_may(self) -> None:
        """
        A wizard may send the exit into Town Square.
        """
        wizard = self.s.world.login("Wendy", role="wizard")
        wizard.send(f"@teleport #{self.exit} = here")
        self.assertEqual(sorted(e.name for e in self.s.thing("Town Square").exits()),
                         ["east", "gate", "north"])
