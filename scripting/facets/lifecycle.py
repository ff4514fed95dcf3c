# -*- test-case-name: tests.facets -*-
"""
What happens to grants, script state, timers, charged properties and
quotas when an object leaves the world.

L{destroy} is the one way anything is destroyed, for builders' C{@destroy}
and scripts' C{destroy()} alike: the world's rule (L{world.rules.destroy})
and then, for every object it took away, the scripting records that
belonged to it (the world cannot do that part: it imports nothing from
scripting).
"""

from __future__ import annotations

from typing import Any

from scripting.facets import accounting, channels, grants, properties, state, texts, timers
from world import rules
from world.objects import Thing


def forget_object(root: Any, obj: Thing) -> None:
    """
    Revoke every grant of or to C{obj}, drop its script state and cancel its
    timers, refunding its owner, and refund what its properties and its text
    were charged.
    """
    grants.revoke_involving(root, obj, f"{obj.name} no longer exists.")
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
        forget_object(root, each)
        accounting.uncount_object(root, each)  # only what was counted is refunded
    return told
