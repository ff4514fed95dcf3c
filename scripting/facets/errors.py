# -*- test-case-name: tests.facets.test_attenuation,tests.facets.test_membrane -*-
"""
The errors facets raise, beyond zope.security's own.

Every one is a L{world.errors.WorldError}: its message is for the player, and
its only argument is that message (a plain C{str}), so an exception that
reaches a script carries no live object.

Access to a name a facet does not expose raises
L{zope.security.interfaces.ForbiddenAttribute} (an C{AttributeError}) whose
only argument is the attribute name, or for an operation the facet does not
allow (C{x[key] = value}, C{x.n = value}, indexing one of its methods) a
message naming it and what the facet offers.
"""

from __future__ import annotations

from world.errors import WorldError


class Revoked(WorldError):
    """
    The capability (or the one it was obtained through) has been revoked.

    @ivar _not_its_own: set (never by a script: its attributes starting
        with an underscore are out of its reach) when the facet died by
        someone else's doing than the script's (a hold given up, shed or
        revoked by the player held, L{RevocationCell.not_its_own}): a task
        failing with it is not counted toward suspending the script.
    """

    _not_its_own = False

    def __init__(self, message: str = "That capability has been revoked.") -> None:
        super().__init__(message)


class FacetError(WorldError):
    """
    A facet method was called with something it does not accept (a non-text
    name, a value that is not plain, something that is not a facet), or at a
    time it cannot act (no turn in progress).
    """


class QuotaExceeded(WorldError):
    """
    An owner's stored-bytes or object quota would be exceeded; nothing was
    stored or created.
    """


class CrowdRefused(QuotaExceeded):
    """
    A hold of a player refused because its owner's things were handed as
    many players as they can hold this turn (L{scripting.facets.holds}): the
    crowd's doing, players standing by the host choosing when, not the
    owner's overspend. A script's load or call it ends is not counted toward
    suspending the script.
    """
