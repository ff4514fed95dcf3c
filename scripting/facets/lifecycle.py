# -*- test-case-name: tests.facets -*-
"""
What happens to grants, script state, timers, charged properties and
quotas when an object leaves the world.

L{destroy} is the one way anything is destroyed, for builders' C{@destroy}
and scripts' C{destroy()} alike: the world's rule (L{world.rules.destroy})
and then, for every object it took away, the scripting records that
belonged to it (L{forget_destroyed}; the world cannot do that part: it
imports nothing from scripting). Loading content settles what it destroys
the same way, through L{KEEPER} (L{world.loader.Keeper}).
"""

from __future__ import annotations

from typing import Any, Final

from scripting.facets import (
    accounting,
    channels,
    grants,
    holds,
    properties,
    state,
    texts,
    timers,
)
from world import rules
from world.objects import Thing
from world.root import WorldRoot


def forget_object(root: Any, obj: Thing, by: rules.Agent | None = None) -> None:
    """
    Revoke every grant of or to C{obj} and every hold its script had (or, a
    character, others' scripts had of it), drop its script state and cancel
    its timers, refunding its owner, and refund what its properties and its
    text were charged.

    @param by: who destroyed it (None: the system): the grants and holds of
        its owner die by his own doing, the others' not by theirs.
    """
    grants.revoke_involving(root, obj, f"{obj.name} no longer exists.", by)
    holds.forget_host(root, obj, by)
    channels.revoke_hosted(root, obj, f"{obj.name} no longer exists.")
    state.forget_host(root, obj)
    timers.forget_host(root, obj)
    properties.forget_properties(root, obj)
    texts.forget_text(root, obj)


def destroy(root: Any, obj: Thing, agent: rules.Agent) -> list[rules.Told]:
    """
    Destroy C{obj} for C{agent} by the world's rules, then forget everything that belonged
    to each object destroyed with it and refund its owner's object quota.
    The caller has checked the authority to (ownership, or a control facet).

    @return: what to tell (L{world.rules.deliver}).
    @raise world.errors.WorldError: the rules say no; nothing changed.
    """
    gone, told = rules.destroy(root, obj, agent)
    for each in gone:
        forget_destroyed(root, each, agent)
    return told


def forget_destroyed(root: Any, obj: Thing, by: rules.Agent | None = None) -> None:
    """
    C{obj} was destroyed (C{by} whom; None: the system): forget everything
    that belonged to it (L{forget_object}) and refund its owner's object
    quota for it.
    """
    forget_object(root, obj, by)
    accounting.uncount_object(root, obj)  # only what was counted is refunded


class ContentKeeper:
    """
    What loading content (L{world.loader.load}) asks of scripting: an
    object the load destroys is forgotten as C{@destroy} forgets it, and
    text content writes over is refunded to whoever was charged for it.
    """

    def destroyed(self, root: WorldRoot, obj: Thing) -> None:
        forget_destroyed(root, obj)

    def rewritten(self, root: WorldRoot, obj: Thing, stored: tuple[str, ...],
                  written: tuple[str, ...]) -> None:
        texts.rewritten(root, obj, stored, written)


#: The keeper the engine hands L{world.loader.load}.
KEEPER: Final = ContentKeeper()
