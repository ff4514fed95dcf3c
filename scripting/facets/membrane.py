# -*- test-case-name: tests.facets.test_membrane -*-
"""
Revocation cells: the persistent switch behind caretakers and membranes.

A facet carries a tuple of cells. Its checker consults every one of them on
every access, and wraps everything obtained through the facet in a facet
carrying the same cells (at least): so revoking one cell kills the facet
and everything obtained through it (E's membrane), whoever holds them.

Cells are C{Persistent}: a facet stored in script state (as a
L{scripting.facets.capref.CapRef}) or made from a grant after a restart
consults the same stored cell, so revoked stays revoked. A revocation made
in a turn that rolls back is rolled back with it.
"""

from __future__ import annotations

from collections.abc import Iterable

from persistent import Persistent

from scripting.facets.errors import Revoked
from scripting.task import STATE


class RevocationCell(Persistent):
    """
    A revocable switch. L{scripting.facets.grants.Grant} is one; the engine
    may make others (say, one per script, revoked when its host changes
    hands).

    @ivar revoked: whether it has been revoked (never un-revoked).
    @ivar reason: what to tell whoever uses a facet after revocation.
    @ivar not_its_own: whether the script holding a facet with this cell
        revoked is not to blame for failing through it (the system or
        someone other than its owner killed it): its first such failure is
        not counted toward suspending it (L{excuse}).
    @ivar excused: whether a failure through it, dead, was excused already.
    """

    revoked = False
    reason = "That capability has been revoked."
    not_its_own = False
    excused = False

    def revoke(self, reason: str | None = None, *, not_its_own: bool = False) -> None:
        """
        Kill every facet carrying this cell. Idempotent: the first
        revocation's reason and doer stand.

        @param not_its_own: someone other than the holding script's owner
            (or the system) kills it: a failure through it may be excused
            (L{not_its_own}).
        """
        if self.revoked:
            return
        self.revoked = True
        if reason is not None:
            self.reason = reason
        if not_its_own:
            self.not_its_own = True

    def excuse(self) -> bool:
        """
        Whether a script's failure through this cell is not to be counted
        toward suspending it: only if it is dead by someone else's doing,
        and only the first time (it records that it was). Later failures
        through it are the script's own: it was told, and did not handle
        it; or it would blame every failure of its own on a dead facet
        (C{except: ghost.name}) and never be suspended.

        Called in the turn that would have counted the failure, after the
        failing task's work is rolled back: a rollback that undoes the
        record undoes the failure with it, and a cell the failing task
        itself killed is alive again here and excuses nothing.
        """
        if not (self.revoked and self.not_its_own) or self.excused:
            return False
        self.excused = True
        return True


def check_alive(cells: Iterable[RevocationCell]) -> None:
    """
    @raise Revoked: one of C{cells} has been revoked.
    """
    for cell in cells:
        if cell.revoked:
            error = Revoked(str(cell.reason))
            if cell.not_its_own:
                error._not_its_own = True
                task = STATE.task
                if task is not None:
                    task.dead_cell = task.raising(error, cell)
            raise error


def is_alive(cells: Iterable[RevocationCell]) -> bool:
    """
    Whether none of C{cells} has been revoked.
    """
    return not any(cell.revoked for cell in cells)


def merge(held: tuple[RevocationCell, ...],
          extra: tuple[RevocationCell, ...]) -> tuple[RevocationCell, ...]:
    """
    C{held} followed by those of C{extra} it lacks (by identity), or C{held}
    itself when it already has them all.
    """
    missing = tuple(c for c in extra if not any(c is h for h in held))
    return held + missing if missing else held
