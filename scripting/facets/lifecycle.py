"""
What happens to grants, script state, timers and charged properties when an
object leaves the world.

The engine's destroy command should call L{forget_object} as facets'
C{destroy} does (the world cannot: it imports nothing from scripting).
"""

from __future__ import annotations

from typing import Any

from scripting.facets import grants, properties, state, timers
from world.objects import Thing


def forget_object(root: Any, obj: Thing) -> None:
    """
    Revoke every grant of or to C{obj}, drop its script state and cancel its
    timers, refunding its owner, and refund what its properties were charged.
    """
    grants.revoke_involving(root, obj, f"{obj.name} no longer exists.")
    state.forget_host(root, obj)
    timers.forget_host(root, obj)
    properties.forget_properties(root, obj)
