# -*- test-case-name: tests.world.test_store,tests.engine.test_session -*-
"""
Seams that cross packages: what the world asks of the things that perceive it.

The world never holds a protocol, a transport or a session. It delivers frozen
L{world.events.Event} values to I{minds}; the engine's sessions implement
L{IMind}.
"""

from __future__ import annotations

from zope.interface import Attribute, Interface


class IMind(Interface):
    """
    Something that perceives the world on behalf of a character: usually a
    connected session.
    """

    def perceive(event):
        """
        Receive one event the character can perceive.

        Called only after the turn that produced C{event} has committed, so a
        rolled-back turn is never perceived.

        @param event: the frozen event value.
        @type event: L{world.events.Event}
        @return: L{None}; a mind must not raise (errors are logged by the
            caller and delivery continues with the next mind).
        """


class IWorldObject(Interface):
    """
    Anything with a place in the world graph.
    """

    id = Attribute("Stable small integer id, shown to builders as #12.")
    name = Attribute("Display name.")
    aliases = Attribute("Tuple of other names players may use.")
    description = Attribute("What a player sees on looking at it.")
    owner = Attribute("Id of the owning character, or None for the world itself.")
    location = Attribute("The container it is in, or None for rooms.")
    contents = Attribute("Sequence of objects inside it.")
    properties = Attribute("Mapping of free-form plain JSON-like values.")
    content_id = Attribute("Builder content id for objects loaded from content/, else None.")
